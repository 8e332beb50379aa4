"""The freshness checks answered by land_articles: a source silent for longer than its
expected_cadence_hours, and a feed whose entries drop to zero, each flagged by name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.ingest.assets import CADENCE_CHECK, ENTRIES_CHECK, land_articles
from pipelines.defs.partitions import today_key
from pipelines.defs.resources import WarehouseResource
from pipelines.settings import Settings
from tests.ingest.helpers import Item, rss

from .helpers import fetch_day, write_sources

RESOURCES = {"warehouse": WarehouseResource()}


def write_feed(folder: Path, name: str, titles: list[str]) -> str:
    """A local RSS feed of link-less entries (their text is in the feed) for one source."""
    path = folder / name / "feed.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    items = [Item(title, None, description=f"{title}: details.", guid=title) for title in titles]
    path.write_text(rss(items, title=name), encoding="utf-8")
    return str(path)


def land(days: list[datetime]) -> dict[str, dg.AssetCheckEvaluation]:
    """Land each fetch day's partition; return the checks of the last run by name."""
    checks: dict[str, dg.AssetCheckEvaluation] = {}
    for when in days:
        result = dg.materialize(
            [land_articles],
            partition_key=today_key(when),
            resources=RESOURCES,
            instance=dg.DagsterInstance.ephemeral(),
        )
        assert result.success
        checks = {check.check_name: check for check in result.get_asset_check_evaluations()}
    return checks


@pytest.fixture
def clock() -> tuple[datetime, datetime]:
    """Two polls: about two days ago, and an hour ago (both inside the partitions)."""
    now = datetime.now(UTC).replace(microsecond=0)
    return now - timedelta(hours=50), now - timedelta(hours=1)


def test_a_source_silent_for_longer_than_its_cadence_is_flagged(
    pipeline_env: Settings, tmp_path: Path, clock: tuple[datetime, datetime]
):
    feeds = tmp_path / "feeds"
    first, second = clock
    sources = [
        # Delivers something new at every poll: fresh.
        {"name": "steady", "url": write_feed(feeds, "steady", ["s1"])},
        # Weekly digest: nothing new for two days is within its cadence.
        {
            "name": "weekly",
            "url": write_feed(feeds, "weekly", ["w1"]),
            "expected_cadence_hours": 200,
        },
        # Delivered two days ago, nothing since: stale.
        {"name": "stopped", "url": write_feed(feeds, "stopped", ["t1"])},
        # Its feed has never been readable: polled for two days, never delivered.
        {"name": "silent", "url": str(feeds / "silent" / "missing.xml")},
    ]
    write_sources(pipeline_env, sources)
    fetch_day(first)
    write_feed(feeds, "steady", ["s1", "s2"])
    fetch_day(second)
    # A source added since the last poll is not judged until it has been polled.
    write_sources(pipeline_env, [*sources, {"name": "newcomer", "url": "https://new.invalid/"}])
    checks = land([first, second])

    cadence = checks[CADENCE_CHECK]
    assert not cadence.passed
    assert cadence.severity == dg.AssetCheckSeverity.WARN
    stale = cadence.metadata["stale_sources"].value
    assert set(stale) == {"stopped", "silent"}
    assert stale["stopped"].startswith("nothing new for 5")
    assert "expected within 24 h" in stale["stopped"]
    assert stale["silent"].startswith("polled for 5")
    assert "never delivered" in stale["silent"]
    assert cadence.metadata["sources_checked"].value == 5
    table = cadence.metadata["sources"].value
    assert "not polled yet" in table and "newcomer" in table


def test_a_feed_whose_entries_drop_to_zero_is_flagged(
    pipeline_env: Settings, tmp_path: Path, clock: tuple[datetime, datetime]
):
    feeds = tmp_path / "feeds"
    first, second = clock
    sources = [
        {"name": "healthy", "url": write_feed(feeds, "healthy", ["h1", "h2"])},
        {"name": "emptied", "url": write_feed(feeds, "emptied", ["e1", "e2", "e3"])},
    ]
    write_sources(pipeline_env, sources)
    fetch_day(first)
    # The publisher's CMS breaks: the feed still parses, with an empty channel.
    write_feed(feeds, "emptied", [])
    write_feed(feeds, "healthy", ["h1", "h2", "h3"])
    fetch_day(second)

    checks = land([first, second])
    entries = checks[ENTRIES_CHECK]
    assert not entries.passed
    assert entries.severity == dg.AssetCheckSeverity.WARN
    empty = entries.metadata["empty_feeds"].value
    assert list(empty) == ["emptied"]
    assert "no entries (it had 3 before)" in empty["emptied"]
    # Every fetch succeeded, so only the checks say so; the healthy feed is fresh.
    assert set(checks[CADENCE_CHECK].metadata["stale_sources"].value) == {"emptied"}


def test_healthy_sources_pass_both_checks(
    pipeline_env: Settings, tmp_path: Path, clock: tuple[datetime, datetime]
):
    feeds = tmp_path / "feeds"
    write_sources(pipeline_env, [{"name": "fine", "url": write_feed(feeds, "fine", ["f1"])}])
    fetch_day(clock[1])
    checks = land([clock[1]])
    assert checks[CADENCE_CHECK].passed and checks[ENTRIES_CHECK].passed
    assert checks[ENTRIES_CHECK].metadata["empty_feeds"].value == {}
