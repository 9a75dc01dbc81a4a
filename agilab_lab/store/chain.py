"""The hash chain of the event log: what a row's hash covers and how a whole log is checked.

``hash = sha256(prev_hash + canonical(row))`` where the canonical row holds every column of the
event: id, owner, topic, kind, payload and created_at (UTC, microseconds). Changing any of them,
deleting a row or re-ordering rows breaks the chain at that row. The head of the chain (last id,
last hash, row count) is anchored in ``event_heads`` in the same transaction as the append, so
deleting or rewriting the tail is detected too.

The Alembic migration that introduced this scheme (0002) keeps a frozen copy of ``row_hash``:
change the scheme only with a new migration that re-hashes the log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
STREAM = "global"  # one chain across topics and owners

# (owner, topic, kind, payload) of one event to append
EventSpec = tuple[str, str, str, dict[str, Any] | None]


_PLAIN = (str, int, float, bool, type(None))


def canonical_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """The payload as it reads back from the database (JSON round trip, keys as strings).

    A flat payload of strings and numbers (every log line) already is its JSON form: no round trip.
    """
    if not payload:
        return {}
    if all(type(k) is str and isinstance(v, _PLAIN) and v == v and v not in (float("inf"), float("-inf"))
           for k, v in payload.items()):
        return dict(payload)
    return json.loads(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str))


def timestamp(value: datetime) -> str:
    """``created_at`` as hashed: UTC, microseconds (SQLite returns it naive, PostgreSQL aware)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(event_id: int, owner: str, topic: str, kind: str, payload: dict[str, Any], stamp: str) -> str:
    """The hashed form of a row; ``stamp`` is ``timestamp(created_at)``."""
    record = {"id": event_id, "owner": owner, "topic": topic, "kind": kind, "payload": payload, "created_at": stamp}
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def row_hash(prev_hash: str, event_id: int, owner: str, topic: str, kind: str, payload: dict[str, Any],
             created_at: datetime | str) -> str:
    """``created_at`` as a datetime, or already as its ``timestamp`` (a batch formats it once)."""
    stamp = created_at if isinstance(created_at, str) else timestamp(created_at)
    material = prev_hash + canonical(event_id, owner, topic, kind, payload, stamp)
    return hashlib.sha256(material.encode()).hexdigest()


def chain_rows(prev: str, next_id: int, now: datetime, specs: Sequence[EventSpec]) -> list[dict[str, Any]]:
    """The rows that extend a chain ending at ``prev`` (next id ``next_id``) with ``specs``, in order.

    One function for both writers (the SQLAlchemy log and the light SQLite one of the CLI), so
    the two cannot hash differently.
    """
    stamp, rows = timestamp(now), []
    for owner, topic, kind, payload in specs:
        payload = canonical_payload(payload)
        digest = row_hash(prev, next_id, owner, topic, kind, payload, stamp)
        rows.append({"id": next_id, "owner": owner, "topic": topic, "kind": kind, "payload": payload,
                     "created_at": now, "prev_hash": prev, "hash": digest})
        prev, next_id = digest, next_id + 1
    return rows


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the log: ``ok``, or the first row that is not what was written."""

    ok: bool
    rows_checked: int
    first_broken_id: int | None = None
    reason: str = ""
    head_id: int | None = None
    head_hash: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ChainChecker:
    """Feed rows in id order; ``broken`` is set at the first row that does not verify."""

    def __init__(self) -> None:
        self.prev, self.count, self.last_id = GENESIS_HASH, 0, 0
        self.broken: tuple[int, str] | None = None

    def feed(self, row) -> bool:
        """Check one row (an ``Event``); False once the chain is broken."""
        if row.prev_hash != self.prev:
            self.broken = (row.id, "prev_hash does not match the previous row (a row was deleted or re-ordered)")
            return False
        expected = row_hash(self.prev, row.id, row.owner, row.topic, row.kind, row.payload, row.created_at)
        if expected != row.hash:
            self.broken = (row.id, "stored values do not produce the stored hash (the row was edited)")
            return False
        self.prev, self.count, self.last_id = row.hash, self.count + 1, row.id
        return True

    def report(self, head) -> ChainReport:
        """The verdict once every row is fed; ``head`` is the anchored ``EventHead`` (or None)."""
        head_id, head_hash = (head.last_id, head.last_hash) if head is not None else (None, None)
        if self.broken is not None:
            return ChainReport(False, self.count, *self.broken, head_id=head_id, head_hash=head_hash)
        if head is None:
            if self.count == 0:
                return ChainReport(True, 0)
            return ChainReport(False, self.count, self.last_id, "the log has events but no anchored head")
        problem = self._head_problem(head)
        if problem:
            return ChainReport(False, self.count, problem[0], problem[1], head_id, head_hash)
        return ChainReport(True, self.count, head_id=head_id, head_hash=head_hash)

    def _head_problem(self, head) -> tuple[int, str] | None:
        if head.last_id != self.last_id:
            if head.last_id > self.last_id:
                return (self.last_id + 1, f"the log ends at event {self.last_id} but its anchored head is "
                                          f"event {head.last_id}: the tail was deleted")
            return (head.last_id + 1, f"events after the anchored head {head.last_id} were not appended "
                                      "through the log")
        if head.last_hash != self.prev:
            return (self.last_id, "the last event's hash differs from the anchored head (the tail was rewritten)")
        if head.count != self.count:
            return (self.last_id, f"the anchored head counts {head.count} events, the log holds {self.count}")
        return None
