"""Render ``infra/terraform/<cloud>/`` for exactly the planned managed services.

Each family template (see data/terraform_kinds.toml) defines three macros taking a
:class:`~agilab_lab.repogen.context.TfComponent`: ``variables``, ``resources`` and
``outputs``. Variables of all components go to variables.tf, outputs to outputs.tf, and each
component's resources to ``<label>.tf``; shared pieces (network, ML workspace) render once;
``iam.tf`` holds every identity's permissions and ``compliance.tf`` the compliance controls.
"""

from __future__ import annotations

from jinja2 import Environment

from .azure_dns import private_dns_zones
from .context import RenderContext
from .controls import (
    COMPLIANCE_FILE,
    REPORT,
    compliance_report,
    endpoint_services,
    render_compliance,
    selected_controls,
)
from .egress import (
    gcp_internet_computes,
    internet_computes,
    required_endpoints,
    service_ports,
    split_endpoints,
)
from .iam import IAM_FILE, key_users, render_aws_iam
from .iam_bindings import render_bindings
from .images import IMAGES_FILE, image_variables
from .tfvars import example_tfvars
from .workload import external_api

BASE_FILES = ("versions.tf", "providers.tf", "variables.tf", "main.tf", "outputs.tf")


def _join(chunks: list[str]) -> str:
    """Blank-line separated HCL blocks, each chunk stripped, with one final newline."""
    body = "\n\n".join(chunk.strip() for chunk in chunks if chunk.strip())
    return body + "\n" if body else ""


def _aws_network(env: Environment, ctx: RenderContext, variables: dict, controls: list,
                 files: dict[str, str]) -> str:
    """network.tf with the VPC endpoints the private computes need (plus the compliance set)."""
    text = "\n".join(files[path] for path in sorted(files))
    names = required_endpoints(text)
    if any(c.id == "aws_vpc_endpoints" for c in controls):
        names.update(endpoint_services(ctx))
    interface, gateway = split_endpoints(names)
    variables = {**variables, "interface_endpoints": interface, "gateway_endpoints": gateway,
                 "internet_computes": list(internet_computes(text)),
                 "service_ports": service_ports(text)}
    return _join([env.get_template("terraform/aws/shared/network.tf.j2").render(variables)])


def render_terraform(env: Environment, ctx: RenderContext, variables: dict) -> dict[str, str]:
    """Relative path -> HCL text of the cloud's Terraform root module."""
    root = f"infra/terraform/{ctx.cloud}"
    controls = selected_controls(ctx)
    extra_users = tuple(c.key_user for c in controls if c.key_user)
    variables = {**variables,
                 "kms_key_users": key_users(ctx, extra_users) if ctx.cloud == "aws" else []}
    base = {name: env.get_template(f"terraform/{ctx.cloud}/{name}.j2").render(variables)
            for name in BASE_FILES}
    declared, outputs = [base["variables.tf"]], [base["outputs.tf"]]
    files = {}
    for item in ctx.terraform:
        module = env.get_template(f"terraform/{item.kind.template}").make_module(variables)
        declared.append(str(module.variables(item)))
        outputs.append(str(module.outputs(item)))
        header = f"# {item.component.capability}: {item.component.service} ({item.kind.key})\n"
        files[f"{root}/{item.label}.tf"] = header + _join([str(module.resources(item))])
    shared = sorted({*ctx.shared, *(need for c in controls for need in c.needs),
                     *(["llm_api"] if ctx.cloud == "aws" and external_api(ctx) else [])})
    if ctx.cloud == "gcp":  # Cloud NAT for the Cloud Run resources that call the internet
        text = "\n".join(files[path] for path in sorted(files))
        variables = {**variables, "internet_computes": list(gcp_internet_computes(text))}
    for name in shared:
        if not (ctx.cloud == "aws" and name == "network"):  # rendered last: see below
            text = env.get_template(f"terraform/{ctx.cloud}/shared/{name}.tf.j2").render(variables)
            files[f"{root}/{name}.tf"] = _join([text])
    if image_variables("\n".join(declared)):  # the stack's registry (images.py)
        images = env.get_template(f"terraform/{ctx.cloud}/_images.j2").make_module(variables)
        files[f"{root}/{IMAGES_FILE}"] = _join([str(images.resources())])
        outputs.append(str(images.outputs()))
    base["variables.tf"] = _join(declared)
    base["outputs.tf"] = _join(outputs)
    files.update({f"{root}/{name}": _join([text]) for name, text in base.items()})
    iam = render_aws_iam(ctx) if ctx.cloud == "aws" else render_bindings(
        ctx, images=f"{root}/{IMAGES_FILE}" in files)
    if iam:
        files[f"{root}/{IAM_FILE}"] = iam
    if compliance := render_compliance(env, ctx, variables, controls):
        files[f"{root}/{COMPLIANCE_FILE}"] = compliance
    if ctx.cloud == "aws" and "network" in shared:
        files[f"{root}/network.tf"] = _aws_network(env, ctx, variables, controls, files)
    if controls:
        files[REPORT] = compliance_report(ctx, controls)
    if ctx.cloud == "azure" and (zones := private_dns_zones("\n".join(files.values()))):
        files[f"{root}/network.tf"] = _join([files[f"{root}/network.tf"], zones])
    files[f"{root}/example.tfvars"] = example_tfvars(
        "\n".join(files[path] for path in sorted(files)), cloud=ctx.cloud, slug=ctx.slug,
        region=ctx.region)
    return files
