"""The append-only event log, hash-chained and anchored so that tampering is detectable.

Each row stores ``hash = sha256(prev_hash + canonical(row))`` over every column (see
:mod:`agilab_lab.store.chain`); the chain's head is kept in ``event_heads`` and moved in the same
transaction as the rows. ``append_many`` writes a batch in one transaction (one lock, one head
update); ``verify_chain()`` recomputes the chain and names the first row that is not what was
written, including a deleted or rewritten tail.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from .chain import GENESIS_HASH, STREAM, ChainChecker, ChainReport, EventSpec, chain_rows
from .db import Store
from .models import Event, EventHead, utcnow

__all__ = ["GENESIS_HASH", "ChainReport", "EventLog", "EventSpec", "event_to_dict"]

# Any fixed number: the advisory lock that serialises appends on PostgreSQL.
_PG_CHAIN_LOCK = 0x61676C62


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
        return Event(**self.append_many([(owner, topic, kind, payload)], session=session)[0])

    def append_many(self, specs: Sequence[EventSpec], session: Session | None = None) -> list[dict[str, Any]]:
        """Append events in order, in one transaction (``session``'s, or a new one); their rows.

        Rows, not ``Event`` objects: building an ORM object per log line cost as much as writing it.
        """
        if not specs:
            return []
        if session is not None:
            return self._append(session, specs)
        with self.store.session() as own_session:
            return self._append(own_session, specs)

    def _append(self, session: Session, specs: Sequence[EventSpec]) -> list[dict[str, Any]]:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
        head = _head_for_update(session)
        now = utcnow()
        rows = chain_rows(head.last_hash, head.last_id + 1, now, specs)
        # One executemany (Core): the ORM's unit of work cost ~5x more per row on log-heavy runs.
        session.execute(insert(Event), rows)
        head.last_id, head.last_hash, head.count = rows[-1]["id"], rows[-1]["hash"], head.count + len(rows)
        head.updated_at = now
        session.flush()
        return rows

    def since(self, topic: str, after_id: int = 0, *, owner: str | None = None, limit: int = 500) -> list[Event]:
        """Events of ``topic`` with an id greater than ``after_id``, oldest first."""
        query = select(Event).where(Event.topic == topic, Event.id > after_id)
        if owner is not None:
            query = query.where(Event.owner == owner)
        with self.store.read() as session:
            return list(session.scalars(query.order_by(Event.id).limit(limit)))

    def head(self) -> EventHead | None:
        with self.store.session() as session:
            return session.get(EventHead, STREAM)

    def verify_chain(self, batch: int = 1000) -> ChainReport:
        """Recompute every hash in id order, then check the anchored head; report the first bad row."""
        checker, last_id = ChainChecker(), 0
        while True:
            with self.store.session() as session:
                rows = list(
                    session.scalars(select(Event).where(Event.id > last_id).order_by(Event.id).limit(batch))
                )
            if not rows:
                break
            if not all(checker.feed(row) for row in rows):
                break
            last_id = rows[-1].id
        return checker.report(self.head())


def _head_for_update(session: Session) -> EventHead:
    """The chain's head row; created from the last event when a database predates the anchor."""
    # populate_existing: read the row under the lock even if this session saw it before.
    head = session.get(EventHead, STREAM, populate_existing=True)
    if head is not None:
        return head
    last = session.execute(select(Event.id, Event.hash).order_by(Event.id.desc()).limit(1)).first()
    count = session.scalar(select(func.count()).select_from(Event)) or 0
    head = EventHead(stream=STREAM, last_id=last.id if last else 0,
                     last_hash=last.hash if last else GENESIS_HASH, count=count)
    session.add(head)
    return head
