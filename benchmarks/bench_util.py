"""Helpers shared by the benchmark scripts: alternated repetitions, medians with their spread."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable


def timed_interleaved(cases: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU of this process) seconds of each case, per repetition.

    The cases alternate so that load drift hits all of them; the order rotates and reverses
    from one repetition to the next so that no case always runs first of its pair.
    """
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    names = list(cases)
    for repetition in range(repeat):
        shift = (repetition // 2) % len(names)
        order = names[shift:] + names[:shift]
        for name in order if repetition % 2 == 0 else reversed(order):
            wall, cpu = time.perf_counter(), time.process_time()
            cases[name]()
            samples[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    for name, values in samples.items():  # every sample, for judging the medians
        print(f"  {name:<22} wall s: {' '.join(f'{w:.3f}' for w, _ in values)}", file=sys.stderr)
    return samples


def spread(values: list[float]) -> str:
    """``median [min-max]``."""
    return f"{statistics.median(values):.3f} [{min(values):.3f}-{max(values):.3f}]"


def median_ratio(measured: list[float], baseline: list[float]) -> float:
    """Median of the per-repetition ratios: each pair ran close in time, under similar load."""
    return statistics.median(m / b for m, b in zip(measured, baseline, strict=True))


def ratio_row(name: str, measured: list[float], base_name: str, baseline: list[float], target: str) -> str:
    ratio = statistics.median(measured) / statistics.median(baseline)
    return (f"{name:<30}{spread(measured):>22}   {base_name:<24}{spread(baseline):>22}"
            f"{ratio:7.2f}{median_ratio(measured, baseline):8.2f}  {target}")


HEADER = (f"{'measured':<30}{'median [min-max] s':>22}   {'baseline':<24}{'median [min-max] s':>22}"
          f"{'ratio':>7}{'paired':>8}  target")


def load_average() -> str:
    try:
        with open("/proc/loadavg") as handle:
            return handle.read().split()[0]
    except OSError:
        return "?"
