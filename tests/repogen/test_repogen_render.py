"""The render matrix: every cloud x workload family, checked statically and cheaply.

The expensive gates (the generated pytest in a venv, checkov, zizmor) run in
test_repogen_gates.py.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib

import hcl2
import pytest
import yaml

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.validate.secret_scan import check_secrets

from .expectations import expected_files
from .plans import CLOUDS, FAMILIES, make_spec

MATRIX = [(cloud, family) for cloud in CLOUDS for family in FAMILIES]
IDS = [f"{cloud}-{family}" for cloud, family in MATRIX]


@pytest.fixture(scope="module")
def rendered():
    """Every combination rendered once for the module."""
    return {case: generate(make_spec(*case)) for case in MATRIX}


@pytest.fixture(scope="module")
def written(rendered, tmp_path_factory):
    root = tmp_path_factory.mktemp("matrix")
    return {case: write_tree(files, root / f"{case[0]}-{case[1]}") for case, files in rendered.items()}


def test_matrix_covers_every_cloud_and_family():
    assert len(MATRIX) == len(CLOUDS) * len(FAMILIES) == 18


@pytest.mark.parametrize("case", MATRIX, ids=IDS)
def test_exact_file_set(rendered, case):
    assert set(rendered[case]) == expected_files(*case)


@pytest.mark.parametrize("case", MATRIX, ids=IDS)
def test_rendering_is_deterministic(rendered, case):
    assert generate(make_spec(*case)) == rendered[case]


@pytest.mark.parametrize("case", MATRIX, ids=IDS)
def test_no_unrendered_template_syntax(rendered, case):
    for path, content in rendered[case].items():
        text = content.decode()
        if path.startswith(".github/workflows/"):  # GitHub's own ${{ }} expressions are expected
            text = re.sub(r"\$\{\{[^}]*\}\}", "", text)
        assert "{{" not in text and "{%" not in text and "{#" not in text, path


@pytest.mark.parametrize("case", MATRIX, ids=IDS)
def test_python_files_compile(rendered, case):
    for path, content in rendered[case].items():
        if path.endswith(".py"):
            ast.parse(content, filename=path)


def _terraform(files: dict[str, bytes], cloud: str) -> dict[str, str]:
    prefix = f"infra/terraform/{cloud}/"
    return {p: c.decode() for p, c in files.items() if p.startswith(prefix)}


@pytest.mark.parametrize("case", MATRIX, ids=IDS)
def test_terraform_parses_and_every_variable_used_is_declared(rendered, case):
    cloud = case[0]
    declared, used = set(), set()
    for text in _terraform(rendered[case], cloud).values():
        parsed = hcl2.loads(text)
        declared |= {name for block in parsed.get("variable", []) for name in block}
        used |= set(re.findall(r"\bvar\.([A-Za-z0-9_]+)", text))
    assert used <= declared, f"undeclared: {used - declared}"
    assert declared <= used, f"declared but unused: {declared - used}"


@pytest.mark.parametrize("case", MATRIX, ids=IDS)
def test_terraform_matches_the_plan_cloud_and_has_no_credentials(rendered, case):
    cloud = case[0]
    other = {"aws": "google|azurerm", "gcp": "aws_|azurerm", "azure": "aws_|google_"}[cloud]
    for path, text in _terraform(rendered[case], cloud).items():
        assert not re.search(rf'resource "({other})', text), path
        assert not re.search(r"(access_key|secret_key|client_secret|password)\s*=", text), path
    assert not any(p.startswith("infra/terraform/") and f"/{cloud}/" not in p for p in rendered[case])


@pytest.mark.parametrize("case", MATRIX, ids=IDS)
def test_region_and_names_are_variables(rendered, case):
    cloud = case[0]
    files = _terraform(rendered[case], cloud)
    region = make_spec(*case).plan.region
    for path, text in files.items():
        if path.endswith(".tf") and not path.endswith("variables.tf"):  # tfvars hold values
            assert region not in text, f"{path} hard-codes the region"
    assert f'default     = "{region}"' in files[f"infra/terraform/{cloud}/variables.tf"]


def _module_path(module: str) -> str:
    return module.replace(".", "/") + ".py"


@pytest.mark.parametrize("case", MATRIX, ids=IDS)
def test_ci_commands_exist_in_the_repo(rendered, case):
    files = rendered[case]
    workflow = yaml.safe_load(files[".github/workflows/ci.yml"])
    commands = [step["run"] for job in workflow["jobs"].values() for step in job["steps"]
                if "run" in step]
    assert commands
    for command in commands:
        for module in re.findall(r"python -m ([a-z_.]+)", command):
            if module.split(".")[0] in {"pip", "pytest", "ruff"}:
                continue
            assert _module_path(module) in files, command
        for requirement in re.findall(r"-r (\S+)", command):
            assert requirement in files, command
        for chdir in re.findall(r"-chdir=(\S+)", command):
            assert any(p.startswith(chdir + "/") for p in files), command


@pytest.mark.parametrize("case", MATRIX, ids=IDS)
def test_dockerfile_entry_module_and_copies_exist(rendered, case):
    files = rendered[case]
    dockerfile = files["infra/docker/Dockerfile"].decode()
    entry = re.search(r"^ENTRYPOINT (\[.*\])$", dockerfile, re.M)
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1)
    argv = yaml.safe_load(entry.group(1)) if entry else yaml.safe_load(cmd)
    if argv[0] == "uvicorn":
        module = argv[1].split(":")[0]
    else:
        module = argv[argv.index("-m") + 1]
    assert _module_path(module) in files
    for source in re.findall(r"^COPY (\S+) ", dockerfile, re.M):
        assert source in files or any(p.startswith(source + "/") for p in files), source
    assert re.search(r"^USER 10001:10001$", dockerfile, re.M) and "HEALTHCHECK" in dockerfile


@pytest.mark.parametrize("case", MATRIX, ids=IDS)
def test_content_follows_the_plan(rendered, case):
    cloud, family = case
    files = rendered[case]
    online = family in {"realtime", "streaming", "rag"}
    assert ("app/api/main.py" in files) == online
    assert (b"fastapi" in files["requirements.txt"]) == online
    if family == "rag":
        assert b"/query" in files["app/api/main.py"]
    if family == "batch":
        assert b"regression" in files["models/linear.py"]
    architecture = files["docs/architecture.md"].decode()
    assert "```mermaid" in architecture
    for component in make_spec(*case).plan.components:
        assert component.service in architecture


@pytest.mark.parametrize("case", MATRIX, ids=IDS)
def test_generated_files_hold_no_secret(written, case):
    assert check_secrets(written[case]).passed


def test_ruff_passes_on_the_whole_matrix(written):
    roots = [str(path) for path in written.values()]
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *roots],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:]


@pytest.mark.skipif(shutil.which("terraform") is None, reason="no terraform binary on PATH")
def test_terraform_fmt_passes_on_the_whole_matrix(written):
    for case, root in written.items():
        done = subprocess.run(["terraform", "fmt", "-check", "-diff", "-recursive", "infra/terraform"],
                              cwd=root, capture_output=True, text=True, check=False,
                              env={"PATH": "/usr/bin:/bin:/usr/local/bin", "TF_CLI_CONFIG_FILE": "/dev/null"})
        assert done.returncode == 0, (case, done.stdout[-2000:])


def hostile_spec():
    """Names and sizes that would break string literals or start interpolations if echoed."""
    spec = make_spec("aws", "realtime", project_name='Acme "fraud" \\ {{ x }} ${var.y}\nscoring')
    spec.plan.workloads = ["realtime_inference", 'evil"\nworkload']
    serve = spec.plan.component("serve")
    serve.service = 'Endpoint" ${file("/etc/passwd")} %{ if true }'
    serve.sizing = {"instance_type": 'ml.c6i.large"\n  evil = true', "instances": "many"}
    spec.plan.component("track").capability = "&anchor: *alias"
    spec.plan.components.append(spec.plan.components[-1].model_copy(update={"capability": "track"}))
    return spec


def test_hostile_names_cannot_break_generated_files(tmp_path):
    files = generate(hostile_spec())
    for path, content in files.items():
        text = content.decode()
        if path.endswith(".py"):
            ast.parse(text, filename=path)
        elif path.endswith(".tf"):
            hcl2.loads(text)
            assert "${file(" not in text and "%{" not in text, path
        elif path.endswith((".yml", ".yaml")):
            yaml.safe_load(text)
    tomllib.loads(files["pyproject.toml"].decode())
    compose = yaml.safe_load(files["infra/docker/compose.yaml"])
    assert len(compose["services"]) == 2
    assert 'evil = true' not in files["infra/terraform/aws/serve.tf"].decode()
