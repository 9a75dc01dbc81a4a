"""``%agilab`` line magics: the runtime from a notebook, through the same Python API as the CLI.

    %load_ext agilab_lab.magics
    %agilab apps
    record = %agilab run flight_telemetry --mode dask --set flights=40

``run`` returns the :class:`~agilab_lab.runtime.RunRecord`; progress goes to stderr as in the CLI.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from IPython.core.magic import Magics, line_magic, magics_class

from .cli import CLIError
from .cli.runtime import _add_target_options, _Progress, _workers, parse_sets


def _run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="%agilab run", add_help=False, exit_on_error=False)
    _add_target_options(parser)
    parser.add_argument("--set", dest="sets", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=None)
    parser.add_argument("--retries", type=int, default=1)
    return parser


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

    @line_magic
    def agilab(self, line: str):
        """``%agilab apps`` | ``%agilab run APP [--mode M] [--scheduler A] [--workers N] [--set k=v ...]``."""
        from .runtime.errors import RuntimeFailure

        command, _, rest = line.strip().partition(" ")
        try:
            if command == "apps":
                return [app["name"] for app in self.agi.apps()]
            if command == "run":
                return self._run(rest)
            raise CLIError("usage: %agilab apps | %agilab run APP [options]")
        except (CLIError, RuntimeFailure, argparse.ArgumentError) as exc:
            print(f"agilab: error: {exc}", file=sys.stderr)
            return None

    def _run(self, rest: str):
        try:
            args = _run_parser().parse_args(shlex.split(rest))
        except SystemExit:  # argparse exits on some errors even with exit_on_error=False
            raise CLIError(f"cannot parse: {rest}") from None
        return self.agi.run(
            args.app, mode=args.mode, scheduler=args.scheduler, workers=_workers(args), timeout_s=args.timeout,
            retries=args.retries, on_event=_Progress(sys.stderr), **parse_sets(args.sets),
        )


def load_ipython_extension(ipython) -> None:
    ipython.register_magics(AgilabMagics)
