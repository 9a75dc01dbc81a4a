"""Capacity-weighted LPT: spread weighted items over workers of different speeds.

Each worker has a capacity (work units per second). Items are taken heaviest first and each
goes to the worker that would finish it earliest, ``(load + weight) / capacity``. With equal
capacities this is Graham's LPT (makespan <= (4/3 - 1/(3m)) x optimum); with different
capacities it stays within 2m/(m+1) of the optimum (Gonzalez, Ibarra and Sahni, 1977).
Ties are broken by worker order and item id, so the same inputs always give the same plan.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence


def lpt_assign(weights: Sequence[float], capacities: Sequence[float]) -> list[int]:
    """For each item, the index of the worker it goes to."""
    if not capacities:
        raise ValueError("at least one worker is needed")
    if any(c <= 0 for c in capacities):
        raise ValueError("capacities must be positive")
    loads = [0.0] * len(capacities)
    owner = [0] * len(weights)
    for index in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        weight = weights[index]
        best = min(range(len(capacities)), key=lambda w: ((loads[w] + weight) / capacities[w], w))
        loads[best] += weight
        owner[index] = best
    return owner


def makespan(weights: Sequence[float], capacities: Sequence[float], owner: Sequence[int]) -> float:
    """When the last worker finishes, given which worker does which item."""
    loads = [0.0] * len(capacities)
    for weight, worker in zip(weights, owner, strict=True):
        loads[worker] += weight
    return max(load / capacity for load, capacity in zip(loads, capacities, strict=True))


def optimal_makespan(weights: Sequence[float], capacities: Sequence[float]) -> float:
    """The exact optimum by trying every assignment (m^n: for tests on small instances only)."""
    if not weights:
        return 0.0
    return min(
        makespan(weights, capacities, owner)
        for owner in itertools.product(range(len(capacities)), repeat=len(weights))
    )
