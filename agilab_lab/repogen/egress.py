"""Private egress of an AWS stack (data/vpc_endpoints.toml).

The stack's VPC has no NAT gateway: each AWS API a private compute calls (its IAM grants, its
image pull, its log driver) is reached through a VPC endpoint. :func:`compute_needs` reads
the rendered Terraform (every ``.tf`` of the module, joined) and tells which endpoints each
private compute needs; the renderer declares their union in ``network.tf`` and the
``terraform_references`` gate (:func:`egress_problems`) fails a stack where one is missing.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

_BLOCK = r'^{kind} "{type}" "([\w-]+)" \{{\n(.*?)^\}}'
_ACTIONS = re.compile(r"actions\s*=\s*\[(.*?)\]", re.S)
_QUOTED = re.compile(r'"([^"]+)"')
_SERVICE = re.compile(r'service_name\s*=\s*"com\.amazonaws\.\$\{var\.region\}\.([\w.-]+)"')
_INTERFACE_SET = re.compile(r"interface_endpoints\s*=\s*toset\(\[(.*?)\]\)", re.S)
_POLICY_ROLE = re.compile(r"role\s*=\s*aws_iam_role\.([\w-]+)\.(?:id|name)")
_POLICY_DOC = re.compile(r"policy\s*=\s*data\.aws_iam_policy_document\.([\w-]+)\.json")


@cache
def egress_data() -> dict:
    text = resources.files("agilab_lab.repogen").joinpath("data/vpc_endpoints.toml").read_text()
    return tomllib.loads(text)


def _blocks(text: str, kind: str, type_: str) -> dict[str, str]:
    pattern = re.compile(_BLOCK.format(kind=kind, type=re.escape(type_)), re.M | re.S)
    return dict(pattern.findall(text))


def role_actions(text: str) -> dict[str, list[str]]:
    """IAM role name -> actions of its inline policies (aws_iam_role_policy + policy document)."""
    documents = {name: [a for chunk in _ACTIONS.findall(body) for a in _QUOTED.findall(chunk)]
                 for name, body in _blocks(text, "data", "aws_iam_policy_document").items()}
    result: dict[str, list[str]] = {}
    for body in _blocks(text, "resource", "aws_iam_role_policy").values():
        role, doc = _POLICY_ROLE.search(body), _POLICY_DOC.search(body)
        if role and doc:
            result.setdefault(role.group(1), []).extend(documents.get(doc.group(1), []))
    return result


def action_endpoints(action: str) -> list[str]:
    data = egress_data()
    if action in data["actions"]:
        return data["actions"][action]
    prefix = action.split(":", 1)[0]
    return data["prefixes"].get(prefix, [prefix])


def compute_needs(text: str) -> dict[str, set[str]]:
    """``type.name`` of each private compute -> the endpoints it needs."""
    actions = role_actions(text)
    needs: dict[str, set[str]] = {}
    for type_, spec in egress_data()["compute"].items():
        for name, body in _blocks(text, "resource", type_).items():
            if spec.get("vpc_only") and not re.search(rf"^\s*{spec['vpc_only']}\s*\{{", body, re.M):
                continue
            found = set(spec["runtime"])
            role = re.search(rf"{spec['role']}\s*=\s*aws_iam_role\.([\w-]+)\.arn", body)
            for action in actions.get(role.group(1), []) if role else []:
                if action.split(":", 1)[0] not in spec["ignore"]:
                    found.update(action_endpoints(action))
            needs[f"{type_}.{name}"] = found
    return needs


def declared_endpoints(text: str) -> set[str]:
    names = set(_SERVICE.findall(text))
    for chunk in _INTERFACE_SET.findall(text):
        names.update(_QUOTED.findall(chunk))
    return names


def has_nat_gateway(text: str) -> bool:
    return bool(re.search(r'^resource "aws_nat_gateway" ', text, re.M))


def split_endpoints(names: set[str]) -> tuple[list[str], list[str]]:
    """(interface, gateway) endpoint service names, sorted."""
    gateway = set(egress_data()["gateway"]["services"])
    return sorted(names - gateway), sorted(names & gateway)


def required_endpoints(text: str) -> set[str]:
    return {name for found in compute_needs(text).values() for name in found}


def egress_problems(text: str) -> list[str]:
    """One line per private compute calling an API it has no route to (no NAT, no endpoint)."""
    if has_nat_gateway(text):
        return []
    declared = declared_endpoints(text)
    return [f"{address} runs in the private subnets without NAT and needs VPC endpoint(s) "
            f"{', '.join(sorted(missing))}"
            for address, found in sorted(compute_needs(text).items())
            if (missing := found - declared)]
