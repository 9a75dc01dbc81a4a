"""``Lab``: the one Python API object behind the server, the CLI, the magics and JupyterHub.

A ``Lab`` binds settings, the database, the event log and the job queue to one ``owner`` (the
Jupyter user). It holds no global state: build as many as needed, each with its own settings.

The event log and the queue are built on first use and the store modules are imported lazily:
``agilab-lab run`` on an up-to-date SQLite database never imports SQLAlchemy (see
:mod:`agilab_lab.store.lite`), which is most of the CLI's start-up time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .settings import AgilabLabSettings, load_settings

if TYPE_CHECKING:
    from .store.db import Store
    from .store.events import EventLog
    from .store.queue import JobQueue

_STORES: dict[str, Store] = {}
_STORES_LOCK = threading.Lock()


def shared_store(url: str) -> Store:
    """One engine (and one migration run) per database URL in this process."""
    from .store.db import Store

    with _STORES_LOCK:
        store = _STORES.get(url)
        if store is None:
            store = _STORES[url] = Store(url)
        return store


@dataclass
class Lab:
    settings: AgilabLabSettings
    store: Store
    owner: str = "local"
    _owners: dict[str, Lab] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self):
        self.home.mkdir(parents=True, exist_ok=True)

    @cached_property
    def events(self) -> EventLog:
        if getattr(self.store, "lite", False):
            from .store.lite import LiteEventLog

            return LiteEventLog(self.store)
        from .store.events import EventLog

        return EventLog(self.store)

    @cached_property
    def queue(self) -> JobQueue:
        from .jobs.domain import execution_domain
        from .store.queue import JobQueue

        store = getattr(self.store, "full", self.store)  # the queue is SQLAlchemy code
        return JobQueue(store, domain=execution_domain(self.home))

    @classmethod
    def open(cls, settings: AgilabLabSettings | None = None, owner: str | None = None, *,
             light: bool = False) -> Lab:
        """A Lab for ``owner`` (default: the configured owner, the Hub user or the OS user).

        ``light``: when the database is a SQLite file at the migration head, use the stdlib-sqlite3
        store (:mod:`agilab_lab.store.lite`) so a short-lived process (``agilab-lab run``) does
        not import SQLAlchemy; otherwise (new or older database, PostgreSQL) the full store.
        """
        settings = settings or load_settings()
        settings.home_path.mkdir(parents=True, exist_ok=True)
        url = settings.resolved_database_url
        store = None
        if light:
            from .store.lite import open_lite

            store = open_lite(url)
        return cls(settings=settings, store=store or shared_store(url), owner=owner or settings.resolved_owner)

    def light(self) -> Lab:
        """This Lab on the stdlib-sqlite3 store when its database allows it (a SQLite file at the
        migration head, see :mod:`agilab_lab.store.lite`), else itself.

        The runner writes a run's rows and events through it: through the ORM, that bookkeeping
        cost ~5 ms more per run (create, final row, worker stats, terminal events). Everything
        else keeps the ORM store; both take SQLite's write lock the same way.
        """
        if getattr(self.store, "lite", False):
            return self
        twin = self.store.light_twin
        return self if twin is None else Lab(settings=self.settings, store=twin, owner=self.owner)

    def for_owner(self, owner: str) -> Lab:
        """The same database and settings, scoped to another user.

        Built once per owner and kept: the server asks for one on every request, and building
        one touches the file system (the home, the execution domain).
        """
        if owner == self.owner:
            return self
        lab = self._owners.get(owner)
        if lab is None:
            lab = self._owners.setdefault(owner, Lab(settings=self.settings, store=self.store, owner=owner))
        return lab

    @property
    def home(self) -> Path:
        return self.settings.home_path
