"""Every supported terraform_kind renders valid, checkov-clean Terraform; bad kinds are refused."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import hcl2
import pytest

from agilab_lab import repogen
from agilab_lab.agents.types import Component
from agilab_lab.repogen import RepoGenError, generate, supported_kinds
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.kinds import is_terraform_kind, resolve_kind
from agilab_lab.repogen.validate.checkov_check import check_checkov

from .plans import CLOUDS, make_spec


def all_kinds_spec(cloud: str):
    """A plan holding one component of every family of ``cloud``."""
    spec = make_spec(cloud, "realtime")
    spec.plan.components = [
        Component(capability=key.removeprefix(f"{cloud}_"), service=key, option_id=key,
                  provider=cloud, terraform_kind=key, monthly_usd=10.0)
        for key, kind in sorted(supported_kinds().items()) if kind.cloud == cloud
    ]
    return spec


def test_every_kind_has_a_template():
    templates = Path(repogen.__file__).parent / "templates" / "terraform"
    files = {path.name for path in templates.rglob("*.j2")}
    for kind in supported_kinds().values():
        assert kind.template.split("/")[-1] in files, kind.key


def test_aliases_resolve_to_their_family():
    assert resolve_kind("aws_s3", "aws").key == "aws_s3_bucket"
    assert resolve_kind("GCP_BIGQUERY", "gcp").key == "gcp_bigquery_dataset"


@pytest.mark.parametrize("kind, cloud, message", [
    ("aws_quantum_computer", "aws", "unsupported terraform_kind"),
    ("gcp_gcs_bucket", "aws", "is a gcp service but the plan is on aws"),
])
def test_bad_kinds_are_refused_with_a_clear_error(kind, cloud, message):
    spec = make_spec(cloud, "training")
    spec.plan.components[0].terraform_kind = kind
    with pytest.raises(RepoGenError, match=message):
        generate(spec)


def test_unknown_cloud_is_refused():
    spec = make_spec("aws", "training")
    spec.plan.cloud = "ibm"
    with pytest.raises(RepoGenError, match="unsupported cloud"):
        generate(spec)


def test_self_hosted_components_go_to_compose_not_terraform():
    spec = make_spec("aws", "training")
    spec.plan.components.append(Component(capability="dashboards", service="Homegrown board",
                                           option_id="oss.board", provider="oss"))
    files = generate(spec)
    compose = files["infra/docker/compose.yaml"].decode()
    assert "ghcr.io/mlflow/mlflow:" in compose and "Homegrown" not in compose
    assert "self-hosted by the team" in files["README.md"].decode()
    assert not any("track" in p or "dashboards" in p for p in files if p.startswith("infra/terraform"))


def test_labels_never_shadow_base_files():
    spec = make_spec("gcp", "training")
    spec.plan.components[0].capability = "main"
    files = generate(spec)
    assert "infra/terraform/gcp/main_service.tf" in files
    assert b"google_kms_key_ring" in files["infra/terraform/gcp/main.tf"]


@pytest.fixture(scope="module")
def all_kinds_repos(tmp_path_factory):
    root = tmp_path_factory.mktemp("kinds")
    return {cloud: write_tree(generate(all_kinds_spec(cloud)), root / cloud) for cloud in CLOUDS}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_kind_parses_and_declares_its_variables(all_kinds_repos, cloud):
    declared, used = set(), set()
    for path in (all_kinds_repos[cloud] / "infra" / "terraform" / cloud).glob("*.tf"):
        text = path.read_text()
        declared |= {n for block in hcl2.loads(text).get("variable", []) for n in block}
        used |= set(re.findall(r"\bvar\.([A-Za-z0-9_]+)", text))
    assert used == declared


@pytest.mark.skipif(shutil.which("terraform") is None, reason="no terraform binary on PATH")
@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_kind_is_terraform_formatted(all_kinds_repos, cloud):
    done = subprocess.run(["terraform", "fmt", "-check", "-diff", "-recursive", "infra/terraform"],
                          cwd=all_kinds_repos[cloud], capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin:/usr/local/bin", "TF_CLI_CONFIG_FILE": "/dev/null"})
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_kind_passes_checkov(all_kinds_repos, cloud):
    result = next(r for r in check_checkov(all_kinds_repos[cloud], 300) if r.name == "checkov_terraform")
    assert result.passed, result.summary.get("failed_checks") or result.details
    assert all(item["reason"] for item in result.summary["accepted"])


def catalogue_kinds() -> list[tuple[str, str]]:
    """(cloud, terraform_kind) of every option in the planner's catalogue."""
    folder = Path(repogen.__file__).parent.parent / "agents" / "data" / "catalogue"
    pairs = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text())
        pairs += [(data.get("cloud", "oss"), option.get("terraform_kind") or "")
                  for option in data.get("options", [])]
    return pairs


def test_every_catalogue_option_is_renderable():
    pairs = catalogue_kinds()
    if not pairs:
        pytest.skip("the planner's catalogue is not installed")
    for cloud, kind in pairs:
        if is_terraform_kind(kind):
            assert resolve_kind(kind, cloud).cloud == cloud, kind


def test_docs_list_every_supported_kind():
    docs = Path(repogen.__file__).parents[2] / "docs" / "repogen.md"
    if not docs.exists():
        pytest.skip("docs/ is not installed with the package")
    text = docs.read_text()
    missing = [key for key in supported_kinds() if f"| `{key}` |" not in text]
    assert not missing, f"docs/repogen.md lacks: {missing}"
