"""The Terraform module families the generator supports (data/terraform_kinds.toml)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, Field

#: terraform_kind values that mean "not provisioned by Terraform" (run as a container).
NON_TERRAFORM_KINDS = frozenset({"", "oss", "none", "docker", "container"})


class TerraformKind(BaseModel):
    """One module family: which cloud it belongs to and which template renders it."""

    key: str
    cloud: str
    template: str
    category: str
    online: bool = False
    shared: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)


class UnsupportedKindError(ValueError):
    """A component names a Terraform family the generator has no template for."""


@lru_cache(maxsize=1)
def supported_kinds() -> dict[str, TerraformKind]:
    """All families keyed by their canonical key."""
    raw = tomllib.loads(
        resources.files("agilab_lab.repogen").joinpath("data/terraform_kinds.toml").read_text()
    )
    return {key: TerraformKind(key=key, **fields) for key, fields in raw["kinds"].items()}


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, str]:
    index = {}
    for kind in supported_kinds().values():
        index[kind.key] = kind.key
        for alias in kind.aliases:
            index[alias] = kind.key
    return index


def is_terraform_kind(value: str | None) -> bool:
    """False for components that run as containers instead of managed cloud services."""
    return (value or "").strip().lower() not in NON_TERRAFORM_KINDS


def resolve_kind(value: str, cloud: str) -> TerraformKind:
    """The family for ``value`` (canonical key or alias), checked against the plan's cloud."""
    key = _alias_index().get(value.strip().lower())
    if key is None:
        known = ", ".join(sorted(supported_kinds()))
        raise UnsupportedKindError(f"unsupported terraform_kind {value!r}; supported: {known}")
    kind = supported_kinds()[key]
    if kind.cloud != cloud:
        raise UnsupportedKindError(
            f"terraform_kind {value!r} is a {kind.cloud} service but the plan is on {cloud}"
        )
    return kind
