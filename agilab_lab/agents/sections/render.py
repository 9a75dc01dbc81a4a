"""Render a section playbook (Jinja2 markdown) against the design state, and parse it back.

Playbook convention: bullet lines starting ``- Decision:``, ``- Risk:`` or ``- Alternative:``
become the typed fields of the :class:`~agilab_lab.agents.types.Section`; the first paragraph
is its rationale. The same convention is asked of the LLM when a provider writes the section.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, StrictUndefined, Template

from ..types import Section
from .registry import SectionSpec

MARKERS = {"decision": "decisions", "risk": "risks", "alternative": "alternatives"}
_MARKER = re.compile(r"^\s*[-*]\s*\**(Decision|Risk|Alternative)\**\s*:\s*\**\s*(.+)$", re.IGNORECASE)


def usd(value: float | None) -> str:
    return "n/a" if value is None else f"${value:,.0f}"


def critic_notes(entries: list[Any]) -> list[str]:
    """What the critics said in earlier rounds, read from the (possibly compacted) decision log."""
    notes = []
    for entry in entries:
        if entry.agent.startswith("critics round"):
            notes.append(f"{entry.agent.removeprefix('critics ')}: {'; '.join(entry.decisions)}")
        elif entry.summary:
            notes += [d.removeprefix("critics ") for d in entry.decisions if d.startswith("critics round")]
    return notes


@lru_cache(maxsize=1)
def environment() -> Environment:
    # trim_blocks stays off: a tag closing a line must not swallow its newline; the blank
    # lines that standalone tags leave are removed by _tidy.
    env = Environment(autoescape=False, undefined=StrictUndefined, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["usd"] = usd
    env.filters["critic_notes"] = critic_notes
    return env


def playbook_source(name: str) -> str:
    return resources.files("agilab_lab.agents").joinpath("playbooks", name).read_text(encoding="utf-8")


@lru_cache(maxsize=64)
def playbook_template(name: str) -> Template:
    """The compiled playbook (compiling costs far more than rendering)."""
    return environment().from_string(playbook_source(name))


def render(spec: SectionSpec, context: dict[str, Any]) -> str:
    """The playbook of ``spec`` rendered against ``context`` (markdown)."""
    return _tidy(playbook_template(spec.playbook).render(**context))


def _kind(line: str) -> str:
    stripped = line.lstrip()
    for prefix, kind in (("#", "heading"), ("- ", "list"), ("* ", "list"), ("|", "table"), ("```", "code")):
        if stripped.startswith(prefix):
            return kind
    return "text"


def _tidy(text: str) -> str:
    """One blank line between blocks (heading, list, table, code, paragraph), none inside them."""
    out: list[str] = []
    previous, in_code = None, False
    for line in text.splitlines():
        if in_code:
            if line.strip():
                out.append(line.rstrip())
            in_code = not line.lstrip().startswith("```")
            continue
        if not line.strip():
            continue
        kind = _kind(line)
        if previous is not None and (kind != previous or kind in ("heading", "text")):
            out.append("")
        out.append(line.rstrip())
        in_code, previous = kind == "code", kind
    return "\n".join(out).strip() + "\n"


def parse(spec: SectionSpec, markdown: str) -> Section:
    """Typed section from markdown that follows the playbook convention."""
    fields: dict[str, list[str]] = {v: [] for v in MARKERS.values()}
    for line in markdown.splitlines():
        match = _MARKER.match(line)
        if match:
            fields[MARKERS[match.group(1).lower()]].append(match.group(2).strip().rstrip("*").strip())
    paragraphs = [p.strip() for p in markdown.split("\n\n") if p.strip() and not p.lstrip().startswith(("#", "-", "|", "```"))]
    return Section(key=spec.key, title=spec.title, rationale=paragraphs[0] if paragraphs else "",
                   markdown=markdown, **fields)
