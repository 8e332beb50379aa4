"""The report as one self-contained HTML page: inline CSS, server-rendered SVG, no script.

Every piece of text that came from an article or a feed (titles, places, actors, evidence
sentences, URLs) goes through :func:`esc`; links are emitted only for http(s) URLs. The
page's Content-Security-Policy forbids scripts and every network request, so even a
rendering bug cannot run code or call out, and the page works offline from a file:// URL.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from pipelines.report.data import (
    CHART_COUNTRIES,
    NO_ATTACKS,
    NO_DATABASE,
    NO_MARTS,
    Attack,
    CountrySeries,
    Perpetrator,
    ReportData,
    country_name,
)

TITLE = "Conflict-event warehouse: attacks report"
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
CHART_W, CHART_H = 300, 44

EMPTY_MESSAGES = {
    NO_DATABASE: (
        "No analyst database has been published yet. Run the pipeline (make run, or the "
        "poll_feeds job in the UI); the report is rebuilt after every publish."
    ),
    NO_MARTS: (
        "The analyst database has no marts yet: the last run did not build them. Check the "
        "run's logs in the Dagster UI."
    ),
    NO_ATTACKS: (
        "No attacks in the warehouse yet. The feeds were read, but no article described an "
        "attack the extractor recognised."
    ),
}

STYLE = """
:root { --ink: #1d232b; --muted: #5b6673; --line: #d9dee4; --bg: #f6f7f9;
  --attack: #2f5d8a; --killed: #8c1c13; --wounded: #e08a2c; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 0 0 12px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px;
  padding: 16px 20px; margin: 16px 0; }
.meta, .note, footer { color: var(--muted); font-size: 0.88rem; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; }
.kpi { min-width: 130px; padding: 8px 12px; border-left: 4px solid var(--attack);
  background: var(--bg); }
.kpi b { display: block; font-size: 1.4rem; }
.empty { border-left: 6px solid var(--wounded); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px;
  border-bottom: 1px solid var(--line); }
