"""The whole pipeline runs end to end on sample data."""

from ml.pipelines.run import run


def test_pipeline_runs_every_step(tmp_path, sample_table):
    result = run(sample_table, tmp_path / "model.json", tmp_path / "out")
    assert result["promoted"] is True
    assert result["drift"]["drifted"] == []
    assert result["scored_rows"] > 0
    assert (tmp_path / "out" / "predictions.csv").exists()
    forecast = result["forecast"]
    assert forecast["series"] > 0 and forecast["backtest_mae"] < forecast["seasonal_naive_mae"]
