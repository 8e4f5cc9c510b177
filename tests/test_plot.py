"""Drawing charts with matplotlib: every image format, stable output, and a clear error without it."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.analysis.chart import chart
from reconcile.analysis.claims import Filters
from reconcile.cli.app import app
from reconcile.errors import MissingExtraError, OutputError
from reconcile.io.load import load
from reconcile.output import plot

MAGIC = {
    plot.ImageFormat.svg: b"<?xml",
    plot.ImageFormat.png: b"\x89PNG\r\n\x1a\n",
    plot.ImageFormat.pdf: b"%PDF-",
}


def test_positions_spread_neighbouring_bars() -> None:
    assert plot.positions([], 1.0) == []
    assert plot.positions([0.0, 5.0], 1.0) == [0.0, 5.0]
    assert plot.positions([10.0, 10.0, 10.0], 1.0) == [9.0, 10.0, 11.0]
    assert plot.positions([10.0, 10.5, 20.0], 1.0) == [9.75, 10.75, 20.0]
    # A daily series is denser than the gap all along: spread, it would run far off its dates.
    daily = [float(day) for day in range(100)]
    assert plot.positions(daily, 20.0) == daily
    few = [0.0] * plot.SIDE_BY_SIDE
    assert plot.positions(few, 1.0) == [k - (plot.SIDE_BY_SIDE - 1) / 2 for k in range(plot.SIDE_BY_SIDE)]


def test_a_dense_series_is_drawn_as_a_line_at_its_dates() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.dates as mdates

    from reconcile.analysis.chart import Bar, Chart, Panel

    start = date(2024, 1, 1)
    bars = [
        Bar(
            claim=f"c{i}",
            source="ministry",
            originator="MoD",
            stated=f"{1000 + i * 10:,}",
            date=start + timedelta(days=i),
            low=None if i % 3 == 0 else 990 + i * 10,
            best=1000 + i * 10,
            high=None if i % 3 == 1 else 1010 + i * 10,
        )
        for i in range(plot.DENSE + 40)
    ]
    panel = Panel(
        metric="killed", label="Killed", unit="soldiers", subject="x", subject_name="X", bars=bars, band=None
    )
    chart = Chart(
        query="killed", title="Claims about killed", panels=[panel], originators=["MoD"], left_out=[]
    )
    from matplotlib.figure import Figure

    figure = Figure(layout="constrained")
    plot._draw(figure, chart)
    [ax] = figure.axes
    # One line through the best values, at the claims' own dates.
    [line] = [drawn for drawn in ax.get_lines() if drawn.get_linestyle() == "-"]
    assert list(line.get_xdata()) == [mdates.date2num(b.date) for b in bars]
    assert list(line.get_ydata()) == [b.best for b in bars]


def test_image_format_from_the_suffix() -> None:
    assert plot.image_format(Path("a/chart.SVG")) is plot.ImageFormat.svg
    with pytest.raises(
        OutputError, match=r"chart.jpg: cannot tell the image format from '.jpg'; use .svg, .png, .pdf"
    ):
        plot.image_format(Path("chart.jpg"))


def test_band_text_names_open_bounds() -> None:
    from reconcile.analysis.chart import Band

    assert (
        plot.band_text(Band(low=300, best=300, high=None, method="median", as_of=None, used=1))
        == "300 to no ceiling, best 300"
    )
    # Whole units, as the estimate's line prints them: the high rounded up, the best to the nearest.
    assert (
        plot.band_text(Band(low=None, best=41.5, high=1_200.25, method="median", as_of=None, used=1))
        == "no floor to 1,201, best 42"
    )
    assert (
        plot.band_text(
            Band(low=474_161.75, best=483_323.5, high=490_000.2, method="median", as_of=None, used=2)
        )
        == "474,161 to 490,001, best 483,324"
    )


def test_a_missing_matplotlib_says_how_to_install_it(
    small_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
    with pytest.raises(MissingExtraError, match=r"pip install 'reconcile\[plot\]'"):
        plot.render(chart(load(small_dataset), "deployed", Filters()), plot.ImageFormat.svg)
    result = CliRunner().invoke(app, ["--data", str(small_dataset), "plot", "deployed", "-o", "x.svg"])
    assert result.exit_code == 1
    assert result.stderr == "Error: charts need matplotlib; install it with: pip install 'reconcile[plot]'\n"


@pytest.mark.parametrize("fmt", list(plot.ImageFormat))
def test_every_format_is_drawn(fmt: plot.ImageFormat, small_dataset: Path) -> None:
    pytest.importorskip("matplotlib")
    image = plot.render(chart(load(small_dataset), "deployed", Filters()), fmt)
    assert image.startswith(MAGIC[fmt])


def test_svg_is_stable_and_labelled(shipped: Path) -> None:
    pytest.importorskip("matplotlib")
    figure = chart(load(shipped), "killed_or_wounded", Filters())
    svg = plot.render(figure, plot.ImageFormat.svg).decode()
    assert svg == plot.render(figure, plot.ImageFormat.svg).decode()
    for text in (
        "Claims about killed or wounded",
        "Killed or wounded · North Korean forces sent to Russia",
        "soldiers",
        "Date the claim was made",
        "NIS",
        "Zelensky",
        "reconciled (median)",
        "open bound (no stated ceiling or floor)",
    ):
        assert text in svg


def test_no_panels_still_draws_a_message(small_dataset: Path) -> None:
    pytest.importorskip("matplotlib")
    from datetime import date

    figure = chart(load(small_dataset), "casualties", Filters(as_of=date(2025, 1, 1)))
    assert (
        "No cumulative counts about casualties match these filters."
        in plot.render(figure, plot.ImageFormat.svg).decode()
    )


def test_cli_plot_writes_the_image(small_dataset: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "chart.png"
    result = CliRunner().invoke(app, ["--data", str(small_dataset), "plot", "casualties", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(MAGIC[plot.ImageFormat.png])
    assert result.stderr == f"wrote {out}\n"


def test_cli_plot_json_needs_no_matplotlib(small_dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = CliRunner().invoke(app, ["--data", str(small_dataset), "plot", "deployed", "--json"])
    assert result.exit_code == 0, result.output
    assert '"claim": "analysts-deployed"' in result.stdout


def test_cli_plot_without_output_is_a_usage_error(small_dataset: Path) -> None:
    assert CliRunner().invoke(app, ["--data", str(small_dataset), "plot", "deployed"]).exit_code == 2


def complete(words: str) -> list[str]:
    env = {
        "_RECONCILE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
        "RECONCILE_DATA": None,
    }
    result = CliRunner().invoke(app, [], env=env, prog_name="reconcile")
    return result.stdout.split()


def test_shell_completion_of_metric_names(small_dataset: Path) -> None:
    assert complete("reconcile plot ki") == ["killed", "killed_or_wounded"]
    assert complete(f"reconcile --data {small_dataset} report --group ca") == ["casualties"]
    assert complete("reconcile --data /no/such/file.yaml plot k") == []
    assert complete("reconcile pl") == ["plot"]
