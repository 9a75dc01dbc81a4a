"""``agilab-lab validate`` and ``agilab-lab diff``: static checks and version diffs of generated repos.

``validate ZIP_OR_DIR`` exits 0 when every check passed, 1 when one failed, 2 for bad input.
``diff A B`` compares two generated decision sets of the same project (ids, or ``PROJECT:vN``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import CLIError


def add_parsers(subparsers) -> None:
    validate = subparsers.add_parser("validate", help="statically validate a generated repository")
    validate.add_argument("target", metavar="ZIP_OR_DIR", help="generated repository (zip or directory)")
    validate.add_argument("--timeout", type=float, default=300.0, help="time limit of each checker (s)")
    validate.add_argument("--json", action="store_true", help="print the report as one JSON object")
    validate.set_defaults(func=run_validate)

    diff = subparsers.add_parser("diff", help="diff two generated decision sets of a project")
    diff.add_argument("a", metavar="DECISION_SET_A")
    diff.add_argument("b", metavar="DECISION_SET_B")
    diff.add_argument("--json", action="store_true", help="print the diff as one JSON object")
    diff.set_defaults(func=run_diff)


def run_validate(args) -> int:
    from ..repogen.validate import validate

    target = Path(args.target)
    if not target.exists():
        raise CLIError(f"no such file or directory: {args.target}")
    if target.is_file() and target.suffix != ".zip":
        raise CLIError(f"not a zip file or a directory: {args.target}")
    print(f"validating {target} ...", file=sys.stderr)
    try:
        report = validate(target, timeout_s=args.timeout)
    except (OSError, ValueError) as exc:  # unreadable zip, unsafe entries
        raise CLIError(f"cannot validate {args.target}: {exc}") from exc
    if args.json:
        print(report.model_dump_json())
    else:
        for check in report.checks:
            status = "skipped" if check.skipped else ("ok" if check.passed else "FAILED")
            first = check.details.splitlines()[0] if check.details else ""
            print(f"{status:8} {check.name:24} {check.seconds:6.1f}s  {first}")
        print(f"{'passed' if report.passed else 'FAILED'}; reports in {report.reports_dir}")
    return 0 if report.passed else 1


def _locate(home: Path, ref: str) -> tuple[str, int]:
    """(project id, version) of a decision set id, or of ``PROJECT:vN`` / ``PROJECT:N``."""
    from ..store.gitrepo import find_decision_set

    if ":" in ref:
        project, _, version = ref.partition(":")
        if not version.lstrip("v").isdigit():
            raise CLIError(f"bad version in {ref!r}: expected PROJECT:vN")
        return project, int(version.lstrip("v"))
    try:
        found = _from_store(ref) or find_decision_set(home, ref)
    except ValueError as exc:
        raise CLIError(str(exc)) from exc
    if found is None:
        raise CLIError(f"no generated decision set {ref!r}")
    return found


def _from_store(decision_set_id: str) -> tuple[str, int] | None:
    """The database knows every decision set; the git tags only the generated ones."""
    from ..core import Lab
    from ..store.models import DecisionSet

    with Lab.open().store.session() as session:
        row = session.get(DecisionSet, decision_set_id)
        return (row.project_id, row.version) if row is not None else None


def run_diff(args) -> int:
    from ..settings import load_settings
    from ..store.gitrepo import ProjectRepo, VersionNotFoundError

    home = load_settings().home_path
    (project_a, version_a), (project_b, version_b) = _locate(home, args.a), _locate(home, args.b)
    if project_a != project_b:
        raise CLIError(f"{args.a} and {args.b} belong to different projects")
    try:
        result = ProjectRepo(home, project_a).diff(version_a, version_b)
    except (VersionNotFoundError, ValueError) as exc:
        raise CLIError(str(exc)) from exc
    result["from"], result["to"] = args.a, args.b
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{args.a} -> {args.b}: {len(result['files'])} files changed, cost "
          f"{result['cost_delta_usd']:+.2f} USD/month ({result['cost_delta_pct']:+.2f}%)")
    for change in result["plan_changes"]:
        print(f"  plan {change['capability']}: {change['from']} -> {change['to']}")
    for item in result["files"]:
        print(f"\n# {item['change']}: {item['path']}\n{item['patch']}")
    return 0
