"""`reconcile check`: each kind of warning, the near misses it must not report, and the shipped data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile import render
from reconcile.checks import Check, CheckReport, check, meet
from reconcile.cli import app
from reconcile.dataset import load, load_with_lines
from reconcile.models import Interval

runner = CliRunner(env={"COLUMNS": "200"})  # wide, so that no sentence is wrapped


def report_of(path: Path) -> CheckReport:
    dataset, lines = load_with_lines(path)
    return check(dataset, file=path, lines=lines)


def line_of(path: Path, claim_id: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip() == f"- id: {claim_id}")


def test_one_warning_of_each_kind(inconsistent_dataset: Path) -> None:
    report = report_of(inconsistent_dataset)
    assert [(w.check, [c.claim for c in w.claims]) for w in report.warnings] == [
        (Check.falling, ["a-1", "a-2"]),
        (Check.count_above_total, ["h-battle", "h-total"]),
        (Check.sum_mismatch, ["b-killed", "b-wounded", "b-both"]),
        (Check.ratio_mismatch, ["d-share", "d-hit", "d-deployed"]),
        (Check.after_publication, ["e-late"]),
        (Check.recorded_twice, ["f-1", "f-2"]),
    ]
    assert [w.check for w in report.warnings] == list(Check)  # every check is exercised


def test_warnings_carry_lines_and_details(inconsistent_dataset: Path) -> None:
    report = report_of(inconsistent_dataset)
    for warning in report.warnings:
        for claim in warning.claims:
            assert claim.line == line_of(inconsistent_dataset, claim.claim)
    by_kind = {w.check: w for w in report.warnings}
    total = by_kind[Check.sum_mismatch].total
    assert total is not None and (total.low, total.high) == (300, 300)
    assert [(d.document, str(d.published)) for d in by_kind[Check.after_publication].documents] == [
        ("doc", "2025-02-05")]


def test_messages(inconsistent_dataset: Path) -> None:
    text = {w.check: render.warning_text(w) for w in report_of(inconsistent_dataset).warnings}
    assert text[Check.falling] == (
        "Source A, killed: the running total fell from 'about 1,000' (900 to 1,100) on 2025-01-01 "
        "to '500' on 2025-01-10")
    assert text[Check.count_above_total] == (
        "Source H, killed: the count 'more than 600' (600 or more) of 2025-01-08 is more than the running "
        "total '400' of 2025-01-10")
    assert text[Check.sum_mismatch] == (
        "Source B on 2025-01-05: killed '100' + wounded '200' = 300, but killed or wounded is "
        "'about 1,000' (900 to 1,100)")
    assert text[Check.ratio_mismatch] == (
        "Source D, killed_or_wounded on 2025-01-06: 'a third' of '10,000' is 3,333.33, but the figure stated "
        "outright is '1,000'")
    assert text[Check.after_publication] == (
        "e-late is dated 2025-02-10, after every document that carries it: Daily Example (doc) on 2025-02-05")
    assert text[Check.recorded_twice] == (
        "Source F, killed: '250' of 2025-01-03 and '250' of 2025-01-07 look like one figure recorded twice")


@pytest.mark.parametrize(("a", "b", "expected"), [
    ((900, 1000, 1100), (900, 1000, 1000), True),
    ((500, 500, 500), (900, 1000, 1100), False),
    ((300, 300, None), (900, 1000, 1100), True),  # "more than 300" reaches 1,100
    ((None, 200, 200), (300, 300, None), False),  # "up to 200" never reaches "more than 300"
    ((None, 300, 300), (300, 300, None), True),
])
def test_meet(a: tuple[float | None, float, float | None], b: tuple[float | None, float, float | None],
              expected: bool) -> None:
    def interval(v: tuple[float | None, float, float | None]) -> Interval:
        return Interval(low=v[0], best=v[1], high=v[2])

    assert meet(interval(a), interval(b)) is expected and meet(interval(b), interval(a)) is expected


IMPRECISE_DATES = """\
version: 1
metrics:
  killed: {label: Killed, unit: soldiers}
subjects:
  troops: {name: Troops}
sources:
  a: {name: Source A, kind: official, party: false}
documents:
  january: {outlet: Monthly Review, title: January issue, published: 2025-01-01, published_precision: month}
  february: {outlet: Monthly Review, title: February issue, published: 2025-02-01, published_precision: month}
  weekly: {outlet: Weekly, title: Undated, published: 2025-02-05, published_precision: approximate}
