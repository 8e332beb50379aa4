"""Analysts on the published copy while runs write: never a failed run, never half a publish.

In `operated_days` (conftest), one analyst keeps a read-only session open for the whole of
day 2's run (a DuckDB CLI left open over lunch); another opens a new short session every
0.1 s through day 3's run (a dashboard refreshing). Each run succeeded (the fixture asserts
it) and each published different marts. Every reading must be a whole published state: the
row counts announced in the JSON beside the copy, before or after, never a mix or an error.
"""

from __future__ import annotations

import pytest

from .conftest import OperatedDays

pytestmark = pytest.mark.e2e


def test_every_run_published_different_marts(operated_days: OperatedDays):
    first, second, third = operated_days.published
    # Otherwise "old or new, never a mix" below could not tell the states apart.
    assert first != second != third != first
    assert third["marts.fct_attacks"] > 0


def test_a_session_held_open_through_a_run_reads_its_copy_unchanged(
    operated_days: OperatedDays,
):
    first, _, _ = operated_days.published
    held = operated_days.held
    assert len(held) >= 10, "the session should have read throughout the run"
    assert [reading for reading in held if "error" in reading] == []
    # It keeps reading the copy it opened, start to end: the publish never disturbs it.
    assert all(reading["counts"] == first for reading in held)


def test_short_sessions_during_a_run_see_the_old_or_the_new_marts_never_a_mix(
    operated_days: OperatedDays,
):
    _, second, third = operated_days.published
    polled = operated_days.polled
    assert len(polled) >= 20, "the analyst should have polled throughout the run"
    assert [reading for reading in polled if "error" in reading] == []
    states = [reading["counts"] for reading in polled]
    assert all(state in (second, third) for state in states), "an analyst saw a mix"
    # The old copy until the swap, the new one after it, never back.
    assert states[0] == second and states[-1] == third
    swap = states.index(third)
    assert all(state == third for state in states[swap:])
