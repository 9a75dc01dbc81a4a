"""Reference check of the generated Terraform (python-hcl2, offline, every cloud).

Per module (each directory of ``.tf`` files under ``infra/terraform``): every ``var.X``,
``local.X``, ``TYPE.NAME``, ``data.TYPE.NAME`` and ``module.X`` reference resolves to a
declaration of the same module; every local module call passes its required inputs and no
input the module does not declare; every declared variable is used; ``example.tfvars`` sets
only declared variables; no variable takes the id or name of a network, subnet or security
group (the stack brings its own network, so nothing refers to ids that may not exist); every
private AWS compute has a VPC endpoint (or a NAT gateway) for each AWS API it calls
(:mod:`agilab_lab.repogen.egress`). It is what ``terraform validate`` would catch on GCP and Azure
stacks, whose providers are not available offline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..egress import egress_problems
from .base import CheckResult, missing_tool

NAME = "terraform_references"
# Resource types are recognised by their provider's prefix, so that for-expression and
# dynamic-block iterators (``rule.value``) are not taken for resources.
PROVIDERS = ("aws", "google", "azurerm", "azuread", "random", "tls", "time", "archive", "null",
             "local", "http", "external")
_IDENT = r"[A-Za-z_][\w-]*"
_VAR = re.compile(rf"(?<![\w.])(var|local|module)\.({_IDENT})(?:\.({_IDENT}))?")
_DATA = re.compile(rf"(?<![\w.])data\.({_IDENT})\.({_IDENT})")
_RESOURCE = re.compile(rf"(?<![\w.])((?:{'|'.join(PROVIDERS)})_[a-z0-9_]+)\.({_IDENT})")
# A variable named like this takes a network from outside the stack.
_NETWORK_INPUT = re.compile(r"(^|_)(vpc|vnet|network|subnetwork|subnet|nsg|security_group)s?"
                            r"(_[a-z]+)*_(id|ids|name|names|association_id)$|(^|_)subnet(work)?s?$")
_META_ARGS = {"source", "version", "count", "for_each", "providers", "depends_on"}


@dataclass
class Module:
    """Declarations and references of one Terraform module directory."""

    variables: dict[str, bool] = field(default_factory=dict)  # name -> required
    locals: set[str] = field(default_factory=set)
    resources: set[str] = field(default_factory=set)
    data: set[str] = field(default_factory=set)
    modules: dict[str, dict] = field(default_factory=dict)  # name -> call arguments
    outputs: set[str] = field(default_factory=set)
    refs: list[tuple[str, str]] = field(default_factory=list)  # (file, reference)


def _label(key: str) -> str:
    return key.strip('"')


def _blocks(parsed: dict, kind: str):
    """``(labels..., body)`` of every block of ``kind`` (python-hcl2 nests labels as dicts)."""
    for block in parsed.get(kind, []):
        for first, body in block.items():
            if kind in ("resource", "data"):
                for second, inner in body.items():
                    yield _label(first), _label(second), inner
            else:
                yield _label(first), body


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _expressions(text: str):
    """The ``${...}`` spans of a parsed value (literal text around them is not code)."""
    start = text.find("${")
    while start != -1:
        depth, end = 0, start + 1
        while end < len(text):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
            end += 1
        yield text[start + 2:end]
        start = text.find("${", end)


def _references(parsed: dict) -> set[str]:
    found = set()
    for text in _strings(parsed):
        for expr in _expressions(text):
            for kind, name, attr in _VAR.findall(expr):
                found.add(f"{kind}.{name}" + (f".{attr}" if kind == "module" and attr else ""))
            found |= {f"data.{t}.{n}" for t, n in _DATA.findall(expr)}
            found |= {f"{t}.{n}" for t, n in _RESOURCE.findall(expr)}
    return found


def load_module(directory: Path) -> Module:
    import hcl2

    module = Module()
    for path in sorted(directory.glob("*.tf")):
        parsed = hcl2.loads(path.read_text())
        for name, body in _blocks(parsed, "variable"):
            module.variables[name] = "default" not in body
        for block in parsed.get("locals", []):
            module.locals |= {k for k in block if not k.startswith("__")}
        module.resources |= {f"{t}.{n}" for t, n, _ in _blocks(parsed, "resource")}
        module.data |= {f"data.{t}.{n}" for t, n, _ in _blocks(parsed, "data")}
        module.modules.update(dict(_blocks(parsed, "module")))
        module.outputs |= {name for name, _ in _blocks(parsed, "output")}
        module.refs += [(path.name, ref) for ref in sorted(_references(parsed))]
    return module


def _source(call: dict) -> str:
    source = call.get("source", "")
    source = source[0] if isinstance(source, list) and source else source
    return str(source).strip('"')


def _module_problems(directory: Path, module: Module, children: dict[str, Module]) -> list[str]:
    problems = []
    for name, call in module.modules.items():
        source = _source(call)
        if not source.startswith(("./", "../")):
            continue  # a registry module: its inputs are not known offline
        child = children.get(str((directory / source).resolve()))
        if child is None:
            problems.append(f'module "{name}": source {source} holds no Terraform files')
            continue
        passed = {k for k in call if not k.startswith("__")} - _META_ARGS
        missing = sorted(v for v, required in child.variables.items() if required and v not in passed)
        unknown = sorted(passed - set(child.variables))
        problems += [f'module "{name}": required input {v} is not passed' for v in missing]
        problems += [f'module "{name}": input {v} is not a variable of {source}' for v in unknown]
    return problems


def _resolve(ref: str, module: Module, children: dict[str, Module], directory: Path) -> bool:
    kind, name, *rest = ref.split(".")
    if kind == "var":
        return name in module.variables
    if kind == "local":
        return name in module.locals
    if kind == "data":
        return ref in module.data
    if kind == "module":
        if name not in module.modules:
            return False
        child = children.get(str((directory / _source(module.modules[name])).resolve()))
        return child is None or not rest or rest[0] in child.outputs
    return ref in module.resources


def _tfvars_problems(directory: Path, module: Module) -> list[str]:
    import hcl2

    problems = []
    for path in sorted(directory.glob("*.tfvars")):
        for name in sorted(k for k in hcl2.loads(path.read_text()) if not k.startswith("__")):
            if name not in module.variables:
                problems.append(f"{path.name}: sets {name}, which no variable declares")
    return problems


def module_problems(directory: Path, module: Module, children: dict[str, Module]) -> list[str]:
    """Every problem of one module (dangling references, module inputs, unused variables)."""
    problems = [f"{file}: {ref} is not declared in this module" for file, ref in module.refs
                if not _resolve(ref, module, children, directory)]
    problems += _module_problems(directory, module, children)
    used = {ref.split(".")[1] for _, ref in module.refs if ref.startswith("var.")}
    problems += [f"variable {v} is declared but never used" for v in sorted(set(module.variables) - used)]
    problems += [f"variable {v} takes a network from outside the stack: render the network instead"
                 for v in sorted(module.variables) if _NETWORK_INPUT.search(v)]
    return problems + _tfvars_problems(directory, module)


def check_references(root: Path) -> CheckResult:
    try:
        import hcl2  # noqa: F401  (validate extra)
    except ImportError:
        return missing_tool(NAME, "python-hcl2")
    dirs = sorted({p.parent for p in root.glob("infra/terraform/**/*.tf") if ".terraform" not in p.parts})
    if not dirs:
        return CheckResult(name=NAME, passed=False, details="no Terraform files found")
    modules = {str(d.resolve()): load_module(d) for d in dirs}
    problems: dict[str, list[str]] = defaultdict(list)
    for directory in dirs:
        found = module_problems(directory, modules[str(directory.resolve())], modules)
        found += egress_problems("\n".join(p.read_text() for p in sorted(directory.glob("*.tf"))))
        if found:
            problems[str(directory.relative_to(root))] = found
    lines = [f"{where}: {p}" for where, found in problems.items() for p in found]
    refs = sum(len(m.refs) for m in modules.values())
    return CheckResult(name=NAME, passed=not lines,
                       details="\n".join(lines) or f"{refs} references in {len(dirs)} modules resolve",
                       summary={"modules": len(dirs), "references": refs, "problems": lines})
