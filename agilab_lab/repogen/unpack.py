"""Unpack a generated version into a folder of the Jupyter root, for Lab's file browser and editor.

A version lands at ``agilab-designs/<project slug>/v<N>/`` under the root. Versions never change
once generated, so an existing folder is left as it is (the user may have edited files there).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from .context import slugify
from .zipper import extract_zip

DESIGNS_DIR = "agilab-designs"
#: The report the Designer's card links to, when the zip holds it.
REPORT_CANDIDATES = ("reports/validation.json", "README.md")


class UnpackRefused(ValueError):
    """The target would leave the root, or the decision set has nothing to unpack."""


def unpack_target(root: Path, project_name: str, project_id: str, version: int) -> Path:
    """``<root>/agilab-designs/<slug>-<id prefix>/v<version>``; refused if it resolves outside ``root``."""
    root = root.resolve()
    folder = f"{slugify(project_name, max_len=40)}-{project_id[:8]}"
    target = (root / DESIGNS_DIR / folder / f"v{int(version)}").resolve()
    if not target.is_relative_to(root) or target == root:
        raise UnpackRefused("the design folder would be outside the Jupyter root")
    return target


def unpack_version(zip_path: Path, root: Path, project_name: str, project_id: str,
                   version: int) -> dict[str, Any]:
    """Extract ``zip_path`` into its version folder (once); paths in the answer are relative to ``root``."""
    if not zip_path.is_file():
        raise UnpackRefused("this decision set has no generated repository")
    target = unpack_target(root, project_name, project_id, version)
    created = not target.exists()
    if created:
        scratch = target.with_name(f".{target.name}.partial")
        shutil.rmtree(scratch, ignore_errors=True)  # left by an interrupted unpack
        extract_zip(zip_path, scratch)  # refuses absolute and parent-relative entries
        scratch.rename(target)
    relative = target.relative_to(root.resolve()).as_posix()
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    report = next((f"{relative}/{name}" for name in REPORT_CANDIDATES if name in files), None)
    return {"path": relative, "files": len(files), "created": created, "report": report}
