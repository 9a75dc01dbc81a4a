"""Secrets pasted into requirements, revision and approval comments never reach the disk or the API.

A design runs through the REST routes (extract -> approval gate -> revise -> approve -> a real
rendered, zipped and git-committed repository); then every file under the home is read (zips and
the project's git history unpacked) and so are the API bodies and the SSE stream. The design
jobs run in the server's worker processes, so nothing here can be monkeypatched: the real
validators run and their reports are part of what is scanned.
"""

from __future__ import annotations

import io
import subprocess
import zipfile

from .test_designer_api import call, settled

AWS_KEY = "AKIAZ7QWERTYUIOPASDF"
AWS_SECRET = "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"
ANTHROPIC_KEY = "sk-ant-api03-Qx7Lm2Np9Rt4Vw6Yz8Bc1Df3Gh5Jk"
PASSWORD = "Tr0ub4dor&3horse"
SECRETS = (AWS_KEY, AWS_SECRET, ANTHROPIC_KEY, PASSWORD)

TEXT = ("Nightly demand forecasting on GCP europe-west1, 40 GB a day, retrain daily, $600 a month. "
        f"Our deploy user is AKIA key {AWS_KEY} with aws_secret_access_key {AWS_SECRET}; the LLM key is "
        f"{ANTHROPIC_KEY} and the feature store password={PASSWORD} .")


def _home_bytes(home) -> bytes:
    """Every file under the home, zips unpacked, plus the full history of every git repo."""
    chunks = []
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        data = path.read_bytes()
        chunks.append(data)
        if path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                chunks.extend(archive.read(name) for name in archive.namelist())
    for git_dir in home.rglob(".git"):
        log = subprocess.run(["git", "-C", str(git_dir.parent), "log", "--all", "-p", "--format=%B"],
                             capture_output=True, check=True)
        chunks.append(log.stdout)
    return b"\n".join(chunks)


def _leaks(blob: bytes) -> list[str]:
    return [s for s in SECRETS if s.encode() in blob]


async def test_secrets_in_requirements_and_comments_are_never_stored(jp_fetch, home):
    _, project = await call(jp_fetch, "POST", "projects", body={"name": f"fraud {AWS_KEY}"})
    assert AWS_KEY not in project["name"]
    _, accepted = await call(jp_fetch, "POST", "projects", project["id"], "constraints", body={"text": TEXT})
    first = await settled(jp_fetch, accepted["decision_set_id"])
    assert first["status"] == "awaiting_approval", first["error"]
    code, _ = await call(jp_fetch, "POST", "decision-sets", first["id"], "approve",
                         body={"decision": "revise", "comment": f"Budget is now $900 per month, token={ANTHROPIC_KEY}"})
    assert code == 202
    await settled(jp_fetch, first["id"], after=first["lock_version"])
    second = None
    for _ in range(150):
        _, sets = await call(jp_fetch, "GET", "projects", project["id"], "decision-sets")
        if len(sets["decision_sets"]) == 2:
            second = await settled(jp_fetch, sets["decision_sets"][1]["id"])
            break
        await _sleep()
    assert second is not None and second["status"] == "awaiting_approval", second
    code, _ = await call(jp_fetch, "POST", "decision-sets", second["id"], "approve",
                         body={"decision": "approve", "comment": f"ok, rotate {AWS_KEY} and password={PASSWORD}"})
    # Generation runs in the server's job worker process with the real validators (whose
    # reports are scanned too): minutes on a loaded machine.
    done = await settled(jp_fetch, second["id"], after=second["lock_version"], timeout_s=900)
    assert done["status"] == "generated" and done["zip"], done["error"]

    bodies = [(await jp_fetch("agilab-lab", "api", *path, params=params)).body for path, params in (
        (("decision-sets", first["id"]), None), (("decision-sets", second["id"]), None),
        (("decision-sets", second["id"], "zip"), None), (("projects", project["id"]), None),
        (("projects", project["id"], "events"), {"follow": "0"}))]
    api = b"\n".join(bodies[:2] + bodies[3:])
    with zipfile.ZipFile(io.BytesIO(bodies[2])) as archive:
        api += b"".join(archive.read(name) for name in archive.namelist())
    assert b"[REDACTED]" in api and b"reason_card" in bodies[4]
    assert _leaks(api) == []
    on_disk = _home_bytes(home)
    assert b"checkpoint" in b"".join(p.name.encode() for p in home.rglob("*"))  # the checkpointer was read too
    assert _leaks(on_disk) == []


async def _sleep():
    import asyncio

    await asyncio.sleep(0.2)


def test_the_leak_detector_sees_a_planted_secret(tmp_path):
    """The grep above can fail: a secret written anywhere under the home is found."""
    (tmp_path / "sub").mkdir()
    with zipfile.ZipFile(tmp_path / "sub" / "x.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", f"key {AWS_SECRET}" * 50)
    assert _leaks(_home_bytes(tmp_path)) == [AWS_SECRET]
