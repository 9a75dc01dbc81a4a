"""The installed labextension is a production build under the JavaScript size budget."""

from __future__ import annotations

from pathlib import Path

import pytest

JS_BUDGET_BYTES = 120_000


def installed_labextension() -> Path:
    """The agilab-lab labextension directory JupyterLab serves (first on its search path)."""
    from jupyter_core.paths import jupyter_path
    from jupyterlab_server.config import get_federated_extensions

    extensions = get_federated_extensions(jupyter_path("labextensions"))
    if "agilab-lab" not in extensions:
        pytest.fail("the agilab-lab labextension is not installed (jupyter-builder develop --overwrite .)")
    return Path(extensions["agilab-lab"]["ext_path"])


def static_js(directory: Path) -> tuple[int, list[str]]:
    """Bytes of JavaScript in ``static/`` and the source maps found there (a development build has them)."""
    static = directory / "static"
    return (sum(p.stat().st_size for p in static.glob("*.js")),
            sorted(p.name for p in static.glob("*.js.map")))


def test_the_budget_check_sees_an_oversized_development_build(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "remoteEntry.js").write_bytes(b"x" * (JS_BUDGET_BYTES + 1))
    (static / "remoteEntry.js.map").write_text("{}")
    size, maps = static_js(tmp_path)
    assert size > JS_BUDGET_BYTES and maps == ["remoteEntry.js.map"]


def test_installed_labextension_is_a_small_production_build():
    size, maps = static_js(installed_labextension())
    print(f"agilab-lab labextension: {size} bytes of JavaScript")
    assert maps == [], "source maps: a development build is installed (jlpm build:prod)"
    assert 0 < size < JS_BUDGET_BYTES
