"""A run's garbage collections skip the objects that existed before it, and give them back after."""

from __future__ import annotations

import gc
import threading

import pytest

from agilab_lab.runtime.gc_scope import collections_skip_older_objects


@pytest.fixture(autouse=True)
def nothing_frozen():
    """An in-process Jupyter server of an earlier test may have frozen the objects it found."""
    gc.unfreeze()


def test_objects_from_before_are_frozen_during_the_block_and_released_after():
    assert gc.get_freeze_count() == 0
    with collections_skip_older_objects():
        assert gc.get_freeze_count() > 0
        with collections_skip_older_objects():  # a nested (or concurrent) run
            pass
        assert gc.get_freeze_count() > 0  # the outer run still runs
    assert gc.get_freeze_count() == 0


def test_released_even_when_the_run_raises():
    try:
        with collections_skip_older_objects():
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_objects_itself_keeps_its_freeze():
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with collections_skip_older_objects():
            pass
        # Not given back to the collector (which would empty the permanent generation); not an
        # equality: in the suite, other threads free frozen objects or freeze their own meanwhile.
        assert before > 0 and gc.get_freeze_count() > before // 2
    finally:
        gc.unfreeze()


def test_a_disabled_collector_is_left_alone():
    gc.disable()
    try:
        with collections_skip_older_objects():
            assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_overlapping_runs_in_threads_unfreeze_once_the_last_ends():
    inside, release = threading.Event(), threading.Event()

    def other_run():
        with collections_skip_older_objects():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other_run)
    thread.start()
    inside.wait(10)
    with collections_skip_older_objects():
        pass
    assert gc.get_freeze_count() > 0  # the other run has not ended
    release.set()
    thread.join(10)
    assert gc.get_freeze_count() == 0


def test_a_run_unfreezes_what_it_froze(agi):
    record = agi.run("minimal_app", mode="local", items=20, log_each_item=True)
    assert record.status == "succeeded"
    assert gc.get_freeze_count() == 0