th { font-size: 0.82rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
th[scope="row"] { font-size: 0.95rem; text-transform: none; letter-spacing: 0; color: var(--ink); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
svg { display: block; width: 100%; max-width: 420px; height: auto; }
.legend span { display: inline-block; margin-right: 14px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px;
  vertical-align: middle; }
ul.evidence, ul.articles { margin: 0; padding-left: 18px; }
ul.evidence li { margin-bottom: 4px; }
ul.articles { font-size: 0.85rem; color: var(--muted); }
q { quotes: "\\201C" "\\201D"; }
.tag { font-size: 0.78rem; padding: 1px 6px; border-radius: 3px; background: var(--bg);
  border: 1px solid var(--line); white-space: nowrap; }
"""


def esc(value: object) -> str:
    """Text for HTML (content or attribute): every markup character escaped."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_href(url: str | None) -> str | None:
    """An escaped href for an absolute http(s) URL, else None (javascript:, data:, files...)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return esc(url.strip())


def number(value: int | None) -> str:
    """1234 -> "1,234"; None -> "unknown"."""
    return "unknown" if value is None else f"{value:,}"


def render_report(data: ReportData) -> str:
    """The whole page."""
    sections = [
        _empty_state(data) if data.is_empty else "",
        _overview(data),
        _over_time(data),
        _perpetrators(data),
        _attribution(data),
        _latest(data),
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="referrer" content="no-referrer">',
            f"<title>{esc(TITLE)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            _header(data),
            "<main>",
            *[section for section in sections if section],
            "</main>",
            _footer(),
            "</body>",
            "</html>",
            "",
        ]
    )


def _header(data: ReportData) -> str:
    published = (
        f"analyst database published {esc(_published(data.published_at))}"
        if data.published_at
        else "no analyst database published yet"
    )
    return (
        f"<header><h1>{esc(TITLE)}</h1>"
        f'<p class="meta">Generated {esc(_stamp(data.generated_at))}; {published}. '
        "Attacks as resolved by the warehouse (marts.fct_attacks); casualty figures are the "
        "latest report's best estimate, unknown when no report states one.</p></header>"
    )


def _footer() -> str:
    return (
        "<footer><p>Built from the published analyst database "
        "(warehouse/conflict_analyst.duckdb). Text quoted from articles is shown as "
        "published.</p></footer>"
    )


def _empty_state(data: ReportData) -> str:
    message = EMPTY_MESSAGES.get(data.status, EMPTY_MESSAGES[NO_ATTACKS])
    return (
        '<section id="empty-state" class="empty" role="status">'
        f"<h2>Nothing to report yet</h2><p>{esc(message)}</p></section>"
    )


def _section(section_id: str, title: str, body: str) -> str:
    return f'<section id="{section_id}"><h2>{esc(title)}</h2>{body}</section>'


def _none(text: str) -> str:
    return f'<p class="note no-data">{esc(text)}</p>'


def _overview(data: ReportData) -> str:
    totals = data.totals
    kpis = [
        ("Attacks", totals.get("attacks", 0)),
        ("Killed (known)", totals.get("killed", 0)),
        ("Wounded (known)", totals.get("wounded", 0)),
        ("Countries", totals.get("countries", 0)),
        ("Sources", totals.get("sources", 0)),
    ]
    cells = "".join(
        f'<div class="kpi"><b>{esc(number(value or 0))}</b>{esc(label)}</div>'
        for label, value in kpis
    )
    span = ""
    if totals.get("first_date") and totals.get("last_date"):
        span = (
            f'<p class="note">Attacks dated {esc(totals["first_date"])} to '
            f"{esc(totals['last_date'])}.</p>"
        )
    return _section("overview", "Overview", f'<div class="kpis">{cells}</div>{span}')


# -- over time ---------------------------------------------------------------------------


def _over_time(data: ReportData) -> str:
    title = "Attacks and casualties over time, by country"
    if not data.countries or not data.periods:
        return _section("over-time", title, _none("No dated attacks yet."))
    shown = data.countries[:CHART_COUNTRIES]
    max_attacks = max((p.attacks for c in shown for p in c.points.values()), default=0) or 1
    max_casualties = (
        max((p.killed + p.wounded for c in shown for p in c.points.values()), default=0) or 1
    )
    first, last = data.periods[0], data.periods[-1]
    legend = (
        '<p class="legend note">'
        '<span><i class="swatch" style="background:var(--attack)"></i>'
        f"attacks per {data.period}</span>"
        '<span><i class="swatch" style="background:var(--killed)"></i>killed</span>'
        '<span><i class="swatch" style="background:var(--wounded)"></i>wounded</span>'
        f"<span>{esc(first)} &rarr; {esc(last)}; bars share one scale across countries "
        f"(attacks up to {max_attacks:,}, casualties up to {max_casualties:,} per {data.period})"
        "</span></p>"
    )
    rows = "".join(
        "<tr>"
        f'<th scope="row">{esc(c.country_name)}<br><span class="note">'
        f"{c.attacks:,} attacks, {c.killed:,} killed</span></th>"
        f"<td>{_bars(c, data.periods, data.period, max_attacks, 'attacks')}</td>"
        f"<td>{_bars(c, data.periods, data.period, max_casualties, 'casualties')}</td>"
        "</tr>"
        for c in shown
    )
    charts = (
        '<table class="charts"><thead><tr><th>Country</th><th>Attacks</th>'
        f"<th>Killed and wounded</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    more = ""
    if len(data.countries) > len(shown):
        more = f'<p class="note">Charts show the {len(shown)} countries with most attacks.</p>'
    return _section("over-time", title, legend + charts + more + _country_table(data.countries))


def _bars(country: CountrySeries, periods: list[date], period: str, top: int, measure: str) -> str:
    width = CHART_W / max(len(periods), 1)
    shapes = []
    for index, start in enumerate(periods):
        point = country.points.get(start)
        if point is None or (point.attacks == 0 and point.killed + point.wounded == 0):
            continue
        x = index * width
        bar = max(width - 1, 0.6)
        label = (
            f"{country.country_name}, {period} of {start}: {point.attacks} attacks, "
            f"{point.killed} killed, {point.wounded} wounded"
        )
        if measure == "attacks":
            height = CHART_H * point.attacks / top
            shapes.append(_rect(x, CHART_H - height, bar, height, "var(--attack)", label))
            continue
        killed_h = CHART_H * point.killed / top
        wounded_h = CHART_H * point.wounded / top
        shapes.append(_rect(x, CHART_H - killed_h, bar, killed_h, "var(--killed)", label))
        shapes.append(
            _rect(x, CHART_H - killed_h - wounded_h, bar, wounded_h, "var(--wounded)", label)
        )
    axis = f'<line x1="0" y1="{CHART_H}" x2="{CHART_W}" y2="{CHART_H}" stroke="#d9dee4"/>'
    name = esc(f"{measure} per {period} in {country.country_name}")
    return (
        f'<svg viewBox="0 0 {CHART_W} {CHART_H + 1}" role="img" aria-label="{name}">'
        f"{axis}{''.join(shapes)}</svg>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, label: str) -> str:
    if h <= 0:
        return ""
    return (
        f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}" '
        f'style="fill:{fill}"><title>{esc(label)}</title></rect>'
    )


def _country_table(countries: list[CountrySeries]) -> str:
    rows = "".join(
        "<tr>"
        f"<td>{esc(c.country_name)}</td><td>{esc(c.country_code or '')}</td>"
        f'<td class="num">{c.attacks:,}</td><td class="num">{c.killed:,}</td>'
        f'<td class="num">{c.wounded:,}</td><td class="num">{c.unknown_toll:,}</td>'
        f"<td>{esc(c.last_date or '')}</td></tr>"
        for c in countries
    )
    return (
        '<table class="countries"><thead><tr><th>Country</th><th>Code</th>'
        '<th class="num">Attacks</th><th class="num">Killed</th><th class="num">Wounded</th>'
        '<th class="num">Toll unknown</th><th>Latest attack</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


# -- perpetrators and attribution --------------------------------------------------------


def _perpetrators(data: ReportData) -> str:
    title = "Top perpetrators"
    if not data.perpetrators:
        return _section("perpetrators", title, _none("No attack has a named perpetrator yet."))
    rows = "".join(_perpetrator_row(p) for p in data.perpetrators)
    table = (
        '<table><thead><tr><th>Perpetrator</th><th class="num">Attacks</th>'
        '<th class="num">Killed</th><th class="num">Wounded</th><th>How attributed</th>'
        f"<th>Latest attack</th></tr></thead><tbody>{rows}</tbody></table>"
        '<p class="note">The strongest attribution per attack: stated by a report, claimed, '
        "blamed or suspected (every statement is in marts.fct_attributions).</p>"
    )
    return _section("perpetrators", title, table)


def _perpetrator_row(p: Perpetrator) -> str:
    statuses = " ".join(
        f'<span class="tag">{esc(status)} {count}</span>'
        for status, count in sorted(p.statuses.items())
    )
    return (
        f'<tr><td>{esc(p.name)}</td><td class="num">{p.attacks:,}</td>'
        f'<td class="num">{p.killed:,}</td><td class="num">{p.wounded:,}</td>'
        f"<td>{statuses}</td><td>{esc(p.last_date or '')}</td></tr>"
    )


ATTRIBUTION_COLOURS = {
    "claimed": "#2f5d8a",
    "stated": "#6f8fb3",
    "blamed": "#e08a2c",
    "unattributed": "#b7bec7",
    "other": "#8a8f96",
}


def _attribution(data: ReportData) -> str:
    title = "Claimed, blamed or unattributed"
    total = sum(count for _, _, count in data.attribution)
    if not total:
        return _section("attribution", title, _none("No attacks yet."))
    x = 0.0
    shapes = []
    for key, label, count in data.attribution:
        width = 600 * count / total
        tip = f"{label}: {count} of {total} attacks ({100 * count / total:.0f}%)"
        colour = ATTRIBUTION_COLOURS.get(key, "#8a8f96")
        shapes.append(
            f'<rect x="{x:.2f}" y="0" width="{width:.2f}" height="28" '
            f'style="fill:{colour}"><title>{esc(tip)}</title></rect>'
        )
        x += width
    bar = (
        f'<svg viewBox="0 0 600 28" role="img" aria-label="share of attacks by attribution" '
        f'style="max-width:600px">{"".join(shapes)}</svg>'
    )
    rows = "".join(
        f'<tr data-group="{esc(key)}"><td><i class="swatch" '
        f'style="background:{ATTRIBUTION_COLOURS.get(key, "#8a8f96")}"></i>{esc(label)}</td>'
        f'<td class="num">{count:,}</td><td class="num">{100 * count / total:.0f}%</td></tr>'
        for key, label, count in data.attribution
    )
    table = (
        '<table class="shares"><thead><tr><th>Attribution</th><th class="num">Attacks</th>'
        f'<th class="num">Share</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return _section("attribution", title, bar + table)


# -- latest attacks ----------------------------------------------------------------------


def _latest(data: ReportData) -> str:
    title = "Latest attacks"
    if not data.latest:
        return _section("latest-attacks", title, _none("No attacks yet."))
    rows = "".join(_attack_row(attack) for attack in data.latest)
    table = (
        "<table><thead><tr><th>Date</th><th>Where</th><th>What</th><th>Who</th>"
        '<th class="num">Killed</th><th class="num">Wounded</th><th class="num">Sources</th>'
        f"<th>Evidence</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    return _section("latest-attacks", title, table)


def _attack_row(attack: Attack) -> str:
    where = ", ".join(
        part
        for part in (attack.place_name, attack.admin1, country_name(attack.country_code))
        if part
    )
    who = esc(attack.perpetrator_name or "unknown")
    if attack.perpetrator_name and attack.perpetrator_status:
        who += f' <span class="tag">{esc(attack.perpetrator_status)}</span>'
    what = esc((attack.attack_type or "attack").replace("_", " "))
    if attack.is_background_only:
        what += ' <span class="tag">background only</span>'
    return (
        f'<tr class="attack" data-event-id="{esc(attack.event_id)}">'
        f"<td>{esc(_when(attack))}</td><td>{esc(where)}</td><td>{what}</td><td>{who}</td>"
        f'<td class="num">{esc(_toll(attack.killed_best, attack.killed_high))}</td>'
        f'<td class="num">{esc(_toll(attack.wounded_best, attack.wounded_high))}</td>'
        f'<td class="num">{attack.source_count:,}</td>'
        f"<td>{_evidence(attack.evidence)}{_articles(attack)}</td></tr>"
    )


def _when(attack: Attack) -> str:
    if attack.start_date is None:
        return "date unknown"
    text = str(attack.start_date)
    if attack.end_date and attack.end_date != attack.start_date:
        text += f" to {attack.end_date}"
    if attack.date_precision and attack.date_precision != "day":
        text += f" ({attack.date_precision})"
    return text


def _toll(best: int | None, high: int | None) -> str:
    if best is None:
        return "unknown"
    if high is not None and high != best:
        return f"{best:,} (up to {high:,})"
    return f"{best:,}"


def _evidence(sentences: Iterable[str]) -> str:
    items = "".join(f"<li><q>{esc(sentence)}</q></li>" for sentence in sentences)
    return f'<ul class="evidence">{items}</ul>' if items else _none("No evidence sentence.")


def _articles(attack: Attack) -> str:
    items = []
    for article in attack.articles:
        title = esc(article.title or article.url or "untitled article")
        href = safe_href(article.url)
        link = f'<a href="{href}" rel="noopener noreferrer nofollow">{title}</a>' if href else title
        when = f", {esc(_stamp(article.published_at))}" if article.published_at else ""
        items.append(f"<li>{link} ({esc(article.source or 'unknown source')}{when})</li>")
    return f'<ul class="articles">{"".join(items)}</ul>' if items else ""


def _published(value: str) -> str:
    try:
        return _stamp(datetime.fromisoformat(value))
    except ValueError:
        return value


def _stamp(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
