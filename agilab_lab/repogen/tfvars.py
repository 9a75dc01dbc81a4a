"""``example.tfvars``: a value for every Terraform variable that has no default.

The values are placeholders of the right shape (an image URI, an S3 URL, an email, ...) so
``terraform plan -var-file=example.tfvars`` runs as generated; a team replaces them (or passes
its own file) before a real apply. Derived from the rendered variables, deterministically.
"""

from __future__ import annotations

import re

_VARIABLE = re.compile(r'^variable "(\w+)" \{\n(.*?)^\}', re.MULTILINE | re.DOTALL)
_TYPE = re.compile(r"^\s*type\s*=\s*(.+?)\s*$", re.MULTILINE)
_DEFAULT = re.compile(r"^\s*default\s*=", re.MULTILINE)


def required_variables(hcl: str) -> list[tuple[str, str]]:
    """(name, type) of each variable block without a default, in file order."""
    result = []
    for match in _VARIABLE.finditer(hcl):
        body = match.group(2)
        if _DEFAULT.search(body):
            continue
        type_match = _TYPE.search(body)
        result.append((match.group(1), type_match.group(1) if type_match else "string"))
    return result


def _image(cloud: str, slug: str, region: str) -> str:
    return {"aws": f"123456789012.dkr.ecr.{region}.amazonaws.com/{slug}:0.1.0",
            "gcp": f"{region}-docker.pkg.dev/example-project/{slug}/{slug}:0.1.0",
            "azure": f"example.azurecr.io/{slug}:0.1.0"}[cloud]


def example_value(name: str, type_: str, *, cloud: str, slug: str, region: str) -> str:
    """HCL literal of a placeholder for variable ``name``."""
    if type_.startswith(("list", "set", "tuple")):
        return "[]"
    if type_.startswith(("map", "object")):
        return "{}"
    if type_ == "number":
        return "1"
    if type_ == "bool":
        return "false"
    if name.endswith(("_image_uri", "_image")):
        text = _image(cloud, slug, region)
    elif name.endswith("_store_uri") and cloud == "aws":  # an S3 prefix (offline store, MLflow)
        text = f"s3://{slug}-artifacts/{name.removesuffix('_uri').replace('_', '-')}/"
    elif name.endswith("_bucket_arn") and cloud == "aws":  # a bucket of the team's platform
        text = f"arn:aws:s3:::{slug}-{name.removesuffix('_arn').replace('_', '-')}"
    elif name.endswith(("_data_url", "_artifact_uri")):
        text = f"s3://{slug}-artifacts/model/model.tar.gz" if cloud == "aws" else \
            f"gs://{slug}-artifacts/model/" if cloud == "gcp" else \
            f"https://example.blob.core.windows.net/{slug}/model/"
    elif name.endswith("_email"):
        text = "ml-platform-oncall@example.com"
    elif name == "subscription_id":
        text = "00000000-0000-0000-0000-000000000000"
    elif name.endswith("_subnet_id"):
        text = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example/"
                "providers/Microsoft.Network/virtualNetworks/example/subnets/example")
    elif name == "gcp_project_id":
        text = "example-project"
    else:
        text = f"example-{name.replace('_', '-')}"
    return f'"{text}"'


def example_tfvars(hcl: str, *, cloud: str, slug: str, region: str) -> str:
    """The text of example.tfvars for the variables declared in ``hcl``."""
    lines = ["# Placeholder values for the variables without a default: replace them before a",
             "# real apply. `terraform plan -var-file=example.tfvars` runs as generated."]
    required = required_variables(hcl)
    width = max((len(name) for name, _ in required), default=0)
    for name, type_ in required:
        value = example_value(name, type_, cloud=cloud, slug=slug, region=region)
        lines.append(f"{name.ljust(width)} = {value}")
    if not required:
        lines.append("# (every variable has a default)")
    return "\n".join(lines) + "\n"
