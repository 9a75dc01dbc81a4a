"""One setting means the same thing in the server, the CLI and the magics."""

import json

from traitlets.config import Config

from agilab_lab.settings import load_settings


def test_jupyter_config_file_sets_the_app_traits(tmp_path, monkeypatch):
    config_dir = tmp_path / "cfg"
    config_dir.mkdir()
    (config_dir / "jupyter_server_config.json").write_text(
        json.dumps({"AgilabLabApp": {"n_workers": 5, "provider": "offline", "home": str(tmp_path / "h")}})
    )
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config_dir))
    monkeypatch.delenv("AGILAB_LAB_HOME")
    settings = load_settings()
    assert settings.n_workers == 5
    assert settings.home_path == tmp_path / "h"


def test_environment_overrides_files(tmp_path, monkeypatch):
    monkeypatch.setenv("AGILAB_LAB_HOME", str(tmp_path / "env-home"))
    settings = load_settings(Config({"AgilabLabApp": {"home": str(tmp_path / "file-home")}}))
    assert settings.home_path == tmp_path / "env-home"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'env-home' / 'agilab-lab.sqlite'}"


def test_bad_provider_is_refused():
    import pytest
    from traitlets import TraitError

    with pytest.raises(TraitError, match="provider must be"):
        load_settings(Config(), provider="gpt-9")


def test_cli_health_reports_the_database(tmp_path, capsys):
    from agilab_lab.cli import main

    assert main(["health"]) == 0
    report = json.loads(capsys.readouterr().out)
    from alembic.script import ScriptDirectory

    from agilab_lab.store.db import _alembic_config, make_engine

    head = ScriptDirectory.from_config(_alembic_config(make_engine("sqlite://"))).get_current_head()
    assert report["database"] == {"kind": "sqlite", "revision": head} and head
