"""The sources file: what loads, and errors that say where and how to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.ingest.sources import Source, SourceConfigError, load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_apply_and_entries_override(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[defaults]
fetch_pages = false
expected_cadence_hours = 12

[[source]]
name = "tigris-herald"
url = "raw/samples/tigris-herald/feed.xml"
language = "en-US"
expected_cadence_hours = 6

[[source]]
name = "wire-2"
url = "https://wire.example.org/rss?section=world"
fetch_pages = true
max_entries = 50
enabled = false
""",
    )
    first, second = load_sources(path)
    assert first == Source(
        name="tigris-herald",
        url="raw/samples/tigris-herald/feed.xml",
        language="en",
        fetch_pages=False,
        expected_cadence_hours=6.0,
    )
    assert not first.is_remote
    assert first.local_path(Path("/project")) == Path("/project/raw/samples/tigris-herald/feed.xml")
    assert second.is_remote and second.fetch_pages and not second.enabled
    assert second.expected_cadence_hours == 12.0 and second.max_entries == 50


def test_file_url_and_absolute_path_are_local(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
[[source]]
name = "a"
url = "file://{tmp_path}/feeds/a.xml"
[[source]]
name = "b"
url = "{tmp_path}/feeds/b.xml"
""",
    )
    a, b = load_sources(path)
    assert a.local_path(Path("/elsewhere")) == tmp_path / "feeds" / "a.xml"
    assert b.local_path(Path("/elsewhere")) == tmp_path / "feeds" / "b.xml"


def test_empty_file_has_no_sources(tmp_path: Path) -> None:
    assert load_sources(write(tmp_path, "")) == []


@pytest.mark.parametrize(
    ("text", "expected_parts"),
    [
        # Copy-pasted entry: two sources with one name would merge their articles.
        (
            '[[source]]\nname = "a"\nurl = "https://x.org/f"\n'
            '[[source]]\nname = "a"\nurl = "https://y.org/f"\n',
            ["[[source]] #2 ('a')", "duplicate name", "#1", "unique"],
        ),
        # Display names instead of slugs.
        (
            '[[source]]\nname = "Tigris Herald"\nurl = "https://x.org/f"\n',
            ["[[source]] #1", "not a slug", "lower-case"],
        ),
        # Schemes we cannot fetch.
        (
            '[[source]]\nname = "a"\nurl = "ftp://x.org/feed.xml"\n',
            ["[[source]] #1 ('a')", "unsupported URL scheme 'ftp'", "http://"],
        ),
        # A typo in a key silently ignored would be worse than an error.
        (
            '[[source]]\nname = "a"\nurl = "https://x.org/f"\nfetch_page = true\n',
            ["unknown key(s) 'fetch_page'", "Use only:"],
        ),
        (
            '[defaults]\ncadence = 3\n[[source]]\nname = "a"\nurl = "https://x.org/f"\n',
            ["[defaults]", "unknown key(s) 'cadence'"],
        ),
        (
            '[sources]\nname = "a"\n',
            ["top level", "unknown key(s) 'sources'"],
        ),
        # Wrong types.
        (
            '[[source]]\nname = "a"\nurl = "https://x.org/f"\nmax_entries = 0\n',
            ["max_entries = 0", "positive integer"],
        ),
        (
            '[[source]]\nname = "a"\nurl = "https://x.org/f"\nfetch_pages = "yes"\n',
            ["fetch_pages = 'yes'", "true or false"],
        ),
        (
            '[[source]]\nname = "a"\nurl = "https://x.org/f"\nexpected_cadence_hours = -1\n',
            ["expected_cadence_hours = -1", "positive number"],
        ),
        (
            '[[source]]\nname = "a"\nurl = "https://x.org/f"\nlanguage = "English!"\n',
            ["language = 'English!'", "language tag"],
        ),
        # Missing pieces.
        ('[[source]]\nname = "a"\n', ["url is missing"]),
        ('[[source]]\nname = "a"\nurl = "https:///feed"\n', ["has no host"]),
        # Broken TOML names the file and the position.
        ('[[source]\nname = "a"\n', ["not valid TOML", "line 1"]),
    ],
)
def test_config_errors_name_file_entry_and_fix(
    tmp_path: Path, text: str, expected_parts: list[str]
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SourceConfigError) as caught:
        load_sources(path)
    message = str(caught.value)
    assert str(path) in message
    for part in expected_parts:
        assert part in message


def test_missing_file_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(SourceConfigError, match="PIPELINES_SOURCES"):
        load_sources(tmp_path / "nope.toml")
