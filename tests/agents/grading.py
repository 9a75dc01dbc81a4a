"""The evals' expectation grammar (../shared/evals/check.py), so the varied extraction cases run
without the shared directory: exact values (strings case-insensitive), {"min", "max"} for
numbers, {"contains": [...]}, {"min_items": n} and {"absent": [...]} for lists and text, and
nested objects."""

from __future__ import annotations

import json
from typing import Any


def grade(expected: dict[str, Any], result: dict[str, Any], path: str = "") -> list[str]:
    """Mismatches between `expected` and `result`, one line each; empty when all match."""
    problems: list[str] = []
    for key, want in expected.items():
        _match(f"{path}{key}", want, result.get(key) if isinstance(result, dict) else None, problems)
    return problems


def _match(path: str, want: Any, got: Any, out: list[str]) -> None:
    if isinstance(want, dict) and {"min", "max"} & want.keys():
        ok = isinstance(got, int | float) and want.get("min", float("-inf")) <= got <= want.get(
            "max", float("inf")
        )
    elif isinstance(want, dict) and "contains" in want:
        have = {str(x).lower() for x in got or []}
        ok = all(str(x).lower() in have for x in want["contains"])
    elif isinstance(want, dict) and "min_items" in want:
        ok = isinstance(got, list) and len(got) >= want["min_items"]
    elif isinstance(want, dict) and "absent" in want:
        ok = not any(str(x).lower() in json.dumps(got).lower() for x in want["absent"])
    elif isinstance(want, dict):
        if not isinstance(got, dict):
            out.append(f"{path}: expected an object, got {got!r}")
            return
        out.extend(grade(want, got, f"{path}."))
        return
    elif isinstance(want, str) and isinstance(got, str):
        ok = want.lower() == got.lower()
    else:
        ok = want == got
    if not ok:
        out.append(f"{path}: expected {want!r}, got {got!r}")
