"""``Lab``: the one Python API object behind the server, the CLI, the magics and JupyterHub.

A ``Lab`` binds settings, the database, the event log and the job queue to one ``owner`` (the
Jupyter user). It holds no global state: build as many as needed, each with its own settings.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from .jobs.domain import execution_domain
from .settings import AgilabLabSettings, load_settings
from .store.db import Store
from .store.events import EventLog
from .store.queue import JobQueue

_STORES: dict[str, Store] = {}
_STORES_LOCK = threading.Lock()


def shared_store(url: str) -> Store:
    """One engine (and one migration run) per database URL in this process."""
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
    events: EventLog = field(init=False)
    queue: JobQueue = field(init=False)

    def __post_init__(self):
        self.home.mkdir(parents=True, exist_ok=True)
        self.events = EventLog(self.store)
        self.queue = JobQueue(self.store, domain=execution_domain(self.home))

    @classmethod
    def open(cls, settings: AgilabLabSettings | None = None, owner: str | None = None) -> Lab:
        """A Lab for ``owner`` (default: the configured owner, the Hub user or the OS user)."""
        settings = settings or load_settings()
        settings.home_path.mkdir(parents=True, exist_ok=True)
        store = shared_store(settings.resolved_database_url)
        return cls(settings=settings, store=store, owner=owner or settings.resolved_owner)

    def for_owner(self, owner: str) -> Lab:
        """The same database and settings, scoped to another user."""
        return Lab(settings=self.settings, store=self.store, owner=owner)

    @property
    def home(self) -> Path:
        return self.settings.home_path
