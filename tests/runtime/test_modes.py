"""flight_telemetry gives the same per-flight parquet and summary in local, pool and dask modes."""

from __future__ import annotations

import json

import polars as pl

from agilab_lab.cli import main
from agilab_lab.runtime.records import run_dir
from agilab_lab.store.event_buffer import log_lines

from .conftest import same_frames

ARGS = {"flights": 6, "points_per_flight": 300, "seed": 7}


def _outputs(home, record) -> dict[str, pl.DataFrame]:
    root = run_dir(home, record.id)
    return {p.relative_to(root).as_posix(): pl.read_parquet(p) for p in sorted(root.rglob("*.parquet"))}


def test_local_pool_and_dask_produce_the_same_results(agi, lab, home):
    records = {mode: agi.run("flight_telemetry", mode=mode, workers=2, **ARGS) for mode in ("local", "pool", "dask")}
    for mode, record in records.items():
        assert record.status == "succeeded", (mode, record.error)
        # The workers' log lines were streamed as events in every mode, not only stored at the end.
        logs = [line for e in lab.events.since(f"run:{record.id}") if e.kind == "log" for line in log_lines(e.payload)]
        assert any("FL00003: 1 flight(s), 300 points" in line for line in logs), mode
    local = records["local"]
    assert local.result["flights"] == 6 and local.result["points"] == 1800
    expected = _outputs(home, local)
    assert "flights.parquet" in expected and "outputs/flights/FL00005.parquet" in expected
    for mode in ("pool", "dask"):
        assert records[mode].result == local.result
        got = _outputs(home, records[mode])
        assert got.keys() == expected.keys()
        for name, frame in expected.items():
            same_frames(got[name], frame)
    # Every file of the run is in the manifest and in the record, with its sha256.
    manifest = json.loads((run_dir(home, local.id) / "manifest.json").read_text())
    assert {a["path"] for a in manifest} == {a.path for a in local.artifacts}
    assert any(a.path == "trajectories.vl.json" for a in local.artifacts)


def test_get_distrib_previews_the_plan_run_executes(agi):
    preview = agi.get_distrib("minimal_app", mode="local", workers=3, items=7, weights="linear")
    record = agi.run("minimal_app", mode="local", workers=3, items=7, weights="linear")
    assert record.plan == preview.summary()
    assert sum(p["items"] for p in record.plan) == 7
    assert record.extra["plan_key"] == preview.key


def test_cli_run_json_has_the_documented_shape(home, capsys):
    code = main(["run", "flight_telemetry", "--mode", "local", "--set", "flights=3", "--set",
                 "points_per_flight=50", "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"run_id", "app", "mode", "status", "seconds", "plan", "result", "artifacts"}
    assert data["status"] == "succeeded" and data["result"]["flights"] == 3
    assert set(data["plan"][0]) == {"worker", "items", "weight"}
    assert set(data["artifacts"][0]) == {"path", "sha256", "size_bytes"}
    assert "running" in err  # progress goes to stderr, never to stdout


def test_cli_bad_args_are_one_line_errors_with_exit_code_2(home, capsys):
    assert main(["run", "flight_telemetry", "--set", "flights=-1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "flights" in err
    assert main(["run", "no_such_app"]) == 2
    assert "unknown app" in capsys.readouterr().err
    assert main(["run", "minimal_app", "--set", "bogus"]) == 2
