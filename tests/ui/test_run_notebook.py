"""A finished run exported as a notebook from its run view, opened in a Lab notebook tab."""

from __future__ import annotations

import json

from test_lab_ui import palette_items
from test_run_view import RUN_VIEW, start_flight_run


def test_export_notebook_opens_the_run_notebook(lab_page, lab_server):
    page = start_flight_run(lab_page)
    run_id = page.get_attribute(RUN_VIEW, "data-run")
    # With a run tab in focus, the palette command is enabled too.
    assert palette_items(lab_page)["Export agilab-lab Run as Notebook"] is True
    page.keyboard.press("Escape")

    page.click(f'{RUN_VIEW} button:text-is("Export notebook")')
    # docmanager opens the notebook the server wrote under the Jupyter root, in its own tab.
    name = f"flight_telemetry-{run_id[:8]}.ipynb"
    page.wait_for_selector(f'.lm-DockPanel-tabBar .lm-TabBar-tabLabel:text-is("{name}")', timeout=60_000)
    page.wait_for_selector(".jp-NotebookPanel:visible .jp-Cell", timeout=60_000)
    notebook = json.loads((lab_server.root_dir / "agilab-runs" / name).read_text())
    assert notebook["metadata"]["agilab_lab"]["run_id"] == run_id
    assert len(notebook["cells"]) > 1
    lab_page.screenshot("run-notebook-export")
    assert lab_page.errors == []
