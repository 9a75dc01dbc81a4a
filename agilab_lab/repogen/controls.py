"""Compliance controls as code (data/controls.toml).

Each compliance framework and data class of the constraints maps, per cloud, to concrete
controls; each control is implemented by Terraform (``compliance.tf``, or a file every stack
has) and listed in ``reports/compliance.md`` with the file that implements it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from jinja2 import Environment

from .context import RenderContext

COMPLIANCE_FILE = "compliance.tf"
REPORT = "reports/compliance.md"


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    file: str  # relative to infra/terraform/<cloud>/
    template: str | None
    needs: tuple[str, ...]
    key_user: str | None
    satisfies: str
    triggered_by: tuple[str, ...]


@cache
def controls_data() -> dict:
    text = resources.files("agilab_lab.repogen").joinpath("data/controls.toml").read_text()
    return tomllib.loads(text)


def selected_controls(ctx: RenderContext) -> list[Control]:
    """The controls the constraints call for on the plan's cloud, in a stable order."""
    data = controls_data()
    triggers = data["triggers"].get(ctx.cloud, {})
    constraints = ctx.spec.constraints
    asked = sorted({c.lower() for c in constraints.compliance} | set(constraints.data_classes))
    by_id: dict[str, list[str]] = {}
    for name in asked:
        for control_id in triggers.get(name, []):
            by_id.setdefault(control_id, []).append(name)
            for required in data["controls"][control_id].get("requires", []):
                by_id.setdefault(required, []).append(name)
    result = []
    for control_id in sorted(by_id):
        spec = data["controls"][control_id]
        result.append(Control(
            id=control_id, title=spec["title"], file=spec.get("file", COMPLIANCE_FILE),
            template=spec.get("template"), needs=tuple(spec.get("needs", [])),
            key_user=spec.get("key_user"), satisfies=spec["satisfies"],
            triggered_by=tuple(sorted(set(by_id[control_id])))))
    return result


def endpoint_services(ctx: RenderContext) -> list[str]:
    endpoints = controls_data()["endpoints"]
    names = set(endpoints["base"])
    for item in ctx.terraform:
        names.update(endpoints.get(item.kind.key, []))
    return sorted(names)


def render_compliance(env: Environment, ctx: RenderContext, variables: dict,
                      controls: list[Control]) -> str:
    """HCL of compliance.tf: every templated control, in order (empty when none)."""
    chunks = [env.get_template(f"terraform/{c.template}").render(variables).strip()
              for c in controls if c.template]
    return "\n\n".join(chunks) + "\n" if chunks else ""


def compliance_report(ctx: RenderContext, controls: list[Control]) -> str:
    """reports/compliance.md: each control, why it is there and the file implementing it."""
    root = f"infra/terraform/{ctx.cloud}"
    lines = [f"# Compliance controls: {ctx.spec.project_name} v{ctx.spec.version}", "",
             "| control | implemented in | required by | satisfies |", "|---|---|---|---|"]
    for c in controls:
        lines.append(f"| {c.title} (`{c.id}`) | [`{root}/{c.file}`](../{root}/{c.file}) | "
                     f"{', '.join(c.triggered_by)} | {c.satisfies} |")
    return "\n".join(lines) + "\n"
