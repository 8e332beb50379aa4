"""Landing Polars frames into DuckDB ``raw`` tables with SQL we control, inside one transaction.

Why not the stock DuckDB IO manager: it deletes then inserts by column position, so
reordered columns land in the wrong columns, a new column fails after the delete and leaves
the table empty, and an empty frame empties it. Here every landing:

* creates the table from an explicit Polars schema when it is missing,
* adds columns the frame has and the table lacks (``ALTER TABLE ... ADD COLUMN``),
* inserts ``BY NAME`` from an Arrow view of the frame, and
* runs in a transaction: any error rolls everything back, DDL included.

Two modes: ``insert_new`` adds only rows whose key is not in the table yet (re-landing the
same rows changes nothing), ``replace_keys`` deletes the rows of a given key set and inserts
the frame in their place (re-extracting an article replaces exactly its rows).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

import duckdb
import polars as pl

Mode = Literal["insert_new", "replace_keys"]
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class LandingError(RuntimeError):
    """A frame could not be landed; nothing was changed. The message says which table and why."""


@dataclass(frozen=True)
class Landing:
    """One frame bound for one table.

    ``key`` identifies a row (duplicates in the frame are dropped, first kept). For
    ``replace_keys``, ``replace_on`` names the columns of the groups that are replaced
    (default: ``key``) and ``keys`` lists the values to replace; it may name groups with no
    rows in ``frame`` (an article that now yields no events loses its old rows). By default
    ``keys`` is the distinct ``replace_on`` values of the frame.
    """

    table: str
    frame: pl.DataFrame
    key: tuple[str, ...]
    mode: Mode = "insert_new"
    schema: pl.Schema | None = None
    keys: pl.DataFrame | None = None
    replace_on: tuple[str, ...] | None = None


@dataclass(frozen=True)
class LandResult:
    """What one landing did."""

    table: str
    mode: Mode
    rows_in: int
    inserted: int
    deleted: int
    duplicates_dropped: int
    rows_after: int
    added_columns: tuple[str, ...] = field(default_factory=tuple)

    def as_metadata(self) -> dict[str, int | str]:
        """Flat values for Dagster metadata and logs."""
        return {
            "table": self.table,
            "mode": self.mode,
            "rows_in": self.rows_in,
            "inserted": self.inserted,
            "deleted": self.deleted,
            "duplicates_dropped": self.duplicates_dropped,
            "rows_after": self.rows_after,
            "added_columns": ", ".join(self.added_columns) or "-",
        }


def duckdb_type(dtype: pl.DataType) -> str:
    """The DuckDB column type for a Polars dtype (raises for types we never land)."""
    simple: dict[type[pl.DataType], str] = {
        pl.String: "VARCHAR",
        pl.Boolean: "BOOLEAN",
        pl.Int8: "TINYINT",
        pl.Int16: "SMALLINT",
        pl.Int32: "INTEGER",
        pl.Int64: "BIGINT",
        pl.UInt8: "UTINYINT",
        pl.UInt16: "USMALLINT",
        pl.UInt32: "UINTEGER",
        pl.UInt64: "UBIGINT",
        pl.Float32: "FLOAT",
        pl.Float64: "DOUBLE",
        pl.Date: "DATE",
        pl.Time: "TIME",
        pl.Binary: "BLOB",
        pl.Duration: "INTERVAL",
    }
    base = dtype.base_type()
    if base in simple:
        return simple[base]
    if isinstance(dtype, pl.Datetime):
        # Naive timestamps are a bug upstream; we still land them, but as TIMESTAMP.
        return "TIMESTAMPTZ" if dtype.time_zone else "TIMESTAMP"
    if isinstance(dtype, pl.Decimal):
        return f"DECIMAL({dtype.precision or 38}, {dtype.scale or 0})"
    if isinstance(dtype, pl.List | pl.Array):
        return f"{duckdb_type(dtype.inner)}[]"
    if isinstance(dtype, pl.Struct):
        members = ", ".join(f'"{f.name}" {duckdb_type(f.dtype)}' for f in dtype.fields)
        return f"STRUCT({members})"
    raise LandingError(f"no DuckDB type for Polars dtype {dtype}; cast the column before landing")


def _identifier(name: str, what: str) -> str:
    if not _IDENTIFIER.match(name):
        raise LandingError(f"{what} {name!r} is not a plain lower-case identifier; rename it")
    return f'"{name}"'


def split_table(table: str) -> tuple[str, str]:
    """``raw.articles`` -> (``raw``, ``articles``) after checking both are plain identifiers."""
    parts = table.split(".")
    if len(parts) != 2:
        raise LandingError(f"table {table!r} must be written schema.table, e.g. raw.articles")
    for part in parts:
        _identifier(part, "table name part")
    return parts[0], parts[1]


def qualified(table: str) -> str:
    """``raw.articles`` -> ``"raw"."articles"`` after checking both parts."""
    schema_name, table_name = split_table(table)
    return f'"{schema_name}"."{table_name}"'


def _existing_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    schema_name, table_name = split_table(table)
    # duckdb_columns() rather than information_schema.columns: the same rows, a fifth of
    # the time, and landing asks before every frame.
    rows = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where schema_name = ? and table_name = ? and database_name = current_database() "
        "order by column_index",
        [schema_name, table_name],
    ).fetchall()
    return {name: data_type for name, data_type in rows}


def ensure_table(con: duckdb.DuckDBPyConnection, table: str, schema: pl.Schema) -> tuple[str, ...]:
    """Create ``table`` from ``schema`` if missing, else add the columns it lacks.

    Returns the added column names (all of them for a new table). Call inside a transaction.
    """
    schema_name, _ = split_table(table)
    con.execute(f"create schema if not exists {_identifier(schema_name, 'schema')}")
    existing = _existing_columns(con, table)
    if not existing:
        columns = ", ".join(
            f"{_identifier(name, 'column')} {duckdb_type(dtype)}" for name, dtype in schema.items()
        )
        con.execute(f"create table if not exists {qualified(table)} ({columns})")
        return tuple(schema.names())
    added = tuple(name for name in schema.names() if name not in existing)
    for name in added:
        con.execute(
            f"alter table {qualified(table)} add column "
            f"{_identifier(name, 'column')} {duckdb_type(schema[name])}"
        )
    return added


def _conform(landing: Landing) -> pl.DataFrame:
    """The frame with exactly the schema's columns and types (order does not matter)."""
    schema = landing.schema or landing.frame.schema
    frame = landing.frame
    missing = [name for name in schema.names() if name not in frame.columns]
    extra = [name for name in frame.columns if name not in schema.names()]
    if extra:
        raise LandingError(
            f"{landing.table}: frame has columns {extra} that the schema does not declare; "
            "add them to the schema (the table gains them) or drop them"
        )
    if missing:
        frame = frame.with_columns(pl.lit(None, dtype=schema[name]).alias(name) for name in missing)
    try:
        return frame.select(pl.col(name).cast(dtype, strict=True) for name, dtype in schema.items())
    except pl.exceptions.PolarsError as exc:
        raise LandingError(
            f"{landing.table}: frame does not fit the declared schema ({exc}); fix the producer"
        ) from exc


