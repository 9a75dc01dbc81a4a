"""What the runtime does around a run's work: the plan's inputs, the items' results, the records.

The bookkeeping is kept cheap (no per-file stats beyond one, no pydantic round trip per result,
few transactions); these tests pin what it must still do."""

from __future__ import annotations

import json
import threading
import time
import zipfile

import pytest
from sqlalchemy import select

from agilab_lab.core import Lab
from agilab_lab.runtime import AGI
from agilab_lab.runtime.node import executor
from agilab_lab.runtime.packaging import build_artifact, snapshot
from agilab_lab.runtime.predictor import CapacityPredictor, replay
from agilab_lab.runtime.records import run_dir
from agilab_lab.runtime.templates import create_app
from agilab_lab.store.event_buffer import EventBuffer, log_lines
from agilab_lab.store.events import EventLog
from agilab_lab.store.models import WorkerStat
from benchmarks.agilab_format import ensure_agilab_csvs

from .conftest import fail_first_succeeded_append


def test_the_flight_plan_follows_the_data_files_only(agi, tmp_path):
    data = tmp_path / "flights"
    paths = ensure_agilab_csvs(data, rows=28 * 20)
    (data / "notes.txt").write_text("not telemetry")
    (data / "nested.csv").mkdir()  # a directory named like data is not a data file
    manager = agi.app("flight_telemetry").manager_class()(agi.settings("flight_telemetry").validate(
        {"data_dir": str(data)}))
    listing = manager.plan_inputs()
    assert list(listing) == sorted(p.name for p in paths)
    assert listing[paths[0].name] == [paths[0].stat().st_size, paths[0].stat().st_mtime_ns]

    before = agi.get_distrib("flight_telemetry", data_dir=str(data))
    assert agi.get_distrib("flight_telemetry", data_dir=str(data)).key == before.key
    paths[0].write_text(paths[0].read_text() + "\n")  # a grown file is a new plan (its weight changed)
    after = agi.get_distrib("flight_telemetry", data_dir=str(data))
    assert after.key != before.key
    (data / "EXTRA_1.csv").write_text(paths[1].read_text())
    extra = agi.get_distrib("flight_telemetry", data_dir=str(data))
    assert "EXTRA_1" in {item.id for a in extra.assignments for item in a.items}


def test_items_json_holds_every_result_sorted_by_id(agi, home):
    record = agi.run("minimal_app", mode="local", workers=3, items=7)
    items = json.loads((run_dir(home, record.id) / "items.json").read_text())
    assert [i["id"] for i in items] == sorted(f"item-{k}" for k in range(7))
    assert {i["worker"] for i in items} == {"local-0", "local-1", "local-2"}
    assert all(isinstance(i["result"], dict) for i in items)
    assert record.result["items"] == 7


def test_a_worker_returning_a_non_dict_fails_the_run(agi, home, tmp_path):
    path = create_app("listy", "dag", tmp_path, home)
    worker = path / "listy_worker" / "worker.py"
    source = worker.read_text()
    assert 'return {"rows": len(state["clean"]), "total": state["score"]}' in source
    worker.write_text(source.replace('return {"rows": len(state["clean"]), "total": state["score"]}',
                                     'return [len(state["clean"]), state["score"]]'))
    record = agi.run("listy", mode="local")
    assert record.status == "failed"
    assert "returned a list for item" in record.error and "not a dict" in record.error


def test_a_buffer_flushed_in_a_session_commits_or_rolls_back_with_it(store):
    log = EventLog(store)
    buffer = EventBuffer(log, "alice", max_delay_s=0)
    buffer.add("run:y", "log", {"i": 0})
    with pytest.raises(RuntimeError), store.session() as session:
        buffer.add("run:y", "status", {"state": "succeeded"}, flush=True, session=session)
        assert len(buffer) == 0
        raise RuntimeError("the change the events record failed")
    assert log.since("run:y") == []
    buffer.add("run:y", "log", {"i": 1}, flush=True)  # no session: written at once, on its own
    assert [e.payload for e in log.since("run:y")] == [{"i": 1}]
    assert log.verify_chain().ok


def test_joined_puts_back_what_waited_before_a_failed_transaction(store):
    """Inside ``joined()`` a rolled-back transaction loses only its own events: those that waited
    before it (a local run's log lines and task ends) are written by the next flush."""
    log = EventLog(store)
    buffer = EventBuffer(log, "alice", max_delay_s=0)
    buffer.add("run:z", "log", {"i": 0})
    buffer.add("run:z", "worker", {"state": "finished"})
    with pytest.raises(RuntimeError), buffer.joined(), store.session() as session:
        buffer.add("run:z", "status", {"state": "succeeded"}, flush=True, session=session)
        raise RuntimeError("the final row could not be written")
    assert log.since("run:z") == [] and len(buffer) == 2
    buffer.add("run:z", "status", {"state": "failed"}, flush=True)
    assert [e.payload for e in log.since("run:z")] == [{"i": 0}, {"state": "finished"}, {"state": "failed"}]
    assert log.verify_chain().ok


