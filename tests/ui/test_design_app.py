"""A generated design becomes a runtime app from its design view ("Make runtime app")."""

from __future__ import annotations

from test_design_view import approve_and_generate
from test_lab_ui import (
    DESIGN_VIEW,
    REQUIREMENTS,
    create_project,
    open_sidebar,
    submit_requirements,
    wait_for_decision_set,
)

MAKE_APP = f'{DESIGN_VIEW} .jp-AgilabLab-makeApp'


def make_app(page, name: str) -> None:
    page.click(f'{MAKE_APP} button:text-is("Make runtime app")')
    dialog = page.wait_for_selector(".jp-Dialog input")
    dialog.fill(name)
    page.click('.jp-Dialog button:has-text("Make app")')


def test_make_runtime_app_from_a_generated_design(lab_page, lab_server):
    page = open_sidebar(lab_page, "Designer")
    create_project(page, "fraud app")
    submit_requirements(page, REQUIREMENTS.format(budget=8000))
    wait_for_decision_set(page, "awaiting_approval", version=1)
    approve_and_generate(lab_page, page, version=1)

    make_app(page, "fraud_app")
    page.wait_for_selector(f'{MAKE_APP} :text("is in the Apps panel")', timeout=60_000)
    lab_page.screenshot("design-make-app")
    # The Apps panel was refreshed: the new app is listed.
    open_sidebar(lab_page, "Apps")
    page.wait_for_selector('.jp-AgilabLab-app[data-app="fraud_app"]', timeout=30_000)

    # The same name again: the server's refusal (an existing app) is said next to the button.
    page.click('#agilab-lab-sidebar .jp-AgilabLab-tab:text-is("Designer")')
    make_app(page, "fraud_app")
    error = page.wait_for_selector(f'{MAKE_APP} [role="alert"]', timeout=30_000)
    assert "already exists" in error.inner_text()
    # The refused request is the only console error (the browser logs the 4xx answer).
    assert all("status of 4" in e for e in lab_page.errors), lab_page.errors
