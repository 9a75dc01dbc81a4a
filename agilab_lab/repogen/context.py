"""Turn a RepoSpec into the plain data the templates render (no I/O, no templates here).

Everything a template may print comes from :func:`build_context`, after every string of the
spec went through :func:`~agilab_lab.repogen.secrets.redact_tree`, so no credential pasted into
a requirement text can reach a generated file.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from agilab_lab._version import __version__
from agilab_lab.agents.types import Component, RepoSpec

from .kinds import TerraformKind, is_terraform_kind, resolve_kind
from .secrets import redact_tree
from .sizing import normalised_sizing

ONLINE_WORKLOADS = frozenset({"realtime_inference", "rag"})
BATCH_WORKLOADS = frozenset({"batch_inference", "forecasting"})
SUPPORTED_CLOUDS = ("aws", "gcp", "azure")
# Terraform file stems the generator writes itself; a component label must not shadow them.
ALWAYS_SHARED = {"azure": ("network",)}
RESERVED_LABELS = frozenset({"versions", "providers", "variables", "main", "outputs", "network",
                             "ml_workspace", "iam", "compliance"})


class RepoGenError(ValueError):
    """The spec cannot be rendered (unknown cloud, mismatched service, ...)."""


@dataclass(frozen=True)
class TfComponent:
    """A planned component provisioned by Terraform, with a unique HCL label."""

    label: str
    kind: TerraformKind
    component: Component


@dataclass(frozen=True)
class Features:
    """Which code paths the plan calls for; each one maps to files in the manifest."""

    online: bool
    batch: bool
    streaming: bool
    rag: bool
    task: str  # "classification" | "regression"

    def as_dict(self) -> dict[str, bool]:
        return {"online": self.online, "batch": self.batch, "streaming": self.streaming,
                "rag": self.rag, "regression": self.task == "regression"}


@dataclass(frozen=True)
class RenderContext:
    spec: RepoSpec
    slug: str
    cloud: str
    region: str
    features: Features
    terraform: list[TfComponent]
    containers: list[Component]
    shared: list[str]
    constraints_sha256: str
    generator_version: str = __version__

    def as_template_vars(self) -> dict:
        return {
            "spec": self.spec, "plan": self.spec.plan, "constraints": self.spec.constraints,
            "slug": self.slug, "pkg_title": safe_text(self.spec.project_name) or self.slug,
            "cloud": self.cloud,
            "region": self.region, "features": self.features, "f": self.features.as_dict(),
            "terraform": self.terraform, "containers": self.containers, "shared": self.shared,
            "constraints_sha256": self.constraints_sha256,
            "generator_version": self.generator_version,
        }


_UNSAFE = re.compile(r"[^\w .,:;()/+*&'-]+")


def safe_text(value: str, *, max_len: int = 120) -> str:
    """Plain one-line text that is safe inside Python, TOML, HCL and YAML strings and comments.

    Spec strings (names, services, sizing) reach code and config files; quotes, backslashes,
    braces, ``$`` and newlines could end a string literal or start an interpolation there.
    """
    return " ".join(_UNSAFE.sub(" ", value).split())[:max_len].strip()


def _safe_component(component: Component) -> Component:
    sizing = {k: safe_text(v) if isinstance(v, str) else v for k, v in component.sizing.items()}
    return component.model_copy(update={"service": safe_text(component.service),
                                        "capability": safe_text(component.capability),
                                        "sizing": sizing})


def slugify(name: str, *, max_len: int = 20) -> str:
    """A DNS- and bucket-safe lower-case name: letters, digits and single dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:max_len].strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"p-{slug}".strip("-")[:max_len].strip("-")
    return slug or "project"


def canonical_sha256(value) -> str:
    """sha256 of the canonical JSON form (sorted keys, no spaces) of ``value``."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _labels(components: list[Component]) -> list[str]:
    seen: dict[str, int] = {}
    labels = []
    for comp in components:
        base = re.sub(r"[^a-z0-9]+", "_", comp.capability.lower()).strip("_") or "component"
        if not base[0].isalpha():
            base = f"c_{base}"
        if base in RESERVED_LABELS:
            base = f"{base}_service"
        seen[base] = seen.get(base, 0) + 1
        labels.append(base if seen[base] == 1 else f"{base}_{seen[base]}")
    return labels


def _features(spec: RepoSpec, kinds: list[TerraformKind]) -> Features:
    workloads = set(spec.plan.workloads or spec.constraints.workloads)
    categories = {k.category for k in kinds}
    return Features(
        online=bool(workloads & ONLINE_WORKLOADS) or any(k.online for k in kinds),
        batch=bool(workloads & BATCH_WORKLOADS) or "batch" in categories,
        streaming="streaming" in workloads or "streaming" in categories,
        rag="rag" in workloads or "vector_search" in categories,
        task="regression" if "forecasting" in workloads else "classification",
    )


def build_context(spec: RepoSpec) -> RenderContext:
    """Validate the plan against the supported families and derive everything templates need."""
    constraints_sha = canonical_sha256(spec.constraints.model_dump(mode="json"))
    spec = RepoSpec.model_validate(redact_tree(spec.model_dump(mode="json")))
    cloud = spec.plan.cloud
    if cloud not in SUPPORTED_CLOUDS:
        raise RepoGenError(f"unsupported cloud {cloud!r}; supported: {', '.join(SUPPORTED_CLOUDS)}")
    components = [_safe_component(c) for c in spec.plan.components]
    managed = [c for c in components if is_terraform_kind(c.terraform_kind)]
    containers = [c for c in components if not is_terraform_kind(c.terraform_kind)]
    try:
        kinds = [resolve_kind(c.terraform_kind or "", cloud) for c in managed]
    except ValueError as exc:
        raise RepoGenError(str(exc)) from exc
    managed = [c.model_copy(update={"sizing": normalised_sizing(k.key, c.sizing)})
               for c, k in zip(managed, kinds, strict=True)]
    terraform = [TfComponent(label, kind, comp)
                 for label, kind, comp in zip(_labels(managed), kinds, managed, strict=True)]
    # Every Azure stack has private endpoints (main.tf's key vault), so it brings its VNet.
    shared = sorted({name for kind in kinds for name in kind.shared} | set(ALWAYS_SHARED.get(cloud, ())))
    return RenderContext(
        spec=spec, slug=slugify(spec.project_name), cloud=cloud, region=spec.plan.region,
        features=_features(spec, kinds), terraform=terraform, containers=containers,
        shared=shared, constraints_sha256=constraints_sha,
    )
