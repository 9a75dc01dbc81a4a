"""Network isolation of the SageMaker serving container: isolated only when its code calls
nothing; the consistency gate fails an isolated container whose code reads a network store."""

from __future__ import annotations

import re

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.validate.consistency import check_consistency
from agilab_lab.repogen.validate.isolation import isolation_problems, network_calls

from .plans import make_spec
from .test_repogen_kinds import all_kinds_spec

ISOLATED = "enable_network_isolation = true"
OPEN = "enable_network_isolation = false"


def _model(root, name):
    path = root / "infra" / "terraform" / "aws" / f"{name}.tf"
    block = re.search(r'resource "aws_sagemaker_model" .*?\n}\n', path.read_text(), re.S).group(0)
    return path, block


def _flip(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_model_whose_code_calls_nothing_stays_isolated(tmp_path):
    root = write_tree(generate(make_spec("aws", "realtime")), tmp_path / "repo")
    _, block = _model(root, "serve")
    assert ISOLATED in block and "vpc_config" in block
    assert network_calls(root, "app.api.serve") == {}
    assert isolation_problems(root, "aws") == []


def test_a_model_reading_stores_runs_in_the_vpc_without_isolation(tmp_path):
    root = write_tree(generate(all_kinds_spec("aws")), tmp_path / "repo")
    _, block = _model(root, "sagemaker_endpoint")
    assert OPEN in block and "APP_REDIS_HOST" in block
    assert "subnets            = local.private_subnet_ids" in block
    assert isolation_problems(root, "aws") == []


def test_an_isolated_rag_model_fails_the_gate(tmp_path):
    root = write_tree(generate(make_spec("aws", "rag")), tmp_path / "repo")
    path, block = _model(root, "serve")
    assert OPEN in block  # the RAG path calls its LLM provider (Bedrock through boto3)
    assert check_consistency(root).passed
    _flip(path, OPEN, ISOLATED)
    result = check_consistency(root)
    assert not result.passed
    assert any("aws_sagemaker_model.serve runs with network isolation" in p
               and "ml.rag.providers imports boto3" in p for p in result.summary["problems"])


def test_an_isolated_model_given_a_cache_address_fails(tmp_path):
    root = write_tree(generate(all_kinds_spec("aws")), tmp_path / "repo")
    path, _ = _model(root, "sagemaker_endpoint")
    _flip(path, OPEN, ISOLATED)
    problems = isolation_problems(root, "aws")
    assert any("given APP_REDIS_HOST" in p for p in problems), problems
    assert any("imports boto3" in p for p in problems), problems


def test_a_network_import_added_to_isolated_serving_code_fails(tmp_path):
    root = write_tree(generate(make_spec("aws", "realtime")), tmp_path / "repo")
    lookup = root / "ml" / "features" / "lookup.py"
    lookup.write_text(lookup.read_text() + "\n\ndef _remote(host):\n    import redis\n\n"
                      "    return redis.Redis(host=host)\n")
    problems = isolation_problems(root, "aws")
    assert len(problems) == 1 and "ml.features.lookup imports redis" in problems[0], problems
