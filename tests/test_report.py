"""The HTML report: its data, its page (a golden file), no network requests, and rendering in Chromium.

Regenerate the golden page after an intended change with:

    UPDATE_GOLDEN=1 python -m pytest tests/test_report.py
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile import __version__
from reconcile.analysis.chart import Band
from reconcile.analysis.claims import Filters
from reconcile.cli.app import app
from reconcile.io.load import load
from reconcile.output import report

GOLDEN = Path(__file__).resolve().parent / "golden" / "report.html"
MADE = datetime(2025, 2, 1, 12, 30, tzinfo=UTC)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
]


class Resources(HTMLParser):
    """Every attribute of the page that could make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "srcset", "data", "poster") or (name == "href" and tag not in ("a",)):
                self.fetches.append(f"<{tag} {name}={value}>")
            if name == "style" and value and "url(" in value:
                self.fetches.append(f"<{tag} style={value}>")


def test_default_queries_cover_groups_then_ungrouped_metrics(small_dataset: Path) -> None:
    assert report.default_queries(load(small_dataset)) == ["casualties", "deployed"]


def test_build_has_estimate_spread_and_every_claim(small_dataset: Path) -> None:
    data = report.build(load(small_dataset), ["casualties"], Filters())
    assert [m.metric for m in data.metrics] == ["killed", "wounded"]
    [killed] = data.metrics[0].subjects
    assert killed.estimate is not None
    assert dataclasses.replace(killed.estimate, points=()) == Band(
        low=300, best=300, high=None, method="median", as_of=date(2025, 1, 6), used=1
    )
    assert [(c.scope, len(c.rows)) for c in killed.comparisons] == [
        ("cumulative", 1),
        ("period 2025-01-01 to 2025-01-07", 1),
    ]
    assert [c.id for c in killed.claims] == ["ministry-killed", "official-killed-week"]
    assert killed.claims[1].citations[0].quote == '"nearly 500" were killed in one week'
    assert killed.claims[0].party is True
    assert killed.chart is not None and [p.metric for p in killed.chart.panels] == ["killed"]


def test_metrics_asked_twice_appear_once(small_dataset: Path) -> None:
    data = report.build(load(small_dataset), ["killed", "casualties"], Filters())
    assert [m.metric for m in data.metrics] == ["killed", "wounded"]


def test_page_matches_the_golden_file(small_dataset: Path) -> None:
    data = report.build(
        load(small_dataset), report.default_queries(load(small_dataset)), Filters(), made=MADE
    )
    # The version is left out, so that a release does not change the golden page.
    page = report.to_html(data, None, missing_charts="(chart)").replace(
        f"reconcile {__version__}", "reconcile VERSION"
    )
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8"), (
        "regenerate with UPDATE_GOLDEN=1 if the change is intended"
    )


def test_methods_box_names_the_method_the_claims_used_and_those_set_aside(small_dataset: Path) -> None:
    data = report.build(load(small_dataset), ["killed"], Filters(), made=MADE)
    [killed] = data.metrics[0].subjects
    assert [c.claim for c in killed.methods.used] == ["ministry-killed"]
    assert [(c.claim, c.reason.value) for c in killed.methods.set_aside] == [
        ("official-killed-week", "out of scope")
    ]
    page = report.to_html(data, None)
    box = page[
        page.index('<div class="methods">') : page.index("</div>", page.index('<div class="methods">'))
    ]
    assert "<b>Method</b> median: median of the best values" in box
    assert "as of 2025-01-06, the date of the newest cumulative count" in box
    assert "(--max-age 21)" in box
    assert (
        '<a href="#ministry-killed">MoD</a>, 2025-01-06: more than 300 (low 300, best 300, high open)' in box
    )
    # One claim "more than 300", and no other originator's figure to disagree with: every quartile is
    # its own figure, and its open high leaves no ceiling.
    assert (
        "the low is the first quartile of the lows (300), the best (300) the median of the best values "
        "(300) and the high the third quartile of the highs (open): 300 and no ceiling."
    ) in box
    assert "There is no ceiling because a claim used states none" in box
    assert "<details open><summary>Claims set aside (1: 1 out of scope)</summary>" in box
    assert (
        '<a href="#official-killed-week">A senior official</a>, 2025-01-08: nearly 500: <b>out of scope</b>'
        in box
    )


