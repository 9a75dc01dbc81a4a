"""The migration heads, read from ``migrations/versions`` without importing Alembic or SQLAlchemy.

Both the SQLAlchemy store (migrate only when behind) and the light SQLite path of the CLI (use it
only at head) compare the database's ``alembic_version`` with these.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*=\s*(.+?)\s*$", re.MULTILINE)


@functools.cache
def script_heads() -> frozenset[str]:
    """The head revisions of ``migrations/versions``, read from the files without importing Alembic."""
    revisions: dict[str, tuple[str, ...]] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        down = ast.literal_eval(found.get("down_revision", "None"))
        revisions[ast.literal_eval(found["revision"])] = down if isinstance(down, tuple) else (down,)
    referenced = {parent for parents in revisions.values() for parent in parents if parent}
    return frozenset(revisions) - referenced
