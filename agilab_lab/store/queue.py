"""A durable job queue in the database, with leases, retries, backoff and a dead letter.

Claiming is one atomic statement: ``UPDATE ... WHERE id = (SELECT ... LIMIT 1) RETURNING`` on
SQLite (whose IMMEDIATE transactions serialise writers) and the same with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL. An expired lease makes the job claimable again; the
attempt number is a fencing token, so a worker whose lease was taken over cannot complete it.

Execution domains: a queue built with ``domain`` stamps the jobs it enqueues with it and claims
and reaps only jobs of that domain (a queue without one: only jobs without one). See
:mod:`agilab_lab.jobs.domain`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import Store
from .models import Job, new_id, utcnow

TERMINAL = ("succeeded", "dead", "cancelled")


@dataclass(frozen=True)
class ClaimedJob:
    id: str
    kind: str
    key: str
    owner: str
    payload: dict[str, Any]
    attempt: int
    max_attempts: int
    lease_owner: str


class JobQueue:
    """Enqueue, claim, heartbeat, complete and fail jobs stored in ``jobs``."""

    def __init__(
        self, store: Store, *, clock: Callable[[], datetime] = utcnow,
        backoff_base_s: float = 2.0, backoff_max_s: float = 300.0, domain: str | None = None,
    ):
        self.store = store
        self.domain = domain
        self.clock = clock
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s

    def enqueue(
        self, kind: str, payload: dict[str, Any], *, owner: str, key: str | None = None,
        max_attempts: int = 3, delay_s: float = 0.0, session: Session | None = None,
    ) -> Job:
        """Add a job; a job with the same ``key`` is returned instead of being added twice.

        With ``session`` the job joins the caller's unit of work: it exists exactly when the
        caller's other writes (a decision set's status transition) commit.
        """
        key = key or new_id()
        now = self.clock()
        try:
            with self._unit(session) as unit:
                existing = unit.scalar(select(Job).where(Job.key == key))
                if existing is not None:
                    return existing
                job = Job(
                    kind=kind, key=key, owner=owner, payload=payload, max_attempts=max_attempts, domain=self.domain,
                    run_after=now + timedelta(seconds=delay_s), created_at=now, updated_at=now,
                )
                unit.add(job)
                unit.flush()
            return job
        except IntegrityError:  # a concurrent enqueue of the same key won
            if session is not None:
                raise
            with self.store.session() as session:
                return session.scalars(select(Job).where(Job.key == key)).one()

    @contextmanager
    def _unit(self, session: Session | None) -> Iterator[Session]:
        if session is not None:
            yield session
            return
        with self.store.session() as own:
            yield own

    def claim(
        self, worker_id: str, *, lease_s: float = 60.0, kinds: list[str] | None = None
    ) -> ClaimedJob | None:
        """Take the oldest runnable job of this domain (queued and due, or with an expired lease).

        Jobs whose lease expired on their last attempt are not claimed: :meth:`reap` ends them.
        """
        now = self.clock()
        claimable = or_(
            and_(Job.status == "queued", Job.run_after <= now),
            and_(Job.status == "running", Job.lease_expires_at < now),
        )
        pick = select(Job.id).where(claimable, Job.attempts < Job.max_attempts, self._in_domain())
        if kinds:
            pick = pick.where(Job.kind.in_(kinds))
        pick = pick.order_by(Job.run_after, Job.created_at).limit(1)
        with self.store.session() as session:
            if session.get_bind().dialect.name == "postgresql":
                pick = pick.with_for_update(skip_locked=True)
            row = session.execute(
                update(Job)
                .where(Job.id == pick.scalar_subquery())
                .values(
                    status="running", lease_owner=worker_id, attempts=Job.attempts + 1,
                    lease_expires_at=now + timedelta(seconds=lease_s), updated_at=now,
                )
                .returning(Job.id, Job.kind, Job.key, Job.owner, Job.payload, Job.attempts, Job.max_attempts)
            ).first()
        if row is None:
            return None
        return ClaimedJob(row.id, row.kind, row.key, row.owner, row.payload, row.attempts, row.max_attempts,
                          worker_id)

    def heartbeat(self, job: ClaimedJob, *, lease_s: float = 60.0) -> bool:
        """Extend the lease; False means the lease was lost and the work must stop."""
        now = self.clock()
        return self._fenced_update(job, lease_expires_at=now + timedelta(seconds=lease_s), updated_at=now)

    def complete(self, job: ClaimedJob, result: dict[str, Any] | None = None) -> bool:
        """Record success once; False when another worker has taken the job over."""
        return self._fenced_update(
            job, status="succeeded", result=result or {}, lease_expires_at=None, error=None,
            updated_at=self.clock(),
        )

    def fail(self, job: ClaimedJob, error: str, *, retry: bool = True) -> str:
        """Requeue with exponential backoff, or dead-letter after the last attempt."""
        now = self.clock()
        if not retry or job.attempt >= job.max_attempts:
            self._fenced_update(job, status="dead", error=error, lease_expires_at=None, updated_at=now)
            return "dead"
        delay = min(self.backoff_max_s, self.backoff_base_s * 2 ** (job.attempt - 1))
        self._fenced_update(
            job, status="queued", error=error, lease_owner=None, lease_expires_at=None,
            run_after=now + timedelta(seconds=delay), updated_at=now,
        )
        return "queued"

    def reap(self, reaper: str, *, lease_s: float = 60.0) -> list[ClaimedJob]:
        """Take over this domain's jobs whose lease expired on their last attempt (their worker died).

        The reaper gets a fresh lease on each, so exactly one reaper ends a job's domain object
        (and, should the reaper die too, another one does after that lease); it then calls
        :meth:`bury` to dead-letter the job.
        """
        now = self.clock()
        with self.store.session() as session:
            rows = session.execute(
                update(Job)
                .where(Job.status == "running", Job.lease_expires_at < now, Job.attempts >= Job.max_attempts,
                       self._in_domain())
                .values(lease_owner=reaper, lease_expires_at=now + timedelta(seconds=lease_s), updated_at=now)
                .returning(Job.id, Job.kind, Job.key, Job.owner, Job.payload, Job.attempts, Job.max_attempts)
            ).all()
        return [ClaimedJob(r.id, r.kind, r.key, r.owner, r.payload, r.attempts, r.max_attempts, reaper)
                for r in rows]

    def bury(self, job: ClaimedJob, error: str) -> bool:
        """Dead-letter a job this worker holds; False when its lease was lost."""
        return self._fenced_update(job, status="dead", error=error, lease_expires_at=None, updated_at=self.clock())

    def get(self, job_id: str) -> Job | None:
        with self.store.read() as session:
            return session.get(Job, job_id)

    def depth(self) -> dict[str, int]:
        """Number of jobs per status."""
        with self.store.read() as session:
            rows = session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
        return {status: count for status, count in rows}

    def _in_domain(self):
        return Job.domain.is_(None) if self.domain is None else Job.domain == self.domain

    def _fenced_update(self, job: ClaimedJob, **values: Any) -> bool:
        with self.store.session() as session:
            result = session.execute(
                update(Job)
                .where(
                    Job.id == job.id, Job.status == "running", Job.lease_owner == job.lease_owner,
                    Job.attempts == job.attempt,
                )
                .values(**values)
            )
            return result.rowcount == 1
