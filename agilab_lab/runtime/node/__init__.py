"""The worker-side runtime, shipped inside every worker artifact as the top-level package ``agilab_node``.

Everything here runs on Dask workers, in pool processes and (for ``local`` mode) in the client
process. It depends on the standard library only and uses relative imports, so that a plain
``dask worker`` with nothing of agilab-lab installed can run an app: the artifact carries both
this package and the app's worker package. Worker code imports it as::

    from agilab_node import BaseWorker
"""

from .base_worker import BaseWorker, Item

__all__ = ["BaseWorker", "Item"]
