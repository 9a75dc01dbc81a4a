"""The requirement text as the rules see it: redacted, split into sentences and clauses."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from .negation import is_negated
from .numbers import localise
from .safety import blank, instruction_spans, redact_secrets

_SENTENCE_BREAK = re.compile(
    r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[A-Z0-9$€£¥•*\-])"  # end punctuation, then a new sentence
    r"|\n\s*\n"  # blank line
    r"|\n(?=\s*(?:[-*•]|\d+[.)])\s)"  # a list item starts
    r"|(?<=[:;])\s*\n"  # a line ending with a colon or semicolon
    r"|\n(?=\s*[|#])"  # a table row or a markdown heading starts
)
_CLAUSE_BREAK = re.compile(
    r"[;:()\[\]—–|]|,(?!\d{3})|\s-\s"
    # "anything but AWS" is one refusal, not two clauses
    r"|\b(?:(?<!anything\s)(?<!everything\s)but|while|whereas|however|although|though|yet|so)\b",
    re.IGNORECASE,
)
_WS = re.compile(r"\s+")
# Requirement texts are a few hundred words; past this the rules read only the beginning, which
# bounds the time a hostile input can take (a few seconds at worst).
MAX_TEXT_CHARS = 50_000


@dataclass(frozen=True)
class Finding:
    """One value the rules found, with the quoted span that states it."""

    value: Any
    evidence: str
    confidence: float
    start: int = 0
    notes: tuple[str, ...] = ()  # caveats for Constraints.warnings (e.g. a currency conversion)
    questions: tuple[str, ...] = ()  # what the user should confirm


class Document:
    """Requirement text prepared for the rules.

    `text` is the input with secrets redacted; `usable` is `text` with instruction-like
    sentences blanked and numbers in continental European notation rewritten in the English one
    (same length, so offsets agree). Rules search `usable` and quote `text`, so evidence keeps the
    original notation.
    """

    def __init__(self, raw: str) -> None:
        self.truncated = len(raw) > MAX_TEXT_CHARS
        self.text, self.redacted = redact_secrets(raw[:MAX_TEXT_CHARS])
        sentences = _bounds(_SENTENCE_BREAK, self.text, 0, len(self.text))
        self.instructions = instruction_spans(self.text, sentences)
        self.usable = localise(blank(self.text, self.instructions))
        self._sentences = [(s, e) for s, e in sentences if self.usable[s:e].strip()]
        self._starts = [s for s, _ in self._sentences]
        self._clauses: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """Bounds of the sentence holding offset `pos`."""
        i = max(bisect.bisect_right(self._starts, pos) - 1, 0)
        return self._sentences[i] if self._sentences else (0, len(self.text))

    def clause_at(self, pos: int) -> tuple[int, int]:
        """Bounds of the clause (comma/semicolon/"but"-delimited part of a sentence) at `pos`."""
        sentence = self.sentence_at(pos)
        if sentence not in self._clauses:
            self._clauses[sentence] = _bounds(_CLAUSE_BREAK, self.usable, *sentence)
        for c_start, c_end in self._clauses[sentence]:
            if c_start <= pos < c_end:
                return c_start, c_end
        return sentence

    def quote(self, start: int, end: int) -> str:
        """Evidence for a span: the redacted input text, whitespace collapsed."""
        return _WS.sub(" ", self.text[start:end]).strip()

    def quote_with_context(self, start: int, end: int, reach: int = 60) -> str:
        """Evidence from the start of the clause (at most `reach` chars back) to `end`, so a
        refusal shows its verb: "we do not want to run Kubernetes"."""
        first = max(self.clause_at(start)[0], start - reach)
        while first < start and not (
            self.text[first].isalnum() and (first == 0 or not self.text[first - 1].isalnum())
        ):
            first += 1  # begin on a whole word
        return self.quote(first, end)

    def negated(self, start: int, end: int) -> bool:
        """Whether the text around `start:end` refuses or denies it (see `negation.py`)."""
        return is_negated(self, start, end)


def _bounds(breaks: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] at `breaks` into (start, end) spans."""
    spans, cursor = [], start
    for match in breaks.finditer(text, start, end):
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return spans
