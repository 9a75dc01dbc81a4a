import numpy as np

from ml.pipelines.sample_data import FEATURES, make_sample
from models.linear import LinearModel


def test_fit_learns_the_signal():
    x, y = make_sample(400, seed=1)
    model = LinearModel(feature_names=list(FEATURES)).fit(x, y)
    predictions = model.predict(x)
    assert np.mean((predictions >= 0.5) == (y >= 0.5)) > 0.85


def test_save_and_load_round_trip(tmp_path):
    x, y = make_sample(100, seed=2)
    model = LinearModel(feature_names=list(FEATURES)).fit(x, y)
    loaded = LinearModel.load(model.save(tmp_path / "model.json"))
    assert np.allclose(loaded.predict(x), model.predict(x))
