"""A self-contained HTML report: per metric the reconciled estimate, the spread, the chart, every claim with its quotes.

The page makes no network requests: the styles are inline, the charts are inline SVG and a
Content-Security-Policy forbids loading anything, so it can be mailed or archived as one file.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR

from reconcile import __version__
from reconcile.analysis.chart import Band, Chart, chart
from reconcile.analysis.claims import Filters, expand_metrics, format_date, scope_label
from reconcile.analysis.compare import Comparison, compare
from reconcile.analysis.estimate import (
    METHOD_RULES,
    Estimate,
    Method,
    Reason,
    carry_limit,
    carry_note,
    estimate_for,
    what_would_use,
)
from reconcile.io.fingerprint import DatasetFile
from reconcile.model.dataset import Dataset
from reconcile.model.terms import Number, figure, number
from reconcile.output import escape

#: Draws a chart as inline SVG markup; None when charts cannot be drawn.
SvgDrawer = Callable[[Chart], str]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CitationView:
    """A document that carried a claim, and the quote from it."""

    outlet: str
    title: str
    published: date
    url: str | None
    archived: bool
    quote: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ClaimView:
    """One claim as a row of the report's table."""

    id: str
    date_text: str
    originator: str
    party: bool | None
    relay: list[str]
    stated: str
    low: Number | None
    best: Number
    high: Number | None
    scope: str
    projection: bool
    citations: list[CitationView]
    notes: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Credits:
    """Whom a chart draws on: the originators of its figures and the outlets that carried them."""

    originators: list[str]
    outlets: list[str]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class SubjectSection:
    """The claims about one metric and one subject."""

    subject: str
    subject_name: str
    estimate: Band | None  # the reconciled range of the cumulative counts
    comparisons: list[Comparison]  # each originator's latest figure, with the spread, per scope
    chart: Chart | None  # the cumulative counts over time
    credits: Credits | None  # who the chart's figures come from
    claims: list[ClaimView]  # every claim, oldest first
    methods: Estimate  # how the estimate was made: the claims used, those set aside and why


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class MetricSection:
    """Everything the report says about one metric."""

    metric: str
    label: str
    unit: str
    description: str
    subjects: list[SubjectSection]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """The data of a report, before it is written as HTML."""

    title: str
    queries: list[str]
    as_of: date | None
    made: datetime  # in UTC
    dataset: DatasetFile | None  # the file the claims were read from, when known
    metrics: list[MetricSection]


def default_queries(dataset: Dataset) -> list[str]:
    """Every group, then every metric in no group: the whole dataset."""
    grouped = {m for members in dataset.groups.values() for m in members}
    return [*dataset.groups, *(m for m in dataset.metrics if m not in grouped)]


