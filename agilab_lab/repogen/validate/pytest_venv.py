"""Run the generated test suite in an isolated venv built from the repo's exact pins.

Venvs are cached under ``<home>/cache/venvs/<key>``, the key being the sha256 of the
requirement files and the Python version, so every repo with the same pins shares one venv
and a second validation installs nothing. A venv counts as built only once its marker file
is written, so a crash mid-install leads to a rebuild, never to a half-installed venv.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager
from pathlib import Path

from .base import CheckResult, clean_env, run_tool

REQUIREMENT_FILES = ("requirements.txt", "requirements-dev.txt")
COMPLETE_MARKER = ".agilab-complete"


def venv_key(root: Path) -> str:
    digest = hashlib.sha256(f"python{sys.version_info[0]}.{sys.version_info[1]}".encode())
    for name in REQUIREMENT_FILES:
        path = root / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b""))
    return digest.hexdigest()[:24]


@contextmanager
def _lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_venv(root: Path, cache_dir: Path, timeout_s: float) -> tuple[Path, bool]:
    """(venv python, whether it was built now). Raises RuntimeError when the install fails."""
    venv = cache_dir / venv_key(root)
    python, marker = venv / "bin" / "python", venv / COMPLETE_MARKER
    with _lock(cache_dir / f".{venv.name}.lock"):
        if marker.exists():
            return python, False
        shutil.rmtree(venv, ignore_errors=True)  # a half-built venv from a crashed run
        try:
            _build(venv, root, timeout_s)
        except BaseException:
            shutil.rmtree(venv, ignore_errors=True)
            raise
        marker.write_text("ok\n")
        return python, True


def _build(venv: Path, root: Path, timeout_s: float) -> None:
    run = run_tool([sys.executable, "-m", "venv", "--without-pip", str(venv)],
                   cwd=root, timeout_s=timeout_s)
    if run.returncode != 0:
        raise RuntimeError(f"venv creation failed: {run.stderr.strip()[-500:]}")
    run = run_tool([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "--no-deps", "--only-binary=:all:", "--quiet",
                    "--disable-pip-version-check", "-r", "requirements-dev.txt"],
                   cwd=root, timeout_s=timeout_s)
    if run.timed_out or run.returncode != 0:
        raise RuntimeError(f"pip install failed: {run.stderr.strip()[-800:]}")


def _junit_summary(path: Path) -> dict:
    root = ElementTree.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    counts = {key: sum(int(s.get(key, 0)) for s in suites)
              for key in ("tests", "failures", "errors", "skipped")}
    failing = sorted(f"{case.get('classname')}::{case.get('name')}"
                     for s in suites for case in s.iter("testcase")
                     if case.find("failure") is not None or case.find("error") is not None)
    return {**counts, "failing": failing}


def check_pytest(root: Path, cache_dir: Path, timeout_s: float) -> CheckResult:
    if not (root / "requirements-dev.txt").exists():
        return CheckResult(name="pytest", passed=False, details="no requirements-dev.txt")
    try:
        python, built = ensure_venv(root, cache_dir, timeout_s)
    except RuntimeError as exc:
        return CheckResult(name="pytest", passed=False, details=str(exc))
    with tempfile.TemporaryDirectory(prefix="agilab-pytest-") as scratch:
        junit = Path(scratch) / "junit.xml"
        run = run_tool([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        f"--junitxml={junit}", f"--basetemp={scratch}/tmp"],
                       cwd=root, timeout_s=timeout_s, env=clean_env(PYTHONHASHSEED="0"))
        if run.timed_out:
            return CheckResult(name="pytest", passed=False, details=f"timed out after {timeout_s}s")
        if not junit.exists():
            return CheckResult(name="pytest", passed=False,
                               details=(run.stdout + run.stderr).strip()[-1500:])
        summary = _junit_summary(junit)
    summary["venv"] = python.parent.parent.name
    summary["venv_built"] = built
    passed = run.returncode == 0 and summary["tests"] > 0
    details = (f"{summary['tests']} tests, {summary['failures']} failures, "
               f"{summary['errors']} errors, {summary['skipped']} skipped")
    if not passed:
        details += "\n" + run.stdout.strip()[-1500:]
    return CheckResult(name="pytest", passed=passed, details=details, summary=summary)
