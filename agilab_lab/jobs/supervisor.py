"""``WorkerSupervisor``: the Jupyter server's job worker processes.

The server extension starts ``count`` processes of ``python -m agilab_lab.jobs.worker`` with its
own settings, restarts any that dies (with a growing delay when it keeps dying at start-up) and
stops them when the server stops: SIGTERM, then SIGKILL after ``stop_timeout_s``. A job whose
worker was killed keeps its lease until it expires; the queue's reaper then retries it or
dead-letters it and ends its run or decision set (see :mod:`.registry`).

Threading: :meth:`start`, :meth:`check` and :meth:`stop` are blocking but short (they spawn,
poll and signal processes); the watcher is a daemon thread that calls :meth:`check`. Call
:meth:`stop` from async code through ``asyncio.to_thread``.
"""

from __future__ import annotations

import atexit
import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from ..settings import AgilabLabSettings
from .worker import settings_env

log = logging.getLogger(__name__)


@dataclass
class _Slot:
    index: int
    process: subprocess.Popen | None = None
    started: float = 0.0
    quick_deaths: int = 0  # consecutive deaths within ``stable_s`` of a start
    not_before: float = 0.0  # no restart before this monotonic time


class WorkerSupervisor:
    """Spawns, restarts and stops the job worker processes of one Jupyter server."""

    def __init__(
        self, settings: AgilabLabSettings, count: int, *, check_s: float = 1.0,
        stop_timeout_s: float = 10.0, stable_s: float = 30.0, max_delay_s: float = 60.0,
        logger: logging.Logger | None = None,
    ):
        self.settings = settings
        self.check_s, self.stop_timeout_s = check_s, stop_timeout_s
        self.stable_s, self.max_delay_s = stable_s, max_delay_s
        self.log = logger or log
        self.restarts = 0
        self._slots = [_Slot(index) for index in range(max(0, count))]
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def pids(self) -> list[int]:
        """Process ids of the workers currently alive."""
        with self._lock:
            return [s.process.pid for s in self._slots if s.process is not None and s.process.poll() is None]

    def command(self, index: int) -> list[str]:
        return [sys.executable, "-m", "agilab_lab.jobs.worker", "--index", str(index),
                "--nice", str(max(0, self.settings.job_worker_nice)), "--parent-pid", str(os.getpid())]

    def start(self) -> None:
        """Spawn every worker and the watcher thread (idempotent)."""
        if self._watcher is not None or not self._slots:
            return
        with self._lock:
            for slot in self._slots:
                self._spawn(slot)
        atexit.register(self.stop)
        self._watcher = threading.Thread(target=self._watch, name="agilab-worker-supervisor", daemon=True)
        self._watcher.start()

    def check(self) -> list[int]:
        """Restart every worker that has exited (once its back-off delay passed); return their indices."""
        restarted = []
        now = time.monotonic()
        with self._lock:
            for slot in self._slots:
                if self._stopping.is_set() or slot.process is None or slot.process.poll() is None:
                    continue
                if slot.not_before == 0.0:
                    self._schedule_restart(slot, now)
                if now >= slot.not_before:
                    self._spawn(slot)
                    self.restarts += 1
                    restarted.append(slot.index)
        return restarted

    def stop(self) -> None:
        """SIGTERM every worker, wait up to ``stop_timeout_s``, SIGKILL the rest (idempotent)."""
        self._stopping.set()
        with self._lock:
            processes = [s.process for s in self._slots if s.process is not None]
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + self.stop_timeout_s
        for process in processes:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log.warning("job worker %d did not stop in %.0f s: killing it", process.pid, self.stop_timeout_s)
                process.kill()
                process.wait()
        if self._watcher is not None and self._watcher is not threading.current_thread():
            self._watcher.join(timeout=self.check_s * 2)

    def _spawn(self, slot: _Slot) -> None:
        env = {**os.environ, **settings_env(self.settings)}
        slot.process = subprocess.Popen(self.command(slot.index), env=env, stdin=subprocess.DEVNULL)
        slot.started, slot.not_before = time.monotonic(), 0.0
        self.log.info("agilab-lab job worker %d started (pid %d)", slot.index, slot.process.pid)

    def _schedule_restart(self, slot: _Slot, now: float) -> None:
        code = slot.process.returncode if slot.process else None
        slot.quick_deaths = slot.quick_deaths + 1 if now - slot.started < self.stable_s else 0
        delay = 0.0 if slot.quick_deaths == 0 else min(self.max_delay_s, 2.0 ** (slot.quick_deaths - 1))
        slot.not_before = now + delay
        self.log.warning("agilab-lab job worker %d exited with %s: restarting in %.0f s", slot.index, code, delay)

    def _watch(self) -> None:
        while not self._stopping.wait(self.check_s):
            try:
                self.check()
            except Exception:  # a failed spawn must not end supervision
                self.log.exception("agilab-lab worker supervision failed; retrying")
