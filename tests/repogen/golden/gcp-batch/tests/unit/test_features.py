import pytest

from ml.pipelines.features import load_table, train_test_split
from ml.pipelines.sample_data import FEATURES


def test_load_table_reads_features_and_target(sample_table):
    x, y = load_table(sample_table)
    assert x.shape == (500, len(FEATURES))
    assert y is not None and len(y) == 500


def test_load_table_rejects_missing_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("unrelated\n1\n")
    with pytest.raises(ValueError, match="lacks feature columns"):
        load_table(path)


def test_split_is_seeded_and_disjoint(sample_table):
    x, y = load_table(sample_table)
    first = train_test_split(x, y)
    second = train_test_split(x, y)
    assert all((a == b).all() for a, b in zip(first, second, strict=True))
    assert len(first[0]) + len(first[1]) == len(x)
