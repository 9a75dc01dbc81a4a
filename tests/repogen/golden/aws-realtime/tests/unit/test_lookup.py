"""The online feature lookup serves the snapshot the feature pipeline wrote."""

import pytest

from ml.features.lookup import SnapshotFeatureStore, load_feature_store, write_snapshot
from ml.pipelines.sample_data import FEATURES, make_sample


def test_snapshot_round_trip(tmp_path):
    x, _ = make_sample(5)
    store = SnapshotFeatureStore.from_csv(write_snapshot(tmp_path / "features.csv", x))
    assert store.get("entity-3") == pytest.approx(list(x[3]), abs=1e-6)
    assert len(store.get("entity-0")) == len(FEATURES)
    assert store.get("unknown") is None


def test_snapshot_without_feature_columns_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("entity_id,other\ne-1,1.0\n")
    with pytest.raises(ValueError, match="lacks columns"):
        SnapshotFeatureStore.from_csv(path)


def test_without_a_managed_store_the_snapshot_is_served(tmp_path):
    x, _ = make_sample(3)
    snapshot = write_snapshot(tmp_path / "features.csv", x)
    store = load_feature_store(snapshot, env={})
    assert isinstance(store, SnapshotFeatureStore)
    assert store.get("entity-1") == pytest.approx(list(x[1]), abs=1e-6)
    assert load_feature_store(tmp_path / "missing.csv", env={}) is None
