"""Redis half of the ``consistency`` gate: every compute that reads the stack's Redis can
authenticate to it the way the provisioned cache demands, over TLS.

- What a cache demands is read from its own block: ElastiCache with transit encryption and an
  ``auth_token`` kept in a Secrets Manager secret (``token``); Memorystore with ``auth_enabled``
  and ``SERVER_AUTHENTICATION`` whose AUTH string a Secret Manager version holds (``token`` plus
  the instance's CA); Azure Cache for Redis with the non-TLS port and access keys off, Entra ID
  on (``entra``). A cache that accepts plaintext or unauthenticated clients is itself a problem.
- A compute reads Redis when its code needs ``APP_REDIS_HOST`` (:mod:`.runtime_env`); the cache
  it reads is the one its ``APP_REDIS_HOST`` names.
- ``token``: the compute is given ``APP_REDIS_AUTH_TOKEN`` from that very secret (ECS
  ``secrets`` valueFrom, Cloud Run ``secret_key_ref``) or, on a SageMaker model,
  ``APP_REDIS_AUTH_TOKEN_SECRET_ARN``; the identity that reads it may (AWS: the execution role,
  or the model's role, has ``secretsmanager:GetSecretValue`` on the secret, ``kms:Decrypt``
  when a key encrypts it; GCP: ``roles/secretmanager.secretAccessor`` on the secret for the
  service's account). ``entra``: a data access policy of the cache names the compute's identity.
- The client: every ``Redis(...)`` call in the compute's code passes ``ssl=True`` without
  turning verification off, and the credential the cache demands (``password=`` read from
  ``APP_REDIS_AUTH_TOKEN``, the CA for Memorystore, a ``credential_provider`` for Entra ID); a
  ``redis://`` URL is plaintext.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from ..workload import REDIS_CA_ENV, REDIS_TOKEN_ARN_ENV, REDIS_TOKEN_ENV
from .runtime_env import Compute, code_needs, computes, import_closure

# The names the generated client reads and the stack provides (one source: repogen/workload.py).
TOKEN_ENV, ARN_ENV, CA_ENV = REDIS_TOKEN_ENV, REDIS_TOKEN_ARN_ENV, REDIS_CA_ENV
CACHE_TYPES = ("aws_elasticache_replication_group", "google_redis_instance", "azurerm_redis_cache")
_BLOCK = re.compile(r'^(resource|data) "([a-z0-9_]+)" "([A-Za-z0-9_-]+)" \{\n(.*?)^\}', re.M | re.S)
_CACHE_REF = re.compile(rf"\b({'|'.join(CACHE_TYPES)})\.([\w-]+)\b")
_STATEMENT = re.compile(r"statement \{(.*?)\n  \}", re.S)


@dataclass(frozen=True)
class Cache:
    address: str
    auth: str  # "token" | "token_ca" | "entra"
    secret: str | None  # the secret resource holding the token (token auths)
    problems: tuple[str, ...]


def _attr(body: str, name: str) -> str | None:
    match = re.search(rf"^\s*{name}\s*=\s*(.+?)\s*$", body, re.M)
    return match.group(1) if match else None


def _blocks(text: str) -> dict[str, tuple[str, str]]:
    """``type.name`` (``data.type.name`` for data sources) -> (type, body)."""
    return {(f"data.{t}.{n}" if kind == "data" else f"{t}.{n}"): (t, body)
            for kind, t, n, body in _BLOCK.findall(text)}


def _version_secret(blocks: dict, version: str, attr: str) -> str | None:
    """The secret resource a secret-version block belongs to."""
    body = blocks.get(version, ("", ""))[1]
    match = re.search(rf"^\s*{attr}\s*=\s*([\w]+\.[\w-]+)\.id\b", body, re.M)
    return match.group(1) if match else None


def _cache(address: str, type_: str, body: str, blocks: dict) -> Cache:
    problems = []
    if type_ == "aws_elasticache_replication_group":
        if _attr(body, "transit_encryption_enabled") != "true":
            problems.append("has no transit encryption (clients send the token in clear)")
        token = re.match(r"(aws_secretsmanager_secret_version\.[\w-]+)\.secret_string$",
                         _attr(body, "auth_token") or "")
        secret = _version_secret(blocks, token.group(1), "secret_id") if token else None
        if secret is None:
            problems.append("has no auth_token kept in a Secrets Manager secret")
        return Cache(address, "token", secret, tuple(problems))
    if type_ == "google_redis_instance":
        if _attr(body, "auth_enabled") != "true":
            problems.append("has AUTH off (any client of the network may read it)")
        if _attr(body, "transit_encryption_mode") != '"SERVER_AUTHENTICATION"':
            problems.append("has no in-transit encryption")
        secret = next((_version_secret(blocks, a, "secret") for a, (t, b) in blocks.items()
                       if t == "google_secret_manager_secret_version"
                       and _attr(b, "secret_data") == f"{address}.auth_string"), None)
        if secret is None:
            problems.append("has no Secret Manager version holding its auth_string")
        return Cache(address, "token_ca", secret, tuple(problems))
    if _attr(body, "non_ssl_port_enabled") != "false":
        problems.append("opens its non-TLS port")
    if _attr(body, "access_keys_authentication_enabled") != "false" or \
            _attr(body, "active_directory_authentication_enabled") != "true":
        problems.append("is not Entra ID only (access keys on or Entra ID off)")
    return Cache(address, "entra", None, tuple(problems))


def _policy_statements(blocks: dict, role: str) -> list[tuple[set[str], set[str]]]:
    """(actions, resource expressions) of each statement of ``role``'s inline policies."""
    found = []
    for type_, body in blocks.values():
        if type_ != "aws_iam_role_policy" or _attr(body, "role") not in (f"aws_iam_role.{role}.id",
                                                                         f"aws_iam_role.{role}.name"):
            continue
        doc = re.match(r"data\.aws_iam_policy_document\.([\w-]+)\.json$", _attr(body, "policy") or "")
        doc_body = blocks.get(f"data.aws_iam_policy_document.{doc.group(1)}", ("", ""))[1] if doc else ""
        for chunk in _STATEMENT.findall(doc_body):
            actions = set(re.findall(r'"([\w-]+:[\w*]+)"', _attr(chunk, "actions") or ""))
            resources = {r.strip() for r in (_attr(chunk, "resources") or "").strip("[]").split(",")}
            found.append((actions, resources))
    return found


