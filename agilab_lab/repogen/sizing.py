"""The sizing the plan priced, as the values the generated Terraform must default to.

The planner writes ``sizing = {"units": 2, "unit": "ml.c5.xlarge instance-hour", ...}`` on
each component (or, when a catalogue says so, an explicit ``instance_type`` / ``replicas``).
:func:`priced_sizing` reads the instance type and the always-on unit count out of it;
``data/sizing.toml`` says which Terraform variable of each family carries them. Rendering
uses :func:`normalised_sizing` so the variable defaults equal the priced figures, and the
``consistency`` gate checks the same pairs in the generated repository.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

# Instance-type tokens of the three clouds' price lists: ml.c5.xlarge, kafka.m5.large,
# cache.r6g.large, db.r6g.large, m5.2xlarge, Standard_DS3_v2, n1-standard-4, e2-standard-16.
INSTANCE_TOKEN = re.compile(
    r"\b((?:ml|kafka|cache|db)\.[a-z0-9]+\.[a-z0-9]+"
    r"|[a-z][a-z0-9]*\d[a-z]*\.(?:\d*x?large|medium|small|micro|metal)"
    r"|Standard_[A-Za-z0-9_]+"
    r"|[a-z][a-z0-9]*-(?:standard|highmem|highcpu|ultramem|megamem)-\d+)\b"
)


@cache
def sizing_variables() -> dict[str, dict[str, str]]:
    """terraform kind -> {"instance_type"|"replicas": variable suffix} (data/sizing.toml)."""
    text = resources.files("agilab_lab.repogen").joinpath("data/sizing.toml").read_text()
    return tomllib.loads(text)["kinds"]


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and value >= 1 and float(value).is_integer():
        return int(value)
    return None


def priced_sizing(sizing: dict[str, Any]) -> dict[str, Any]:
    """``{"instance_type": str|None, "replicas": int|None}`` of one component's priced sizing."""
    instance = sizing.get("instance_type")
    if not isinstance(instance, str) or not instance.strip():
        match = INSTANCE_TOKEN.search(str(sizing.get("unit") or ""))
        instance = match.group(1) if match else None
    replicas = next((n for n in (_count(sizing.get(k)) for k in ("replicas", "instances", "units"))
                     if n is not None), None)
    return {"instance_type": instance, "replicas": replicas}


def terraform_sizing(kind_key: str, label: str, sizing: dict[str, Any]) -> dict[str, Any]:
    """``{variable name: priced default}`` for the sizing variables of one component."""
    names = sizing_variables().get(kind_key, {})
    priced = priced_sizing(sizing)
    return {f"{label}_{suffix}": priced[field] for field, suffix in sorted(names.items())
            if priced.get(field) is not None}


def normalised_sizing(kind_key: str, sizing: dict[str, Any]) -> dict[str, Any]:
    """``sizing`` with the priced instance type and count under the keys templates read."""
    names = sizing_variables().get(kind_key, {})
    priced = priced_sizing(sizing)
    result = dict(sizing)
    if "instance_type" in names and priced["instance_type"]:
        result["instance_type"] = priced["instance_type"]
    if "replicas" in names and priced["replicas"]:
        result["replicas"] = result["instances"] = priced["replicas"]
    return result
