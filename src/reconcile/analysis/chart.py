"""What a timeline chart of claims shows, as data: one panel per metric and subject, a bar per claim.

The drawing itself is in `plot` (matplotlib, an optional extra); this module needs nothing beyond
the models, so the report and the tests can use it without matplotlib.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from reconcile.analysis.claims import Filters, expand_metrics
from reconcile.analysis.compare import Comparison, compare
from reconcile.analysis.estimate import SeriesPoint, Step, estimate_for, estimate_points, series_dates
from reconcile.model.dataset import Dataset
from reconcile.model.terms import Number


@dataclass(frozen=True, slots=True, kw_only=True)
class Bar:
    """One claim: its interval at the date it was made; an open bound is None."""

    claim: str
    source: str
    originator: str
    stated: str
    date: date
    low: Number | None
    best: Number
    high: Number | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Band:
    """The reconciled range drawn behind the bars, the estimate at each date (`points`), its figures
    those of the last; an open bound is None."""

    low: Number | None
    best: Number
    high: Number | None
    method: str
    as_of: date | None
    used: int  # how many claims it was reconciled from
    points: tuple[SeriesPoint, ...] = ()  # the estimate from the first count to `as_of`, oldest first
    places: int = 0  # the decimal places of the estimate's claims, which its figures are shown at


#: The band is the estimate each day over spans up to this many days, each week up to
#: `WEEKLY_DAYS`, each month beyond: at most a few hundred estimates, each of every claim.
DAILY_DAYS = 180
WEEKLY_DAYS = 1_260


#: The most dates a band is estimated at: over a span of more than this many months, every few months.
MAX_BAND_DATES = 400


def band_dates(first: date, last: date) -> list[date]:
    """The dates the band is estimated at, from `first` to `last`, both included."""
    span = (last - first).days
    every = Step.day if span <= DAILY_DAYS else Step.week if span <= WEEKLY_DAYS else Step.month
    dates = series_dates(first, last, every)
    dates = dates[:: -(-len(dates) // MAX_BAND_DATES)]
    return dates if dates[-1] == last else [*dates, last]


@dataclass(frozen=True, slots=True, kw_only=True)
class Panel:
    """The cumulative counts of one metric about one subject."""

    metric: str
    label: str
    unit: str
    subject: str
    subject_name: str
    bars: list[Bar]
    band: Band | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Chart:
    """A figure: panels sharing the time axis, and originators in legend order."""

    query: str
    title: str
    panels: list[Panel]
    originators: list[str]
    left_out: list[str]  # what the chart does not draw, e.g. '2 projections'


def chart(dataset: Dataset, name: str, filters: Filters) -> Chart:
    """The timeline chart of every cumulative count about a metric or group, with the reconciled range.

    Projections and period or incident counts are not on the same footing as running totals, so
    they are counted in `left_out` rather than drawn.
    """
    comparisons = compare(dataset, expand_metrics(dataset, name), filters, all_claims=True)
    panels = [
        _panel(dataset, c, filters) for c in comparisons if c.scope == "cumulative" and not c.projection
    ]
    left = Counter(
        "projection" if c.projection else "period or incident count"
        for c in comparisons
        for _ in c.rows
        if c.projection or c.scope != "cumulative"
    )
    left_out = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(left.items())]
    originators: list[str] = []
    for panel in panels:
        for bar in sorted(panel.bars, key=lambda b: (b.date, b.claim)):
            if bar.originator not in originators:
                originators.append(bar.originator)
    title = (
        f"Claims about {name}"
        if name not in dataset.metrics
        else f"Claims about {dataset.metrics[name].label.lower()}"
    )
    return Chart(query=name, title=title, panels=panels, originators=originators, left_out=left_out)


def _panel(dataset: Dataset, comparison: Comparison, filters: Filters) -> Panel:
    bars = [
        Bar(
            claim=r.claim,
            source=r.source,
            originator=r.originator,
            stated=r.stated,
            date=r.date,
            low=r.low,
            best=r.best,
            high=r.high,
        )
        for r in sorted(comparison.rows, key=lambda r: (r.date, r.claim))
    ]
    estimate = estimate_for(dataset, comparison.metric, comparison.subject, filters, set_aside_for=())
    band = None
    if estimate.best is not None and estimate.as_of is not None:
        first = min(c.date for c in comparison.rows)
        dates = band_dates(min(first, estimate.as_of), estimate.as_of)
        points = estimate_points(dataset, comparison.metric, comparison.subject, filters, None, dates)
        band = Band(
            low=estimate.low,
            best=estimate.best,
            high=estimate.high,
            method=estimate.method.value,
            as_of=estimate.as_of,
            used=len(estimate.used),
            points=tuple(points),
            places=estimate.places,
        )
    return Panel(
        metric=comparison.metric,
        label=comparison.label,
        unit=comparison.unit,
        subject=comparison.subject,
        subject_name=comparison.subject_name,
        bars=bars,
        band=band,
    )
