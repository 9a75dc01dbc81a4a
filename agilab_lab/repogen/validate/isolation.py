"""Network isolation half of the ``consistency`` gate: an isolated serving container can reach
nothing, so the code it runs must call nothing.

A SageMaker model with ``enable_network_isolation = true`` gets no network at all: not the
stack's VPC (its Redis, its OpenSearch domain), not the AWS APIs behind the VPC endpoints
(DynamoDB, the feature store runtime, Bedrock), not the internet; ``vpc_config`` does not
change that. The model deploys, and every request that looks up a feature or asks the LLM fails.

The gate fails such a compute when the import closure of its entry module (the same closure
as :mod:`.runtime_env`: every repository module it imports, parsed with :mod:`ast`, lazy
imports inside functions included) imports a network client (:data:`NETWORK_CLIENTS`), or when
its resource block gives it the address of a network service (:data:`NETWORK_SETTINGS`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .runtime_env import _BLOCK, _IMAGE, computes, import_closure

# Modules whose import means the code talks to another host (SDKs of the clouds' APIs, the
# feature stores' clients, HTTP clients, LLM SDKs).
NETWORK_CLIENTS = ("boto3", "botocore", "redis", "valkey", "httpx", "requests", "aiohttp",
                   "urllib.request", "http.client", "socket", "google.cloud", "google.genai",
                   "google.auth", "azure", "openai", "anthropic", "confluent_kafka", "kafka",
                   "opensearchpy", "psycopg", "pymongo")
# APP_* settings naming a network service's address (repogen/workload.py SERVICE_ENV).
NETWORK_SETTINGS = re.compile(r"\b(APP_(?:REDIS_HOST|FEATURE_TABLE|FEATURE_GROUP|FEATURE_VIEW|"
                              r"FEATURE_ENDPOINT|SEARCH_ENDPOINT|AZURE_OPENAI_ENDPOINT|"
                              r"LLM_BASE_URL|[A-Z0-9_]*_URL))\s*=")
_ISOLATED = re.compile(r"^\s*enable_network_isolation\s*=\s*true\b", re.M)


def _network_import(name: str) -> str | None:
    return next((c for c in NETWORK_CLIENTS if name == c or name.startswith(c + ".")), None)


def network_calls(root: Path, entry: str) -> dict[str, set[str]]:
    """{network client: repository modules importing it} over ``entry``'s import closure."""
    found: dict[str, set[str]] = {}
    for module, tree in import_closure(root, entry).items():
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module
                     and not node.level else [])
            for name in names:
                if client := _network_import(name):
                    found.setdefault(client, set()).add(module)
    return found


def _isolated_blocks(tf_dir: Path) -> dict[str, str]:
    """``TYPE.NAME`` -> body of every isolated compute that runs the repository's image."""
    found = {}
    for path in sorted(tf_dir.glob("*.tf")):
        for type_, name, body in _BLOCK.findall(path.read_text()):
            if _ISOLATED.search(body) and _IMAGE.search(body):
                found[f"{type_}.{name}"] = body
    return found


def isolation_problems(root: Path, cloud: str) -> list[str]:
    """One line per network-isolated compute whose code or settings need the network."""
    tf_dir = root / "infra" / "terraform" / cloud
    isolated = _isolated_blocks(tf_dir)
    problems = []
    for compute in computes(root, tf_dir):
        body = isolated.get(compute.address)
        if body is None or compute.entry is None:
            continue
        calls = network_calls(root, compute.entry)
        problems += [f"{compute.file}: {compute.address} runs with network isolation, but "
                     f"{', '.join(sorted(modules))} imports {client}: its calls cannot leave "
                     "the container (set enable_network_isolation = false and keep vpc_config)"
                     for client, modules in sorted(calls.items())]
        problems += [f"{compute.file}: {compute.address} runs with network isolation, but it is "
                     f"given {name}, the address of a service it cannot reach"
                     for name in sorted(set(NETWORK_SETTINGS.findall(body)))]
    return problems
