"""``new-app --from-design``: a generated repository's pipeline as a runtime app.

The app's worker package carries the repository's Python packages (``repo/``) and calls its
pipeline entry on one data partition per work item: ``ml/pipelines/run.py:run`` (train, gate,
score) when the repository has it, else ``ml/training/train.py:train``. Partitions are generated
by the repository's own ``ml/pipelines/sample_data.py:write_sample`` unless ``data_dir`` is given.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import jinja2

from .apps import AppSpec, register_app
from .errors import BadArgs, RuntimeFailure
from .templates import new_app_target

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "apps" / "templates" / "from_design"
# (file, function, title) in order of preference
ENTRIES = (("ml/pipelines/run.py", "run", "training and batch-scoring pipeline"),
           ("ml/training/train.py", "train", "training step"))
SAMPLE = ("ml/pipelines/sample_data.py", "write_sample")
# Worker-side requirements: what the pipeline imports; serving/cloud SDKs stay out.
PIPELINE_REQUIREMENTS = ("numpy", "pandas", "polars", "scikit-learn", "scipy", "statsmodels", "mlflow")


class DesignNotFound(RuntimeFailure):
    status, code = 404, "decision_set_not_found"


class DesignNotGenerated(RuntimeFailure):
    status, code = 409, "not_generated"


@dataclass(frozen=True)
class Entry:
    module: str
    function: str
    title: str


@dataclass(frozen=True)
class DesignRef:
    id: str
    project: str
    version: int
    zip_path: Path


def create_app_from_design(design: DesignRef, name: str, parent: Path, home: Path) -> Path:
    """Write the app ``parent/name`` for ``design``'s generated repository and register it."""
    target = new_app_target(name, parent)
    with tempfile.TemporaryDirectory() as tmp:
        repo = _unzip(design.zip_path, Path(tmp))
        entry = find_entry(repo)
        packages = [p.name for p in sorted(repo.iterdir()) if (p / "__init__.py").is_file() and p.name != "app"]
        worker = target / f"{name}_worker"
        _render(target, worker, name=name, design=design, entry=entry, packages=packages)
        for package in packages:
            shutil.copytree(repo / package, worker / "repo" / package,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "artifacts"))
        (worker / "requirements.txt").write_text(_requirements(repo))
    register_app(home, AppSpec(name, target, builtin=False))
    return target


def find_entry(repo: Path) -> Entry:
    """The pipeline entry the app will call; a clear error when the repository has none."""
    if not _defines(repo / SAMPLE[0], SAMPLE[1]):
        raise BadArgs(f"the generated repository has no {SAMPLE[0]}:{SAMPLE[1]} to make sample data")
    for file, function, title in ENTRIES:
        if _defines(repo / file, function):
            return Entry(".".join(PurePosixPath(file).with_suffix("").parts), function, title)
    wanted = " or ".join(f"{f}:{fn}" for f, fn, _ in ENTRIES)
    raise BadArgs(f"the generated repository has no training or batch pipeline ({wanted})")


def _defines(path: Path, function: str) -> bool:
    if not path.is_file():
        return False
    tree = ast.parse(path.read_text(), filename=str(path))
    return any(isinstance(node, ast.FunctionDef) and node.name == function for node in tree.body)


def _unzip(zip_path: Path, into: Path) -> Path:
    """Extract the repository, refusing members that would land outside ``into``."""
    if not zip_path.is_file():
        raise BadArgs(f"the design's repository zip is missing: {zip_path}")
    with zipfile.ZipFile(zip_path) as archive:
        for member in archive.namelist():
            if PurePosixPath(member).is_absolute() or ".." in PurePosixPath(member).parts:
                raise BadArgs(f"unsafe path in the repository zip: {member}")
        archive.extractall(into)
    return into


def _render(target: Path, worker: Path, **context) -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined, autoescape=False)
    outputs = {"manager.py.j2": target / "manager.py", "app_settings.toml.j2": target / "app_settings.toml",
               "test_app.py.j2": target / f"test_{context['name']}.py", "worker/worker.py.j2": worker / "worker.py"}
    for template, path in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(env.get_template(template).render(context))
    (worker / "__init__.py").write_text(f'"""Worker package of {context["name"]}."""\n')


def _requirements(repo: Path) -> str:
    source = repo / "requirements.txt"
    lines = source.read_text().splitlines() if source.is_file() else []
    kept = [line for line in lines if line.split(";")[0].strip().lower().startswith(PIPELINE_REQUIREMENTS)]
    return "\n".join(kept or ["numpy>=1.24"]) + "\n"


def design_ref(lab, decision_set_id: str) -> DesignRef:
    """The generated repository of one of ``lab``'s decision sets (it must be generated)."""
    from ..agents.designer import Designer, NotFound
    from ..agents.views import decision_set_view

    designer = Designer(lab)
    try:
        view = decision_set_view(designer.get_decision_set(decision_set_id))
        project = designer.get_project(view["project_id"]).name
    except NotFound as exc:
        raise DesignNotFound(exc.message) from exc
    if not view.get("zip"):
        raise DesignNotGenerated(f"design {decision_set_id} is {view['status']}: approve it so its repository is generated")
    return DesignRef(id=view["id"], project=project, version=view["version"], zip_path=Path(view["zip"]))
