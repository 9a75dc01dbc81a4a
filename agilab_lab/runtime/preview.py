"""Table previews of run artifacts: the first rows of a parquet or CSV file as JSON.

The Lab shows a run's tables inline without downloading them: ``preview_table`` reads only the
rows it returns (polars scans lazily) plus the row count.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import polars as pl

from .errors import RuntimeFailure

#: Suffixes a preview can read.
TABULAR_SUFFIXES = (".parquet", ".csv")
MAX_PREVIEW_ROWS = 500


class NotTabular(RuntimeFailure):
    """The artifact is not a table this server can preview."""

    status, code = 415, "not_tabular"


class UnreadableTable(RuntimeFailure):
    status, code = 422, "unreadable_table"


def _cell(value: Any) -> Any:
    """A JSON-safe cell: non-finite floats become null, other non-JSON types their text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


def preview_table(path: Path, limit: int = 50) -> dict[str, Any]:
    """``{"columns": [{"name", "dtype"}], "rows": [[...]], "total_rows", "truncated"}`` of ``path``."""
    suffix = path.suffix.lower()
    if suffix not in TABULAR_SUFFIXES:
        raise NotTabular(f"{path.name} is not a parquet or CSV file")
    limit = max(1, min(MAX_PREVIEW_ROWS, limit))
    scan = pl.scan_parquet if suffix == ".parquet" else pl.scan_csv
    try:
        head = scan(path).head(limit).collect()
        total = scan(path).select(pl.len()).collect().item()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise UnreadableTable(f"{path.name} could not be read as {suffix[1:]}: {type(exc).__name__}") from None
    return {
        "columns": [{"name": name, "dtype": str(dtype)} for name, dtype in head.schema.items()],
        "rows": [[_cell(v) for v in row] for row in head.iter_rows()],
        "total_rows": int(total),
        "truncated": int(total) > head.height,
    }
