"""Execution domains: which workers may execute a job.

A job needs the home it was queued from (its artifacts, the LangGraph checkpointer, the app
settings), not only the database. Each home therefore has an *execution domain* id, written once
to ``<home>/execution-domain``; the queue stamps every job with its domain and a worker claims
only jobs of its own. Two servers (two homes) sharing one database never run each other's jobs;
a worker on another host joins a domain by sharing the home (or copying the file).
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

DOMAIN_FILE = "execution-domain"
_CACHE: dict[Path, str] = {}
_LOCK = threading.Lock()


def execution_domain(home: Path) -> str:
    """The domain id of ``home``, created on first use (safe against concurrent creators)."""
    path = (Path(home).expanduser() / DOMAIN_FILE).resolve()
    with _LOCK:
        cached = _CACHE.get(path)
        if cached is not None:
            return cached
        domain = _read(path) or _create(path)
        _CACHE[path] = domain
        return domain


def _read(path: Path) -> str | None:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not value or len(value) > 64 or not value.replace("-", "").isalnum():
        raise ValueError(f"{path} does not hold an execution domain id: delete it to mint a new one")
    return value


def _create(path: Path) -> str:
    """Write a fresh id with O_EXCL; a concurrent creator that won is read back instead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    domain = uuid.uuid4().hex
    tmp = path.with_name(f".{DOMAIN_FILE}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(domain + "\n", encoding="utf-8")
    try:
        os.link(tmp, path)  # atomic and fails if the file exists: the first creator wins
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return _read(path) or domain