def _check_keys(landing: Landing, frame: pl.DataFrame) -> None:
    if not landing.key:
        raise LandingError(f"{landing.table}: a landing needs key columns")
    for name in landing.key:
        if name not in frame.columns:
            raise LandingError(f"{landing.table}: key column {name!r} is not in the frame")
    null_keys = frame.filter(pl.any_horizontal(pl.col(k).is_null() for k in landing.key)).height
    if null_keys:
        raise LandingError(
            f"{landing.table}: {null_keys} row(s) have a null in key {list(landing.key)}; "
            "every landed row needs its full key"
        )


def _key_match(left: str, right: str, key: Sequence[str]) -> str:
    return " and ".join(
        f"{left}.{_identifier(k, 'key')} = {right}.{_identifier(k, 'key')}" for k in key
    )


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"select count(*) from {qualified(table)}").fetchone()
    return int(row[0]) if row else 0


def _apply(
    con: duckdb.DuckDBPyConnection, landing: Landing, seq: int, registered: list[str]
) -> LandResult:
    frame = _conform(landing)
    _check_keys(landing, frame)
    deduplicated = frame.unique(subset=list(landing.key), keep="first", maintain_order=True)
    added = ensure_table(con, landing.table, frame.schema)
    target = qualified(landing.table)
    incoming = f"__landing_incoming_{seq}"
    con.register(incoming, deduplicated.to_arrow())
    registered.append(incoming)
    deleted = 0
    if landing.mode == "replace_keys":
        deleted = _delete_keys(con, landing, frame, seq, registered)
        where = ""
    elif landing.mode == "insert_new":
        where = (
            f" where not exists (select 1 from {target} as t "
            f"where {_key_match('t', 'i', landing.key)})"
        )
    else:
        raise LandingError(f"{landing.table}: unknown landing mode {landing.mode!r}")
    row = con.execute(
        f"insert into {target} by name select * from {incoming} as i{where}"
    ).fetchone()
    inserted = int(row[0]) if row else 0
    return LandResult(
        table=landing.table,
        mode=landing.mode,
        rows_in=frame.height,
        inserted=inserted,
        deleted=deleted,
        duplicates_dropped=frame.height - deduplicated.height,
        rows_after=_count(con, landing.table),
        added_columns=added,
    )


