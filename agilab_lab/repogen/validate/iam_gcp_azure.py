"""GCP and Azure halves of the ``iam_least_privilege`` gate (HCL only; no provider offline).

GCP: every service account is a member of at least one IAM binding; no primitive role
(owner/editor/viewer), no admin role on the whole project, no public member; every service
that encrypts with the stack's key has its service agent granted on that key; a Cloud Run
service, job or worker pool that consumes a Pub/Sub subscription of the stack (its env names
it) runs as a service account with roles/pubsub.subscriber on that subscription.
Azure: every managed identity (user-assigned, or system-assigned on a resource) has at least
one role assignment; no Owner/Contributor/User Access Administrator; no assignment on the whole
subscription; every identity of a resource encrypted with the stack's key can use the key; a
Container App that consumes an event hub of the stack has Azure Event Hubs Data Receiver on that
hub (or its namespace).
"""

from __future__ import annotations

import re
from pathlib import Path

from .iam_aws import _blocks, _first, _flat

# GCP resource type prefix -> substrings one of which names its service agent in a key binding.
GCP_KEY_AGENTS = {
    "google_storage_bucket": ("google_storage_project_service_account", "gs-project-accounts"),
    "google_bigquery_dataset": ("bigquery-encryption", "google_bigquery_default_service_account"),
    "google_bigquery_table": ("bigquery-encryption", "google_bigquery_default_service_account"),
    "google_pubsub_topic": ("gcp-sa-pubsub",),
    "google_vertex_ai": ("gcp-sa-aiplatform",),
    "google_sql_database_instance": ("gcp-sa-cloud-sql", "_sql.email"),
    "google_redis_instance": ("cloud-redis",),
    "google_composer_environment": ("cloudcomposer-accounts",),
    "google_dataflow": ("dataflow-service-producer-prod", "compute-system"),
    "google_artifact_registry_repository": ("gcp-sa-artifactregistry",),
    "google_managed_kafka_cluster": ("gcp-sa-managedkafka",),
    "google_cloud_run_v2": ("serverless-robot-prod",),
}
GCP_PRIMITIVE = {"roles/owner", "roles/editor", "roles/viewer"}
GCP_PUBLIC = ("allUsers", "allAuthenticatedUsers")
AZURE_BROAD = {"Owner", "Contributor", "User Access Administrator"}
GCP_RUNTIMES = ("google_cloud_run_v2_worker_pool", "google_cloud_run_v2_service",
                "google_cloud_run_v2_job")
GCP_STREAM_READER = "roles/pubsub.subscriber"
AZURE_STREAM_READER = "Azure Event Hubs Data Receiver"
AZURE_KEY_ROLES = {"Key Vault Crypto Service Encryption User", "Key Vault Crypto User"}


def _parse(tf_dir: Path) -> tuple[dict, dict]:
    import hcl2

    parsed = [hcl2.loads(p.read_text()) for p in sorted(tf_dir.glob("*.tf"))]
    return _blocks(parsed, "resource"), _blocks(parsed, "data")


def _uses_key(body: dict, key: str) -> bool:
    return key in str({k: v for k, v in body.items() if not k.startswith("__")})


def _gcp_consumer_findings(resources: dict, bindings: list[tuple[str, str, dict]],
                           members: dict[str, str]) -> list[str]:
    found = []
    for type_ in GCP_RUNTIMES:
        for name, body in sorted(resources.get(type_, {}).items()):
            text = str(body)
            account = re.search(r"google_service_account\.([A-Za-z0-9_]+)\.email", text)
            for subscription in sorted(resources.get("google_pubsub_subscription", {})):
                if f"google_pubsub_subscription.{subscription}." not in text:
                    continue
                granted = account and any(
                    t == "google_pubsub_subscription_iam_member"
                    and f"google_pubsub_subscription.{subscription}." in str(b.get("subscription"))
                    and str(_first(b.get("role", ""))) == GCP_STREAM_READER
                    and f"google_service_account.{account.group(1)}." in members[f"{t}.{n}"]
                    for t, n, b in bindings)
                if not granted:
                    found.append(f"{type_}.{name} consumes google_pubsub_subscription."
                                 f"{subscription} but its service account "
                                 f"{account.group(1) if account else '(default)'} has no "
                                 f"{GCP_STREAM_READER} on it")
    return found


