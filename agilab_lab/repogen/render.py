"""Render a RepoSpec into the files of its repository: ``generate(spec) -> {path: bytes}``.

Rendering is pure and deterministic: no clock, no randomness, no I/O beyond reading the
package's templates, and paths come out sorted. The same spec gives the same bytes.
"""

from __future__ import annotations

import tomllib
from functools import cache, lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined

from agilab_lab.agents.types import Component, RepoSpec

from .context import RenderContext, build_context, safe_text, slugify
from .iam_bindings import gcp_secret_grants
from .images import REGISTRY, image_variables
from .implementation import implementation_map
from .kinds import is_terraform_kind
from .manifest import selected
from .reports import dump_json, generation_reports
from .terraform import render_terraform
from .workload import (
    families,
    feature_store,
    partition_env,
    rag_provider,
    redis_entra_caches,
    sdk_closures,
    serving_contract,
    serving_env,
    serving_needs_network,
    serving_secrets,
    stream_broker,
    stream_consumer,
)

ANSWERS_FILE = ".agilab-answers.json"
# Capabilities on the data path, in flow order; every other capability (orchestrate, observe,
# govern, track, ...) is drawn in an "operations" group beside the path.
DATA_FLOW = ("ingest", "stream", "streaming", "transform", "store", "storage", "warehouse",
             "feature", "features", "vector", "retrieval", "train", "training", "batch", "serve",
             "serving")
CLASSIFICATION_FEATURES = ("feature_1", "feature_2", "feature_3", "feature_4", "feature_5")
REGRESSION_FEATURES = ("lag_1", "lag_7", "lag_28", "promo", "price_index")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("agilab_lab.repogen", "templates"),
        undefined=StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True, autoescape=False,
    )


@cache
def _data(name: str) -> dict:
    text = resources.files("agilab_lab.repogen").joinpath(f"data/{name}").read_text()
    return tomllib.loads(text)


def _name(pin: str) -> str:
    return pin.split("==")[0].lower().replace("_", "-")


