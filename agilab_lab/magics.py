"""Notebook magics: the runtime and the designer through the same Python API as the CLI.

    %load_ext agilab_lab.magics
    %agilab apps
    record = %agilab run flight_telemetry --mode dask --set flights=40
    %agilab runs [APP]

    %%agilab_design [--project NAME_OR_ID] [--auto-approve]
    <requirements text>

    %agilab designs
    %agilab approve DECISION_SET_ID [--comment TEXT]
    %agilab reject DECISION_SET_ID --comment TEXT
    %agilab revise DECISION_SET_ID --comment TEXT
    %agilab answer DECISION_SET_ID --text TEXT

``run`` returns the :class:`~agilab_lab.runtime.RunRecord`, design commands a :class:`DesignOutput`;
both render as HTML. Progress and reason cards stream while the work runs.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import dataclass, field
from typing import Any

from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.display import HTML, display

from .cli import CLIError
from .cli.runtime import _add_target_options, _Progress, _workers, parse_sets
from .reprs import decision_set_html, runs_html, table

USAGE = ("usage: %agilab apps | run APP [options] | runs [APP] | designs | "
         "approve|reject|revise ID [--comment TEXT] | answer ID --text TEXT")


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting the kernel."""

    def error(self, message: str):
        raise CLIError(f"{self.prog}: {message}")


def _run_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="%agilab run", add_help=False)
    _add_target_options(parser)
    parser.add_argument("--set", dest="sets", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=None)
    parser.add_argument("--retries", type=int, default=1)
    return parser


def _decision_parser(decision: str) -> argparse.ArgumentParser:
    parser = _Parser(prog=f"%agilab {decision}", add_help=False)
    parser.add_argument("decision_set_id")
    parser.add_argument("--comment", default="")
    parser.add_argument("--text", default="")
    return parser


def _design_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="%%agilab_design", add_help=False)
    parser.add_argument("--project", help="project id or name (created when new)")
    parser.add_argument("--auto-approve", action="store_true")
    return parser


@dataclass
class RunList:
    records: list

    def _repr_html_(self) -> str:
        return runs_html(self.records)

    def __iter__(self):
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


@dataclass
class DesignOutput:
    """A decision set as the designer left it, with the reason cards this call streamed."""

    view: dict[str, Any]
    cards: list[dict[str, Any]] = field(default_factory=list)

    id = property(lambda self: self.view["id"])
    status = property(lambda self: self.view["status"])
    zip = property(lambda self: self.view.get("zip"))

    def _repr_html_(self) -> str:
        return decision_set_html(self.view, self.cards)

    def __repr__(self) -> str:
        return f"<DesignOutput {self.id} v{self.view['version']} {self.status}>"


class _CardStream:
    """Reason cards as they arrive, in one output area updated in place."""

    def __init__(self):
        self.cards: list[dict[str, Any]] = []
        self.handle = display(HTML("<i>designing…</i>"), display_id=True)

    def __call__(self, card) -> None:
        self.cards.append(card.model_dump(mode="json"))
        rows = [[c["agent"], c["title"], c["confidence"]] for c in self.cards]
        if self.handle is not None:
            self.handle.update(HTML(table(["agent", "reason card", "confidence"], rows)))


@magics_class
class AgilabMagics(Magics):
    """One AGI per notebook kernel, opened on first use with the Jupyter config of the kernel."""

    _agi = None

    @property
    def agi(self):
        if self._agi is None:
            from .core import Lab
            from .runtime import AGI

            self._agi = AGI(Lab.open())
        return self._agi

    def designer(self, on_card=None):
        from .agents.designer import Designer

        return Designer(self.agi.lab, on_card=on_card,
                        progress=lambda message: print(f"agilab design: {message}", file=sys.stderr, flush=True))

    @line_magic
    def agilab(self, line: str):
        """``%agilab COMMAND ...``: see the module docstring for the commands."""
        command, _, rest = line.strip().partition(" ")
        handlers = {"apps": self._apps, "run": self._run, "runs": self._runs, "designs": self._designs,
                    "approve": self._decide, "reject": self._decide, "revise": self._decide, "answer": self._answer}
        if command not in handlers:
            return _fail(CLIError(USAGE))
        return self._guarded(handlers[command], command, rest)

    @cell_magic
    def agilab_design(self, line: str, cell: str):
        """``%%agilab_design``: the cell is the requirements text; stops at the approval gate."""
        return self._guarded(self._design, line, cell)

    def _guarded(self, func, *args):
        from .agents.designer import DesignerError
        from .runtime.errors import RuntimeFailure

        try:
            return func(*args)
        except (CLIError, RuntimeFailure, DesignerError) as exc:
            return _fail(exc)

    # -- runtime ------------------------------------------------------------------------
    def _apps(self, command: str, rest: str):
        return [app["name"] for app in self.agi.apps()]

    def _run(self, command: str, rest: str):
        args = _run_parser().parse_args(shlex.split(rest))
        return self.agi.run(
            args.app, mode=args.mode, scheduler=args.scheduler, workers=_workers(args), timeout_s=args.timeout,
            retries=args.retries, on_event=_Progress(sys.stderr), **parse_sets(args.sets),
        )

    def _runs(self, command: str, rest: str):
        return RunList(self.agi.list_runs(app=rest.strip() or None, limit=20))

    # -- designer -----------------------------------------------------------------------
    def _design(self, line: str, cell: str):
        args = _design_parser().parse_args(shlex.split(line))
        if not cell.strip():
            raise CLIError("%%agilab_design: the cell body is the requirements text; it is empty")
        stream = _CardStream()
        designer = self.designer(on_card=stream)
        project_id = self._project(designer, args.project or cell.strip().splitlines()[0][:60])
        ds = designer.new_decision_set(project_id, text=cell, auto_approve=args.auto_approve)
        return self._output(designer, designer.run(ds.id), stream.cards)

    def _project(self, designer, name_or_id: str) -> str:
        for project in designer.list_projects():
            if name_or_id in (project.id, project.name):
                return project.id
        return designer.create_project(name_or_id).id

    def _decide(self, decision: str, rest: str):
        args = _decision_parser(decision).parse_args(shlex.split(rest))
        return self._resume(args.decision_set_id, {"decision": decision, "comment": args.comment})

    def _answer(self, command: str, rest: str):
        args = _decision_parser(command).parse_args(shlex.split(rest))
        return self._resume(args.decision_set_id, {"text": args.text})

    def _resume(self, decision_set_id: str, payload: dict[str, Any]):
        stream = _CardStream()
        designer = self.designer(on_card=stream)
        return self._output(designer, designer.answer(decision_set_id, payload), stream.cards)

    def _designs(self, command: str, rest: str):
        designer = self.designer()
        rows = []
        for project in designer.list_projects():
            for ds in designer.list_decision_sets(project.id):
                rows.append([project.name, ds.version, ds.status, ds.id, ds.created_at.isoformat(timespec="seconds")])
        return HTML(table(["project", "version", "status", "decision set", "created"], rows))

    @staticmethod
    def _output(designer, ds, cards) -> DesignOutput:
        from .agents.views import decision_set_view

        return DesignOutput(decision_set_view(designer.get_decision_set(ds.id)), cards)


def _fail(exc: Exception) -> None:
    message = getattr(exc, "message", None) or str(exc)
    print(f"agilab: error: {message}", file=sys.stderr)
    return None


def load_ipython_extension(ipython) -> None:
    ipython.register_magics(AgilabMagics)
