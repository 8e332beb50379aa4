"""The landed raw store: every fetched payload, content-addressed per fetch day, plus a fetch log.

Layout under the root (``settings.landed_dir``)::

    <YYYY-MM-DD>/payloads/<sha[:2]>/<sha256>.gz   one gzip file per distinct payload
    <YYYY-MM-DD>/fetches.jsonl                    one JSON object per line, append-only

Payloads are written before anything parses them, so every run can be replayed from here
without the network.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger("pipelines.ingest")

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FETCH_LOG_NAME = "fetches.jsonl"


class RawStoreError(RuntimeError):
    """A stored payload is missing or damaged; the message names the file and what to do."""


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``: the payload's address."""
    return hashlib.sha256(data).hexdigest()


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in the fetch log")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the whole new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with a fixed header (no timestamp), so equal inputs give equal files."""
    return gzip.compress(data, compresslevel=6, mtime=0)


class RawStore:
    """Content-addressed, date-partitioned payloads and an append-only fetch log per day."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def day_dir(self, day: date) -> Path:
        """The folder of one fetch day."""
        return self.root / day.isoformat()

    def payload_path(self, day: date, sha: str) -> Path:
        """Where the payload with this SHA-256 lives for that day."""
        return self.day_dir(day) / "payloads" / sha[:2] / f"{sha}.gz"

    def fetch_log_path(self, day: date) -> Path:
        """The day's fetch log."""
        return self.day_dir(day) / FETCH_LOG_NAME

    def put_payload(self, day: date, data: bytes) -> str:
        """Store ``data`` once for ``day`` and return its SHA-256 (no-op when already stored)."""
        sha = sha256_hex(data)
        path = self.payload_path(day, sha)
        if not path.exists():
            write_atomic(path, gzip_bytes(data))
        return sha

    def has_payload(self, day: date, sha: str) -> bool:
        """True when that payload is stored for that day."""
        return self.payload_path(day, sha).exists()

    def get_payload(self, day: date, sha: str) -> bytes:
        """Read a stored payload back, checking that it still hashes to its name."""
        path = self.payload_path(day, sha)
        try:
            data = gzip.decompress(path.read_bytes())
        except FileNotFoundError as exc:
            raise RawStoreError(
                f"{path}: payload {sha} is not stored for {day}; the raw folder is incomplete "
                "(restore it from backup or refetch)"
            ) from exc
        except (OSError, EOFError) as exc:
            raise RawStoreError(
                f"{path}: payload {sha} does not decompress ({exc}); delete the file and refetch"
            ) from exc
        if sha256_hex(data) != sha:
            raise RawStoreError(
                f"{path}: content does not match its SHA-256; delete the file and refetch"
            )
        return data

    def append_fetch(self, day: date, record: Mapping[str, Any]) -> None:
        """Append one record to the day's fetch log, durably (flush + fsync)."""
        path = self.fetch_log_path(day)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, default=_json_default, ensure_ascii=False, sort_keys=True)
        with path.open("ab") as handle:
            # A crash can leave a last line without its newline; start on a fresh line so the
            # torn record stays alone (and is skipped on read) instead of swallowing this one.
            if handle.tell() > 0 and not _ends_with_newline(path):
                handle.write(b"\n")
            handle.write(line.encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())

    def read_fetches(self, day: date) -> list[dict[str, Any]]:
        """All readable records of the day's fetch log, in order; damaged lines are skipped."""
        path = self.fetch_log_path(day)
        if not path.exists():
            return []
        records: list[dict[str, Any]] = []
        lines = path.read_bytes().split(b"\n")
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError):
                torn = number == len(lines) or all(not rest.strip() for rest in lines[number:])
                log.warning(
                    "%s line %d is not a complete JSON record (%s); skipped",
                    path,
                    number,
                    "torn last line, likely an interrupted run" if torn else "damaged line",
                )
                continue
            if isinstance(record, dict):
                records.append(record)
        return records

    def days(self) -> list[date]:
        """Every fetch day that has a folder, oldest first."""
        if not self.root.is_dir():
            return []
        found = []
        for child in self.root.iterdir():
            if child.is_dir() and DAY_RE.match(child.name):
                with contextlib.suppress(ValueError):
                    found.append(date.fromisoformat(child.name))
        return sorted(found)


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"
