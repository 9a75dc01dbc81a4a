"""Vertex AI Feature Store half of the ``consistency`` gate: online serving reads something.

A ``google_vertex_ai_feature_online_store`` serves nothing by itself: online serving reads a
*feature view* of it, synced from a BigQuery source. The gate fails a stack whose online store
has no feature view bound (``feature_online_store``) to it with a ``big_query_source`` naming a
BigQuery table of the stack and its entity id column, and a compute whose code needs
``APP_FEATURE_VIEW`` whose value is not such a feature view's id (a literal, or another resource,
reads nothing or the wrong thing; :mod:`.runtime_env` already fails one not given it at all).
"""

from __future__ import annotations

import re
from pathlib import Path

from .runtime_env import code_needs, computes

STORE = "google_vertex_ai_feature_online_store"
VIEW = "google_vertex_ai_feature_online_store_featureview"
ENV = "APP_FEATURE_VIEW"
_BLOCK = re.compile(r'^resource "([a-z0-9_]+)" "([A-Za-z0-9_-]+)" \{\n(.*?)^\}', re.M | re.S)
_SOURCE = re.compile(r"big_query_source\s*\{(.*?)\n  \}", re.S)


def _view_problems(views: dict[str, str], stores: list[str], tables: set[str]) -> list[str]:
    problems = []
    for store in stores:
        bound = {name: body for name, body in views.items()
                 if re.search(rf"feature_online_store\s*=\s*{STORE}\.{store}\.name\b", body)}
        if not bound:
            problems.append(f"{STORE}.{store} has no feature view: online serving reads nothing")
        for name, body in bound.items():
            source = _SOURCE.search(body)
            table = source and re.search(r"\bgoogle_bigquery_table\.([\w-]+)\.", source.group(1))
            if not table or table.group(1) not in tables:
                problems.append(f"{VIEW}.{name} has no big_query_source on a BigQuery table of "
                                "the stack")
            elif not re.search(r"entity_id_columns\s*=\s*\[\s*\"\w+\"", source.group(1)):
                problems.append(f"{VIEW}.{name} names no entity id column")
    return problems


def feature_view_problems(root: Path, cloud: str) -> list[str]:
    """Problems of the Vertex feature store stack under ``infra/terraform/<cloud>`` (GCP only)."""
    tf_dir = root / "infra" / "terraform" / cloud
    if cloud != "gcp":
        return []
    blocks = _BLOCK.findall("\n".join(p.read_text() for p in sorted(tf_dir.glob("*.tf"))))
    views = {name: body for type_, name, body in blocks if type_ == VIEW}
    stores = [name for type_, name, _ in blocks if type_ == STORE]
    tables = {name for type_, name, _ in blocks if type_ == "google_bigquery_table"}
    problems = _view_problems(views, stores, tables)
    bodies = {f"{type_}.{name}": body for type_, name, body in blocks}
    for compute in computes(root, tf_dir):
        if compute.entry is None or ENV not in code_needs(root, compute.entry) \
                or ENV not in compute.given:
            continue
        value = bodies.get(compute.address, "").partition(f'"{ENV}"')[2]
        match = re.search(r"value\s*=\s*(\S+)", value)
        view = match and re.match(rf"{VIEW}\.([\w-]+)\.id$", match.group(1))
        if not view or view.group(1) not in views:
            problems.append(f"{compute.file}: {compute.address} is given {ENV} = "
                            f"{match.group(1) if match else '?'}, not the id of a feature view "
                            "of the stack")
    return problems
