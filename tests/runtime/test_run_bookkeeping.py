"""What the runtime does around a run's work: the plan's inputs, the items' results, the records.

The bookkeeping is kept cheap (no per-file stats beyond one, no pydantic round trip per result,
few transactions); these tests pin what it must still do."""

from __future__ import annotations

import json

from agilab_lab.runtime.records import run_dir
from agilab_lab.runtime.templates import create_app
from benchmarks.agilab_format import ensure_agilab_csvs


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
