"""Private egress of a stack (data/vpc_endpoints.toml).

AWS: the stack's VPC has no NAT gateway by default: each AWS API a private compute calls (its
IAM grants, its image pull, its log driver) is reached through a VPC endpoint.
:func:`compute_needs` reads the rendered Terraform (every ``.tf`` of the module, joined) and
tells which endpoints each private compute needs; the renderer declares their union in
``network.tf``. A private compute given the ``https://`` URL of an API outside AWS (a public
LLM API) needs the internet: the renderer adds a NAT gateway, the private route table's default
route to it and HTTPS egress in the private security group (:func:`internet_computes`). The
private security group lets HTTPS out to the gateway endpoints' prefix lists and opens the port
of each in-VPC service in it (:func:`service_ports`). GCP: a Cloud Run resource that sends all
its traffic through the VPC and calls an API outside Google needs Cloud NAT
(:func:`gcp_internet_computes`). The ``terraform_references`` gate (:func:`egress_problems`)
fails a stack that lacks any of it.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

_BLOCK = r'^{kind} "{type}" "([\w-]+)" \{{\n(.*?)^\}}'
_ACTIONS = re.compile(r"actions\s*=\s*\[(.*?)\]", re.S)
_QUOTED = re.compile(r'"([^"]+)"')
_SERVICE = re.compile(r'service_name\s*=\s*"com\.amazonaws\.\$\{var\.region\}\.([\w.-]+)"')
_INTERFACE_SET = re.compile(r"interface_endpoints\s*=\s*toset\(\[(.*?)\]\)", re.S)
_POLICY_ROLE = re.compile(r"role\s*=\s*aws_iam_role\.([\w-]+)\.(?:id|name)")
_POLICY_DOC = re.compile(r"policy\s*=\s*data\.aws_iam_policy_document\.([\w-]+)\.json")
_URL = re.compile(r'"https://([A-Za-z0-9][A-Za-z0-9.-]*)[/:"]')
_DEFAULT_ROUTE = re.compile(r'destination_cidr_block\s*=\s*"0\.0\.0\.0/0"')
_PRIVATE_TABLE = re.compile(r"route_table_id\s*=\s*aws_route_table\.private\.id")
_ANYWHERE = re.compile(r'cidr_blocks\s*=\s*\["0\.0\.0\.0/0"\]')
_IN_PRIVATE_GROUP = re.compile(r"aws_security_group\.private\.id")
_RULES = {kind: re.compile(rf"^  {kind} \{{\n(.*?)^  \}}", re.M | re.S) for kind in ("ingress", "egress")}
_PORT_443 = re.compile(r"to_port\s*=\s*443\b")
_GATEWAY = re.compile(r'^resource "aws_vpc_endpoint" "([\w-]+)" \{\n(?:(?!^\}).)*?vpc_endpoint_type\s*=\s*"Gateway"',
                      re.M | re.S)
_PREFIX_LIST = re.compile(r"aws_vpc_endpoint\.([\w-]+)\.prefix_list_id")
_ALL_TRAFFIC = re.compile(r'egress\s*=\s*"ALL_TRAFFIC"')
GCP_VPC_COMPUTES = ("google_cloud_run_v2_service", "google_cloud_run_v2_job",
                    "google_cloud_run_v2_worker_pool")
# Hosts reached inside each cloud's network (endpoints, Private Google Access, private
# endpoints); any other host is on the internet.
IN_CLOUD = {"aws": (".amazonaws.com", ".api.aws"), "gcp": (".googleapis.com", ".run.app"),
            "azure": (".windows.net", ".azure.com", ".azure.net", ".microsoft.com")}


@cache
def egress_data() -> dict:
    text = resources.files("agilab_lab.repogen").joinpath("data/vpc_endpoints.toml").read_text()
    return tomllib.loads(text)


def _blocks(text: str, kind: str, type_: str) -> dict[str, str]:
    pattern = re.compile(_BLOCK.format(kind=kind, type=re.escape(type_)), re.M | re.S)
    return dict(pattern.findall(text))


def role_actions(text: str) -> dict[str, list[str]]:
    """IAM role name -> actions of its inline policies (aws_iam_role_policy + policy document)."""
    documents = {name: [a for chunk in _ACTIONS.findall(body) for a in _QUOTED.findall(chunk)]
                 for name, body in _blocks(text, "data", "aws_iam_policy_document").items()}
    result: dict[str, list[str]] = {}
    for body in _blocks(text, "resource", "aws_iam_role_policy").values():
        role, doc = _POLICY_ROLE.search(body), _POLICY_DOC.search(body)
        if role and doc:
            result.setdefault(role.group(1), []).extend(documents.get(doc.group(1), []))
    return result


def action_endpoints(action: str) -> list[str]:
    data = egress_data()
    if action in data["actions"]:
        return data["actions"][action]
    prefix = action.split(":", 1)[0]
    return data["prefixes"].get(prefix, [prefix])


def private_computes(text: str) -> dict[str, tuple[dict, str]]:
    """``type.name`` of each compute that runs in the private subnets -> (its spec, its body)."""
    found = {}
    for type_, spec in egress_data()["compute"].items():
        for name, body in _blocks(text, "resource", type_).items():
            if spec.get("vpc_only") and not re.search(rf"^\s*{spec['vpc_only']}\s*\{{", body, re.M):
                continue
            found[f"{type_}.{name}"] = (spec, body)
    return found


def compute_needs(text: str) -> dict[str, set[str]]:
    """``type.name`` of each private compute -> the endpoints it needs."""
    actions = role_actions(text)
    needs: dict[str, set[str]] = {}
    for address, (spec, body) in private_computes(text).items():
        found = set(spec["runtime"])
        for attribute in (spec["role"], spec.get("platform_role")):
            role = attribute and re.search(rf"{attribute}\s*=\s*aws_iam_role\.([\w-]+)\.arn", body)
            for action in actions.get(role.group(1), []) if role else []:
                if action.split(":", 1)[0] not in spec["ignore"]:
                    found.update(action_endpoints(action))
        needs[address] = found
    return needs


def declared_endpoints(text: str) -> set[str]:
    names = set(_SERVICE.findall(text))
    for chunk in _INTERFACE_SET.findall(text):
        names.update(_QUOTED.findall(chunk))
    return names


def internet_problems(text: str) -> list[str]:
    """What the stack lacks for its private subnets to reach the internet (empty: a NAT
    gateway, the private route table's default route to it, HTTPS egress in the private
    security group)."""
    missing = []
    if not _blocks(text, "resource", "aws_nat_gateway"):
        missing.append("a NAT gateway")
    routes = _blocks(text, "resource", "aws_route").values()
    if not any(_DEFAULT_ROUTE.search(r) and "nat_gateway_id" in r and _PRIVATE_TABLE.search(r)
               for r in routes):
        missing.append("a 0.0.0.0/0 route of aws_route_table.private to it")
    group = _blocks(text, "resource", "aws_security_group").get("private", "")
    if not any(_ANYWHERE.search(e) and _PORT_443.search(e) for e in _RULES["egress"].findall(group)):
        missing.append("HTTPS egress to 0.0.0.0/0 in aws_security_group.private")
    return missing


def service_ports(text: str) -> list[dict]:
    """[{service, port}] of the in-VPC services of the stack that sit in the private security
    group (data/vpc_endpoints.toml [ports]), one per port."""
    found: dict[int, str] = {}
    for type_, (service, port) in egress_data()["ports"].items():
        if any(_IN_PRIVATE_GROUP.search(body) for body in _blocks(text, "resource", type_).values()):
            found.setdefault(port, service)
    return [{"service": service, "port": port} for port, service in sorted(found.items())]


def security_group_problems(text: str) -> list[str]:
    """What the private security group blocks that its members call: the gateway endpoints'
    prefix lists on 443 (S3 holds the ECR image layers), each in-VPC service's port."""
    group = _blocks(text, "resource", "aws_security_group").get("private")
    if group is None:
        return []
    rules = {kind: _RULES[kind].findall(group) for kind in _RULES}
    open_anywhere = any(_ANYWHERE.search(e) and _PORT_443.search(e) for e in rules["egress"])
    problems = []
    gateways = sorted(set(_GATEWAY.findall(text)))
    listed = {name for e in rules["egress"] if _PORT_443.search(e)
              for name in _PREFIX_LIST.findall(e)}
    if not open_anywhere and (missing := [g for g in gateways if g not in listed]):
        problems.append(f"aws_security_group.private lets no HTTPS out to the gateway endpoint(s) "
                        f"{', '.join(missing)} (their prefix lists): its members cannot reach them")
    for entry in service_ports(text):
        port = re.compile(rf"from_port\s*=\s*{entry['port']}\b")
        for kind in ("ingress", "egress"):
            if not any(port.search(r) and "self" in r for r in rules[kind]):
                problems.append(f"aws_security_group.private has no {kind} rule for "
                                f"{entry['service']} on port {entry['port']}: its clients in the "
                                "group cannot reach it")
    return problems


