"""Loading the extractor's data files (regions, tools, exchange rates), once per process."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Parsed `data/<name>.toml` shipped with the package."""
    with resources.files(__package__).joinpath("data").joinpath(f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)
