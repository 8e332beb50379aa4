"""A careful HTTP client for feeds and pages: polite, bounded, retrying, and safe to log.

One ``requests.Session`` per client. Every request carries the project's User-Agent and
timeouts; redirects are followed by hand so each hop is checked against private and
metadata addresses; bodies are streamed and cut off at the size cap; conditional GETs use
the ETag / Last-Modified remembered in a small JSON state file.
"""

from __future__ import annotations

import email.utils
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from pipelines.ingest.rawstore import write_atomic
from pipelines.ingest.urls import canonical_url, is_allowed_remote, redact, strip_credentials
from pipelines.settings import Settings

log = logging.getLogger("pipelines.ingest")

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK_BYTES = 64 * 1024
STATE_VERSION = 1

OK = "ok"
NOT_MODIFIED = "not_modified"
ERROR = "error"

# What an operator should do, by kind of fetch: feeds are configured, pages come from feeds.
ADVICE = {
    "feed": "check the feed URL in the sources file",
    "page": "the article falls back to the feed's text; nothing to do unless this persists",
}


@dataclass(frozen=True)
class FetchResult:
    """The outcome of one fetch: a body, "not modified", or an error saying what to do."""

    status: str  # ok | not_modified | error
    url: str  # as requested, redacted
    final_url: str | None = None  # after redirects, redacted
    http_status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    attempts: int = 0
    redirects: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when a body arrived."""
        return self.status == OK


class FetchFailure(Exception):
    """Internal: a fetch step failed; ``message`` is already safe to log."""

    def __init__(self, message: str, http_status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks us to wait (delta-seconds or an HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def scrub(text: str, url: str) -> str:
    """Remove the URL's credentials and secret query values from an exception message."""
    parts = urlsplit(url)
    safe = redact(url)
    replacements = [(url, safe), (strip_credentials(url), safe)]
    if parts.query:
        replacements.append(
            (f"{parts.path}?{parts.query}", urlsplit(safe).path + "?" + urlsplit(safe).query)
        )
    if parts.username is not None or parts.password is not None:
        userinfo = urlsplit(url).netloc.rpartition("@")[0]
        replacements.append((userinfo + "@", ""))
        # A bare password inside a message; short ones would match ordinary words.
        if parts.password and len(parts.password) >= 4:
            replacements.append((parts.password, "REDACTED"))
    for raw, clean in replacements:
        if raw and raw != clean:
            text = text.replace(raw, clean)
    return text


SECRET_QUERY_VALUE = re.compile(
    r"(?i)([?&;][^=&\s\"']*(?:token|key|sig|pass|pwd|secret|auth|credential|session)"
    r"[^=&\s\"']*=)[^&\s\"']+"
)


