"""`reconcile check`: each kind of warning, the near misses it must not report, and the shipped data."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.analysis.claims import comparison_key, recency
from reconcile.analysis.consistency import (
    TWICE_WITHIN_DAYS,
    Check,
    CheckReport,
    CheckWarning,
    _Finder,
    check,
)
from reconcile.cli.app import app
from reconcile.io.load import load, load_with_lines
from reconcile.model.dataset import Claim, Interval
from reconcile.model.terms import figures, meet
from reconcile.output import terminal as render
from tests.conftest import generator

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
        (Check.party_unknown, ["g-2"]),
    ]
    assert [w.check for w in report.warnings] == list(Check)  # every check is exercised


def test_warnings_carry_lines_and_details(inconsistent_dataset: Path) -> None:
    report = report_of(inconsistent_dataset)
    for warning in report.warnings:
        for claim in warning.claims:
            assert claim.line == line_of(inconsistent_dataset, claim.claim)
    by_kind = {w.check: w for w in report.warnings}
    total = by_kind[Check.sum_mismatch].total
    # '100' (50 to 150) + '200' (150 to 250), each stated to the hundred.
    assert total is not None and (total.low, total.high) == (200, 400)
    assert [(d.document, str(d.published)) for d in by_kind[Check.after_publication].documents] == [
        ("doc", "2025-02-05")
    ]


def test_messages(inconsistent_dataset: Path) -> None:
    text = {w.check: render.warning_text(w) for w in report_of(inconsistent_dataset).warnings}
    assert text[Check.falling] == (
        "Source A, killed: the running total fell from 'about 1,000' (900 to 1,100) on 2025-01-01 "
        "to '500' (450 to 550) on 2025-01-10"
    )
    assert text[Check.count_above_total] == (
        "Source H, killed: the count 'more than 600' (600 or more) of 2025-01-08 is more than the running "
        "total '400' (350 to 450) of 2025-01-10"
    )
    assert text[Check.sum_mismatch] == (
        "Source B on 2025-01-05: killed '100' (50 to 150) + wounded '200' (150 to 250) = 200 to 400, "
        "but killed or wounded is "
        "'about 1,000' (900 to 1,100)"
    )
    assert text[Check.ratio_mismatch] == (
        "Source D, killed_or_wounded on 2025-01-06: 'a third' of '10,000' is 1,666.67 to 5,000, but the figure "
        "stated outright is '1,000' (500 to 1,500)"
    )
    assert text[Check.after_publication] == (
        "e-late is dated 2025-02-10, after every document that carries it: Daily Example (doc) on 2025-02-05"
    )
    assert text[Check.recorded_twice] == (
        "Source F, killed: '250' (245 to 255) of 2025-01-03 and '250' (245 to 255) of 2025-01-07 look like "
        "one figure recorded twice"
    )
    assert text[Check.party_unknown] == (
        "Source G (g), killed: not known whether it is a party to the conflict, yet an estimate uses its "
        "'800' (750 to 850) of 2025-01-12 (--exclude-parties keeps it); set its `party` to true or false"
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((900, 1000, 1100), (900, 1000, 1000), True),
        ((500, 500, 500), (900, 1000, 1100), False),
        ((300, 300, None), (900, 1000, 1100), True),  # "more than 300" reaches 1,100
        ((None, 200, 200), (300, 300, None), False),  # "up to 200" never reaches "more than 300"
        ((None, 300, 300), (300, 300, None), True),
    ],
)
def test_meet(
    a: tuple[float | None, float, float | None], b: tuple[float | None, float, float | None], expected: bool
) -> None:
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
    ]
)


def test_after_publication_allows_for_imprecise_dates(write_dataset) -> None:  # type: ignore[no-untyped-def]
    report = report_of(write_dataset(IMPRECISE_DATES))
    assert [(w.check, [c.claim for c in w.claims]) for w in report.warnings] == [
        (Check.after_publication, ["march"]),
        (Check.after_publication, ["weeks-after"]),
    ]
    assert [render.warning_text(w) for w in report.warnings] == [
        "march is dated 2025-03, after every document that carries it: Monthly Review (february) on 2025-02",
        "weeks-after is dated 2025-02-20, after every document that carries it: Weekly (weekly) on ~2025-02-05",
    ]


def test_a_clean_dataset_has_no_warnings(small_dataset: Path) -> None:
    assert report_of(small_dataset).warnings == []


def test_shipped_dataset(shipped: Path) -> None:
    report = report_of(shipped)
    # Zelensky said in December 2024 that Kyiv had captured "several" (3 to 9) North Korean soldiers,
    # and the January 2025 video shows two.
    assert [(w.check, [c.claim for c in w.claims]) for w in report.warnings] == [
        (Check.falling, ["zelensky-captured-2024-12", "zelensky-captured-2025-01"])
    ]
    assert [c.line for c in report.warnings[0].claims] == [
        line_of(shipped, "zelensky-captured-2024-12"),
        line_of(shipped, "zelensky-captured-2025-01"),
    ]


def test_shipped_ratio_claim_agrees_with_the_figure_it_summarises(shipped: Path) -> None:
    # Zelensky's bare 12,000 is stated to the thousand, 11,500 to 12,500; "nearly a third" of it is
    # 3,450 to 4,166.67 (a third of the low less 10%, to a third of the high); his "roughly 3,800" of
    # the same day is 3,420 to 4,180. They meet, so check stays silent.
    dataset = load(shipped)
    share = dataset.claim("zelensky-kia-wia-share-2025-01-05").interval
    direct = dataset.claim("zelensky-kia-wia-2025-01-05").interval
    assert (share.low, share.best, share.high) == (3450, 4000, 4166.666667)
    assert meet(share, direct)


def test_cli_check_exit_codes(inconsistent_dataset: Path) -> None:
    result = runner.invoke(app, ["--data", str(inconsistent_dataset), "check"])
    assert result.exit_code == 0
    assert f"{inconsistent_dataset}:{line_of(inconsistent_dataset, 'a-2')}: a-2" in result.stdout
    assert result.stdout.rstrip().endswith(": 7 warnings")
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


# --- the checks that follow an originator, against their definitions pair by pair -------------------


def pairwise_falling(finder: _Finder) -> list[list[str]]:
    """Each later running total paired with the earlier one of highest floor wholly above it."""
    found = []
    for series in finder.series():
        for i, later in enumerate(series):
            high = later.interval.high
            above = [
                e
                for e in series[:i]
                if high is not None
                and e.date < later.date
                and e.interval.low is not None
                and e.interval.low > high
            ]
            if above:
                found.append([max(above, key=lambda e: (e.interval.low or 0.0, recency(e))).id, later.id])
    return found


def pairwise_counts_above_totals(finder: _Finder) -> list[list[str]]:
    """Each count paired with the same day's or a later running total of lowest ceiling wholly below it."""
    totals = {(s[0].source, s[0].metric, s[0].subject): s for s in finder.series()}
    found = []
    for part in finder.attributed():
        if part.scope.kind == "cumulative" or part.projection or part.interval.low is None:
            continue
        below = [
            t
            for t in totals.get((part.source, part.metric, part.subject), [])
            if t.date >= part.date and t.interval.high is not None and t.interval.high < part.interval.low
        ]
        if below:
            found.append([part.id, min(below, key=lambda t: (t.interval.high or 0.0, recency(t))).id])
    return found


