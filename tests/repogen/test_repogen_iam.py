"""The ``iam_least_privilege`` gate: every generated identity has scoped permissions, and the
gate fails when one loses its permissions, gains a wildcard or loses its key grant."""

from __future__ import annotations

import re

import pytest

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.validate.iam_check import check_iam

from .plans import CLOUDS, FAMILIES, make_spec
from .test_repogen_kinds import all_kinds_spec

MATRIX = [(cloud, family) for cloud in CLOUDS for family in FAMILIES]


@pytest.mark.parametrize("case", MATRIX, ids=[f"{c}-{f}" for c, f in MATRIX])
def test_every_cell_passes_the_iam_gate(case, tmp_path):
    check = check_iam(write_tree(generate(make_spec(*case)), tmp_path))
    assert check.passed, check.details
    assert check.summary["findings"] == 0


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_catalogue_family_passes_the_iam_gate(cloud, tmp_path):
    check = check_iam(write_tree(generate(all_kinds_spec(cloud)), tmp_path))
    assert check.passed, check.details
    if cloud == "aws":  # every role of every family has permissions
        counts = check.summary["aws"]
        assert counts["roles"] == counts["roles_with_permissions"] >= 15


@pytest.fixture
def aws_stack(tmp_path):
    root = write_tree(generate(make_spec("aws", "realtime")), tmp_path)
    return root, root / "infra" / "terraform" / "aws"


def _edit(path, old, new, count=1):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, count))


def test_a_role_without_permissions_fails(aws_stack):
    root, stack = aws_stack
    text = (stack / "iam.tf").read_text()
    text = re.sub(r'resource "aws_iam_role_policy" "serve" \{.*?\n\}\n', "", text, flags=re.S)
    (stack / "iam.tf").write_text(text)
    check = check_iam(root)
    assert not check.passed
    assert "role serve has no permissions" in check.details


def test_a_wildcard_action_fails(aws_stack):
    root, stack = aws_stack
    _edit(stack / "iam.tf", 'actions   = ["s3:ListBucket"]', 'actions   = ["*"]')
    check = check_iam(root)
    assert not check.passed and "wildcard action '*'" in check.details


def test_a_service_wildcard_fails(aws_stack):
    root, stack = aws_stack
    _edit(stack / "iam.tf", 'actions   = ["s3:ListBucket"]', 'actions   = ["s3:*"]')
    assert "wildcard action 's3:*'" in check_iam(root).details


def test_a_scopable_action_on_star_fails(aws_stack):
    root, stack = aws_stack
    _edit(stack / "iam.tf", 'resources = ["${aws_s3_bucket.store.arn}/*"]', 'resources = ["*"]')
    check = check_iam(root)
    assert not check.passed
    assert 's3:GetObject can be scoped to a resource but is granted on "*"' in check.details


def test_a_missing_key_grant_fails(aws_stack):
    root, stack = aws_stack
    _edit(stack / "iam.tf", '["kms:Decrypt", "kms:GenerateDataKey"]', '["kms:DescribeKey"]', count=2)
    check = check_iam(root)
    assert not check.passed
    assert "train: reaches data encrypted with aws_kms_key.main without kms:Decrypt" in check.details


def test_a_key_policy_without_the_alarm_publisher_fails(aws_stack):
    root, stack = aws_stack
    _edit(stack / "main.tf", '"cloudwatch.amazonaws.com"', '"events.amazonaws.com"')
    check = check_iam(root)
    assert not check.passed and "cloudwatch.amazonaws.com" in check.details


def test_parliament_findings_fail_the_gate(aws_stack):
    root, stack = aws_stack
    _edit(stack / "iam.tf", '["s3:ListBucket"]', '["s3:ListBuckett"]')  # a typo
    check = check_iam(root)
    assert not check.passed and "parliament UNKNOWN_ACTION" in check.details
    root, stack = aws_stack
    _edit(stack / "iam.tf", '["s3:ListBuckett"]', '["s3:ListBucket"]')
    # GetObject on the bucket ARN instead of its objects: grants nothing (MEDIUM).
    _edit(stack / "iam.tf", 'resources = ["${aws_s3_bucket.store.arn}/*"]',
          "resources = [aws_s3_bucket.store.arn]")
    check = check_iam(root)
    assert not check.passed and "parliament RESOURCE_MISMATCH (MEDIUM)" in check.details


def test_a_gcp_service_account_without_bindings_fails(tmp_path):
    root = write_tree(generate(make_spec("gcp", "training")), tmp_path)
    (root / "infra" / "terraform" / "gcp" / "iam.tf").unlink()
    check = check_iam(root)
    assert not check.passed
    assert "service account train has no IAM binding" in check.details
    assert "gcp-sa-artifactregistry" in check.details  # the key grant went with the file


def test_a_gcp_primitive_role_fails(tmp_path):
    root = write_tree(generate(make_spec("gcp", "training")), tmp_path)
    _edit(root / "infra" / "terraform" / "gcp" / "iam.tf", '"roles/logging.logWriter"', '"roles/editor"')
    assert "primitive role roles/editor" in check_iam(root).details


def test_azure_owner_and_unassigned_identities_fail(tmp_path):
    root = write_tree(generate(make_spec("azure", "rag")), tmp_path)
    iam = root / "infra" / "terraform" / "azure" / "iam.tf"
    _edit(iam, '"Search Index Data Reader"', '"Owner"')
    text = re.sub(r'resource "azurerm_role_assignment" "retrieval_[a-z_]+" \{.*?\n\}\n', "",
                  iam.read_text(), flags=re.S)
    iam.write_text(text)
    check = check_iam(root)
    assert not check.passed
    assert "broad role Owner" in check.details
    assert "identity of azurerm_search_service.retrieval has no role assignment" in check.details
