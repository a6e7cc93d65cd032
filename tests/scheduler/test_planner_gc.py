"""The planner collects garbage less often while it plans, and restores the collector after."""

from __future__ import annotations

import gc

import pytest

from scheduler.planner import PLANNING_GC_THRESHOLD, fewer_collections


def test_collections_are_rarer_inside_and_as_before_after() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        young, *older = gc.get_threshold()
        assert young == max(before[0], PLANNING_GC_THRESHOLD)
        assert tuple(older) == before[1:]
    assert gc.get_threshold() == before


def test_the_thresholds_come_back_when_planning_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a batch failed")
    assert gc.get_threshold() == before


def test_overlapping_planners_restore_the_thresholds_once_the_last_leaves() -> None:
    before = gc.get_threshold()
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first tick ends while the second still plans
    assert gc.get_threshold()[0] == max(before[0], PLANNING_GC_THRESHOLD)
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_a_higher_threshold_already_set_is_kept() -> None:
    before = gc.get_threshold()
    gc.set_threshold(PLANNING_GC_THRESHOLD * 2, *before[1:])
    try:
        with fewer_collections():
            assert gc.get_threshold()[0] == PLANNING_GC_THRESHOLD * 2
    finally:
        gc.set_threshold(*before)
