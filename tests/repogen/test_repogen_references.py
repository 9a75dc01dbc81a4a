"""The reference check: every Terraform reference of every cell resolves, and it fails on drift.

Cheap (python-hcl2 only, ~0.1 s a cell), so the whole render matrix runs in the default suite.
"""

from __future__ import annotations

import pytest

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.validate.references import NAME, check_references

from .plans import CLOUDS, FAMILIES, make_spec

MATRIX = [(cloud, family, ()) for cloud in CLOUDS for family in FAMILIES] + \
    [(cloud, "training", ("pci-dss", "soc2")) for cloud in CLOUDS]


def _render(tmp_path, cloud, family, compliance=()):
    spec = make_spec(cloud, family)
    spec.constraints.compliance = list(compliance)
    return write_tree(generate(spec), tmp_path / "repo")


@pytest.mark.parametrize("case", MATRIX, ids=["-".join([c, f, *x]) for c, f, x in MATRIX])
def test_every_reference_of_every_cell_resolves(case, tmp_path):
    result = check_references(_render(tmp_path, *case))
    assert result.name == NAME
    assert result.passed, result.details
    assert result.summary["references"] > 20


@pytest.fixture(params=CLOUDS)
def stack(request, tmp_path):
    root = _render(tmp_path, request.param, "realtime")
    return root, root / "infra" / "terraform" / request.param


def _append(path, text):
    with path.open("a") as handle:
        handle.write(text)


def test_a_dangling_variable_reference_fails(stack):
    root, tf = stack
    _append(tf / "outputs.tf", '\noutput "drifted" {\n  value = "${var.missing_input}-x"\n}\n')
    result = check_references(root)
    assert not result.passed
    assert "outputs.tf: var.missing_input is not declared" in result.details


def test_dangling_resource_data_and_local_references_fail(stack):
    root, tf = stack
    kind = {"aws": "aws_vpc", "gcp": "google_compute_network", "azure": "azurerm_subnet"}[tf.name]
    _append(tf / "main.tf", f'\noutput "drifted" {{\n  value = [{kind}.missing.id, '
            'data.aws_caller_identity.other.id, local.nowhere]\n}\n')
    problems = check_references(root).summary["problems"]
    assert {p.split(": ", 2)[2] for p in problems} == {
        f"{kind}.missing is not declared in this module",
        "data.aws_caller_identity.other is not declared in this module",
        "local.nowhere is not declared in this module"}


def test_an_unused_variable_and_an_undeclared_tfvars_entry_fail(stack):
    root, tf = stack
    _append(tf / "variables.tf", '\nvariable "forgotten" {\n  type    = string\n  default = "x"\n}\n')
    _append(tf / "example.tfvars", 'stray = "y"\n')
    result = check_references(root)
    assert not result.passed
    assert "variable forgotten is declared but never used" in result.details
    assert "example.tfvars: sets stray, which no variable declares" in result.details


def test_a_module_call_must_pass_required_inputs_and_only_declared_ones(stack):
    root, tf = stack
    child = tf / "modules" / "network"
    child.mkdir(parents=True)
    (child / "main.tf").write_text(
        'variable "cidr" {\n  type = string\n}\n\nvariable "name" {\n  type    = string\n'
        '  default = "n"\n}\n\noutput "id" {\n  value = "${var.cidr}-${var.name}"\n}\n')
    _append(tf / "main.tf", '\nmodule "network" {\n  source = "./modules/network"\n  colour = "blue"\n}\n'
            '\noutput "network" {\n  value = [module.network.id, module.network.nope]\n}\n')
    problems = check_references(root).summary["problems"]
    assert sorted(p.split(": ", 1)[1] for p in problems) == sorted([
        'module "network": required input cidr is not passed',
        'module "network": input colour is not a variable of ./modules/network',
        "main.tf: module.network.nope is not declared in this module"])


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_kind_resolves_and_brings_its_own_network(cloud, tmp_path):
    from .test_repogen_kinds import all_kinds_spec

    root = write_tree(generate(all_kinds_spec(cloud)), tmp_path / "repo")
    result = check_references(root)
    assert result.passed, result.details
    if cloud == "azure":
        tf = root / "infra" / "terraform" / "azure"
        network = (tf / "network.tf").read_text()
        assert 'resource "azurerm_virtual_network" "main"' in network
        # Every private endpoint registers in a private DNS zone linked to the VNet.
        text = "\n".join(p.read_text() for p in tf.glob("*.tf"))
        assert text.count('resource "azurerm_private_endpoint"') == text.count("private_dns_zone_group {") >= 7
        zones = network.count('resource "azurerm_private_dns_zone" ')
        assert zones == network.count('resource "azurerm_private_dns_zone_virtual_network_link" ') >= 8


def test_a_private_endpoint_whose_dns_zone_is_missing_fails(tmp_path):
    root = _render(tmp_path, "azure", "rag")
    network = root / "infra" / "terraform" / "azure" / "network.tf"
    text = network.read_text()
    start = text.index('resource "azurerm_private_dns_zone" "privatelink_vaultcore_azure_net"')
    network.write_text(text[:start] + text[text.index("}\n", start) + 2:])
    problems = check_references(root).summary["problems"]
    assert any("main.tf: azurerm_private_dns_zone.privatelink_vaultcore_azure_net is not declared" in p
               for p in problems), problems


def test_a_network_taken_as_an_input_fails(stack):
    root, tf = stack
    _append(tf / "variables.tf", '\nvariable "platform_subnet_id" {\n  type = string\n}\n')
    _append(tf / "outputs.tf", '\noutput "platform_subnet" {\n  value = var.platform_subnet_id\n}\n')
    _append(tf / "example.tfvars", 'platform_subnet_id = "subnet-0123"\n')
    result = check_references(root)
    assert result.summary["problems"] == [f"infra/terraform/{tf.name}: variable platform_subnet_id takes a "
                                          "network from outside the stack: render the network instead"]
