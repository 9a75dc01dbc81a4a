"""The design view in the main area: evidence, constraints, plan and costs, the approval gate,
generation progress, generated files in Lab, side-by-side diffs; button semantics and keyboard use."""

from __future__ import annotations

import json
import time

import pytest
from test_lab_ui import (
    DESIGN_VIEW,
    FINAL,
    REQUIREMENTS,
    RUN_TIMEOUT_MS,
    create_project,
    dark_theme,
    open_sidebar,
    palette_items,
    submit_requirements,
    theme_colour,
    wait_for_decision_set,
)

GENERATION_TIMEOUT_MS = 240_000
SUBMIT = f"{DESIGN_VIEW} form.jp-AgilabLab-requirements button[type='submit']"


def constraint_cells(page) -> dict[str, tuple[str, str]]:
    """{field: (value, evidence)} of the constraints table."""
    rows = page.eval_on_selector_all(
        f"{DESIGN_VIEW} .jp-AgilabLab-constraints tbody tr",
        """rows => rows.map(r => [r.dataset.field,
            (r.querySelector('td input') ? r.querySelector('td input').value : r.cells[1].textContent),
            r.cells[2].textContent])""",
    )
    return {field: (value, evidence) for field, value, evidence in rows}


def wait_for_saved_workspace(lab_server, fragment: str, timeout_s: float = 15.0) -> None:
    """Lab saves the layout to the workspace a moment after it changes: wait until it holds ``fragment``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status, workspace = lab_server.api("lab/api/workspaces/default")
        if status == 200 and fragment in json.dumps(workspace):
            return
        time.sleep(0.25)
    raise AssertionError(f"the workspace never saved {fragment!r}")


def approve_and_generate(lab_page, page, version: int, screenshot: str | None = None) -> None:
    """Approve the version on screen and wait while its validation steps stream, until it is generated."""
    page.fill(f'{DESIGN_VIEW} input[aria-label="approval comment"]', "looks right")
    page.click(f'{DESIGN_VIEW} button:text-is("Approve")')
    page.wait_for_selector(f"{DESIGN_VIEW} .jp-AgilabLab-step", timeout=GENERATION_TIMEOUT_MS)
    if screenshot:
        lab_page.screenshot(screenshot)
    wait_for_decision_set(page, "generated", version=version, among=FINAL, timeout=GENERATION_TIMEOUT_MS)
    steps = page.eval_on_selector_all(f"{DESIGN_VIEW} .jp-AgilabLab-step", "els => els.map(e => e.dataset.step)")
    assert {"ruff", "pytest", "checkov_terraform"} <= set(steps), steps


def test_fraud_design_from_evidence_to_generated_files_and_diff(lab_page, lab_server):
    page = open_sidebar(lab_page, "Designer")
    create_project(page, "fraud scoring")
    submit_requirements(page, REQUIREMENTS.format(budget=8000))
    # No double submit: the button is disabled while the version is designed.
    assert page.is_disabled(SUBMIT)
    wait_for_decision_set(page, "awaiting_approval", version=1)
    # Before a second version exists, the view says so instead of offering an empty diff.
    assert page.query_selector(f'{DESIGN_VIEW} button:has-text("Compare with")') is None
    assert "nothing to compare yet" in page.inner_text(f"{DESIGN_VIEW} .jp-AgilabLab-viewHeader")
    badge = f"{DESIGN_VIEW} .jp-AgilabLab-viewHeader .jp-AgilabLab-badge"
    assert page.get_attribute(badge, "title") == "awaiting_approval"
    assert page.inner_text(badge) == "Awaiting approval"

    # Constraints: values with their evidence quotes, highlighted in the requirements text.
    cells = constraint_cells(page)
    assert cells["cloud"][0] == "aws" and cells["cloud"][1]
    assert "eu-west-1" in cells["regions"][0]
    marks = page.eval_on_selector_all(f"{DESIGN_VIEW} .jp-AgilabLab-requirementsText mark",
                                      "els => els.map(e => e.dataset.fields)")
    assert "cloud" in " ".join(marks)
    # Plan: components with service and monthly cost, total against the budget.
    assert len(page.query_selector_all(f"{DESIGN_VIEW} .jp-AgilabLab-plan tbody tr")) >= 3
    assert "against a budget of $8,000" in page.inner_text(f"{DESIGN_VIEW} .jp-AgilabLab-total")
    page.wait_for_selector(f"{DESIGN_VIEW} .jp-AgilabLab-card", state="attached")
    lab_page.screenshot("design-awaiting-light")

    # Button semantics: Reject is the destructive one, Revise needs a comment (said inline).
    reject = page.query_selector(f'{DESIGN_VIEW} button:has-text("Reject")')
    assert "jp-mod-warn" in reject.get_attribute("class")
    assert "jp-mod-warn" not in page.get_attribute(f'{DESIGN_VIEW} button:text-is("Revise")', "class")
    page.click(f'{DESIGN_VIEW} button:text-is("Revise")')
    problem = page.wait_for_selector("#agilab-approval-problem")
    assert "comment is required" in problem.inner_text()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "approval comment"

    # Approve v1: validation steps stream while the repository is generated.
    assert palette_items(lab_page)["Approve Current agilab-lab Decision Set"] is True
    page.keyboard.press("Escape")
    approve_and_generate(lab_page, page, version=1, screenshot="design-generating-light")

    # The generated files open in Lab's file browser, and a file in Lab's editor.
    link = page.wait_for_selector(f'{DESIGN_VIEW} a:text-is("Download zip")')
    assert link.evaluate("el => getComputedStyle(el).color") == theme_colour(page, "--jp-content-link-color")
    archive = page.context.request.get(link.get_attribute("href"))
    assert archive.status == 200 and archive.body()[:2] == b"PK"
    page.click(f'{DESIGN_VIEW} button:text-is("Open files in Lab")')
    folder = page.wait_for_selector(f"{DESIGN_VIEW} .jp-AgilabLab-generated code").inner_text()
    assert folder.startswith("agilab-designs/fraud-scoring-") and folder.endswith("/v1")
    assert (lab_server.root_dir / folder / "README.md").is_file()
    readme = '.jp-FileBrowser .jp-DirListing-item:has-text("README.md")'
    page.wait_for_selector(readme, timeout=30_000)
    lab_page.screenshot("design-files-light")
    page.dblclick(readme)
    page.wait_for_selector(".jp-FileEditor .cm-content", timeout=30_000)
    page.click('.lm-TabBar-tab:has-text("Design fraud scoring")')

    # A second version (smaller budget, four times the traffic), generated too.
    submit_requirements(page, REQUIREMENTS.format(budget=3000).replace("500 requests", "2000 requests"))
    wait_for_decision_set(page, "awaiting_approval", version=2)
    approve_and_generate(lab_page, page, version=2)

    # The side-by-side diff: cost delta and constraint changes in the header, a file list.
    page.click(f'{DESIGN_VIEW} button:has-text("Compare with v1")')
    header = page.wait_for_selector(".jp-AgilabLab-diffView .jp-AgilabLab-diffHeader")
    text = header.inner_text()
    assert "v1 → v2" in text and "budget_monthly_usd 8000 → 3000" in text and "throughput_rps 500 → 2000" in text
    cost = page.inner_text(".jp-AgilabLab-diffView .jp-AgilabLab-costDelta")
    assert cost.startswith("Cost: ") and "/ month" in cost, cost
    files = page.eval_on_selector_all(".jp-AgilabLab-fileButton", "els => els.map(e => e.textContent)")
    assert files, "no changed file listed"
    page.wait_for_selector(".jp-AgilabLab-sideBySide .jp-AgilabLab-cell.jp-mod-added", state="attached")
    assert page.query_selector(".jp-AgilabLab-sideBySide .jp-AgilabLab-cell.jp-mod-removed") is not None
    # One tab per pair: comparing again focuses the same tab.
    page.click('.lm-TabBar-tab:has-text("Design fraud scoring")')
    page.click(f'{DESIGN_VIEW} button:has-text("Compare with v1")')
    page.wait_for_selector(".jp-AgilabLab-diffView", state="visible")
    assert len(page.query_selector_all(".jp-AgilabLab-diffView")) == 1
    lab_page.screenshot("diff-light")
    assert lab_page.errors == []

    # After a reload (dark theme) the layout restorer brings back the design and diff tabs.
    wait_for_saved_workspace(lab_server, "agilab-lab-diff:")
    with dark_theme(lab_page, lab_server, reset=False) as page:
        page.click('.lm-TabBar-tab:has-text("Design fraud scoring")')
        wait_for_decision_set(page, "generated", version=2, among=FINAL)
        lab_page.screenshot("design-dark")
        page.click('.lm-TabBar-tab:has-text("Diff v1 → v2")')
        page.wait_for_selector(".jp-AgilabLab-diffView .jp-AgilabLab-sideBySide")
        lab_page.screenshot("diff-dark")
    assert lab_page.errors == []


def test_reject_asks_for_confirmation(lab_page, lab_server):
    page = open_sidebar(lab_page, "Designer")
    create_project(page, "reject me")
    submit_requirements(page, REQUIREMENTS.format(budget=8000))
    wait_for_decision_set(page, "awaiting_approval", version=1)
    page.click(f'{DESIGN_VIEW} button:has-text("Reject")')
    dialog = page.wait_for_selector(".jp-Dialog")
    assert "Reject this design?" in dialog.inner_text()
    lab_page.screenshot("reject-confirm-light")
    page.click('.jp-Dialog button:has-text("Cancel")')
    assert page.get_attribute(f"{DESIGN_VIEW} .jp-AgilabLab-viewHeader .jp-AgilabLab-badge", "data-status") == (
        "awaiting_approval")
    page.click(f'{DESIGN_VIEW} button:has-text("Reject")')
    page.click('.jp-Dialog button.jp-mod-warn:has-text("Reject")')
    wait_for_decision_set(page, "rejected", version=1, among=FINAL)
    assert page.query_selector(f'{DESIGN_VIEW} button:has-text("Reject")') is None
    assert lab_page.errors == []


def test_keyboard_only_path_through_a_design(lab_page, lab_server):
    page = open_sidebar(lab_page, "Designer")
    name = page.wait_for_selector('#agilab-lab-sidebar input[aria-label="new project name"]')
    name.focus()
    page.keyboard.type("keyboard design")
    page.keyboard.press("Enter")  # submits the form: creates the project and opens its view
    page.wait_for_selector(f'{DESIGN_VIEW} h2:text-is("keyboard design")')
    # The new design's requirements box has the focus.
    page.wait_for_function("document.activeElement.getAttribute('aria-label') === 'requirements'")
    page.keyboard.type(REQUIREMENTS.format(budget=8000))
    page.keyboard.press("Control+Enter")
    wait_for_decision_set(page, "awaiting_approval", version=1)
    # Tab moves through the view (constraints first) to the approval comment...
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "approval comment":
            break
    else:
        pytest.fail("Tab never reached the approval comment")
    page.keyboard.type("ok")
    # ...then to Approve, with a visible focus ring, and Enter presses it.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Approve"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    lab_page.screenshot("keyboard-focus-light")
    page.keyboard.press("Enter")
    wait_for_decision_set(page, "generating", version=1, among=("generating", *FINAL), timeout=RUN_TIMEOUT_MS)
    # Run rows and the status item are reachable by keyboard too.
    assert page.get_attribute(".jp-AgilabLab-health", "tabindex") == "0"
    assert lab_page.errors == []


def test_revise_with_edited_constraints_makes_the_next_version(lab_page, lab_server):
    page = open_sidebar(lab_page, "Designer")
    create_project(page, "revise me")
    submit_requirements(page, REQUIREMENTS.format(budget=8000))
    wait_for_decision_set(page, "awaiting_approval", version=1)
    page.fill(f'{DESIGN_VIEW} input[aria-label="value of budget_monthly_usd"]', "5000")
    revise = f'{DESIGN_VIEW} button:text-is("Revise with edits")'
    page.fill(f'{DESIGN_VIEW} input[aria-label="approval comment"]', "cheaper, please")
    page.click(revise)
    wait_for_decision_set(page, "awaiting_approval", version=2)
    assert constraint_cells(page)["budget_monthly_usd"][0] == "5000"
    assert "against a budget of $5,000" in page.inner_text(f"{DESIGN_VIEW} .jp-AgilabLab-total")
    assert lab_page.errors == []
