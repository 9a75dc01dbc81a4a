"""Service images: every stack that deploys an image of its own gets a private registry, pull
rights for each compute, and a CD workflow that builds, pushes and deploys that image. The
``image_delivery`` gate fails when one of those links is broken."""

from __future__ import annotations

import re

import pytest
import yaml

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.images import image_variables
from agilab_lab.repogen.validate.images import check_image_delivery

from .plans import CLOUDS, FAMILIES, make_spec
from .test_repogen_kinds import all_kinds_spec

MATRIX = [(cloud, family) for cloud in CLOUDS for family in FAMILIES]
CD = ".github/workflows/cd.yml"


def _stack(root, cloud):
    return root / "infra" / "terraform" / cloud


def _edit(path, pattern, new="", flags=re.S):
    text = path.read_text()
    changed = re.sub(pattern, new, text, count=1, flags=flags)
    assert changed != text, pattern
    path.write_text(changed)


def _failed(root, expected):
    check = check_image_delivery(root)
    assert not check.passed
    assert expected in check.details, check.details
    return check


@pytest.fixture(scope="module")
def all_kinds(tmp_path_factory):
    """cloud -> generated repository of every catalogue family (written once, copied per test)."""
    return {cloud: generate(all_kinds_spec(cloud)) for cloud in CLOUDS}


@pytest.fixture
def repo(all_kinds, tmp_path):
    return lambda cloud: write_tree(all_kinds[cloud], tmp_path / cloud)


@pytest.mark.parametrize("case", MATRIX, ids=[f"{c}-{f}" for c, f in MATRIX])
def test_every_cell_passes_the_image_gate(case, tmp_path):
    root = write_tree(generate(make_spec(*case)), tmp_path)
    check = check_image_delivery(root)
    assert check.passed, check.details
    names = image_variables((_stack(root, case[0]) / "variables.tf").read_text())
    assert check.summary["image_variables"] == len(names)
    # A registry exactly when the stack deploys an image of its own.
    assert (_stack(root, case[0]) / "images.tf").is_file() == bool(names)
    assert ("docker build" in (root / CD).read_text()) == bool(names)


@pytest.mark.parametrize("cloud,count", [("aws", 5), ("gcp", 3), ("azure", 2)])
def test_every_catalogue_family_gets_its_image_built_and_pullable(repo, cloud, count):
    root = repo(cloud)
    check = check_image_delivery(root)
    assert check.passed, check.details
    assert check.summary["image_variables"] == count
    assert 'output "image_repository"' in (_stack(root, cloud) / "outputs.tf").read_text()


def test_each_registry_is_private_immutable_and_scanned(repo):
    aws = (_stack(repo("aws"), "aws") / "images.tf").read_text()
    assert 'image_tag_mutability = "IMMUTABLE"' in aws and "scan_on_push = true" in aws
    assert 'encryption_type = "KMS"' in aws
    gcp = (_stack(repo("gcp"), "gcp") / "images.tf").read_text()
    assert 'format        = "DOCKER"' in gcp and "immutable_tags = true" in gcp
    azure = (_stack(repo("azure"), "azure") / "images.tf").read_text()
    assert "admin_enabled                 = false" in azure
    assert "anonymous_pull_enabled        = false" in azure


def test_cd_creates_the_registry_then_builds_pushes_and_deploys_every_image(repo):
    root = repo("aws")
    steps = yaml.safe_load((root / CD).read_text())["jobs"]["apply"]["steps"]
    names = [s.get("name", s.get("uses", "")) for s in steps]
    first = names.index("Create the image registry first (the first push needs it)")
    build = names.index("Build and push the service image (tag = commit SHA)")
    plan = names.index("Plan")
    assert first < build < plan < names.index("Apply the reviewed plan")
    assert "-target=aws_ecr_repository.images" in steps[first]["run"]
    assert '"${repository}:${GITHUB_SHA}"' in steps[build]["run"]
    for name in image_variables((_stack(root, "aws") / "variables.tf").read_text()):
        assert f'-var "{name}=${{IMAGE}}"' in steps[plan]["run"]
    assert steps[plan]["env"]["IMAGE"] == "${{ steps.image.outputs.uri }}"


def test_a_stack_without_its_registry_fails(repo):
    root = repo("aws")
    (_stack(root, "aws") / "images.tf").unlink()
    _failed(root, "declares no registry aws_ecr_repository.images")


