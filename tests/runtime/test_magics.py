"""``%agilab`` uses the same API as the CLI."""

from __future__ import annotations

import pytest

IPython = pytest.importorskip("IPython")


def test_agilab_run_magic_returns_the_run_record(home, capsys):
    from IPython.testing.globalipapp import get_ipython

    from agilab_lab.magics import AgilabMagics, load_ipython_extension

    ip = get_ipython()
    load_ipython_extension(ip)
    AgilabMagics._agi = None
    assert "minimal_app" in ip.run_line_magic("agilab", "apps")
    record = ip.run_line_magic("agilab", "run minimal_app --set items=4")
    assert record.status == "succeeded" and record.result["items"] == 4
    assert ip.run_line_magic("agilab", "run minimal_app --set items=0") is None
    assert "items" in capsys.readouterr().err
