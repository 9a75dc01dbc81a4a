"""agilab-lab with dask-labextension: run on its clusters, show the runtime cluster in its dashboard."""

from __future__ import annotations

import json

import pytest
from test_lab_ui import RUN_TIMEOUT_MS, open_sidebar, route_exists

DASK_PLUGIN = "dask-labextension:plugin"
SHOW_IN_DASK = "Show agilab-lab Runtime Cluster in the Dask Dashboard"


@pytest.fixture
def dask_cluster(lab_server):
    """A LocalCluster started by dask-labextension's cluster manager (``PUT dask/clusters``)."""
    status, cluster = lab_server.api("dask/clusters", "PUT")
    if status == 404:
        pytest.skip("dask-labextension is not installed")
    assert status == 200, cluster
    try:
        yield cluster
    finally:
        lab_server.api(f"dask/clusters/{cluster['id']}", "DELETE")
        lab_server.api(f"lab/api/settings/{DASK_PLUGIN}", "PUT", {"raw": "{}"})


CLUSTER_SELECT = 'select[aria-label="Dask cluster of minimal_app"]'


def choose_cluster(lab_page, cluster_label: str) -> list[str]:
    """Pick dask mode and the cluster labelled ``cluster_label`` for minimal_app; all the labels."""
    page = lab_page.page
    page.wait_for_selector('.jp-AgilabLab-app[data-app="minimal_app"]')
    assert page.query_selector(CLUSTER_SELECT) is None  # the choice belongs to dask mode only
    page.select_option('select[aria-label="run mode of minimal_app"]', "dask")
    page.wait_for_selector(f'{CLUSTER_SELECT} option:text-is("{cluster_label}")', state="attached")
    page.select_option(CLUSTER_SELECT, label=cluster_label)
    lab_page.screenshot("dask-choice-light")
    return page.eval_on_selector_all(f"{CLUSTER_SELECT} option", "els => els.map(e => e.textContent)")


def run_minimal_app(page, items: int) -> dict:
    """Run minimal_app with the chosen mode and cluster; its result once it succeeded."""
    row = page.wait_for_selector('.jp-AgilabLab-app[data-app="minimal_app"]')
    row.query_selector('input[aria-label="items of minimal_app"]').fill(str(items))
    row.query_selector('button:text-is("Run")').click()
    view = page.wait_for_selector(".jp-AgilabLab-runView[data-run]")
    page.wait_for_selector('.jp-AgilabLab-runView .jp-AgilabLab-viewHeader [data-status="succeeded"]',
                           timeout=RUN_TIMEOUT_MS)
    return json.loads(view.wait_for_selector(".jp-AgilabLab-json").inner_text())


def test_run_on_a_dask_labextension_cluster_and_show_it_in_the_dashboard(lab_page, lab_server, dask_cluster):
    if not route_exists(lab_server, "apps"):
        pytest.xfail("GET agilab-lab/api/apps is not served yet")
    page = open_sidebar(lab_page, "Apps")
    labels = choose_cluster(lab_page, dask_cluster["name"])
    assert labels == ["on-demand LocalCluster (agilab-lab)", dask_cluster["name"]]

    result = run_minimal_app(page, items=4)
    assert result["items"] == 4
    run_id = page.get_attribute(".jp-AgilabLab-runView", "data-run")
    status, record = lab_server.api(f"agilab-lab/api/runs/{run_id}")
    assert status == 200 and record["mode"] == "dask" and record["status"] == "succeeded"
    # The runtime connected to dask-labextension's scheduler instead of starting its own cluster.
    status, report = lab_server.api("agilab-lab/api/cluster")
    [runtime_cluster] = report["clusters"]
    assert runtime_cluster["target"] == f"address:{dask_cluster['scheduler_address']}"
    assert len(runtime_cluster["workers"]) == dask_cluster["workers"]
    lab_page.screenshot("dask-run-light")

    # The palette command points dask-labextension at that cluster's dashboard, by the proxy.
    expected = f"{lab_server.url}proxy/{runtime_cluster['dashboard_port']}/status"
    lab_page.open_palette("Dask Dashboard")
    page.click(f'#command-palette .lm-CommandPalette-item:has-text("{SHOW_IN_DASK}")')
    page.wait_for_selector("#dask-dashboard-launcher", state="visible")
    url_input = page.wait_for_selector("#dask-dashboard-launcher input")
    page.wait_for_function("([el, url]) => el.value === url", arg=[url_input, expected], timeout=10_000)
    status, settings = lab_server.api(f"lab/api/settings/{DASK_PLUGIN}")
    assert status == 200 and settings["settings"]["defaultURL"] == expected
    # jupyter-server-proxy really serves the dashboard there, with the browser's login cookie.
    assert page.context.request.get(expected).status == 200
    lab_page.screenshot("dask-dashboard-light")
    assert lab_page.errors == []
