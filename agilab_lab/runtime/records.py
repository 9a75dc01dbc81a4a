"""Run records: the ``runs`` rows, the run directory and its sha256 manifest.

A run directory ``<home>/runs/<run_id>/`` holds the workers' files under ``outputs/``, the
manager's files (summary, charts) at its top, ``items.json`` (every item's result, also those of
the workers that succeeded when another failed), ``log.txt`` and ``manifest.json``. Each file
is also an ``Artifact`` row with its sha256.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..store.ids import utcnow
from .errors import RunNotFound

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..store.db import Store
    from ..store.models import Run

MANIFEST = "manifest.json"


class ArtifactEntry(BaseModel):
    path: str
    sha256: str
    size_bytes: int


class RunRecord(BaseModel):
    """A run as the Python API, the CLI and the REST API return it."""

    id: str
    app: str
    mode: str
    status: str
    args: dict[str, Any]
    plan: list[dict[str, Any]]
    result: dict[str, Any]
    timings: dict[str, Any]
    extra: dict[str, Any]
    error: str | None
    log: str = ""
    seconds: float | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    artifacts: list[ArtifactEntry] = []

    def _repr_html_(self) -> str:
        from ..reprs import run_html

        return run_html(self)

    def cli_json(self) -> dict[str, Any]:
        """The ``agilab-lab run --json`` object (DESIGN.md)."""
        return {
            "run_id": self.id, "app": self.app, "mode": self.mode, "status": self.status,
            "seconds": round(self.seconds or 0.0, 4), "plan": self.plan, "result": self.result,
            "artifacts": [a.model_dump() for a in self.artifacts],
        }


def run_dir(home: Path, run_id: str) -> Path:
    return home / "runs" / run_id


def safe_artifact_path(home: Path, run_id: str, relative: str) -> Path:
    """The file ``relative`` inside the run directory; anything that escapes it is refused."""
    root = run_dir(home, run_id).resolve()
    parts = PurePosixPath(relative).parts
    if not relative or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise RunNotFound(f"no artifact {relative!r} in run {run_id}")
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise RunNotFound(f"no artifact {relative!r} in run {run_id}")
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(directory: Path) -> list[ArtifactEntry]:
    """Hash every file of the run directory into ``manifest.json``; return the entries."""
    entries = [
        ArtifactEntry(path=path.relative_to(directory).as_posix(), sha256=sha256_file(path),
                      size_bytes=path.stat().st_size)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    ]
    (directory / MANIFEST).write_text(json.dumps([e.model_dump() for e in entries], indent=1))
    return entries


def run_store(store: Any, owner: str) -> RunStore:
    """The run rows of ``owner``: plain SQL on a light store (the CLI's run path), else the ORM."""
    if getattr(store, "lite", False):
        from .lite_records import LiteRunStore

        return LiteRunStore(store, owner)
    return RunStore(store, owner)


class RunStore:
    """The ``runs`` and ``artifacts`` rows of one owner (SQLAlchemy, imported when first used).

    Writes are single Core statements (no ORM load of the row first, except to return the
    finished run): a run's bookkeeping is paid on every run. ``session``: join that transaction.
    """

    def __init__(self, store: Store, owner: str):
        self.store, self.owner = store, owner

    def create(self, app: str, mode: str, args: dict[str, Any], extra: dict[str, Any], run_id: str | None = None,
               **values: Any) -> str:
        """A new run row, ``queued`` unless ``values`` say otherwise (an in-process run is written
        once planned, already ``running``); its id (``run_id`` if given)."""
        from sqlalchemy import insert

        from ..store.ids import new_id
        from ..store.models import Run

        run_id = run_id or new_id()
        values = {"status": "queued", **values}
        with self.store.session() as session:
            session.execute(insert(Run).values(id=run_id, owner=self.owner, app=app, mode=mode, args=args,
                                               extra=extra, **values))
        return run_id

    def update(self, run_id: str, session: Session | None = None, **values: Any) -> None:
        from sqlalchemy import update

        from ..store.models import Run

        with self._unit(session) as unit:
            done = unit.execute(update(Run).where(Run.id == run_id, Run.owner == self.owner).values(**values))
            if done.rowcount == 0:
                raise RunNotFound(f"no run {run_id!r}")

    def start(self, run_id: str, plan: list[dict[str, Any]]) -> None:
        self.update(run_id, status="running", plan=plan, started_at=utcnow())

    def add_artifacts(self, run_id: str, entries: list[ArtifactEntry]) -> None:
        with self.store.session() as session:
            self._insert_artifacts(session, run_id, entries)

    def finish(self, run_id: str, entries: list[ArtifactEntry], session: Session | None = None,
               **values: Any) -> RunRecord:
        """Record the artifacts and the final values in one transaction; the run as it now is."""
        with self._unit(session) as unit:
            run = self._row(unit, run_id)
            self._insert_artifacts(unit, run_id, entries)
            for key, value in values.items():
                setattr(run, key, value)
            unit.flush()
            return _record(run, sorted(entries, key=lambda e: e.path))

    def _insert_artifacts(self, session: Session, run_id: str, entries: list[ArtifactEntry]) -> None:
        from sqlalchemy import insert

        from ..store.models import Artifact

        if entries:
            session.execute(insert(Artifact), [
                {"owner": self.owner, "run_id": run_id, "path": e.path, "sha256": e.sha256,
                 "size_bytes": e.size_bytes, "kind": "run-file"} for e in entries
            ])

    @contextmanager
    def _unit(self, session: Session | None) -> Iterator[Session]:
        if session is not None:
            yield session
        else:
            with self.store.session() as own:
                yield own

    def get(self, run_id: str) -> RunRecord:
        from sqlalchemy import select

        from ..store.models import Artifact

        with self.store.read() as session:
            run = self._row(session, run_id)
            artifacts = session.scalars(
                select(Artifact).where(Artifact.run_id == run_id).order_by(Artifact.path)
            ).all()
            return _record(run, artifacts)

    def status(self, run_id: str) -> str:
        """The run's status alone (one indexed row read; ``RunNotFound`` for another owner's run)."""
        from sqlalchemy import select

        from ..store.models import Run

        with self.store.read() as session:
            row = session.execute(select(Run.owner, Run.status).where(Run.id == run_id)).first()
        if row is None or row.owner != self.owner:
            raise RunNotFound(f"no run {run_id!r}")
        return row.status

    def list(self, app: str | None = None, limit: int = 50) -> list[RunRecord]:
        from sqlalchemy import select

        from ..store.models import Run

        query = select(Run).where(Run.owner == self.owner)
        if app:
            query = query.where(Run.app == app)
        with self.store.read() as session:
            runs = session.scalars(query.order_by(Run.created_at.desc()).limit(limit)).all()
            return [_record(run, []) for run in runs]

    def _row(self, session, run_id: str) -> Run:
        from ..store.models import Run

        run = session.get(Run, run_id)
        if run is None or run.owner != self.owner:
            raise RunNotFound(f"no run {run_id!r}")
        return run


def _record(run: Run, artifacts) -> RunRecord:
    return RunRecord(
        id=run.id, app=run.app, mode=run.mode, status=run.status, args=run.args, plan=run.plan,
        result=run.result, timings=run.timings, extra=run.extra, error=run.error, log=run.log, seconds=run.seconds,
        created_at=run.created_at, started_at=run.started_at, finished_at=run.finished_at,
        artifacts=[a if isinstance(a, ArtifactEntry) else ArtifactEntry(path=a.path, sha256=a.sha256,
                                                                         size_bytes=a.size_bytes) for a in artifacts],
    )
