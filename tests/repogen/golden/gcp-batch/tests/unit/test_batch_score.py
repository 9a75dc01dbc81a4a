import csv

from ml.pipelines.batch_score import score_table


def test_batch_scoring_writes_one_prediction_per_row(tmp_path, sample_table, trained_model):
    model_path, _ = trained_model
    out = tmp_path / "processed" / "predictions.csv"
    assert score_table(sample_table, model_path, out) == 500
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 500 and set(rows[0]) == {"row", "prediction"}
