"""Golden snapshots of two representative repositories, byte for byte.

Refresh after an intended template change with ``AGILAB_UPDATE_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.zipper import read_dir

from .plans import make_spec

GOLDEN = Path(__file__).parent / "golden"
CASES = {"aws-realtime": ("aws", "realtime"), "gcp-batch": ("gcp", "batch")}
UPDATE = os.environ.get("AGILAB_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("name", sorted(CASES))
def test_render_matches_golden_snapshot(name):
    files = generate(make_spec(*CASES[name]))
    target = GOLDEN / name
    if UPDATE:
        shutil.rmtree(target, ignore_errors=True)
        write_tree(files, target)
    assert target.is_dir(), f"no snapshot at {target}: run with AGILAB_UPDATE_GOLDEN=1"
    snapshot = read_dir(target)
    assert sorted(snapshot) == sorted(files)
    for path, content in files.items():
        assert snapshot[path] == content, f"{name}/{path} differs from its golden snapshot"
