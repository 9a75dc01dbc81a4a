"""Deployability gates of a generated AWS stack, offline.

``terraform_init`` (from the image's provider mirror only), ``terraform_validate``,
``terraform_plan`` (fake credentials, the repo's ``example.tfvars``) and
``terraform_apply_emulator`` (apply, then destroy, against a moto server on a loopback port).

Resource types the emulator cannot create (data/emulator_gaps.toml) are left out of the
apply together with everything that refers to them; the check names them, and they count
as not created. A stack whose text names no such type starts its apply (on its own copy and
emulator) next to validate and plan, which then cost no wall time: the plan still decides, and
the gates report exactly what the sequential order would. Results of a stack whose content was already proven are reused from the
cache (keyed by the sha256 of its files and the tool versions).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from .base import CheckResult, lower_priority
from .emulator import OVERRIDE_FILE, EmulatorError, moto_server, provider_override
from .terraform_tools import (
    Background,
    ResultCache,
    Terraform,
    content_key,
    diagnostics,
    file_lock,
    locate_terraform,
    stack_files,
)

GATE_VERSION = "2"
CHECKS = ("terraform_init", "terraform_validate", "terraform_plan", "terraform_apply_emulator")
TFVARS = "example.tfvars"
PARALLELISM = "10"
ASIDE_NICE = 5  # validate and plan next to an early apply (the static checks run at 10)
APPLY = ["apply", "-input=false", "-no-color", "-auto-approve", "-lock=false", f"-parallelism={PARALLELISM}"]
BACKEND_OVERRIDE = "zz_agilab_backend_override.tf"
UNPROTECT_OVERRIDE = "zz_agilab_unprotect_override.tf"
LOCAL_BACKEND = 'terraform {\n  backend "local" {}\n}\n'


@cache
def _gap_data() -> dict:
    text = resources.files("agilab_lab.repogen").joinpath("data/emulator_gaps.toml").read_text()
    return tomllib.loads(text)


def emulator_gaps() -> dict[str, str]:
    """Resource type -> why the emulator cannot create it."""
    return _gap_data()["gaps"]


_ML_TYPE = re.compile(r"^ml\.([a-z0-9]+)\.(\w+)$")


def emulator_substitutions(plan: dict) -> dict[str, tuple[str, str]]:
    """Variable -> (planned value, value applied on the emulator) for instance types too new
    for moto's SageMaker list."""
    families = _gap_data()["instance_families"]
    result = {}
    for name, item in sorted(plan.get("variables", {}).items()):
        match = _ML_TYPE.match(str(item.get("value", "")))
        if match and match.group(1) in families:
            result[name] = (match.group(0), f"ml.{families[match.group(1)]}.{match.group(2)}")
    return result


def _skipped(reason: str) -> list[CheckResult]:
    return [CheckResult(name=name, passed=True, skipped=True, details=f"not run: {reason}")
            for name in CHECKS]


def _failed_from(start: int, reason: str, results: list[CheckResult]) -> list[CheckResult]:
    """Complete ``results`` with the gates after a failure: each failed, naming the cause."""
    for name in CHECKS[start:]:
        results.append(CheckResult(name=name, passed=False, details=f"not reached: {reason}"))
    return results


