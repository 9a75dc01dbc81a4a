"""No credential from the requirement text ever reaches a generated repository."""

from __future__ import annotations

import pytest

from agilab_lab.agents.types import Section
from agilab_lab.repogen import generate, write_zip
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.secrets import REDACTED, redact, scan_text
from agilab_lab.repogen.validate.secret_scan import check_secrets
from agilab_lab.repogen.zipper import read_zip

from .plans import make_spec

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
GITHUB_TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----"


def leaky_spec():
    evidence = {"budget_monthly_usd": f"budget $8,000; use aws_access_key_id={ACCESS_KEY} "
                                      f"and aws_secret_access_key={SECRET_KEY}",
                "cloud": f"deploy with token {GITHUB_TOKEN}"}
    spec = make_spec("aws", "realtime", project_name=f"Fraud {ACCESS_KEY} scoring",
                     evidence=evidence)
    spec.sections.append(Section(key="security", title="Security",
                                 markdown=f"Pasted: {PRIVATE_KEY}\nkey {ACCESS_KEY}"))
    spec.plan.components[0].rationale = f"bucket creds {ACCESS_KEY} / {SECRET_KEY}"
    return spec


@pytest.mark.parametrize("value", [ACCESS_KEY, f"aws_secret_access_key = {SECRET_KEY}",
                                   GITHUB_TOKEN, PRIVATE_KEY, "sk-ant-" + "x" * 40,
                                   "AIza" + "B" * 35, 'password = "hunter2hunter2"',
                                   SECRET_KEY])
def test_patterns_find_and_redact_credentials(value):
    assert scan_text("f", f"prefix {value} suffix")
    assert REDACTED in redact(value)


def test_ordinary_text_is_not_a_secret():
    assert not scan_text("f", "AKIA is a prefix; budget 8000 USD; sha256 " + "a" * 64)


def test_access_key_in_name_and_evidence_never_reaches_the_zip(tmp_path):
    files = generate(leaky_spec())
    write_zip(files, tmp_path / "repo.zip")
    blob = b"".join(read_zip(tmp_path / "repo.zip").values()) + (tmp_path / "repo.zip").read_bytes()
    for secret in (ACCESS_KEY, SECRET_KEY, GITHUB_TOKEN, PRIVATE_KEY):
        assert secret.encode() not in blob
    assert REDACTED.encode() in files["docs/architecture.md"]
    assert check_secrets(write_tree(files, tmp_path / "repo")).passed


def test_a_planted_credential_fails_the_secret_scan(tmp_path):
    root = write_tree(generate(make_spec("gcp", "batch")), tmp_path / "repo")
    (root / "core" / "settings_local.py").write_text(f'AWS_KEY_ID = "{ACCESS_KEY}"\n')
    result = check_secrets(root)
    assert not result.passed
    assert "core/settings_local.py:1: aws_access_key_id" in result.details
    assert ACCESS_KEY not in result.details  # the report never repeats the secret
