"""The raw store: content-addressed payloads, atomic writes, a crash-tolerant fetch log."""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
from datetime import date
from pathlib import Path

import pytest

from pipelines.ingest import rawstore
from pipelines.ingest.rawstore import RawStore, RawStoreError

DAY = date(2026, 3, 10)


def test_payload_is_content_addressed_compressed_and_written_once(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    data = b"<rss>payload</rss>" * 100
    sha = store.put_payload(DAY, data)
    assert sha == hashlib.sha256(data).hexdigest()
    path = tmp_path / "2026-03-10" / "payloads" / sha[:2] / f"{sha}.gz"
    assert path.is_file()
    assert gzip.decompress(path.read_bytes()) == data
    assert path.stat().st_size < len(data)
    before = path.stat().st_mtime_ns
    assert store.put_payload(DAY, data) == sha
    assert path.stat().st_mtime_ns == before  # not rewritten
    assert store.get_payload(DAY, sha) == data
    assert store.days() == [DAY]


def test_interrupted_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = RawStore(tmp_path)

    def crash(src: str, dst: str) -> None:
        raise OSError("disk vanished")

    monkeypatch.setattr(rawstore.os, "replace", crash)
    with pytest.raises(OSError, match="disk vanished"):
        store.put_payload(DAY, b"abc")
    monkeypatch.undo()
    sha = hashlib.sha256(b"abc").hexdigest()
    assert not store.has_payload(DAY, sha)
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == []
    # The next run writes it properly.
    assert store.put_payload(DAY, b"abc") == sha and store.get_payload(DAY, sha) == b"abc"


def test_damaged_payload_is_reported(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    sha = store.put_payload(DAY, b"original")
    store.payload_path(DAY, sha).write_bytes(gzip.compress(b"tampered"))
    with pytest.raises(RawStoreError, match="does not match"):
        store.get_payload(DAY, sha)
    with pytest.raises(RawStoreError, match="not stored"):
        store.get_payload(DAY, "0" * 64)


def test_fetch_log_round_trip(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    store.append_fetch(DAY, {"record": "fetch", "n": 1, "text": "Обстрел"})
    store.append_fetch(DAY, {"record": "fetch", "n": 2})
    assert [r["n"] for r in store.read_fetches(DAY)] == [1, 2]
    assert store.read_fetches(date(2026, 3, 11)) == []


def test_torn_last_line_is_skipped_with_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = RawStore(tmp_path)
    store.append_fetch(DAY, {"n": 1})
    with store.fetch_log_path(DAY).open("ab") as handle:
        handle.write(b'{"n": 2, "status": "o')  # the process died mid-write
    with caplog.at_level(logging.WARNING, logger="pipelines.ingest"):
        records = store.read_fetches(DAY)
    assert records == [{"n": 1}]
    assert "torn last line" in caplog.text
    # The next run's records are not glued onto the torn line.
    store.append_fetch(DAY, {"n": 3})
    assert [r["n"] for r in store.read_fetches(DAY)] == [1, 3]


def test_append_is_fsynced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(rawstore.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    RawStore(tmp_path).append_fetch(DAY, {"n": 1})
    assert synced


def test_days_ignores_other_folders(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    store.put_payload(date(2026, 3, 11), b"b")
    store.put_payload(DAY, b"a")
    (tmp_path / "texts").mkdir()
    (tmp_path / "2026-13-45").mkdir()
    (tmp_path / "http_state.json").write_text("{}")
    assert store.days() == [DAY, date(2026, 3, 11)]
