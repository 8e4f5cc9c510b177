"""`reconcile summary` and the headline `show` opens with: figures checked against hand-computed values."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

import reconcile
from reconcile.analysis.compare import Headline, summary
from reconcile.cli.app import app

runner = CliRunner()
DATA = reconcile.load()


def headline(metric: str, scope: str = "cumulative", subject: str = "dprk-forces") -> Headline:
    [found] = [
        h
        for h in summary(DATA, metric, reconcile.Filters()).headlines
        if h.scope == scope and h.subject == subject
    ]
    return found


def test_the_killed_or_wounded_headline_by_hand() -> None:
    item = headline("killed_or_wounded")
    # Used: each originator's latest running total within 21 days of 2025-01-13, the newest claim:
    # 1,000 (900-1,100), more than 3,000 (3,000-open) and 3,800 (3,420-4,180). Best: the median of
    # 1,000, 3,000 and 3,800. Low: the first quartile of 900, 3,000 and 3,420, 900 + (3,000 - 900) / 2.
    # High: NIS's open high counts as the highest closed high of the others, 4,180; the third quartile
    # of 1,100, 4,180 and 4,180 is 4,180. The credible figures (one each of three originators, so no
    # growth to raise them by) disagree by 0.5, 0.6667 and 0.8333 (ninth decile 0.8), so the range
    # reaches 3,000 x 1.8 = 5,400 above and 600 below, held at the lowest floor stated, 900.
    assert (item.low, item.best, item.high) == (900, 3000, 5400)
    assert (item.method, item.as_of) == ("median", date(2025, 1, 13))
    # Seven claims of the metric and subject; the four the estimate does not use are set aside.
    assert (item.used, item.set_aside) == (3, 4)
    assert (item.claims, item.originators, item.newest) == (4, 4, date(2025, 1, 13))
    # The spread's median is of the four rows' best values: 500, 1,000, 3,000 and 3,800.
    assert item.median == 2000


def test_lone_counts_fold_into_one_headline_per_metric_and_subject() -> None:
    item = headline("killed", scope="4 separate counts")
    assert (item.low, item.best, item.high, item.method, item.used) == (None, None, None, None, None)
    assert (item.claims, item.originators, item.newest) == (4, 3, date(2024, 12, 17))


def test_without_a_metric_every_metric_has_a_headline() -> None:
    metrics = {h.metric for h in summary(DATA, None, reconcile.Filters()).headlines}
    assert metrics == set(DATA.metrics)


def test_filters_move_the_headline() -> None:
    early = summary(DATA, "killed_or_wounded", reconcile.Filters(as_of=date(2025, 1, 1))).headlines[0]
    assert early.as_of == date(2025, 1, 1) and early.newest <= date(2025, 1, 1)


def test_summary_json_names_every_field_and_the_dataset() -> None:
    shown = runner.invoke(app, ["summary", "casualties", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["query"] == "casualties" and data["dataset"]
    first = data["headlines"][0]
    assert list(first) == [
        "metric", "label", "unit", "subject", "subject_name", "scope", "projection", "low", "best", "high",
        "method", "as_of", "used", "set_aside", "claims", "originators", "median", "newest", "places",
    ]  # fmt: skip


def test_summary_of_an_unknown_metric_says_what_was_meant() -> None:
    shown = runner.invoke(app, ["summary", "killed_or_wonded"])
    assert shown.exit_code == 1 and "killed_or_wounded" in shown.stderr and "Traceback" not in shown.output


def test_show_opens_with_the_headline_and_folds_lone_counts() -> None:
    shown = runner.invoke(app, ["show", "killed"]).stdout
    assert shown.startswith("Headline · North Korean forces sent to Russia\n")
    assert (
        "4 separate incident and period counts, each of a different event (--incidents lists them)" in shown
    )
    assert "separate incidents and periods" not in shown  # the table of them
    listed = runner.invoke(app, ["show", "killed", "--incidents"]).stdout
    assert "Killed (soldiers) · North Korean forces sent to Russia · separate incidents and periods" in listed
    assert "(--incidents lists them)" not in listed


def test_each_median_says_what_it_is_the_median_of() -> None:
    shown = runner.invoke(app, ["show", "killed_or_wounded"]).stdout
    assert "median of the 4 best values 2,000" in shown
    assert "Estimate (median of the 3 claims used, as of 2025-01-13)" in shown


def test_the_summary_prints_estimates_in_whole_units() -> None:
    # As of 20 February the killed or wounded are carried forward to fractions of a soldier
    # (6,518.52 in --json); the table prints whole units, the low rounded down and the high up.
    args = ["summary", "killed_or_wounded", "--as-of", "2025-02-20"]
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, args)
    assert result.exit_code == 0, result.output
    [line] = [
        row
        for row in result.stdout.splitlines()
        if row.startswith("Killed or wounded") and "cumulative" in row
    ]
    assert "6,519" in line and "6,518.52" not in line
    data = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert data["headlines"][0]["best"] == 6518.52
