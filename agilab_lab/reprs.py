"""Rich notebook output: HTML views of run records and decision sets.

Every value is escaped (requirements and evidence are user text). Styling uses Lab's ``--jp-*``
CSS variables only, so light and dark themes both read well.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

CELL = "padding:2px 8px;text-align:left;vertical-align:top;border-bottom:1px solid var(--jp-border-color2)"
MUTED = "color:var(--jp-ui-font-color2)"
# constraint fields shown by the table; evidence/confidence are columns, not rows
HIDDEN_FIELDS = {"evidence", "confidence", "open_questions", "warnings"}


def table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th style='{CELL}'>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td style='{CELL}'>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table style='border-collapse:collapse'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any) -> str:
    if value is None or value == [] or value == {}:
        return f"<span style='{MUTED}'>–</span>"
    if isinstance(value, float):
        return escape(f"{value:,.2f}")
    if isinstance(value, list | dict):
        return escape(json.dumps(value) if isinstance(value, dict) else ", ".join(map(str, value)))
    return escape(str(value))


def human_size(size: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1000
    return f"{size} B"


def run_html(record) -> str:
    """A run record: status line, result, artifacts with sizes."""
    took = f" in {record.seconds:.2f} s" if record.seconds is not None else ""
    parts = [f"<b>{escape(record.app)}</b> run <code>{escape(record.id)}</code>: "
             f"<b>{escape(record.status)}</b> ({escape(record.mode)}){escape(took)}"]
    if record.error:
        parts.append(f"<pre style='color:var(--jp-error-color1)'>{escape(record.error.splitlines()[0])}</pre>")
    if record.result:
        parts.append(table(["result", "value"], [[k, v] for k, v in record.result.items()]))
    if record.artifacts:
        rows = [[a.path, human_size(a.size_bytes)] for a in record.artifacts if "/" not in a.path]
        parts.append(table(["artifact", "size"], rows))
    return "<div>" + "".join(parts) + "</div>"


def runs_html(records: list) -> str:
    rows = [[r.id[:8], r.app, r.mode, r.status, r.created_at.isoformat(timespec="seconds"),
             None if r.seconds is None else round(r.seconds, 2)] for r in records]
    return table(["run", "app", "mode", "status", "created", "seconds"], rows)


def constraints_rows(constraints: dict[str, Any]) -> list[list[Any]]:
    """One row per stated constraint: field, value, evidence quote, confidence."""
    evidence, confidence = constraints.get("evidence") or {}, constraints.get("confidence") or {}
    return [[name, value, evidence.get(name), confidence.get(name)]
            for name, value in constraints.items()
            if name not in HIDDEN_FIELDS and value not in (None, [], {})]


def decision_set_html(view: dict[str, Any], cards: list[dict[str, Any]] | None = None) -> str:
    """A decision set (``decision_set_view``): constraints, plan, policy and what to do next."""
    cost = view.get("monthly_usd")
    parts = [f"<h4>Design v{view['version']}: {escape(view['status'])}"
             + (f" · ${cost:,.0f}/month" if cost is not None else "") + "</h4>",
             f"<div style='{MUTED}'>decision set <code>{escape(view['id'])}</code></div>"]
    if cards:
        parts.append(table(["agent", "reason card", "confidence"],
                           [[c.get("agent"), c.get("title"), c.get("confidence")] for c in cards]))
    if view.get("constraints"):
        parts.append(table(["constraint", "value", "evidence", "confidence"], constraints_rows(view["constraints"])))
    for question in view.get("open_questions") or []:
        parts.append(f"<div>❓ {escape(question)}</div>")
    plan = view.get("plan")
    if plan:
        parts.append(f"<div><b>{escape(plan['cloud'])} {escape(plan['region'])}</b></div>")
        parts.append(table(["capability", "service", "$/month"],
                           [[c["capability"], c["service"], c.get("monthly_usd")] for c in plan["components"]]))
    policy = view.get("policy") or {}
    for violation in policy.get("violations", []):
        parts.append(f"<div style='color:var(--jp-error-color1)'>policy [{escape(violation['rule'])}] "
                     f"{escape(violation['message'])}</div>")
    parts.append(_next_step(view))
    return "<div>" + "".join(parts) + "</div>"


def _next_step(view: dict[str, Any]) -> str:
    ds_id = escape(view["id"])
    if view["status"] == "awaiting_approval":
        return (f"<div style='border-left:3px solid var(--jp-brand-color1);padding-left:8px'>Approval gate: "
                f"<code>%agilab approve {ds_id}</code> · <code>%agilab reject {ds_id} --comment ...</code> · "
                f"<code>%agilab revise {ds_id} --comment ...</code></div>")
    if view["status"] == "awaiting_input":
        return f"<div>Waiting for answers: revise with <code>%agilab revise {ds_id} --comment ...</code></div>"
    if view.get("zip"):
        return f"<div>Generated repository: <code>{escape(view['zip'])}</code></div>"
    return ""
