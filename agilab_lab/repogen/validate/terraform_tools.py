"""Terraform offline: the binary on PATH, the provider mirror of the machine image, a CLI
config with a shared plugin cache, and a result cache keyed by the stack's content.

Nothing is ever downloaded: ``provider_installation`` only allows the filesystem mirror, so
a stack that pins a provider the mirror lacks fails ``terraform init`` with a clear error.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .base import CheckResult, ToolRun, clean_env, run_tool, tool_path

#: Roots searched for ``registry.terraform.io/hashicorp/aws`` (the image ships one of them).
MIRROR_CANDIDATES = ("/opt/tf-plugins", "~/.terraform.d/plugins", "~/.local/share/terraform/plugins",
                     "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins")
MIRROR_ENV = "AGILAB_TF_PROVIDER_MIRROR"
GOGC = "400"
SKIPPED_FILES = (".terraform", ".terraform.lock.hcl", "terraform.tfstate", "tfplan")


def find_provider_mirror(provider: str = "hashicorp/aws") -> Path | None:
    """The filesystem-mirror root holding ``provider``, or None."""
    configured = os.environ.get(MIRROR_ENV)
    candidates = [configured] if configured else list(MIRROR_CANDIDATES)
    for candidate in candidates:
        root = Path(candidate).expanduser()
        if (root / "registry.terraform.io" / provider).is_dir():
            return root
    return None


def mirror_versions(mirror: Path, provider: str = "hashicorp/aws") -> list[str]:
    return sorted(p.name for p in (mirror / "registry.terraform.io" / provider).iterdir())


@dataclass(frozen=True)
class Terraform:
    """Everything a gate needs to run terraform offline."""

    binary: str
    mirror: Path
    cache: Path  # <cache>/terraformrc, <cache>/plugins, <cache>/results

    @property
    def config_file(self) -> Path:
        return self.cache / "terraformrc"

    def env(self, **extra: str) -> dict[str, str]:
        # Terraform and the provider plugin (which inherits it) spend ~1/3 of their CPU in the Go
        # GC while loading the provider's schema, which every command does 1-3 times: a GC every
        # 4x heap growth instead of 1x (peak RSS ~330 -> ~390 MB) cuts that CPU on busy cores.
        gc = {} if "GOGC" in os.environ else {"GOGC": GOGC}
        return clean_env(TF_CLI_CONFIG_FILE=str(self.config_file), CHECKPOINT_DISABLE="1",
                         TF_IN_AUTOMATION="1", TF_INPUT="0", **gc, **extra)

    def run(self, args: list[str], cwd: Path, timeout_s: float):
        return run_tool([self.binary, *args], cwd=cwd, timeout_s=timeout_s, env=self.env())

    def start(self, args: list[str], cwd: Path, timeout_s: float) -> Background:
        """Start ``terraform args`` in the background (see :class:`Background`)."""
        return Background([self.binary, *args], cwd, timeout_s, self.env())

    def version(self) -> str:
        run = run_tool([self.binary, "version", "-json"], cwd=self.cache, timeout_s=30,
                       env=self.env())
        try:
            return json.loads(run.stdout)["terraform_version"]
        except (ValueError, KeyError):
            return run.stdout.strip()[:40]


class Background:
    """A terraform command running while the gates do other work (its output goes to files, so
    it never blocks on a full pipe). :meth:`kill` ends it together with its provider plugins
    (its own process group); :meth:`wait` returns its :class:`ToolRun`, a timeout included."""

    def __init__(self, cmd: list[str], cwd: Path, timeout_s: float, env: dict[str, str]) -> None:
        self.cwd = cwd
        self.started = time.perf_counter()
        self._deadline = self.started + timeout_s
        self._out = tempfile.TemporaryFile("w+")
        self._err = tempfile.TemporaryFile("w+")
        self._proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=self._out, stderr=self._err,
                                      text=True, start_new_session=True)
        self._run: ToolRun | None = None

    def wait(self) -> ToolRun:
        if self._run is None:
            try:
                code = self._proc.wait(timeout=max(0.0, self._deadline - time.perf_counter()))
                self._finish(code, timed_out=False)
            except subprocess.TimeoutExpired:
                self.kill(timed_out=True)
        return self._run

    def kill(self, *, timed_out: bool = False) -> None:
        """Stop the command and its plugins (no-op once it has been waited for)."""
        if self._run is not None:
            return
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._finish(self._proc.wait(), timed_out=timed_out)

    def _finish(self, code: int, *, timed_out: bool) -> None:
        outputs = []
        for handle in (self._out, self._err):
            handle.seek(0)
            outputs.append(handle.read())
            handle.close()
        self._run = ToolRun(-1 if timed_out else code, *outputs, timed_out=timed_out)


def locate_terraform(cache: Path) -> Terraform | str:
    """A ready :class:`Terraform`, or the reason the gates cannot run here."""
    binary = tool_path("terraform")
    if binary is None:
        return "no terraform binary on PATH (the machine image ships it; it is never downloaded)"
    mirror = find_provider_mirror()
    if mirror is None:
        return (f"no hashicorp/aws provider mirror under {', '.join(MIRROR_CANDIDATES)} "
                f"(set {MIRROR_ENV})")
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "plugins").mkdir(exist_ok=True)
    tf = Terraform(binary=binary, mirror=mirror, cache=cache)
    text = (
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{mirror}"\n'
        '    include = ["registry.terraform.io/hashicorp/*"]\n  }\n'
        '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n'
        "}\n"
        f'plugin_cache_dir = "{cache / "plugins"}"\n'
    )
    if not tf.config_file.exists() or tf.config_file.read_text() != text:
        tf.config_file.write_text(text)
    return tf


@contextmanager
def file_lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def stack_files(tf_dir: Path) -> dict[str, bytes]:
    """The stack's own files (relative path -> bytes), without terraform's working state."""
    return {str(p.relative_to(tf_dir)): p.read_bytes() for p in sorted(tf_dir.rglob("*"))
            if p.is_file() and not any(part in SKIPPED_FILES for part in p.relative_to(tf_dir).parts)}


def content_key(files: dict[str, bytes], *salt: str) -> str:
    """sha256 of the stack's files plus ``salt`` (gate, terraform and emulator versions)."""
    digest = hashlib.sha256("\0".join(salt).encode())
    for name, content in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()[:32]


class ResultCache:
    """Passing gate results keyed by content: an unchanged stack is not applied twice."""

    def __init__(self, root: Path) -> None:
        self.root = root / "results"

    def get(self, key: str) -> list[CheckResult] | None:
        path = self.root / f"{key}.json"
        if not path.exists():
            return None
        try:
            return [CheckResult.model_validate(item) for item in json.loads(path.read_text())]
        except ValueError:
            return None

    def put(self, key: str, results: list[CheckResult]) -> None:
        if not all(r.passed for r in results):
            return  # a failure is re-run: it may be an emulator hiccup
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps([r.model_dump(mode="json") for r in results]))
        tmp.replace(self.root / f"{key}.json")


_DIAG = re.compile(r"^(Error|Warning): ", re.MULTILINE)


def diagnostics(text: str, *, limit: int = 1500) -> str:
    """The error blocks of terraform's output (first ``limit`` chars), else its tail."""
    match = _DIAG.search(text)
    return (text[match.start():] if match else text[-limit:]).strip()[:limit]