def pairwise_recorded_twice(finder: _Finder) -> list[list[str]]:
    """Every pair of equal figures of one originator and comparison, a week apart or less."""
    groups: dict[tuple[object, ...], list[Claim]] = {}
    for claim in finder.dataset.claims:
        groups.setdefault((claim.source, *comparison_key(claim)), []).append(claim)
    found = []
    for claims in groups.values():
        ordered = sorted(claims, key=recency)
        for i, first in enumerate(ordered):
            found += [
                [first.id, second.id]
                for second in ordered[i + 1 :]
                if abs((second.date - first.date).days) <= TWICE_WITHIN_DAYS
                and figures(first.interval) == figures(second.interval)
            ]
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_checks_find_what_comparing_every_pair_finds(seed: int, tmp_path: Path) -> None:
    generator().write(tmp_path / "claims.yaml", 600, seed=seed)
    finder = _Finder(load(tmp_path / "claims.yaml"), {})

    def ids(warnings: Iterable[CheckWarning]) -> list[list[str]]:
        return [[claim.claim for claim in warning.claims] for warning in warnings]

    falling = ids(finder.falling())
    assert falling and falling == pairwise_falling(finder)
    above = ids(finder.counts_above_totals())
    assert above and above == pairwise_counts_above_totals(finder)
    assert ids(finder.recorded_twice()) == pairwise_recorded_twice(finder)


def test_recorded_twice_pairs_equal_figures_a_week_apart_or_less(write_dataset) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import ESTIMATE_HEADER, _claim

    days = ["2025-01-01", "2025-01-04", "2025-01-08", "2025-01-09", "2025-01-16", "2025-01-24", "2025-02-20"]
    claims = [
        _claim(f"same-{i}", "killed", "about 1,000", day, "intel", "about 1,000")
        for i, day in enumerate(days)
    ]
    claims += [
        _claim(f"other-{i}", "killed", "about 2,000", day, "intel", "about 2,000")
        for i, day in enumerate(days[:3])
    ]
    path = write_dataset(
        ESTIMATE_HEADER + "claims:\n" + "".join(claims), document="about 1,000 and about 2,000"
    )
    finder = _Finder(load(path), {})
    found = [[claim.claim for claim in warning.claims] for warning in finder.recorded_twice()]
    # 0-1 (3 days), 0-2 (7), 1-2, 1-3, 2-3, 3-4 (7), 4-5 (8 days: no); the others alike among themselves.
    assert sorted(found) == [
        ["other-0", "other-1"],
        ["other-0", "other-2"],
        ["other-1", "other-2"],
        ["same-0", "same-1"],
        ["same-0", "same-2"],
        ["same-1", "same-2"],
        ["same-1", "same-3"],
        ["same-2", "same-3"],
        ["same-3", "same-4"],
    ]
    assert found == pairwise_recorded_twice(finder)
