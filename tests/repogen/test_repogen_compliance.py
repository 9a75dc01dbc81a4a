"""Compliance as code: frameworks and data classes become concrete controls, rendered as
Terraform and listed in reports/compliance.md with the file that implements each."""

from __future__ import annotations

import re

import hcl2
import pytest

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.validate.checkov_check import check_checkov
from agilab_lab.repogen.validate.iam_check import check_iam

from .plans import CLOUDS, make_spec


def compliant_spec(cloud: str, family: str = "training", *, compliance=("pci-dss", "soc2"),
                   data_classes=()):
    spec = make_spec(cloud, family)
    spec.constraints.compliance = list(compliance)
    spec.constraints.data_classes = list(data_classes)
    return spec


def _resources(text: str) -> set[str]:
    return {f"{t}.{n}" for block in hcl2.loads(text).get("resource", [])
            for t, items in block.items() for n in items}


def test_pci_and_soc2_on_aws_render_trail_config_and_endpoints():
    files = {p: b.decode() for p, b in generate(compliant_spec("aws")).items()}
    compliance = files["infra/terraform/aws/compliance.tf"]
    found = _resources(compliance)
    assert {"aws_cloudtrail.main", "aws_s3_bucket.audit_logs", "aws_s3_bucket_policy.audit_logs",
            "aws_config_configuration_recorder.main", "aws_config_delivery_channel.main",
            "aws_config_configuration_recorder_status.main"} <= found
    assert "enable_log_file_validation    = true" in compliance
    assert "is_multi_region_trail         = true" in compliance
    # Interface endpoints live in network.tf, merged with those the private computes need.
    assert "aws_vpc_endpoint.interface" in _resources(files["infra/terraform/aws/network.tf"])
    assert re.search(r'"kms".*"sts"', files["infra/terraform/aws/network.tf"])
    # Controls need the stack's own network (endpoints, flow logs), and the key lets CloudTrail in.
    assert "aws_flow_log.main" in _resources(files["infra/terraform/aws/network.tf"])
    assert '"cloudtrail.amazonaws.com"' in files["infra/terraform/aws/main.tf"]


def test_the_report_names_every_control_and_the_file_implementing_it():
    files = {p: b.decode() for p, b in generate(compliant_spec("aws")).items()}
    report = files["reports/compliance.md"]
    rows = [line for line in report.splitlines() if line.startswith("| ") and "`aws_" in line]
    assert {re.search(r"\(`(aws_[a-z_]+)`\)", r).group(1) for r in rows} == {
        "aws_cloudtrail", "aws_config", "aws_vpc_endpoints", "aws_flow_logs", "aws_kms"}
    for row in rows:
        path = re.search(r"\[`([^`]+)`\]", row).group(1)
        assert path in files, path  # the linked file exists in the repository
        assert "pci-dss, soc2" in row


@pytest.mark.parametrize("data_class, expected", [("pci", "aws_cloudtrail"), ("phi", "aws_config")])
def test_data_classes_alone_trigger_controls(data_class, expected):
    files = generate(compliant_spec("aws", compliance=(), data_classes=(data_class,)))
    assert expected in files["reports/compliance.md"].decode()


def test_no_framework_means_no_controls_file():
    files = generate(make_spec("aws", "training"))
    assert "infra/terraform/aws/compliance.tf" not in files and "reports/compliance.md" not in files


@pytest.mark.parametrize("cloud", CLOUDS)
def test_compliant_stacks_pass_checkov_and_the_iam_gate(cloud, tmp_path):
    root = write_tree(generate(compliant_spec(cloud, "rag")), tmp_path)
    assert (root / "infra" / "terraform" / cloud / "compliance.tf").is_file()
    iam = check_iam(root)
    assert iam.passed, iam.details
    terraform = next(c for c in check_checkov(root, 300) if c.name == "checkov_terraform")
    assert terraform.passed, terraform.summary["failed_checks"]


def test_gcp_and_azure_controls():
    gcp = generate(compliant_spec("gcp"))["infra/terraform/gcp/compliance.tf"].decode()
    assert "google_project_iam_audit_config.all_services" in _resources(gcp)
    assert all(t in gcp for t in ("ADMIN_READ", "DATA_READ", "DATA_WRITE"))
    azure = generate(compliant_spec("azure"))["infra/terraform/azure/compliance.tf"].decode()
    assert "azurerm_monitor_diagnostic_setting.activity_log" in _resources(azure)
