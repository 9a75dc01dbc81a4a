"""App discovery, settings seeded and edited with comments kept, templates, worker packaging."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from agilab_lab.runtime import BadArgs
from agilab_lab.runtime.apps import resolve_app
from agilab_lab.runtime.packaging import build_artifact
from agilab_lab.runtime.templates import create_app


def test_builtin_apps_are_listed(agi):
    names = [app["name"] for app in agi.apps()]
    assert names == sorted(names) and {"flight_telemetry", "minimal_app"} <= set(names)
    described = agi.describe("flight_telemetry")
    assert "flights" in described["args_schema"]["properties"]
    assert described["worker_requirements"] == ["polars", "numpy"]


def test_settings_are_seeded_then_edited_keeping_comments(agi, home):
    settings = agi.settings("flight_telemetry")
    text = settings.text()
    assert settings.path == home / "apps" / "flight_telemetry" / "app_settings.toml"
    assert "# Seed of the synthetic generator" in text
    settings.update({"flights": 30})
    edited = settings.path.read_text()
    assert "flights = 30" in edited and "# Seed of the synthetic generator" in edited
    assert agi.get_distrib("flight_telemetry").n_items == 30  # runs read the edited settings

    with pytest.raises(BadArgs, match="flights"):
        settings.update({"flights": "many"})
    with pytest.raises(BadArgs, match="not valid TOML"):
        settings.replace_text("[args\nflights = 3")
    assert settings.path.read_text() == edited  # a refused edit changes nothing


@pytest.mark.parametrize("template", ["polars", "pandas", "dag"])
def test_templates_create_apps_that_run(agi, home, tmp_path, template):
    path = create_app(f"my_{template}", template, tmp_path, home)
    assert (path / f"test_my_{template}.py").is_file()
    assert resolve_app(f"my_{template}", home).path == path  # registered in the home
    local = agi.run(f"my_{template}", mode="local", workers=2)
    assert local.status == "succeeded", local.error
    assert local.result["items"] == 8
    if template == "polars":
        pool = agi.run(f"my_{template}", mode="pool", workers=2)
        assert pool.result == local.result
    with pytest.raises(BadArgs, match="already exists"):
        create_app(f"my_{template}", template, tmp_path, home)


def test_the_generated_test_passes_in_every_mode(home, tmp_path):
    path = create_app("generated", "dag", tmp_path, home)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:]


def test_bad_app_names_are_refused(home, tmp_path):
    for name in ("My-App", "flight_telemetry", "_hidden"):
        with pytest.raises(BadArgs):
            create_app(name, "polars", tmp_path, home)


def test_the_artifact_is_built_once_per_content_hash(home):
    spec = resolve_app("minimal_app", home)
    first = build_artifact(spec, home / "packages")
    mtime = first.path.stat().st_mtime_ns
    again = build_artifact(spec, home / "packages")
    assert again.path == first.path and again.path.stat().st_mtime_ns == mtime
    names = zipfile.ZipFile(first.path).namelist()
    assert "agilab_node/executor.py" in names and "minimal_app_worker/worker.py" in names
    assert not any("__pycache__" in n for n in names)


def test_changed_worker_code_gives_a_new_artifact(agi, home, tmp_path):
    path = create_app("hashed", "dag", tmp_path, home)
    spec = resolve_app("hashed", home)
    before = build_artifact(spec, home / "packages")
    worker = path / "hashed_worker" / "worker.py"
    worker.write_text(worker.read_text().replace("abs(x) < 3.0", "abs(x) < 2.0"))
    after = build_artifact(spec, home / "packages")
    assert after.content_hash != before.content_hash
    assert agi.run("hashed", mode="local").status == "succeeded"  # local mode picks up the new code


def test_worker_code_imports_no_jupyter_or_langgraph(home):
    """The artifact alone (plus polars/numpy) runs the worker: no UI or agent imports."""
    artifact = build_artifact(resolve_app("flight_telemetry", home), home / "packages")
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import flight_telemetry_worker.worker, agilab_node.executor;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in"
        " {'jupyter_server', 'jupyterlab', 'langgraph', 'agilab_lab', 'tornado', 'anthropic'});"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", script, str(artifact.path)], capture_output=True, text=True,
                         check=True, cwd=home)
    assert out.stdout.strip() == ""
