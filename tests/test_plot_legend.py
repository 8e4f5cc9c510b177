"""The chart's legend: every originator told apart, and nothing cut at the image's edges."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reconcile.analysis.chart import chart
from reconcile.analysis.claims import Filters
from reconcile.io.load import load
from reconcile.output import plot


def test_forty_originators_get_forty_styles() -> None:
    names = [f"originator {i}" for i in range(40)]
    styles = plot.styles(names)
    assert len({(s.colour, s.marker) for s in styles.values()}) == 40
    # The first ten differ in colour alone, with the marker the single-originator charts use.
    assert {s.marker for s in list(styles.values())[:10]} == {"o"}
    assert len({s.colour for s in list(styles.values())[:10]}) == 10
    # Triangles mean an open bound, so no originator is drawn with one.
    assert not {s.marker for s in styles.values()} & {"^", "v"}


def test_long_labels_wrap_into_columns_that_fit() -> None:
    pytest.importorskip("matplotlib")
    labels, ncols = plot.legend_layout(
        chart_of(["x" * 100, "short"])  # one label with no space to break at
    )
    assert labels[0].split("\n") == ["x" * plot.LEGEND_WRAP, "x" * plot.LEGEND_WRAP, "x" * 16]
    assert ncols == 2


def chart_of(originators: list[str]) -> plot.Chart:
    return plot.Chart(query="q", title="t", panels=[], originators=originators, left_out=[])


def edges_are_blank(png: bytes) -> bool:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    columns = [image.getpixel((x, y)) for x in (0, 1, width - 2, width - 1) for y in range(height)]
    rows = [image.getpixel((x, y)) for y in (height - 2, height - 1) for x in range(width)]
    return min(columns + rows) > 250  # type: ignore[type-var, operator, unused-ignore]


def test_legend_of_forty_long_names_is_never_cropped(many_originators: Path) -> None:
    pytest.importorskip("matplotlib")
    drawn = chart(load(many_originators), "killed", Filters())
    assert len(drawn.originators) == 40
    png = plot.render(drawn, plot.ImageFormat.png)
    assert edges_are_blank(png)
    svg = plot.render(drawn, plot.ImageFormat.svg).decode()
    for name in drawn.originators:
        # Wrapped, but every word of every name is drawn.
        assert all(word in svg for word in name.split())


def test_cropped_legend_is_detected() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(3, 1))
    figure.text(-0.2, 0.5, "a label cut at the left edge " * 3, fontsize=12)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=100)
    assert not edges_are_blank(out.getvalue())
