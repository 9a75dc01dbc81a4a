"""Reference pages generated from the code, so they cannot drift from it.

``{agilab-config}`` lists every configurable traitlet of ``AgilabLabApp`` that agilab-lab defines,
``{agilab-rest}`` every route and method of the REST API (with the OpenAPI summaries),
``{agilab-cli}`` every ``agilab-lab`` subcommand with its usage and options.
Each directive renders Markdown built from the live objects and parses it in place (MyST).
"""

from __future__ import annotations

import argparse

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown (MyST) pipe table."""
    return [f"| {' | '.join(row)} |" for row in [headers, ["---"] * len(headers), *rows]]


def _code(text: str) -> str:
    return f"`{text}`" if text else "(empty)"


def _one_line(text: str) -> str:
    return " ".join((text or "").split()).replace("|", "\\|") or "-"


def config_traits() -> dict:
    """The traitlets agilab-lab adds to a Jupyter server extension, by name."""
    from jupyter_server.extension.application import ExtensionApp

    from agilab_lab.app import AgilabLabApp

    inherited = set(ExtensionApp.class_trait_names(config=True))
    traits = AgilabLabApp.class_traits(config=True)
    return {name: trait for name, trait in sorted(traits.items()) if name not in inherited}


def config_rows() -> list[list[str]]:
    from agilab_lab.app import AgilabLabApp

    rows = []
    for name, trait in config_traits().items():
        # a @default("name") method computes the value at start (e.g. the home from the environment)
        default = "computed" if hasattr(AgilabLabApp, f"_default_{name}") else _code(trait.default_value_repr())
        rows.append([_code(name), type(trait).__name__, default, _one_line(trait.help)])
    return rows


def rest_rows() -> list[list[str]]:
    from agilab_lab.server import all_routes

    return [[_code(method.upper()), _code(route.path), _one_line(op.summary)]
            for route in all_routes() for method, op in route.ops.items()]


def cli_commands() -> dict[str, argparse.ArgumentParser]:
    from agilab_lab.cli import build_parser

    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def cli_lines() -> list[str]:
    from agilab_lab.cli import build_parser

    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    lines: list[str] = []
    for name, sub in cli_commands().items():
        lines += [f"**`agilab-lab {name}`**: {_one_line(helps.get(name, ''))}", "", "```text"]
        lines += sub.format_help().splitlines()
        lines += ["```", ""]
    return lines


class _Generated(SphinxDirective):
    has_content = False

    def lines(self) -> list[str]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        container.document = self.state.document
        self.state.nested_parse(StringList(self.lines(), source="(generated)"), self.content_offset, container)
        return list(container.children)


class ConfigDirective(_Generated):
    def lines(self) -> list[str]:
        return _table(["setting", "type", "default", "meaning"], config_rows())


class RestDirective(_Generated):
    def lines(self) -> list[str]:
        return _table(["method", "path", "what it does"], rest_rows())


class CliDirective(_Generated):
    def lines(self) -> list[str]:
        return cli_lines()


def setup(app):
    app.add_directive("agilab-config", ConfigDirective)
    app.add_directive("agilab-rest", RestDirective)
    app.add_directive("agilab-cli", CliDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
