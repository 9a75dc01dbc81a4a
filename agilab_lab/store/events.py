"""The append-only event log, hash-chained so that tampering is detectable.

Each row stores ``hash = sha256(prev_hash + canonical(record))`` where the record is the row's
owner, topic, kind and payload. ``verify_chain()`` recomputes the chain and names the first row
whose stored values no longer produce its hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from .db import Store
from .models import Event

GENESIS_HASH = "0" * 64
# Any fixed number: the advisory lock that serialises appends on PostgreSQL.
_PG_CHAIN_LOCK = 0x61676C62


def canonical(owner: str, topic: str, kind: str, payload: dict[str, Any]) -> str:
    record = {"owner": owner, "topic": topic, "kind": kind, "payload": payload}
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, owner: str, topic: str, kind: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(owner, topic, kind, payload)).encode()).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows_checked: int
    first_broken_id: int | None = None
    reason: str = ""


def event_to_dict(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "topic": event.topic,
        "kind": event.kind,
        "payload": event.payload,
        "ts": event.created_at.isoformat(),
    }


class EventLog:
    """Append and read events; one global chain across topics and owners."""

    def __init__(self, store: Store):
        self.store = store

    def append(
        self, owner: str, topic: str, kind: str, payload: dict[str, Any] | None = None,
        session: Session | None = None,
    ) -> Event:
        """Append one event. Pass ``session`` to commit it atomically with the change it records."""
        payload = json.loads(canonical(owner, topic, kind, payload or {}))["payload"]
        if session is not None:
            return self._append(session, owner, topic, kind, payload)
        with self.store.session() as own_session:
            return self._append(own_session, owner, topic, kind, payload)

    def _append(self, session: Session, owner: str, topic: str, kind: str, payload: dict) -> Event:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
        prev = session.execute(select(Event.hash).order_by(Event.id.desc()).limit(1)).scalar()
        prev = prev or GENESIS_HASH
        event = Event(
            owner=owner, topic=topic, kind=kind, payload=payload, prev_hash=prev,
            hash=chain_hash(prev, owner, topic, kind, payload),
        )
        session.add(event)
        session.flush()
        return event

    def since(self, topic: str, after_id: int = 0, *, owner: str | None = None, limit: int = 500) -> list[Event]:
        """Events of ``topic`` with an id greater than ``after_id``, oldest first."""
        query = select(Event).where(Event.topic == topic, Event.id > after_id)
        if owner is not None:
            query = query.where(Event.owner == owner)
        with self.store.session() as session:
            return list(session.scalars(query.order_by(Event.id).limit(limit)))

    def verify_chain(self, batch: int = 1000) -> ChainReport:
        """Recompute every hash in id order; report the first row that does not match."""
        prev, checked, last_id = GENESIS_HASH, 0, 0
        while True:
            with self.store.session() as session:
                rows = list(
                    session.scalars(select(Event).where(Event.id > last_id).order_by(Event.id).limit(batch))
                )
            if not rows:
                return ChainReport(ok=True, rows_checked=checked)
            for row in rows:
                if row.prev_hash != prev:
                    return ChainReport(False, checked, row.id, "prev_hash does not match the previous row")
                if chain_hash(prev, row.owner, row.topic, row.kind, row.payload) != row.hash:
                    return ChainReport(False, checked, row.id, "stored values do not produce the stored hash")
                prev, checked, last_id = row.hash, checked + 1, row.id
