"""A private PostgreSQL server for the test session, started from Debian's package.

The server runs as the unprivileged ``postgres`` user (or as the current user when that is not
root) in a temporary data directory, on a free loopback port; it is stopped at the end.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager


def _bin_dir() -> str | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(candidates[-1]) if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_user(user: str | None, argv: list[str]) -> list[str]:
    return ["runuser", "-u", user, "--", *argv] if user else argv


@contextmanager
def postgres_server():
    """Yield a SQLAlchemy URL of a fresh database; raise RuntimeError when PostgreSQL is missing."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    user = None
    if os.geteuid() == 0:
        user = "postgres"
        pwd.getpwnam(user)  # KeyError when the package did not create the user
    root = tempfile.mkdtemp(prefix="agilab-pg-")
    data, sock_dir = os.path.join(root, "data"), os.path.join(root, "sock")
    os.makedirs(sock_dir)
    if user:
        shutil.chown(root, user)
        shutil.chown(sock_dir, user)
    port = _free_port()
    run = lambda argv: subprocess.run(_as_user(user, argv), check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run([f"{bin_dir}/initdb", "-D", data, "-A", "trust", "-U", "agilab", "--no-sync"])
        run([f"{bin_dir}/pg_ctl", "-D", data, "-l", os.path.join(root, "log"), "-w", "-t", "60", "start",
             "-o", f"-p {port} -k {sock_dir} -h 127.0.0.1 -c fsync=off -c max_connections=100"])
        _wait_ready(port)
        run([f"{bin_dir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "agilab", "agilab_test"])
        yield f"postgresql+psycopg://agilab@127.0.0.1:{port}/agilab_test"
    finally:
        subprocess.run(_as_user(user, [f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def _wait_ready(port: int, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL did not accept connections on port {port}")
