"""Runtime environment half of the ``consistency`` gate: every ``APP_*`` variable that the code
a compute runs cannot do without is given to that compute.

- A *compute* is a Terraform resource of :data:`COMPUTE_TYPES` that runs the repository's image
  (its block names a ``var.*_image`` / ``var.*_image_uri``).
- Its *entry module* is the ``-m <module>`` of its own command (entryPoint / command / args),
  else of the image's ``ENTRYPOINT`` (then ``CMD``) in ``infra/docker/Dockerfile``.
- The variables its code *needs*: the entry module and every repository module it imports
  (transitively, parsed with :mod:`ast`; a ``"module:attribute"`` string counts as an import,
  it is how the server loads the ASGI app), each literal ``APP_*`` key that is subscripted
  (``env["APP_X"]``) or read with ``.get("APP_X")`` / ``getenv("APP_X")`` without a default.
  A read with a default is optional and not required.
- The variables it is *given*: the ``APP_*`` names set in its resource block (env blocks, env
  maps, container-definition environment) and the ``ENV`` lines of the Dockerfile.

A needed variable that is not given fails the gate: the deployed process would stop at start
(or silently fall back to its offline path) although ``terraform apply`` succeeded.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

COMPUTE_TYPES = ("aws_ecs_task_definition", "aws_sagemaker_model", "google_cloud_run_v2_service",
                 "google_cloud_run_v2_job", "google_cloud_run_v2_worker_pool",
                 "azurerm_container_app")
DOCKERFILE = "infra/docker/Dockerfile"
_BLOCK = re.compile(r'^resource "([a-z0-9_]+)" "([A-Za-z0-9_-]+)" \{\n(.*?)^\}', re.M | re.S)
_IMAGE = re.compile(r"\bvar\.[a-z0-9_]*_image(_uri)?\b")
_ENTRY = re.compile(r'"-m",\s*"([A-Za-z_][\w.]*)"')
_GIVEN = re.compile(r'\bname\s*=\s*"(APP_[A-Z0-9_]+)"|^\s*"?(APP_[A-Z0-9_]+)"?\s*=', re.M)
_NAME = re.compile(r"^APP_[A-Z0-9_]+$")
_IMPORT_STRING = re.compile(r"^([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*):[A-Za-z_]\w*$")


@dataclass(frozen=True)
class Compute:
    address: str  # TYPE.NAME
    file: str
    entry: str | None
    given: frozenset[str]


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _NAME.match(node.value):
        return node.value
    return None


def needed_names(tree: ast.AST) -> set[str]:
    """APP_* names a module reads without a default."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and (name := _literal(node.slice)):
            found.add(name)
        elif (isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords
              and (name := _literal(node.args[0]))):
            func = node.func
            attr = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if attr in ("get", "getenv"):
                found.add(name)
    return found


def _module_path(root: Path, module: str) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(tree: ast.AST) -> set[str]:
    """Modules a module imports, and those it names as ``"module:attribute"`` strings (the
    ASGI app uvicorn loads)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                (match := _IMPORT_STRING.match(node.value)):
            names.add(match.group(1))
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def import_closure(root: Path, entry: str) -> dict[str, ast.AST]:
    """{repository module: its parsed tree} of ``entry`` and every module it imports."""
    trees: dict[str, ast.AST] = {}
    todo = [entry]
    while todo:
        module = todo.pop()
        path = _module_path(root, module)
        if module in trees or path is None:
            continue
        trees[module] = tree = ast.parse(path.read_text())
        todo += sorted(_imports(tree) - set(trees))
    return trees


def code_needs(root: Path, entry: str) -> dict[str, set[str]]:
    """{APP_* name: repository modules that need it} over ``entry``'s import closure."""
    needs: dict[str, set[str]] = {}
    for module, tree in import_closure(root, entry).items():
        for name in needed_names(tree):
            needs.setdefault(name, set()).add(module)
    return needs


def _image_entry(root: Path) -> tuple[str | None, set[str]]:
    """(entry module of the image, APP_* names its ENV lines set)."""
    path = root / DOCKERFILE
    if not path.is_file():
        return None, set()
    text = path.read_text()
    entry = None
    for instruction in ("ENTRYPOINT", "CMD"):
        line = next((ln for ln in text.splitlines() if ln.startswith(instruction)), "")
        if match := _ENTRY.search(line):
            entry = match.group(1)
            break
    return entry, set(re.findall(r"\b(APP_[A-Z0-9_]+)=", text))


def computes(root: Path, tf_dir: Path) -> list[Compute]:
    """Every compute of the stack that runs the repository's image."""
    image_entry, image_env = _image_entry(root)
    found = []
    for path in sorted(tf_dir.glob("*.tf")):
        for type_, name, body in _BLOCK.findall(path.read_text()):
            if type_ not in COMPUTE_TYPES or not _IMAGE.search(body):
                continue
            match = _ENTRY.search(body)
            given = {a or b for a, b in _GIVEN.findall(body)} | image_env
            found.append(Compute(f"{type_}.{name}", str(path.relative_to(root)),
                                 match.group(1) if match else image_entry, frozenset(given)))
    return found


def runtime_env_problems(root: Path, cloud: str) -> tuple[list[str], int]:
    """(problems, computes checked) of the stack under ``infra/terraform/<cloud>``."""
    tf_dir = root / "infra" / "terraform" / cloud
    problems, checked = [], 0
    for compute in computes(root, tf_dir):
        if compute.entry is None or _module_path(root, compute.entry) is None:
            problems.append(f"{compute.file}: {compute.address} runs the image but its entry "
                            f"module {compute.entry or '(none)'} is not in the repository")
            continue
        checked += 1
        for name, modules in sorted(code_needs(root, compute.entry).items()):
            if name not in compute.given:
                problems.append(f"{compute.file}: {compute.address} runs {compute.entry}, whose "
                                f"{', '.join(sorted(modules))} reads {name}, but the compute is "
                                "not given it")
    return problems, checked