def test_methods_box_reads_the_quartiles_of_several_claims(write_dataset: Callable[..., Path]) -> None:
    figures = [("ministry", 100, 200), ("official", 300, 500), ("analysts", 400, 900)]
    claims = "claims:\n" + "".join(
        f"  - id: c{i}\n    metric: killed\n    subject: troops\n"
        f'    value: {{stated: "between {low} and {high}"}}\n    scope: {{kind: cumulative}}\n'
        f"    date: 2025-01-0{i + 1}\n    source: {source}\n"
        f"    citations: [{{document: doc, quote: between {low} and {high} killed}}]\n"
        for i, (source, low, high) in enumerate(figures)
    )
    document = "".join(f"They said between {low} and {high} killed.\n" for _, low, high in figures)
    data = report.build(
        load(write_dataset(claims=claims, document=document)), ["killed"], Filters(), made=MADE
    )
    page = report.to_html(data, None)
    # Lows 100, 300, 400: Q1 at position 0.5 is 200. Bests 150, 400, 650: median 400.
    # Highs 200, 500, 900: Q3 at position 1.5 is 700. The ministry is a party; the official's 400 and
    # the analysts' 650, a day apart, disagree by 250 / 650 = 0.3846: 400 x 0.6154 = 246 and
    # 400 x 1.3846 = 554 lie within the quartiles, which stand.
    assert (
        "the low is the first quartile of the lows (100 · 300 · 400), the best (400) the median of the best "
        "values (150 · 400 · 650) and the high the third quartile of the highs (200 · 500 · 900); the range "
        "then reaches at least 38.5% of the best value either side, the ninth decile of the gaps between "
        "pairs of credible figures of different originators made within 90 days of each other (no lower "
        "than the lowest floor stated): 200 and 700."
    ) in page
    assert "Claims set aside</b>: none." in page


def test_charts_credit_their_originators_and_outlets(small_dataset: Path) -> None:
    data = report.build(load(small_dataset), ["deployed"], Filters(), made=MADE)
    [troops] = data.metrics[0].subjects
    assert troops.credits == report.Credits(
        originators=["A senior official", "Independent analysts"], outlets=["Daily Example"]
    )
    page = report.to_html(data, lambda chart: "<svg></svg>")
    assert (
        '<p class="credit">Source: A senior official; Independent analysts. Carried by Daily Example.</p>'
        in page
    )


def test_credits_and_methods_box_escape_the_data() -> None:
    hostile = Path(__file__).resolve().parent / "hostile" / "markdown_html.yaml"
    page = report.to_html(
        report.build(load(hostile), ["killed"], Filters(), made=MADE), lambda chart: "<svg></svg>"
    )
    name = "[click](javascript:alert(1)) | R&amp;D"
    assert f'<p class="credit">Source: {name}. Carried by Daily Example.</p>' in page
    assert f'<li><a href="#ministry-killed">{name}</a>, 2025-01-06: about 300' in page
    assert "R&D" not in page and "<script" not in page


def test_page_names_when_and_from_which_file_it_was_made(small_dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        app,
        ["--data", str(small_dataset), "report", "--metric", "deployed", "-o", str(out)],
        env={"SOURCE_DATE_EPOCH": "1738413000"},
    )
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(small_dataset.read_bytes()).hexdigest()
    page = out.read_text(encoding="utf-8")
    assert (
        f"Made on 2025-02-01 12:30 UTC with reconcile {__version__} from the dataset "
        f"<code>{small_dataset.resolve()}</code> (SHA-256 <code>{digest}</code>, modified "
    ) in page


def test_page_fetches_nothing(shipped: Path) -> None:
    pytest.importorskip("matplotlib")
    page, warning = report.page(report.build(load(shipped), ["casualties"], Filters()))
    assert warning is None
    parser = Resources()
    parser.feed(page)
    assert parser.fetches == []
    assert "script" not in parser.tags and "link" not in parser.tags
    assert f'content="{report.CSP}"' in page
    assert page.count("<svg") == 4  # killed, wounded, killed or wounded, captured
    assert "<?xml" not in page and "<metadata>" not in page


