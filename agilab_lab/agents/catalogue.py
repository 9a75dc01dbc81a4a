"""The capability catalogue: which service can fill which capability, where, at what price.

The knowledge lives in TOML files under ``agents/data`` (one per cloud plus ``oss.toml``,
``regions.toml``, ``regimes.toml`` and ``assumptions.toml``); this module loads and validates them. Nothing
about a service is written in code.

Cost model kinds (field ``cost.kind`` of an option):

``instance_hours``  always-on capacity: ``units = max(min_units, ceil(peak_rps / rps_per_unit))``
                    (just ``min_units`` without ``rps_per_unit``), billed 730 h a month.
``requests``        billed per million requests at the *average* rate.
``gb_processed``    billed per GB moved or scanned, 30 days of the daily volume.
``gb_stored``       billed per GB-month for ``retention_days`` of the daily volume.
``job_hours``       batch jobs: ``hours = max(min_hours, gb_per_run / (gb_per_unit_hour * min_units))``
                    per run; ``per_run = "day"`` runs daily on the daily volume, ``"training"``
                    runs at the retrain cadence on the training window.
                    When the requirements state a model size, a training option is priced in
                    accelerator hours instead: ``6 x parameters x tokens`` FLOPs at the
                    utilisation in ``assumptions.toml``, times ``gpu_hour_usd`` (one A100-class
                    GPU-hour on that service: the 8-GPU instance's list price / 8); an option
                    without ``gpu_hour_usd`` cannot train such a model.
``per_run``         a fee per pipeline run.
``fixed``           only ``base_monthly_usd``.
``tokens``          an LLM API: ``requests x (input tokens x unit_price + output tokens x
                    output_price_usd) / 1M`` (generation), or for embeddings ``(corpus tokens x
                    monthly refresh share + requests x query tokens) x unit_price / 1M``.
``gpu_tokens``      self-hosted open weights on GPU VMs: ``replicas = max(min_units, ceil(peak
                    tokens/s / tokens_per_unit_second))``, each of ``ceil(model GB / gpu_memory_gb)``
                    GPUs, billed 730 h.

Sizing beyond requests: ``index_gb_per_unit`` (vector stores) adds units for the index size
(corpus tokens / chunk tokens vectors of ``embedding_dim`` floats); ``images_per_unit_hour`` (GPU
jobs) turns images per run into unit-hours. A batch job longer than its window (``batch_window_hours``
for daily jobs, the retrain interval for training) scales out to more units and says so.

Every kind adds ``base_monthly_usd``. Prices scale by the region multiplier.
``accelerator = "gpu"`` marks GPU options; ``assumptions.toml [gpu_needs]`` says which workloads
need a GPU for which capability (vision, deep learning, LLM fine-tuning and serving). Each
option's ``covers`` lists the capabilities it fills and ``formula()`` its sizing formula.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

CAPABILITIES = (
    "ingest", "stream", "transform", "store", "feature", "train",
    "serve", "embed", "vector", "generate", "orchestrate", "observe", "govern",
)
CLOUDS = ("aws", "gcp", "azure")
CLOUD_FILES = (*CLOUDS, "oss")

CostKind = Literal["instance_hours", "requests", "gb_processed", "gb_stored", "job_hours", "per_run", "fixed",
                   "tokens", "gpu_tokens"]
FORMULAS = {
    "instance_hours": "units = max(min_units, ceil(peak rps / rps_per_unit)[, ceil(index GB / index_gb_per_unit)])"
                      " x unit price x 730 h",
    "requests": "average rps x seconds a month / 1M x price per million",
    "gb_processed": "GB per day x 30 x price per GB",
    "gb_stored": "GB per day x retention days x price per GB-month",
    "job_hours": "runs a month x max(min_hours, GB (or images) per run / throughput per unit-hour / units) x units"
                 " x unit price; units grow until a run fits its window",
    "per_run": "pipeline runs a month x price per run",
    "fixed": "base monthly fee",
    "tokens": "requests a month x (input tokens x input price + output tokens x output price) / 1M;"
              " embeddings: (corpus tokens x refresh share + queries x query tokens) x price / 1M",
    "gpu_tokens": "max(min_units, ceil(peak tokens/s / tokens_per_unit_second)) replicas x GPUs per replica"
                  " x GPU-hour price x 730 h",
}


class CatalogueError(ValueError):
    """A catalogue data file is missing, malformed or inconsistent."""


class CostModel(BaseModel):
    """How one option turns demand into a monthly bill (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    kind: CostKind
    unit: str
    unit_price_usd: float = Field(ge=0)
    unit_price_by_cloud: dict[str, float] = Field(default_factory=dict)
    base_monthly_usd: float = Field(default=0.0, ge=0)
    rps_per_unit: float | None = Field(default=None, gt=0)
    min_units: int = Field(default=1, ge=1)
    gb_per_unit_hour: float | None = Field(default=None, gt=0)
    min_hours: float = Field(default=0.0, ge=0)
    per_run: Literal["day", "training"] | None = None
    retention_days: int | None = Field(default=None, gt=0)
    gpu_hour_usd: float | None = Field(default=None, gt=0)
    gpu_hour_by_cloud: dict[str, float] = Field(default_factory=dict)
    output_price_usd: float = Field(default=0.0, ge=0)  # tokens: per 1M output tokens
    tokens_per_unit_second: float | None = Field(default=None, gt=0)  # gpu_tokens: one replica, 7B-class model
    gpu_memory_gb: float | None = Field(default=None, gt=0)  # gpu_tokens: memory of one GPU
    index_gb_per_unit: float | None = Field(default=None, gt=0)  # vector stores: index GB one unit holds
    images_per_unit_hour: float | None = Field(default=None, gt=0)  # GPU jobs: images one unit handles an hour

    @model_validator(mode="after")
    def _kind_has_its_fields(self) -> CostModel:
        if self.kind == "job_hours" and (self.gb_per_unit_hour is None or self.per_run is None):
            raise ValueError("job_hours needs gb_per_unit_hour and per_run")
        if self.kind == "gb_stored" and self.retention_days is None:
            raise ValueError("gb_stored needs retention_days")
        if self.kind == "gpu_tokens" and (self.tokens_per_unit_second is None or self.gpu_memory_gb is None):
            raise ValueError("gpu_tokens needs tokens_per_unit_second and gpu_memory_gb")
        return self

    def unit_price(self, cloud: str) -> float:
        return self.unit_price_by_cloud.get(cloud, self.unit_price_usd)

    def gpu_price(self, cloud: str) -> float | None:
        """USD per GPU-hour on ``cloud``, or None when the option offers no GPUs."""
        return self.gpu_hour_by_cloud.get(cloud, self.gpu_hour_usd)


class Option(BaseModel):
    """One service that can fill one capability."""

    model_config = ConfigDict(extra="forbid")

    id: str
    capability: Literal[CAPABILITIES]  # type: ignore[valid-type]
    service: str
    provider: Literal["aws", "gcp", "azure", "oss"]
    terraform_kind: str
    tools: list[str] = Field(default_factory=list)
    modes: list[Literal["online", "batch", "stream"]] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=lambda: ["*"])
    compliance: list[str]
    latency_ms_p99: float | None = Field(default=None, gt=0)
    max_rps: float | None = Field(default=None, gt=0)
    max_gb_per_day: float | None = Field(default=None, gt=0)
    ops_burden: int = Field(ge=1, le=5)
    price_date: str
    cost: CostModel
    accelerator: Literal["gpu"] | None = None
    model: str | None = None  # the model an LLM or embedding option calls
    gpu: str | None = None  # the GPU class, e.g. "1 x NVIDIA A10G (24 GB)"
    covers: list[str] = Field(default_factory=list)  # other capabilities it fills besides its own
    # LLM latency: time to first token plus per output token (p99 is then demand-dependent)
    ttft_ms: float | None = Field(default=None, gt=0)
    ms_per_output_token: float | None = Field(default=None, gt=0)

    def formula(self) -> str:
        """How the option is sized and priced (FORMULAS of its cost kind)."""
        return FORMULAS[self.cost.kind]

    def latency_for(self, output_tokens: float | None) -> float | None:
        """p99 milliseconds of one request; LLMs add time per output token."""
        if self.ttft_ms is not None and self.ms_per_output_token is not None:
            return self.ttft_ms + (output_tokens or 0.0) * self.ms_per_output_token
        return self.latency_ms_p99

    def runs_on(self, cloud: str) -> bool:
        return self.provider in (cloud, "oss")

    def listed_in(self, region: str) -> bool:
        """Whether the option's own region list admits ``region`` (see ``Catalogue.unavailable``)."""
        return "*" in self.regions or region in self.regions


