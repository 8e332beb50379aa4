"""Builders for feeds and pages written by these tests (no third-party text)."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Item:
    title: str
    link: str | None
    description: str = "A short summary of the report."
    guid: str | None = None
    pub_date: str | None = "Tue, 10 Mar 2026 08:30:00 +0300"
    content_html: str | None = None


def rss(items: list[Item], *, title: str = "Test Wire", language: str | None = "en-GB") -> str:
    """An RSS 2.0 document with the given items."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        "<link>http://wire.test/</link>",
        "<description>Wire for tests</description>",
    ]
    if language:
        parts.append(f"<language>{language}</language>")
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title>")
        if item.link is not None:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        parts.append(f"<description>{escape(item.description)}</description>")
        if item.content_html:
            parts.append(f"<content:encoded><![CDATA[{item.content_html}]]></content:encoded>")
        if item.pub_date:
            parts.append(f"<pubDate>{item.pub_date}</pubDate>")
        parts.append("</item>")
    parts += ["</channel>", "</rss>"]
    return "\n".join(parts)


def article_html(headline: str, paragraphs: list[str]) -> str:
    """A news-like page: navigation and footer around one article with paragraphs."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(headline)} | Test Wire</title></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
<h1>{escape(headline)}</h1>
<p class="byline">By Staff Reporter</p>
{body}
</article></main>
<footer><p>Copyright Test Wire. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


PARAGRAPHS = [
    "Three rockets struck the perimeter of the logistics base north of the city late on "
    "Monday night, officials said, wounding two contractors and damaging a fuel depot.",
    "A spokesman for the provincial police said the launch site was found in an orchard "
    "about four kilometres away, where investigators recovered a burnt-out launcher.",
    "No group had claimed responsibility by Tuesday morning. The base has been targeted "
    "several times since October, according to a tally kept by local officials.",
]


# Entity expansion ("billion laughs"): a few hundred bytes that expand to gigabytes.
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://wire.test/x</link></item></channel></rss>"""
