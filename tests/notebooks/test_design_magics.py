"""``%%agilab_design`` in a real kernel reaches the approval gate; ``%agilab approve`` generates the zip."""

from __future__ import annotations

from pathlib import Path

import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

IPython = pytest.importorskip("IPython")
FRAUD = Path(__file__).parents[1] / "agents" / "evals" / "fraud_scoring.md"


def _html(cell) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)


@pytest.mark.timeout(600)
def test_design_cell_reaches_the_gate_and_approve_generates(home, tmp_path):
    notebook = new_notebook(cells=[
        new_code_cell("%load_ext agilab_lab.magics"),
        new_code_cell("%%agilab_design --project fraud\n" + FRAUD.read_text()),
        new_code_cell("design = _\nassert design.status == 'awaiting_approval', design"),
        new_code_cell("%agilab approve {design.id} --comment 'ship it'"),
        new_code_cell("generated = _\nassert generated.status == 'generated', generated\ngenerated.zip"),
        new_code_cell("%agilab designs"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(notebook, timeout=500, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()

    gate = _html(notebook.cells[1])
    assert "awaiting_approval" in gate and "%agilab approve" in gate
    assert "throughput_rps" in gate and "2,000 requests per second" in gate, "values come with their evidence"
    assert "serve" in gate and "$/month" in gate
    zip_path = notebook.cells[4].outputs[-1]["data"]["text/plain"].strip("'")
    assert zip_path.endswith(".zip") and Path(zip_path).is_file()
    assert "generated" in _html(notebook.cells[5])


def test_design_magics_report_bad_input_without_raising(home, capsys):
    from IPython.testing.globalipapp import get_ipython

    from agilab_lab.magics import load_ipython_extension

    ip = get_ipython()
    load_ipython_extension(ip)
    assert ip.run_cell_magic("agilab_design", "", "   \n") is None
    assert "requirements text; it is empty" in capsys.readouterr().err
    assert ip.run_line_magic("agilab", "approve no-such-design") is None
    assert "no decision set 'no-such-design'" in capsys.readouterr().err
    assert ip.run_line_magic("agilab", "revise") is None
    assert "decision_set_id" in capsys.readouterr().err
    assert ip.run_line_magic("agilab", "launch") is None
    assert "usage: %agilab" in capsys.readouterr().err


def test_runs_render_as_a_table(home):
    from IPython.testing.globalipapp import get_ipython

    from agilab_lab.magics import AgilabMagics, load_ipython_extension

    ip = get_ipython()
    load_ipython_extension(ip)
    AgilabMagics._agi = None
    record = ip.run_line_magic("agilab", "run minimal_app --set items=3")
    assert "<b>succeeded</b>" in record._repr_html_() and "checksum" in record._repr_html_()
    runs = ip.run_line_magic("agilab", "runs minimal_app")
    assert len(runs) == 1 and record.id[:8] in runs._repr_html_()
