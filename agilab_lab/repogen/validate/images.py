"""``image_delivery``: the images a generated stack deploys exist and can be pulled.

Every compute of the stack that runs the repository's code takes its image from an image
variable (``<label>_image`` / ``<label>_image_uri``, :mod:`agilab_lab.repogen.images`). The gate
fails when:

- the stack declares image variables but no registry of its own (``images`` repository) or no
  ``image_repository`` output;
- ``.github/workflows/cd.yml`` does not create that registry before its first push (a targeted
  apply), does not build ``infra/docker/Dockerfile`` and push it to that registry, or plans without giving the
  image it pushed to one of the image variables (a deploy of an image nothing builds);
- a compute that takes an image variable has no pull permission on the registry: AWS, the
  pulling role (ECS/Batch execution role, SageMaker model role) lacks ``ecr:BatchGetImage`` +
  ``ecr:GetDownloadUrlForLayer`` on the repository or ``ecr:GetAuthorizationToken``, or a
  Lambda function's repository policy does not let Lambda pull; a SageMaker model or Lambda
  function (both check the pull at creation) that does not depend on that grant; Azure, a Container App has no
  ``registry`` block with a user-assigned identity of its own holding AcrPull on the registry;
  GCP, the Cloud Run service agent has no reader binding on the repository, or a Cloud Run
  service, job or worker pool does not depend on it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..images import REGISTRY, image_variables
from .base import CheckResult, missing_tool

CD_FILE = ".github/workflows/cd.yml"
DOCKERFILE = "infra/docker/Dockerfile"
_PULL = ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")
_AWS_ROLE_ATTR = {"aws_ecs_task_definition": "execution_role_arn",
                  "aws_sagemaker_model": "execution_role_arn",
                  "aws_batch_job_definition": None}  # executionRoleArn in container_properties
# Created only when their role can already pull the image (the service checks at creation).
_CHECKED_AT_CREATION = ("aws_sagemaker_model",)
_GCP_RUNTIMES = ("google_cloud_run_v2_service", "google_cloud_run_v2_job",
                 "google_cloud_run_v2_worker_pool")


def _users(resources: dict, types, names: list[str]):
    """(type, name, body text) of each resource whose body reads one of the image variables."""
    for type_ in types:
        for name, body in sorted(resources.get(type_, {}).items()):
            text = str(body)
            if any(re.search(rf"\bvar\.{v}\b", text) for v in names):
                yield type_, name, text, body


def _aws_findings(resources: dict, docs: dict, names: list[str]) -> list[str]:
    from .iam_aws import _first, _role_policies, _target

    statements = {role: [st for group in groups for st in group]
                  for role, groups in _role_policies(resources, docs).items()}
    repo = "${" + REGISTRY["aws"] + ".arn}"
    found = []
    for type_, name, text, body in _users(resources, _AWS_ROLE_ATTR, names):
        attr = _AWS_ROLE_ATTR[type_]
        if attr:
            role = _target(_first(body.get(attr, "")), "aws_iam_role")
        else:
            match = re.search(r"executionRoleArn\W+aws_iam_role\.(\w+)\.arn", text)
            role = match.group(1) if match else None
        granted = [st for st in statements.get(role or "", []) if st["effect"] == "Allow"]
        pull = any(all(a in st["actions"] for a in _PULL) and repo in st["resources"]
                   for st in granted)
        login = any("ecr:GetAuthorizationToken" in st["actions"] for st in granted)
        if not (pull and login):
            found.append(f"{type_}.{name} pulls its image from {REGISTRY['aws']} but its role "
                         f"{role or '(none)'} lacks {', '.join(_PULL)} on it or "
                         "ecr:GetAuthorizationToken")
        elif type_ in _CHECKED_AT_CREATION and f"aws_iam_role_policy.{role}" not in str(
                body.get("depends_on", "")):
            found.append(f"{type_}.{name} is created before its role {role} may pull the image "
                         f"(SageMaker checks it at creation): depends_on aws_iam_role_policy.{role}")
    policies = [str(docs.get(_target(_first(b.get("policy", "")), "data.aws_iam_policy_document"), ""))
                for b in resources.get("aws_ecr_repository_policy", {}).values()
                if REGISTRY["aws"] + "." in str(b.get("repository"))]
    for _, name, _, body in _users(resources, ("aws_lambda_function",), names):
        if not any("lambda.amazonaws.com" in p and "ecr:BatchGetImage" in p for p in policies):
            found.append(f"aws_lambda_function.{name} pulls its image from {REGISTRY['aws']} "
                         "but no repository policy lets lambda.amazonaws.com pull it")
        elif "aws_ecr_repository_policy." not in str(body.get("depends_on", "")):
            found.append(f"aws_lambda_function.{name} is created before the repository policy "
                         "lets Lambda pull (checked at creation): depends_on aws_ecr_repository_policy")
    return found


def _azure_findings(resources: dict, names: list[str]) -> list[str]:
    assignments = [str(b) for b in resources.get("azurerm_role_assignment", {}).values()
                   if REGISTRY["azure"] + ".id" in str(b.get("scope"))
                   and "AcrPull" in str(b.get("role_definition_name"))]
    found = []
    for _, name, _, body in _users(resources, ("azurerm_container_app",), names):
        registry = str(body.get("registry", ""))
        match = re.search(r"azurerm_user_assigned_identity\.(\w+)\.id", registry)
        ident = match.group(1) if match else None
        problems = []
        if REGISTRY["azure"] + ".login_server" not in registry or not ident:
            problems.append(f"no registry block naming {REGISTRY['azure']} and a "
                            "user-assigned identity")
        else:
            if f"azurerm_user_assigned_identity.{ident}.id" not in str(body.get("identity", "")):
                problems.append(f"identity {ident} is not assigned to the app")
            if not any(f"azurerm_user_assigned_identity.{ident}.principal_id" in a
                       for a in assignments):
                problems.append(f"identity {ident} has no AcrPull on {REGISTRY['azure']}")
        found += [f"azurerm_container_app.{name}: {p}" for p in problems]
    return found


def _gcp_findings(resources: dict, names: list[str]) -> list[str]:
    from .iam_aws import _first

    kind = "google_artifact_registry_repository_iam_member"
    readers = [f"{kind}.{n}" for n, b in resources.get(kind, {}).items()
               if REGISTRY["gcp"] + "." in str(b.get("repository"))
               and "serverless-robot-prod" in str(b.get("member"))
               and str(_first(b.get("role"))) == "roles/artifactregistry.reader"]
    found = []
    for type_, name, _, body in _users(resources, _GCP_RUNTIMES, names):
        if not readers:
            found.append(f"{type_}.{name} pulls its image from {REGISTRY['gcp']} but the Cloud Run "
                         "service agent (serverless-robot-prod) has no roles/artifactregistry.reader on it")
        elif not any(r in str(body.get("depends_on", "")) for r in readers):
            found.append(f"{type_}.{name} is created before the Cloud Run service agent may pull its "
                         f"image (checked at creation): depends_on {readers[0]}")
    return found


def _steps(workflow: dict) -> list[dict]:
    return [s for job in (workflow.get("jobs") or {}).values() for s in job.get("steps") or []]


def cd_findings(root: Path, cloud: str, names: list[str]) -> list[str]:
    """What the CD workflow misses to deliver the image of every image variable."""
    path = root / CD_FILE
    if not path.is_file():
        return [f"{CD_FILE} is missing: nothing builds the images of {', '.join(names)}"]
    steps = _steps(yaml.safe_load(path.read_text()) or {})
    runs = [str(s.get("run", "")) for s in steps]
    build = next((i for i, run in enumerate(runs) if "docker build" in run
                  and "docker push" in run and DOCKERFILE in run and steps[i].get("id")), None)
    if build is None:
        return [f"{CD_FILE} builds and pushes no image from {DOCKERFILE}: "
                f"{', '.join(names)} would deploy an image nothing builds"]
    found = []
    if "output -raw image_repository" not in runs[build]:
        found.append(f"{CD_FILE} pushes the image somewhere else than the stack's registry (its "
                     "build step does not read `terraform output -raw image_repository`)")
    if not (root / DOCKERFILE).is_file():
        found.append(f"{DOCKERFILE} is missing")
    if not any(f"-target={REGISTRY[cloud]}" in run and " apply " in run for run in runs[:build]):
        found.append(f"{CD_FILE} pushes before it creates {REGISTRY[cloud]} (no targeted apply "
                     "of the registry before the build step)")
    output = "${{ steps." + str(steps[build]["id"]) + ".outputs.uri }}"
    plans = [(s, run) for s, run in zip(steps[build + 1:], runs[build + 1:], strict=True)
             if re.search(r"\bplan\b", run) and "-target=" not in run]
    for name in names:
        given = any(re.search(rf'-var "?{name}=\$\{{?{env}\}}?"?', run)
                    for s, run in plans for env, value in (s.get("env") or {}).items()
                    if str(value).replace(" ", "") == output.replace(" ", ""))
        if not given:
            found.append(f"{CD_FILE} deploys {name} without the image it builds "
                         f"(no plan after the build step passes -var \"{name}=<pushed image>\")")
    return found


def check_image_delivery(root: Path) -> CheckResult:
    try:
        from .iam_gcp_azure import _parse
    except ImportError as exc:  # pragma: no cover - validate extra
        return missing_tool("image_delivery", exc.name or "python-hcl2")
    stacks = [p for p in sorted((root / "infra" / "terraform").glob("*")) if p.name in REGISTRY]
    findings, count = [], 0
    for tf_dir in stacks:
        cloud = tf_dir.name
        names = image_variables("\n".join(p.read_text() for p in sorted(tf_dir.glob("*.tf"))))
        if not names:
            continue
        count += len(names)
        resources, data = _parse(tf_dir)
        kind, _, label = REGISTRY[cloud].partition(".")
        if label not in resources.get(kind, {}):
            findings.append(f"{cloud}: {', '.join(names)} take images but the stack declares "
                            f"no registry {REGISTRY[cloud]}")
        if 'output "image_repository"' not in "".join(p.read_text() for p in tf_dir.glob("*.tf")):
            findings.append(f"{cloud}: no image_repository output (the CD workflow pushes there)")
        if cloud == "aws":
            findings += _aws_findings(resources, data.get("aws_iam_policy_document", {}), names)
        else:
            findings += (_azure_findings if cloud == "azure" else _gcp_findings)(resources, names)
        findings += cd_findings(root, cloud, names)
    details = "\n".join(findings) or (
        f"{count} image variable(s) built and pushed by CD, pullable by their computes"
        if count else "no image variable: the stack deploys no image of its own")
    return CheckResult(name="image_delivery", passed=not findings, details=details,
                       summary={"image_variables": count, "findings": len(findings)})