def _delete_keys(
    con: duckdb.DuckDBPyConnection,
    landing: Landing,
    frame: pl.DataFrame,
    seq: int,
    registered: list[str],
) -> int:
    replace_on = landing.replace_on or landing.key
    missing = [k for k in replace_on if k not in frame.columns]
    if missing:
        raise LandingError(f"{landing.table}: replace_on column(s) {missing} are not in the frame")
    keys = landing.keys if landing.keys is not None else frame.select(replace_on)
    missing = [k for k in replace_on if k not in keys.columns]
    if missing:
        raise LandingError(f"{landing.table}: the key set lacks column(s) {missing}")
    keys = keys.select(pl.col(k).cast(frame.schema[k], strict=True) for k in replace_on).unique()
    name = f"__landing_keys_{seq}"
    con.register(name, keys.to_arrow())
    registered.append(name)
    row = con.execute(
        f"delete from {qualified(landing.table)} as t where exists "
        f"(select 1 from {name} as k where {_key_match('t', 'k', replace_on)})"
    ).fetchone()
    return int(row[0]) if row else 0


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Begin; commit when the block ends, roll back (and re-raise) when it raises."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def land(con: duckdb.DuckDBPyConnection, *landings: Landing) -> list[LandResult]:
    """Land every frame in one transaction: all of them change their tables, or none does."""
    # Arrow views are unregistered only after commit or rollback: a statement issued inside
    # an aborted transaction would replace the real error with "transaction is aborted".
    registered: list[str] = []
    try:
        with transaction(con):
            return [_apply(con, landing, seq, registered) for seq, landing in enumerate(landings)]
    except duckdb.Error as exc:
        tables = ", ".join(landing.table for landing in landings)
        raise LandingError(
            f"landing into {tables} failed and was rolled back ({exc}); the tables are "
            "unchanged — fix the frame or the table and rerun"
        ) from exc
    finally:
        for name in registered:
            con.unregister(name)


def insert_new(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    key: Sequence[str],
    *,
    schema: pl.Schema | None = None,
) -> LandResult:
    """Insert the rows whose key is not in ``table`` yet; re-landing the same rows is a no-op."""
    return land(con, Landing(table, frame, tuple(key), "insert_new", schema))[0]


def replace_keys(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    key: Sequence[str],
    *,
    keys: pl.DataFrame | None = None,
    replace_on: Sequence[str] | None = None,
    schema: pl.Schema | None = None,
) -> LandResult:
    """Delete the rows of ``keys`` (default: the frame's keys) and insert ``frame``, atomically.

    ``key`` identifies rows; ``replace_on`` (default ``key``) the groups that are replaced.
    """
    landing = Landing(
        table,
        frame,
        tuple(key),
        "replace_keys",
        schema,
        keys,
        tuple(replace_on) if replace_on else None,
    )
    return land(con, landing)[0]
