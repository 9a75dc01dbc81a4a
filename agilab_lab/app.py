"""The Jupyter server extension: ``AgilabLabApp`` and its configuration."""

from __future__ import annotations

import asyncio

from jupyter_server.extension.application import ExtensionApp

from ._version import __version__
from .settings import AgilabLabSettings, settings_from


class AgilabLabApp(ExtensionApp, AgilabLabSettings):
    """Serves the runtime and designer API; every trait is configurable as ``c.AgilabLabApp.<name>``."""

    name = "agilab_lab"
    version = __version__
    load_other_extensions = True

    def initialize_settings(self):
        from .core import Lab
        from .jobs.supervisor import WorkerSupervisor

        settings = settings_from(self)
        settings.apply_environment()
        lab = Lab.open(settings)
        # Jobs run in supervised worker processes, never in this (the Jupyter server's) process.
        self._job_supervisor = WorkerSupervisor(settings, settings.job_workers, logger=self.log)
        self._job_supervisor.start()
        self.settings["agilab_lab"] = {"lab": lab}
        self.log.info(
            "agilab-lab %s: home %s, %s database at revision %s, %d job worker process(es)",
            __version__, settings.home_path, lab.store.kind, lab.store.revision, settings.job_workers,
        )

    def initialize_handlers(self):
        from .server import handlers

        self.handlers.extend(handlers())

    async def _start_jupyter_server_extension(self, serverapp):
        from .server.heap import schedule_heap_freeze
        from .server.warmup import warm_up

        schedule_heap_freeze(self.gc_freeze_after_s, self.log)
        if "agilab_lab" in self.settings:  # initialized: warm its caches in a thread
            base_url = getattr(serverapp, "base_url", None) or "/"
            asyncio.get_running_loop().run_in_executor(None, warm_up, self.settings["agilab_lab"], base_url)

    async def stop_extension(self):
        supervisor = getattr(self, "_job_supervisor", None)
        if supervisor is not None:
            await asyncio.to_thread(supervisor.stop)