def check_terraform_deploy(root: Path, timeout_s: float, cache_dir: Path) -> list[CheckResult]:
    """The four gates for ``infra/terraform/aws`` (skipped, with the reason, on other clouds)."""
    tf_dir = root / "infra" / "terraform" / "aws"
    if not tf_dir.is_dir():
        return _skipped("no AWS stack; the offline mirror only holds hashicorp/aws, so GCP and "
                        "Azure stacks get hcl2, fmt, checkov and the reference check")
    tf = locate_terraform(cache_dir)
    if isinstance(tf, str):
        return _skipped(tf)
    key = _content_key(tf, tf_dir)
    results_cache = ResultCache(cache_dir)
    cached = results_cache.get(key)
    if cached is not None:
        for result in cached:
            result.summary["cached"] = True
        return cached
    with tempfile.TemporaryDirectory(prefix="agilab-tf-") as scratch:
        work = Path(scratch) / "stack"
        shutil.copytree(tf_dir, work, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
        results = _run_gates(tf, work, timeout_s)
    results_cache.put(key, results)
    return results


def deploy_pending(root: Path, cache_dir: Path) -> bool:
    """True when :func:`check_terraform_deploy` will run terraform on ``root``: an AWS stack,
    terraform and its mirror present, and no cached result for the stack's content."""
    tf_dir = root / "infra" / "terraform" / "aws"
    tf = locate_terraform(cache_dir) if tf_dir.is_dir() else "no AWS stack"
    return not isinstance(tf, str) and ResultCache(cache_dir).get(_content_key(tf, tf_dir)) is None


def _content_key(tf: Terraform, tf_dir: Path) -> str:
    return content_key(stack_files(tf_dir), GATE_VERSION, tf.version(), _moto_version())


def _moto_version() -> str:
    try:
        return metadata.version("moto")
    except metadata.PackageNotFoundError:
        return "none"


def _timed(name: str, func, *args) -> CheckResult:
    start = time.perf_counter()
    result = func(*args)
    result.name, result.seconds = name, round(time.perf_counter() - start, 3)
    return result


def _run_gates(tf: Terraform, work: Path, timeout_s: float) -> list[CheckResult]:
    """init, then validate, plan and (when the stack's text shows no emulator gap) the emulator
    apply side by side: the apply spends most of its time waiting on the provider (~55 s on an S3
    lifecycle configuration), so the plan and validate gates are no longer on the critical path.
    Each gate keeps its verdict: a failed validate or plan stops the apply and fails it as before,
    and a plan that shows gaps or substitutions after all replaces the early apply with the
    targeted one."""
    results = [_timed("terraform_init", _init, tf, work, timeout_s)]
    if not results[-1].passed:
        return _failed_from(1, "terraform init failed", results)
    plan_dir = _copy_stack(work, "plan")
    with ExitStack() as stack:
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=1))
        early, emulator_error = None, ""
        try:
            early = _start_early_apply(tf, work, timeout_s, stack)
        except EmulatorError as exc:
            emulator_error = str(exc)

        def aside(func, *args):  # next to a running apply, validate and plan yield the CPU to it
            with lower_priority(ASIDE_NICE if early else 0):
                return func(*args)

        validating = pool.submit(aside, _timed, "terraform_validate", _validate, tf, work, timeout_s)
        try:
            plan = None if emulator_error else aside(_plan_on_emulator, tf, plan_dir, timeout_s, stack)
        except EmulatorError as exc:
            emulator_error = str(exc)
        results.append(validating.result())
        if not results[-1].passed:
            return _failed_from(2, "terraform validate failed", results)
        if emulator_error or plan is None:
            return _failed_from(2, emulator_error, results)
        results.append(plan)
        if not plan.passed:
            no_vars = plan.details.startswith(f"no {TFVARS}")
            return _failed_from(3, f"no {TFVARS}" if no_vars else "terraform plan failed", results)
        results.append(_apply_destroy(tf, plan_dir, timeout_s, plan.summary["planned"], early))
    return results


def _copy_stack(work: Path, name: str) -> Path:
    """A copy of the initialised stack (its provider links included) to run a command in."""
    target = work.parent / name
    shutil.copytree(work, target, symlinks=True)
    return target


def _start_early_apply(tf: Terraform, work: Path, timeout_s: float,
                       stack: ExitStack) -> Background | None:
    """Start the emulator apply on its own copy and emulator, or None when the stack may need
    targets or substitutions (those come from the plan, so that apply waits for it)."""
    if not (work / TFVARS).exists() or not may_apply_early(work):
        return None
    apply_dir = _copy_stack(work, "apply")
    url = stack.enter_context(moto_server())
    (apply_dir / OVERRIDE_FILE).write_text(provider_override(url))
    early = tf.start([*APPLY, f"-var-file={TFVARS}"], apply_dir, min(timeout_s, 600))
    stack.callback(early.kill)  # a failed validate or plan, or an error: stop it
    return early


def may_apply_early(stack_dir: Path) -> bool:
    """No emulator gap type, unknown managed policy or too-new instance family appears in the
    stack's text (a conservative test: the plan has the last word)."""
    data = _gap_data()
    hints = ([f'"{kind}"' for kind in data["gaps"]] + list(data.get("managed_policies", {}))
             + [f"ml.{family}." for family in data["instance_families"]])
    text = "\n".join(p.read_text(errors="replace") for p in sorted(stack_dir.glob("**/*.tf*"))
                     if ".terraform" not in p.parts and p.suffix in (".tf", ".tfvars"))
    return not any(hint in text for hint in hints)


def _plan_on_emulator(tf: Terraform, plan_dir: Path, timeout_s: float,
                      stack: ExitStack) -> CheckResult:
    if not (plan_dir / TFVARS).exists():
        return CheckResult(name="terraform_plan", passed=False,
                           details=f"no {TFVARS}: required variables have no values")
    url = stack.enter_context(moto_server())  # data sources (STS, AZs) answer from an emulator
    (plan_dir / OVERRIDE_FILE).write_text(provider_override(url))
    return _timed("terraform_plan", _plan, tf, plan_dir, timeout_s)


