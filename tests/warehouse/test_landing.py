"""Landing frames into DuckDB: by name, idempotent, atomic, and evolving columns."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.warehouse import db, landing

SCHEMA = pl.Schema({"item_id": pl.String, "count": pl.Int64, "label": pl.String})


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = db.connect(tmp_path / "conflict.duckdb")
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection, table: str = "raw.items") -> list[tuple]:
    return con.execute(f"select * from {table} order by all").fetchall()


def columns(con: duckdb.DuckDBPyConnection, table: str = "raw.items") -> list[str]:
    return [row[0] for row in con.execute(f"describe {table}").fetchall()]


def test_reordered_columns_land_in_their_own_columns(con):
    # A producer that builds its frame in another column order (the stock IO manager's
    # insert-by-position would swap count and label here).
    landing.insert_new(
        con,
        "raw.items",
        pl.DataFrame({"item_id": ["a"], "count": [1], "label": ["x"]}),
        ["item_id"],
    )
    reordered = pl.DataFrame({"label": ["y"], "item_id": ["b"], "count": [2]})
    landing.insert_new(con, "raw.items", reordered, ["item_id"], schema=SCHEMA)
    assert rows(con) == [("a", 1, "x"), ("b", 2, "y")]


def test_relanding_the_same_rows_adds_and_changes_nothing(con):
    frame = pl.DataFrame({"item_id": ["a", "b"], "count": [1, 2], "label": ["x", "y"]})
    first = landing.insert_new(con, "raw.items", frame, ["item_id"])
    before = rows(con)
    # The hourly poll sees the same articles again; a replay of the same day too.
    again = landing.insert_new(con, "raw.items", frame, ["item_id"])
    changed = frame.with_columns(pl.lit("changed").alias("label"))
    third = landing.insert_new(con, "raw.items", changed, ["item_id"])
    assert (first.inserted, again.inserted, third.inserted) == (2, 0, 0)
    assert rows(con) == before


def test_duplicate_keys_in_one_frame_keep_the_first(con):
    # Two feeds listing the same article in one replay.
    frame = pl.DataFrame({"item_id": ["a", "a"], "count": [1, 2], "label": ["first", "second"]})
    result = landing.insert_new(con, "raw.items", frame, ["item_id"])
    assert result.duplicates_dropped == 1
    assert rows(con) == [("a", 1, "first")]


def test_a_failing_insert_rolls_back_and_keeps_the_previous_rows(con):
    landing.insert_new(
        con,
        "raw.items",
        pl.DataFrame({"item_id": ["a"], "count": [1], "label": ["x"]}),
        ["item_id"],
    )
    # A new column plus a value that cannot be cast: the ALTER must be undone as well.
    bad = pl.DataFrame({"item_id": ["b"], "count": ["not a number"], "extra": [1]})
    with pytest.raises(landing.LandingError, match="raw.items.*rolled back"):
        landing.insert_new(con, "raw.items", bad, ["item_id"])
    assert rows(con) == [("a", 1, "x")]
    assert columns(con) == ["item_id", "count", "label"]


def test_one_failing_table_rolls_back_every_table_of_the_batch(con):
    good = landing.Landing(
        "raw.first", pl.DataFrame({"item_id": ["a"], "count": [1]}), ("item_id",)
    )
    landing.land(con, good)
    more = landing.Landing(
        "raw.first", pl.DataFrame({"item_id": ["b"], "count": [2]}), ("item_id",)
    )
    null_key = pl.DataFrame(
        {"item_id": [None], "count": [1]}, schema={"item_id": pl.String, "count": pl.Int64}
    )
    broken = landing.Landing("raw.second", null_key, ("item_id",))
    with pytest.raises(landing.LandingError, match="null in key"):
        landing.land(con, more, broken)
    assert rows(con, "raw.first") == [("a", 1)]
    assert con.execute(
        "select count(*) from information_schema.tables where table_name = 'second'"
    ).fetchone() == (0,)


def test_new_columns_are_added_and_old_rows_read_null(con):
    landing.insert_new(
        con, "raw.items", pl.DataFrame({"item_id": ["a"], "count": [1]}), ["item_id"]
    )
    wider = pl.DataFrame({"item_id": ["b"], "count": [2], "label": ["new"]})
    result = landing.insert_new(con, "raw.items", wider, ["item_id"])
    assert result.added_columns == ("label",)
    assert rows(con) == [("a", 1, None), ("b", 2, "new")]
    # A frame without the new column still lands (missing columns are null).
    landing.insert_new(
        con, "raw.items", pl.DataFrame({"item_id": ["c"], "count": [3]}), ["item_id"]
    )
    assert rows(con)[-1] == ("c", 3, None)


def test_an_empty_frame_creates_the_table_and_changes_nothing(con):
    result = landing.insert_new(con, "raw.items", pl.DataFrame(schema=SCHEMA), ["item_id"])
    assert result.inserted == 0
    assert columns(con) == ["item_id", "count", "label"]
    landing.insert_new(
        con,
        "raw.items",
        pl.DataFrame({"item_id": ["a"], "count": [1], "label": ["x"]}),
        ["item_id"],
    )
    landing.insert_new(con, "raw.items", pl.DataFrame(schema=SCHEMA), ["item_id"])
    assert rows(con) == [("a", 1, "x")]


def test_replace_keys_replaces_exactly_the_given_groups(con):
    schema = pl.Schema({"article_id": pl.String, "row_id": pl.String, "value": pl.Int64})
    first = pl.DataFrame(
        {"article_id": ["a1", "a1", "a2"], "row_id": ["r1", "r2", "r3"], "value": [1, 2, 3]}
    )
    landing.replace_keys(con, "raw.rows", first, ["row_id"], replace_on=["article_id"])
    # a1 re-extracted: one row now; a3 named in the key set but yielding nothing.
    second = pl.DataFrame({"article_id": ["a1"], "row_id": ["r9"], "value": [9]}, schema=schema)
    keys = pl.DataFrame({"article_id": ["a1", "a3"]})
    result = landing.replace_keys(
        con, "raw.rows", second, ["row_id"], keys=keys, replace_on=["article_id"], schema=schema
    )
    assert (result.deleted, result.inserted) == (2, 1)
    assert rows(con, "raw.rows") == [("a1", "r9", 9), ("a2", "r3", 3)]
    # A group that now yields nothing loses its rows.
    landing.replace_keys(
        con,
        "raw.rows",
        pl.DataFrame(schema=schema),
        ["row_id"],
        keys=pl.DataFrame({"article_id": ["a2"]}),
        replace_on=["article_id"],
    )
    assert rows(con, "raw.rows") == [("a1", "r9", 9)]


def test_columns_the_schema_does_not_declare_are_refused(con):
    frame = pl.DataFrame({"item_id": ["a"], "count": [1], "label": ["x"], "stray": [True]})
    with pytest.raises(landing.LandingError, match="stray"):
        landing.insert_new(con, "raw.items", frame, ["item_id"], schema=SCHEMA)


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        (pl.String, "VARCHAR"),
        (pl.Int32, "INTEGER"),
        (pl.Int64, "BIGINT"),
        (pl.Float64, "DOUBLE"),
        (pl.Boolean, "BOOLEAN"),
        (pl.Date, "DATE"),
        # Fetch and publication times are UTC instants.
        (pl.Datetime("us", "UTC"), "TIMESTAMPTZ"),
        (pl.Datetime("us"), "TIMESTAMP"),
        # Weapons and targets are lists of strings.
        (pl.List(pl.String), "VARCHAR[]"),
        (pl.Struct({"low": pl.Int64, "high": pl.Int64}), 'STRUCT("low" BIGINT, "high" BIGINT)'),
    ],
)
def test_polars_types_map_to_duckdb_types(dtype, expected):
    assert landing.duckdb_type(dtype) == expected


def test_timestamps_dates_and_lists_round_trip(con):
    schema = pl.Schema(
        {
            "item_id": pl.String,
            "seen_at": pl.Datetime("us", "UTC"),
            "day": pl.Date,
            "tags": pl.List(pl.String),
        }
    )
    moment = datetime(2026, 11, 17, 6, 5, tzinfo=UTC)
    frame = pl.DataFrame(
        {"item_id": ["a"], "seen_at": [moment], "day": [date(2026, 11, 16)], "tags": [["x", "y"]]},
        schema=schema,
    )
    landing.insert_new(con, "raw.typed", frame, ["item_id"])
    assert con.execute("select seen_at, day, tags from raw.typed").fetchone() == (
        moment,
        date(2026, 11, 16),
        ["x", "y"],
    )


def test_table_names_must_be_schema_qualified_identifiers(con):
    frame = pl.DataFrame({"item_id": ["a"]})
    for name in ("items", "raw.items; drop table x", "Raw.Items"):
        with pytest.raises(landing.LandingError):
            landing.insert_new(con, name, frame, ["item_id"])
