"""Functions the client sends to Dask workers, pickled by value.

``cloudpickle.register_pickle_by_value`` ships these functions' code rather than a reference to
this module, so neither the scheduler (which unpickles task graphs) nor a plain worker needs
agilab_lab installed: the worker imports ``agilab_node`` from the shipped artifact only when the
task runs. Keep this module standard-library only.
"""

from __future__ import annotations

from typing import Any


def installed_artifacts() -> list[str]:
    """Basenames of the worker artifacts (``<package>-<hash>.zip``) on the worker's ``sys.path``."""
    import os
    import sys

    return sorted(os.path.basename(p) for p in sys.path if p.endswith(".zip") and "-" in os.path.basename(p))


def run_dask_task(spec: dict[str, Any]) -> dict[str, Any]:
    """The coarse task: run the spec with the executor of the artifact the worker holds."""
    import importlib

    return importlib.import_module("agilab_node.executor").run_dask_task(spec)
