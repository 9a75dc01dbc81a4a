"""Export a run as a notebook that reproduces it.

The notebook repeats the run through the Python API (same app, mode, target and arguments),
checks the new result against the recorded one, then loads and charts the new run's artifacts:
tables with polars, Vega-Lite charts through the notebook's own renderer, JSON summaries.

    path = export_run_notebook(AGI(Lab.open()), run_id, root=Path.cwd())
"""

from __future__ import annotations

import math
import pprint
from pathlib import Path, PurePosixPath
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .runtime.records import RunRecord
from .tracking import is_number

EXPORT_DIR = "agilab-runs"
TABLE_SUFFIXES = (".parquet", ".csv")
CHART_SUFFIX = ".vl.json"
# Top-level files a reader wants to see; per-item outputs are only listed.
SKIPPED = {"items.json", "log.txt", "manifest.json"}


def result_differences(recorded: Any, new: Any, path: str = "result", rel_tol: float = 1e-9) -> list[str]:
    """Where ``new`` differs from ``recorded``; floats compare with ``rel_tol`` (summation order)."""
    if isinstance(recorded, dict) and isinstance(new, dict):
        keys = sorted(set(recorded) | set(new))
        return [d for k in keys for d in result_differences(recorded.get(k), new.get(k), f"{path}.{k}", rel_tol)]
    if isinstance(recorded, list) and isinstance(new, list) and len(recorded) == len(new):
        pairs = enumerate(zip(recorded, new, strict=True))
        return [d for i, (a, b) in pairs for d in result_differences(a, b, f"{path}[{i}]", rel_tol)]
    if is_number(recorded) and is_number(new):
        if math.isclose(recorded, new, rel_tol=rel_tol, abs_tol=1e-12):
            return []
    elif type(recorded) is type(new) and recorded == new:
        return []
    return [f"{path}: recorded {recorded!r}, now {new!r}"]


def default_notebook_path(record: RunRecord, root: Path) -> Path:
    """``<root>/agilab-runs/<app>-<run id prefix>.ipynb``."""
    return root / EXPORT_DIR / f"{record.app}-{record.id[:8]}.ipynb"


def export_run_notebook(agi, run_id: str, out: Path | None = None, root: Path | None = None) -> Path:
    """Write the notebook of run ``run_id`` to ``out`` (default: under ``root``, else the cwd)."""
    record = agi.get_run(run_id)
    path = out or default_notebook_path(record, root or Path.cwd())
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(run_notebook(record), path)
    return path


def run_notebook(record: RunRecord) -> nbformat.NotebookNode:
    """The notebook of ``record`` (validated against the nbformat schema)."""
    notebook = new_notebook(cells=[*_header(record), *_rerun(record), *_artifacts(record)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["agilab_lab"] = {"run_id": record.id, "app": record.app}
    nbformat.validate(notebook)
    return notebook


def _header(record: RunRecord) -> list:
    started = record.started_at.isoformat(timespec="seconds") if record.started_at else "never"
    seconds = f"{record.seconds:.2f} s" if record.seconds is not None else "-"
    return [new_markdown_cell(
        f"# `{record.app}` run `{record.id[:8]}`\n\n"
        f"| mode | status | started | took |\n|---|---|---|---|\n"
        f"| {record.mode} | {record.status} | {started} | {seconds} |\n\n"
        "Running this notebook repeats the run with the same arguments, checks its result against "
        "the recorded one, then loads and charts the new run's artifacts."
    )]


def _rerun(record: RunRecord) -> list:
    request = record.extra.get("request", {})
    target = {"mode": record.mode, "scheduler": request.get("scheduler"), "workers": request.get("workers"),
              "timeout_s": request.get("timeout_s"), "retries": request.get("retries", 1)}
    call = ", ".join(f"{k}={v!r}" for k, v in target.items())
    return [
        new_code_cell(
            "import json\n\nimport polars as pl\nfrom IPython.display import JSON, display\n\n"
            "from agilab_lab.core import Lab\nfrom agilab_lab.notebooks import result_differences\n"
            "from agilab_lab.runtime import AGI\nfrom agilab_lab.runtime.records import run_dir\n\n"
            "agi = AGI(Lab.open())\n"
            f"print('home:', agi.lab.home)\nprint(agi.settings({record.app!r}).text())"
        ),
        new_markdown_cell("## The run\n\nThe arguments below are the run's, defaults included."),
        new_code_cell(f"args = {pprint.pformat(record.args, sort_dicts=True)}"),
        new_code_cell(f"record = agi.run({record.app!r}, {call}, **args)\nrecord.status, record.seconds"),
        new_markdown_cell("## Same result as the recorded run?"),
        new_code_cell(_check_source(record)),
    ]


def _check_source(record: RunRecord) -> str:
    if record.status != "succeeded":
        return f"recorded_status = {record.status!r}\nassert record.status == recorded_status, record.status"
    return (
        f"recorded_result = {pprint.pformat(record.result, sort_dicts=True)}\n"
        "assert record.status == 'succeeded', record.error\n"
        "differences = result_differences(recorded_result, record.result)\n"
        "assert not differences, differences\n"
        "JSON(record.result)"
    )


def _artifacts(record: RunRecord) -> list:
    top = [PurePosixPath(a.path) for a in record.artifacts if "/" not in a.path and a.path not in SKIPPED]
    outputs = [a.path for a in record.artifacts if "/" in a.path]
    if not top and not outputs:
        return []
    cells = [new_markdown_cell("## Artifacts"), new_code_cell("out = run_dir(agi.lab.home, record.id)\nout")]
    for path in top:
        cells.append(new_code_cell(_load_source(path)))
    if outputs:
        cells.append(new_code_cell(
            f"# {len(outputs)} per-item files\n"
            "sorted(p.relative_to(out).as_posix() for p in out.rglob('*') if p.is_file() and p.parent != out)[:20]"
        ))
    return cells


def _load_source(path: PurePosixPath) -> str:
    name = str(path)
    if name.endswith(CHART_SUFFIX):
        return (f"chart = json.loads((out / {name!r}).read_text())\n"
                "display({'application/vnd.vegalite.v5+json': chart}, raw=True)")
    if path.suffix == ".parquet":
        return f"pl.read_parquet(out / {name!r})"
    if path.suffix == ".csv":
        return f"pl.read_csv(out / {name!r})"
    if path.suffix == ".json":
        return f"JSON(json.loads((out / {name!r}).read_text()))"
    return f"(out / {name!r}).stat().st_size  # bytes"
