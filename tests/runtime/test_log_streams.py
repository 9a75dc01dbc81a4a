"""Captured worker output keeps the stream each line came from (the Lab labels it)."""

from __future__ import annotations

import logging
import sys

from agilab_lab.runtime.node.executor import _captured


def test_captured_lines_carry_their_worker_and_stream():
    events = []
    with _captured("w0", lambda kind, payload: events.append((kind, payload))) as lines:
        print("to stdout")
        print("to stderr", file=sys.stderr)
        logging.getLogger("app").warning("logged")
    assert [(kind, p["worker"], p["stream"], p["line"]) for kind, p in events] == [
        ("log", "w0", "stdout", "to stdout"),
        ("log", "w0", "stderr", "to stderr"),
        ("log", "w0", "stderr", "WARNING app: logged"),
    ]
    assert lines == ["to stdout", "to stderr", "WARNING app: logged"]


def test_an_emitter_that_prints_does_not_feed_itself():
    events = []

    def emit(kind, payload):
        events.append(payload["line"])
        print(f"echo {payload['line']}")  # local mode: the emitter runs inside the capture

    with _captured("w0", emit) as lines:
        print("once")
    assert events == ["once"] and lines == ["once", "echo once"]