def _may(statements, action: str, resource: str) -> bool:
    return any(action in actions and resource in resources for actions, resources in statements)


def _aws_token_problems(compute: Compute, body: str, cache: Cache, blocks: dict) -> list[str]:
    secret_arn = f"{cache.secret}.arn"
    if compute.address.startswith("aws_ecs_task_definition."):
        secrets = re.search(r"\bsecrets\s*=\s*\[(.*?)\]", body, re.S)
        given = secrets and re.search(rf'name\s*=\s*"{TOKEN_ENV}"\s*,\s*valueFrom\s*=\s*'
                                      rf"{re.escape(secret_arn)}\s*\}}", secrets.group(1))
        what = f"{TOKEN_ENV} from `secrets` valueFrom {secret_arn}"
    else:  # a SageMaker model reads the secret itself, as its execution role
        given = re.search(rf"\b{ARN_ENV}\s*=\s*{re.escape(secret_arn)}\s*$", body, re.M)
        what = f"{ARN_ENV} = {secret_arn}"
    problems = [] if given else [f"is not given {what}"]
    # ECS reads `secrets` with the execution role; a SageMaker model runs as its execution role.
    role = re.search(r"execution_role_arn\s*=\s*aws_iam_role\.([\w-]+)\.arn", body)
    statements = _policy_statements(blocks, role.group(1)) if role else []
    who = f"its role aws_iam_role.{role.group(1)}" if role else "its role"
    if not _may(statements, "secretsmanager:GetSecretValue", secret_arn):
        problems.append(f"{who} may not secretsmanager:GetSecretValue on {secret_arn}")
    key = _attr(blocks.get(cache.secret, ("", ""))[1], "kms_key_id")
    if key and not _may(statements, "kms:Decrypt", key):
        problems.append(f"{who} may not kms:Decrypt with {key}, which encrypts the secret")
    return problems


def _gcp_token_problems(body: str, cache: Cache, blocks: dict) -> list[str]:
    secret_id = f"{cache.secret}.secret_id"
    problems = []
    if not re.search(rf'name\s*=\s*"{TOKEN_ENV}"\s*value_source\s*\{{\s*secret_key_ref\s*\{{\s*'
                     rf"secret\s*=\s*{re.escape(secret_id)}\s", body):
        problems.append(f"is not given {TOKEN_ENV} from secret_key_ref {secret_id}")
    account = re.search(r"service_account\s*=\s*(google_service_account\.[\w-]+)\.email", body)
    granted = account and any(
        t == "google_secret_manager_secret_iam_member" and _attr(b, "secret_id") == secret_id
        and _attr(b, "role") == '"roles/secretmanager.secretAccessor"'
        and f"{account.group(1)}.email" in (_attr(b, "member") or "") for t, b in blocks.values())
    if not granted:
        problems.append(f"its service account has no roles/secretmanager.secretAccessor on {secret_id}")
    return problems


