"""The HTML report: its data, its page (a golden file), no network requests, and rendering in Chromium.

Regenerate the golden page after an intended change with:

    UPDATE_GOLDEN=1 python -m pytest tests/test_report.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
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
    assert killed.estimate == Band(
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
    data = report.build(load(small_dataset), report.default_queries(load(small_dataset)), Filters())
    # The version is left out, so that a release does not change the golden page.
    page = report.to_html(data, None, missing_charts="(chart)").replace(
        f"reconcile {__version__}", "reconcile VERSION"
    )
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8"), (
        "regenerate with UPDATE_GOLDEN=1 if the change is intended"
    )


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
    dump = open_in_chromium(out, tmp_path, "--dump-dom")
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
