"""Requirements text -> typed `Constraints`.

    extract_constraints(text)             # offline rules only (deterministic, ~1-10 ms)
    extract_constraints(text, provider)   # rules + the provider's tool-use answer, merged
    extract(text, provider)               # the same, with how it went (fallback reason, calls)

Each filled field has `evidence[field]` (quotes of the input, joined by " | ", secrets
redacted) and `confidence[field]`; missing essentials become `open_questions`.
"""

from __future__ import annotations

from ..providers import LLMProvider
from ..types import Constraints
from .llm import SYSTEM_PROMPT, TOOL_NAME, Extraction, extract, merge
from .rules import EVIDENCE_SEPARATOR, extract_rules, open_questions

__all__ = [
    "EVIDENCE_SEPARATOR",
    "SYSTEM_PROMPT",
    "TOOL_NAME",
    "Extraction",
    "extract",
    "extract_constraints",
    "extract_rules",
    "merge",
    "open_questions",
]


def extract_constraints(text: str, provider: LLMProvider | None = None) -> Constraints:
    """Constraints stated by `text`; never raises for provider trouble (the rules answer instead)."""
    return extract(text, provider).constraints
