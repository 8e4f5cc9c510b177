"""A self-contained HTML report: per metric the reconciled estimate, the spread, the chart, every claim with its quotes.

The page makes no network requests: the styles are inline, the charts are inline SVG and a
Content-Security-Policy forbids loading anything, so it can be mailed or archived as one file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date

from reconcile import __version__
from reconcile.analysis.chart import Band, Chart, chart
from reconcile.analysis.claims import Filters, expand_metrics, format_date, scope_label
from reconcile.analysis.compare import Comparison, compare
from reconcile.model.dataset import Dataset
from reconcile.model.terms import Number, number
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
    party: bool
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
class SubjectSection:
    """The claims about one metric and one subject."""

    subject: str
    subject_name: str
    estimate: Band | None  # the reconciled range of the cumulative counts
    comparisons: list[Comparison]  # each originator's latest figure, with the spread, per scope
    chart: Chart | None  # the cumulative counts over time
    claims: list[ClaimView]  # every claim, oldest first


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
    metrics: list[MetricSection]


def default_queries(dataset: Dataset) -> list[str]:
    """Every group, then every metric in no group: the whole dataset."""
    grouped = {m for members in dataset.groups.values() for m in members}
    return [*dataset.groups, *(m for m in dataset.metrics if m not in grouped)]


def build(dataset: Dataset, queries: Sequence[str], filters: Filters) -> Report:
    """The report's data for some metrics or groups (each metric once, in the order asked)."""
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
    return Report(title=title, queries=list(queries), as_of=filters.as_of, metrics=sections)


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
        claims=views,
    )


CSS = """
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --rule: #d9e2ec; --band: #e4e7eb; --party: #b44d12; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
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
    out += ["</header>", "<nav><ul>"]
    out += [f'<li><a href="#{e(m.metric)}">{e(m.label)}</a></li>' for m in report.metrics]
    out.append("</ul></nav>")
    if not report.metrics:
        out.append("<p>No claims match these filters.</p>")
    for section in report.metrics:
        out += _metric_html(section, draw_svg, missing_charts)
    out += [f"<footer>Made with reconcile {e(__version__)}.</footer>", "</body>", "</html>", ""]
    return "\n".join(out)


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
            out.append(
                f'<div class="estimate">Reconciled estimate ({e(band.method)}{as_of}): '
                f"<strong>{number(band.best)}</strong>, range {number(band.low, open_text='no floor')} to "
                f"{number(band.high, open_text='no ceiling')}, from the latest cumulative counts of {band.used} "
                f"originator{'s' if band.used != 1 else ''}.</div>"
            )
        # A lone count of one incident or period has no spread worth stating; the table lists it.
        for comparison in subject.comparisons:
            if comparison.scope == "cumulative" or len(comparison.rows) > 1:
                out.append(_spread_html(comparison))
        if subject.chart is not None:
            if draw_svg is not None:
                out.append(
                    f"<figure>{draw_svg(subject.chart)}<figcaption>Each bar is one claim's low-high range at "
                    "the date it was made; the dot is its best value, an arrow an open bound. The grey band is "
                    "the reconciled range.</figcaption></figure>"
                )
            elif missing_charts:
                out.append(f'<p class="note">{e(missing_charts)}</p>')
        out += _claims_table(subject.claims)
    out.append("</section>")
    return out


def _spread_html(comparison: Comparison) -> str:
    s = comparison.spread
    kind = "projections" if comparison.projection else comparison.scope
    ratio = "n/a" if s.ratio is None else f"{s.ratio:.2f}x"
    return (
        f'<p class="spread"><b>Spread</b> ({escape.html(kind)}, each originator\'s latest figure): envelope '
        f"{number(s.low, open_text='no floor')} to {number(s.high, open_text='no ceiling')} · "
        f"median {number(s.median)} · max/min {ratio} · "
        f"{s.originators} originator{'s' if s.originators != 1 else ''}</p>"
    )


def _claims_table(claims: Sequence[ClaimView]) -> list[str]:
    e = escape.html
    out = [
        "<table>",
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
        out.append(
            f'<tr id="{e(claim.id)}"><td class="date">{e(claim.date_text)}</td><td>{who}</td><td>{e(claim.stated)}</td>'
            f'<td class="num">{number(claim.low)}</td><td class="num">{number(claim.best)}</td>'
            f'<td class="num">{number(claim.high)}</td><td>{scope}</td><td>{cites}</td></tr>'
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
