"""Shared memory of the section agents: a decision log compacted past a token budget.

Agents read the log instead of each other's prose (the seeds' "decision logs replace raw
conversations"). When the log grows past the budget, the oldest entries fold into one summary
entry that keeps each agent's first decision, so later agents still see every earlier choice.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

DEFAULT_TOKEN_BUDGET = 1200
KEEP_RECENT = 6


class LogEntry(BaseModel):
    agent: str
    decisions: list[str] = Field(default_factory=list)
    summary: bool = False


def estimate_tokens(entries: list[LogEntry]) -> int:
    """About four characters per token, the usual rule of thumb for English text."""
    return sum(len(e.agent) + sum(len(d) for d in e.decisions) for e in entries) // 4


def compact(entries: list[LogEntry], budget: int = DEFAULT_TOKEN_BUDGET) -> list[LogEntry]:
    """Fold all but the newest entries into one summary once the log exceeds ``budget``."""
    if estimate_tokens(entries) <= budget or len(entries) <= KEEP_RECENT:
        return entries
    old, recent = entries[:-KEEP_RECENT], entries[-KEEP_RECENT:]
    kept = [f"{e.agent}: {e.decisions[0]}" for e in old if e.decisions and not e.summary]
    kept = [d for e in old if e.summary for d in e.decisions] + kept
    return [LogEntry(agent="summary", decisions=kept, summary=True), *recent]


def record(entries: list[LogEntry], agent: str, decisions: list[str], budget: int = DEFAULT_TOKEN_BUDGET) -> list[LogEntry]:
    """A new log with ``agent``'s decisions appended, compacted if needed (inputs untouched)."""
    return compact([*entries, LogEntry(agent=agent, decisions=decisions)], budget)
