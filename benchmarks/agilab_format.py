"""AGILab-layout flight CSVs: ``<aircraft>_<n>.csv`` with ``date,aircraft,long,lat,alt,beam``.

AGILab's own flight dataset is 28 CSV files, 314,670 rows. When it is not on the machine, the
benchmarks generate files in the same layout and of the same size (scale 1; scale k writes k
times as many files), from the app's deterministic synthetic flights, with dates as
``YYYY-MM-DD HH:MM:SS``. Nothing here imports agilab_lab except the synthetic generator.

    .venv/bin/python benchmarks/agilab_format.py DIR [--scale 1]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

AGILAB_FILES = 28
AGILAB_ROWS = 314_670
AIRCRAFT = ("AF1148", "BA304", "DLH9AX", "EZY41QP", "KLM1867", "RYR3YF", "SWR8GN")
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def file_sizes(scale: int, rows: int = AGILAB_ROWS) -> list[int]:
    """Rows per file: AGILab's total (or ``rows``) split over 28 files, repeated ``scale`` times."""
    base, extra = divmod(rows, AGILAB_FILES)
    return [base + (1 if i < extra else 0) for i in range(AGILAB_FILES)] * scale


def file_names(scale: int) -> list[str]:
    return [f"{AIRCRAFT[i % len(AIRCRAFT)]}_{i // len(AIRCRAFT) + 1}.csv" for i in range(AGILAB_FILES * scale)]


def ensure_agilab_csvs(directory: Path, scale: int = 1, seed: int = 7, rows: int = AGILAB_ROWS) -> list[Path]:
    """The dataset's files under ``directory``, generated when absent (existing files are kept).

    ``rows`` shrinks the dataset for tests (the layout stays AGILab's).
    """
    import polars as pl

    from agilab_lab.apps.flight_telemetry.flight_telemetry_worker.synthetic import generate_flight

    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, (name, n_rows) in enumerate(zip(file_names(scale), file_sizes(scale, rows), strict=True)):
        path = directory / name
        paths.append(path)
        if path.exists():
            continue
        flight = generate_flight(seed, index, n_rows)
        frame = flight.select(
            pl.col("time").dt.strftime(DATE_FORMAT).alias("date"),
            pl.lit(name.split("_")[0]).alias("aircraft"),
            pl.col("lon").round(6).alias("long"), pl.col("lat").round(6).alias("lat"),
            pl.col("alt_m").round(2).alias("alt"), pl.lit(1).alias("beam"),
        )
        tmp = path.with_suffix(".tmp")
        frame.write_csv(tmp)
        tmp.rename(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--scale", type=int, default=1)
    opts = parser.parse_args()
    paths = ensure_agilab_csvs(opts.directory, opts.scale)
    print(f"{len(paths)} files, {sum(file_sizes(opts.scale)):,} rows in {opts.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
