"""SSH mode against a real sshd on 127.0.0.1 through dask's ``SSHCluster``.

The test starts Debian's ``/usr/sbin/sshd`` on a free port with its own config, host key and an
authorized client key, all in a temporary directory (``apt-get install -y openssh-server``
provides the binary). It is skipped, saying why, when sshd is absent or cannot start.
"""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from agilab_lab.runtime import AGI
from agilab_lab.runtime.backends.clusters import ClusterPool

SSHD = Path("/usr/sbin/sshd")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


@pytest.fixture
def sshd(tmp_path):
    if not SSHD.is_file() or shutil.which("ssh-keygen") is None:
        pytest.skip("openssh-server is not installed (apt-get install -y openssh-server)")
    keys = tmp_path / "ssh"
    keys.mkdir(mode=0o700)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / "host_key")], check=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / "client_key")], check=True)
    (keys / "authorized_keys").write_text((keys / "client_key.pub").read_text())
    (keys / "authorized_keys").chmod(0o600)
    port = _free_port()
    host_key = (keys / "host_key.pub").read_text().split()
    (keys / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    config = keys / "sshd_config"
    config.write_text("\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {keys / 'host_key'}",
        f"AuthorizedKeysFile {keys / 'authorized_keys'}", f"PidFile {keys / 'sshd.pid'}",
        "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
        "PermitRootLogin prohibit-password", "StrictModes no", "UsePAM no", "AllowTcpForwarding yes",
        "PermitUserEnvironment no", "LogLevel ERROR", "",
    ]))
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege-separation directory
    process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE, text=True)
    if not _wait_for_port(port):
        process.kill()
        pytest.skip(f"sshd did not start: {process.stderr.read()[:500]}")
    options = {"port": port, "known_hosts": str(keys / "known_hosts"), "client_keys": [str(keys / "client_key")],
               "username": getpass.getuser()}
    yield options
    process.terminate()
    process.wait(timeout=10)


def test_ssh_cluster_runs_the_app_like_local_mode(lab, sshd):
    pool = ClusterPool(ssh_connect_options=sshd)
    try:
        agi = AGI(lab, clusters=pool)
        args = {"flights": 4, "points_per_flight": 120}
        remote = agi.run("flight_telemetry", mode="dask", workers={"127.0.0.1": 2}, timeout_s=120, **args)
        assert remote.status == "succeeded", remote.error
        assert len(remote.plan) == 2
        assert len(remote.extra["artifact"]["shipped_to"]) == 2  # SSH workers start without the package
        local = agi.run("flight_telemetry", mode="local", **args)
        assert remote.result == local.result
    finally:
        pool.close()
