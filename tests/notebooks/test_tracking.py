"""With ``mlflow_tracking`` on, every run's params, metrics and artifacts land in MLflow."""

from __future__ import annotations

import pytest
from traitlets.config import Config

pytest.importorskip("mlflow")


@pytest.fixture
def tracked_agi(home, cluster_pool):
    from agilab_lab.core import Lab
    from agilab_lab.runtime import AGI
    from agilab_lab.settings import load_settings

    return AGI(Lab.open(load_settings(Config(), home=str(home), mlflow_tracking=True)), clusters=cluster_pool)


def test_a_run_is_logged_to_the_local_store(tracked_agi, home):
    from mlflow import MlflowClient

    record = tracked_agi.run("flight_telemetry", flights=3, points_per_flight=40)
    info = record.extra["mlflow"]
    assert "error" not in info and info["tracking_uri"] == f"sqlite:///{home / 'mlflow' / 'mlflow.db'}"

    client = MlflowClient(tracking_uri=info["tracking_uri"])
    run = client.get_run(info["run_id"])
    assert run.info.status == "FINISHED" and run.data.tags["agilab.run_id"] == record.id
    assert run.data.params["args.flights"] == "3" and run.data.params["mode"] == "local"
    assert run.data.metrics["result.distance_km"] == pytest.approx(record.result["distance_km"])
    assert run.data.metrics["result.points"] == 120 and run.data.metrics["seconds"] > 0
    logged = {a.path for a in client.list_artifacts(info["run_id"])}
    assert {"summary.json", "flights.parquet", "trajectories.vl.json", "log.txt"} <= logged
    assert "outputs" not in logged, "per-item outputs stay in the run directory"


def test_a_failed_run_is_logged_as_failed(tracked_agi):
    from mlflow import MlflowClient

    record = tracked_agi.run("minimal_app", items=3, fail_on="item-1")
    info = record.extra["mlflow"]
    assert record.status == "failed"
    assert MlflowClient(tracking_uri=info["tracking_uri"]).get_run(info["run_id"]).info.status == "FAILED"


def test_a_broken_store_keeps_the_run_and_says_why(home, cluster_pool):
    from agilab_lab.core import Lab
    from agilab_lab.runtime import AGI
    from agilab_lab.settings import load_settings

    settings = load_settings(Config(), home=str(home), mlflow_tracking=True, mlflow_tracking_uri="nosuchscheme://x")
    record = AGI(Lab.open(settings), clusters=cluster_pool).run("minimal_app", items=2)
    assert record.status == "succeeded" and record.result["items"] == 2
    assert "nosuchscheme" in record.extra["mlflow"]["error"]


def test_tracking_is_off_by_default(agi, home):
    record = agi.run("minimal_app", items=2)
    assert "mlflow" not in record.extra and not (home / "mlflow").exists()


def test_the_ui_link_needs_a_ui(home):
    from agilab_lab.tracking import MlflowTracker

    tracker = MlflowTracker("sqlite:///x.db", "e", home, ui_url="http://127.0.0.1:5000/")
    assert tracker.run_url("1", "abc") == "http://127.0.0.1:5000/#/experiments/1/runs/abc"
    assert MlflowTracker("sqlite:///x.db", "e", home).run_url("1", "abc") is None
