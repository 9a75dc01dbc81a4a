"""What implements each planned component in the generated repository: its IaC file, its
code files and the Terraform variables that carry its priced sizing.

The same map is written to ``reports/plan.json`` (one entry per component, plan order) and
linked from ``docs/architecture.md``; the ``consistency`` gate of ``agilab-lab validate``
checks it against the files of the repository.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from .context import RenderContext
from .kinds import is_terraform_kind
from .sizing import priced_sizing, terraform_sizing
from .workload import external_api, families

COMPOSE_FILE = "infra/docker/compose.yaml"


@cache
def _data() -> dict:
    text = resources.files("agilab_lab.repogen").joinpath("data/implementation.toml").read_text()
    return tomllib.loads(text)


def _category(capability: str, kind_category: str | None) -> str | None:
    by_capability = _data()["capabilities"].get(capability.lower())
    if kind_category in (None, "database", "llm"):
        return by_capability or kind_category
    return kind_category


def code_files(ctx: RenderContext, capability: str, kind_category: str | None) -> list[str]:
    """Generated code files that implement a component of this capability / family category."""
    category = _category(capability, kind_category)
    if category == "serving" and not ctx.features.online:
        category = "batch"
    files = list(_data()["code"].get(category or "", []))
    for family, on in sorted(families(ctx).items()):
        if on:
            files += _data().get("family_code", {}).get(family, {}).get(category or "", [])
    return files


def implementation_map(ctx: RenderContext, compose_names: dict[int, str]) -> list[dict]:
    """Per planned component (plan order): IaC file, code files, priced sizing, TF variables.

    ``compose_names`` maps ``id()`` of a component of ``ctx.containers`` to its compose
    service name (components without a known image have none).
    """
    root = f"infra/terraform/{ctx.cloud}"
    managed, containers = iter(ctx.terraform), iter(ctx.containers)
    external = external_api(ctx)
    entries = []
    for component in ctx.spec.plan.components:
        entry = {"capability": component.capability, "service": component.service,
                 "sizing": priced_sizing(component.sizing), "terraform_variables": {},
                 "iac": None, "compose_service": None}
        if is_terraform_kind(component.terraform_kind):
            item = next(managed)
            entry["iac"] = f"{root}/{item.label}.tf"
            entry["sizing"] = priced_sizing(item.component.sizing)
            entry["terraform_variables"] = terraform_sizing(item.kind.key, item.label,
                                                            item.component.sizing)
            entry["code"] = code_files(ctx, component.capability, item.kind.category)
        else:
            service = compose_names.get(id(next(containers)))
            entry["iac"] = COMPOSE_FILE if service else None
            entry["compose_service"] = service
            entry["code"] = code_files(ctx, component.capability, None)
            if external and component.service == external["service"]:
                # A public API: the stack provisions the route to it (the NAT of network.tf)
                entry["iac"], entry["external_api"] = f"{root}/network.tf", external["url"]
        entries.append(entry)
    return entries
