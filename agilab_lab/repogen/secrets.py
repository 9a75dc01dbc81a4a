"""Credential detection shared by rendering (redact inputs) and validation (scan outputs).

Requirement texts are user data: they may paste an access key into a project name or a
constraint's evidence. The designer redacts them on input; rendering redacts every string of the
spec again before it reaches a template, and the validator scans every generated file with the
same patterns, so a credential that slipped through any other path still fails validation. The
patterns live in :mod:`agilab_lab.redaction` (the one redactor).
"""

from __future__ import annotations

from ..redaction import REDACTED, SECRET_PATTERNS, SecretFinding, redact, redact_tree, scan_text

__all__ = ["REDACTED", "SECRET_PATTERNS", "SecretFinding", "redact", "redact_tree", "scan_text"]
