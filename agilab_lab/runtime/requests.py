"""``RunRequest``: everything a caller can ask of a run, validated once at the edge."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import BadArgs

Mode = Literal["local", "pool", "dask"]

# Bounds of what one request may ask for: a run is a notebook-sized job, not a cluster reservation.
MAX_WORKERS = 64  # per run, or per SSH host
MAX_SSH_HOSTS = 64
MAX_TIMEOUT_S = 7 * 86_400.0
WorkerCount = Annotated[int, Field(ge=1, le=MAX_WORKERS)]
SshHosts = Annotated[dict[Annotated[str, Field(min_length=1, max_length=255)], WorkerCount],
                     Field(min_length=1, max_length=MAX_SSH_HOSTS)]
Workers = WorkerCount | SshHosts | None
TimeoutS = Annotated[float, Field(gt=0, le=MAX_TIMEOUT_S, allow_inf_nan=False)]
_DASK = {"required": ["mode"], "properties": {"mode": {"const": "dask"}}}
# The cross-field rules of ``_check_cluster_fields`` as JSON Schema, for the OpenAPI document.
TARGET_RULES_SCHEMA = {"allOf": [
    {"if": {"required": ["scheduler"], "properties": {"scheduler": {"type": "string", "minLength": 1}}},
     "then": _DASK},
    {"if": {"required": ["workers"], "properties": {"workers": {"type": "object"}}},
     "then": {**_DASK, "properties": {**_DASK["properties"], "scheduler": {"anyOf": [
         {"type": "null"}, {"type": "string", "maxLength": 0}]}}}},
]}


class RunRequest(BaseModel):
    """What to run and where.

    ``workers`` is a count (local, pool, on-demand LocalCluster) or, for ``dask`` over SSH,
    ``{"host[:port]": n_workers}``. ``retries`` is how many times a task whose Dask worker
    left mid-run is re-run elsewhere; ``timeout_s`` bounds the whole execution.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=TARGET_RULES_SCHEMA)

    app: str = Field(min_length=1)
    mode: Mode = "local"
    scheduler: str | None = Field(default=None, max_length=512)
    workers: Workers = None
    args: dict[str, Any] = Field(default_factory=dict)
    timeout_s: TimeoutS = 600.0
    retries: int = Field(default=1, ge=0, le=3)

    @model_validator(mode="after")
    def _check_cluster_fields(self) -> RunRequest:
        if isinstance(self.workers, dict) and (self.mode != "dask" or self.scheduler):
            raise ValueError('workers as {"host": n} (SSH hosts) needs mode "dask" and no scheduler')
        if self.scheduler and self.mode != "dask":
            raise ValueError('scheduler needs mode "dask"')
        return self

    @classmethod
    def parse(cls, data: dict[str, Any]) -> RunRequest:
        """Validate ``data``; a bad request raises ``BadArgs`` with a one-line message."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise BadArgs.from_validation(exc, where="run request") from exc
