"""Drawing a timeline chart with matplotlib (the optional `plot` extra) as SVG, PNG or PDF."""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reconcile.analysis.chart import Band, Bar, Chart, Panel
from reconcile.errors import MissingExtraError, OutputError
from reconcile.model.terms import figure, number
from reconcile.output.escape import plot_label
from reconcile.output.json import dumps

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PANEL_HEIGHT = 3.0  # inches
WIDTH = 9.0  # inches
# Claims made on the same day are drawn side by side, this fraction of the time axis apart.
DODGE = 0.015
BAND_COLOUR = "#9aa5b1"
#: Ten colours told apart by most readers (matplotlib's tab10 without its grey, which is the band's,
#: and with a darker olive for contrast on white).
COLOURS = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#8a8a00",
    "#393b79",
]
#: Markers of the best values; each ten originators take the next one, so 60 get a pair of their own.
#: No triangles: an arrow marks an open bound.
MARKERS = ["o", "s", "D", "P", "X", "h"]
LEGEND_FONT = 9  # points
#: Legend labels wrap at this many characters, so that a long name takes lines, not the page's width.
LEGEND_WRAP = 42


class ImageFormat(StrEnum):
    """The file formats a chart can be written in, named by their file suffix."""

    svg = "svg"
    png = "png"
    pdf = "pdf"


def image_format(path: Path) -> ImageFormat:
    """The format a chart file's suffix asks for."""
    suffix = path.suffix.lower().lstrip(".")
    try:
        return ImageFormat(suffix)
    except ValueError:
        known = ", ".join(f".{f.value}" for f in ImageFormat)
        raise OutputError(
            f"{path}: cannot tell the image format from {path.suffix or 'no suffix'!r}; use {known}"
        ) from None


def require_matplotlib() -> Any:
    """The matplotlib module, set to draw into files; MissingExtraError when it is not installed."""
    try:
        import matplotlib
    except ImportError:
        raise MissingExtraError(
            "charts need matplotlib; install it with: pip install 'reconcile[plot]'"
        ) from None
    matplotlib.use("Agg")  # no display: files only
    return matplotlib


def render(chart: Chart, fmt: ImageFormat) -> bytes:
    """The chart as the bytes of an image file; the same chart gives the same bytes."""
    matplotlib = require_matplotlib()
    from matplotlib.figure import Figure

    # The salt makes the SVG's element ids stable, and different for different charts, so several
    # charts can share one HTML page.
    salt = hashlib.sha1(dumps(chart, indent=None).encode()).hexdigest()[:12]
    rc = {
        "svg.hashsalt": salt,
        "svg.fonttype": "none",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        # Every label is text from the dataset or made around it: a "$" in a name is a dollar sign,
        # not the start of a formula mathtext would try (and fail) to typeset.
        "text.parse_math": False,
    }
    with matplotlib.rc_context(rc):
        height = 1.3 + PANEL_HEIGHT * max(1, len(chart.panels)) + legend_height(chart)
        figure = Figure(figsize=(WIDTH, height), layout="constrained")
        _draw(figure, chart)
        out = io.BytesIO()
        # No creation date in the file, so that drawing the same chart twice gives the same file.
        metadata: dict[str, Any] = {"svg": {"Date": None}, "pdf": {"CreationDate": None}, "png": {}}[
            fmt.value
        ]
        figure.savefig(out, format=fmt.value, dpi=150, metadata=metadata)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class Style:
    """How one originator's claims are drawn."""

    colour: str
    marker: str


