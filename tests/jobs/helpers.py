"""Helpers of the job tests: real worker processes, polling without timing asserts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from agilab_lab.jobs.worker import settings_env

ROOT = Path(__file__).parents[2]
T = TypeVar("T")


def worker_env(settings) -> dict[str, str]:
    """The environment a supervised worker gets, with this checkout first on the path."""
    return {**os.environ, **settings_env(settings), "PYTHONPATH": str(ROOT)}


def spawn_worker(settings, *args: str) -> subprocess.Popen:
    """``python -m agilab_lab.jobs.worker`` with ``settings``, as the supervisor starts it."""
    return subprocess.Popen([sys.executable, "-m", "agilab_lab.jobs.worker", "--poll", "0.1", *args],
                            env=worker_env(settings), stdin=subprocess.DEVNULL)


def wait_for(probe: Callable[[], T], *, timeout_s: float = 120.0, every_s: float = 0.2, what: str = "") -> T:
    """Poll ``probe`` until it returns something truthy; fail with ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or probe}")
        time.sleep(every_s)
