"""AWS half of the ``iam_least_privilege`` gate: reads the stack's HCL (python-hcl2), no cloud.

Findings (each fails the gate):
- a role with no inline policy and no managed-policy attachment;
- a wildcard action (``*`` or ``service:*``) in an Allow statement;
- ``"*"`` as the resource of an action that AWS scopes to resources (parliament's IAM database);
- a role that reaches data encrypted with the stack's key (bucket, stream, table, queue,
  repository) without ``kms:Decrypt`` on that key;
- a service that encrypts with the stack's key on its own behalf (log groups, SNS topics
  alarms publish to, CloudTrail) without a grant to its service principal in the key policy;
- a stream consumer (an ECS task definition whose container reads a Kinesis stream or an MSK
  cluster of the stack) whose task role cannot read that stream (:data:`STREAM_READS`);
- a parliament finding above LOW on any inline policy (rendered with placeholder ARNs), or an
  unknown action (a typo: the permission the component needs is missing).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ACCOUNT, REGION, PARTITION = "123456789012", "eu-west-1", "aws"
# Resource types whose ARN the placeholder policy needs, as "{name}" templates.
ARN_TEMPLATES = {
    "aws_s3_bucket": "arn:aws:s3:::{name}",
    "aws_kms_key": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{{name}}",
    "aws_kinesis_stream": f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{{name}}",
    "aws_dynamodb_table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{{name}}",
    "aws_ecr_repository": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/{{name}}",
    "aws_sqs_queue": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{{name}}",
    "aws_sns_topic": f"arn:aws:sns:{REGION}:{ACCOUNT}:{{name}}",
    "aws_cloudwatch_log_group": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{{name}}",
    "aws_security_group": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{{name}}",
    "aws_sagemaker_feature_group": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:feature-group/{{name}}",
    "aws_opensearch_domain": f"arn:aws:es:{REGION}:{ACCOUNT}:domain/{{name}}",
    "aws_iam_role": f"arn:aws:iam::{ACCOUNT}:role/{{name}}",
    "aws_msk_cluster": f"arn:aws:kafka:{REGION}:{ACCOUNT}:cluster/{{name}}/example",
}
ENCRYPTED_DATA = ("aws_s3_bucket.", "aws_kinesis_stream.", "aws_dynamodb_table.", "aws_sqs_queue.",
                  "var.")  # var.*_bucket_arn: buckets of the stack's platform, same key
# Resource type with a customer-managed key attribute -> principal the key policy must allow.
KEY_USERS = {
    ("aws_cloudwatch_log_group", "kms_key_id"): "logs.",
    ("aws_sns_topic", "kms_master_key_id"): "cloudwatch.amazonaws.com",
    ("aws_cloudtrail", "kms_key_id"): "cloudtrail.amazonaws.com",
}
# What the generated consumer (ml/streaming/brokers/) calls, per stream resource type: each
# (actions, pattern of the resource they must be granted on; "{name}" = the stream's name).
STREAM_READS = {
    "aws_kinesis_stream": [(("kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"),
                            r"\$\{aws_kinesis_stream\.{name}\.arn\}")],
    "aws_msk_cluster": [
        (("kafka-cluster:Connect",), r"\$\{aws_msk_cluster\.{name}\.arn\}"),
        (("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"),
         r":topic/\$\{aws_msk_cluster\.{name}\.cluster_name\}/\$\{aws_msk_cluster\.{name}\.cluster_uuid\}/"),
        (("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"),
         r":group/\$\{aws_msk_cluster\.{name}\.cluster_name\}/\$\{aws_msk_cluster\.{name}\.cluster_uuid\}/"),
    ],
}
SEVERE = {"MEDIUM", "HIGH", "CRITICAL"}
TYPO = {"UNKNOWN_ACTION", "UNKNOWN_PREFIX"}  # LOW in parliament, but the permission is missing
_REF = re.compile(r"\$\{(aws_[a-z0-9_]+)\.([a-zA-Z0-9_]+)(?:\[[^\]]*\])?\.arn\}")
_ANY_INTERP = re.compile(r"\$\{[^}]*\}")


def _first(value):
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _flat(value) -> list:
    if isinstance(value, list):
        return [item for v in value for item in _flat(v)]
    return [value]


def _blocks(docs: list[dict], kind: str) -> dict[str, dict[str, dict]]:
    """{type: {name: body}} of every ``resource`` or ``data`` block in the parsed files."""
    found: dict[str, dict[str, dict]] = {}
    for doc in docs:
        for block in doc.get(kind, []):
            for type_, items in block.items():
                found.setdefault(type_, {}).update(items)
    return found


def _target(expr: str, prefix: str) -> str | None:
    match = re.search(rf"\$\{{{re.escape(prefix)}\.([a-zA-Z0-9_]+)\.", str(expr))
    return match.group(1) if match else None


def _unwrap(text: str) -> str:
    """python-hcl2 wraps a string holding quoted interpolations as ``${"..."}``."""
    return text[3:-2] if text.startswith('${"') and text.endswith('"}') else text


def placeholder_arn(expr: str) -> str:
    """An ARN of the right shape for an HCL resource expression (for parliament)."""
    text = _unwrap(str(expr)).replace("${data.aws_partition.current.partition}", PARTITION)
    text = text.replace("${var.region}", REGION)
    text = text.replace("${data.aws_caller_identity.current.account_id}", ACCOUNT)
    text = text.replace("${local.name_prefix}", "stack-dev")
    text = _REF.sub(lambda m: ARN_TEMPLATES.get(m.group(1), "*").format(name=m.group(2)), text)
    if re.fullmatch(r"\$\{var\.[a-z0-9_]*bucket_arn\}(/\*)?", text):
        text = re.sub(r"\$\{var\.[a-z0-9_]+\}", "arn:aws:s3:::platform-bucket", text)
    return _ANY_INTERP.sub("example", text)


def _statements(doc: dict) -> list[dict]:
    result = []
    for st in doc.get("statement", []):
        result.append({"sid": _first(st.get("sid", [""])) or "",
                       "effect": _first(st.get("effect", ["Allow"])) or "Allow",
                       "actions": [str(a) for a in _flat(st.get("actions", []))],
                       "resources": [_unwrap(str(r)) for r in _flat(st.get("resources", []))]})
    return result


def _scoped(action: str) -> bool:
    """True when AWS lets ``action`` be granted on specific resources."""
    from parliament.statement import UnknownActionException, get_privilege_info

    service, _, name = action.partition(":")
    try:
        info = get_privilege_info(service, name)
    except UnknownActionException:
        return False
    return any(r["resource_type"] for r in info["resource_types"])


def _statement_findings(role: str, st: dict) -> list[str]:
    if st["effect"] != "Allow":
        return []
    where = f"{role} ({st['sid'] or 'statement'})"
    found = [f"{where}: wildcard action {a!r}" for a in st["actions"]
             if a == "*" or a.endswith(":*")]
    if "*" in st["resources"]:
        found += [f"{where}: {a} can be scoped to a resource but is granted on \"*\""
                  for a in st["actions"] if a != "*" and not a.endswith(":*") and _scoped(a)]
    return found


def _parliament(role: str, statements: list[dict]) -> list[str]:
    from parliament import analyze_policy_string, enhance_finding

    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": st["effect"], "Action": st["actions"],
         "Resource": [placeholder_arn(r) for r in st["resources"]]} for st in statements]}
    findings = [enhance_finding(f) for f in analyze_policy_string(json.dumps(policy)).findings]
    return [f"{role}: parliament {f.issue} ({f.severity}): {f.detail}" for f in findings
            if f.severity in SEVERE or f.issue in TYPO]


def _role_policies(resources: dict, docs: dict) -> dict[str, list[list[dict]]]:
    """role name -> statement lists of its inline policies (attachments give an empty list)."""
    by_role: dict[str, list[list[dict]]] = {}
    for body in resources.get("aws_iam_role_policy", {}).values():
        role = _target(_first(body.get("role")), "aws_iam_role")
        doc = _target(_first(body.get("policy")), "data.aws_iam_policy_document")
        if role:
            by_role.setdefault(role, []).append(_statements(docs.get(doc, {})))
    for body in resources.get("aws_iam_role_policy_attachment", {}).values():
        role = _target(_first(body.get("role")), "aws_iam_role")
        if role:
            by_role.setdefault(role, []).append([])
    return by_role


def _key_policy_principals(docs: dict, resources: dict) -> set[str]:
    key = resources.get("aws_kms_key", {}).get("main", {})
    doc = _target(_first(key.get("policy", [""])), "data.aws_iam_policy_document")
    principals: set[str] = set()
    for st in docs.get(doc, {}).get("statement", []):
        for block in st.get("principals", []):
            principals.update(str(i) for i in _flat(block.get("identifiers", [])))
    return principals


def _key_findings(resources: dict, docs: dict) -> list[str]:
    if "main" not in resources.get("aws_kms_key", {}):
        return []
    principals = _key_policy_principals(docs, resources)
    found = []
    for (type_, attribute), principal in sorted(KEY_USERS.items()):
        users = [n for n, body in resources.get(type_, {}).items()
                 if "aws_kms_key.main" in str(body.get(attribute, ""))]
        if users and not any(p.startswith(principal) for p in principals):
            found.append(f"key policy of aws_kms_key.main: {principal}* is not allowed to use "
                         f"the key, but {type_} {', '.join(sorted(users))} is encrypted with it")
    return found


def _consumer_findings(resources: dict, statements_of: dict[str, list[dict]]) -> list[str]:
    """A task that consumes a stream of the stack needs read access to it on its task role."""
    found = []
    for task, body in sorted(resources.get("aws_ecs_task_definition", {}).items()):
        text = str(body.get("container_definitions", ""))
        role = _target(_first(body.get("task_role_arn", "")), "aws_iam_role")
        for type_, needs in STREAM_READS.items():
            for stream in sorted(resources.get(type_, {})):
                if f"{type_}.{stream}." not in text:
                    continue
                granted = statements_of.get(role or "", [])
                for actions, pattern in needs:
                    where = re.compile(pattern.replace("{name}", re.escape(stream)))
                    missing = [a for a in actions if not any(
                        a in st["actions"] and any(where.search(r) for r in st["resources"])
                        for st in granted if st["effect"] == "Allow")]
                    if missing:
                        found.append(f"aws_ecs_task_definition.{task} consumes {type_}.{stream} "
                                     f"but its task role {role or '(none)'} lacks "
                                     f"{', '.join(missing)} on it")
    return found


def aws_findings(tf_dir: Path) -> tuple[list[str], dict]:
    """(findings, summary) for the AWS stack in ``tf_dir``."""
    import hcl2

    parsed = [hcl2.loads(p.read_text()) for p in sorted(tf_dir.glob("*.tf"))]
    resources, docs = _blocks(parsed, "resource"), _blocks(parsed, "data")
    docs = docs.get("aws_iam_policy_document", {})
    roles = sorted(resources.get("aws_iam_role", {}))
    policies = _role_policies(resources, docs)
    findings = [f"role {role} has no permissions (no inline policy, no attachment)"
                for role in roles if role not in policies]
    statements_of = {role: [st for group in policies.get(role, []) for st in group]
                     for role in roles}
    findings += _consumer_findings(resources, statements_of)
    for role in roles:
        statements = statements_of[role]
        for st in statements:
            findings += _statement_findings(role, st)
        if statements:
            findings += _parliament(role, statements)
        touches = any(r.startswith(f"${{{p}") for st in statements for r in st["resources"]
                      for p in ENCRYPTED_DATA)
        grants = any("kms:Decrypt" in st["actions"] and "${aws_kms_key.main.arn}" in st["resources"]
                     for st in statements)
        if touches and "main" in resources.get("aws_kms_key", {}) and not grants:
            findings.append(f"{role}: reaches data encrypted with aws_kms_key.main "
                            "without kms:Decrypt on it")
    findings += _key_findings(resources, docs)
    return findings, {"roles": len(roles), "roles_with_permissions": len(set(policies) & set(roles))}
