"""One configuration for the server extension, the CLI and the magics.

Settings are traitlets so that ``c.AgilabLabApp.home = ...`` in any Jupyter config file means the
same thing in JupyterLab, in ``agilab-lab`` on the command line and in ``%agilab`` magics.
Environment variables win over files: ``AGILAB_LAB_HOME``, ``AGILAB_LAB_DATABASE_URL``,
``AGILAB_LAB_PROVIDER`` and ``AGILAB_LAB_SCHEDULER``.
"""

from __future__ import annotations

import os
from pathlib import Path

from traitlets import Bool, Dict, Float, Int, List, TraitError, Unicode, default, validate
from traitlets.config import Config, Configurable

ENV_HOME = "AGILAB_LAB_HOME"
ENV_DATABASE_URL = "AGILAB_LAB_DATABASE_URL"
ENV_PROVIDER = "AGILAB_LAB_PROVIDER"
ENV_SCHEDULER = "AGILAB_LAB_SCHEDULER"

# Config sections read by load_settings(): the server extension's and our own.
CONFIG_SECTIONS = ("AgilabLabApp", "AgilabLabSettings")


class AgilabLabSettings(Configurable):
    """Every knob of agilab-lab. The ExtensionApp inherits these traits."""

    home = Unicode(help="Directory holding the database, runs, projects and caches.").tag(config=True)
    database_url = Unicode(
        "", help="SQLAlchemy URL. Empty means a SQLite file under the home (WAL mode)."
    ).tag(config=True)
    provider = Unicode(
        "auto",
        help="LLM provider for the designer: 'offline', 'anthropic', or 'auto' "
        "(anthropic when ANTHROPIC_API_KEY is set, offline otherwise).",
    ).tag(config=True)
    anthropic_model = Unicode("claude-sonnet-4-5", help="Anthropic model used by the designer.").tag(
        config=True
    )
    llm_timeout_s = Float(60.0, help="Timeout of one LLM call in seconds.").tag(config=True)
    scheduler_address = Unicode(
        "", help="Existing Dask scheduler address for mode=dask (empty: a LocalCluster on demand)."
    ).tag(config=True)
    n_workers = Int(2, help="Workers of the on-demand LocalCluster and of the process pool.").tag(config=True)
    threads_per_worker = Int(1, help="Threads per LocalCluster worker.").tag(config=True)
    ssh_hosts = Dict(
        default_value={}, help="SSH hosts for mode=dask over SSH, as {host: n_workers}."
    ).tag(config=True)
    run_timeout_s = Float(600.0, help="Default timeout of one run.").tag(config=True)
    job_workers = Int(
        2, help="Job worker processes the Jupyter server starts, restarts when they die and stops with it "
        "(0: none; run `agilab-lab worker` elsewhere)."
    ).tag(config=True)
    job_worker_nice = Int(
        19, help="Niceness added to the job worker processes (and what they spawn), so that heavy jobs "
        "leave the CPU to the Jupyter server's requests first (0-19)."
    ).tag(config=True)
    gc_freeze_after_s = Float(
        5.0, help="Seconds after the Jupyter server starts at which the objects alive then are frozen out of "
        "the garbage collector's scans (gc.freeze), so full collections no longer stall requests for "
        "~0.1 s (negative: never)."
    ).tag(config=True)
    job_lease_s = Float(60.0, help="Lease of a claimed job; extended by heartbeats.").tag(config=True)
    job_max_attempts = Int(3, help="Attempts before a job is dead-lettered.").tag(config=True)
    max_body_bytes = Int(1_048_576, help="Largest request body accepted by the REST API.").tag(config=True)
    auto_approve_after_s = Float(
        0.0, help="Approve a design automatically after this many seconds (0: never)."
    ).tag(config=True)
    webhook_urls = List(Unicode(), default_value=[], help="URLs notified of finished runs/designs.").tag(
        config=True
    )
    webhook_secret = Unicode("", help="HMAC secret for webhook signatures (never logged).").tag(config=True)
    owner = Unicode(
        "",
        help="Whose rows this server, CLI and magics read and write. Empty: $JUPYTERHUB_USER "
        "under JupyterHub, else the operating-system user, so the CLI and the Lab agree.",
    ).tag(config=True)
    allow_ssh = Bool(True, help="Allow mode=dask over SSH hosts.").tag(config=True)
    mlflow_tracking = Bool(
        False, help="Log every finished run (params, metrics, artifacts) to MLflow (extra: agilab-lab[mlflow])."
    ).tag(config=True)
    mlflow_tracking_uri = Unicode(
        "", help="MLflow tracking URI. Empty: a SQLite store under the home (mlflow/mlflow.db)."
    ).tag(config=True)
    mlflow_experiment = Unicode("agilab-lab", help="MLflow experiment the runs are logged to.").tag(config=True)
    mlflow_ui_url = Unicode(
        "", help="Base URL of an MLflow UI serving the tracking store; the Runs panel links runs to it."
    ).tag(config=True)

    @default("home")
    def _default_home(self):
        return os.environ.get(ENV_HOME) or str(Path.home() / ".agilab-lab")

    @validate("provider")
    def _check_provider(self, proposal):
        if proposal["value"] not in {"auto", "offline", "anthropic"}:
            raise TraitError(f"provider must be auto, offline or anthropic, not {proposal['value']!r}")
        return proposal["value"]

    @property
    def home_path(self) -> Path:
        return Path(self.home).expanduser()

    @property
    def resolved_owner(self) -> str:
        import getpass

        return self.owner or os.environ.get("JUPYTERHUB_USER") or getpass.getuser()

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home_path / 'agilab-lab.sqlite'}"

    def apply_environment(self) -> None:
        """Environment variables override config files (one setting, one meaning everywhere)."""
        if os.environ.get(ENV_HOME):
            self.home = os.environ[ENV_HOME]
        if os.environ.get(ENV_DATABASE_URL):
            self.database_url = os.environ[ENV_DATABASE_URL]
        if os.environ.get(ENV_PROVIDER):
            self.provider = os.environ[ENV_PROVIDER]
        if os.environ.get(ENV_SCHEDULER):
            self.scheduler_address = os.environ[ENV_SCHEDULER]


def load_jupyter_config() -> Config:
    """The merged ``jupyter_server_config`` files Jupyter itself would read (cwd first)."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Application

    loader_app = Application()
    paths = [os.getcwd(), *jupyter_config_path()]
    try:
        loader_app.load_config_file("jupyter_server_config", path=paths)
    except Exception as exc:  # a broken user config must not hide which file is broken
        raise RuntimeError(f"cannot read Jupyter config: {exc}") from exc
    return loader_app.config


def load_settings(config: Config | None = None, **overrides) -> AgilabLabSettings:
    """Settings from Jupyter config files, then the environment, then explicit overrides."""
    config = load_jupyter_config() if config is None else config
    merged = Config()
    for section in CONFIG_SECTIONS:
        if section in config:
            merged.AgilabLabSettings.merge(config[section])
    settings = AgilabLabSettings(config=merged)
    settings.apply_environment()
    for key, value in overrides.items():
        if value is not None:
            setattr(settings, key, value)
    return settings


def settings_from(configurable: Configurable) -> AgilabLabSettings:
    """A standalone settings object carrying the traits of ``configurable`` (e.g. the app)."""
    values = {name: getattr(configurable, name) for name in AgilabLabSettings.class_trait_names(config=True)}
    settings = AgilabLabSettings()
    for key, value in values.items():
        setattr(settings, key, value)
    return settings
Settings = AgilabLabSettings
