"""Row ids and timestamps, shared by the SQLAlchemy models and the light SQLite writer (no imports)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)