def has_nat_gateway(text: str) -> bool:
    """The private subnets reach the internet (and every AWS API) through a NAT gateway."""
    return not internet_problems(text)


def external_hosts(body: str) -> set[str]:
    """Hosts outside AWS of the literal ``https://`` URLs a compute is given (its settings)."""
    return {host for host in _URL.findall(body) if not host.endswith(IN_CLOUD["aws"])}


def internet_computes(text: str) -> dict[str, set[str]]:
    """``type.name`` of each private compute that calls an API outside AWS -> its hosts."""
    return {address: hosts for address, (_, body) in sorted(private_computes(text).items())
            if (hosts := external_hosts(body))}


def gcp_internet_computes(text: str) -> dict[str, set[str]]:
    """Cloud Run resources whose traffic all leaves through the stack's VPC (Direct VPC egress,
    ``ALL_TRAFFIC``) and that call an API outside Google -> its hosts. Google APIs are reached
    through the subnet's Private Google Access; anything else needs Cloud NAT."""
    found = {}
    for type_ in GCP_VPC_COMPUTES:
        for name, body in _blocks(text, "resource", type_).items():
            hosts = {h for h in _URL.findall(body) if not h.endswith(IN_CLOUD["gcp"])}
            if hosts and _ALL_TRAFFIC.search(body):
                found[f"{type_}.{name}"] = hosts
    return found


