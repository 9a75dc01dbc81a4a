"""Background jobs: kinds and their handlers, the worker loop, worker processes and their supervisor.

- :mod:`.registry` -- ``register_job`` / ``register_on_dead`` per job kind.
- :mod:`.loop` -- :class:`JobWorker`, the claim/run/heartbeat loop of one worker.
"""

from __future__ import annotations

from .loop import JobWorker, default_worker_id
from .registry import (
    DeadHook,
    JobHandler,
    PermanentJobError,
    dead_hooks,
    job_handlers,
    load_job_kinds,
    register_job,
    register_on_dead,
)

__all__ = [
    "DeadHook", "JobHandler", "JobWorker", "PermanentJobError", "dead_hooks", "default_worker_id",
    "job_handlers", "load_job_kinds", "register_job", "register_on_dead",
]