class Region(BaseModel):
    """One provider region: where it is, what it costs, what it lacks (regions.toml)."""

    model_config = ConfigDict(extra="forbid")

    code: str
    geo: str
    country: str
    city: str
    multiplier: float = Field(gt=0)
    fedramp: Literal["moderate", "high"] | None = None
    lacks: list[str] = Field(default_factory=list)

    def in_area(self, area: str) -> bool:
        """Whether the region lies in a residency area ("eu", "us", "de", ...)."""
        return area.lower() in (self.geo, self.country)


class Regime(BaseModel):
    """What one compliance regime asks of a plan (regimes.toml)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: Literal["certification", "privacy_law", "organisational"]
    obligations: str
    residency: list[str] = Field(default_factory=list)
    region_field: Literal["fedramp"] | None = None


class Assumptions(BaseModel):
    """Sizing defaults used when the requirements leave a number out."""

    model_config = ConfigDict(extra="forbid")

    hours_per_month: float
    seconds_per_month: float
    avg_to_peak_ratio: float = Field(gt=0, le=1)
    default_peak_rps: float
    default_gb_per_day: float
    default_cadence: Literal["hourly", "daily", "weekly", "monthly"]
    log_kb_per_request: float
    network_hop_ms: float
    runs_per_month: dict[str, float]
    training_window_days: dict[str, float]
    tokens_per_gb: float = Field(gt=0)
    flops_per_param_token: float = Field(gt=0)
    gpu_peak_tflops: float = Field(gt=0)
    gpu_utilisation: float = Field(gt=0, le=1)
    default_training_tokens_billion: float = Field(gt=0)
    # workload sizing (issue 10): LLM requests, corpora, images, batch windows, overhead drivers
    prompt_tokens: float = Field(gt=0)
    answer_tokens: float = Field(gt=0)
    query_tokens: float = Field(gt=0)
    tokens_per_page: float = Field(gt=0)
    tokens_per_document: float = Field(gt=0)
    chunk_tokens: float = Field(gt=0)
    embedding_dim: int = Field(gt=0)
    index_overhead: float = Field(gt=0)
    corpus_refresh_per_month: float = Field(ge=0, le=1)
    mb_per_image: float = Field(gt=0)
    training_epochs: float = Field(gt=0)
    max_training_images: float = Field(gt=0)
    batch_window_hours: float = Field(gt=0)
    gpu_needs: dict[str, list[str]] = Field(default_factory=dict)


class Catalogue(BaseModel):
    """All options, regions and assumptions, validated together."""

    options: list[Option]
    regions: dict[str, dict[str, Region]]
    regimes: dict[str, Regime] = Field(default_factory=dict)
    assumptions: Assumptions
    price_date: str

    def get(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    def options_for(self, capability: str, cloud: str) -> list[Option]:
        return [o for o in self.options if o.capability == capability and o.runs_on(cloud)]

    def region(self, cloud: str, code: str) -> Region | None:
        return self.regions.get(cloud, {}).get(code)

    def regime(self, name: str) -> Regime:
        """The regime called ``name``; one the data does not describe counts as organisational."""
        name = name.lower()
        return self.regimes.get(name) or Regime(
            name=name, kind="organisational", obligations="not modelled by the catalogue: review it by hand")

    def unavailable(self, option: Option, cloud: str, code: str) -> str | None:
        """Why ``option`` cannot run in region ``code`` of ``cloud``, or None when it can."""
        region = self.region(cloud, code)
        if region is None:
            return f"{code} is not a {cloud} region the catalogue knows"
        if not option.listed_in(code) or option.id in region.lacks:
            return f"{option.service} is not offered in {code} ({region.city})"
        return None

    def multiplier(self, cloud: str, code: str) -> float:
        region = self.region(cloud, code)
        return region.multiplier if region else 1.0


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{path.name}: {exc}") from exc


def _load_options(data_dir: Path) -> list[Option]:
    options: list[Option] = []
    for name in CLOUD_FILES:
        raw = _read_toml(data_dir / "catalogue" / f"{name}.toml")
        defaults = {"provider": raw.get("cloud"), "price_date": raw.get("price_date"),
                    "compliance": raw.get("default_compliance", [])}
        for entry in raw.get("options", []):
            try:
                options.append(Option(**{**defaults, **entry}))
            except ValidationError as exc:
                raise CatalogueError(f"{name}.toml option {entry.get('id')!r}: {exc}") from exc
    return options


def _load_regions(data_dir: Path) -> dict[str, dict[str, Region]]:
    raw = _read_toml(data_dir / "regions.toml")
    return {cloud: {code: Region(code=code, **fields) for code, fields in table.items()}
            for cloud, table in raw.items()}


def _load_regimes(data_dir: Path) -> dict[str, Regime]:
    raw = _read_toml(data_dir / "regimes.toml")
    try:
        return {name: Regime(name=name, **fields) for name, fields in raw.items()}
    except ValidationError as exc:
        raise CatalogueError(f"regimes.toml: {exc}") from exc


def _check_consistency(catalogue: Catalogue) -> None:
    ids = [o.id for o in catalogue.options]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise CatalogueError(f"duplicate option ids: {sorted(duplicates)}")
    for cloud in CLOUDS:
        for capability in CAPABILITIES:
            if not catalogue.options_for(capability, cloud):
                raise CatalogueError(f"no option for capability {capability!r} on {cloud}")
        known = catalogue.regions.get(cloud, {})
        for option in catalogue.options:
            unknown = [r for r in option.regions if r != "*" and option.provider == cloud and r not in known]
            if unknown:
                raise CatalogueError(f"{option.id}: unknown regions {unknown}")
        for region in known.values():
            strangers = [i for i in region.lacks if i not in ids]
            if strangers:
                raise CatalogueError(f"regions.toml {cloud}.{region.code} lacks unknown options {strangers}")


def load_catalogue(data_dir: Path | None = None) -> Catalogue:
    """Load and validate the catalogue from ``data_dir`` (default: the packaged data)."""
    data_dir = data_dir or Path(str(resources.files("agilab_lab.agents").joinpath("data")))
    assumptions = Assumptions(**_read_toml(data_dir / "assumptions.toml"))
    options = _load_options(data_dir)
    dates = sorted({o.price_date for o in options})
    catalogue = Catalogue(options=options, regions=_load_regions(data_dir), regimes=_load_regimes(data_dir),
                          assumptions=assumptions, price_date=dates[-1] if dates else "")
    _check_consistency(catalogue)
    return catalogue


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The packaged catalogue, loaded once per process."""
    return load_catalogue()
