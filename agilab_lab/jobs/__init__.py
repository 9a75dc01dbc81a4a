"""Background jobs: kinds and their handlers, the worker loop, worker processes and their supervisor.

- :mod:`.registry` -- ``register_job`` / ``register_on_dead`` per job kind.
- :mod:`.loop` -- :class:`JobWorker`, the claim/run/heartbeat/reap loop of one worker.
- :mod:`.worker` -- ``python -m agilab_lab.jobs.worker``: one worker process.
- :mod:`.supervisor` -- :class:`WorkerSupervisor`, the server's worker processes.
- :mod:`.domain` -- execution domains: which home's workers may run a job.

Names are resolved lazily so that :mod:`agilab_lab.core` can import :mod:`.domain` without
importing the worker loop (which itself needs ``core``).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "JobWorker": ".loop", "default_worker_id": ".loop", "worker_pid": ".loop",
    "DeadHook": ".registry", "JobHandler": ".registry", "PermanentJobError": ".registry",
    "dead_hooks": ".registry", "job_handlers": ".registry", "load_job_kinds": ".registry",
    "register_job": ".registry", "register_on_dead": ".registry",
    "WorkerSupervisor": ".supervisor", "execution_domain": ".domain",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