@pytest.mark.parametrize("path", ["orm", "light"])
def test_the_terminal_event_commits_with_the_final_row(lab, cluster_pool, monkeypatch, path):
    """A run is never ``succeeded`` in its row without its terminal event (one transaction); the
    worker events written in that failed transaction (local mode) are written after it."""
    if path == "orm":  # as on PostgreSQL: the runner's rows and events through SQLAlchemy
        monkeypatch.setattr(Lab, "light", lambda self: self)
    agi = AGI(lab, clusters=cluster_pool)
    assert getattr(agi.runner.lab.store, "lite", False) == (path == "light")
    fail_first_succeeded_append(monkeypatch, type(agi.runner.lab.events))
    with pytest.raises(OSError, match="disk full"):
        agi.run("minimal_app", mode="local", items=3, log_each_item=True)
    [record] = agi.list_runs()
    assert record.status == "failed" and "disk full" in record.error
    events = lab.events.since(f"run:{record.id}")
    assert [e.payload["state"] for e in events if e.kind == "status"] == ["planning", "running", "failed"]
    assert [e.payload["state"] for e in events if e.kind == "worker"] == ["started", "finished"]
    assert sum(len(log_lines(e.payload)) for e in events if e.kind == "log") >= 3  # a line per item
    assert lab.events.verify_chain().ok


def test_a_local_runs_events_commit_with_its_final_row(agi, lab):
    """In local mode a task's end is not written on its own: the final transaction carries it."""
    writes = []
    original = type(agi.runner.lab.events).append_many
    agi.runner.lab.events.append_many = lambda specs, session=None: (
        writes.append([kind for _, _, kind, _ in specs]) or original(agi.runner.lab.events, specs, session=session))
    record = agi.run("minimal_app", mode="local", items=3)
    assert record.status == "succeeded"
    assert writes == [["status", "status", "worker", "worker", "status"]]  # one batch, in the final transaction
    assert [e.kind for e in lab.events.since(f"run:{record.id}")] == writes[0]


def test_worker_stats_are_recorded_with_the_run(agi, lab):
    record = agi.run("minimal_app", mode="local", workers=2, items=6)
    with lab.store.read() as session:
        stats = session.scalars(select(WorkerStat).where(WorkerStat.run_id == record.id)).all()
    assert sorted((s.worker, s.items) for s in stats) == [("local-0", 3), ("local-1", 3)]


def test_one_worker_has_capacity_one_whatever_was_measured(lab):
    predictor = CapacityPredictor(lab.store, lab.owner)
    for seconds in (1.0, 5.0, 0.5, 9.0):
        predictor.record("app", None, "solo", items=4, weight=4.0, seconds=seconds)
    assert predictor.capacities("app", ["solo"]) == [1.0]
    assert replay(predictor.history("app", ["solo"]), ["solo"]) == [1.0]  # what the full replay gives


def test_local_workers_write_into_the_run_directory(agi, home, tmp_path):
    """In local mode the files are written once, in place; other modes ship them back in the outcome."""
    create_app("tables", "polars", tmp_path, home)
    spec = agi.app("tables")
    artifact = build_artifact(spec, home / "packages")
    manager = spec.manager_class()(agi.settings("tables").validate({}))
    items = [item.model_dump(mode="json") for item in manager.build_distribution(["w"])][:2]
    task = {"run_id": "r1", "worker_id": "w", "package": spec.worker_package, "artifact_path": str(artifact.path),
            "worker_class": manager.worker_class, "args": manager.args.model_dump(mode="json"), "items": items}

    shipped = executor.run_task(task)
    assert shipped["error"] is None and sorted(shipped["files"]) == sorted(f"{i['id']}.parquet" for i in items)

    outputs = tmp_path / "run-outputs"
    outputs.mkdir()
    in_place = executor.run_task({**task, "output_dir": str(outputs)})
    assert in_place["error"] is None and in_place["files"] == {}
    assert sorted(p.name for p in outputs.iterdir()) == sorted(shipped["files"])

    record = agi.run("tables", mode="local", workers=2)
    assert record.status == "succeeded", record.error
    listed = {a.path for a in record.artifacts}
    written = {p.relative_to(run_dir(home, record.id)).as_posix()
               for p in (run_dir(home, record.id) / "outputs").rglob("*.parquet")}
    assert written and written <= listed


def test_buffers_share_one_flusher_thread_that_writes_quiet_events(store):
    log = EventLog(store)
    buffers = [EventBuffer(log, "alice", max_delay_s=0.05) for _ in range(5)]
    for k, buffer in enumerate(buffers):
        buffer.add(f"quiet:{k}", "log", {"k": k})  # never flushed by its owner
    assert sum(t.name == "event-buffer-flusher" for t in threading.enumerate()) == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(len(b) for b in buffers):
        time.sleep(0.05)
    assert [len(b) for b in buffers] == [0] * 5
    assert [[e.payload for e in log.since(f"quiet:{k}")] for k in range(5)] == [[{"k": k}] for k in range(5)]
    assert log.verify_chain().ok


def test_the_code_is_read_once_per_run_and_the_zip_holds_what_was_hashed(agi, home, tmp_path):
    path = create_app("snap", "dag", tmp_path, home)
    spec = agi.app("snap")
    code = snapshot(spec)
    manager = path / "manager.py"
    manager.write_text(manager.read_text() + "\n# a manager change\n")
    changed = snapshot(spec)
    assert changed.artifact_hash == code.artifact_hash  # the worker package did not change...
    assert changed.code_hash != code.code_hash  # ...the plan's code did

    worker = path / "snap_worker" / "worker.py"
    worker.write_text(worker.read_text() + "\n# edited after planning\n")
    artifact = build_artifact(spec, home / "packages", code)  # built from what was read and hashed
    assert artifact.content_hash == code.artifact_hash
    with zipfile.ZipFile(artifact.path) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == dict(code.files)
    assert build_artifact(spec, home / "packages").content_hash != code.artifact_hash  # the edit, read now