class _RedactingFilter(logging.Filter):
    """Hide secret query values in urllib3's debug lines ("GET /feed?token=... HTTP/1.1")."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = SECRET_QUERY_VALUE.sub(r"\1REDACTED", message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def _install_log_redaction() -> None:
    logger = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, _RedactingFilter) for f in logger.filters):
        logger.addFilter(_RedactingFilter())


class HttpState:
    """ETag / Last-Modified per (source, url) and stored pages per (source, page url).

    Kept in one JSON file, rewritten atomically, so a crash leaves the old state or the new.
    Keys use redacted URLs: the file never holds credentials.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._data: dict[str, Any] | None = None
        self._dirty = False

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            self._data = {"version": STATE_VERSION, "validators": {}, "pages": {}}
            if self.path.exists():
                try:
                    loaded = json.loads(self.path.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    log.warning(
                        "%s is unreadable (%s); starting with empty HTTP state (feeds are "
                        "fetched in full once)",
                        self.path,
                        exc,
                    )
                else:
                    if isinstance(loaded, dict):
                        self._data["validators"] = dict(loaded.get("validators", {}))
                        self._data["pages"] = dict(loaded.get("pages", {}))
        return self._data

    @staticmethod
    def key(source: str, url: str) -> str:
        """The state key of a (source, url) pair."""
        return f"{source} {redact(url)}"

    def validators(self, source: str, url: str) -> dict[str, str]:
        """The remembered ETag / Last-Modified for a URL (empty when none)."""
        return dict(self._load()["validators"].get(self.key(source, url), {}))

    def remember_validators(
        self, source: str, url: str, etag: str | None, last_modified: str | None
    ) -> None:
        """Remember the validators of a stored response (forget them when it had none)."""
        validators = self._load()["validators"]
        key = self.key(source, url)
        entry = {k: v for k, v in (("etag", etag), ("last_modified", last_modified)) if v}
        if entry:
            validators[key] = entry
        else:
            validators.pop(key, None)
        self._dirty = True

    def page(self, source: str, url: str) -> dict[str, Any] | None:
        """What is known about the last successful fetch of a page, or None."""
        found = self._load()["pages"].get(self.key(source, url))
        return dict(found) if found else None

    def remember_page(self, source: str, url: str, info: dict[str, Any]) -> None:
        """Remember a page that was stored successfully (day, sha, fetched_at...)."""
        self._load()["pages"][self.key(source, url)] = info
        self._dirty = True

    def save(self) -> None:
        """Write the state file if anything changed."""
        if not self._dirty or self._data is None:
            return
        text = json.dumps(self._data, indent=1, sort_keys=True, ensure_ascii=False)
        write_atomic(self.path, text.encode("utf-8"))
        self._dirty = False


class HttpClient:
    """Fetch URLs politely and safely; see the module docstring for the guarantees."""

    def __init__(
        self,
        settings: Settings,
        *,
        state: HttpState | None = None,
        max_retry_after_s: float = 60.0,
        total_timeout_s: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.state = state if state is not None else HttpState(settings.http_state_file)
        self.max_retry_after_s = max_retry_after_s
        # A server that drips bytes or keeps asking us to retry cannot hold a run forever.
        self.total_timeout_s = total_timeout_s or max(60.0, settings.http_timeout_s * 4)
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        _install_log_redaction()
        self.session = requests.Session()
        self.session.headers.update(
            {
                "User-Agent": settings.user_agent,
                # Only codings urllib3 always decodes; brotli/zstd need optional packages.
                "Accept-Encoding": "gzip, deflate",
                "Accept": (
                    "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                    "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
                ),
            }
        )

    def close(self) -> None:
        """Close the session's connections."""
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- public ---------------------------------------------------------------------------

    def fetch(
        self, url: str, *, source: str, kind: str = "feed", conditional: bool = True
    ) -> FetchResult:
        """GET ``url`` for ``source``; never raises for network or HTTP problems."""
        safe_url = redact(url)
        headers = self._conditional_headers(source, url) if conditional else {}
        deadline = time.monotonic() + self.total_timeout_s
        attempts = [0]
        try:
            return self._follow(url, source, kind, headers, deadline, attempts)
        except FetchFailure as failure:
            message = f"{source}: {kind} {safe_url}: {failure.message}"
            log.warning("%s", message)
            return FetchResult(
                status=ERROR,
                url=safe_url,
                http_status=failure.http_status,
                error=message,
                attempts=attempts[0],
            )

    def remember(self, source: str, url: str, result: FetchResult) -> None:
        """Keep a stored response's validators for the next conditional GET."""
        if result.ok:
            self.state.remember_validators(source, url, result.etag, result.last_modified)

    # -- redirects ------------------------------------------------------------------------

    def _conditional_headers(self, source: str, url: str) -> dict[str, str]:
        validators = self.state.validators(source, url)
        headers = {}
        if validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators.get("last_modified"):
            headers["If-Modified-Since"] = validators["last_modified"]
        return headers

    def _follow(
        self,
        url: str,
        source: str,
        kind: str,
        headers: dict[str, str],
        deadline: float,
        attempts: list[int],
    ) -> FetchResult:
        current = url
        visited = {canonical_url(strip_credentials(url))}
        hops: list[str] = []
        for _ in range(MAX_REDIRECTS + 1):
            allowed, reason = is_allowed_remote(current, self.settings.allow_loopback)
            if not allowed:
                how = "a redirect led there" if hops else "only public http(s) hosts are fetched"
                raise FetchFailure(
                    f"refused to fetch {redact(current)}: {reason}; {how} ({ADVICE[kind]})"
                )
            response = self._request(current, headers, deadline, attempts, kind)
            if response.status_code in REDIRECT_STATUSES:
                current = self._next_hop(response, current, visited, kind)
                hops.append(redact(current))
                continue
            return self._finish(response, url, current, deadline, attempts[0], hops, kind)
        raise FetchFailure(f"more than {MAX_REDIRECTS} redirects (last {hops[-1]}); {ADVICE[kind]}")

    def _next_hop(
        self, response: requests.Response, current: str, visited: set[str], kind: str
    ) -> str:
        location = response.headers.get("Location")
        status = response.status_code
        response.close()
        if not location:
            raise FetchFailure(f"HTTP {status} redirect without a Location; {ADVICE[kind]}", status)
        target = urljoin(current, location.strip())
        key = canonical_url(strip_credentials(target))
        if key in visited:
            raise FetchFailure(
                f"redirect loop back to {redact(target)}; the site is misconfigured, "
                f"{ADVICE[kind]}",
                status,
            )
        visited.add(key)
        return target

    # -- one request with retries ---------------------------------------------------------

    def _wait_for_host(self, url: str) -> None:
        parts = urlsplit(url)
        host = f"{(parts.hostname or '').lower()}:{parts.port or ''}"
        delay = self.settings.per_host_delay_s
        last = self._last_request.get(host)
        if last is not None and delay > 0:
            remaining = last + delay - time.monotonic()
            if remaining > 0:
                self._sleep(remaining)
        self._last_request[host] = time.monotonic()

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        delay = self.settings.http_backoff_s * (2**attempt)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return min(delay, self.max_retry_after_s)

    def _request(
        self,
        url: str,
        headers: dict[str, str],
        deadline: float,
        attempts: list[int],
        kind: str,
    ) -> requests.Response:
        retries = max(0, self.settings.http_retries)
        timeout = (min(self.settings.http_timeout_s, 10.0), self.settings.http_timeout_s)
        for attempt in range(retries + 1):
            self._wait_for_host(url)
            attempts[0] += 1
            last_try = attempt == retries
            try:
                response = self.session.get(
                    url, headers=headers, timeout=timeout, stream=True, allow_redirects=False
                )
            except requests.RequestException as exc:
                problem = describe_exception(exc, url)
                if last_try or not self._can_wait(self._backoff(attempt, None), deadline):
                    raise FetchFailure(
                        f"{problem} after {attempts[0]} attempt(s); {ADVICE[kind]}"
                    ) from None
                delay = self._backoff(attempt, None)
                log.info("retrying %s in %.1fs: %s", redact(url), delay, problem)
                self._sleep(delay)
                continue
            if response.status_code not in RETRY_STATUSES:
                return response
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            delay = self._backoff(attempt, retry_after)
            status, reason = response.status_code, response.reason
            response.close()
            if last_try or not self._can_wait(delay, deadline):
                raise FetchFailure(
                    f"HTTP {status} {reason} after {attempts[0]} attempt(s); the server is "
                    f"overloaded or failing, try again later ({ADVICE[kind]})",
                    status,
                )
            log.info("HTTP %s from %s; retrying in %.1fs", status, redact(url), delay)
            self._sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")

    @staticmethod
    def _can_wait(delay: float, deadline: float) -> bool:
        return time.monotonic() + delay < deadline

    # -- the final response ---------------------------------------------------------------

    def _finish(
        self,
        response: requests.Response,
        url: str,
        final_url: str,
        deadline: float,
        attempts: int,
        hops: list[str],
        kind: str,
    ) -> FetchResult:
        common = {
            "url": redact(url),
            "final_url": redact(final_url),
            "http_status": response.status_code,
            "attempts": attempts,
            "redirects": tuple(hops),
        }
        if response.status_code == 304:
            response.close()
            return FetchResult(status=NOT_MODIFIED, **common)
        if not 200 <= response.status_code < 300:
            status, reason = response.status_code, response.reason
            response.close()
            raise FetchFailure(f"HTTP {status} {reason}; {ADVICE[kind]}", status)
        body = self._read_body(response, final_url, deadline, kind)
        return FetchResult(
            status=OK,
            body=body,
            content_type=response.headers.get("Content-Type"),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            **common,
        )

    def _read_body(
        self, response: requests.Response, url: str, deadline: float, kind: str
    ) -> bytes:
        cap = self.settings.max_body_bytes
        status = response.status_code
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            response.close()
            raise FetchFailure(
                f"the server announces {int(declared):,} bytes, over the {cap:,}-byte cap "
                "(PIPELINES_MAX_BODY_BYTES); raise the cap only if this source really "
                "publishes that much",
                status,
            )
        body = bytearray()
        try:
            # iter_content decompresses gzip/deflate, so the cap counts decompressed bytes
            # and a small compressed bomb is stopped like a large plain body.
            for chunk in response.iter_content(CHUNK_BYTES):
                body += chunk
                if len(body) > cap:
                    raise FetchFailure(
                        f"body exceeds the {cap:,}-byte cap (PIPELINES_MAX_BODY_BYTES); "
                        "cut off while downloading. Raise the cap only if this source really "
                        "publishes that much",
                        status,
                    )
                if time.monotonic() > deadline:
                    raise FetchFailure(
                        f"download took longer than {self.total_timeout_s:.0f}s; the server "
                        f"is too slow, {ADVICE[kind]}",
                        status,
                    )
        except requests.RequestException as exc:
            raise FetchFailure(
                f"{describe_exception(exc, url)} while reading the body; {ADVICE[kind]}", status
            ) from None
        finally:
            response.close()
        return bytes(body)


def describe_exception(exc: BaseException, url: str) -> str:
    """A short, credential-free description of a requests exception."""
    kinds: list[tuple[type[BaseException], str]] = [
        (
            requests.exceptions.ContentDecodingError,
            "the body is labelled compressed (Content-Encoding) but does not decompress",
        ),
        (requests.exceptions.SSLError, "TLS handshake failed (certificate or protocol problem)"),
        (requests.exceptions.ConnectTimeout, "timed out connecting"),
        (requests.exceptions.ReadTimeout, "timed out waiting for the server"),
        (requests.exceptions.ChunkedEncodingError, "the connection broke mid-body"),
        (requests.exceptions.ProxyError, "the proxy refused the connection"),
        (requests.exceptions.ConnectionError, "could not connect"),
        (requests.exceptions.InvalidURL, "the URL is not valid"),
        (requests.exceptions.TooManyRedirects, "too many redirects"),
    ]
    label = next((text for cls, text in kinds if isinstance(exc, cls)), "request failed")
    # The underlying reason (e.g. "Connection refused") helps; the URL inside it is scrubbed.
    detail = scrub(_root_reason(exc), url)
    return f"{label} ({exc.__class__.__name__}: {detail})" if detail else label


def _root_reason(exc: BaseException) -> str:
    reason: BaseException = exc
    seen = set()
    while True:
        nested = getattr(reason, "reason", None) or reason.__cause__ or reason.__context__
        if nested is None or id(nested) in seen or not isinstance(nested, BaseException):
            break
        seen.add(id(nested))
        reason = nested
    text = str(reason)
    return text[:300]
