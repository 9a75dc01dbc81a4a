"""Build the worker artifact: one zip holding ``agilab_node`` and the app's worker package.

The artifact is named ``<app>_worker-<hash>.zip`` after a sha256 of its contents, built once per
hash under ``<home>/packages/`` and reused by every mode: pool processes and Dask workers put it
on ``sys.path`` (the latter via ``Client.upload_file``'s plugin), so a plain ``dask worker`` with
only the worker's own dependencies installed can run the app.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .apps import AppSpec

NODE_DIR = Path(__file__).resolve().parent / "node"
NODE_PACKAGE = "agilab_node"
HASH_CHARS = 16
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: same content, same bytes
_SKIP_DIRS = {"__pycache__", ".pytest_cache"}


@dataclass(frozen=True)
class WorkerArtifact:
    app: str
    package: str
    content_hash: str
    path: Path

    @property
    def filename(self) -> str:
        return self.path.name


def _source_files(root: Path, arcroot: str) -> list[tuple[str, Path]]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for filename in sorted(filenames):
            if filename.endswith((".pyc", ".pyo")):
                continue
            path = Path(dirpath) / filename
            files.append((f"{arcroot}/{path.relative_to(root).as_posix()}", path))
    return files


def artifact_files(spec: AppSpec) -> list[tuple[str, Path]]:
    """(name in the zip, source file) of everything the artifact holds, in a stable order."""
    return _source_files(NODE_DIR, NODE_PACKAGE) + _source_files(spec.worker_dir, spec.worker_package)


@dataclass(frozen=True)
class CodeSnapshot:
    """An app's code read once for a run: the artifact's files (their bytes), its hash, and the
    hash of the manager and worker code the plan cache is keyed on."""

    files: tuple[tuple[str, bytes], ...]
    artifact_hash: str
    code_hash: str


def snapshot(spec: AppSpec) -> CodeSnapshot:
    files = tuple((arcname, path.read_bytes()) for arcname, path in artifact_files(spec))
    digest = hashlib.sha256()
    for arcname, data in files:
        digest.update(arcname.encode() + b"\0" + data + b"\0")
    artifact_hash = digest.hexdigest()[:HASH_CHARS]
    digest.update(b"manager.py\0" + (spec.path / "manager.py").read_bytes() + b"\0")
    return CodeSnapshot(files, artifact_hash, digest.hexdigest()[:HASH_CHARS])


def code_hash(spec: AppSpec) -> str:
    """Hash of the app's manager and worker code (part of the plan cache key)."""
    return snapshot(spec).code_hash


def build_artifact(spec: AppSpec, packages_dir: Path, code: CodeSnapshot | None = None) -> WorkerArtifact:
    """The artifact for the app's current code (or ``code``, read earlier for the same run: the
    zip then holds exactly the bytes that were hashed), built only if this hash was never built."""
    code = code or snapshot(spec)
    digest = code.artifact_hash
    path = packages_dir / f"{spec.worker_package}-{digest}.zip"
    if not path.is_file():
        packages_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for arcname, data in code.files:
                info = zipfile.ZipInfo(arcname, date_time=_ZIP_EPOCH)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        partial.replace(path)  # atomic: concurrent builders of one hash never see half a zip
    return WorkerArtifact(spec.name, spec.worker_package, digest, path)


def worker_requirements(spec: AppSpec) -> list[str]:
    """Distribution names in ``<app>_worker/requirements.txt`` (the worker's own dependencies)."""
    path = spec.worker_dir / "requirements.txt"
    if not path.is_file():
        return []
    names = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(re.split(r"[\s<>=!~;\[]", line, maxsplit=1)[0])
    return names


def missing_requirements(spec: AppSpec) -> list[str]:
    """Worker dependencies not installed in this environment."""
    from importlib import metadata

    missing = []
    for name in worker_requirements(spec):
        try:
            metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    return missing
