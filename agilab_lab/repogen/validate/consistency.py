"""The ``consistency`` gate: the repository still implements the plan it was priced for.

``reports/plan.json`` is the approved plan as rendered: each component with its priced
sizing, the file that provisions it (Terraform or the compose file), its code files and the
Terraform variables whose defaults carry the priced sizing. The gate fails when

- a priced component has no IaC or no code, or a named IaC/code file is missing or empty;
- a Terraform sizing variable's default differs from the priced value, or the variable is
  no longer used by the component's file; the region default differs from the plan's;
- a compute that runs the repository's image is not given an ``APP_*`` variable its code
  needs (:mod:`.runtime_env`);
- a network-isolated compute (SageMaker ``enable_network_isolation``) runs code that calls
  the network or is given a service's address (:mod:`.isolation`);
- a compute that reads the stack's Redis cannot authenticate to it the way the cache demands,
  or its client does not use TLS (:mod:`.redis_auth`);
- a Vertex AI online store has no feature view synced from a BigQuery table of the stack, or
  a compute is given ``APP_FEATURE_VIEW`` that is not such a view (:mod:`.feature_views`);
- a link in README.md, docs/*.md or reports/*.md (``[text](path)`` or a backticked
  ``dir/file`` path) points to a file that is not in the repository.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from .base import CheckResult
from .feature_views import feature_view_problems
from .isolation import isolation_problems
from .redis_auth import redis_auth_problems
from .runtime_env import runtime_env_problems

PLAN_FILE = "reports/plan.json"
VARIABLE_BLOCK = re.compile(r'^variable "([A-Za-z0-9_-]+)" \{\n(.*?)^\}', re.M | re.S)
DEFAULT = re.compile(r"^\s*default\s*=\s*(.+?)\s*$", re.M)
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE_PATH = re.compile(r"`([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+/?)`")


def _value(text: str):
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1]
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def variable_defaults(tf_dir: Path) -> dict[str, object]:
    """``{variable: default}`` of every variable with a literal default under ``tf_dir``."""
    defaults = {}
    for path in sorted(tf_dir.glob("*.tf")):
        for name, body in VARIABLE_BLOCK.findall(path.read_text()):
            match = DEFAULT.search(body)
            if match:
                defaults[name] = _value(match.group(1))
    return defaults


def _compose_services(root: Path) -> set[str]:
    path = root / "infra" / "docker" / "compose.yaml"
    if not path.is_file():
        return set()
    data = yaml.safe_load(path.read_text()) or {}
    return set((data.get("services") or {}).keys())


def _file_problem(root: Path, path: str, what: str) -> str | None:
    target = root / path
    if not target.is_file():
        return f"{what} {path} is missing"
    if not target.read_text().strip():
        return f"{what} {path} is empty"
    return None


def _component_problems(root: Path, comp: dict, defaults: dict, services: set[str],
                        module_text: str) -> list[str]:
    name, problems = comp.get("capability", "?"), []
    priced = float(comp.get("monthly_usd") or 0.0) > 0
    iac = comp.get("iac")
    if not iac:
        if priced:
            problems.append(f"{name}: priced at ${comp['monthly_usd']:,.2f}/month but nothing "
                            "in the repository provisions it")
    elif problem := _file_problem(root, iac, f"{name}: IaC file"):
        problems.append(problem)
    elif iac.endswith(".tf") and not re.search(r'^resource "', (root / iac).read_text(), re.M):
        problems.append(f"{name}: {iac} declares no resource")
    elif comp.get("compose_service") and comp["compose_service"] not in services:
        problems.append(f"{name}: compose service {comp['compose_service']!r} is missing")
    if priced and not comp.get("code"):
        problems.append(f"{name}: priced but no code file implements it")
    for path in comp.get("code", []):
        if problem := _file_problem(root, path, f"{name}: code file"):
            problems.append(problem)
    for variable, priced_value in sorted((comp.get("terraform_variables") or {}).items()):
        if variable not in defaults:
            problems.append(f"{name}: Terraform variable {variable} (priced {priced_value}) "
                            "has no default")
        elif defaults[variable] != priced_value:
            problems.append(f"{name}: {variable} defaults to {defaults[variable]} but the plan "
                            f"priced {priced_value}")
        elif iac and not re.search(rf"\bvar\.{re.escape(variable)}\b", module_text):
            problems.append(f"{name}: the Terraform module no longer uses var.{variable}")
    return problems


def link_problems(root: Path) -> list[str]:
    """Links of the repository's markdown that point nowhere."""
    problems = []
    docs = sorted((root / "docs").glob("**/*.md")) + sorted((root / "reports").glob("*.md"))
    for doc in [root / "README.md", *docs]:
        if not doc.is_file():
            continue
        text = doc.read_text()
        relative = doc.relative_to(root)
        targets = [(doc.parent, t) for t in MD_LINK.findall(text)]
        targets += [(root, t) for t in CODE_PATH.findall(text)]
        for base, target in targets:
            target = target.split("#", 1)[0]
            if not target or re.match(r"^[a-z]+:", target):
                continue  # an anchor or an absolute URL
            if not (base / target).resolve().is_relative_to(root) or not (base / target).exists():
                problems.append(f"{relative} links {target}, which is not in the repository")
    return sorted(set(problems))


def check_consistency(root: Path) -> CheckResult:
    plan_path = root / PLAN_FILE
    if not plan_path.is_file():
        return CheckResult(name="consistency", passed=False, details=f"no {PLAN_FILE}")
    plan = json.loads(plan_path.read_text())
    tf_dir = root / "infra" / "terraform" / plan["cloud"]
    defaults = variable_defaults(tf_dir)
    module_text = "\n".join(p.read_text() for p in sorted(tf_dir.glob("*.tf")))
    problems = []
    if defaults.get("region") != plan["region"]:
        problems.append(f"var.region defaults to {defaults.get('region')} but the plan's region "
                        f"is {plan['region']}")
    services = _compose_services(root)
    components = plan.get("components", [])
    if any("iac" not in comp for comp in components):
        problems.append(f"{PLAN_FILE} has no implementation map (generated by an older version)")
    for comp in components:
        problems += _component_problems(root, comp, defaults, services, module_text)
    env_problems, runtimes = runtime_env_problems(root, plan["cloud"])
    redis_problems, redis_readers = redis_auth_problems(root, plan["cloud"])
    problems += (env_problems + isolation_problems(root, plan["cloud"]) + redis_problems
                 + feature_view_problems(root, plan["cloud"]) + link_problems(root))
    checked = sum(len(c.get("terraform_variables") or {}) for c in components)
    details = "\n".join(problems) or (f"{len(components)} components, {checked} sizing "
                                      f"variables, the environment of {runtimes} computes, the "
                                      f"Redis auth of {redis_readers} and every report link "
                                      "match the plan")
    return CheckResult(name="consistency", passed=not problems, details=details,
                       summary={"components": len(components), "sizing_variables": checked,
                                "runtimes": runtimes, "redis_readers": redis_readers,
                                "problems": problems})