def styles(originators: Sequence[str]) -> dict[str, Style]:
    """A colour and marker for each originator, no two alike up to len(COLOURS) * len(MARKERS)."""
    return {
        name: Style(COLOURS[i % len(COLOURS)], MARKERS[(i // len(COLOURS)) % len(MARKERS)])
        for i, name in enumerate(originators)
    }


def legend_layout(chart: Chart) -> tuple[list[str], int]:
    """The legend's labels, wrapped, and how many columns of them fit the figure's width."""
    labels = [textwrap.fill(label, LEGEND_WRAP) for label in _legend_labels(chart)]
    widest = max((len(line) for label in labels for line in label.splitlines()), default=1)
    # About 0.55 em a character, plus the handle and the gap between columns.
    column = widest * LEGEND_FONT * 0.55 / 72 + 0.75
    return labels, max(1, min(len(labels), 4, int((WIDTH - 0.3) // column)))


def legend_height(chart: Chart) -> float:
    """The inches the legend takes below the panels, so that it is never squeezed or cropped."""
    if not chart.panels:
        return 0.0
    labels, ncols = legend_layout(chart)
    rows = [labels[i : i + ncols] for i in range(0, len(labels), ncols)]
    lines = sum(max(label.count("\n") + 1 for label in row) for row in rows)
    return lines * LEGEND_FONT * 1.5 / 72 + 0.2


def _draw(figure: Figure, chart: Chart) -> None:
    if not chart.panels:
        ax = figure.add_subplot()
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            plot_label(f"No cumulative counts about {chart.query} match these filters."),
            ha="center",
            va="center",
        )
        return
    colours = styles(chart.originators)
    axes = figure.subplots(len(chart.panels), 1, sharex=True, squeeze=False)[:, 0]
    days = [b.date for p in chart.panels for b in p.bars] + [
        p.band.as_of for p in chart.panels if p.band and p.band.as_of
    ]
    start, end = min(days), max(days)
    margin = max(3, (end - start).days // 12)
    span = (end - start).days + 2 * margin
    for ax, panel in zip(axes, chart.panels):
        _draw_panel(ax, panel, colours, span * DODGE)
        # Within the calendar: an --as-of of 9999-12-31 leaves no room after it.
        ax.set_xlim(
            start - timedelta(days=min(margin, (start - date.min).days)),
            end + timedelta(days=min(margin, (date.max - end).days)),
        )
    _date_axis(axes[-1])
    note = (
        f"\nNot drawn: {plot_label(', '.join(chart.left_out))} (see reconcile show)."
        if chart.left_out
        else ""
    )
    axes[-1].set_xlabel("Date the claim was made" + note)
    figure.suptitle(plot_label(chart.title), fontsize=13, fontweight="bold")
    labels, ncols = legend_layout(chart)
    figure.legend(
        _legend_handles(chart, colours),
        labels,
        loc="outside lower center",
        ncols=ncols,
        frameon=False,
        fontsize=LEGEND_FONT,
        handlelength=2.5,
        columnspacing=1.5,
    )


def _draw_panel(ax: Axes, panel: Panel, colours: dict[str, Style], dodge_days: float) -> None:
    import matplotlib.dates as mdates
    from matplotlib.ticker import MaxNLocator

    finite = [v for b in panel.bars for v in (b.low, b.best, b.high) if v is not None]
    band_open = False
    if panel.band is not None:
        finite += [v for v in (panel.band.low, panel.band.best, panel.band.high) if v is not None]
        finite += [v for p in panel.band.points for v in (p.low, p.best, p.high) if v is not None]
        band_open = panel.band.high is None or any(
            p.best is not None and p.high is None for p in panel.band.points
        )
    top = max(finite) * (1.3 if any(b.high is None for b in panel.bars) or band_open else 1.12)
    top = top or 1.0
    ax.set_ylim(0, top)
    if panel.band is not None:
        _draw_band(ax, panel.band, top)
    # matplotlib's annotations leave a few calls untyped; without matplotlib installed they are Any,
    # and the ignores go unused (`unused-ignore`), so mypy passes with the `plot` extra and without it.
    dates = [mdates.date2num(b.date) for b in panel.bars]  # type: ignore[no-untyped-call, unused-ignore]
    xs = positions(dates, dodge_days)
    # One call per originator for each kind of mark, not one per claim: a daily series of thousands
    # of claims draws in a second.
    by_originator: dict[str, list[tuple[float, Bar]]] = {}
    for bar, x in zip(panel.bars, xs):
        by_originator.setdefault(bar.originator, []).append((x, bar))
    for originator, bars in by_originator.items():
        style = colours[originator]
        if len(bars) > DENSE:
            _draw_series(ax, bars, style)
        else:
            _draw_bars(ax, bars, style, top, dodge_days)
    title = plot_label(f"{panel.label} · {panel.subject_name}")
    if panel.band is not None:
        # Under the panel's name rather than on the band, where it would hide the bars of the latest
        # claims, or beside it, where a long name would run into it.
        as_of = f" as of {panel.band.as_of}" if panel.band.as_of else ""
        title += f"\nreconciled ({panel.band.method}){as_of}: {band_text(panel.band)}"
    ax.set_title(title, loc="left", fontsize=11, linespacing=1.5)
    ax.set_ylabel(plot_label(panel.unit))
    ax.yaxis.set_major_formatter(_thousands())
    if all(float(v).is_integer() for v in finite):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8, zorder=0)


#: An originator with more claims than this in a panel is drawn as a series: a line through its
#: best values over a light band of its closed intervals, as bars would merge into a block.
DENSE = 60


def _draw_bars(ax: Axes, bars: list[tuple[float, Bar]], style: Style, top: float, dodge_days: float) -> None:
    """Each claim as a bar from its low to its high, capped, with a marker at its best value and an
    arrow where a bound is open."""
    at = [x for x, _ in bars]
    lows = [0.0 if b.low is None else b.low for _, b in bars]
    highs = [top * 0.97 if b.high is None else b.high for _, b in bars]
    ax.vlines(at, lows, highs, colors=[style.colour], linewidth=3, alpha=0.85, zorder=3)
    capped = [
        (x, v)
        for x, b in bars
        if b.low is not None and b.high is not None and b.low != b.high
        for v in (b.low, b.high)
    ]
    if capped:
        ax.hlines(
            [v for _, v in capped],
            [x - dodge_days * 0.3 for x, _ in capped],
            [x + dodge_days * 0.3 for x, _ in capped],
            colors=[style.colour],
            linewidth=1.5,
            zorder=3,
        )
    ax.plot(
        at,
        [b.best for _, b in bars],
        linestyle="none",
        marker=style.marker,
        markersize=7,
        color=style.colour,
        markeredgecolor="white",
        markeredgewidth=1,
        zorder=4,
    )
    for open_at, y, sign in (
        ([x for x, b in bars if b.high is None], top * 0.97, "^"),
        ([x for x, b in bars if b.low is None], 0.0, "v"),
    ):
        if open_at:
            ax.plot(
                open_at,
                [y] * len(open_at),
                linestyle="none",
                marker=sign,
                markersize=9,
                color=style.colour,
                zorder=4,
                clip_on=False,
            )


def _draw_series(ax: Axes, bars: list[tuple[float, Bar]], style: Style) -> None:
    """A dense series: its best values as a line, its closed intervals as a light band behind it,
    and a small arrow at the best value of each claim with an open bound."""
    at = [x for x, _ in bars]
    nan = float("nan")
    lows = [nan if b.low is None or b.high is None else b.low for _, b in bars]
    highs = [nan if b.low is None or b.high is None else b.high for _, b in bars]
    ax.fill_between(at, lows, highs, color=style.colour, alpha=0.25, linewidth=0, zorder=3)
    ax.plot(at, [b.best for _, b in bars], color=style.colour, linewidth=1.5, zorder=4)
    for open_at, sign in (
        ([(x, b.best) for x, b in bars if b.high is None], "^"),
        ([(x, b.best) for x, b in bars if b.low is None], "v"),
    ):
        if open_at:
            ax.plot(
                [x for x, _ in open_at],
                [y for _, y in open_at],
                linestyle="none",
                marker=sign,
                markersize=3,
                color=style.colour,
                zorder=4,
            )


#: At most this many claims close together stand side by side; a denser run (a daily series) is
#: drawn at its true dates, where spreading it would move each bar away from its date.
SIDE_BY_SIDE = 6


def positions(xs: Sequence[float], gap: float) -> list[float]:
    """Where to draw bars meant for `xs` (sorted) so that no two are closer than `gap`.

    Bars closer than `gap` form a cluster, spread evenly around the cluster's mean, so claims made
    on the same or neighbouring days stand side by side instead of on top of each other; a cluster
    of more than `SIDE_BY_SIDE` stays at its dates.
    """
    out: list[float] = []
    cluster: list[float] = []

    def flush() -> None:
        if len(cluster) > SIDE_BY_SIDE:
            out.extend(cluster)
        else:
            centre = sum(cluster) / len(cluster)
            out.extend(centre + (k - (len(cluster) - 1) / 2) * gap for k in range(len(cluster)))
        cluster.clear()

    for x in xs:
        if cluster and x - cluster[-1] >= gap:
            flush()
        cluster.append(x)
    if cluster:
        flush()
    return out


def _draw_band(ax: Axes, band: Band, top: float) -> None:
    """The estimate at each date as a band that moves with time (an open bound reaches the axis's
    edge, a date without an estimate is a gap); one date alone, a band across the chart."""
    points = band.points
    if len(points) < 2:
        low = 0.0 if band.low is None else band.low
        high = top if band.high is None else band.high
        ax.axhspan(low, high, color=BAND_COLOUR, alpha=0.25, linewidth=0, zorder=1)
        ax.axhline(band.best, color=BAND_COLOUR, linestyle="--", linewidth=1.5, zorder=2)
        return
    import matplotlib.dates as mdates

    nan = float("nan")
    xs = [mdates.date2num(p.date) for p in points]  # type: ignore[no-untyped-call, unused-ignore]
    lows = [nan if p.best is None else 0.0 if p.low is None else p.low for p in points]
    highs = [nan if p.best is None else top if p.high is None else p.high for p in points]
    bests = [nan if p.best is None else p.best for p in points]
    ax.fill_between(xs, lows, highs, color=BAND_COLOUR, alpha=0.25, linewidth=0, zorder=1)
    ax.plot(xs, bests, color=BAND_COLOUR, linestyle="--", linewidth=1.5, zorder=2)


def band_text(band: Band) -> str:
    """'3,000 to 4,000, best 3,400' at the claims' precision (a low rounded down, a high up, as the
    estimate's line), with open bounds in words."""
    low = figure(band.low, band.places, ROUND_FLOOR, open_text="no floor")
    high = figure(band.high, band.places, ROUND_CEILING, open_text="no ceiling")
    return f"{low} to {high}, best {figure(band.best, band.places)}"


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: number(value))


def _date_axis(ax: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)  # type: ignore[no-untyped-call, unused-ignore]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call, unused-ignore]


def _legend_labels(chart: Chart) -> list[str]:
    labels = [plot_label(name) for name in chart.originators]
    if any(p.band for p in chart.panels):
        labels.append("reconciled range (dashed: best)")
    if _open_bounds(chart):
        labels.append("open bound (no stated ceiling or floor)")
    return labels


def _open_bounds(chart: Chart) -> bool:
    return any(b.high is None or b.low is None for p in chart.panels for b in p.bars)


def _legend_handles(chart: Chart, colours: dict[str, Style]) -> list[Any]:
    """One handle per label of `_legend_labels`, in its order."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Line2D(
            [],
            [],
            color=colours[name].colour,
            marker=colours[name].marker,
            linewidth=3,
            markersize=7,
            markeredgecolor="white",
        )
        for name in chart.originators
    ]
    if any(p.band for p in chart.panels):
        handles.append(Patch(facecolor=BAND_COLOUR, alpha=0.4, edgecolor=BAND_COLOUR, linestyle="--"))
    if _open_bounds(chart):
        handles.append(Line2D([], [], color="#555555", marker="^", linestyle="none", markersize=8))
    return handles


def inline_svg(chart: Chart) -> str:
    """The chart as SVG markup to put inside an HTML page (without the XML prologue and doctype)."""
    svg = render(chart, ImageFormat.svg).decode("utf-8")
    # The RDF metadata names matplotlib's web site; a page that must fetch nothing is clearer without it.
    return re.sub(r"\s*<metadata>.*?</metadata>", "", svg[svg.index("<svg") :], flags=re.DOTALL).strip()


def write(chart: Chart, path: Path) -> None:
    """Draw the chart into `path`, in the format its suffix names, atomically."""
    from reconcile.io import atomic

    atomic.write_bytes(path, render(chart, image_format(path)))
