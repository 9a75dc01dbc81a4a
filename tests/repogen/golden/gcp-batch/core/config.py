"""Runtime configuration of batch on gcp, read from environment variables.

Nothing secret lives in this repository: credentials come from the runtime's identity
(GCP workload identity / instance role), never from files or defaults here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = "APP_"


@dataclass(frozen=True)
class Settings:
    """Settings of one process. Build it with :func:`load_settings`."""

    environment: str = "dev"
    cloud: str = "gcp"
    region: str = "europe-west1"
    data_dir: Path = Path("data")
    model_path: Path = Path("models/artifacts/model.json")
    serving_target: str = "Cloud Run job"
    log_level: str = "INFO"
    # HTTP contract of generic serving: readiness and prediction routes, port.
    health_route: str = "/health"
    predict_route: str = "/invocations"
    port: int = 8080
    feature_snapshot: Path = Path("data/processed/features.csv")

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def processed_dir(self) -> Path:
        return self.data_dir / "processed"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``APP_*`` variables (``APP_REGION``, ``APP_DATA_DIR``, ...)."""
    env = os.environ if env is None else env
    defaults = Settings()

    def get(name: str, default: str) -> str:
        return env.get(f"{ENV_PREFIX}{name.upper()}", default)

    return Settings(
        environment=get("environment", defaults.environment),
        cloud=get("cloud", defaults.cloud),
        region=get("region", defaults.region),
        data_dir=Path(get("data_dir", str(defaults.data_dir))),
        model_path=Path(get("model_path", str(defaults.model_path))),
        serving_target=get("serving_target", defaults.serving_target),
        log_level=get("log_level", defaults.log_level),
        port=int(env.get("PORT") or get("port", str(defaults.port))),
        feature_snapshot=Path(get("feature_snapshot", str(defaults.feature_snapshot))),
    )
