"""``agilab-lab``: the command line. stdout carries data; progress and errors go to stderr.

Each area adds its subcommands from its own module (``add_parsers(subparsers)``); a
subcommand's function receives the parsed args and returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .._version import __version__

CLI_MODULES = (
    "agilab_lab.cli.core",
    "agilab_lab.cli.runtime",
    "agilab_lab.cli.designer",
    "agilab_lab.cli.repogen",
)


class CLIError(Exception):
    """Bad input from the user: printed as one line on stderr, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agilab-lab", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"agilab-lab {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in CLI_MODULES:
        importlib.import_module(name).add_parsers(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except CLIError as exc:
        print(f"agilab-lab: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("agilab-lab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
