"""Runtime subcommands: ``apps``, ``install``, ``run``, ``new-app``, ``export-notebook`` (DESIGN.md's CLI)."""

from __future__ import annotations

import json
import sys
import tomllib
from typing import Any

from . import CLIError


def add_parsers(subparsers) -> None:
    apps = subparsers.add_parser("apps", help="list the runtime apps")
    apps.add_argument("--json", action="store_true", help="print JSON")
    apps.set_defaults(func=list_apps)

    install = subparsers.add_parser("install", help="seed an app's settings and build (and ship) its worker")
    _add_target_options(install)
    install.set_defaults(func=install_app)

    run = subparsers.add_parser("run", help="run an app")
    _add_target_options(run)
    run.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                     help="override an argument of the app (value in TOML syntax, or a bare string)")
    run.add_argument("--timeout", type=float, default=None, help="seconds before the run is failed")
    run.add_argument("--retries", type=int, default=1, help="re-runs of a task whose Dask worker is lost")
    run.set_defaults(func=run_app)

    new_app = subparsers.add_parser("new-app", help="create an app from a template or a generated design")
    new_app.add_argument("name", help="app name (a Python identifier)")
    source = new_app.add_mutually_exclusive_group()
    source.add_argument("--template", choices=["polars", "pandas", "dag"], default="polars")
    source.add_argument("--from-design", metavar="DECISION_SET_ID",
                        help="the generated repository's training / batch pipeline as an app")
    new_app.add_argument("--dir", default=".", help="parent directory of the new app (default: .)")
    new_app.set_defaults(func=create_app)

    export = subparsers.add_parser("export-notebook", help="write a notebook that reproduces a run")
    export.add_argument("run_id", help="the run to export")
    export.add_argument("--out", help="notebook file (default: ./agilab-runs/<app>-<run>.ipynb)")
    export.set_defaults(func=export_notebook)


def _add_target_options(parser) -> None:
    parser.add_argument("app", help="app name or app directory")
    parser.add_argument("--mode", choices=["local", "pool", "dask"], default="local")
    parser.add_argument("--scheduler", help="address of an existing Dask scheduler (mode dask)")
    parser.add_argument("--workers", type=int, help="worker count (local, pool, on-demand LocalCluster)")
    parser.add_argument("--ssh", action="append", default=[], metavar="HOST[:PORT]=N",
                        help="run Dask workers on an SSH host (repeatable; mode dask)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")


def parse_sets(pairs: list[str]) -> dict[str, Any]:
    """``["flights=40", "data_dir=/data"]`` -> ``{"flights": 40, "data_dir": "/data"}``."""
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise CLIError(f"--set expects KEY=VALUE, got {pair!r}")
        try:
            values[key.strip()] = tomllib.loads(f"v = {raw}")["v"]
        except Exception:  # not a TOML literal: take it as a string
            values[key.strip()] = raw
    return values


def _workers(args) -> int | dict[str, int] | None:
    if not args.ssh:
        return args.workers
    hosts: dict[str, int] = {}
    for entry in args.ssh:
        host, _, count = entry.rpartition("=")
        if not host or not count.isdigit():
            raise CLIError(f"--ssh expects HOST[:PORT]=N, got {entry!r}")
        hosts[host] = int(count)
    return hosts


def _agi(light: bool = False):
    """``light``: a Lab on the stdlib SQLite store when possible (no SQLAlchemy import; local runs)."""
    from ..core import Lab
    from ..runtime import AGI

    return AGI(Lab.open(light=light))


def _calling(func, *args, **kwargs):
    """Call the runtime; its user errors become one-line CLI errors (exit code 2)."""
    from ..runtime.errors import BadArgs, RuntimeFailure

    try:
        return func(*args, **kwargs)
    except (BadArgs, RuntimeFailure) as exc:
        raise CLIError(str(exc)) from exc


def list_apps(args) -> int:
    apps = _agi().apps()
    if args.json:
        print(json.dumps(apps, indent=2))
    else:
        for app in apps:
            print(f"{app['name']:<24} {app['description']}")
    return 0


def install_app(args) -> int:
    report = _calling(_agi().install, args.app, mode=args.mode, scheduler=args.scheduler, workers=_workers(args))
    print(json.dumps(report, indent=2) if args.json else f"installed {report['app']}: {report['artifact']}")
    return 0


class _Progress:
    """Run events as short lines on stderr (bound at start: local runs redirect sys.stderr)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr

    def __call__(self, kind: str, payload: dict[str, Any]) -> None:
        if kind == "log":
            line = f"  [{payload.get('worker')}] {payload.get('line')}"
        elif kind == "status":
            line = f"{payload.get('state')}" + (f": {payload['error']}" if payload.get("error") else "")
        elif kind == "worker":
            line = f"  worker {payload.get('worker')} {payload.get('state')}"
        else:
            return
        print(line, file=self.stream, flush=True)


def run_app(args) -> int:
    agi = _agi(light=args.mode == "local")  # pool and dask import far more than SQLAlchemy anyway
    record = _calling(
        agi.run, args.app, mode=args.mode, scheduler=args.scheduler, workers=_workers(args),
        timeout_s=args.timeout, retries=args.retries, on_event=_Progress(), **parse_sets(args.sets),
    )
    if args.json:
        print(json.dumps(record.cli_json()))
    else:
        print(f"run {record.id} {record.status} in {record.seconds:.2f} s")
        print(json.dumps(record.result, indent=2))
    if record.status != "succeeded":
        print(f"agilab-lab: run {record.id} failed: {(record.error or '').splitlines()[0]}", file=sys.stderr)
        return 1
    return 0


def create_app(args) -> int:
    from pathlib import Path

    from ..core import Lab
    from ..runtime.templates import create_app as scaffold

    lab = Lab.open()
    if args.from_design:
        from ..runtime.bridge import create_app_from_design, design_ref

        design = _calling(design_ref, lab, args.from_design)
        path = _calling(create_app_from_design, design, args.name, Path(args.dir), lab.home)
    else:
        path = _calling(scaffold, args.name, args.template, Path(args.dir), lab.home)
    print(str(path))
    return 0


def export_notebook(args) -> int:
    from pathlib import Path

    from ..notebooks import export_run_notebook

    out = Path(args.out) if args.out else None
    print(str(_calling(export_run_notebook, _agi(), args.run_id, out=out)))
    return 0
