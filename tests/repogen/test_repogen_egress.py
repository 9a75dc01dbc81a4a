"""Private egress of AWS stacks: every private compute reaches the AWS APIs it calls through a
VPC endpoint (the VPC has no NAT gateway), and the terraform_references gate fails otherwise."""

from __future__ import annotations

import re

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.egress import (
    compute_needs,
    declared_endpoints,
    egress_problems,
    service_ports,
)
from agilab_lab.repogen.validate.references import check_references

from .plans import make_spec
from .test_repogen_compliance import compliant_spec
from .test_repogen_kinds import all_kinds_spec


def _tf_text(files: dict[str, bytes]) -> str:
    return "\n".join(files[p].decode() for p in sorted(files)
                     if p.startswith("infra/terraform/aws/") and p.endswith(".tf"))


def _interface_set(network: str) -> list[str]:
    found = re.search(r"interface_endpoints = toset\(\[(.*?)\]\)", network)
    return re.findall(r'"([^"]+)"', found.group(1)) if found else []


def test_the_stream_consumer_gets_image_log_and_stream_endpoints():
    files = generate(make_spec("aws", "streaming"))
    network = files["infra/terraform/aws/network.tf"].decode()
    assert {"ecr.api", "ecr.dkr", "logs", "kinesis-streams"} <= set(_interface_set(network))
    assert "private_dns_enabled = true" in network
    assert 'service_name      = "com.amazonaws.${var.region}.s3"' in network  # ECR layers
    needs = compute_needs(_tf_text(files))
    assert needs["aws_ecs_task_definition.ingest_consumer"] >= {"ecr.api", "ecr.dkr", "logs", "s3"}
    assert egress_problems(_tf_text(files)) == []


def test_every_aws_kind_has_the_endpoints_its_private_computes_need():
    text = _tf_text(generate(all_kinds_spec("aws")))
    needs = compute_needs(text)
    # The API service, the stream consumer, the VPC Lambda and the SageMaker model in the VPC.
    assert {"aws_ecs_task_definition", "aws_lambda_function", "aws_sagemaker_model",
            "aws_batch_job_definition", "aws_mwaa_environment"} <= {address.split(".")[0] for address in needs}
    assert set().union(*needs.values()) <= declared_endpoints(text)
    assert "dynamodb" in declared_endpoints(text)  # a gateway endpoint, feature reads
    assert egress_problems(text) == []


def test_compliance_endpoints_merge_with_the_computes_without_duplicates():
    spec = compliant_spec("aws", "streaming")
    files = generate(spec)
    network = files["infra/terraform/aws/network.tf"].decode()
    names = _interface_set(network)
    assert len(names) == len(set(names))
    assert {"sts", "kms", "ecr.api", "ecr.dkr", "logs", "kinesis-streams"} <= set(names)
    assert network.count('resource "aws_vpc_endpoint" "interface"') == 1
    assert "aws_vpc_endpoint" not in files["infra/terraform/aws/compliance.tf"].decode()
    assert "`infra/terraform/aws/network.tf`" in files["reports/compliance.md"].decode()


def test_deleting_the_registry_endpoint_fails_the_gate(tmp_path):
    root = write_tree(generate(make_spec("aws", "streaming")), tmp_path / "repo")
    assert check_references(root).passed
    network = root / "infra" / "terraform" / "aws" / "network.tf"
    network.write_text(network.read_text().replace('"ecr.dkr", ', ""))
    result = check_references(root)
    assert not result.passed
    assert any("aws_ecs_task_definition.ingest_consumer runs in the private subnets without NAT"
               in p and "ecr.dkr" in p for p in result.summary["problems"]), result.details


def test_deleting_the_logs_endpoint_fails_and_only_a_routed_nat_gateway_is_a_route():
    text = _tf_text(generate(make_spec("aws", "streaming")))
    broken = text.replace('"logs", ', "").replace(', "logs"', "")
    problems = egress_problems(broken)
    assert problems and all("logs" in p for p in problems)
    # A NAT gateway nothing routes to is no route.
    assert egress_problems(broken + '\nresource "aws_nat_gateway" "main" {\n}\n') == problems
    route = ('\nresource "aws_route" "private_internet" {\n'
             '  route_table_id         = aws_route_table.private.id\n'
             '  destination_cidr_block = "0.0.0.0/0"\n'
             '  nat_gateway_id         = aws_nat_gateway.main.id\n}\n')
    https = ('\n  egress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n'
             '    cidr_blocks = ["0.0.0.0/0"]\n  }\n')
    group = '  vpc_id      = aws_vpc.main.id\n'
    assert broken.count(group) == 1
    routed = broken.replace(group, group + https) + '\nresource "aws_nat_gateway" "main" {\n}\n' + route
    assert egress_problems(routed) == []


def test_the_private_group_lets_https_out_to_the_gateway_endpoints(tmp_path):
    """S3 holds the ECR image layers: a task whose group blocks the S3 prefix list cannot pull
    its image, although the gateway endpoint is there."""
    root = write_tree(generate(make_spec("aws", "streaming")), tmp_path / "repo")
    network = root / "infra" / "terraform" / "aws" / "network.tf"
    text = network.read_text()
    assert "prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]" in text
    network.write_text(text.replace("prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]",
                                    "self            = true"))
    result = check_references(root)
    assert not result.passed
    assert any("aws_security_group.private lets no HTTPS out to the gateway endpoint(s) s3" in p
               for p in result.summary["problems"]), result.details


def test_in_vpc_services_get_their_port_in_the_private_group():
    text = _tf_text(generate(all_kinds_spec("aws")))
    assert {p["port"] for p in service_ports(text)} == {5432, 6379, 9098}
    assert egress_problems(text) == []
    cache_ingress = re.search(r"  ingress \{\n    description = \"ElastiCache.*?\n  \}\n", text, re.S)
    problems = egress_problems(text.replace(cache_ingress.group(0), ""))
    assert problems == ["aws_security_group.private has no ingress rule for ElastiCache "
                        "(Valkey/Redis, TLS) on port 6379: its clients in the group cannot reach it"]
