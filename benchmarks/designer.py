"""Offline designer timings per sample: requirements -> approved decision set, then generation.

    python benchmarks/designer.py [SAMPLES_DIR] [--no-generate]

For each ``*.md`` sample (default: tests/agents/evals) it measures, in one process with a fresh
home per sample and LangGraph already imported:

- ``extract``: the offline extractor alone (the baseline every design pays);
- ``design``: requirements -> decision set waiting for approval (graph, SQLite checkpointer,
  store writes, 23 sections, critics, policy), and its ratio to ``extract``;
- ``approve``: design plus the approval step, i.e. an approved decision set (target < 2 s);
- ``render``: rendering the repository from the approved spec (target < 1 s);
- ``validate``: rendering plus full static validation and zip (target < 30 s).

Designs that end before approval (infeasible, rejected, awaiting input) report only what ran.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _timed(func, *args, **kwargs):
    started = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - started


def bench_sample(path: Path, generate: bool) -> dict:
    from agilab_lab.agents.designer import Designer
    from agilab_lab.agents.extract import extract_constraints
    from agilab_lab.agents.providers import OfflineProvider
    from agilab_lab.core import Lab
    from agilab_lab.settings import load_settings

    text = path.read_text(encoding="utf-8")
    row: dict = {"sample": path.stem}
    _, row["extract"] = _timed(extract_constraints, text)
    with tempfile.TemporaryDirectory(prefix="agilab-bench-") as home:
        lab = Lab.open(load_settings(home=home, provider="offline"))
        timings: dict[str, float] = {}

        def generate_timed(spec, out_dir):
            from agilab_lab import repogen

            _, timings["render"] = _timed(repogen.generate, spec)
            (zip_path, sha256, report), timings["validate"] = _timed(
                repogen.generate_and_validate, spec, out_dir, home=Path(home))
            return {"zip": str(zip_path), "zip_sha256": sha256, "validation": report.model_dump(mode="json")}

        designer = Designer(lab, provider=OfflineProvider(), generate=generate_timed if generate else _skip)
        project = designer.create_project(path.stem)
        ds, row["design"] = _timed(designer.design, project.id, text=text, out_dir=str(Path(home) / "out"))
        row["status"] = ds.status
        if ds.status == "awaiting_approval":
            approved, seconds = _timed(designer.answer, ds.id, {"decision": "approve"})
            row["approve"] = row["design"] + seconds - timings.get("validate", 0.0) - timings.get("render", 0.0)
            row["status"] = approved.status
            row.update(timings)
            if approved.validation:
                row["validation_passed"] = approved.validation.get("passed")
        lab.store.dispose()
    return row


def _skip(spec, out_dir):
    return {"zip": None, "validation": {"passed": False, "checks": [], "skipped": "--no-generate"}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", nargs="?", default=str(ROOT / "tests" / "agents" / "evals"))
    parser.add_argument("--no-generate", action="store_true", help="stop at the approved decision set")
    args = parser.parse_args(argv)
    os.environ.pop("ANTHROPIC_API_KEY", None)
    _, import_s = _timed(__import__, "langgraph.graph")
    print(f"import langgraph: {import_s:.2f} s (paid once per process, excluded below)")
    samples = sorted(p for p in Path(args.samples).glob("*.md") if p.stem.lower() != "readme")
    header = f"{'sample':<18} {'status':<18} {'extract':>8} {'design':>8} {'x extract':>9} {'approve':>8} {'render':>7} {'validate':>9}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for path in samples:
        row = bench_sample(path, generate=not args.no_generate)
        ratio = row["design"] / row["extract"] if row["extract"] else float("inf")
        approve = row.get("approve")
        worst = max(worst, approve or row["design"])
        print(f"{row['sample']:<18} {row['status']:<18} {row['extract']:>7.3f}s {row['design']:>7.3f}s {ratio:>8.0f}x "
              + (f"{approve:>7.3f}s " if approve is not None else f"{'-':>8} ")
              + (f"{row['render']:>6.3f}s " if "render" in row else f"{'-':>7} ")
              + (f"{row['validate']:>8.2f}s" if "validate" in row else f"{'-':>9}"))
    print(f"slowest requirements -> decision (approved or final): {worst:.3f} s (target < 2 s: "
          f"{'met' if worst < 2 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
