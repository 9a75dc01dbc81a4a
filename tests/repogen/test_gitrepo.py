"""Versions of a project's generated repositories in git, and diffs with cost deltas."""

from __future__ import annotations

import pytest

from agilab_lab.repogen import generate
from agilab_lab.store.gitrepo import ProjectRepo, VersionNotFoundError, find_decision_set

from .plans import make_spec


@pytest.fixture
def repo(tmp_path):
    return ProjectRepo(tmp_path, "prj-1")


def commit(repo: ProjectRepo, spec) -> str:
    return repo.commit_version(generate(spec), version=spec.version,
                               decision_set_id=spec.decision_set_id)


def test_versions_are_tagged_and_readable(repo):
    v1 = make_spec("aws", "realtime")
    commit(repo, v1)
    commit(repo, make_spec("aws", "realtime", version=2, budget=3000))
    assert repo.versions() == [1, 2]
    assert repo.read(1, "README.md") == generate(v1)["README.md"]
    assert repo.read(f"ds/{v1.decision_set_id}", "README.md") == generate(v1)["README.md"]
    assert repo.read(1, "no/such/file") is None


def test_committing_the_same_version_twice_reuses_the_commit(repo):
    spec = make_spec("gcp", "batch")
    assert commit(repo, spec) == commit(repo, spec)


def test_region_change_diff_names_changed_files_and_plan_change(repo):
    commit(repo, make_spec("aws", "realtime"))
    commit(repo, make_spec("aws", "realtime", version=2, region="eu-central-1"))
    result = repo.diff(1, 2)
    changed = {f["path"]: f["change"] for f in result["files"]}
    assert changed["infra/terraform/aws/variables.tf"] == "modified"
    assert changed["core/config.py"] == "modified"
    assert {"capability": "region", "from": "eu-west-1", "to": "eu-central-1"} in result["plan_changes"]
    patch = next(f["patch"] for f in result["files"] if f["path"] == "core/config.py")
    assert patch.startswith("--- a/core/config.py\n+++ b/core/config.py\n")
    assert '+    region: str = "eu-central-1"' in patch


def test_cost_delta_is_the_difference_of_the_two_estimates(repo):
    cheap = make_spec("aws", "realtime")
    dear = make_spec("aws", "realtime", version=2)
    dear.cost.monthly_usd = cheap.cost.monthly_usd + 250.5
    commit(repo, cheap)
    commit(repo, dear)
    result = repo.diff(1, 2)
    assert result["cost_delta_usd"] == pytest.approx(250.5)
    assert result["cost_delta_pct"] == pytest.approx(round(100 * 250.5 / cheap.cost.monthly_usd, 2))
    assert repo.diff(2, 1)["cost_delta_usd"] == pytest.approx(-250.5)


def test_plan_change_adds_and_deletes_files(repo):
    commit(repo, make_spec("gcp", "realtime"))
    batch = make_spec("gcp", "batch", version=2)
    batch.project_id = "prj-gcp-realtime"
    commit(repo, batch)
    result = repo.diff(1, 2)
    changes = {f["path"]: f["change"] for f in result["files"]}
    assert changes["app/api/main.py"] == "deleted"
    assert changes["ml/pipelines/batch_score.py"] == "added"
    assert next(f for f in result["files"] if f["path"] == "app/api/main.py")["patch"].startswith(
        "--- a/app/api/main.py\n+++ /dev/null\n")
    plan = {c["capability"]: (c["from"], c["to"]) for c in result["plan_changes"]}
    assert plan["serve"] == ("Vertex AI Endpoint", None)
    assert plan["batch"] == (None, "Cloud Run job")
    assert repo.read(2, "app/api/main.py") is None


def test_decision_sets_are_found_by_tag(tmp_path, repo):
    spec = make_spec("azure", "training", version=3)
    commit(repo, spec)
    assert find_decision_set(tmp_path, spec.decision_set_id) == ("prj-1", 3)
    assert find_decision_set(tmp_path, "unknown") is None


def test_unknown_versions_and_unsafe_ids_are_refused(tmp_path, repo):
    with pytest.raises(VersionNotFoundError):
        repo.diff(1, 2)
    commit(repo, make_spec("aws", "batch"))
    with pytest.raises(VersionNotFoundError):
        repo.diff(1, 7)
    with pytest.raises(ValueError):
        ProjectRepo(tmp_path, "../escape")
