"""GCP IAM bindings and Azure role assignments of a generated stack (data/iam_gcp.toml,
data/iam_azure.toml), rendered as ``infra/terraform/<cloud>/iam.tf``."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from .context import RenderContext
from .workload import stream_consumer


@cache
def _data(cloud: str) -> dict:
    text = resources.files("agilab_lab.repogen").joinpath(f"data/iam_{cloud}.toml").read_text()
    return tomllib.loads(text)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _labels_by_kind(ctx: RenderContext) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in ctx.terraform:
        found.setdefault(item.kind.key, []).append(item.label)
    return found


def _targets(scope: dict, label: str, by_kind: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(target suffix, expression template with {target}/{label} filled) per scoped resource."""
    if "kinds" not in scope:
        return [("", label)]
    return [(target, target) for kind in scope["kinds"] for target in by_kind.get(kind, [])]


def _block(type_: str, name: str, attrs: dict[str, str], skip: str | None = None) -> str:
    width = max(len(k) for k in attrs)
    body = "\n".join(f"  {k.ljust(width)} = {v}" for k, v in attrs.items())
    accepted = f"  #checkov:skip={skip}\n" if skip else ""
    return f'resource "{type_}" "{name}" {{\n{accepted}{body}\n}}'


def _gcp_accounts(ctx: RenderContext) -> list[tuple[str, str, dict]]:
    """(service account label, component label, its [kinds]/[consumers] entry) per account."""
    data, consumer = _data("gcp"), stream_consumer(ctx)
    found = []
    for item in ctx.terraform:
        if (kind := data["kinds"].get(item.kind.key)) is not None:
            found.append((item.label, item.label, kind))
        if item.label == consumer and item.kind.key in data.get("consumers", {}):
            found.append((f"{item.label}_consumer", item.label, data["consumers"][item.kind.key]))
    return found


def gcp_binding_name(account: str, role: str, target: str) -> str:
    """Resource name of the binding of ``role`` for ``account`` on the component ``target``."""
    return _slug(f"{account}_{role.removeprefix('roles/')}_{target}")


def gcp_secret_grants(ctx: RenderContext, account: str) -> list[str]:
    """Addresses of the bindings that let ``account`` read the serving secrets (a Cloud Run
    revision depends on them: without access to its secrets it never becomes ready)."""
    scope = _data("gcp")["scopes"]["serving_secrets"]
    return [f'{scope["type"]}.{gcp_binding_name(account, "roles/secretmanager.secretAccessor", t)}'
            for kind in scope["kinds"] for t in _labels_by_kind(ctx).get(kind, [])]


def _gcp_blocks(ctx: RenderContext, images: bool) -> list[str]:
    data, by_kind = _data("gcp"), _labels_by_kind(ctx)
    blocks, seen = [], set()
    for account, label, kind in _gcp_accounts(ctx):
        entries = [b for g in kind.get("use", []) for b in data["groups"][g]] + kind.get("bindings", [])
        member = f'"serviceAccount:${{google_service_account.{account}.email}}"'
        for entry in entries:
            scope = data["scopes"][entry["on"]]
            for suffix, target in _targets(scope, label, by_kind):
                name = gcp_binding_name(account, entry["role"], suffix)
                if name in seen:
                    continue
                seen.add(name)
                attrs = {k: v.replace("{target}", target).replace("{label}", label)
                         for k, v in scope["attrs"].items()}
                blocks.append(_block(scope["type"], name,
                                     {**attrs, "role": f'"{entry["role"]}"', "member": member},
                                     entry.get("checkov_skip")))
    agents = dict.fromkeys([*(a for item in ctx.terraform
                              for a in data["key_agents"].get(item.kind.key, [])),
                            *(a for _, _, kind in _gcp_accounts(ctx)
                              for a in kind.get("key_agents", [])),
                            *(["artifactregistry"] if images else [])])  # images.tf
    for agent in agents:
        blocks.append(_block("google_kms_crypto_key_iam_member", f"key_agent_{agent}", {
            "crypto_key_id": "google_kms_crypto_key.main.id",
            "role": '"roles/cloudkms.cryptoKeyEncrypterDecrypter"',
            "member": f'"{data["agents"][agent]}"'}))
    return blocks


def _azure_identities(ctx: RenderContext) -> list[tuple[str, str, str, list[dict]]]:
    """(identity name, component label, principal id expression, assignments) per identity."""
    data, consumer = _data("azure"), stream_consumer(ctx)
    found = []
    for item in ctx.terraform:
        kind = data["kinds"].get(item.kind.key)
        if kind is not None:
            principal = data["identities"][item.kind.key].replace("{label}", item.label)
            found.append((item.label, item.label, principal, kind["assignments"]))
        if item.label == consumer and (entry := data.get("consumers", {}).get(item.kind.key)):
            found.append((f"{item.label}_consumer", item.label,
                          entry["identity"].replace("{label}", item.label), entry["assignments"]))
    if "ml_workspace" in ctx.shared:
        found.append(("ml_workspace", "ml_workspace", data["identities"]["shared.ml_workspace"],
                      data["shared"]["ml_workspace"]["assignments"]))
    return found


def _azure_blocks(ctx: RenderContext) -> list[str]:
    data, by_kind = _data("azure"), _labels_by_kind(ctx)
    blocks, seen = [], set()
    for identity, label, principal, assignments in _azure_identities(ctx):
        for entry in assignments:
            scope = data["scopes"][entry["on"]]
            for suffix, target in _targets(scope, label, by_kind):
                name = _slug(f"{identity}_{entry['role']}_{suffix or entry['on']}")
                if name in seen:
                    continue
                seen.add(name)
                blocks.append(_block("azurerm_role_assignment", name, {
                    "scope": scope["expr"].replace("{target}", target).replace("{label}", label),
                    "role_definition_name": f'"{entry["role"]}"',
                    "principal_id": principal}))
    return blocks


HEADERS = {
    "gcp": "# Least-privilege IAM (repogen/data/iam_gcp.toml): each service account gets predefined\n"
           "# roles on the stack's own resources (the project only where GCP has no narrower\n"
           "# scope); the service agents of CMEK-encrypted services get the stack's key.",
    "azure": "# Least-privilege role assignments (repogen/data/iam_azure.toml): each managed identity\n"
             "# gets built-in data-plane roles on the stack's own resources; never Owner/Contributor.",
}


def render_bindings(ctx: RenderContext, *, images: bool = False) -> str:
    """HCL of iam.tf for a GCP or Azure stack (empty when nothing needs a binding); ``images``:
    the stack has its image registry (images.tf), whose service agent needs the key."""
    blocks = _gcp_blocks(ctx, images) if ctx.cloud == "gcp" else _azure_blocks(ctx)
    return "\n\n".join([HEADERS[ctx.cloud], *blocks]) + "\n" if blocks else ""