def pins(online: bool, sdks: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """(runtime pins, dev pins) for a repo with or without the online API, plus the cloud SDK
    closures named in ``sdks`` (keys of data/sdk_pins.toml). A package pinned twice keeps one
    line; a runtime pin is not repeated in the dev file."""
    data, sdk = _data("pins.toml"), _data("sdk_pins.toml")
    runtime = data["runtime"] + (data["online"] if online else [])
    for key in sdks:
        runtime += sdk[key]
    runtime = list({_name(pin): pin for pin in runtime}.values())
    taken = {_name(pin) for pin in runtime}
    dev = [pin for pin in data["dev"] + (data["dev_online"] if online else [])
           if _name(pin) not in taken]
    return sorted(runtime, key=str.lower), sorted(dev, key=str.lower)


def container_image(component: Component) -> str | None:
    """Versioned image of a self-hosted component, or None when the generator knows none."""
    haystack = f"{component.option_id} {component.service}".lower()
    return next((image for key, image in _data("container_images.toml")["images"].items()
                 if key in haystack), None)


def _compose_services(containers: list[Component]) -> list[tuple[str, Component, str]]:
    """(unique service name, component, image) of the self-hosted components with an image."""
    services, seen = [], set()
    for component in containers:
        image = container_image(component)
        if image is None:
            continue
        name = base = slugify(component.capability, max_len=40)
        count = 1
        while name in seen:
            count += 1
            name = f"{base}-{count}"
        seen.add(name)
        services.append((name, component, image))
    return services


def _first_service(ctx: RenderContext, categories: tuple[str, ...]) -> str | None:
    return next((t.component.service for t in ctx.terraform if t.kind.category in categories),
                None)


def _diagram(ctx: RenderContext) -> dict:
    """Mermaid nodes: the data path chained in flow order, the rest grouped as operations."""
    rank = {name: i for i, name in enumerate(DATA_FLOW)}
    nodes = [{"id": f"n{index}", "index": index, "rank": rank.get(c.capability),
              "label": f"{c.capability}: {c.service}".replace('"', "'").replace("\n", " ")}
             for index, c in enumerate(ctx.spec.plan.components)]
    path = sorted((n for n in nodes if n["rank"] is not None), key=lambda n: (n["rank"], n["index"]))
    edges = [(a["id"], b["id"]) for a, b in zip(path, path[1:], strict=False)]
    return {"path": path, "operations": [n for n in nodes if n["rank"] is None], "edges": edges}


def _provisioned_by(ctx: RenderContext) -> list[str]:
    """Per planned component (in plan order): what provisions it."""
    labels = iter(t.label for t in ctx.terraform)
    result = []
    for c in ctx.spec.plan.components:
        if is_terraform_kind(c.terraform_kind):
            result.append(f"Terraform (`infra/terraform/{ctx.cloud}/{next(labels)}.tf`)")
        elif container_image(c):
            result.append("container (`infra/docker/compose.yaml`)")
        else:
            result.append("self-hosted by the team (no image known to the generator)")
    return result


def template_variables(ctx: RenderContext) -> dict:
    """Everything the templates may use, derived from the context."""
    features = ctx.features
    runtime_pins, dev_pins = pins(features.online, sdk_closures(ctx))
    with_images = _compose_services(ctx.containers)
    serving = _first_service(ctx, ("serving",))
    batch = next(filter(None, (_first_service(ctx, (category,))
                               for category in ("batch", "orchestration", "warehouse"))), None)
    workloads = ctx.spec.plan.workloads or ctx.spec.constraints.workloads
    regression = features.task == "regression"
    variables = ctx.as_template_vars()
    variables["f"] = {**variables["f"], "containers": bool(with_images), **families(ctx)}
    variables.update(
        serving=serving_contract(ctx), families=families(ctx), partition_env=partition_env(ctx),
        rag=rag_provider(ctx),
        implementation=implementation_map(ctx, {id(c): name for name, c, _ in with_images}),
        description=safe_text(f"{', '.join(w.replace('_', ' ') for w in workloads) or 'ML system'} "
                              f"on {ctx.cloud.upper()} ({ctx.region}), generated by agilab-lab.",
                              max_len=300),
        runtime_pins=runtime_pins, dev_pins=dev_pins,
        containers_with_images=with_images, provisioned_by=_provisioned_by(ctx),
        diagram=_diagram(ctx),
        serving_target=serving or batch or _first_service(ctx, ("training",)) or "local",
        batch_note=f"In production this runs as {batch}." if batch else "Runs on a schedule.",
        stream_service=_first_service(ctx, ("streaming",)) or "the event stream",
        stream=stream_broker(ctx), stream_consumer=stream_consumer(ctx),
        serving_env=serving_env(ctx), serving_network=serving_needs_network(ctx),
        serving_secrets=serving_secrets(ctx),
        redis_entra_caches=redis_entra_caches(ctx),
        serving_secret_grants=lambda label: gcp_secret_grants(ctx, label),
        feature_store=feature_store(ctx),
        vector_service=_first_service(ctx, ("vector_search",)) or "a managed vector store",
        feature_store_service=_first_service(ctx, ("feature_store",)),
        monitoring_service=_first_service(ctx, ("monitoring",)),
        orchestration_service=_first_service(ctx, ("orchestration",)),
        feature_names=REGRESSION_FEATURES if regression else CLASSIFICATION_FEATURES,
        target_name="demand" if regression else "label",
        training_service=_first_service(ctx, ("training",)),
        entry_module=("ml.forecasting.batch_forecast" if families(ctx)["forecast"] else
                      "ml.vision.batch_infer" if families(ctx)["vision"] and features.batch else
                      "ml.vision.train" if families(ctx)["vision"] else
                      "ml.pipelines.batch_score" if features.batch else
                      "ml.streaming.consumer" if features.streaming else "ml.training.train"),
    )
    return variables


def answers(ctx: RenderContext) -> dict:
    """Provenance: enough to regenerate or update this repository later."""
    spec = ctx.spec
    return {"generator": "agilab-lab", "generator_version": ctx.generator_version,
            "project_id": spec.project_id, "decision_set_id": spec.decision_set_id,
            "version": spec.version, "constraints_sha256": ctx.constraints_sha256,
            "cloud": ctx.cloud, "region": ctx.region, "features": ctx.features.as_dict()}


def generate(spec: RepoSpec) -> dict[str, bytes]:
    """Path -> content of the generated repository, sorted by path."""
    ctx = build_context(spec)
    env = _environment()
    variables = template_variables(ctx)
    terraform = render_terraform(env, ctx, variables)
    # The CD workflow builds the image every image variable of the stack takes (images.py).
    variables.update(images=image_variables(terraform[f"infra/terraform/{ctx.cloud}/variables.tf"]),
                     registry=REGISTRY[ctx.cloud])
    texts: dict[str, str] = {}
    for path, template in selected(variables["f"]):
        texts[path] = env.get_template(template).render(variables) if template else ""
    texts.update(terraform)
    texts.update(generation_reports(ctx.spec, variables["implementation"]))
    texts[ANSWERS_FILE] = dump_json(answers(ctx))
    return {path: _normalise(text).encode() for path, text in sorted(texts.items())}


def _normalise(text: str) -> str:
    """Strip trailing spaces and end a non-empty file with exactly one newline."""
    if not text.strip():
        return ""
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines()) + "\n"
