"""Polars schemas at the ingest boundary: what fetching and parsing hand to the warehouse."""

from __future__ import annotations

import polars as pl

UTC = "UTC"

# One row per fetch attempt (feed or page), successful or not: the run's audit trail and
# the input of freshness checks. Landed as raw.fetches.
FETCHES_SCHEMA = pl.Schema(
    {
        "fetch_id": pl.String,  # sha256 of (source, url, fetched_at, kind)
        "fetch_date": pl.Date,  # partition: the UTC day of the fetch
        "source": pl.String,
        "kind": pl.String,  # feed | page
        "url": pl.String,  # as requested (credentials stripped)
        "fetched_at": pl.Datetime("us", UTC),
        "status": pl.String,  # ok | not_modified | error
        "http_status": pl.Int32,  # null for local files
        "payload_sha256": pl.String,  # null when nothing was stored
        "payload_bytes": pl.Int64,
        "content_type": pl.String,
        "error": pl.String,  # what went wrong and what to do; null when ok
    }
)

# One row per article version. Landed as raw.articles, keyed by (article_id, article_version):
# re-landing the same input adds nothing; changed text is a new version.
ARTICLES_SCHEMA = pl.Schema(
    {
        "article_id": pl.String,  # stable: sha256 of the canonical URL (else source + entry id)
        "article_version": pl.String,  # sha256 of title + text
        "source": pl.String,
        "entry_id": pl.String,
        "url": pl.String,  # canonical
        "title": pl.String,
        "summary": pl.String,
        "text": pl.String,  # plain text, paragraphs separated by blank lines
        "text_origin": pl.String,  # page | entry_content | entry_summary | title
        "text_fallback_reason": pl.String,  # why the page text was not used; null when it was
        "published_at": pl.Datetime("us", UTC),
        "is_published_at_fallback": pl.Boolean,  # true when the feed gave no usable time
        "language": pl.String,
        "fetched_at": pl.Datetime("us", UTC),
        "fetch_date": pl.Date,
        "feed_payload_sha256": pl.String,
        "page_payload_sha256": pl.String,
        "page_text_engine": pl.String,  # which HTML-to-text engine and version produced text
    }
)

# One row per feed entry as parsed from one feed payload (not landed; the input of article
# assembly). Text columns are plain text, paragraphs separated by blank lines.
ENTRIES_SCHEMA = pl.Schema(
    {
        "source": pl.String,
        "entry_id": pl.String,  # guid / Atom id, else the link, else a hash of title + time
        "position": pl.Int32,  # order in the feed, 0 first
        "url": pl.String,  # canonical form of link; the article's identity
        "link": pl.String,  # as published, resolved against the feed's URL
        "title": pl.String,
        "summary": pl.String,
        "content": pl.String,
        "published_at": pl.Datetime("us", UTC),  # published, else updated, else fetched_at
        "updated_at": pl.Datetime("us", UTC),  # null when the feed gives none
        "is_published_at_fallback": pl.Boolean,  # true when published_at is fetched_at
        "language": pl.String,  # primary subtag ("en"), entry's else feed's else source's
        "fetched_at": pl.Datetime("us", UTC),
    }
)

# Problems met while replaying a day (a feed that no longer parses, a missing payload...).
PROBLEMS_SCHEMA = pl.Schema(
    {
        "source": pl.String,
        "url": pl.String,
        "message": pl.String,
    }
)
