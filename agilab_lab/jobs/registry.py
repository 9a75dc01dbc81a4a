"""Job kinds: the handler of each kind and what to do when a job of that kind dies.

Areas register a handler per job kind with :func:`register_job`; a handler receives the ``Lab``
of the job's owner and the claimed job, and returns a JSON-able result. Handlers must be
idempotent by the job key: a retried job re-runs the handler from the top.

A kind may also register an *on-dead* hook with :func:`register_on_dead`: it is called once a
job of that kind is dead-lettered (its last attempt failed, or its worker died and the lease
expired), so the domain object the job was working on (a run, a decision set) ends in a
terminal state instead of staying ``running`` for ever.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core import Lab
    from ..store.queue import ClaimedJob

JobHandler = Callable[["Lab", "ClaimedJob"], "dict[str, Any] | None"]
# on_dead(lab, job, reason): end the job's domain object; must be idempotent.
DeadHook = Callable[["Lab", "ClaimedJob", str], None]

_HANDLERS: dict[str, JobHandler] = {}
_ON_DEAD: dict[str, DeadHook] = {}


class PermanentJobError(Exception):
    """A failure that retrying cannot fix (bad input): the job is dead-lettered at once."""


def register_job(kind: str) -> Callable[[JobHandler], JobHandler]:
    """Decorator: ``handler`` executes jobs of ``kind``."""

    def decorator(handler: JobHandler) -> JobHandler:
        _HANDLERS[kind] = handler
        return handler

    return decorator


def register_on_dead(kind: str) -> Callable[[DeadHook], DeadHook]:
    """Decorator: ``hook`` ends the domain object of a dead job of ``kind``."""

    def decorator(hook: DeadHook) -> DeadHook:
        _ON_DEAD[kind] = hook
        return hook

    return decorator


def load_job_kinds() -> None:
    """Import every area that registers job kinds (imported here, not at start-up: fast server)."""
    from ..agents import jobs as _design_jobs  # noqa: F401
    from ..runtime import jobs as _run_jobs  # noqa: F401


def job_handlers() -> dict[str, JobHandler]:
    """Every registered kind's handler."""
    load_job_kinds()
    return dict(_HANDLERS)


def dead_hooks() -> dict[str, DeadHook]:
    """Every registered kind's on-dead hook."""
    load_job_kinds()
    return dict(_ON_DEAD)
