"""Errors of the runtime, each with the HTTP status and code the REST layer serves it as."""

from __future__ import annotations

from pydantic import ValidationError


class RuntimeFailure(Exception):
    """Base class: ``status``/``code`` map the error to a REST response; the message is one line."""

    status = 500
    code = "runtime_error"


class AppNotFound(RuntimeFailure):
    status, code = 404, "app_not_found"


class RunNotFound(RuntimeFailure):
    status, code = 404, "run_not_found"


class BadArgs(RuntimeFailure):
    """Arguments, settings or a request the caller got wrong; nothing was changed."""

    status, code = 400, "bad_args"

    @classmethod
    def from_validation(cls, error: ValidationError, where: str = "args") -> BadArgs:
        return cls(f"invalid {where}: {describe_validation(error)}")


class ClusterUnavailable(RuntimeFailure):
    status, code = 503, "cluster_unavailable"


def describe_validation(error: ValidationError) -> str:
    """One line naming every bad field: ``flights: Input should be greater than 0``.

    Input values are not echoed: an argument may hold a secret.
    """
    return "; ".join(
        f"{'.'.join(str(p) for p in problem['loc']) or 'value'}: {problem['msg']}" for problem in error.errors()
    )