def gcp_findings(tf_dir: Path) -> tuple[list[str], dict]:
    resources, _ = _parse(tf_dir)
    bindings = [(type_, name, body) for type_, items in resources.items()
                if re.search(r"_iam_(member|binding)$", type_) for name, body in items.items()]
    members = {f"{t}.{n}": " ".join(str(m) for m in _flat(b.get("member", b.get("members", []))))
               for t, n, b in bindings}
    findings = []
    accounts = sorted(resources.get("google_service_account", {}))
    for account in accounts:
        if not any(f"google_service_account.{account}." in m for m in members.values()):
            findings.append(f"service account {account} has no IAM binding (no permissions)")
    for type_, name, body in bindings:
        role = str(_first(body.get("role", "")))
        if role in GCP_PRIMITIVE:
            findings.append(f"{type_}.{name}: primitive role {role}")
        if type_.startswith("google_project_iam") and role.endswith(".admin"):
            findings.append(f"{type_}.{name}: admin role {role} on the whole project")
        if any(p in members[f"{type_}.{name}"] for p in GCP_PUBLIC):
            findings.append(f"{type_}.{name}: public member")
    key_members = " ".join(m for k, m in members.items() if k.startswith("google_kms_crypto_key_iam"))
    for type_, items in sorted(resources.items()):
        agents = next((v for prefix, v in GCP_KEY_AGENTS.items() if type_.startswith(prefix)), None)
        for name, body in sorted(items.items()):
            if agents and _uses_key(body, "google_kms_crypto_key.main") and \
                    not any(a in key_members for a in agents):
                findings.append(f"{type_}.{name} is encrypted with google_kms_crypto_key.main but "
                                f"its service agent ({agents[0]}) has no grant on the key")
    findings += _gcp_consumer_findings(resources, bindings, members)
    return findings, {"service_accounts": len(accounts), "bindings": len(bindings)}


def _azure_identities(resources: dict) -> dict[str, str]:
    """identity label -> the expression its principal id is referred to by."""
    found = {f"azurerm_user_assigned_identity.{n}": f"azurerm_user_assigned_identity.{n}.principal_id"
             for n in resources.get("azurerm_user_assigned_identity", {})}
    for type_, items in resources.items():
        for name, body in items.items():
            for block in body.get("identity", []):
                if "SystemAssigned" in str(_first(block.get("type", ""))):
                    found[f"{type_}.{name}"] = f"{type_}.{name}.identity[0].principal_id"
    return found


def _azure_consumer_findings(resources: dict, assignments: dict) -> list[str]:
    found = []
    for app, body in sorted(resources.get("azurerm_container_app", {}).items()):
        principal = f"azurerm_container_app.{app}.identity[0].principal_id"
        for hub in sorted(resources.get("azurerm_eventhub", {})):
            if f"azurerm_eventhub.{hub}." not in str(body.get("template", "")):
                continue
            scopes = (f"azurerm_eventhub.{hub}.id", f"azurerm_eventhub_namespace.{hub}.id")
            if not any(str(_first(a.get("role_definition_name", ""))) == AZURE_STREAM_READER
                       and principal in str(_first(a.get("principal_id", "")))
                       and any(s in str(_first(a.get("scope", ""))) for s in scopes)
                       for a in assignments.values()):
                found.append(f"azurerm_container_app.{app} consumes azurerm_eventhub.{hub} but "
                             f"its identity has no {AZURE_STREAM_READER} on it")
    return found


def azure_findings(tf_dir: Path) -> tuple[list[str], dict]:
    resources, _ = _parse(tf_dir)
    assignments = resources.get("azurerm_role_assignment", {})
    findings = []
    identities = _azure_identities(resources)
    roles_of: dict[str, set[str]] = {label: set() for label in identities}
    for name, body in sorted(assignments.items()):
        role = str(_first(body.get("role_definition_name", "")))
        scope = str(_first(body.get("scope", "")))
        principal = str(_first(body.get("principal_id", "")))
        if role in AZURE_BROAD:
            findings.append(f"azurerm_role_assignment.{name}: broad role {role}")
        if "azurerm_subscription" in scope or re.fullmatch(r"/subscriptions/[^/]+/?", scope):
            findings.append(f"azurerm_role_assignment.{name}: scoped to the whole subscription")
        for label, ref in identities.items():
            if ref in principal:
                roles_of[label].add(role)
    for label, roles in sorted(roles_of.items()):
        if not roles:
            findings.append(f"identity of {label} has no role assignment (no permissions)")
    for label in sorted(identities):
        type_, _, name = label.partition(".")
        body = resources.get(type_, {}).get(name, {})
        if type_ != "azurerm_user_assigned_identity" and \
                _uses_key(body, "azurerm_key_vault_key.main") and not roles_of[label] & AZURE_KEY_ROLES:
            findings.append(f"{label} is encrypted with azurerm_key_vault_key.main but its "
                            "identity cannot use the key")
    findings += _azure_consumer_findings(resources, assignments)
    return findings, {"identities": len(identities), "role_assignments": len(assignments)}
