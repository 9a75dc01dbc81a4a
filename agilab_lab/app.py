"""The Jupyter server extension: ``AgilabLabApp`` and its configuration."""

from __future__ import annotations

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
        from .jobs.loop import start_worker_threads

        settings = settings_from(self)
        settings.apply_environment()
        lab = Lab.open(settings)
        self._job_workers = start_worker_threads(lab, settings.job_workers) if settings.job_workers > 0 else []
        self.settings["agilab_lab"] = {"lab": lab}
        self.log.info(
            "agilab-lab %s: home %s, %s database at revision %s, %d job worker(s)",
            __version__, settings.home_path, lab.store.kind, lab.store.revision, len(self._job_workers),
        )

    def initialize_handlers(self):
        from .server import handlers

        self.handlers.extend(handlers())

    async def stop_extension(self):
        for worker in getattr(self, "_job_workers", []):
            worker.stop()
