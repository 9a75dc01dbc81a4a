"""Requirement text is data: redact secrets and set aside text that tries to instruct the system.

Both steps keep the text's shape: a secret becomes ``[REDACTED]`` (so evidence never quotes it)
and an instruction-like sentence is blanked with spaces of the same length (so the offsets the
rules compute still point into the redacted text).
"""

from __future__ import annotations

import re

REDACTED = "[REDACTED]"

_SECRET_PATTERNS = [
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)"),
    re.compile(r"\bsk-(?:ant-)?[A-Za-z0-9_\-]{12,}"),
    re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),
    re.compile(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}"),
    re.compile(r"\bAIza[0-9A-Za-z_\-]{30,}"),
    re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{4,}"),
    # a long opaque token with letters and digits (base64/hex keys); "/" excluded so paths survive
    re.compile(r"(?<![\w\-])(?=[A-Za-z0-9_\-+]*\d)(?=[A-Za-z0-9_\-+]*[A-Za-z])[A-Za-z0-9_\-+]{32,}={0,2}"),
]
# "api_key: abc123...", "password = hunter22": only the value is redacted
_ASSIGNED_SECRET = re.compile(
    r"(?i)\b(?:api[_ \-]?key|secret(?:[_ \-]?key)?|access[_ \-]?key|token|password|passwd|pwd)"
    r"\s*(?:is|=|:)\s*['\"]?(?P<value>[^\s'\"]{6,})"
)

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


def redact_secrets(text: str) -> tuple[str, int]:
    """Text with secret-looking strings replaced by ``[REDACTED]``, and how many were replaced."""
    count = 0

    def _value(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        start, end = match.span("value")
        return match.group()[: start - match.start()] + REDACTED + match.group()[end - match.start() :]

    text = _ASSIGNED_SECRET.sub(_value, text)
    for pattern in _SECRET_PATTERNS:
        text, n = pattern.subn(REDACTED, text)
        count += n
    return text, count


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
