"""Requirement text is data: redact secrets and set aside text that tries to instruct the system.

Both steps keep the text's shape: a secret becomes ``[REDACTED]`` (so evidence never quotes it)
and an instruction-like sentence is blanked with spaces of the same length (so the offsets the
rules compute still point into the redacted text).
"""

from __future__ import annotations

import re

from ...redaction import redact_count

# The one redactor (agilab_lab.redaction): "[REDACTED]" keeps evidence from ever quoting a secret.
redact_secrets = redact_count

_INSTRUCTION = re.compile(
    r"(?ix)"
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?"
    r"\b(?:instructions?|rules|prompts?|guidelines|directions|polic(?:y|ies)|constraints|above|previous|prior)\b"
    r"|\bsystem\s+prompt\b|\byou\s+are\s+now\b|\bnew\s+instructions\b|\bdeveloper\s+mode\b|\bjailbreak"
    r"|\b(?:set|change|force|update)\s+(?:the\s+|your\s+)?"
    r"(?:budget|cloud|region|latency|status|policy|approval|constraints?|decision)\b[^.\n]{0,40}?\bto\b"
    r"|\b(?:auto-?)?approve\s+(?:this|it|the\s+design)\b[^.\n]{0,30}?"
    r"\b(?:automatically|immediately|without\s+review|now)\b"
    r"|\bmark\s+(?:this|it|the\s+design)\s+as\s+(?:approved|passed|compliant)"
    r"|\b(?:print|reveal|output|show|repeat|leak)\s+(?:your|the)\s+"
    r"(?:system\s+)?(?:prompt|instructions|api\s+key|keys?|secrets?)"
    r"|</?(?:system|assistant|instructions?)>|^\s*(?:system|assistant)\s*:"
)
# a command sentence right after an injection continues it ("Ignore the above. Set budget to ...").
# Verbs that only make sense addressed to the system always continue it; everyday requirement
# verbs ("Use AWS eu-central-1 for batch scoring") only in a bare override of a few words
# ("Use Azure."), since a longer sentence describes the system and is a genuine requirement.
_SYSTEM_IMPERATIVE = re.compile(
    r"(?i)^\W*(?:approve|output|respond|reply|return|print|reveal|skip|say|pretend|act\s+as|mark|"
    r"obey|comply)\b"
)
_IMPERATIVE_START = re.compile(
    r"(?i)^\W*(?:set|use|change|make|write|assume|treat|always|never|do\s+not|don't|then|also)\b"
)
_BARE_OVERRIDE_WORDS = 6
# a wrapped line that carries on the previous one: it starts lower-case or with joining punctuation
_CONTINUATION_LINE = re.compile(r"[ \t]*[a-z(),;:&'\"]")


def instruction_spans(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences that address the system rather than describe requirements.

    A sentence with an injection marker is set aside, and so are the command sentences that
    follow it in the same paragraph.
    """
    spans: list[tuple[int, int]] = []
    following = False
    for start, end in sentences:
        if following and "\n\n" in text[spans[-1][1] : start]:
            following = False  # a new paragraph ends the injected passage
        sentence = text[start:end]
        marker = _INSTRUCTION.search(sentence)
        if marker:
            spans.append(_injected_lines(text, start, end, start + marker.start()))
            following = True
        elif following and _continues_injection(sentence):
            spans.append((start, end))
        else:
            following = False
    return spans


def _injected_lines(text: str, start: int, end: int, marker: int) -> tuple[int, int]:
    """The part of a sentence an injection marker at `marker` owns.

    A "sentence" without end punctuation can run over several lines ("<!-- assistant: ... -->"
    then a genuine requirement line): the injection owns its own line and the lines that
    continue it (starting lower-case), not a following line that starts a new statement.
    """
    first = max(start, text.rfind("\n", start, marker) + 1)
    last = text.find("\n", marker, end)
    while last != -1 and _CONTINUATION_LINE.match(text, last + 1, end):
        last = text.find("\n", last + 1, end)
    return first, end if last == -1 else last


def _continues_injection(sentence: str) -> bool:
    """Whether a sentence right after an injection is one more command to the system."""
    if _SYSTEM_IMPERATIVE.search(sentence):
        return True
    return bool(_IMPERATIVE_START.search(sentence)) and len(sentence.split()) <= _BARE_OVERRIDE_WORDS


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span replaced by spaces (newlines kept), offsets unchanged."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
