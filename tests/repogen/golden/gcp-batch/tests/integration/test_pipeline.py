"""Sample data -> training -> evaluation gate -> deployment manifest, end to end."""

import json

from core.config import Settings
from ml.deployment.deploy import build_manifest
from ml.evaluation.evaluate import main as evaluate_main
from ml.evaluation.evaluate import passes_gate
from ml.training.train import main as train_main


def test_training_run_passes_the_promotion_gate(trained_model):
    _, metrics = trained_model
    assert passes_gate(metrics)


def test_command_line_pipeline(tmp_path, capsys):
    table, model = tmp_path / "sample.csv", tmp_path / "model.json"
    assert train_main(["--sample", "--table", str(table), "--model", str(model)]) == 0
    metrics = json.loads(capsys.readouterr().out)["metrics"]
    assert evaluate_main(["--table", str(table), "--model", str(model)]) == 0
    manifest = build_manifest(Settings(), model, metrics)
    assert manifest["target"] == "Cloud Run job"
    assert len(manifest["model_sha256"]) == 64
