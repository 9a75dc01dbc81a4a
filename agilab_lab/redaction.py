"""The one redactor: credentials in user text become ``[REDACTED]`` before anything stores them.

Applied on input (requirements text, clarify answers, approval and revision comments, project
names) so the original never reaches the database, the LangGraph checkpoint, the event log, the
reason cards or a generated repository; the repository generator applies it again to its spec,
and the extractor to the text it reads. :func:`scan_text` (the generated-repo secret scan)
detects with the same named patterns.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

REDACTED = "[REDACTED]"

# (name, pattern). Patterns match the credential itself (or only the value of an assignment),
# so redaction keeps the rest of the sentence readable.
SECRET_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("private_key",
         r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----(?:[\s\S]*?(?:-----END (?:[A-Z]+ )*PRIVATE KEY-----|\Z))?"),
        ("aws_access_key_id", r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b"),
        (
            "aws_secret_access_key",
            r"(?i)aws.{0,20}?(?:secret|key).{0,20}?[=:\s\"']+[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])",
        ),
        ("github_token", r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{40,})\b"),
        ("slack_token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),
        ("google_api_key", r"\bAIza[0-9A-Za-z_\-]{30,}"),
        ("anthropic_api_key", r"\bsk-ant-[A-Za-z0-9_\-]{12,}"),
        ("openai_api_key", r"\bsk-(?:proj-|live-)?[A-Za-z0-9_\-]{12,}"),
        ("azure_storage_key", r"(?i)AccountKey=[A-Za-z0-9+/=]{40,}"),
        ("azure_sas_signature", r"(?i)[?&]sig=[A-Za-z0-9%+/=]{30,}"),
        ("stripe_secret_key", r"\b[rs]k_live_[A-Za-z0-9]{20,}\b"),
        ("jwt", r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{4,}"),
        (
            "password_assignment",
            r"(?i)\b(?:password|passwd|secret|api_key|apikey|token)\s*[:=]\s*[\"'][^\"'\s]{8,}[\"']",
        ),
    )
)

# "api_key: abc123", "password = hunter22", "the token is s3cr3t!": only the value is redacted.
_ASSIGNED = re.compile(
    r"(?i)\b(?:api[_ \-]?key|secret(?:[_ \-]?key)?|access[_ \-]?key|token|password|passwd|pwd)"
    r"\s*(?:is|=|:)\s*['\"]?(?P<value>[^\s'\"]{6,})"
)
# A long opaque token mixing letters and digits (a key pasted alone); "/" excluded so paths
# survive, and plain hex (ids, digests) is left alone.
_OPAQUE = re.compile(r"(?<![\w\-])(?=[A-Za-z0-9_\-+]*\d)(?=[A-Za-z0-9_\-+]*[A-Za-z])[A-Za-z0-9_\-+]{32,}={0,2}")
_HEX = re.compile(r"[0-9a-f]+|[0-9A-F]+")
# High-entropy tokens that may contain "/" (an AWS secret key): upper, lower, digits, >= 4.2 bits/char.
_TOKEN = re.compile(r"(?<![A-Za-z0-9/+=_-])[A-Za-z0-9/+=_-]{32,128}(?![A-Za-z0-9/+=_-])")
MIN_ENTROPY_BITS = 4.2


def _entropy(token: str) -> float:
    counts = Counter(token)
    return -sum(n / len(token) * math.log2(n / len(token)) for n in counts.values())


def is_random_token(token: str) -> bool:
    return (any(c.isupper() for c in token) and any(c.islower() for c in token)
            and any(c.isdigit() for c in token) and _entropy(token) >= MIN_ENTROPY_BITS)


def redact_count(text: str) -> tuple[str, int]:
    """``text`` with every credential-looking span replaced, and how many were replaced."""
    count = 0

    def _value(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        start, end = match.span("value")
        return match.group()[: start - match.start()] + REDACTED + match.group()[end - match.start():]

    def _token(match: re.Match[str], keep: Any) -> str:
        nonlocal count
        if keep(match.group()):
            return match.group()
        count += 1
        return REDACTED

    text = _ASSIGNED.sub(_value, text)
    for _, pattern in SECRET_PATTERNS:
        text, n = pattern.subn(REDACTED, text)
        count += n
    text = _OPAQUE.sub(lambda m: _token(m, lambda t: _HEX.fullmatch(t.rstrip("="))), text)
    text = _TOKEN.sub(lambda m: _token(m, lambda t: not is_random_token(t)), text)
    return text, count


def redact(text: str) -> str:
    """Replace every credential-looking span of ``text`` by ``[REDACTED]``."""
    return redact_count(text)[0]


def redact_tree(value: Any) -> Any:
    """Redact every string inside a JSON-like value (dicts, lists, scalars)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_tree(k): redact_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_tree(v) for v in value]
    return value


@dataclass(frozen=True)
class SecretFinding:
    """One credential-looking match; ``line`` is 1-based. The match itself is never kept."""

    path: str
    line: int
    kind: str


def scan_text(path: str, text: str) -> list[SecretFinding]:
    """Find credential-looking spans in one file's text (the generated-repo secret scan)."""
    findings = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for kind, pattern in SECRET_PATTERNS:
            if pattern.search(line):
                findings.append(SecretFinding(path=path, line=lineno, kind=kind))
        if any(is_random_token(m.group()) for m in _TOKEN.finditer(line)):
            findings.append(SecretFinding(path=path, line=lineno, kind="high_entropy_token"))
    return findings
