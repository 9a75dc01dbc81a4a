"""``new-app``: create a working app (manager, worker, settings, test) from a template."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .apps import AppSpec, builtin_apps, register_app
from .errors import BadArgs

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "apps" / "templates"
TEMPLATES = {"polars": "per-partition group-by with polars", "pandas": "per-partition group-by with pandas",
          "dag": "a pipeline of dependent steps run per item"}


def new_app_target(name: str, parent: Path) -> Path:
    """``parent/name`` for a new app: a free lower-case identifier that no builtin app uses."""
    if not name.isidentifier() or name.startswith("_") or name != name.lower():
        raise BadArgs(f"app name must be a lower-case Python identifier, got {name!r}")
    if name in builtin_apps():
        raise BadArgs(f"{name} is a builtin app name")
    target = parent.expanduser().resolve() / name
    if target.exists():
        raise BadArgs(f"{target} already exists")
    return target


def create_app(name: str, template: str, parent: Path, home: Path) -> Path:
    """Render ``template`` into ``parent/name``, register it in the home and return its path."""
    target = new_app_target(name, parent)
    if template not in TEMPLATES:
        raise BadArgs(f"unknown template {template!r} (choose from {', '.join(TEMPLATES)})")
    context = {"name": name, "title": TEMPLATES[template]}
    env = jinja2.Environment(keep_trailing_newline=True, undefined=jinja2.StrictUndefined, autoescape=False)
    for source in [*_files(TEMPLATES_DIR / "common"), *_files(TEMPLATES_DIR / template)]:
        root = TEMPLATES_DIR / ("common" if source.is_relative_to(TEMPLATES_DIR / "common") else template)
        relative = source.relative_to(root).as_posix().replace("worker/", f"{name}_worker/", 1)
        relative = relative.replace("test_app.py", f"test_{name}.py")
        text = source.read_text()
        if relative.endswith(".j2"):
            relative, text = relative[:-3], env.from_string(text).render(context)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_text(text)
    (target / f"{name}_worker" / "__init__.py").write_text(f'"""Worker package of {name}."""\n')
    register_app(home, AppSpec(name, target, builtin=False))
    return target


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
