"""The whole pipeline runs end to end on sample data."""

from ml.pipelines.run import run


def test_pipeline_runs_every_step(tmp_path, sample_table):
    result = run(sample_table, tmp_path / "model.json", tmp_path / "out")
    assert result["promoted"] is True
    assert result["drift"]["drifted"] == []
