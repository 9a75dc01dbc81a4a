"""``RunRequest``: everything a caller can ask of a run, validated once at the edge."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import BadArgs

Mode = Literal["local", "pool", "dask"]


class RunRequest(BaseModel):
    """What to run and where.

    ``workers`` is a count (local, pool, on-demand LocalCluster) or, for ``dask`` over SSH,
    ``{"host[:port]": n_workers}``. ``retries`` is how many times a task whose Dask worker
    left mid-run is re-run elsewhere; ``timeout_s`` bounds the whole execution.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    app: str = Field(min_length=1)
    mode: Mode = "local"
    scheduler: str | None = None
    workers: int | dict[str, int] | None = None
    args: dict[str, Any] = Field(default_factory=dict)
    timeout_s: float = Field(default=600.0, gt=0)
    retries: int = Field(default=1, ge=0, le=3)

    @model_validator(mode="after")
    def _check_cluster_fields(self) -> RunRequest:
        if isinstance(self.workers, int) and self.workers < 1:
            raise ValueError("workers must be at least 1")
        if isinstance(self.workers, dict):
            if self.mode != "dask" or self.scheduler:
                raise ValueError('workers as {"host": n} (SSH hosts) needs mode "dask" and no scheduler')
            if not self.workers or any(n < 1 for n in self.workers.values()):
                raise ValueError("each SSH host needs at least 1 worker")
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