def _init(tf: Terraform, work: Path, timeout_s: float) -> CheckResult:
    (work / BACKEND_OVERRIDE).write_text(LOCAL_BACKEND)  # state stays in the scratch copy
    with file_lock(tf.cache / ".init.lock"):  # the plugin cache is not safe for parallel writes
        run = tf.run(["init", "-input=false", "-no-color"], work,
                     min(timeout_s, 180))
    if run.timed_out:
        return CheckResult(name="", passed=False, details="terraform init timed out")
    ok = run.returncode == 0
    return CheckResult(name="", passed=ok, details=("providers from the offline mirror"
                                                    if ok else diagnostics(run.stdout + run.stderr)))


def _validate(tf: Terraform, work: Path, timeout_s: float) -> CheckResult:
    run = tf.run(["validate", "-json", "-no-color"], work, min(timeout_s, 180))
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return CheckResult(name="", passed=False, details=diagnostics(run.stdout + run.stderr))
    errors = [_where(d) + f"{d.get('summary')}: {d.get('detail', '')}".strip()
              for d in report.get("diagnostics", []) if d.get("severity") == "error"]
    return CheckResult(name="", passed=bool(report.get("valid")) and not errors,
                       details="\n".join(errors)[:1500] or "configuration is valid",
                       summary={"errors": len(errors)})


def _where(diagnostic: dict) -> str:
    where = diagnostic.get("range") or {}
    return f"{where['filename']}:{where['start']['line']}: " if "filename" in where else ""


def _plan(tf: Terraform, work: Path, timeout_s: float) -> CheckResult:
    run = tf.run(["plan", "-input=false", "-no-color", "-lock=false", f"-var-file={TFVARS}",
                  f"-parallelism={PARALLELISM}", "-out=tfplan"], work, min(timeout_s, 300))
    if run.timed_out or run.returncode != 0:
        why = "terraform plan timed out" if run.timed_out else diagnostics(run.stdout + run.stderr)
        return CheckResult(name="", passed=False, details=why)
    show = tf.run(["show", "-json", "tfplan"], work, min(timeout_s, 120))
    plan = json.loads(show.stdout)
    planned = sorted(c["address"] for c in plan.get("resource_changes", [])
                     if c.get("mode") == "managed" and "create" in c["change"]["actions"])
    (work / "plan.json").write_text(show.stdout)
    return CheckResult(name="", passed=True, details=f"{len(planned)} resources to create",
                       summary={"planned": planned})


def _apply_destroy(tf: Terraform, work: Path, timeout_s: float, planned: list[str],
                   early: Background | None) -> CheckResult:
    started = time.perf_counter()
    plan = json.loads((work / "plan.json").read_text())
    skipped = not_emulated(plan, planned)
    swaps = emulator_substitutions(plan)
    overrides = [f"-var={name}={new}" for name, (_, new) in swaps.items()]
    early_used = early is not None and not skipped and not swaps
    if early_used:
        apply, work, started = early.wait(), early.cwd, early.started
    else:
        if early is not None:
            early.kill()  # the plan shows targets or substitutions the early apply lacks
        targets = [f"-target={a}" for a in planned if a not in skipped] if skipped else []
        replan = bool(targets or overrides)
        args = [*APPLY, *([f"-var-file={TFVARS}", *overrides, *targets] if replan else ["tfplan"])]
        apply = tf.run(args, work, min(timeout_s, 600))
    created = created_resources(work)
    _unprotect(tf, work, timeout_s, created, overrides)
    kept = _forget_undeletable(tf, work, timeout_s, created)
    # The state was written by the apply just before: a refresh would only re-read every
    # resource from the emulator (10-25 s a stack here) to find no drift.
    destroy = tf.run(["destroy", "-refresh=false", "-input=false", "-no-color", "-auto-approve", "-lock=false",
                      f"-parallelism={PARALLELISM}", f"-var-file={TFVARS}", *overrides], work,
                     min(timeout_s, 600))
    summary = {"planned": len(planned), "created": len(created), "early_apply": early_used,
               "not_emulated": sorted(skipped), "not_created": sorted(set(planned) - set(created)),
               "not_destroyed": kept,
               "substituted": {name: f"{old} -> {new}" for name, (old, new) in swaps.items()}}
    problems = []
    if apply.timed_out or apply.returncode != 0:
        problems.append("apply: " + ("timed out" if apply.timed_out
                                     else diagnostics(apply.stdout + apply.stderr)))
    if destroy.timed_out or destroy.returncode != 0:
        problems.append("destroy: " + ("timed out" if destroy.timed_out
                                       else diagnostics(destroy.stdout + destroy.stderr)))
    details = (f"created {len(created)} of {len(planned)} planned resources on the emulator, "
               f"then destroyed them{f' but {len(kept)} moto cannot delete' if kept else ''}; "
               f"not emulated: {len(skipped)}"
               + (f" ({', '.join(sorted({a.split('.')[0] for a in skipped}))})" if skipped else "")
               + "".join(f"; {name} applied as {new} (emulator list predates {old})"
                         for name, (old, new) in swaps.items()))
    return CheckResult(name="terraform_apply_emulator", passed=not problems, summary=summary,
                       details="\n".join(problems) or details,
                       seconds=round(time.perf_counter() - started, 3))