def test_a_sagemaker_role_without_the_ecr_pull_statement_fails(tmp_path):
    root = write_tree(generate(make_spec("aws", "realtime")), tmp_path)
    _edit(_stack(root, "aws") / "iam.tf",
          r'(data "aws_iam_policy_document" "serve_permissions" \{.*?)  statement \{\n    sid       = '
          r'"PullStackImages".*?\n  \}\n\n', r"\1")
    _failed(root, "aws_sagemaker_model.serve pulls its image from aws_ecr_repository.images "
                  "but its role serve lacks")


def test_an_ecs_execution_role_pulling_from_another_repository_fails(repo):
    root = repo("aws")
    iam = _stack(root, "aws") / "iam.tf"
    label = re.search(r'"(\w+)_execution_permissions"', iam.read_text()).group(1)
    _edit(iam, rf'(data "aws_iam_policy_document" "{label}_execution_permissions" \{{.*?)'
               r"aws_ecr_repository\.images\.arn", r'\1"arn:aws:ecr:eu-west-1:123456789012:repository/other"')
    _failed(root, f"pulls its image from aws_ecr_repository.images but its role {label}_execution")


def test_a_lambda_without_the_repository_policy_fails(repo):
    root = repo("aws")
    _edit(_stack(root, "aws") / "images.tf", r'resource "aws_ecr_repository_policy" "images" \{.*?\n\}\n')
    _failed(root, "no repository policy lets lambda.amazonaws.com pull it")


def test_a_container_app_without_acrpull_fails(repo):
    root = repo("azure")
    _edit(_stack(root, "azure") / "images.tf", r'resource "azurerm_role_assignment" "image_pull" \{.*?\n\}\n')
    _failed(root, "identity image_pull has no AcrPull on azurerm_container_registry.images")


def test_a_container_app_without_its_registry_block_fails(repo):
    root = repo("azure")
    _edit(_stack(root, "azure") / "container_app.tf", r"  registry \{.*?\n  \}\n")
    _failed(root, "azurerm_container_app.container_app: no registry block")


def test_a_cloud_run_agent_without_reader_on_the_repository_fails(repo):
    root = repo("gcp")
    _edit(_stack(root, "gcp") / "images.tf",
          r'resource "google_artifact_registry_repository_iam_member" "images_cloudrun_agent" \{.*?\n\}\n')
    _failed(root, "the Cloud Run service agent (serverless-robot-prod) has no "
                  "roles/artifactregistry.reader")


def test_cd_deploying_an_image_variable_it_never_builds_fails(repo):
    root = repo("gcp")
    names = image_variables((_stack(root, "gcp") / "variables.tf").read_text())
    _edit(root / CD, rf'\n +-var "{names[0]}=\$\{{IMAGE\}}"', "")
    _failed(root, f"deploys {names[0]} without the image it builds")


def test_cd_without_a_build_step_fails(repo):
    root = repo("azure")
    _edit(root / CD, r"            docker build [^\n]*\n")
    _failed(root, "builds and pushes no image from infra/docker/Dockerfile")


def test_cd_pushing_before_the_registry_exists_fails(repo):
    root = repo("aws")
    _edit(root / CD, r"      - name: Create the image registry first.*?registry\.tfplan\n(?=      - name)")
    _failed(root, "pushes before it creates aws_ecr_repository.images")


def test_a_sagemaker_model_created_before_its_pull_grant_fails(tmp_path):
    root = write_tree(generate(make_spec("aws", "realtime")), tmp_path)
    _edit(_stack(root, "aws") / "serve.tf", r"\n  # SageMaker checks at creation.*?depends_on = \[[^\]]*\]\n", "\n")
    _failed(root, "aws_sagemaker_model.serve is created before its role serve may pull the image")


def test_a_lambda_created_before_the_repository_policy_fails(repo):
    root = repo("aws")
    _edit(_stack(root, "aws") / "lambda.tf", r"\n  # Lambda checks at creation.*?depends_on = \[[^\]]*\]\n", "\n")
    _failed(root, "is created before the repository policy lets Lambda pull")


def test_cd_pushing_to_another_registry_fails(repo):
    root = repo("aws")
    _edit(root / CD, r'repository="\$\(terraform [^\n]*\)"', 'repository="docker.io/someone/app"')
    _failed(root, "pushes the image somewhere else than the stack's registry")


def test_a_cloud_run_job_created_before_the_agent_may_pull_fails(repo):
    root = repo("gcp")
    _edit(_stack(root, "gcp") / "cloud_run_job.tf", r"\n  # Cloud Run checks at creation.*?depends_on = \[[^\]]*\]\n", "\n")
    _failed(root, "google_cloud_run_v2_job.cloud_run_job is created before the Cloud Run service agent")
