"""Drift detection flags a shifted feature and stays quiet on the same distribution."""

import numpy as np

from ml.monitoring.drift import PSI_ALERT, drift_report, main, psi
from ml.pipelines.sample_data import FEATURES, make_sample, write_sample


def test_same_distribution_does_not_drift():
    reference, _ = make_sample(2000, seed=1)
    current, _ = make_sample(2000, seed=2)
    assert drift_report(reference, current)["drifted"] == []


def test_a_shifted_feature_drifts():
    reference, _ = make_sample(2000, seed=1)
    current, _ = make_sample(2000, seed=2)
    current[:, 0] += 1.5
    report = drift_report(reference, current)
    assert report["drifted"] == [FEATURES[0]]
    assert report["psi"][FEATURES[0]] > PSI_ALERT


def test_psi_of_a_constant_reference_is_zero():
    assert psi(np.zeros(100), np.ones(100)) == 0.0


def test_cli_exit_code_follows_drift(tmp_path):
    reference = write_sample(tmp_path / "ref.csv", seed=1)
    assert main(["--reference", str(reference), "--current", str(reference)]) == 0
