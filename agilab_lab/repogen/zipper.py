"""Reproducible zips of generated repositories, and safe reading of zips and directories.

Same files -> same zip bytes: entries sorted by path, a fixed timestamp, fixed permissions
(0644 for files) and a fixed compression level, whatever the clock, umask or zlib build
order of the machine that writes them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644
IGNORED_PARTS = frozenset({".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache"})


class UnsafeArchiveError(ValueError):
    """The archive is not a zip, or an entry would land outside the extraction directory."""


def write_zip(files: dict[str, bytes], path: str | Path) -> str:
    """Write ``files`` (path -> bytes) to ``path`` atomically; returns the zip's sha256."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w") as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(_safe_name(name), date_time=FIXED_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # unix, so external_attr holds the mode
                info.external_attr = FILE_MODE << 16
                archive.writestr(info, files[name], compresslevel=9)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return sha256_file(path)


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _safe_name(name: str) -> str:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in name:
        raise UnsafeArchiveError(f"unsafe path in archive: {name!r}")
    return str(pure)


def read_zip(path: str | Path) -> dict[str, bytes]:
    """Path -> bytes of every file entry; refuses absolute or parent-relative entries."""
    try:
        with zipfile.ZipFile(path) as archive:
            return {_safe_name(info.filename): archive.read(info)
                    for info in archive.infolist() if not info.is_dir()}
    except zipfile.BadZipFile as exc:
        raise UnsafeArchiveError(f"not a valid zip file: {path}") from exc


def read_dir(root: str | Path) -> dict[str, bytes]:
    """Path -> bytes of a repository directory, without VCS, venv and cache folders."""
    root = Path(root)
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file() and not IGNORED_PARTS.intersection(path.relative_to(root).parts)}


def read_tree(path: str | Path) -> dict[str, bytes]:
    """Files of a zip or of a directory."""
    return read_dir(path) if Path(path).is_dir() else read_zip(path)


def extract_zip(path: str | Path, dest: str | Path) -> Path:
    """Extract a zip safely into ``dest`` (created); returns ``dest``."""
    dest = Path(dest)
    for name, content in read_zip(path).items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return dest