def made_at() -> datetime:
    """Now in UTC, or the time SOURCE_DATE_EPOCH names, so that a build can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def build(
    dataset: Dataset,
    queries: Sequence[str],
    filters: Filters,
    *,
    origin: DatasetFile | None = None,
    made: datetime | None = None,
) -> Report:
    """The report's data for some metrics or groups (each metric once, in the order asked).

    `origin` is the file the dataset was read from, named on the page with its hash; `made` is when
    the report is made (by default now, see `made_at`).
    """
    metrics: list[str] = []
    for name in queries:
        metrics += [m for m in expand_metrics(dataset, name) if m not in metrics]
    sections = []
    for metric_id in metrics:
        claims = [c for c in dataset.claims if c.metric == metric_id and filters.admit(c)]
        subjects = [s for s in dataset.subjects if any(c.subject == s for c in claims)]
        if not subjects:
            continue
        metric = dataset.metrics[metric_id]
        sections.append(
            MetricSection(
                metric=metric_id,
                label=metric.label,
                unit=metric.unit,
                description=metric.description,
                subjects=[_subject_section(dataset, metric_id, s, filters) for s in subjects],
            )
        )
    title = "Reconciled estimates: " + ", ".join(queries)
    return Report(
        title=title,
        queries=list(queries),
        as_of=filters.as_of,
        made=made or made_at(),
        dataset=origin,
        metrics=sections,
    )


def _subject_section(dataset: Dataset, metric: str, subject: str, filters: Filters) -> SubjectSection:
    narrowed = dataclasses.replace(filters, subject=subject)
    drawn = chart(dataset, metric, narrowed)
    panel = drawn.panels[0] if drawn.panels else None
    claims = sorted(
        (c for c in dataset.claims if c.metric == metric and narrowed.admit(c)), key=lambda c: (c.date, c.id)
    )
    views = []
    for claim in claims:
        source = dataset.sources[claim.source]
        interval = claim.interval
        citations = [
            CitationView(
                outlet=dataset.documents[c.document].outlet,
                title=dataset.documents[c.document].title,
                published=dataset.documents[c.document].published,
                url=dataset.documents[c.document].url,
                archived=dataset.documents[c.document].file is not None,
                quote=c.quote,
            )
            for c in claim.citations
        ]
        views.append(
            ClaimView(
                id=claim.id,
                date_text=format_date(claim.date, claim.precision),
                originator=source.label,
                party=source.party,
                relay=list(claim.relay),
                stated=claim.value.stated,
                low=interval.low,
                best=interval.best,
                high=interval.high,
                scope=scope_label(claim),
                projection=claim.projection,
                citations=citations,
                notes=claim.notes,
            )
        )
    return SubjectSection(
        subject=subject,
        subject_name=dataset.subjects[subject].name,
        estimate=panel.band if panel else None,
        comparisons=compare(dataset, [metric], narrowed),
        chart=drawn if panel else None,
        credits=_credits(dataset, drawn) if panel else None,
        claims=views,
        methods=estimate_for(dataset, metric, subject, narrowed),
    )


def _credits(dataset: Dataset, drawn: Chart) -> Credits:
    """The originators a chart draws, in legend order, and the outlets that carried their claims."""
    drawn_claims = {b.claim for p in drawn.panels for b in p.bars}
    outlets = {
        dataset.documents[citation.document].outlet
        for claim in dataset.claims
        if claim.id in drawn_claims
        for citation in claim.citations
    }
    return Credits(originators=list(drawn.originators), outlets=sorted(outlets, key=str.casefold))


CSS = """
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --rule: #d9e2ec; --band: #e4e7eb; --party: #b44d12; }
* { box-sizing: border-box; }
body { overflow-wrap: break-word; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1100px; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.35em; margin: 40px 0 4px; padding-top: 12px; border-top: 3px solid var(--ink); }
h3 { font-size: 1.1em; margin: 24px 0 8px; }
p.lede, p.meta, .muted { color: var(--muted); }
nav ul { columns: 3; padding-left: 18px; }
.estimate { background: var(--band); border-radius: 6px; padding: 10px 14px; margin: 8px 0; }
.estimate strong { font-size: 1.15em; }
.spread { margin: 4px 0; }
figure { margin: 12px 0; }
figure svg { width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.85em; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.92em; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--rule); }
th { background: #f5f7fa; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.date { white-space: nowrap; }
.party { color: var(--party); font-size: 0.8em; font-weight: 600; margin-left: 4px; }
blockquote { margin: 4px 0 8px; padding: 2px 10px; border-left: 3px solid var(--rule); color: #323f4b; }
.cite { font-size: 0.88em; }
.note { font-size: 0.85em; color: var(--muted); }
footer { margin-top: 48px; color: var(--muted); font-size: 0.85em; }
code { font-size: 0.9em; }
/* A URL or a hash has no spaces: without this, one would widen its column or the page. */
.cite, code, .methods { overflow-wrap: anywhere; }
.methods { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 14px; margin: 8px 0 12px; font-size: 0.92em; }
.methods h4 { margin: 4px 0; font-size: 1em; }
.methods ul { margin: 4px 0 8px; padding-left: 20px; }
.methods p { margin: 4px 0; }
summary { cursor: pointer; font-weight: 600; }
p.credit { margin: 4px 0 0; }
@media (max-width: 720px) {
  body { padding: 12px 14px 40px; }
  nav ul { columns: 1; }
  table.claims, table.claims tbody, table.claims tr, table.claims td { display: block; width: 100%; }
  table.claims thead { display: none; }
  table.claims tr { border-bottom: 2px solid var(--rule); padding: 6px 0; }
  table.claims td { border: 0; padding: 2px 0; text-align: left; }
  table.claims td.num { text-align: left; }
  table.claims td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: 0.9em; }
}
@media print { h2 { break-before: page; } figure, tr { break-inside: avoid; } }
"""

# Nothing may be fetched: no scripts, fonts, images or styles from anywhere but this file.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def to_html(report: Report, draw_svg: SvgDrawer | None, *, missing_charts: str = "") -> str:
    """The report as one HTML page; without `draw_svg` each chart is replaced by `missing_charts`."""
    e = escape.html
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(report.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{e(report.title)}</h1>",
        (
            '<p class="lede">What each source has claimed, how far the figures disagree, the reconciled range, '
            "and where every figure comes from.</p>"
        ),
    ]
    if report.as_of:
        out.append(f'<p class="meta">Only claims made by {report.as_of.isoformat()}.</p>')
    out.append(_provenance_html(report))
    out += ["</header>", "<nav><ul>"]
    out += [f'<li><a href="#{e(m.metric)}">{e(m.label)}</a></li>' for m in report.metrics]
    out.append("</ul></nav>")
    if not report.metrics:
        out.append("<p>No claims match these filters.</p>")
    for section in report.metrics:
        out += _metric_html(section, draw_svg, missing_charts)
    out += [f"<footer>Made with reconcile {e(__version__)}.</footer>", "</body>", "</html>", ""]
    return "\n".join(out)


def _provenance_html(report: Report) -> str:
    made = report.made.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"Made on {made} with reconcile {escape.html(__version__)}"
    if report.dataset is not None:
        d = report.dataset
        modified = d.modified.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        text += (
            f" from the dataset <code>{escape.html(d.path)}</code> (SHA-256 <code>{d.sha256}</code>, "
            f"modified {modified})"
        )
    return f'<p class="meta">{text}.</p>'


def _metric_html(section: MetricSection, draw_svg: SvgDrawer | None, missing_charts: str) -> list[str]:
    e = escape.html
    out = [
        f'<section id="{e(section.metric)}">',
        f'<h2>{e(section.label)} <span class="muted">({e(section.unit)})</span></h2>',
    ]
    if section.description:
        out.append(f'<p class="muted">{e(section.description)}</p>')
    for subject in section.subjects:
        out.append(f"<h3>{e(subject.subject_name)}</h3>")
        if subject.estimate is not None:
            band = subject.estimate
            as_of = f", as of {band.as_of.isoformat()}" if band.as_of else ""
            # At the claims' precision, as the estimate's line: a low rounded down, a high up.
            low = figure(band.low, band.places, ROUND_FLOOR, open_text="no floor")
            high = figure(band.high, band.places, ROUND_CEILING, open_text="no ceiling")
            out.append(
                f'<div class="estimate">Reconciled estimate ({e(band.method)}{as_of}): '
                f"<strong>{figure(band.best, band.places)}</strong>, range {low} to {high}, from the latest "
                f"cumulative counts of {band.used} originator{'s' if band.used != 1 else ''}.</div>"
            )
        out.append(_methods_html(subject.methods))
        # A lone count of one incident or period has no spread worth stating; the table lists it.
        for comparison in subject.comparisons:
            if comparison.scope == "cumulative" or len(comparison.rows) > 1:
                out.append(_spread_html(comparison))
        if subject.chart is not None:
            if draw_svg is not None:
                out.append(
                    f"<figure>{draw_svg(subject.chart)}<figcaption>Each bar is one claim's low-high range at "
                    "the date it was made; the marker is its best value, an arrow an open bound. The grey "
                    f"band is the reconciled range at each date, its best value dashed.{_credit_html(subject.credits)}</figcaption></figure>"
                )
            elif missing_charts:
                out.append(f'<p class="note">{e(missing_charts)}</p>')
        out += _claims_table(subject.claims)
    out.append("</section>")
    return out


def _credit_html(credits: Credits | None) -> str:
    if credits is None:
        return ""
    text = "; ".join(escape.html(name) for name in credits.originators)
    if credits.outlets:
        text += ". Carried by " + "; ".join(escape.html(name) for name in credits.outlets)
    return f'<p class="credit">Source: {text}.</p>'


#: What each reason for setting a claim aside means, for a reader who has not read docs/methods.md.
REASON_TEXT = {
    Reason.out_of_scope: "a count of one period or incident, not a running total",
    Reason.projection: "a forecast or a guess, not a count",
    Reason.party: "its originator is a party to the conflict",
    Reason.superseded: "a later figure of the same originator replaces it",
    Reason.duplicate_relay: "the same statement, relayed in other words on the same day",
    Reason.stale: "older than the maximum age before the newest claim used, or too old to carry forward",
}
#: Beyond this many, the claims used or set aside are folded away under their count.
LISTED_OPEN = 8


def _methods_html(estimate: Estimate) -> str:
    """How an estimate was made: the method and its settings, the claims used, why the range is what it is."""
    e = escape.html
    if estimate.as_of is None:
        dated = "no cumulative count dates it"
    elif estimate.as_of_given:
        dated = f"as of {estimate.as_of.isoformat()}, the date asked for (--as-of)"
    else:
        dated = f"as of {estimate.as_of.isoformat()}, the date of the newest cumulative count"
    parties = "left out (--exclude-parties)" if estimate.exclude_parties else "included"
    if not estimate.carry:
        carried = (
            f"claims more than {estimate.max_age} days older than that date are set aside (--max-age "
            f"{estimate.max_age}, --no-carry)"
            + (
                "; every claim used that predates that date is carried forward to it"
                if estimate.project
                else ""
            )
        )
    else:
        which = (
            "every claim used that predates that date is"
            if estimate.project
            else f"those more than {estimate.max_age} days older than that date are"
        )
        carried = (
            f"claims more than {estimate.max_age} days older than the newest claim used are set aside "
            f"(--max-age {estimate.max_age}); {which} carried forward to it by the growth the claims show, "
            f"at most {carry_limit(estimate.max_age)} days (an older claim is set aside)"
        )
    out = [
        '<div class="methods">',
        "<h4>How this estimate was made</h4>",
        f"<p><b>Method</b> {e(estimate.method.value)}: {e(METHOD_RULES[estimate.method])}.</p>",
        (f"<p><b>Settings</b>: {dated}; {carried}; claims by parties to the conflict are {parties}.</p>"),
    ]
    if estimate.used:
        opened = " open" if len(estimate.used) <= LISTED_OPEN else ""
        out.append(
            f"<details{opened}><summary>Claims used ({len(estimate.used)}), each originator's latest "
            "running total</summary>"
        )
        out.append("<ul>")
        for c in estimate.used:
            low, best, high = c.figures
            note = carry_note(estimate, c, e)
            carried = "" if note is None else f". {note}"
            out.append(
                f'<li><a href="#{e(c.claim)}">{e(c.originator)}</a>, {e(c.date_text)}: {e(c.stated)} '
                f"(low {number(low, open_text='open')}, best {number(best)}, "
                f"high {number(high, open_text='open')}{carried})</li>"
            )
        out += ["</ul>", "</details>"]
    out.append(f"<p><b>Why this range</b>: {_why(estimate)}</p>")
    out += _set_aside_html(estimate)
    out.append("</div>")
    return "\n".join(out)


def _figures(values: Sequence[float | None], open_text: str) -> str:
    """The figures in order, or, when there are more than a sentence holds, how many and their extremes."""
    if len(values) > LISTED_OPEN:
        return (
            f"{len(values)} figures from {number(values[0], open_text=open_text)} to "
            f"{number(values[-1], open_text=open_text)}"
        )
    return " · ".join(number(v, open_text=open_text) for v in values)


def _why(estimate: Estimate) -> str:
    """The method's arithmetic on these claims, in a sentence or two (HTML)."""
    e = escape.html
    used = estimate.used
    if not used or estimate.best is None:
        hint = what_would_use(estimate)
        return "no claim could be used, so there is no estimate: every claim is set aside below" + (
            f"; {hint}." if hint else "."
        )
    places = estimate.places
    low, best, high = (
        figure(estimate.low, places, ROUND_FLOOR, open_text="no floor"),
        figure(estimate.best, places),
        figure(estimate.high, places, ROUND_CEILING, open_text="no ceiling"),
    )
    bests = _figures(sorted(c.figures[1] for c in used), "open")
    if estimate.method == Method.median:
        lows = sorted((c.figures[0] for c in used), key=lambda v: -math.inf if v is None else v)
        highs = sorted((c.figures[2] for c in used), key=lambda v: math.inf if v is None else v)
        text = (
            f"the low is the first quartile of the lows ({_figures(lows, 'open')}), the best ({best}) the "
            f"median of the best values ({bests}) and the high the third quartile of the highs "
            f"({_figures(highs, 'open')})"
        )
        if estimate.disagreement is None:
            text += f": {low} and {high}."
        else:
            text += (
                f"; the range then reaches at least {estimate.disagreement:.1%} of the best value either "
                f"side, the ninth decile of the gaps between pairs of credible figures of different "
                f"originators made within {estimate.disagreement_days} days of each other (no lower than "
                f"the lowest floor stated): {low} and {high}."
            )
    elif estimate.method == Method.envelope:
        text = (
            f"the low ({low}) is the lowest low and the high ({high}) the highest high of the claims used; "
            f"the best ({best}) is the median of their best values ({bests})."
        )
    elif estimate.method == Method.conservative:
        chosen = next(c for c in used if c.claim == estimate.chosen)
        credible = "; ".join(
            f"{e(c.originator)} {number(c.figures[1])}" for c in used if c.claim in estimate.credible
        )
        text = (
            f"it is the interval of {e(chosen.originator)}'s {e(chosen.stated)}, the lowest best value "
            f"among the credible claims ({credible})."
        )
    else:
        shares = "; ".join(f"{e(c.originator)} {c.weight.share:.0%}" for c in used if c.weight is not None)
        text = f"low ({low}), best ({best}) and high ({high}) are weighted means; the weights are {shares}."
    if len(used) == 1 and estimate.disagreement is None:
        text += " With one claim used, the range is that claim's own."
    if estimate.low is None:
        text += " There is no floor because a claim used states none (an open low, e.g. 'up to')."
    if estimate.high is None:
        text += " There is no ceiling because a claim used states none (an open high, e.g. 'at least')."
    return text


def _set_aside_html(estimate: Estimate) -> list[str]:
    e = escape.html
    if not estimate.set_aside:
        return ["<p><b>Claims set aside</b>: none.</p>"]
    counts: dict[str, int] = {}
    for c in estimate.set_aside:
        counts[c.reason.value] = counts.get(c.reason.value, 0) + 1
    summary = ", ".join(f"{n} {reason}" for reason, n in counts.items())
    opened = " open" if len(estimate.set_aside) <= LISTED_OPEN else ""
    out = [
        f"<details{opened}><summary>Claims set aside ({len(estimate.set_aside)}: {e(summary)})</summary>",
        "<ul>",
    ]
    for c in estimate.set_aside:
        why = REASON_TEXT[c.reason]
        by = f' by <a href="#{e(c.by)}">{e(c.by)}</a>' if c.by else ""
        out.append(
            f'<li><a href="#{e(c.claim)}">{e(c.originator)}</a>, {e(c.date_text)}: {e(c.stated)}: '
            f"<b>{e(c.reason.value)}</b>{by} ({e(why)})</li>"
        )
    out += ["</ul>", "</details>"]
    return out


def _spread_html(comparison: Comparison) -> str:
    s = comparison.spread
    kind = "projections" if comparison.projection else comparison.scope
    ratio = "n/a" if s.ratio is None else f"{s.ratio:.2f}x"
    return (
        f'<p class="spread"><b>Spread</b> ({escape.html(kind)}, each originator\'s latest figure): envelope '
        f"{number(s.low, open_text='no floor')} to {number(s.high, open_text='no ceiling')} · "
        f"median {number(s.median)} · max/min {ratio} · "
        f"{s.originators} originator{'s' if s.originators != 1 else ''} · "
        f"{escape.html(s.first if s.first == s.last else f'{s.first} to {s.last}')}</p>"
    )


def _claims_table(claims: Sequence[ClaimView]) -> list[str]:
    e = escape.html
    out = [
        '<table class="claims">',
        (
            "<thead><tr><th>Date</th><th>Originator</th><th>As stated</th>"
            '<th class="num">Low</th><th class="num">Best</th><th class="num">High</th><th>Scope</th>'
            "<th>Carried by, with the quote</th></tr></thead>"
        ),
        "<tbody>",
    ]
    for claim in claims:
        who = e(claim.originator) + ('<span class="party">party</span>' if claim.party else "")
        if claim.relay:
            who += f'<div class="note">via {e(", ".join(claim.relay))}</div>'
        scope = e(claim.scope) + (" · projection" if claim.projection else "")
        cites = "".join(_citation_html(c) for c in claim.citations)
        if claim.notes:
            cites += f'<div class="note">Note: {e(claim.notes)}</div>'
        # data-label names each cell where a narrow screen stacks a row's cells one above the other.
        out.append(
            f'<tr id="{e(claim.id)}"><td class="date">{e(claim.date_text)}</td><td>{who}</td>'
            f'<td data-label="As stated">{e(claim.stated)}</td>'
            f'<td class="num" data-label="Low">{number(claim.low)}</td>'
            f'<td class="num" data-label="Best">{number(claim.best)}</td>'
            f'<td class="num" data-label="High">{number(claim.high)}</td>'
            f'<td data-label="Scope">{scope}</td><td>{cites}</td></tr>'
        )
    out += ["</tbody>", "</table>"]
    return out


def _citation_html(citation: CitationView) -> str:
    e = escape.html
    title = e(citation.title)
    # Only a web address becomes a link: a javascript: or data: URL in the dataset would run in the
    # reader's browser, and a file: one opens their disk. The others stay in the text, to be read.
    url = escape.link(citation.url) if citation.url else None
    if url is not None:
        title = f'<a href="{e(url)}" rel="noreferrer noopener">{title}</a>'
    elif citation.url:
        title += f" ({e(citation.url)})"
    archived = "" if citation.archived else " (not archived)"
    return (
        f'<div class="cite">{e(citation.outlet)}, {title}, {citation.published.isoformat()}{archived}</div>'
        f"<blockquote>{e(citation.quote)}</blockquote>"
    )


def page(report: Report) -> tuple[str, str | None]:
    """The report as HTML, with charts when matplotlib is installed; and a warning when it is not."""
    from reconcile.errors import MissingExtraError
    from reconcile.output import plot

    try:
        plot.require_matplotlib()
    except MissingExtraError as exc:
        # The tables and estimates are the substance; a report without charts is still worth having.
        warning = f"charts left out: {exc}"
        return to_html(report, None, missing_charts=f"Chart left out: {exc}"), warning
    return to_html(report, plot.inline_svg), None
