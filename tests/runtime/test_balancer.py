"""The balancer against the exact optimum, and the capacity predictor learning from telemetry."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agilab_lab.runtime.balancer import lpt_assign, makespan, optimal_makespan
from agilab_lab.runtime.contract import WorkItem
from agilab_lab.runtime.dispatcher import Dispatcher, WorkerSlot
from agilab_lab.runtime.predictor import MIN_SAMPLES, CapacityPredictor, replay

weights = st.lists(st.integers(min_value=1, max_value=50).map(float), min_size=1, max_size=7)


@settings(max_examples=150, deadline=None)
@given(weights=weights, m=st.integers(min_value=1, max_value=3))
def test_lpt_stays_within_grahams_bound_on_equal_workers(weights, m):
    capacities = [1.0] * m
    lpt = makespan(weights, capacities, lpt_assign(weights, capacities))
    optimum = optimal_makespan(weights, capacities)
    assert optimum <= lpt <= (4 / 3 - 1 / (3 * m)) * optimum + 1e-9


@settings(max_examples=150, deadline=None)
@given(weights=weights, capacities=st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0]), min_size=1, max_size=3))
def test_capacity_weighted_lpt_stays_within_the_uniform_machines_bound(weights, capacities):
    m = len(capacities)
    lpt = makespan(weights, capacities, lpt_assign(weights, capacities))
    optimum = optimal_makespan(weights, capacities)
    assert optimum <= lpt <= 2 * m / (m + 1) * optimum + 1e-9


def test_grahams_tight_instance_meets_the_bound_exactly():
    # m=2: LPT puts 3|3 then 2|2 then 2 -> 7, the optimum is 3+3 | 2+2+2 = 6: ratio 7/6 = 4/3 - 1/6.
    weights = [3.0, 3.0, 2.0, 2.0, 2.0]
    assert makespan(weights, [1.0, 1.0], lpt_assign(weights, [1.0, 1.0])) == 7
    assert optimal_makespan(weights, [1.0, 1.0]) == 6


def test_bad_capacities_are_refused():
    with pytest.raises(ValueError):
        lpt_assign([1.0], [])
    with pytest.raises(ValueError):
        lpt_assign([1.0], [1.0, 0.0])


class _Manager:
    """The smallest manager the dispatcher needs: 12 equal items."""

    def __init__(self):
        from pydantic import BaseModel

        class Args(BaseModel):
            n: int = 12

        self.args = Args()

    def plan_inputs(self):
        return {}

    def build_distribution(self, workers):
        return [WorkItem(id=f"i{k:02d}", weight=1.0) for k in range(self.args.n)]


def test_predictor_is_neutral_without_history_then_shifts_work_to_the_faster_worker(lab):
    predictor = CapacityPredictor(lab.store, lab.owner)
    slots = [WorkerSlot(name="fast"), WorkerSlot(name="slow")]
    assert predictor.capacities("app", ["fast", "slow"]) == [1.0, 1.0]
    before = Dispatcher().distribute("app", "h", _Manager(), slots, [1.0, 1.0])
    assert [len(a.items) for a in before.assignments] == [6, 6]

    # Measured: "fast" does 3 units/s, "slow" 1 unit/s; learned once each has MIN_SAMPLES runs.
    for _ in range(MIN_SAMPLES):
        assert predictor.capacities("app", ["fast", "slow"]) == [1.0, 1.0]
        predictor.record("app", None, "fast", items=6, weight=6.0, seconds=2.0)
        predictor.record("app", None, "slow", items=6, weight=6.0, seconds=6.0)
    capacities = predictor.capacities("app", ["fast", "slow"])
    assert capacities[0] == pytest.approx(3 * capacities[1])
    after = Dispatcher().distribute("app", "h", _Manager(), slots, capacities)
    assert [len(a.items) for a in after.assignments] == [9, 3]
    # A worker never measured gets the mean of the known ones, not zero.
    assert predictor.capacities("app", ["fast", "new"])[1] > 0


def test_plans_are_cached_by_their_inputs():
    dispatcher, slots = Dispatcher(), [WorkerSlot(name="a"), WorkerSlot(name="b")]
    first = dispatcher.distribute("app", "h", _Manager(), slots, [1.0, 1.0])
    assert dispatcher.distribute("app", "h", _Manager(), slots, [1.0, 1.0]) is first
    other = dispatcher.distribute("app", "h", _Manager(), slots, [2.0, 1.0])
    assert other.key != first.key and dispatcher.builds == 2


def test_millisecond_runs_do_not_teach_the_predictor(agi):
    record = agi.run("minimal_app", mode="local", workers=2, items=10)
    assert record.status == "succeeded"
    names = [p["worker"] for p in record.plan]
    assert agi.runner.predictor.capacities("minimal_app", names) == [1.0, 1.0]


def _plan(capacities):
    weights = [float(w) for w in (9, 8, 8, 7, 7, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1)]
    return lpt_assign(weights, capacities)


def _plan_changes(capacities_after) -> float:
    """Share of consecutive runs whose plan differs, over 40 noise seeds x 30 runs of two equal
    workers whose measured rate is off by up to +-30% each run (a loaded machine)."""
    import random

    changes = 0
    for seed in range(40):
        noise, runs, plans = random.Random(seed), [], []
        for _ in range(30):
            runs.append([(w, 100.0 * noise.uniform(0.7, 1.3)) for w in ("a", "b")])
            plans.append(_plan(capacities_after(runs)))
        changes += sum(a != b for a, b in zip(plans, plans[1:], strict=False))
    return changes / (40 * 29)


def test_noisy_timings_of_equal_workers_keep_the_plan_run_after_run():
    assert _plan_changes(lambda runs: replay(runs, ["a", "b"])) < 0.01


def test_the_last_runs_rates_alone_would_swing_the_plan():
    """What the smoothing is for: the same noise taken raw (one run's rates) moves the plan often."""
    assert _plan_changes(lambda runs: [rate for _, rate in runs[-1]]) > 0.3


def test_a_real_change_of_speed_is_followed():
    steady = [[("a", 100.0), ("b", 100.0)]] * 5
    slower = [[("a", 100.0), ("b", 50.0)]] * 15
    assert replay(steady, ["a", "b"]) == [1.0, 1.0]
    a, b = replay(steady + slower, ["a", "b"])
    assert a / b == pytest.approx(2.0, rel=0.1)


def test_two_consecutive_warm_plans_are_equal(agi):
    """Real runs with real (noisy) timings: once the history is warm, the plan stops moving."""
    args = {"items": 24, "weights": "linear", "spins_per_item": 600_000}
    records = [agi.run("minimal_app", mode="local", workers=2, **args) for _ in range(MIN_SAMPLES + 2)]
    assert all(r.status == "succeeded" for r in records)
    learned = agi.runner.predictor.history("minimal_app", ["local-0", "local-1"])
    assert len(learned) >= MIN_SAMPLES, "runs too short to teach the predictor"
    assert records[-1].plan == records[-2].plan
