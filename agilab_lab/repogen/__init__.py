"""Generated repositories: render a decision set, validate it statically, zip it reproducibly.

Public API::

    generate(spec) -> {path: bytes}                       # deterministic
    write_zip(files, path) -> sha256                      # same files -> same bytes
    validate(path_or_zip, timeout_s=...) -> ValidationReport   # also writes reports/
    generate_and_validate(spec, out_dir) -> (zip_path, sha256, report)
"""

from .build import generate_and_validate
from .context import RepoGenError
from .kinds import supported_kinds
from .render import generate
from .validate import CheckResult, ValidationReport, validate
from .zipper import write_zip

__all__ = ["CheckResult", "RepoGenError", "ValidationReport", "generate",
           "generate_and_validate", "supported_kinds", "validate", "write_zip"]