claims:
""" + "".join(  # figures rising with the date, so that only the publication check speaks
    f"  - {{id: {id}, metric: killed, subject: troops, value: {{stated: '{n}'}}, scope: {{kind: cumulative}}, "
    f"date: {day}, precision: {precision}, source: a, citations: [{{document: {document}, quote: '{n}'}}]}}\n"
    for id, n, day, precision, document in [
        # 15 January in the January issue, which may be of the 31st: not after it.
        ("mid-january", 200, "2025-01-15", "day", "january"),
        # A month in the next month's issue: even its 1st is after the whole of February.
        ("march", 500, "2025-03-01", "month", "february"),
        ("january-in-february", 100, "2025-01-01", "month", "february"),
        # ~10 February may be the 3rd, before ~5 February may be the 12th (7 days either side).
        ("near-the-week", 300, "2025-02-10", "approximate", "weekly"),
        ("weeks-after", 400, "2025-02-20", "day", "weekly"),
    ])


def test_after_publication_allows_for_imprecise_dates(write_dataset) -> None:  # type: ignore[no-untyped-def]
    report = report_of(write_dataset(IMPRECISE_DATES))
    assert [(w.check, [c.claim for c in w.claims]) for w in report.warnings] == [
        (Check.after_publication, ["march"]), (Check.after_publication, ["weeks-after"])]
    assert [render.warning_text(w) for w in report.warnings] == [
        "march is dated 2025-03, after every document that carries it: Monthly Review (february) on 2025-02",
        "weeks-after is dated 2025-02-20, after every document that carries it: Weekly (weekly) on ~2025-02-05"]


def test_a_clean_dataset_has_no_warnings(small_dataset: Path) -> None:
    assert report_of(small_dataset).warnings == []


def test_shipped_dataset(shipped: Path) -> None:
    report = report_of(shipped)
    # Zelensky said in December 2024 that Kyiv had captured "several" (3 to 9) North Korean soldiers,
    # and the January 2025 video shows two.
    assert [(w.check, [c.claim for c in w.claims]) for w in report.warnings] == [
        (Check.falling, ["zelensky-captured-2024-12", "zelensky-captured-2025-01"])]
    assert [c.line for c in report.warnings[0].claims] == [
        line_of(shipped, "zelensky-captured-2024-12"), line_of(shipped, "zelensky-captured-2025-01")]


def test_shipped_ratio_claim_agrees_with_the_figure_it_summarises(shipped: Path) -> None:
    # "Nearly a third" of Zelensky's 12,000 is 3,600 to 4,000 (a third less 10%, to a third); his
    # "roughly 3,800" of the same day is 3,420 to 4,180. They meet, so check stays silent.
    dataset = load(shipped)
    share = dataset.claim("zelensky-kia-wia-share-2025-01-05").interval
    direct = dataset.claim("zelensky-kia-wia-2025-01-05").interval
    assert (share.low, share.best, share.high) == (3600, 4000, 4000)
    assert meet(share, direct)


def test_cli_check_exit_codes(inconsistent_dataset: Path) -> None:
    result = runner.invoke(app, ["--data", str(inconsistent_dataset), "check"])
    assert result.exit_code == 0
    assert f"{inconsistent_dataset}:{line_of(inconsistent_dataset, 'a-2')}: a-2" in result.stdout
    assert result.stdout.rstrip().endswith(": 6 warnings")
    assert runner.invoke(app, ["--data", str(inconsistent_dataset), "check", "--strict"]).exit_code == 1


def test_cli_check_strict_passes_a_clean_dataset(small_dataset: Path) -> None:
    result = runner.invoke(app, ["--data", str(small_dataset), "check", "--strict"])
    assert result.exit_code == 0 and result.stdout.rstrip().endswith(": 0 warnings")


def test_cli_check_json(inconsistent_dataset: Path) -> None:
    result = runner.invoke(app, ["--data", str(inconsistent_dataset), "check", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [w["check"] for w in data["warnings"]] == [c.value for c in Check]
    assert data["warnings"][0]["claims"][0]["line"] == line_of(inconsistent_dataset, "a-1")


def test_cli_check_on_a_broken_dataset_is_an_error(write_dataset) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import CLAIMS

    path = write_dataset(claims=CLAIMS.replace("source: ministry", "source: nobody"))
    result = runner.invoke(app, ["--data", str(path), "check"])
    assert result.exit_code == 1 and result.stderr.splitlines()[-1] == "Error: the dataset has 2 problems"
