"""Make one version of a worker artifact (a zip on ``sys.path``) the one this process imports."""

from __future__ import annotations

import importlib
import os
import sys

ARTIFACT_SUFFIX = ".zip"
_active: dict[str, str] = {}  # package -> the artifact path activated last in this process


def find_on_path(filename: str) -> str | None:
    """The ``sys.path`` entry whose basename is ``filename`` (where Dask's ``upload_file`` put it)."""
    for entry in sys.path:
        if os.path.basename(entry) == filename:
            return entry
    return None


def activate(path: str, package: str) -> None:
    """Import ``package`` from the artifact at ``path`` from now on.

    Older artifacts of the same package are taken off ``sys.path`` and modules loaded from them
    are forgotten: Dask's reload on upload refreshes a package's ``__init__`` only, so a changed
    submodule would otherwise keep running its old code.
    """
    if _active.get(package) == path and sys.path and sys.path[0] == path:
        return  # already the one imported (every run of a warm process): skip the scans
    prefix = package + "-"
    for entry in [e for e in sys.path if os.path.basename(e).startswith(prefix) and e != path]:
        sys.path.remove(entry)
    if path not in sys.path:
        sys.path.insert(0, path)
    for name, module in list(sys.modules.items()):
        if name == package or name.startswith(package + "."):
            if not (getattr(module, "__file__", None) or "").startswith(path):
                del sys.modules[name]
    importlib.invalidate_caches()
    _active[package] = path