def _entra_problems(compute: Compute, cache: Cache, blocks: dict) -> list[str]:
    principal = f"{compute.address}.identity[0].principal_id"
    if any(t == "azurerm_redis_cache_access_policy_assignment"
           and _attr(b, "redis_cache_id") == f"{cache.address}.id"
           and _attr(b, "object_id") == principal for t, b in blocks.values()):
        return []
    return [f"its identity has no data access policy on {cache.address} "
            "(azurerm_redis_cache_access_policy_assignment)"]


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _client_problems(root: Path, entry: str, auth: str) -> list[str]:
    """What the Redis client calls of ``entry``'s import closure lack for ``auth``."""
    problems, calls, names = [], [], set()
    for module, tree in import_closure(root, entry).items():
        names |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                  and isinstance(n.value, str) and n.value.startswith("APP_REDIS")}
        for node in ast.walk(tree):
            func = getattr(node, "func", None)
            attr = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if isinstance(node, ast.Call) and attr in ("Redis", "StrictRedis", "from_url"):
                calls.append((module, attr, node))
    for module, attr, call in calls:
        where = f"{module}: {attr}(...)"
        url = call.args[0] if call.args else _kw(call, "url")
        if attr == "from_url":
            if isinstance(url, ast.Constant) and str(url.value).startswith("redis://"):
                problems.append(f"{where} connects with a plaintext redis:// URL")
            continue
        ssl, reqs = _kw(call, "ssl"), _kw(call, "ssl_cert_reqs")
        if not (isinstance(ssl, ast.Constant) and ssl.value is True):
            problems.append(f"{where} does not pass ssl=True (the cache only speaks TLS)")
        if isinstance(reqs, ast.Constant) and reqs.value in (None, "none", "optional"):
            problems.append(f"{where} turns certificate verification off")
        if auth in ("token", "token_ca") and _kw(call, "password") is None:
            problems.append(f"{where} passes no password (the cache demands its AUTH token)")
        if auth == "token_ca" and _kw(call, "ssl_ca_data") is None and _kw(call, "ssl_ca_certs") is None:
            problems.append(f"{where} does not verify the server against the instance's CA")
        if auth == "entra" and _kw(call, "credential_provider") is None:
            problems.append(f"{where} has no credential_provider (the cache takes Entra ID tokens only)")
    if auth in ("token", "token_ca") and calls and TOKEN_ENV not in names:
        problems.append(f"the client never reads {TOKEN_ENV}, the name the stack provides")
    if auth == "token_ca" and calls and CA_ENV not in names:
        problems.append(f"the client never reads {CA_ENV}, the name the stack provides")
    if not calls:
        problems.append("no Redis client call found in its code")
    return problems


def redis_auth_problems(root: Path, cloud: str) -> tuple[list[str], int]:
    """(problems, Redis-reading computes checked) of the stack under ``infra/terraform/<cloud>``."""
    tf_dir = root / "infra" / "terraform" / cloud
    blocks = _blocks("\n".join(p.read_text() for p in sorted(tf_dir.glob("*.tf"))))
    caches = {a: _cache(a, t, b, blocks) for a, (t, b) in blocks.items() if t in CACHE_TYPES}
    problems = [f"{c.address} {p}" for c in caches.values() for p in c.problems]
    checked = 0
    for compute in computes(root, tf_dir):
        if compute.entry is None or "APP_REDIS_HOST" not in code_needs(root, compute.entry):
            continue
        body = blocks.get(compute.address, ("", ""))[1]
        host = body.partition("APP_REDIS_HOST")[2]
        ref = _CACHE_REF.search(host)
        cache = caches.get(f"{ref.group(1)}.{ref.group(2)}") if ref else None
        if cache is None:
            continue  # runtime_env reports a compute not given APP_REDIS_HOST
        checked += 1
        found = _client_problems(root, compute.entry, cache.auth)
        if cache.auth == "entra":
            found += _entra_problems(compute, cache, blocks)
        elif cache.secret and cloud == "aws":
            found += _aws_token_problems(compute, body, cache, blocks)
        elif cache.secret:
            found += _gcp_token_problems(body, cache, blocks)
        problems += [f"{compute.file}: {compute.address} reads {cache.address} but {p}"
                     for p in found]
    return problems, checked
