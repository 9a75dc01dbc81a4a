"""The designer as a LangGraph ``StateGraph``.

    extract -> clarify -> plan -> critics --(findings, < 3 rounds)--> plan
                  ^  |                |--(3 rounds failed)--> infeasible -> policy
                  +--+ (essentials    +--(passed)--> policy
                        missing)
    policy -> sections --(policy passed)--> approval --(approve)--> generate
                       --(failed or infeasible)--> END;   approval --(reject | revise)--> END

The critics run once per round; the sections (the report) are written once, for the final
plan, from the critics' and the policy's results. Nodes compute; they never decide a
decision set's status (``agents.lifecycle`` does, from where the graph stopped).
``clarify`` and ``approval`` pause with ``interrupt()``; resume with
``Command(resume=...)`` on the same ``thread_id`` (the decision-set id), also from another
process: the checkpointer (SQLite in the home by default, Postgres with a Postgres
database) holds the state. Importing this module imports LangGraph (~1.4 s): import it
lazily from anything on the Jupyter server's start path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.graph import END, START, StateGraph

from .feasibility import MAX_ROUNDS
from .nodes import (
    approval_node,
    clarify_node,
    critics_node,
    essentials_missing,
    extract_node,
    generate_node,
    infeasible_node,
    plan_node,
    policy_node,
    sections_node,
)
from .state import CHECKPOINT_TYPES, DesignContext, DesignState


def route_after_clarify(state: DesignState) -> str:
    return "clarify" if essentials_missing(state.constraints) else "plan"


def route_after_critics(state: DesignState) -> str:
    passed = state.technical.passed and state.cost.passed
    if passed:
        return "policy"
    return "infeasible" if state.round >= MAX_ROUNDS else "plan"


def route_after_sections(state: DesignState) -> str:
    return "approval" if state.policy.passed and state.infeasible is None else END


def route_after_approval(state: DesignState) -> str:
    return "generate" if state.approval and state.approval.decision == "approve" else END


def build_graph() -> StateGraph:
    graph = StateGraph(DesignState, context_schema=DesignContext)
    for name, node in (("extract", extract_node), ("clarify", clarify_node), ("plan", plan_node),
                       ("critics", critics_node), ("infeasible", infeasible_node), ("policy", policy_node),
                       ("sections", sections_node), ("approval", approval_node), ("generate", generate_node)):
        graph.add_node(name, node)
    graph.add_edge(START, "extract")
    graph.add_edge("extract", "clarify")
    graph.add_conditional_edges("clarify", route_after_clarify, ["clarify", "plan"])
    graph.add_edge("plan", "critics")
    graph.add_conditional_edges("critics", route_after_critics, ["plan", "infeasible", "policy"])
    graph.add_edge("infeasible", "policy")
    graph.add_edge("policy", "sections")
    graph.add_conditional_edges("sections", route_after_sections, ["approval", END])
    graph.add_conditional_edges("approval", route_after_approval, ["generate", END])
    graph.add_edge("generate", END)
    return graph


def serializer() -> JsonPlusSerializer:
    """Checkpoint serializer that may rebuild exactly the designer's own types."""
    return JsonPlusSerializer(allowed_msgpack_modules=[(t.__module__, t.__name__) for t in CHECKPOINT_TYPES])


@contextmanager
def open_checkpointer(home: Path, database_url: str | None = None) -> Iterator[object]:
    """Postgres saver when the database is Postgres, else SQLite at ``home/checkpoints.sqlite``."""
    if database_url and database_url.startswith(("postgresql", "postgres")):
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg import Connection
        from psycopg.rows import dict_row

        url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
        with Connection.connect(url, autocommit=True, prepare_threshold=0, row_factory=dict_row) as conn:
            saver = PostgresSaver(conn, serde=serializer())
            saver.setup()
            yield saver
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    home.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(home / "checkpoints.sqlite", check_same_thread=False, timeout=30)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        yield SqliteSaver(conn, serde=serializer())
    finally:
        conn.close()


@lru_cache(maxsize=1)
def _compiled():
    """The designer graph, compiled once per process; runs bind a checkpointer to a copy."""
    return build_graph().compile()


def compile_graph(checkpointer: object):
    return _compiled().copy(update={"checkpointer": checkpointer})


@contextmanager
def checkpointed_graph(home: Path, database_url: str | None = None) -> Iterator[object]:
    """The compiled graph bound to the lab's checkpointer for the duration of one run."""
    with open_checkpointer(home, database_url) as saver:
        yield compile_graph(saver)


__all__ = ["DesignContext", "DesignState", "build_graph", "checkpointed_graph", "compile_graph", "open_checkpointer",
           "serializer"]
