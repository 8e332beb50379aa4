"""URL hygiene for ingest: canonical forms for identity, a guard against unsafe fetch targets,
and redaction for anything that is logged or stored."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that only say how a reader arrived (campaign, click and share tracking);
# they never change the article, so two links that differ only in these are one article.
# Ambiguous names (cid, src, id, share) stay: some sites use them to select the content.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",  # Facebook click id
        "gclid",  # Google Ads click id
        "gclsrc",
        "dclid",  # Google Display click id
        "gbraid",
        "wbraid",
        "msclkid",  # Microsoft Ads click id
        "mc_cid",  # Mailchimp campaign
        "mc_eid",  # Mailchimp subscriber
        "igshid",  # Instagram share
        "_ga",  # Google Analytics linker
        "_gl",
        "yclid",  # Yandex click id
        "twclid",  # X/Twitter click id
        "ttclid",  # TikTok click id
        "li_fat_id",  # LinkedIn
        "ocid",  # Microsoft/MSN placement
        "cmpid",  # campaign id (Guardian, Telegraph, many CMSs)
        "ito",  # BBC internal traffic origin
        "at_medium",  # AT Internet / Piano (BBC, Le Monde)
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "at_format",
        "at_link_id",
        "at_link_origin",
        "at_link_type",
        "at_ptr_name",
        "at_bbc_team",
        "at_campaign_type",
        "xtor",  # AT Internet legacy
        "wt_mc",  # Webtrekk (heise, Spiegel)
        "wt_zmc",
        "smid",  # NYT share medium
        "smtyp",
        "partner",  # NYT syndication partner ("partner=rss")
        "emc",  # NYT e-mail/feed campaign ("emc=rss")
        "ns_mchannel",  # comScore
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "feedtype",
        "feedname",
        "ref",
        "ref_src",
        "refsrc",
        "s_cid",  # Adobe campaign
        "icid",  # internal campaign id
        "soc_src",
        "soc_trk",
        "mkt_tok",  # Marketo
        "hss_channel",  # HubSpot
        "_hsenc",
        "_hsmi",
        "__twitter_impression",
        "sr_share",
        "guccounter",  # Yahoo consent redirect
        "guce_referrer",
        "guce_referrer_sig",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "vero_")

# Query keys whose values must never reach a log or a stored record.
SECRET_KEY_MARKERS = (
    "token",
    "key",
    "sig",
    "pass",
    "pwd",
    "secret",
    "auth",
    "credential",
    "session",
    "sid",
)

# Addresses of cloud metadata services: reading them from a crawler leaks instance credentials.
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),
        ipaddress.ip_address("fd00:ec2::254"),
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    }
)

REDACTED = "REDACTED"


def _host_for_netloc(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _is_tracking(key: str) -> bool:
    lowered = unquote_plus(key).lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _clean_query(query: str) -> str:
    # Work on the raw "k=v" pieces so percent-encoding is kept exactly as published:
    # re-encoding would turn one URL into several spellings.
    pieces = [piece for piece in query.replace(";", "&").split("&") if piece]
    kept = [piece for piece in pieces if not _is_tracking(piece.split("=", 1)[0])]
    return "&".join(sorted(kept))


def _port_or_none(parts: SplitResult) -> int | None:
    try:
        return parts.port
    except ValueError:
        return None


def canonical_url(url: str) -> str:
    """Return one spelling per article URL: the key that identifies an article across feeds.

    Lower-cases scheme and host, drops default ports, the fragment, credentials and tracking
    parameters (``TRACKING_PARAMS``, ``TRACKING_PREFIXES``), sorts the remaining query
    parameters and writes an empty path as ``/``. Strings that are not absolute http(s) URLs
    (relative links, ``file:`` URLs) only lose their fragment.
    """
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return urlunsplit(parts._replace(fragment=""))
    host = parts.hostname.lower().rstrip(".")
    port = _port_or_none(parts)
    netloc = _host_for_netloc(host)
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


def strip_credentials(url: str) -> str:
    """Return the URL without ``user:password@`` (everything else unchanged)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = _host_for_netloc(parts.hostname or "")
    port = _port_or_none(parts)
    netloc = f"{host}:{port}" if port is not None else host
    return urlunsplit(parts._replace(netloc=netloc))


def _is_secret_key(key: str) -> bool:
    lowered = unquote_plus(key).lower()
    return any(marker in lowered for marker in SECRET_KEY_MARKERS)


def redact(url: str) -> str:
    """Return the URL safe for logs and stored records: no credentials, no secret query values."""
    parts = urlsplit(strip_credentials(url))
    if not parts.query:
        return urlunsplit(parts)
    pieces = []
    for piece in parts.query.split("&"):
        key, sep, _ = piece.partition("=")
        pieces.append(f"{key}={REDACTED}" if sep and _is_secret_key(key) else piece)
    return urlunsplit(parts._replace(query="&".join(pieces)))


def _address_problem(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool
) -> str | None:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address.is_loopback:
        return None if allow_loopback else "a loopback address"
    checks = (
        ("is_unspecified", "an unspecified address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private address"),
    )
    for attribute, label in checks:
        if getattr(address, attribute):
            return label
    # Shared (carrier-grade NAT) space and other special ranges are not private in the
    # stdlib's sense but are still not the public internet.
    if not address.is_global:
        return "a non-public address"
    return None


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})


def is_allowed_remote(url: str, allow_loopback: bool = False) -> tuple[bool, str]:
    """Say whether fetching ``url`` is safe, and why not when it is refused.

    Only http(s) URLs whose host resolves exclusively to public addresses pass; every address
    the name resolves to is checked, so one private record is enough to refuse. With
    ``allow_loopback``, 127.0.0.0/8 and ::1 pass (tests, a local mirror). The check resolves
    the name once; the connection resolves it again, so this does not defend against a DNS
    server that answers differently the second time.
    """
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return False, f"not a valid URL ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return False, f"scheme {scheme or '(none)'!r} is not http or https"
    host = parts.hostname
    if not host:
        return False, "the URL has no host"
    port = _port_or_none(parts) or DEFAULT_PORTS[scheme]
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in _resolve(host, port)]
        except (OSError, UnicodeError) as exc:
            return False, f"host {host!r} does not resolve ({exc.__class__.__name__})"
    if not addresses:
        return False, f"host {host!r} does not resolve"
    for address in addresses:
        problem = _address_problem(address, allow_loopback)
        if problem:
            return False, f"host {host!r} resolves to {problem} ({address})"
    return True, "ok"