def test_page_without_matplotlib_leaves_charts_out(
    small_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    page, warning = report.page(report.build(load(small_dataset), ["deployed"], Filters()))
    assert (
        warning == "charts left out: charts need matplotlib; install it with: pip install 'reconcile[plot]'"
    )
    assert "<svg" not in page
    assert "Chart left out: charts need matplotlib" in page


def test_cli_report(small_dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    runner = CliRunner()
    result = runner.invoke(
        app, ["--data", str(small_dataset), "report", "--metric", "deployed", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(f"wrote {out}\n")
    assert '<section id="deployed">' in out.read_text(encoding="utf-8")
    as_json = runner.invoke(app, ["--data", str(small_dataset), "report", "--group", "casualties", "--json"])
    assert as_json.exit_code == 0
    assert '"metric": "wounded"' in as_json.stdout
    assert runner.invoke(app, ["--data", str(small_dataset), "report"]).exit_code == 2
    unknown = runner.invoke(app, ["--data", str(small_dataset), "report", "--group", "nope", "-o", str(out)])
    assert unknown.exit_code == 1 and unknown.stderr.startswith("Error: unknown metric or group 'nope'")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip(
            "Chromium is not installed (Debian: apt-get install chromium); the page is not opened in a browser"
        )
    return found


def open_in_chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{page.stem}"
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def console_messages(stderr: str) -> list[str]:
    # Chromium logs the page's console (CSP violations, script errors) as lines with ":CONSOLE".
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_chromium_reports_a_broken_page(tmp_path: Path) -> None:
    chromium()
    bad = tmp_path / "bad.html"
    bad.write_text(
        f'<meta http-equiv="Content-Security-Policy" content="{report.CSP}">'
        '<img src="https://example.invalid/x.png">',
        encoding="utf-8",
    )
    assert console_messages(open_in_chromium(bad, tmp_path, "--dump-dom").stderr)


def test_report_renders_in_chromium_without_errors(shipped: Path, tmp_path: Path) -> None:
    chromium()
    pytest.importorskip("matplotlib")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        app, ["--data", str(shipped), "report", "--group", "casualties", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    dump = open_in_chromium(out, tmp_path, "--dump-dom", "--window-size=1280,900")
    assert dump.returncode == 0, dump.stderr
    assert console_messages(dump.stderr) == []
    dom = dump.stdout
    assert "<title>Reconciled estimates: casualties</title>" in dom
    assert dom.count("<svg") == 4
    assert 'id="nis-killed-2025-01-13"' in dom
    shot = tmp_path / "report.png"
    taken = open_in_chromium(out, tmp_path, f"--screenshot={shot}", "--window-size=1200,2000")
    assert taken.returncode == 0, taken.stderr
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert shot.stat().st_size > 50_000  # a blank page is a few kilobytes


#: Where the pages' screenshots are kept to be looked at, when set; else only in the test's folder.
SCREENSHOTS = os.environ.get("REPORT_SCREENSHOTS")
PHONE, DESKTOP = 390, 1280


def measurable(page: Path) -> Path:
    """A copy of the page that posts its scroll width and viewport width to the frame holding it.

    The page's own policy forbids scripts, so the copy allows inline ones; nothing else changes.
    """
    html = page.read_text(encoding="utf-8")
    assert f'content="{report.CSP}"' in html
    html = html.replace(f'content="{report.CSP}"', f"content=\"{report.CSP}; script-src 'unsafe-inline'\"")
    probe = (
        "<script>parent.postMessage(innerWidth + ' ' + document.documentElement.scrollWidth + ' ' + "
        "document.documentElement.clientWidth, '*')</script></body>"
    )
    copy = page.with_name(page.stem + "-measured.html")
    copy.write_text(html.replace("</body>", probe), encoding="utf-8")
    return copy


def framed(page: Path, width: int, height: int, *, script: str = "") -> Path:
    """A page showing `page` in a frame `width` CSS pixels wide: Chromium's headless window is at least
    500 pixels wide, so a phone's width is a frame's."""
    frame = page.with_name(f"{page.stem}-{width}.html")
    frame.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><div id="widths"></div>'
        f'<iframe style="width:{width}px;height:{height}px;border:0;display:block" src="{page.name}"></iframe>'
        f"{script}</body></html>",
        encoding="utf-8",
    )
    return frame


def horizontal_overflow(page: Path, width: int, tmp_path: Path) -> tuple[int, int, int]:
    """The viewport's width, the page's scroll width and its client width, shown `width` pixels wide."""
    listen = (
        "<script>addEventListener('message', m => "
        "{ document.getElementById('widths').textContent = 'widths ' + m.data; });</script>"
    )
    frame = framed(measurable(page), width, 900, script=listen)
    dump = open_in_chromium(
        frame,
        tmp_path,
        "--dump-dom",
        f"--window-size={max(width, 500) + 40},1000",
        "--virtual-time-budget=10000",
    )
    assert dump.returncode == 0, dump.stderr
    found = re.search(r"widths (\d+) (\d+) (\d+)", dump.stdout)
    assert found, dump.stdout[-2000:]
    viewport, scroll, client = (int(g) for g in found.groups())
    return viewport, scroll, client


def screenshot(page: Path, width: int, tmp_path: Path, name: str) -> Path:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / f"{name}-{width}.png"
    target = page if width >= 500 else framed(page, width, 3000)
    taken = open_in_chromium(
        target, tmp_path, f"--screenshot={shot}", f"--window-size={width},3000", "--hide-scrollbars"
    )
    assert taken.returncode == 0, taken.stderr
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    return shot


def test_a_page_wider_than_the_screen_is_measured_as_such(tmp_path: Path) -> None:
    chromium()
    wide = tmp_path / "wide.html"
    wide.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{report.CSP}">'
        "</head><body><pre>" + "x" * 400 + "</pre></body></html>",
        encoding="utf-8",
    )
    viewport, scroll, client = horizontal_overflow(wide, PHONE, tmp_path)
    assert viewport == PHONE
    assert scroll > client


@pytest.mark.parametrize("data", ["shipped", "many_originators"])
def test_report_has_no_horizontal_scroll_on_a_desktop_or_a_phone(
    data: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    chromium()
    pytest.importorskip("matplotlib")
    dataset = request.getfixturevalue(data)
    out = tmp_path / f"{data}.html"
    result = CliRunner().invoke(app, ["--data", str(dataset), "report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for width in (DESKTOP, PHONE):
        viewport, scroll, client = horizontal_overflow(out, width, tmp_path)
        assert viewport == width
        assert scroll == client, f"{data} at {width} px scrolls sideways: {scroll} > {client}"
        assert screenshot(out, width, tmp_path, data).stat().st_size > 30_000  # a blank page is a few KB
