"""``agilab-lab design``: requirements file -> a designed (and, if approved, generated) decision set.

stdout carries the result (``--json``: exactly the object of DESIGN.md); progress and reason
cards go to stderr. Exit 0 whenever the run ends as designed, including a policy rejection, an
infeasible verdict or a wait for input/approval; 1 when the run itself failed; 2 for bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import CLIError

MAX_REQUIREMENTS_BYTES = 200_000


def add_parsers(subparsers) -> None:
    design = subparsers.add_parser("design", help="design an MLOps architecture from a requirements file")
    design.add_argument("--requirements", required=True, metavar="FILE", help="requirements text (markdown or plain)")
    design.add_argument("--out", required=True, metavar="DIR", help="directory for the report and the generated repo")
    design.add_argument("--project", metavar="ID", help="add a new version to this project's decision sets")
    design.add_argument("--auto-approve", action="store_true",
                        help="approve automatically when the policy passes (never answers clarifying questions)")
    design.add_argument("--provider", choices=("offline", "anthropic"), help="LLM provider (default: settings)")
    design.add_argument("--json", action="store_true", help="print the result as one JSON object")
    design.set_defaults(func=run_design)


def read_requirements(path: str) -> str:
    file = Path(path)
    if not file.is_file():
        raise CLIError(f"requirements file not found: {path}")
    if file.stat().st_size > MAX_REQUIREMENTS_BYTES:
        raise CLIError(f"requirements file is larger than {MAX_REQUIREMENTS_BYTES} bytes: {path}")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CLIError(f"requirements file is not UTF-8 text: {path}") from exc
    if not text.strip():
        raise CLIError(f"requirements file is empty: {path}")
    return text


def prepare_out_dir(path: str) -> Path:
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise CLIError(f"--out is not a directory: {path}")
    out.mkdir(parents=True, exist_ok=True)
    return out.resolve()


def _stderr(message: str) -> None:
    print(f"agilab-lab design: {message}", file=sys.stderr, flush=True)


def run_design(args) -> int:
    text = read_requirements(args.requirements)
    out = prepare_out_dir(args.out)
    from ..agents.designer import Designer, DesignerError
    from ..agents.providers import ProviderError, get_provider
    from ..agents.views import design_output
    from ..core import Lab
    from ..settings import load_settings

    try:
        lab = Lab.open(load_settings(provider=args.provider))
        # Resolved here: a missing API key is bad input, not a failed run.
        provider = get_provider(lab.settings)
        designer = Designer(lab, provider=provider, progress=_stderr,
                            on_card=lambda card: _stderr(f"[{card.agent}] {card.title}"))
    except (ValueError, ProviderError) as exc:
        raise CLIError(str(exc)) from exc
    try:
        project_id = args.project or designer.create_project(Path(args.requirements).stem).id
        ds = designer.new_decision_set(project_id, text=text, auto_approve=args.auto_approve, out_dir=str(out))
    except DesignerError as exc:
        raise CLIError(exc.message) from exc
    try:
        ds = designer.run(ds.id)
    except Exception as exc:  # the run failed: the decision set records why, the output says so
        print(f"agilab-lab: design failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        ds = designer.get_decision_set(ds.id)
    result = design_output(ds)
    (out / "design.json").write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if ds.summary_md:
        (out / "architecture_report.md").write_text(ds.summary_md, encoding="utf-8")
    _stderr(f"{ds.status} (decision set {ds.id}, version {ds.version})")
    if args.json:
        print(json.dumps(result))
    else:
        _print_summary(result)
    return 1 if ds.status == "failed" else 0


def _print_summary(result: dict) -> None:
    print(f"status: {result['status']}  decision set: {result['decision_set_id']} (v{result['version']})")
    cost = ((result.get("critics") or {}).get("cost") or {}).get("monthly_usd")
    if result.get("plan"):
        plan = result["plan"]
        print(f"plan: {plan['cloud']} {plan['region']}" + (f", ${cost:,.0f}/month" if cost is not None else ""))
        for comp in plan["components"]:
            print(f"  {comp['capability']:<12} {comp['service']}")
    for violation in (result.get("policy") or {}).get("violations", []):
        print(f"policy: [{violation['rule']}] {violation['message']}")
    for question in (result.get("constraints") or {}).get("open_questions", []):
        print(f"question: {question}")
    if result.get("zip"):
        print(f"zip: {result['zip']}")
