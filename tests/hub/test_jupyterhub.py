"""JupyterHub single-user servers share one database; each user sees only their own rows.

A real hub (DummyAuthenticator, local process spawner, configurable-http-proxy from npm) on
loopback spawns two single-user servers with agilab-lab enabled and the same database URL.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CHP = ROOT / ".venv" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(url, token, method="GET", body=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
        return response.status, (json.loads(raw) if raw else None)


def _wait(fn, timeout_s=90, what="condition"):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if fn():
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    if not CHP.exists() or shutil.which("jupyterhub", path=str(Path(sys.executable).parent)) is None:
        if os.environ.get("CI"):
            pytest.fail("jupyterhub or configurable-http-proxy missing (scripts/test.sh installs them)")
        pytest.skip("jupyterhub or configurable-http-proxy not installed")
    work = tmp_path_factory.mktemp("hub")
    admin_token = secrets.token_hex(16)
    port, hub_port, api_port = _free_port(), _free_port(), _free_port()
    shared_db = f"sqlite:///{work / 'shared.sqlite'}"
    config = work / "jupyterhub_config.py"
    config.write_text(f"""
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{str(CHP)!r}]
c.JupyterHub.db_url = "sqlite:///{work / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = "{work / 'cookie_secret'}"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.Authenticator.allow_all = True
c.Spawner.cmd = [{str(Path(sys.executable).parent / 'jupyterhub-singleuser')!r}]
c.Spawner.args = ["--allow-root", "--ServerApp.ip=127.0.0.1"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 90
# answer the spawn request at once (202) and let the test poll: a loaded machine starts slowly
c.JupyterHub.tornado_settings = {{"slow_spawn_timeout": 0}}
c.Spawner.environment = {{"AGILAB_LAB_DATABASE_URL": {shared_db!r}, "AGILAB_LAB_HOME": {str(work / 'agilab')!r},
                         "AGILAB_LAB_PROVIDER": "offline", "PYTHONPATH": {str(ROOT)!r}}}
c.JupyterHub.services = [{{"name": "tests", "api_token": {admin_token!r}}}]
c.JupyterHub.load_roles = [{{"name": "tests-admin", "scopes": ["admin:users", "admin:servers", "tokens"],
                            "services": ["tests"]}}]
""")
    log = open(work / "hub.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f", str(config)],
                            cwd=work, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _call(f"{base}/hub/api/", admin_token)[0] == 200, what="the hub")
        yield {"base": base, "token": admin_token}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _user_server(hub, name):
    base, admin = hub["base"], hub["token"]
    _call(f"{base}/hub/api/users/{name}", admin, "POST", {})
    _call(f"{base}/hub/api/users/{name}/server", admin, "POST", {}, timeout=60)
    _wait(lambda: _call(f"{base}/hub/api/users/{name}", admin)[1]["servers"].get("", {}).get("ready"),
          what=f"{name}'s server")
    _, token = _call(f"{base}/hub/api/users/{name}/tokens", admin, "POST", {"expires_in": 600})
    return f"{base}/user/{name}/agilab-lab/api", token["token"]


def test_single_user_servers_share_the_database_but_not_the_rows(hub):
    alice_api, alice_token = _user_server(hub, "alice")
    bob_api, bob_token = _user_server(hub, "bob")
    status, health = _call(f"{alice_api}/health", alice_token)
    assert status == 200 and health["database"]["kind"] == "sqlite"
    with pytest.raises(urllib.error.HTTPError) as err:
        _call(f"{alice_api}/health", bob_token)  # bob's token does not open alice's server
    assert err.value.code in (401, 403, 404)
    status, project = _call(f"{alice_api}/projects", alice_token, "POST", {"name": "alice-fraud"})
    assert status == 201
    _, alice_projects = _call(f"{alice_api}/projects", alice_token)
    _, bob_projects = _call(f"{bob_api}/projects", bob_token)
    assert project["id"] in json.dumps(alice_projects)
    assert project["id"] not in json.dumps(bob_projects)
