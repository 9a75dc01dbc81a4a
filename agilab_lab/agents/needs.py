"""Critics of unmet needs (issue 10): a stated preference no component uses, a workload need
(generation, embeddings, retrieval, a GPU, streaming) no component fills, and a batch job that
cannot finish in its window. Blocking findings send the plan back to the planner."""

from __future__ import annotations

from .catalogue import Catalogue
from .critics import Finding
from .planner import LLM_WORKLOADS, PlanResult, gpu_needs, normalise_tool
from .types import Constraints

#: Tools that are libraries or practices, not services a component could be: no finding for them.
PRACTICES = frozenset({
    "terraform", "pulumi", "cloudformation", "opentofu", "github-actions", "gitlab-ci", "jenkins", "python",
    "pytorch", "tensorflow", "xgboost", "lightgbm", "scikit-learn", "jupyter", "docker", "helm", "langchain",
    "llamaindex", "dvc", "great-expectations", "onnx", "looker", "tableau", "power-bi", "pandas", "polars",
    "argo", "git", "wandb",
})


def preference_findings(result: PlanResult, constraints: Constraints, catalogue: Catalogue) -> list[Finding]:
    """One finding per stated preference that no chosen component uses.

    Blocking when a component of the plan had an eligible alternative using it (another round
    with a heavier preference weight can honour it); a warning that names why otherwise."""
    plan = result.plan
    used = {t for c in plan.components for t in catalogue.get(c.option_id).tools}
    findings = []
    for tool in dict.fromkeys(normalise_tool(t) for t in constraints.tooling_prefer):
        if tool in used or tool in PRACTICES or tool in {normalise_tool(t) for t in constraints.tooling_avoid}:
            continue
        eligible = [(c, alt) for c in plan.components for alt in c.alternatives
                    if alt.score is not None and tool in catalogue.get(alt.option_id).tools]
        offered = [o for o in catalogue.options if tool in o.tools and o.runs_on(plan.cloud)]
        if eligible:
            comp, alt = eligible[0]
            findings.append(Finding(critic="technical", kind="preference", subject=tool, capability=comp.capability,
                                    message=f"stated preference {tool} is not used: {alt.service} would fill "
                                            f"{comp.capability} but {alt.reason_lost}"))
        else:
            why = (f"the {tool} options were not eligible ("
                   + "; ".join(sorted({a.reason_lost for c in plan.components for a in c.alternatives
                                       if a.option_id in {o.id for o in offered}})) + ")"
                   if offered else f"the catalogue has no {plan.cloud} component that uses {tool}")
            findings.append(Finding(critic="technical", kind="preference", subject=tool, blocking=False,
                                    message=f"stated preference {tool} is not met: {why}; "
                                            "confirm the replacement or add it by hand"))
    return findings


def need_findings(result: PlanResult, constraints: Constraints, catalogue: Catalogue) -> list[Finding]:
    """A workload need with no component: generation/embeddings/retrieval for RAG and LLM work,
    a GPU where the workload needs one, a stream for streaming."""
    plan, workloads = result.plan, set(constraints.workloads)
    wanted: dict[str, str] = {}
    if workloads & LLM_WORKLOADS or constraints.tokens_per_request is not None:
        wanted["generate"] = "a language model to generate answers"
    if "rag" in workloads:
        wanted |= {"embed": "embeddings of the corpus and queries", "vector": "a vector index to retrieve from"}
    if "streaming" in workloads:
        wanted["stream"] = "a stream to carry events"
    findings = [Finding(critic="technical", kind="need", capability=cap, subject=cap,
                        message=f"the workload needs {what} but the plan has no {cap} component")
                for cap, what in wanted.items() if plan.component(cap) is None]
    for cap, why in gpu_needs(constraints, catalogue).items():
        comp = plan.component(cap)
        if comp is not None and comp.sizing.get("accelerator") != "gpu":
            findings.append(Finding(critic="technical", kind="need", capability=cap, subject="gpu",
                                    option_ids=[comp.option_id],
                                    message=f"{why} needs a GPU for {cap}, but {comp.service} runs on CPU"))
    return findings


def window_findings(result: PlanResult) -> list[Finding]:
    """Jobs that do not finish in their window (blocking), and jobs scaled out to fit (noted)."""
    findings = []
    for comp in result.plan.components:
        run, window = comp.sizing.get("run_hours"), comp.sizing.get("window_hours")
        if run is None or window is None:
            continue
        if run > window:
            findings.append(Finding(critic="technical", kind="window", capability=comp.capability,
                                    option_ids=[comp.option_id],
                                    message=f"{comp.service} runs {run:,.1f} h but must finish in {window:g} h"))
        elif "scaled out" in comp.sizing.get("cost_basis", ""):
            findings.append(Finding(critic="technical", kind="scale_out", capability=comp.capability,
                                    blocking=False, option_ids=[comp.option_id],
                                    message=f"{comp.service} scaled out to {comp.sizing.get('units')} units so a run "
                                            f"takes {run:,.1f} h of its {window:g} h window"))
    return findings


def workload_findings(result: PlanResult, constraints: Constraints, catalogue: Catalogue) -> list[Finding]:
    return (need_findings(result, constraints, catalogue) + preference_findings(result, constraints, catalogue)
            + window_findings(result))
