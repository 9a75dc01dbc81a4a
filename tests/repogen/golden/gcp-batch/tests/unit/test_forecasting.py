"""The forecaster beats the naive baselines on held-out weeks; the batch job partitions."""

import numpy as np
import pytest

from ml.forecasting.batch_forecast import forecast_partition, partition_from_env, partition_of
from ml.forecasting.model import HoltWinters, mae, naive, seasonal_naive
from ml.forecasting.series import load_series, make_series, write_series

HORIZON = 28


def _backtest(method):
    errors = []
    for values in make_series(n_series=6).values():
        history, holdout = values[:-HORIZON], values[-HORIZON:]
        errors.append(mae(holdout, method(history)))
    return float(np.mean(errors))


def test_holt_winters_beats_the_naive_baselines():
    model = _backtest(lambda y: HoltWinters().fit(y).forecast(HORIZON))
    assert model < 0.5 * _backtest(lambda y: naive(y, HORIZON))
    assert model < _backtest(lambda y: seasonal_naive(y, HORIZON))


def test_too_short_a_history_is_refused():
    with pytest.raises(ValueError, match="at least"):
        HoltWinters().fit(np.ones(5))


def test_series_round_trip_and_gaps(tmp_path):
    series = make_series(n_series=2, n_days=30)
    loaded = load_series(write_series(tmp_path / "s.csv", series))
    assert set(loaded) == set(series)
    assert np.allclose(loaded["series-000"], series["series-000"], atol=1e-3)
    gappy = tmp_path / "gap.csv"
    gappy.write_text("series_id,day,value\na,0,1\na,2,1\n")
    with pytest.raises(ValueError, match="missing days"):
        load_series(gappy)


def test_partitions_cover_every_series_once(tmp_path):
    table = write_series(tmp_path / "series.csv", make_series(n_series=9, n_days=70))
    results = [forecast_partition(table, tmp_path / "out", i, 3, horizon=14) for i in range(3)]
    assert sum(r["series"] for r in results) == 9
    written = [p for p in (tmp_path / "out").glob("partition=*/forecasts.csv")]
    rows = sum(len(p.read_text().splitlines()) - 1 for p in written)
    assert len(written) == 3 and rows == 9 * 14
    assert all(partition_of("series-001", 3) == partition_of("series-001", 3) for _ in range(2))


def test_partition_comes_from_the_platform():
    assert partition_from_env({}) == (0, 1)
    assert partition_from_env({"APP_PARTITION_INDEX": "2", "APP_PARTITION_COUNT": "4"}) == (2, 4)
    with pytest.raises(ValueError):
        partition_from_env({"APP_PARTITION_INDEX": "4", "APP_PARTITION_COUNT": "4"})
