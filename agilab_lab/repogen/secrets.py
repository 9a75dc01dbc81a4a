"""Credential detection shared by rendering (redact inputs) and validation (scan outputs).

Requirement texts are user data: they may paste an access key into a project name or a
constraint's evidence. Rendering redacts every match before it reaches a template, and the
validator scans every generated file with the same patterns, so a credential that slipped
through any other path still fails validation.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

REDACTED = "[REDACTED]"

# (name, pattern). Patterns match the credential itself, not its surroundings, so redaction
# keeps the rest of the sentence readable.
SECRET_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("aws_access_key_id", r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b"),
        (
            "aws_secret_access_key",
            r"(?i)aws.{0,20}?(?:secret|key).{0,20}?[=:\s\"']+[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])",
        ),
        ("private_key", r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"),
        ("github_token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b"),
        ("slack_token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),
        ("google_api_key", r"\bAIza[0-9A-Za-z_\-]{35}\b"),
        ("anthropic_api_key", r"\bsk-ant-[A-Za-z0-9_\-]{20,}\b"),
        ("openai_api_key", r"\bsk-(?:proj-)?[A-Za-z0-9]{32,}\b"),
        ("azure_storage_key", r"(?i)AccountKey=[A-Za-z0-9+/=]{40,}"),
        ("azure_sas_signature", r"(?i)[?&]sig=[A-Za-z0-9%+/=]{30,}"),
        ("stripe_secret_key", r"\b[rs]k_live_[A-Za-z0-9]{20,}\b"),
        ("jwt", r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\b"),
        (
            "password_assignment",
            r"(?i)\b(?:password|passwd|secret|api_key|apikey|token)\s*[:=]\s*[\"'][^\"'\s]{8,}[\"']",
        ),
    )
)


# Credentials without a recognisable prefix (an AWS secret key pasted alone): long tokens
# mixing upper case, lower case and digits with high character entropy. Hex digests and
# identifiers stay below the bar (one case, or entropy under 4.2 bits per character).
_TOKEN = re.compile(r"(?<![A-Za-z0-9/+=_-])[A-Za-z0-9/+=_-]{32,128}(?![A-Za-z0-9/+=_-])")
MIN_ENTROPY_BITS = 4.2


def _entropy(token: str) -> float:
    counts = Counter(token)
    return -sum(n / len(token) * math.log2(n / len(token)) for n in counts.values())


def _is_random_token(token: str) -> bool:
    return (any(c.isupper() for c in token) and any(c.islower() for c in token)
            and any(c.isdigit() for c in token) and _entropy(token) >= MIN_ENTROPY_BITS)


@dataclass(frozen=True)
class SecretFinding:
    """One credential-looking match; ``line`` is 1-based. The match itself is never kept."""

    path: str
    line: int
    kind: str


def redact(text: str) -> str:
    """Replace every credential-looking span of ``text`` by ``[REDACTED]``."""
    for _, pattern in SECRET_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return _TOKEN.sub(lambda m: REDACTED if _is_random_token(m.group()) else m.group(), text)


def redact_tree(value: Any) -> Any:
    """Redact every string inside a JSON-like value (dicts, lists, scalars)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_tree(k): redact_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_tree(v) for v in value]
    return value


def scan_text(path: str, text: str) -> list[SecretFinding]:
    """Find credential-looking spans in one file's text."""
    findings = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for kind, pattern in SECRET_PATTERNS:
            if pattern.search(line):
                findings.append(SecretFinding(path=path, line=lineno, kind=kind))
        if any(_is_random_token(m.group()) for m in _TOKEN.finditer(line)):
            findings.append(SecretFinding(path=path, line=lineno, kind="high_entropy_token"))
    return findings
