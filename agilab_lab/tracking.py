"""Experiment tracking: every finished run logged to MLflow when ``mlflow_tracking`` is on.

Parameters are the run's arguments and target, metrics its numeric results and timings, artifacts
the top-level files of its run directory. The default store is a SQLite file under the home, so
tracking works offline; ``mlflow_tracking_uri`` points it at a shared server instead.

A tracking failure never fails the run: the record keeps the error under ``extra.mlflow``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .runtime.records import RunRecord
from .settings import AgilabLabSettings

MAX_PARAM_CHARS = 500  # MLflow caps values at 6000 chars; long lists are not useful as params
# Per-item outputs can be thousands of files: the run directory keeps them, MLflow gets the summary.
SKIPPED_ARTIFACT_DIRS = {"outputs"}


def default_tracking_uri(home: Path) -> str:
    return f"sqlite:///{home / 'mlflow' / 'mlflow.db'}"


class MlflowTracker:
    """Logs run records to one MLflow experiment."""

    def __init__(self, tracking_uri: str, experiment: str, artifact_root: Path, ui_url: str = ""):
        self.tracking_uri, self.experiment = tracking_uri, experiment
        self.artifact_root, self.ui_url = artifact_root, ui_url.rstrip("/")

    @classmethod
    def from_settings(cls, settings: AgilabLabSettings) -> MlflowTracker | None:
        """The tracker the settings ask for, or ``None`` when tracking is off."""
        if not settings.mlflow_tracking:
            return None
        home = settings.home_path
        uri = settings.mlflow_tracking_uri or default_tracking_uri(home)
        if uri.startswith("sqlite:///"):
            Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        return cls(uri, settings.mlflow_experiment, home / "mlflow" / "artifacts", settings.mlflow_ui_url)

    def log(self, record: RunRecord, directory: Path) -> dict[str, Any]:
        """Log ``record`` and the files of ``directory``; return what ``extra.mlflow`` keeps."""
        from mlflow import MlflowClient
        from mlflow.entities import Metric, Param, RunTag

        client = MlflowClient(tracking_uri=self.tracking_uri)
        experiment_id = self._experiment_id(client)
        run = client.create_run(experiment_id, run_name=f"{record.app}-{record.id[:8]}",
                                tags={"agilab.run_id": record.id, "agilab.app": record.app,
                                      "agilab.mode": record.mode})
        mlflow_run_id = run.info.run_id
        now = int(time.time() * 1000)
        client.log_batch(
            mlflow_run_id,
            metrics=[Metric(k, v, now, 0) for k, v in run_metrics(record).items()],
            params=[Param(k, v) for k, v in run_params(record).items()],
            tags=[RunTag("agilab.status", record.status)],
        )
        for path in sorted(directory.iterdir()):
            if path.is_file():
                client.log_artifact(mlflow_run_id, str(path))
            elif path.is_dir() and path.name not in SKIPPED_ARTIFACT_DIRS:
                client.log_artifacts(mlflow_run_id, str(path), artifact_path=path.name)
        client.set_terminated(mlflow_run_id, "FINISHED" if record.status == "succeeded" else "FAILED")
        return {"run_id": mlflow_run_id, "experiment_id": experiment_id, "tracking_uri": self.tracking_uri,
                "url": self.run_url(experiment_id, mlflow_run_id)}

    def run_url(self, experiment_id: str, run_id: str) -> str | None:
        """The run's page in the MLflow UI, when one is configured (a SQLite store has no UI)."""
        return f"{self.ui_url}/#/experiments/{experiment_id}/runs/{run_id}" if self.ui_url else None

    def _experiment_id(self, client) -> str:
        experiment = client.get_experiment_by_name(self.experiment)
        if experiment is not None:
            return experiment.experiment_id
        self.artifact_root.mkdir(parents=True, exist_ok=True)
        return client.create_experiment(self.experiment, artifact_location=self.artifact_root.as_uri())


def run_params(record: RunRecord) -> dict[str, str]:
    """The run's arguments and target as MLflow params (strings)."""
    request = record.extra.get("request", {})
    params = {"app": record.app, "mode": record.mode, "workers": request.get("workers"),
              **{f"args.{k}": v for k, v in record.args.items()}}
    return {k: str(v)[:MAX_PARAM_CHARS] for k, v in params.items()}


def run_metrics(record: RunRecord) -> dict[str, float]:
    """Numeric results (``result.*``), the run's seconds and its phase timings (``timing.*``)."""
    metrics = {f"result.{k}": float(v) for k, v in record.result.items() if is_number(v)}
    metrics.update({f"timing.{k}": float(v) for k, v in record.timings.items() if is_number(v)})
    if record.seconds is not None:
        metrics["seconds"] = float(record.seconds)
    return metrics


def is_number(value: Any) -> bool:
    """A real number (``True`` is not one)."""
    return isinstance(value, int | float) and not isinstance(value, bool)
