"""Find apps and load their managers.

Apps come from two places: the builtin apps shipped in :mod:`agilab_lab.apps`, and apps
registered in ``<home>/apps/registry.toml`` (``agilab-lab new-app`` registers what it creates).
An app can also be named by the path of its directory.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .contract import BaseManager
from .errors import AppNotFound

BUILTIN_APPS_DIR = Path(__file__).resolve().parent.parent / "apps"
REGISTRY_FILE = "registry.toml"


@dataclass(frozen=True)
class AppSpec:
    """Where an app lives and how its two halves are named."""

    name: str
    path: Path
    builtin: bool

    @property
    def worker_package(self) -> str:
        return f"{self.name}_worker"

    @property
    def worker_dir(self) -> Path:
        return self.path / self.worker_package

    @property
    def default_settings(self) -> Path:
        return self.path / "app_settings.toml"

    def manager_class(self) -> type[BaseManager]:
        return _load_manager(self)


def is_app_dir(path: Path) -> bool:
    return (path / "manager.py").is_file() and (path / f"{path.name}_worker" / "__init__.py").is_file()


def builtin_apps() -> dict[str, AppSpec]:
    return {
        path.name: AppSpec(path.name, path, builtin=True)
        for path in sorted(BUILTIN_APPS_DIR.iterdir())
        if path.is_dir() and is_app_dir(path)
    }


def registered_apps(home: Path) -> dict[str, AppSpec]:
    registry = home / "apps" / REGISTRY_FILE
    if not registry.is_file():
        return {}
    entries = tomllib.loads(registry.read_text()).get("apps", {})
    return {
        name: AppSpec(name, Path(str(path)), builtin=False)
        for name, path in entries.items()
        if is_app_dir(Path(str(path)))
    }


def list_apps(home: Path) -> dict[str, AppSpec]:
    """Every app by name; a registered app never hides a builtin one."""
    apps = {**registered_apps(home), **builtin_apps()}
    return dict(sorted(apps.items()))


def resolve_app(app: str | Path, home: Path, allow_paths: bool = True) -> AppSpec:
    """The app named ``app``, or (with ``allow_paths``) the app directory at that path.

    The server passes ``allow_paths=False``: a path in a request must never make it import code.
    """
    apps = list_apps(home)
    if str(app) in apps:
        return apps[str(app)]
    path = Path(app).expanduser()
    if allow_paths and path.is_dir() and is_app_dir(path):
        return AppSpec(path.name, path.resolve(), builtin=False)
    known = ", ".join(sorted(apps)) or "none"
    raise AppNotFound(f"unknown app {str(app)!r} (known apps: {known})")


def register_app(home: Path, spec: AppSpec) -> None:
    """Record an app directory in the home's registry (comments and other entries survive)."""
    import tomlkit  # comment-preserving writes only; reads use tomllib

    registry = home / "apps" / REGISTRY_FILE
    registry.parent.mkdir(parents=True, exist_ok=True)
    doc = tomlkit.parse(registry.read_text()) if registry.is_file() else tomlkit.document()
    if "apps" not in doc:
        doc.add(tomlkit.comment("Apps created with `agilab-lab new-app`: name = directory"))
        doc["apps"] = tomlkit.table()
    doc["apps"][spec.name] = str(spec.path)
    registry.write_text(tomlkit.dumps(doc))


def _load_manager(spec: AppSpec) -> type[BaseManager]:
    if spec.builtin:
        module = importlib.import_module(f"agilab_lab.apps.{spec.name}.manager")
    else:
        module = _import_file(f"agilab_app_{spec.name}_manager", spec.path / "manager.py")
    managers = [
        obj for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, BaseManager) and obj is not BaseManager
        and obj.__module__ == module.__name__
    ]
    if len(managers) != 1:
        raise AppNotFound(f"{spec.path / 'manager.py'} must define exactly one BaseManager subclass")
    return managers[0]


def _import_file(name: str, path: Path):
    """Import a manager module from a file; re-import it when the file changed."""
    mtime = path.stat().st_mtime_ns
    cached = sys.modules.get(name)
    if cached is not None and getattr(cached, "__agilab_mtime__", None) == mtime:
        return cached
    module_spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    module_spec.loader.exec_module(module)
    module.__agilab_mtime__ = mtime
    return module
