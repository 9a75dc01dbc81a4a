"""Generate, validate, zip and (optionally) version a decision set's repository."""

from __future__ import annotations

import tempfile
from pathlib import Path

from agilab_lab.agents.types import RepoSpec
from agilab_lab.store.gitrepo import ProjectRepo

from .context import build_context
from .render import generate
from .validate import VALIDATION_REPORTS, StepCallback, ValidationReport, validate_dir
from .zipper import write_zip


def write_tree(files: dict[str, bytes], root: Path) -> Path:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return root


def generate_and_validate(spec: RepoSpec, out_dir: str | Path, *, timeout_s: float = 300.0,
                          cache_dir: Path | None = None, home: Path | None = None,
                          on_step: StepCallback | None = None,
                          deploy: bool = False) -> tuple[Path, str, ValidationReport]:
    """Render ``spec``, validate it, zip it with its reports: ``(zip path, sha256, report)``.

    The zip holds the generated files plus the validation reports; its name is
    ``<project slug>-v<version>.zip`` in ``out_dir``. With ``home``, the same files are
    committed to the project's git repository and tagged ``v<version>``. The deployability
    gates (Terraform plan, emulator apply) take minutes: they run with ``deploy=True`` and in
    ``agilab-lab validate``, not in the designer's interactive generate step.
    """
    files = generate(spec)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".repogen-", dir=out_dir) as scratch:
        root = write_tree(files, Path(scratch) / "repo")
        report = validate_dir(root, timeout_s=timeout_s, cache_dir=cache_dir, on_step=on_step,
                              deploy=deploy)
        for name in VALIDATION_REPORTS:
            produced = root / "reports" / name
            if produced.exists():
                files[f"reports/{name}"] = produced.read_bytes()
    report.reports_dir = None  # the scratch copy is gone: the reports live in the zip
    zip_path = out_dir / f"{build_context(spec).slug}-v{spec.version}.zip"
    sha256 = write_zip(files, zip_path)
    if home is not None:
        ProjectRepo(home, spec.project_id).commit_version(
            files, version=spec.version, decision_set_id=spec.decision_set_id)
    return zip_path, sha256, report
