"""Least-privilege IAM of a generated AWS stack, from data/iam_aws.toml.

:func:`aws_role_policies` turns the planned components into one policy per role with the
statements its family needs, every resource resolved to an HCL expression naming the stack's
own resources; :func:`render_aws_iam` prints them as ``infra/terraform/aws/iam.tf``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .context import RenderContext
from .workload import EXTERNAL_KEY_KIND, EXTERNAL_KEY_LABEL, serving_secrets, stream_consumer

IAM_FILE = "iam.tf"


@dataclass(frozen=True)
class Statement:
    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]  # HCL expressions


@dataclass(frozen=True)
class RolePolicy:
    role: str  # the aws_iam_role resource name
    component: str
    statements: tuple[Statement, ...]


@cache
def iam_data() -> dict:
    text = resources.files("agilab_lab.repogen").joinpath("data/iam_aws.toml").read_text()
    return tomllib.loads(text)


def _expand(ref: str, label: str, labels_by_kind: dict[str, list[str]]) -> list[str]:
    spec = iam_data()["refs"][ref]
    if isinstance(spec, str):
        return [spec.replace("{label}", label)]
    matches = [lbl for kind in spec["kinds"] for lbl in labels_by_kind.get(kind, [])]
    if spec.get("once"):
        matches = matches[:1]
    return [spec["expr"].replace("{label}", lbl) for lbl in matches]


def _statements(role: dict, label: str, labels_by_kind: dict[str, list[str]]) -> list[Statement]:
    raw = [s for group in role.get("use", []) for s in iam_data()["groups"][group]]
    raw += role.get("statements", [])
    merged: dict[str, Statement] = {}
    for item in raw:
        exprs = [e for ref in item["resources"] for e in _expand(ref, label, labels_by_kind)]
        if not exprs:
            continue  # nothing of that kind in this stack
        previous = merged.get(item["sid"])
        actions = tuple(dict.fromkeys((*(previous.actions if previous else ()), *item["actions"])))
        found = tuple(dict.fromkeys((*(previous.resources if previous else ()), *exprs)))
        merged[item["sid"]] = Statement(item["sid"], actions, found)
    return list(merged.values())


def aws_role_policies(ctx: RenderContext) -> list[RolePolicy]:
    """One policy per role of the planned AWS components, in plan order."""
    labels_by_kind: dict[str, list[str]] = {}
    for item in ctx.terraform:
        labels_by_kind.setdefault(item.kind.key, []).append(item.label)
    if any(s["label"] == EXTERNAL_KEY_LABEL for s in serving_secrets(ctx)):
        labels_by_kind[EXTERNAL_KEY_KIND] = [EXTERNAL_KEY_LABEL]  # the public LLM API's key
    kinds = iam_data()["kinds"]
    consumer = stream_consumer(ctx)
    policies = []
    for item in ctx.terraform:
        for role in kinds.get(item.kind.key, {}).get("roles", []):
            if role.get("consumer") and item.label != consumer:
                continue  # the stream consumer's role exists only where the consumer runs
            statements = _statements(role, item.label, labels_by_kind)
            if statements:
                policies.append(RolePolicy(f"{item.label}{role['suffix']}", item.label,
                                           tuple(statements)))
    return policies


def key_users(ctx: RenderContext, extra: tuple[str, ...] = ()) -> list[dict]:
    """Key-policy statements for the services that use the stack's key themselves."""
    users = iam_data()["key_users"]
    keys = [*dict.fromkeys(t.kind.key for t in ctx.terraform), *extra]
    seen, result = set(), []
    for key in keys:
        for item in users.get(key, []):
            if item["sid"] not in seen:
                seen.add(item["sid"])
                result.append(item)
    return result


def _hcl_list(values: tuple[str, ...], *, quoted: bool) -> str:
    items = [f'"{v}"' if quoted else v for v in values]
    return "[" + ", ".join(items) + "]"


def render_aws_iam(ctx: RenderContext) -> str:
    """HCL of iam.tf (empty when no planned component has a role)."""
    policies = aws_role_policies(ctx)
    if not policies:
        return ""
    chunks = ["# Least-privilege permissions of every role (repogen/data/iam_aws.toml): each\n"
              "# statement names the stack's own resources; \"*\" only where AWS has no\n"
              "# resource-level scope for the action."]
    for policy in policies:
        chunks.append(
            f'resource "aws_iam_role_policy" "{policy.role}" {{\n'
            f'  name   = "least-privilege"\n'
            f"  role   = aws_iam_role.{policy.role}.id\n"
            f"  policy = data.aws_iam_policy_document.{policy.role}_permissions.json\n}}")
        body = []
        for st in policy.statements:
            body.append(f"  statement {{\n    sid       = \"{st.sid}\"\n"
                        f"    actions   = {_hcl_list(st.actions, quoted=True)}\n"
                        f"    resources = {_hcl_list(st.resources, quoted=False)}\n  }}")
        chunks.append(f'data "aws_iam_policy_document" "{policy.role}_permissions" {{\n'
                      + "\n\n".join(body) + "\n}")
    return "\n\n".join(chunks) + "\n"
