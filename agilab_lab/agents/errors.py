"""What the designer refuses; ``status``, ``code`` and ``details`` map to the API error format."""

from __future__ import annotations

from typing import Any


class DesignerError(Exception):
    """A request the designer refuses (bad input)."""

    status, code = 400, "bad_request"

    def __init__(self, message: str, **details: Any):
        super().__init__(message)
        self.message, self.details = message, details


class InvalidAnswer(DesignerError):
    """An answer or decision that does not validate."""

    status, code = 422, "invalid_body"


class NotFound(DesignerError):
    status, code = 404, "not_found"


class Conflict(DesignerError):
    """The decision set is not in a state that allows this; ``details["current"]`` says which it is."""

    status, code = 409, "conflict"


class StaleVersion(Conflict):
    """The client's ``version`` (lock_version) is not the decision set's any more."""

    code = "stale_version"
