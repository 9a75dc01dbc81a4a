"""Exported run notebooks execute in a real kernel and reproduce the run's result."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from agilab_lab.cli import main
from agilab_lab.notebooks import export_run_notebook, result_differences

pytestmark = pytest.mark.timeout(300)


def _execute(path):
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def _outputs(notebook, mimetype: str) -> list:
    return [o["data"][mimetype] for c in notebook.cells if c.cell_type == "code"
            for o in c.outputs if mimetype in o.get("data", {})]


def test_flight_telemetry_notebook_reruns_and_charts(agi, tmp_path, capsys):
    record = agi.run("flight_telemetry", flights=4, points_per_flight=60, seed=7)
    assert main(["export-notebook", record.id, "--out", str(tmp_path / "flights.ipynb")]) == 0
    path = tmp_path / "flights.ipynb"
    assert capsys.readouterr().out.strip() == str(path)

    notebook = _execute(path)

    rerun = agi.list_runs(app="flight_telemetry")[0]
    assert rerun.id != record.id and rerun.args == record.args
    assert not result_differences(record.result, rerun.result)
    assert _outputs(notebook, "application/vnd.vegalite.v5+json"), "the trajectory chart is rendered"
    assert any("FL00003" in str(o) for o in _outputs(notebook, "text/html")), "the flights table is shown"


def test_minimal_app_notebook_in_pool_mode(agi, tmp_path):
    record = agi.run("minimal_app", mode="pool", workers=2, items=6, weights="linear")
    path = export_run_notebook(agi, record.id, root=tmp_path)
    assert path == tmp_path / "agilab-runs" / f"minimal_app-{record.id[:8]}.ipynb"

    _execute(path)

    rerun = agi.list_runs(app="minimal_app")[0]
    assert (rerun.mode, rerun.result) == ("pool", record.result)


def test_a_notebook_that_no_longer_reproduces_fails(agi, tmp_path):
    from nbclient.exceptions import CellExecutionError

    record = agi.run("minimal_app", items=3)
    path = export_run_notebook(agi, record.id, root=tmp_path)
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.source = cell.source.replace(f"'checksum': {record.result['checksum']}", "'checksum': -1")
    nbformat.write(notebook, path)
    with pytest.raises(CellExecutionError, match="checksum"):
        _execute(path)


def test_result_differences_tolerates_summation_order_only():
    assert result_differences({"d": 1.0, "n": [1, 2]}, {"d": 1.0 + 1e-12, "n": [1, 2]}) == []
    assert result_differences({"d": 1.0}, {"d": 1.001}) == ["result.d: recorded 1.0, now 1.001"]
    assert result_differences({"a": "x"}, {"a": "x", "b": 1}) == ["result.b: recorded None, now 1"]
    assert result_differences({"ok": True}, {"ok": 1}) != []


def test_export_of_an_unknown_run_is_a_cli_error(capsys):
    assert main(["export-notebook", "nope"]) == 2
    assert "no run 'nope'" in capsys.readouterr().err