def created_resources(work: Path) -> list[str]:
    """Managed resource instances in the stack's local state: what ``terraform state list``
    prints, data sources aside, read from the file (no terraform process, ~1 s on 2 busy cores)."""
    path = work / "terraform.tfstate"
    state = json.loads(path.read_text()) if path.exists() else {}
    created = []
    for resource in state.get("resources", []):
        if resource.get("mode") != "managed":
            continue
        module = f"{resource['module']}." if resource.get("module") else ""
        address = f"{module}{resource['type']}.{resource['name']}"
        for instance in resource.get("instances", []):
            key = instance.get("index_key")
            created.append(address if key is None else f"{address}[{json.dumps(key)}]")
    return sorted(created)


def _unprotect(tf: Terraform, work: Path, timeout_s: float, created: list[str],
               overrides: list[str]) -> None:
    """Turn off deletion protection of created resources so the destroy can run."""
    settings = _gap_data().get("unprotect", {})
    protected = sorted({a.split("[")[0] for a in created if a.split(".")[0] in settings})
    if not protected:
        return
    blocks = []
    for address in protected:
        type_, name = address.split(".")
        body = "\n".join(f"  {k} = {v}" for k, v in settings[type_].items())
        blocks.append(f'resource "{type_}" "{name}" {{\n{body}\n}}\n')
    (work / UNPROTECT_OVERRIDE).write_text("\n".join(blocks))
    tf.run(["apply", "-input=false", "-no-color", "-auto-approve", "-lock=false",
            f"-var-file={TFVARS}", *overrides, *(f"-target={a}" for a in protected)],
           work, min(timeout_s, 300))


def _forget_undeletable(tf: Terraform, work: Path, timeout_s: float, created: list[str]) -> list[str]:
    """Drop from the state the created resources moto never finishes deleting ([destroy_gaps]);
    returns them (they stay on the emulator, which is thrown away)."""
    gaps = _gap_data().get("destroy_gaps", {})
    kept = [a for a in created if a.split(".")[0] in gaps]
    if kept:
        tf.run(["state", "rm", "-lock=false", *kept], work, min(timeout_s, 120))
    return kept


def _references(node) -> set[str]:
    """Every ``references`` entry anywhere in a plan-JSON expression tree."""
    found: set[str] = set()
    if isinstance(node, dict):
        found.update(r for r in node.get("references", []) if isinstance(r, str))
        for value in node.values():
            found |= _references(value)
    elif isinstance(node, list):
        for value in node:
            found |= _references(value)
    return found


def _refers(reference: str, addresses: set[str]) -> bool:
    """``aws_x.y.arn`` and ``aws_x.y[0]`` refer to ``aws_x.y``."""
    return any(reference == a or reference.startswith((f"{a}.", f"{a}[")) for a in addresses)


def not_emulated(plan: dict, planned: list[str]) -> set[str]:
    """Planned addresses of emulator-gap types plus everything that (transitively) refers to them."""
    gaps = emulator_gaps()
    config = plan.get("configuration", {}).get("root_module", {}).get("resources", [])
    refs = {r["address"]: _references(r.get("expressions", {})) | set(r.get("depends_on", []))
            for r in config}
    bad = {r["address"] for r in config if r.get("type") in gaps and r.get("mode") == "managed"}
    policies = tuple(_gap_data().get("managed_policies", {}))
    bad |= {c["address"].split("[")[0] for c in plan.get("resource_changes", [])
            if str((c.get("change", {}).get("after") or {}).get("policy_arn", "")).endswith(policies)
            and policies}
    changed = True
    while changed:
        grown = {a for a, deps in refs.items() if a not in bad and any(_refers(d, bad) for d in deps)}
        changed = bool(grown)
        bad |= grown
    return {a for a in planned if a.split("[")[0] in bad}
