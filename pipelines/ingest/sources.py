"""The list of news sources to poll, read from a TOML file (``sources.toml``)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
REMOTE_SCHEMES = ("http", "https")
SOURCE_KEYS = frozenset(
    {
        "name",
        "url",
        "language",
        "fetch_pages",
        "expected_cadence_hours",
        "enabled",
        "max_entries",
    }
)
DEFAULT_KEYS = SOURCE_KEYS - {"name", "url"}
TOP_LEVEL_KEYS = frozenset({"defaults", "source"})


class SourceConfigError(ValueError):
    """The sources file cannot be used as written; the message says where and how to fix it."""


@dataclass(frozen=True)
class Source:
    """One feed to poll and how to treat it."""

    name: str
    url: str
    language: str | None = None
    fetch_pages: bool = True
    expected_cadence_hours: float = 24.0
    enabled: bool = True
    max_entries: int | None = None

    @property
    def is_remote(self) -> bool:
        """True for http(s) feeds; False for local files (a path or a file: URL)."""
        return urlsplit(self.url).scheme.lower() in REMOTE_SCHEMES

    def local_path(self, project_root: Path) -> Path:
        """The feed file of a local source; relative paths are taken from the project root."""
        if self.is_remote:
            raise ValueError(f"source {self.name!r}: {self.url} is not a local file")
        parts = urlsplit(self.url)
        path = Path(unquote(parts.path)) if parts.scheme.lower() == "file" else Path(self.url)
        path = path.expanduser()
        return path if path.is_absolute() else project_root / path


def normalise_language(value: str | None) -> str | None:
    """Reduce a language tag to its primary subtag: "en-US" -> "en"; junk -> None."""
    if not value:
        return None
    value = value.strip()
    if not LANGUAGE_RE.match(value):
        return None
    return re.split(r"[-_]", value, maxsplit=1)[0].lower()


def _fail(path: Path, where: str, problem: str, fix: str) -> SourceConfigError:
    return SourceConfigError(f"{path}: {where}: {problem}. {fix}")


def _check_keys(path: Path, where: str, table: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _fail(
            path,
            where,
            f"unknown key(s) {', '.join(map(repr, unknown))}",
            f"Use only: {', '.join(sorted(allowed))}",
        )


def _check_types(path: Path, where: str, table: dict[str, Any]) -> None:
    for key in ("fetch_pages", "enabled"):
        if key in table and not isinstance(table[key], bool):
            raise _fail(path, where, f"{key} = {table[key]!r}", "Write true or false")
    if "expected_cadence_hours" in table:
        value = table["expected_cadence_hours"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise _fail(
                path, where, f"expected_cadence_hours = {value!r}", "Give a positive number"
            )
    if "max_entries" in table:
        value = table["max_entries"]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise _fail(
                path, where, f"max_entries = {value!r}", "Give a positive integer or leave it out"
            )
    if "language" in table:
        value = table["language"]
        if not isinstance(value, str) or normalise_language(value) is None:
            raise _fail(
                path, where, f"language = {value!r}", 'Give a language tag such as "en" or "ar"'
            )


def _check_url(path: Path, where: str, url: Any) -> str:
    if not isinstance(url, str) or not url.strip():
        raise _fail(
            path, where, "url is missing or empty", "Give an http(s) URL, a file: URL or a path"
        )
    url = url.strip()
    scheme = urlsplit(url).scheme.lower()
    # One-letter "schemes" are Windows drive letters, i.e. paths.
    if scheme and len(scheme) > 1 and scheme not in (*REMOTE_SCHEMES, "file"):
        raise _fail(
            path,
            where,
            f"unsupported URL scheme {scheme!r} in {url!r}",
            "Use http://, https://, file:// or a path relative to the project root",
        )
    if scheme in REMOTE_SCHEMES and not urlsplit(url).hostname:
        raise _fail(path, where, f"URL {url!r} has no host", "Write a full URL")
    return url


def _build_source(path: Path, index: int, entry: Any, defaults: dict[str, Any]) -> Source:
    where = f"[[source]] #{index + 1}"
    if not isinstance(entry, dict):
        raise _fail(path, where, "is not a table", "Write each source as a [[source]] table")
    name = entry.get("name")
    if isinstance(name, str):
        where = f"[[source]] #{index + 1} ({name!r})"
    _check_keys(path, where, entry, SOURCE_KEYS)
    if not isinstance(name, str) or not SLUG_RE.match(name):
        raise _fail(
            path,
            where,
            f"name {name!r} is not a slug",
            'Use lower-case letters, digits and single hyphens, e.g. "tigris-herald"',
        )
    _check_types(path, where, entry)
    merged = {**defaults, **entry}
    return Source(
        name=name,
        url=_check_url(path, where, entry.get("url")),
        language=normalise_language(merged.get("language")),
        fetch_pages=merged.get("fetch_pages", True),
        expected_cadence_hours=float(merged.get("expected_cadence_hours", 24.0)),
        enabled=merged.get("enabled", True),
        max_entries=merged.get("max_entries"),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise SourceConfigError(
            f"{path}: the sources file does not exist. Create it or set PIPELINES_SOURCES"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceConfigError(f"{path}: not valid TOML ({exc}). Fix the syntax there") from exc


def load_sources(path: Path) -> list[Source]:
    """Read and validate the sources file; raise :class:`SourceConfigError` on any problem."""
    document = _read_toml(path)
    _check_keys(path, "top level", document, TOP_LEVEL_KEYS)
    defaults = document.get("defaults", {})
    if not isinstance(defaults, dict):
        raise _fail(path, "defaults", "is not a table", "Write it as a [defaults] table")
    _check_keys(path, "[defaults]", defaults, DEFAULT_KEYS)
    _check_types(path, "[defaults]", defaults)
    entries = document.get("source", [])
    if not isinstance(entries, list):
        raise _fail(path, "source", "is not an array of tables", "Write [[source]] per source")
    sources = [_build_source(path, i, entry, defaults) for i, entry in enumerate(entries)]
    seen: dict[str, int] = {}
    for index, source in enumerate(sources):
        if source.name in seen:
            raise _fail(
                path,
                f"[[source]] #{index + 1} ({source.name!r})",
                f"duplicate name, already used by [[source]] #{seen[source.name] + 1}",
                "Give every source a unique name",
            )
        seen[source.name] = index
    return sources
