"""Offline constraint extraction: wall time per requirement text, against a tokenising baseline.

Runs `extract_constraints` (rules only) over the shared eval samples and the test suite's
varied texts (tests/agents/extract_cases.py and tests/agents/evals_extra/), and, in the same
run, a baseline that only splits each text into words. Prints the median and worst time per
text (target < 20 ms) and the ratio to the baseline.

    .venv/bin/python benchmarks/extract.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVALS = Path("/work/shared/evals")


def texts() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from tests.agents.extract_cases import CASES

    samples = [p.read_text() for p in sorted(EVALS.glob("*.md")) if p.stem != "README"] if EVALS.exists() else []
    extra_dir = ROOT / "tests" / "agents" / "evals_extra"
    extra = [p.read_text() for p in sorted(extra_dir.glob("*.md")) if p.stem != "README"]
    return samples + extra + [text for text, _ in CASES.values()]


def best_ms(fn, text: str, repeat: int) -> float:
    """Best of `repeat` runs, in milliseconds (the least disturbed by other processes)."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(text)
        timings.append(time.perf_counter() - start)
    return min(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    from agilab_lab.agents.extract import extract_constraints

    corpus = texts()
    extract_constraints(corpus[0])  # load the data files and compile the patterns once
    words = re.compile(r"\w+")
    extract = [best_ms(extract_constraints, t, args.repeat) for t in corpus]
    baseline = [best_ms(words.findall, t, args.repeat) for t in corpus]
    ratio = statistics.median(e / max(b, 1e-6) for e, b in zip(extract, baseline, strict=True))
    print(f"texts: {len(corpus)}  median chars: {statistics.median(len(t) for t in corpus):.0f}")
    print(f"extract_constraints  median {statistics.median(extract):.2f} ms  worst {max(extract):.2f} ms  "
          f"(target < 20 ms)")
    print(f"baseline word split  median {statistics.median(baseline):.3f} ms")
    print(f"ratio extract/baseline (median per text): {ratio:.0f}x")


if __name__ == "__main__":
    main()
