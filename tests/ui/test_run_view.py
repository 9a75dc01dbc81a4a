"""A flight_telemetry run in its main-area tab: readable log, Vega chart, table preview, files."""

from __future__ import annotations

import re

from test_design_view import wait_for_saved_workspace
from test_lab_ui import RUN_TIMEOUT_MS, dark_theme, open_sidebar

RUN_VIEW = ".jp-AgilabLab-runView"


def start_flight_run(lab_page):
    page = open_sidebar(lab_page, "Apps")
    row = page.wait_for_selector('.jp-AgilabLab-app[data-app="flight_telemetry"]')
    row.query_selector('input[aria-label="flights of flight_telemetry"]').fill("3")
    row.query_selector('button:text-is("Run")').click()
    page.wait_for_selector(f"{RUN_VIEW}[data-run]")
    page.wait_for_selector(f'{RUN_VIEW} .jp-AgilabLab-viewHeader [data-status="succeeded"]', timeout=RUN_TIMEOUT_MS)
    return page


def test_flight_run_shows_log_chart_table_and_files(lab_page, lab_server):
    page = start_flight_run(lab_page)
    run_id = page.get_attribute(RUN_VIEW, "data-run")

    # Log lines carry their text, labelled with worker and stream (never the bare word "log").
    lines = page.eval_on_selector_all(
        f"{RUN_VIEW} .jp-AgilabLab-logLine",
        "els => els.map(e => [e.querySelector('.jp-AgilabLab-logWorker')?.textContent ?? '',"
        " e.querySelector('.jp-AgilabLab-logStream').textContent, e.querySelector('.jp-AgilabLab-logText').textContent])",
    )
    texts = [text for _, _, text in lines]
    assert any("FL00000" in text for text in texts), texts
    assert "log" not in texts
    # The app logs through Python logging, which (like Python's default handler) is stderr.
    assert any(worker == "local-0" and stream in ("stdout", "stderr") and "FL00000" in text
               for worker, stream, text in lines), lines
    assert {stream for _, stream, _ in lines} <= {"stdout", "stderr", "event"}
    # The log comes before the results.
    order = page.eval_on_selector(
        RUN_VIEW, "v => [...v.querySelectorAll('section')].map(s => s.getAttribute('aria-label'))"
    )
    assert order.index("run log") < order.index("results")

    # The Vega-Lite chart is rendered by Lab's Vega renderer, not shown as JSON.
    page.wait_for_selector(f'{RUN_VIEW} .jp-AgilabLab-chart[data-path="trajectories.vl.json"] svg, '
                           f'{RUN_VIEW} .jp-AgilabLab-chart[data-path="trajectories.vl.json"] canvas',
                           state="attached", timeout=30_000)

    # The parquet table is previewed from the server's preview route.
    table = page.wait_for_selector(f'{RUN_VIEW} .jp-AgilabLab-tablePreview[data-path="flights.parquet"] table')
    header = table.eval_on_selector_all("th", "els => els.map(e => e.textContent)")
    assert "flight_id" in header
    assert len(table.query_selector_all("tbody tr")) == 3
    status, preview = lab_server.api(f"agilab-lab/api/runs/{run_id}/preview/flights.parquet")
    assert status == 200 and preview["total_rows"] == 3

    # Files with human sizes; worker outputs folded; the run list shows a start time.
    sizes = page.eval_on_selector_all(f"{RUN_VIEW} .jp-AgilabLab-artifact .jp-AgilabLab-muted",
                                      "els => els.map(e => e.textContent)")
    assert sizes and all(re.fullmatch(r"[\d.]+ (B|kB|MB)", s) for s in sizes), sizes
    assert page.query_selector(f'{RUN_VIEW} details summary:has-text("Worker outputs")') is not None
    row = page.wait_for_selector(f'#agilab-lab-sidebar .jp-AgilabLab-run[data-run="{run_id}"]')
    assert re.search(r"\d\d:\d\d", row.inner_text())
    lab_page.screenshot("run-view-light")

    # Follow toggle and copy are there; the log is reachable by keyboard.
    assert page.is_checked(f'{RUN_VIEW} label:has-text("Follow") input')
    assert page.get_attribute(f"{RUN_VIEW} .jp-AgilabLab-runLog", "tabindex") == "0"

    # Opening the run again focuses its tab instead of opening a second one.
    row.click()
    assert len(page.query_selector_all(f"{RUN_VIEW}[data-run='{run_id}']")) == 1
    assert lab_page.errors == []


def test_run_view_in_dark_theme_and_restored_after_reload(lab_page, lab_server):
    page = start_flight_run(lab_page)
    run_id = page.get_attribute(RUN_VIEW, "data-run")
    # Lab saves the layout a moment after it changes: a reload before that has nothing to restore.
    wait_for_saved_workspace(lab_server, run_id)
    with dark_theme(lab_page, lab_server, reset=False) as page:
        # The layout restorer reopens the run's tab after the reload.
        page.wait_for_selector(f'{RUN_VIEW}[data-run="{run_id}"]', timeout=30_000)
        page.wait_for_selector(f"{RUN_VIEW} .jp-AgilabLab-logLine")
        page.wait_for_selector(f"{RUN_VIEW} .jp-AgilabLab-chart svg, {RUN_VIEW} .jp-AgilabLab-chart canvas",
                               state="attached", timeout=30_000)
        lab_page.screenshot("run-view-dark")
    assert lab_page.errors == []
