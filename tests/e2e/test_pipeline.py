"""Every asset materialised in-process into a temporary warehouse, from feeds this test writes.

Two outlets report a car bomb at a Mogadishu checkpoint (the toll rises from 12 to 15); one
of them also reports a hotel stormed the same evening; a third source's feed file is
missing. The extractor is replaced by a small rule-based stand-in (the real one is developed
separately), so the marts' answers are known. A second run of the whole pipeline changes
nothing but the fetch log.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

import pipelines.extract
from pipelines.defs import build_definitions
from pipelines.defs.partitions import today_key
from pipelines.settings import Settings

pytestmark = pytest.mark.e2e

STUB_VERSION = "9.9.9-test"

PAGES = {
    "alpha-news": [
        (
            "car-bomb-kills-12-at-mogadishu-checkpoint",
            "Car bomb kills 12 at Mogadishu checkpoint",
            "Thu, 12 Nov 2026 09:00:00 +0300",
            "A car bomb killed 12 people at a checkpoint in Mogadishu on Thursday, police said. "
            "Al Shabaab claimed the attack in a statement.",
        ),
        (
            "gunmen-storm-hotel-in-mogadishu",
            "Gunmen storm hotel in Mogadishu",
            "Thu, 12 Nov 2026 21:00:00 +0300",
            "Gunmen stormed a hotel in Mogadishu on Thursday evening, killing 8 guests. "
            "The siege ended after five hours.",
        ),
    ],
    "beta-wire": [
        (
            "mogadishu-checkpoint-toll-rises-to-15",
            "Mogadishu checkpoint toll rises to 15",
            "Fri, 13 Nov 2026 10:00:00 +0000",
            "The toll from Thursday's car bomb at a Mogadishu checkpoint rose to 15, "
            "hospital officials said on Friday.",
        ),
    ],
}


def write_feed(folder: Path, source: str) -> Path:
    """An RSS feed with relative links to HTML pages beside it."""
    (folder / "pages").mkdir(parents=True)
    items = []
    for slug, title, pub_date, body in PAGES[source]:
        (folder / "pages" / f"{slug}.html").write_text(
            f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body}</p></article></body></html>",
            encoding="utf-8",
        )
        items.append(
            f"<item><title>{title}</title><link>pages/{slug}.html</link>"
            f'<guid isPermaLink="false">{source}:{slug}</guid>'
            f"<pubDate>{pub_date}</pubDate><description>{body[:60]}</description></item>"
        )
    feed = folder / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{source}</title><link>https://{source}.example/</link>"
        f"<description>test feed</description><language>en</language>{''.join(items)}"
        "</channel></rss>",
        encoding="utf-8",
    )
    return feed


def write_sources(settings: Settings, tmp: Path) -> None:
    entries = [(source, write_feed(tmp / "feeds" / source, source)) for source in PAGES] + [
        ("gamma-broken", tmp / "feeds" / "gamma-broken" / "feed.xml")
    ]
    settings.sources_file.write_text(
        "".join(f'[[source]]\nname = "{name}"\nurl = "{path}"\n\n' for name, path in entries),
        encoding="utf-8",
    )


def span(text: str, words: str, field: str) -> dict[str, Any]:
    start = text.index(words)
    return {"field": field, "start": start, "end": start + len(words)}


def stub_extract(article: dict[str, Any]) -> list[dict[str, Any]]:
    """A stand-in extractor: one record per attack these test pages describe."""
    text = article["text"]
    base = {
        "is_background": False,
        "date_start": "2026-11-12",
        "date_end": "2026-11-12",
        "date_precision": "day",
        "location": {
            "name": "Mogadishu",
            "country_code": "SO",
            "admin1": "Banadir",
            "lat": 2.04,
            "lon": 45.34,
            "precision": "city",
        },
        "targets": [],
        "wounded": None,
        "casualty_groups": [],
    }
    records = []
    if "car bomb" in text:
        toll = int(re.search(r"(?:killed|rose to) (\d+)", text).group(1))
        claimed = "claimed" in text
        records.append(
            {
                **base,
                "event_key": "e1",
                "kind": "incident",
                "attack_type": "bombing",
                "weapons": ["car_bomb"],
                "perpetrator": {
                    "name": "Al Shabaab" if claimed else None,
                    "status": "claimed" if claimed else "unknown",
                },
                "killed": {"low": toll, "high": toll, "qualifier": "exact"},
                "attributions": [{"type": "claim", "actor": "Al Shabaab"}] if claimed else [],
                "evidence": [span(text, "car bomb", "attack_type")],
            }
        )
    if "stormed" in text:
        records.append(
            {
                **base,
                "event_key": f"e{len(records) + 1}",
                "kind": "incident",
                "attack_type": "storming",
                "weapons": ["firearm"],
                "perpetrator": {"name": None, "status": "unknown"},
                "killed": {"low": 8, "high": 8, "qualifier": "exact"},
                "attributions": [],
                "evidence": [span(text, "stormed a hotel", "attack_type")],
            }
        )
    return [{"article_id": article["article_id"], **record} for record in records]


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted (the content of the warehouse)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() order by all"
        ).fetchall()
        return {
            f"{schema}.{table}": con.execute(
                f'select * from "{schema}"."{table}" order by all'
            ).fetchall()
            for schema, table in tables
        }
    finally:
        con.close()


def materialize_everything(defs: dg.Definitions, instance: dg.DagsterInstance):
    return dg.materialize(
        list(defs.assets),
        resources=defs.resources,
        partition_key=today_key(),
        instance=instance,
        raise_on_error=False,
    )


@pytest.fixture
def run_pipeline(pipeline_env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pipelines.extract, "extract_article", stub_extract)
    monkeypatch.setattr(pipelines.extract, "EXTRACTOR_VERSION", STUB_VERSION)
    write_sources(pipeline_env, tmp_path)
    defs = build_definitions()
    from pipelines.defs.instance import ensure_dagster_home

    ensure_dagster_home(pipeline_env.dagster_home)
    with dg.DagsterInstance.ephemeral() as instance:
        yield lambda: materialize_everything(defs, instance)


def query(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_feeds_to_analyst_database_and_a_second_run_changes_nothing(
    run_pipeline, pipeline_env: Settings
):
    first = run_pipeline()
    assert first.success
    warehouse = pipeline_env.warehouse_path

    # raw: every fetch attempt, the missing feed as an error row while the others landed.
    fetches = query(warehouse, "select source, kind, status from raw.fetches order by all")
    assert ("gamma-broken", "feed", "error") in fetches
    assert fetches.count(("alpha-news", "page", "ok")) == 2
    assert query(warehouse, "select source, count(*) from raw.articles group by 1 order by 1") == [
        ("alpha-news", 2),
        ("beta-wire", 1),
    ]
    assert query(
        warehouse, "select extractor_version, status, count(*) from raw.extractions group by all"
    ) == [(STUB_VERSION, "ok", 3)]
    assert query(warehouse, "select count(*) from raw.event_mentions") == [(3,)]
    fetch_event = first.asset_materializations_for_node("fetched_payloads")[0]
    assert "gamma-broken" in fetch_event.metadata["errors"].value

    # marts: one car bomb from two outlets, one hotel assault.
    attacks = query(
        warehouse,
        "select attack_type, source_count, article_count, killed_low, killed_best, "
        "perpetrator_name from marts.fct_attacks order by attack_type",
    )
    assert attacks == [
        ("bombing", 2, 2, 15, 15, "Al Shabaab"),
        ("storming", 1, 1, 8, 8, None),
    ]
    evidence = query(
        warehouse,
        "select e.quoted_text from marts.fct_event_reports as r "
        "inner join staging.stg_raw__evidence as e using (mention_id) order by 1",
    )
    assert evidence == [("car bomb",), ("car bomb",), ("stormed a hotel",)]

    # The analyst copy holds the same marts, and says when it was published.
    analyst = pipeline_env.analyst_path
    assert query(analyst, "select count(*) from marts.fct_attacks") == [(2,)]
    published = json.loads(analyst.with_suffix(".json").read_text())
    assert published["row_counts"]["marts.fct_attacks"] == 2

    before = snapshot(warehouse)
    second = run_pipeline()
    assert second.success
    after = snapshot(warehouse)
    # Polling again records new fetch attempts (and the sources' fetch counts) ...
    fetches_before, fetches_after = before.pop("raw.fetches"), after.pop("raw.fetches")
    assert len(fetches_after) == 2 * len(fetches_before)
    before.pop("marts.dim_sources")
    after.pop("marts.dim_sources")
    # ... and nothing else: same articles, same extraction (not re-run), same marts.
    assert after == before
    assert snapshot(analyst) == snapshot(warehouse)
