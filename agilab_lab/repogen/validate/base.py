"""Shared pieces of the checkers: result models and a time-limited subprocess runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field


class CheckResult(BaseModel):
    """Outcome of one checker. ``skipped`` checks could not run here (say why in details)."""

    name: str
    passed: bool
    seconds: float = 0.0
    skipped: bool = False
    details: str = ""
    summary: dict = Field(default_factory=dict)  # machine-readable counts and findings


class ValidationReport(BaseModel):
    """All checks of one generated repository; ``passed`` only when none failed."""

    passed: bool
    checks: list[CheckResult]
    reports_dir: str | None = None

    def check(self, name: str) -> CheckResult | None:
        return next((c for c in self.checks if c.name == name), None)


@dataclass(frozen=True)
class ToolRun:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool


def tool_path(name: str) -> str | None:
    """An executable from this interpreter's environment first, then from PATH."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    return shutil.which(name)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for checker subprocesses: no bytecode files, no user site, no color."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONNOUSERSITE="1", NO_COLOR="1", **extra)
    return env


#: Niceness of the tools a thread starts inside :func:`at_low_priority`.
LOW_PRIORITY_NICE = 10
_priority = threading.local()


@contextmanager
def lower_priority(nice: int = LOW_PRIORITY_NICE) -> Iterator[None]:
    """Every tool this thread starts inside the block runs at ``nice`` (0: unchanged)."""
    previous = getattr(_priority, "nice", 0)
    _priority.nice = nice
    try:
        yield
    finally:
        _priority.nice = previous


def at_low_priority(func, *args, **kwargs):
    """Call ``func`` with every tool it starts (in this thread) at nice 10: the static checks
    then take the CPU the terraform deploy gates, the critical path, leave idle."""
    with lower_priority():
        return func(*args, **kwargs)


def _niced(cmd: list[str]) -> list[str]:
    nice = getattr(_priority, "nice", 0)
    prefix = shutil.which("nice") if nice else None
    return [prefix, "-n", str(nice), *cmd] if prefix else cmd


def run_tool(cmd: list[str], *, cwd: Path, timeout_s: float, env: dict | None = None) -> ToolRun:
    """Run ``cmd`` with a time limit; a timeout is reported, not raised."""
    cmd = _niced(cmd)
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout_s,
                              env=env or clean_env(), check=False)
    except subprocess.TimeoutExpired as exc:
        return ToolRun(-1, _text(exc.stdout), _text(exc.stderr), timed_out=True)
    return ToolRun(done.returncode, done.stdout, done.stderr, timed_out=False)


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return value or ""


def timed(name: str, func, *args, **kwargs) -> CheckResult:
    """Run a checker, stamp its duration, and turn a crash into a failed check."""
    start = time.perf_counter()
    try:
        result = func(*args, **kwargs)
    except Exception as exc:  # a checker bug must show as a failed check, not vanish
        result = CheckResult(name=name, passed=False, details=f"checker error: {exc!r}")
    result.seconds = round(time.perf_counter() - start, 3)
    return result


def missing_tool(name: str, tool: str) -> CheckResult:
    """A required tool is absent: the check fails (it cannot vouch for the repository)."""
    return CheckResult(name=name, passed=False, details=f"{tool} is not installed")