def gcp_egress_problems(text: str) -> list[str]:
    """One line per Cloud Run resource calling the internet through a VPC without Cloud NAT."""
    nats = _blocks(text, "resource", "google_compute_router_nat").values()
    if any("source_subnetwork_ip_ranges_to_nat" in body for body in nats):
        return []
    return [f"{address} sends all its traffic through the VPC and calls {', '.join(sorted(hosts))}"
            ", outside Google: the VPC needs a Cloud Router with Cloud NAT"
            for address, hosts in sorted(gcp_internet_computes(text).items())]


def split_endpoints(names: set[str]) -> tuple[list[str], list[str]]:
    """(interface, gateway) endpoint service names, sorted."""
    gateway = set(egress_data()["gateway"]["services"])
    return sorted(names - gateway), sorted(names & gateway)


def required_endpoints(text: str) -> set[str]:
    return {name for found in compute_needs(text).values() for name in found}


def egress_problems(text: str) -> list[str]:
    """One line per call a private compute cannot make: its security group blocks it, an AWS
    API with neither a NAT nor its endpoint, an API outside the cloud without a NAT."""
    problems = security_group_problems(text) + gcp_egress_problems(text)
    missing_nat = internet_problems(text)
    if not missing_nat:
        return problems
    declared = declared_endpoints(text)
    problems += [f"{address} runs in the private subnets without NAT and needs VPC endpoint(s) "
                 f"{', '.join(sorted(missing))}"
                 for address, found in sorted(compute_needs(text).items())
                 if (missing := found - declared)]
    return problems + [f"{address} calls {', '.join(sorted(hosts))} outside AWS from the private "
                       f"subnets, which have no route to the internet: it needs "
                       f"{', '.join(missing_nat)}"
                       for address, hosts in internet_computes(text).items()]
