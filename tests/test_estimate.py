"""Reconciled estimates against values computed by hand, and properties of the methods."""

from __future__ import annotations

import json
import math
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import date, timedelta
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reconcile.analysis.claims import Filters
from reconcile.analysis.compare import show
from reconcile.analysis.estimate import (
    DEFAULT_MAX_AGE,
    DEFAULT_METHOD,
    MAX_CARRY_DAYS,
    METHOD_RULES,
    METHODS,
    Estimate,
    Growth,
    Method,
    Reason,
    Settings,
    carry_note,
    estimate_for,
    estimates,
    quantile,
    what_would_use,
)
from reconcile.cli.app import MethodName, app
from reconcile.io.load import load
from reconcile.model.dataset import Dataset
from reconcile.output import terminal as render

runner = CliRunner(env={"COLUMNS": "200"})  # wide, so that no sentence is wrapped
FEB_1 = date(2025, 2, 1)


def figures(estimate: Estimate) -> tuple[float | None, float | None, float | None]:
    return estimate.low, estimate.best, estimate.high


def killed(dataset: Dataset, filters: Filters | None = None, **options: object) -> Estimate:
    return estimate_for(dataset, "killed", "troops", filters or Filters(), Settings(**options))


@pytest.fixture
def dataset(estimate_dataset: Path) -> Dataset:
    return load(estimate_dataset)


# --- which claims are used, and why the others are not ---------------------------------------------


def test_each_originators_latest_count_as_of_the_latest_claim(dataset: Dataset) -> None:
    e = killed(dataset)
    assert (e.as_of, e.as_of_given, e.method, e.max_age) == (FEB_1, False, Method.median, 21)
    # Intel 25 Jan (7 days old), the ministry 1 Feb (0), the official 18 Jan (14); the paper's 20 Dec
    # is 43 days old. Ordered by best value: 1,500, 1,800, 3,000.
    assert [(u.claim, u.age_days) for u in e.used] == [("intel-late", 7), ("official", 14), ("ministry", 0)]
    assert [(s.claim, s.reason, s.by) for s in e.set_aside] == [
        ("ministry-week", Reason.out_of_scope, None),
        ("anon-projection", Reason.projection, None),
        ("paper-early", Reason.superseded, "paper"),
        ("intel-early", Reason.superseded, "intel-late"),
        ("official-early", Reason.superseded, "official"),
        ("ministry-early", Reason.superseded, "ministry"),
        # "nearly a third" of 9,000, said the same day as the ministry's 2,500 to 3,500: counted once.
        ("ministry-share", Reason.duplicate_relay, "ministry"),
        ("paper", Reason.stale, None),
    ]
    assert [s.age_days for s in e.set_aside if s.reason == Reason.stale] == [43]


# Used: intel "about 1,500" = 1,350 / 1,500 / 1,650; official "up to 1,800" = open / 1,800 / 1,800;
# ministry "between 2,500 and 3,500" = 2,500 / 3,000 / 3,500.
# Disagreement (the median), from the credible figures (intel, the official, the paper; the ministry is
# a party): paper 500 (1 Dec) and 800 (20 Dec), intel 1,000 (4 Jan), official 2,000 (10 Jan) and 1,800
# (18 Jan), intel 1,500 (25 Jan). Growth, from the originators' own series: the paper's 300 / 19 days =
# 15.789 a day and intel's 500 / 21 = 23.810 (the official's fall is a contradiction, left out); the
# median 19.7995. The 12 pairs of different originators, all within 90 days, the older raised by it:
# e.g. 800 (20 Dec) + 19.7995 x 21 = 1,215.79 against 2,000 (10 Jan), 784.21 / 2,000 = 0.3921. In
# order the gaps are 0.0084, 0.0560, 0.0884, 0.1476, 0.1942, 0.2262, 0.2366, 0.2904, 0.3470, 0.3540,
# 0.3921, 0.4406; the ninth decile (position 11 x 0.9 = 9.9) is 0.3540 + 0.9 x 0.0381 = 0.38830: the
# range reaches at least 38.83% of the best value either side.
# Weights: intel 1.0 x 0.5 ^ (7 / 14) = 0.70711; the ministry 0.8 x 0.5 ^ (0 / 14) = 0.8; the official
# 0.6 x 0.5 ^ (14 / 14) = 0.3; sum 1.80711.


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # The official's "up to" has no floor, so the envelope has none; highest high 3,500; median of
        # the best values 1,500, 1,800, 3,000 is 1,800.
        (Method.envelope, (None, 1800, 3500)),
        # Third quartile (inclusive) of the highs 1,650, 1,800, 3,500: 1,800 + (3,500 - 1,800) x 0.5 = 2,650.
        # The official's open low counts as the lowest closed low of the others, intel's 1,350 (its own
        # best, 1,800, is higher): the first quartile of 1,350, 1,350, 2,500 is 1,350. The range then
        # reaches 38.83% of 1,800 either side: 1,800 x 0.61170 = 1,101.068, to the cent down 1,101.06;
        # 1,800 x 1.38830 = 2,498.93 is nearer than the quartile, 2,650.
        (Method.median, (1101.06, 1800, 2650)),
        # Credible = not parties: intel (1,500) and the official (1,800); the lowest is intel's interval.
        (Method.conservative, (1350, 1500, 1650)),
        # Best (0.70711 x 1,500 + 0.8 x 3,000 + 0.3 x 1,800) / 1.80711 = 4,000.660 / 1.80711 = 2,213.85;
        # high (0.70711 x 1,650 + 0.8 x 3,500 + 0.3 x 1,800) / 1.80711 = 4,506.726 / 1.80711 = 2,493.89.
        (Method.weighted, (None, 2213.85, 2493.89)),
    ],
)
def test_methods_by_hand(dataset: Dataset, method: Method, expected: tuple[float | None, ...]) -> None:
    assert figures(killed(dataset, method=method)) == pytest.approx(expected)


def test_median_keeps_a_lone_range_a_range(small_dataset: Path) -> None:
    # The analysts' "between 10,000 and 12,000" alone: its own low and high, not 11,000 three times.
    e = estimate_for(load(small_dataset), "deployed", "troops", Filters(sources=("analysts",)))
    assert (e.method, figures(e)) == (Method.median, (10000, 11000, 12000))


def test_round_figures_carry_their_stated_place(write_dataset: Callable[..., Path]) -> None:
    # docs/methods.md "Round figures are not exact": 465,000 to the thousand, 500,000 to the hundred
    # thousand. Lows 450,000, 464,500: first quartile 450,000 + 0.25 x 14,500; highs 465,500, 550,000:
    # third quartile 465,500 + 0.75 x 84,500.
    claims = textwrap.dedent(
        """\
        claims:
          - id: ministry-deployed
            metric: deployed
            subject: troops
            value: {stated: "465,000"}
            scope: {kind: cumulative}
            date: 2025-01-08
            source: ministry
            citations: [{document: doc, quote: "465,000 troops"}]
          - id: analysts-deployed
            metric: deployed
            subject: troops
            value: {stated: "500,000"}
            scope: {kind: cumulative}
            date: 2025-01-08
            source: analysts
            citations: [{document: doc, quote: "500,000 troops"}]
        """
    )
    e = estimate_for(
        load(write_dataset(claims=claims, document="465,000 troops and 500,000 troops")),
        "deployed",
        "troops",
        Filters(),
    )
    assert figures(e) == (453625, 482500, 528875)


def test_weighted_numbers_and_weights(dataset: Dataset) -> None:
    e = killed(dataset, method=Method.weighted)
    assert e.best == 2213.85
    weights = {u.claim: u.weight for u in e.used}
    # The official's share 0.3 / 1.80711 = 0.166011.
    assert weights["official"] is not None and asdict(weights["official"]) == pytest.approx(
        {"kind": 0.6, "recency": 0.5, "value": 0.3, "share": 0.166011}, abs=5e-7
    )
    assert sum(w.share for w in weights.values() if w is not None) == pytest.approx(1)
    assert all(u.weight is None for u in killed(dataset).used)


def test_conservative_names_its_choice(dataset: Dataset) -> None:
    e = killed(dataset, method=Method.conservative)
    assert (e.chosen, e.credible) == ("intel-late", ["intel-late", "official"])


def test_conservative_falls_back_to_parties_when_no_other_source_is_left(dataset: Dataset) -> None:
    e = killed(dataset, Filters(sources=("ministry",)), method=Method.conservative)
    assert (figures(e), e.chosen, e.credible) == ((2500, 3000, 3500), "ministry", ["ministry"])


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # Intel (1,350 / 1,500 / 1,650) and the official (open / 1,800 / 1,800) only.
        (Method.envelope, (None, 1650, 1800)),
        # Best: median of 1,500 and 1,800. High: third quartile of the highs 1,650 and 1,800, 1,650 + 150 x 0.75.
        # Low: the official's open low counts as intel's 1,350; the first quartile of 1,350 and 1,350.
        # Reaching 38.83% of 1,650 either side (the ministry's figures were never credible, so the
        # disagreement is as above): 1,650 x 0.61170 = 1,009.312 and 1,650 x 1.38830 = 2,290.688, to the
        # cent the low down and the high up: 1,009.31 and 2,290.69.
        (Method.median, (1009.31, 1650, 2290.69)),
        (Method.conservative, (1350, 1500, 1650)),
        # Weights 0.70711 and 0.3, sum 1.00711 (counted from intel's age, 1.0 and 0.42426: the same shares).
        # Best (0.70711 x 1,500 + 0.3 x 1,800) / 1.00711 = 1,600.660 / 1.00711 = 1,589.36;
        # high (0.70711 x 1,650 + 0.3 x 1,800) / 1.00711 = 1,706.726 / 1.00711 = 1,694.68.
        (Method.weighted, (None, 1589.36, 1694.68)),
    ],
)
def test_excluding_parties(dataset: Dataset, method: Method, expected: tuple[float | None, ...]) -> None:
    e = killed(dataset, method=method, exclude_parties=True)
    assert figures(e) == pytest.approx(expected, abs=0.01)
    assert sorted(s.claim for s in e.set_aside if s.reason == Reason.party) == [
        "ministry",
        "ministry-early",
        "ministry-share",
    ]


def test_stale_claims_follow_max_age(dataset: Dataset) -> None:
    week = killed(dataset, max_age=7)
    # The official (14 days) and the paper (43) are stale; intel at exactly 7 days is not.
    assert [u.claim for u in week.used] == ["intel-late", "ministry"]
    assert sorted(s.claim for s in week.set_aside if s.reason == Reason.stale) == ["official", "paper"]
    # Median of 1,500 and 3,000; first quartile of the lows 1,350 + (2,500 - 1,350) x 0.25 = 1,637.5,
    # third of the highs 1,650 + (3,500 - 1,650) x 0.75 = 3,037.5. Disagreement is read from pairs
    # within 90 days whatever --max-age below that, so it is 0.38830 as above: the range reaches
    # 2,250 x 1.38830 = 3,123.67 above and 2,250 x 0.61170 = 1,376.33 below (to the cent, the high up
    # and the low down), above the lowest floor of the claims used, intel's 1,350.
    assert figures(week) == pytest.approx((1376.33, 2250, 3123.67))
    assert [u.claim for u in killed(dataset, max_age=6).used] == ["ministry"]
    assert [u.claim for u in killed(dataset, max_age=60).used] == [
        "paper",
        "intel-late",
        "official",
        "ministry",
    ]


def test_an_estimate_with_nothing_fresh_names_the_max_age_that_would_use_a_claim(dataset: Dataset) -> None:
    # Without carrying forward, as of 60 days after the latest claim (the ministry's), every claim is
    # past the 21-day limit and the nearest is 60 days old.
    late = killed(dataset, max_age=21, carry=False)
    assert late.as_of is not None
    later = killed(dataset, Filters(as_of=late.as_of + timedelta(days=60)), carry=False)
    assert later.used == [] and later.best is None
    assert later.nearest_age_days == 60
    assert what_would_use(later) == (
        "the newest claim set aside is 60 days older than the estimate's date, more than --max-age 21; "
        "--max-age 60 would use it"
    )
    assert what_would_use(late) is None and late.nearest_age_days is None
    used = killed(dataset, Filters(as_of=later.as_of), max_age=60, carry=False).used
    assert [u.claim for u in used] == ["ministry"]


def test_a_stock_is_not_carried_forward(dataset: Dataset) -> None:
    # Deployed troops rise and fall: the metric does not accumulate, so a figure older than
    # --max-age is stale, as without carrying, and nothing is projected.
    e = estimate_for(dataset, "deployed", "troops", Filters(as_of=date(2025, 6, 1)), Settings(project=True))
    assert (e.carry, e.project, e.used, e.best) == (False, False, [], None)
    assert e.nearest_age_days is not None and all(s.reason != Reason.stale or s.age_days for s in e.set_aside)


def test_figures_stated_to_four_decimals_keep_them_when_carried(write_dataset: Callable[..., Path]) -> None:
    claims = claims_of(
        ("official", "between 0.4510 and 0.4554", "2025-01-01"),
        ("official", "between 0.4511 and 0.4555", "2025-01-11"),
    )
    dataset = load(
        write_dataset(claims=claims, document="between 0.4510 and 0.4554, between 0.4511 and 0.4555")
    )
    for method in Method:
        e = estimate_for(
            dataset, "killed", "troops", Filters(as_of=date(2025, 2, 10)), Settings(method=method)
        )
        [used] = e.used
        assert used.carried is not None and e.places == 4
        # 0.4533 rose by 0.0001 in 10 days, 0.00001 a day; 30 days on, +0.0003.
        assert used.carried.best == pytest.approx(0.4536) and used.carried.low == 0.4511
        assert e.low is not None and e.best is not None and e.high is not None
        assert e.low <= e.best <= e.high and e.best >= 0.4533, method


def test_a_count_stated_about_is_shown_whole(write_dataset: Callable[..., Path]) -> None:
    # "about 1,234" reads as 1,110.6 to 1,357.4; the estimate of soldiers is still shown whole.
    claims = claims_of(("official", "about 1,234", "2025-01-08"))
    dataset = load(write_dataset(claims=claims, document="about 1,234"))
    e = estimate_for(dataset, "killed", "troops", Filters())
    assert (e.places, figures(e)) == (0, (1110.6, 1234, 1357.4))
    assert render.estimate_figures(e) == "low 1,110 · best 1,234 · high 1,358"


def test_figures_of_originators_days_apart_give_no_slope(write_dataset: Callable[..., Path]) -> None:
    # 1,000 and 50,000 a day apart say how far two originators disagree, not how fast a total grows.
    claims = claims_of(("official", "1,000", "2025-01-01"), ("analysts", "50,000", "2025-01-02"))
    dataset = load(write_dataset(claims=claims, document="1,000 and 50,000"))
    e = estimate_for(dataset, "killed", "troops", Filters(as_of=date(2025, 12, 31)), Settings(max_age=21))
    assert all(u.carried is not None and u.carried.growth is Growth.none for u in e.used)


def test_the_carry_note_adds_up(dataset: Dataset) -> None:
    e = killed(dataset, Filters(as_of=date(2025, 4, 2)))
    [ministry] = [u for u in e.used if u.claim == "ministry"]
    note = carry_note(e, ministry, str)
    # 1,000 / 21 a day for 60 days is 2,857.14: 3,000 + 2,857.14 = 5,857.14; the high 3,500 + 5,714.29.
    assert note is not None
    assert "best 3,000 + 2,857.14 (60 days) = 5,857.14" in note
    assert (
        "the high, twice as fast, 3,500 + 5,714.29 = 9,214.29" in note
        and "the low stays at its floor, 2,500" in note
    )


def test_an_estimate_with_only_parties_left_says_so(dataset: Dataset) -> None:
    e = killed(dataset, Filters(sources=("ministry",)), exclude_parties=True)
    assert e.used == [] and e.best is None
    assert what_would_use(e) == (
        "every running total left is from a party to the conflict (3 claims); without --exclude-parties "
        "they would be used"
    )


def test_show_names_the_claims_carried_forward() -> None:
    result = runner.invoke(app, ["show", "killed_or_wounded", "--as-of", "2025-02-20"])
    assert result.exit_code == 0, result.output
    assert (
        "· carried forward to its date: White House/Pentagon (+57 days), NIS (+38 days), Zelensky (+46 days)"
        in result.stdout
    )


def test_old_figures_are_carried_forward_with_the_growth_the_claims_show(dataset: Dataset) -> None:
    # As of 2 April, 60 days after the ministry's 1 February: the claims within 21 days of the
    # newest (intel 25 Jan, the official 18 Jan, the ministry 1 Feb) are carried forward; the paper's
    # 20 Dec is 43 days older than the newest and stale.
    e = killed(dataset, Filters(as_of=date(2025, 4, 2)))
    assert [s.claim for s in e.set_aside if s.reason == Reason.stale] == ["paper"]
    carried = {u.claim: u.carried for u in e.used}
    intel, official, ministry = carried["intel-late"], carried["official"], carried["ministry"]
    assert intel is not None and official is not None and ministry is not None
    # The ministry's own series: 2,000 on 11 Jan to 3,000 on 1 Feb, 1,000 / 21 = 47.619 a day; 60 days
    # on, +2,857.14 to the best, twice that to the high, the floor of 2,500 kept.
    assert (ministry.growth, ministry.trend, ministry.days, ministry.per_day) == (
        Growth.own,
        ["ministry-early", "ministry"],
        60,
        47.619,
    )
    assert (ministry.low, ministry.best, ministry.high) == (2500, 5857.14, 9214.29)
    # Intel's: 1,000 on 4 Jan to 1,500 on 25 Jan, 500 / 21 = 23.8095 a day; 67 days, +1,595.24.
    assert (intel.growth, intel.days) == (Growth.own, 67)
    assert (intel.low, intel.best, intel.high) == (1350, 3095.24, 4840.48)
    # The official's series falls (up to 2,000, then up to 1,800): the median of the other credible
    # originators' last rises, the paper's 300 / 19 = 15.7895 and intel's 23.8095, is 19.7995; 74 days.
    assert (official.growth, official.days, official.per_day) == (Growth.others, 74, 19.7995)
    assert official.trend == ["paper-early", "paper", "intel-early", "intel-late"]
    assert (official.low, official.best, official.high) == (None, 3265.16, 4730.33)
    # Median of 3,095.24, 3,265.16, 5,857.14; the official's open low counts as intel's 1,350, so the
    # first quartile of the lows 1,350, 1,350, 2,500 is 1,350; the third of the highs 4,730.33,
    # 4,840.48, 9,214.29 is 4,840.48 + 0.5 x 4,373.81.
    assert e.best == pytest.approx(3265.16, abs=0.01)
    assert e.low == 1350 and e.high == pytest.approx(7027.38, abs=0.01)
    # The claims themselves are kept as stated beside what was carried.
    used = {u.claim: u for u in e.used}
    assert (used["ministry"].stated, used["ministry"].best) == ("between 2,500 and 3,500", 3000)


def test_a_lone_figure_with_no_growth_shown_is_carried_with_an_open_high(
    write_dataset: Callable[..., Path],
) -> None:
    claims = textwrap.dedent(
        """\
        claims:
          - id: only
            metric: killed
            subject: troops
            value: {stated: "about 1,000"}
            scope: {kind: cumulative}
            date: 2025-01-08
            source: ministry
            citations: [{document: doc, quote: "about 1,000"}]
        """
    )
    dataset = load(write_dataset(claims=claims, document="about 1,000"))
    e = estimate_for(dataset, "killed", "troops", Filters(as_of=date(2025, 3, 1)))
    [used] = e.used
    assert used.carried is not None and used.carried.growth is Growth.none
    assert (used.carried.days, used.carried.per_day) == (52, None)
    assert figures(e) == (900, 1000, None)


def test_the_slope_between_credible_figures_carries_originators_of_one_figure(
    write_dataset: Callable[..., Path],
) -> None:
    # Two originators of one figure each: 1,000 on 1 Jan and 1,300 on 21 Jan, 15 a day between them.
    claims = textwrap.dedent(
        """\
        claims:
          - id: first
            metric: killed
            subject: troops
            value: {stated: "1,000", low: 1000, best: 1000, high: 1000}
            scope: {kind: cumulative}
            date: 2025-01-01
            source: official
            citations: [{document: doc, quote: "1,000"}]
          - id: second
            metric: killed
            subject: troops
            value: {stated: "1,300", low: 1300, best: 1300, high: 1300}
            scope: {kind: cumulative}
            date: 2025-01-21
            source: analysts
            citations: [{document: doc, quote: "1,300"}]
        """
    )
    dataset = load(write_dataset(claims=claims, document="1,000 and 1,300"))
    e = estimate_for(
        dataset, "killed", "troops", Filters(as_of=date(2025, 2, 20)), Settings(method=Method.envelope)
    )
    carried = {u.claim: u.carried for u in e.used}
    first, second = carried["first"], carried["second"]
    assert first is not None and second is not None
    assert (first.growth, first.per_day, first.days) == (Growth.slope, 15, 50)
    # 1,000 + 15 x 50 = 1,750, high 1,000 + 30 x 50 = 2,500; 1,300 + 15 x 30 = 1,750, high 2,200.
    assert (first.low, first.best, first.high) == (1000, 1750, 2500)
    assert (second.low, second.best, second.high) == (1300, 1750, 2200)
    assert figures(e) == (1000, 1750, 2500)


def test_as_of_date(dataset: Dataset) -> None:
    e = killed(dataset, Filters(as_of=date(2025, 1, 20)))
    assert (e.as_of, e.as_of_given) == (date(2025, 1, 20), True)
    # Intel's 4 Jan "about 1,000", the ministry's 11 Jan 2,000 and the official's 18 Jan "up to 1,800";
    # the paper's 20 Dec is 31 days old.
    assert [u.claim for u in e.used] == ["intel-early", "official", "ministry-early"]
    assert [(s.claim, s.reason) for s in e.set_aside] == [
        ("paper-early", Reason.superseded),
        ("official-early", Reason.superseded),
        ("paper", Reason.stale),
    ]
    # Median of 1,000, 1,800, 2,000; the ministry's bare 2,000 is stated to the thousand, 1,500 to 2,500,
    # so the third quartile of the highs 1,100, 1,800, 2,500 is 1,800 + 700 x 0.5. The official's "up
    # to" has no low; it counts as the lowest of the others, 900: the first quartile of 900, 900, 1,500.
    # Up to 20 January (intel's 25 January is later) only the paper's own series rises, 15.789 a day.
    # The 8 pairs of different originators, the older raised by it, disagree by 0.0355, 0.0355, 0.3012,
    # 0.3012, 0.3216, 0.4342, 0.4342 and 0.4526; the ninth decile (position 6.3) is 0.4342 + 0.3 x
    # 0.0184 = 0.43974: 1,800 x 0.56026 = 1,008.47 is above the low, 900; 1,800 x 1.43974 = 2,591.53
    # is beyond the high.
    assert figures(e) == pytest.approx((900, 1800, 2591.53))


def test_project_carries_every_claim_used_forward(dataset: Dataset) -> None:
    e = killed(dataset, project=True, max_age=60)
    carried = {u.claim: u.carried for u in e.used if u.carried is not None}
    # The ministry's is as of the estimate's date already; the other three predate it.
    assert sorted(carried) == ["intel-late", "official", "paper"]
    assert all(c is not None and c.because == "project" for c in carried.values())
    intel, paper, official = carried["intel-late"], carried["paper"], carried["official"]
    # Intel: 1,000 on 4 Jan to 1,500 on 25 Jan is 500 / 21 a day; 7 days on, +166.67, the high +333.33.
    assert intel is not None and intel.trend == ["intel-early", "intel-late"] and intel.days == 7
    assert (intel.low, intel.best, intel.high, intel.per_day) == (1350, 1666.67, 1983.33, 23.8095)
    # The paper: 500 on 1 Dec to "more than 800" on 20 Dec, 300 / 19 a day; 43 days on, +678.95, its
    # floor of 800 kept and no ceiling.
    assert paper is not None and (paper.low, paper.best, paper.high, paper.days) == (800, 1478.95, None, 43)
    # The official's own series falls: carried by the median of the others' rises, 19.7995 a day x 14.
    assert official is not None and (official.growth, official.best, official.high) == (
        Growth.others,
        2077.19,
        2354.39,
    )
    assert [s.claim for s in e.set_aside if s.reason == Reason.stale] == []
    used = {u.claim: u for u in e.used}
    assert (used["paper"].stated, used["paper"].best, used["paper"].figures) == (
        "more than 800",
        800,
        (800, 1478.95, None),
    )


def test_without_carry_claims_older_than_max_age_are_stale(dataset: Dataset) -> None:
    # The paper's figure is 43 days old; the default max_age is 21, so without carrying it is stale,
    # and --project reaches only the claims within max_age. Intel's 7 days are carried.
    e = killed(dataset, project=True, carry=False)
    assert [u.claim for u in e.used if u.carried is not None] == ["intel-late", "official"]
    assert [(s.claim, s.reason, s.age_days) for s in e.set_aside if s.reason == Reason.stale] == [
        ("paper", Reason.stale, 43)
    ]
    assert [u.claim for u in killed(dataset, project=True, max_age=6, carry=False).used] == ["ministry"]


def test_open_bounds_stay_open(small_dataset: Path) -> None:
    # "more than 300" is the only cumulative count of killed: a floor of 300 and no ceiling.
    dataset = load(small_dataset)
    for method in Method:
        e = estimate_for(dataset, "killed", "troops", Filters(), Settings(method=method))
        assert figures(e) == (300, 300, None), method
        assert [(s.claim, s.reason) for s in e.set_aside] == [("official-killed-week", Reason.out_of_scope)]


def test_weighted_claims_all_years_old(dataset: Dataset) -> None:
    # As of the year 9000 every claim is over 2.5 million days old, and 0.5 ^ (age / 14) is 0.0 for
    # each. Counted from the youngest used (the ministry), the ages are 43, 7, 14 and 0 days, as of 1 Feb.
    e = killed(dataset, Filters(as_of=date(9000, 1, 1)), method=Method.weighted, max_age=10_000_000)
    # Weights: paper 0.4 x 0.5 ^ (43 / 14) = 0.4 x 0.11896 = 0.04758; intel 0.70711; official 0.3;
    # ministry 0.8; sum 1.85469. Best (0.04758 x 800 + 0.70711 x 1,500 + 0.3 x 1,800 + 0.8 x 3,000)
    # / 1.85469 = 4,038.728 / 1.85469 = 2,177.57. The official's low and the paper's high are open.
    assert figures(e) == (None, 2177.57, None)
    shares = {u.claim: u.weight.share for u in e.used if u.weight is not None}
    assert shares == pytest.approx(
        {"paper": 0.025656, "intel-late": 0.381253, "official": 0.161752, "ministry": 0.431339}, abs=5e-7
    )
    assert [u.weight.recency for u in e.used if u.weight is not None and u.claim == "ministry"] == [1.0]


def test_cli_weighted_claims_all_years_old() -> None:
    result = runner.invoke(
        app,
        [
            "estimate",
            "killed_or_wounded",
            "--method",
            "weighted",
            "--as-of",
            "9999-12-31",
            "--max-age",
            "10000000",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    [e] = [e for e in json.loads(result.stdout)["estimates"] if e["subject"] == "dprk-forces"]
    # Every originator's latest figure, counted from NIS's (13 Jan): US senior official 27 days older,
    # 0.6 x 0.5 ^ (27 / 14) = 0.15761; White House/Pentagon 0.31233; NIS 1.0; Zelensky 0.53842; sum 2.00836.
    # Best (0.15761 x 500 + 0.31233 x 1,000 + 3,000 + 0.53842 x 3,800) / 2.00836 = 5,437.14 / 2.00836;
    # low (0.15761 x 300 + 0.31233 x 900 + 3,000 + 0.53842 x 3,420) / 2.00836 = 5,169.78 / 2.00836.
    assert (e["low"], e["best"], e["high"]) == (2574.14, 2707.25, None)


def test_no_estimate_without_a_usable_claim(dataset: Dataset) -> None:
    e = killed(dataset, Filters(sources=("anon",)))
    assert (e.low, e.best, e.high, e.used, e.as_of) == (None, None, None, [], None)
    assert [s.reason for s in e.set_aside] == [Reason.projection]


def test_estimates_for_every_metric_and_subject_of_a_name(dataset: Dataset) -> None:
    result = estimates(dataset, "deployed", Filters())
    assert [(e.metric, e.subject, figures(e)) for e in result.estimates] == [
        ("deployed", "troops", (8500, 9000, 9500))  # a bare 9,000 is stated to the thousand
    ]


def test_every_method_has_a_function_a_rule_and_renders(dataset: Dataset) -> None:
    assert set(METHODS) == set(METHOD_RULES) == set(Method)
    for method in Method:
        result = estimates(dataset, "killed", Filters(), Settings(method=method))
        render.console().print(render.estimate(result, explain=True))


def test_median_explains_the_figures_its_quartiles_take(dataset: Dataset) -> None:
    text, disagreement = [str(part) for part in render.explanation(killed(dataset))[1:]]
    assert disagreement == (
        "Disagreement: the ninth decile (inclusive method) of the gaps between pairs of credible figures "
        "of different originators, made within 90 days of each other, the older first raised by 19.8 a "
        "day (the growth of the originators' own series), is 38.8% of the larger. The range reaches at "
        "least that far either side of the best value, no lower than the lowest floor of the claims "
        "used; a bound that no claim used closes is closed there only when a figure compared states "
        "that side and the reach goes beyond every claim used open on it."
    )
    assert text == (
        "Lows in order: 1,350 · 1,350 · 2,500. Best values in order: 1,500 · 1,800 · 3,000. "
        "Highs in order: 1,650 · 1,800 · 3,500. Counted: Official's open low as 1,350."
    )


def claims_of(*stated: tuple[str, str, str]) -> str:
    lines = ["claims:"]
    for i, (source, wording, day) in enumerate(stated):
        lines += [
            f"  - id: c{i}",
            "    metric: killed",
            "    subject: troops",
            f'    value: {{stated: "{wording}"}}',
            "    scope: {kind: cumulative}",
            f"    date: {day}",
            f"    source: {source}",
            f'    citations: [{{document: doc, quote: "{wording}"}}]',
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        # A lone "more than 3,000" closes nothing: its high stays open.
        ([("official", "more than 3,000")], (3000, 3000, None)),
        # Beside "about 1,000" (900 to 1,100), the open high counts as its own best, 3,000, the wider:
        # highs 1,100 and 3,000, third quartile 1,100 + 0.75 x 1,900 = 2,525; lows 900 and 3,000, first
        # quartile 900 + 0.25 x 2,100 = 1,425; best the median of 1,000 and 3,000. The two disagree by
        # 2,000 / 3,000: the range reaches 2,000 x (1 + 2/3) = 3,333.33 (3,333.34, up to the cent) and
        # 2,000 x (1 - 2/3) = 666.67 below, but no lower than the lowest floor stated, 900.
        ([("official", "more than 3,000"), ("analysts", "about 1,000")], (900, 2000, 3333.34)),
        # Beside "about 4,000" (3,600 to 4,400), it counts as 4,400: highs 4,400, 4,400; lows 3,000,
        # 3,600: 3,000 + 0.25 x 600 = 3,150; they disagree by 0.25, reaching 3,500 x 0.75 = 2,625, held
        # at the lowest floor, 3,000.
        ([("official", "more than 3,000"), ("analysts", "about 4,000")], (3000, 3500, 4400)),
        # Both open above: no claim closes the high, and two floors that disagree say nothing of how
        # far above them the total is: it stays open. The low reaches 3,000 as above.
        ([("official", "more than 3,000"), ("analysts", "at least 4,000")], (3000, 3500, None)),
    ],
)
def test_the_median_counts_an_open_bound_as_the_widest_closed_one_of_the_others(
    write_dataset: Callable[..., Path],
    stated: list[tuple[str, str]],
    expected: tuple[float | None, ...],
) -> None:
    claims = claims_of(*((source, wording, "2025-01-08") for source, wording in stated))
    document = " ".join(wording for _, wording in stated)
    e = estimate_for(load(write_dataset(claims=claims, document=document)), "killed", "troops", Filters())
    assert figures(e) == pytest.approx(expected, abs=0.01)
    # The envelope keeps what was said: an open bound of any claim used stays open.
    envelope = estimate_for(
        load(write_dataset(claims=claims, document=document)),
        "killed",
        "troops",
        Filters(),
        Settings(method=Method.envelope),
    )
    assert envelope.high is None


@pytest.mark.parametrize("count", [2, 3, 7, 8, 11, 30])
def test_quantile_matches_the_statistics_module(count: int) -> None:
    import statistics

    values = [float((i * 37) % 11) for i in range(count)]
    quartiles = statistics.quantiles(values, n=4, method="inclusive")
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    assert quantile(values, 0.25) == pytest.approx(quartiles[0])
    assert quantile(values, 0.75) == pytest.approx(quartiles[2])
    assert quantile(values, 0.9) == pytest.approx(deciles[8])
    assert quantile([1.0, math.inf], 0.75) == math.inf and quantile([-math.inf, 1.0], 0.25) == -math.inf


# --- the shipped dataset: the worked example of docs/methods.md --------------------------------------


@pytest.fixture(scope="module")
def shipped_dataset(shipped: Path) -> Dataset:
    return load(shipped)


def worked_example(dataset: Dataset, method: Method) -> Estimate:
    return estimate_for(
        dataset, "killed_or_wounded", "dprk-forces", Filters(as_of=date(2025, 1, 13)), Settings(method=method)
    )


def test_worked_example_claims(shipped_dataset: Dataset) -> None:
    e = worked_example(shipped_dataset, DEFAULT_METHOD)
    # US officials, late Dec 2024, "approximately 1,000" = 900 / 1,000 / 1,100 (19 days old);
    # NIS, 13 Jan 2025, "more than 3,000" = 3,000 / 3,000 / open; Zelensky, 5 Jan 2025,
    # "roughly 3,800" = 3,420 / 3,800 / 4,180.
    assert [(u.claim, u.low, u.best, u.high, u.age_days) for u in e.used] == [
        ("us-officials-kia-wia-2024-12-late", 900, 1000, 1100, 19),
        ("nis-kia-wia-2025-01-13", 3000, 3000, None, 0),
        ("zelensky-kia-wia-2025-01-05", 3420, 3800, 4180, 8),
    ]
    assert [(s.claim, s.reason) for s in e.set_aside] == [
        ("hur-kia-wia-2024-12-14-15", Reason.out_of_scope),
        ("zelensky-kia-wia-2024-12-late", Reason.superseded),
        ("zelensky-kia-wia-share-2025-01-05", Reason.duplicate_relay),
        ("us-official-kia-wia-2024-12", Reason.stale),  # "several hundred" of ~17 Dec: 27 days old
    ]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # Lowest low 900; NIS has no ceiling; median of 1,000, 3,000, 3,800.
        (Method.envelope, (900, 3000, None)),
        # First quartile of the lows 900, 3,000, 3,420: 900 + (3,000 - 900) x 0.5 = 1,950. NIS's open high
        # counts as the highest of the others, Zelensky's 4,180: the third of 1,100, 4,180, 4,180. The
        # credible originators have one figure each, so no series shows growth: the US senior official's
        # 500 (17 Dec) and the White House's 1,000 (25 Dec) disagree by 0.5, the White House and NIS's
        # 3,000 (13 Jan) by 0.6667, the official and NIS by 0.8333; the ninth decile (position 1.8) is
        # 0.6667 + 0.8 x 0.1667 = 0.8. The range reaches 3,000 x 1.8 = 5,400 above and 3,000 x 0.2 = 600
        # below, but no lower than the lowest floor of the claims used, the White House's 900.
        (Method.median, (900, 3000, 5400)),
        # NIS and US officials are not parties; the lower of 3,000 and 1,000 is US officials'.
        (Method.conservative, (900, 1000, 1100)),
        # NIS 1.0; Zelensky 0.8 x 0.5 ^ (8 / 14) = 0.5384; US officials 0.8 x 0.5 ^ (19 / 14) = 0.3123.
        # Low (3,000 + 0.5384 x 3,420 + 0.3123 x 900) / 1.8507; best the same with 3,800 and 1,000.
        (Method.weighted, (2767.82, 2895.24, None)),
    ],
)
def test_worked_example_methods(
    shipped_dataset: Dataset, method: Method, expected: tuple[float | None, ...]
) -> None:
    assert figures(worked_example(shipped_dataset, method)) == expected


def test_show_carries_the_same_estimate(shipped_dataset: Dataset) -> None:
    result = show(shipped_dataset, "killed_or_wounded", Filters(as_of=date(2025, 1, 13)))
    with_estimate = [c for c in result.comparisons if c.estimate is not None]
    assert [(c.scope, c.projection) for c in with_estimate] == [("cumulative", False)]
    assert with_estimate[0].estimate == worked_example(shipped_dataset, DEFAULT_METHOD)
    assert all(c.estimate is None for c in result.comparisons if c.scope != "cumulative")


# --- the command line -----------------------------------------------------------------------------


def test_cli_estimate() -> None:
    result = runner.invoke(app, ["estimate", "killed_or_wounded", "--as-of", "2025-01-13"])
    assert result.exit_code == 0, result.output
    assert "Estimate (median): low 900 · best 3,000 · high 5,400" in result.stdout
    assert "stale: 27 days older than the newest claim used (limit 21)" in result.stdout


def test_cli_estimate_json_and_options() -> None:
    result = runner.invoke(
        app,
        [
            "estimate",
            "killed_or_wounded",
            "--method",
            "conservative",
            "--exclude-parties",
            "--max-age",
            "30",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    [e] = json.loads(result.stdout)["estimates"]
    # Within 30 days the US senior official's "several hundred" (300 / 500 / 900) of ~17 Dec is used: the lowest.
    assert (e["low"], e["best"], e["high"], e["method"], e["max_age"]) == (300, 500, 900, "conservative", 30)
    assert [u["claim"] for u in e["used"]] == [
        "us-official-kia-wia-2024-12",
        "us-officials-kia-wia-2024-12-late",
        "nis-kia-wia-2025-01-13",
    ]
    assert {s["claim"]: s["reason"] for s in e["set_aside"]}[
        "zelensky-kia-wia-2025-01-05"
    ] == "party to the conflict"


def test_cli_estimate_explain_and_project() -> None:
    result = runner.invoke(
        app, ["estimate", "killed_or_wounded", "--method", "weighted", "--explain", "--project"]
    )
    assert result.exit_code == 0, result.output
    assert "Weights" in result.stdout and "0.6730" in result.stdout  # Zelensky's recency, 0.5 ^ (8 / 14)
    assert (
        "carried +8 days" in result.stdout
        and "Carried forward 8 days to 2025-01-13 (--project)" in result.stdout
    )


def test_cli_method_choices_are_the_methods() -> None:
    assert get_args(MethodName) == tuple(m.value for m in Method)
    assert runner.invoke(app, ["estimate", "killed", "--method", "mean"]).exit_code == 2
    assert f"default {DEFAULT_MAX_AGE}" in runner.invoke(app, ["estimate", "--help"]).stdout
    assert DEFAULT_METHOD == Method.median  # the CLI's default


def test_cli_show_prints_the_estimate_line() -> None:
    result = runner.invoke(app, ["show", "killed"])
    assert result.exit_code == 0
    assert (
        # NIS's "more than 300" closes no high; the KR lawmaker's 100, 27 days older and no series to
        # grow it by, disagrees by 200 / 300: the high reaches 300 x (1 + 2/3) = 500.
        "Estimate (median of the 1 claim used, as of 2025-01-13): low 300 · best 300 · high 500"
        in result.stdout
    )
    assert "over 21 days older than the newest claim: KR lawmaker" in result.stdout


# --- properties -----------------------------------------------------------------------------------

BASE = date(2025, 1, 1)
SOURCES = {
    "s0": ("intelligence", "false"),
    "s1": ("military", "true"),
    "s2": ("media", "false"),
    "s3": ("government", "true"),
    "s4": ("analyst", "false"),
}


@st.composite
def claim_specs(draw: st.DrawFn, sources: tuple[str, ...] = ("s0", "s1", "s2", "s3")) -> dict[str, object]:
    best = draw(st.integers(0, 5000))
    low = draw(st.one_of(st.none(), st.integers(0, best)))
    high = draw(st.one_of(st.none(), st.integers(best, 10000)))
    return {
        "source": draw(st.sampled_from(sources)),
        "day": draw(st.integers(0, 60)),
        "low": low,
        "best": best,
        "high": high,
        "period": draw(st.booleans()) and draw(st.booleans()),
    }


def build(specs: list[dict[str, object]], ids: list[int] | None = None) -> Dataset:
    """A dataset of one metric from claims given as explicit intervals, with ids c0, c1, ... or c{ids[i]}."""
    lines = [
        "version: 1",
        "metrics:",
        "  killed: {label: Killed, unit: soldiers}",
        "subjects:",
        "  troops: {name: Troops}",
        "sources:",
    ]
    lines += [
        f"  {s}: {{name: Source {s}, kind: {kind}, party: {party}}}" for s, (kind, party) in SOURCES.items()
    ]
    lines += [
        "documents:",
        "  doc: {file: doc.txt, outlet: Example, title: Losses, published: 2025-06-01}",
        "claims:" if specs else "claims: []",
    ]
    for i, spec in zip(ids or range(len(specs)), specs, strict=True):
        bounds = "".join(f", {k}: {spec[k]}" for k in ("low", "best", "high") if spec[k] is not None)
        day = BASE + timedelta(days=int(str(spec["day"])))
        scope = "{kind: period, description: a week}" if spec["period"] else "{kind: cumulative}"
        lines += [
            textwrap.dedent(f"""\
          - id: c{i}
            metric: killed
            subject: troops
            value: {{stated: a figure{bounds}}}
            scope: {scope}
            date: {day}
            source: {spec["source"]}
            citations: [{{document: doc, quote: a figure}}]""")
        ]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "doc.txt").write_text("a figure", encoding="utf-8")
        path = Path(folder) / "estimates.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return load(path)


def estimate_of(dataset: Dataset, method: Method, as_of: date | None = None, **options: object) -> Estimate:
    return estimate_for(dataset, "killed", "troops", Filters(as_of=as_of), Settings(method=method, **options))


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(
    st.lists(claim_specs(), min_size=1, max_size=8),
    st.sampled_from(list(Method)),
    st.booleans(),
    st.integers(0, 90),
)
def test_low_best_high_are_ordered(
    specs: list[dict[str, object]], method: Method, project: bool, max_age: int
) -> None:
    e = estimate_of(build(specs), method, project=project, max_age=max_age)
    if e.best is None:
        assert e.used == [] and e.low is None and e.high is None
        return
    assert e.low is None or e.low <= e.best
    assert e.high is None or e.best <= e.high


@PROPERTY
@given(st.lists(claim_specs(), min_size=1, max_size=8))
def test_envelope_contains_every_used_interval(specs: list[dict[str, object]]) -> None:
    e = estimate_of(build(specs), Method.envelope)
    for used in e.used:
        assert e.low is None or (used.low is not None and e.low <= used.low)
        assert e.high is None or (used.high is not None and used.high <= e.high)


@PROPERTY
@given(st.lists(claim_specs(), min_size=1, max_size=8), st.integers(0, 400), st.booleans())
def test_a_claim_carried_forward_keeps_its_floor_and_never_falls(
    specs: list[dict[str, object]], day: int, project: bool
) -> None:
    e = estimate_of(build(specs), Method.median, BASE + timedelta(days=day), project=project)
    for used in e.used:
        low, best, high = used.figures
        assert low == used.low
        assert best >= used.best
        assert (
            (high is None)
            if used.high is None or (used.carried and used.carried.per_day is None)
            else (high is not None and high >= used.high)
        )
        if used.carried is not None:
            assert used.carried.days == used.age_days > 0


@PROPERTY
@given(st.lists(claim_specs(), min_size=1, max_size=6), claim_specs(sources=("s4",)))
def test_adding_a_claim_never_narrows_the_envelope(
    specs: list[dict[str, object]], extra: dict[str, object]
) -> None:
    # With the date fixed, a new originator's claim supersedes nothing and makes nothing stale. (Carried
    # forward, it can: a claim that shows growth closes the open high of a lone figure carried forward.)
    as_of = BASE + timedelta(days=60)
    before = estimate_of(build(specs), Method.envelope, as_of, carry=False)
    after = estimate_of(build([*specs, extra]), Method.envelope, as_of, carry=False)
    if before.best is None:
        return
    assert after.low is None or (before.low is not None and after.low <= before.low)
    assert after.high is None or (before.high is not None and after.high >= before.high)


@PROPERTY
@given(
    st.lists(claim_specs(), min_size=1, max_size=8),
    st.integers(0, 60),
    st.sampled_from(list(Method)),
    st.booleans(),
)
def test_an_estimate_as_of_a_date_uses_nothing_later(
    specs: list[dict[str, object]], day: int, method: Method, project: bool
) -> None:
    dataset = build(specs)
    as_of = BASE + timedelta(days=day)
    e = estimate_of(dataset, method, as_of, project=project, max_age=90)
    assert all(u.date <= as_of for u in e.used) and all(s.date <= as_of for s in e.set_aside)
    trend = [dataset.claim(c) for u in e.used if u.carried is not None for c in u.carried.trend]
    assert all(c.date <= as_of for c in trend)
    # And the figures are those of the claims up to that date alone.
    kept = [i for i, s in enumerate(specs) if BASE + timedelta(days=int(str(s["day"]))) <= as_of]
    earlier = build([specs[i] for i in kept], kept)
    alone = estimate_of(earlier, method, as_of, project=project, max_age=90)
    assert figures(alone) == figures(e)


def test_very_many_set_aside_claims_are_counted_by_reason_not_listed() -> None:
    from reconcile.io.where import default_path

    dataset = load(default_path())
    result = estimates(dataset, "killed_or_wounded", Filters(subject="dprk-forces"), Settings(max_age=21))
    [item] = result.estimates
    many = replace(item, set_aside=item.set_aside * (render.SET_ASIDE_LISTED // len(item.set_aside) + 1))
    out = render.console()
    with out.capture() as captured:
        out.print(render.estimate(replace(result, estimates=[many])))
    text = captured.get()
    assert f"Set aside ({len(many.set_aside):,}): " in text
    assert "--json lists every one with its reason." in text
    assert "superseded by its" not in text


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """A generated dataset of 600 claims, with claims set aside for every reason."""
    from tests.conftest import generator

    folder = tmp_path_factory.mktemp("generated")
    generator().write(folder / "claims.yaml", 600, seed=7)
    return load(folder / "claims.yaml")


@pytest.mark.parametrize("reasons", [(), (Reason.stale,), (Reason.superseded, Reason.out_of_scope)])
def test_an_estimate_lists_the_claims_set_aside_for_the_reasons_asked(
    generated: Dataset, reasons: tuple[Reason, ...]
) -> None:
    seen: set[Reason] = set()
    for metric in generated.metrics:
        for subject in generated.subjects:
            full = estimate_for(generated, metric, subject, Filters())
            some = estimate_for(generated, metric, subject, Filters(), set_aside_for=reasons)
            seen.update(item.reason for item in full.set_aside)
            assert some.set_aside == [item for item in full.set_aside if item.reason in reasons]
            assert replace(some, set_aside=[]) == replace(full, set_aside=[])
    assert seen >= {Reason.stale, Reason.superseded, Reason.out_of_scope}


def printed_show(dataset: Dataset, name: str, set_aside_for: frozenset[Reason] | None = None) -> str:
    out = render.console()
    with out.capture() as captured:
        out.print(render.show(show(dataset, name, Filters(), set_aside_for=set_aside_for)))
    return captured.get()


def test_show_prints_the_same_with_only_the_stale_claims_set_aside_listed(generated: Dataset) -> None:
    texts = []
    for name in [*generated.metrics, *generated.groups]:
        texts.append(printed_show(generated, name))
        assert printed_show(generated, name, render.SHOWN_SET_ASIDE) == texts[-1]
    assert any("set aside as over" in text for text in texts)  # stale claims are named


def test_show_as_json_lists_every_claim_set_aside(shipped: Path) -> None:
    result = runner.invoke(app, ["show", "casualties", "--json"])
    assert result.exit_code == 0, result.output
    listed = {
        (c["metric"], c["subject"]): c["estimate"]["set_aside"]
        for c in json.loads(result.stdout)["comparisons"]
        if c["estimate"] is not None
    }
    dataset = load(shipped)
    assert listed and any(listed.values())
    for (metric, subject), items in listed.items():
        full = estimate_for(dataset, metric, subject, Filters())
        assert [(i["claim"], i["reason"]) for i in items] == [
            (i.claim, i.reason.value) for i in full.set_aside
        ]


def test_settings_refuse_a_negative_age_and_read_a_method_name() -> None:
    with pytest.raises(ValueError, match="max_age must be 0 or more, not -1"):
        Settings(max_age=-1)
    assert Settings(method="weighted").method is Method.weighted  # type: ignore[arg-type]


def test_nothing_is_carried_beyond_the_largest_figure(write_dataset: Callable[..., Path]) -> None:
    from reconcile.model.terms import MAX_FIGURE

    # A rise of half the largest figure in a day, carried 333 days: far beyond it, so held there.
    claims = claims_of(("official", "1", "1900-01-01"), ("official", "500000000000000", "1900-01-02"))
    dataset = load(write_dataset(claims=claims, document="1 and 500000000000000"))
    e = estimate_for(dataset, "killed", "troops", Filters(as_of=date(1900, 12, 1)))
    [used] = e.used
    assert used.carried is not None and used.carried.best == used.carried.high == MAX_FIGURE
    assert e.best == e.high == MAX_FIGURE


def test_a_claim_is_carried_forward_at_most_a_year(write_dataset: Callable[..., Path]) -> None:
    claims = claims_of(("official", "about 1,000", "2024-01-01"), ("official", "about 1,100", "2024-01-11"))
    dataset = load(write_dataset(claims=claims, document="about 1,000 and about 1,100"))
    # 365 days after 11 January 2024 (a leap year): carried, 10 a day, 1,000 + 10 x 365 = 4,750.
    kept = estimate_for(dataset, "killed", "troops", Filters(as_of=date(2025, 1, 10)))
    [used] = kept.used
    assert used.carried is not None and used.carried.days == MAX_CARRY_DAYS == 365
    assert kept.best == pytest.approx(1100 + 10 * 365)
    # A day more, and it is too old to carry: set aside as stale, with what would use it.
    late = estimate_for(dataset, "killed", "troops", Filters(as_of=date(2025, 1, 11)))
    assert late.used == [] and late.best is None and late.nearest_age_days == 366
    assert {item.reason for item in late.set_aside} == {Reason.stale, Reason.superseded}
    assert what_would_use(late) == (
        "the newest claim set aside is 366 days older than the estimate's date, more than the 365 days "
        "a claim is carried forward; --max-age 366 would use it"
    )
    # With --max-age 366 a figure that old is used as it stands, as --max-age says of any figure.
    longer = estimate_for(
        dataset, "killed", "troops", Filters(as_of=date(2025, 1, 11)), Settings(max_age=366)
    )
    [used] = longer.used
    assert used.carried is None and longer.best == 1100
    # Without carrying forward, a figure over --max-age days old is set aside whatever its age.
    flat = estimate_for(dataset, "killed", "troops", Filters(as_of=date(2025, 1, 10)), Settings(carry=False))
    assert flat.used == []


def test_the_reach_of_disagreement_stops_at_the_lowest_floor_stated(
    write_dataset: Callable[..., Path],
) -> None:
    # "more than 1,000" and "more than 2,000" disagree by a half, but both say the total is above 1,000.
    # Neither states a high, so their disagreement closes none.
    claims = claims_of(
        ("official", "more than 1,000", "2025-01-01"), ("analysts", "more than 2,000", "2025-01-05")
    )
    dataset = load(write_dataset(claims=claims, document="more than 1,000 and more than 2,000"))
    e = estimate_for(dataset, "killed", "troops", Filters())
    assert (e.disagreement, e.disagreement_growth) == (0.5, 0)
    assert (e.low, e.best, e.high) == (1000, 1500, None)
    # With the official's earlier "about 1,000" (900 to 1,100) of 1 December, a figure compared states a
    # high. The official's series does not rise (1,000 to 1,000), so no growth; the analysts' 2,000 (5 Jan)
    # differs from each of the official's figures by 0.5: the high reaches 1,500 x 1.5 = 2,250, above
    # both "more than" figures.
    claims += (
        claims_of(("official", "about 1,000", "2024-12-01"))
        .removeprefix("claims:\n")
        .replace("id: c0", "id: p0")
    )
    dataset = load(write_dataset(claims=claims, document="more than 1,000 and more than 2,000, about 1,000"))
    e = estimate_for(dataset, "killed", "troops", Filters())
    assert (e.disagreement, e.disagreement_growth) == (0.5, 0)
    assert (e.low, e.best, e.high) == (1000, 1500, 2250)


def test_an_open_high_closes_only_above_every_more_than_used(write_dataset: Callable[..., Path]) -> None:
    # The analysts' stale "about 1,000" (1 Jan) and the official's "more than 1,200" (1 Feb), 31 days
    # apart, disagree by 200 / 1,200 = 0.1667. Used: the official and the ministry's (a party's) "more
    # than 5,000": best 3,100, both open above. 3,100 x 1.1667 = 3,616.67 is below the ministry's
    # floor, so it closes nothing: the high stays open.
    claims = claims_of(
        ("analysts", "about 1,000", "2025-01-01"),
        ("official", "more than 1,200", "2025-02-01"),
        ("ministry", "more than 5,000", "2025-02-01"),
    )
    dataset = load(write_dataset(claims=claims, document="about 1,000, more than 1,200, more than 5,000"))
    e = estimate_for(dataset, "killed", "troops", Filters())
    assert [u.claim for u in e.used] == ["c1", "c2"]
    assert e.disagreement == pytest.approx(1 / 6, abs=1e-6) and (e.best, e.high) == (3100, None)


def test_sources_that_agree_close_no_open_bound(write_dataset: Callable[..., Path]) -> None:
    # Two "more than 1,000" of the same day: they disagree by nothing, which says nothing of how far
    # beyond 1,000 the total is.
    claims = claims_of(
        ("official", "more than 1,000", "2025-01-01"), ("analysts", "more than 1,000", "2025-01-01")
    )
    dataset = load(write_dataset(claims=claims, document="more than 1,000"))
    e = estimate_for(dataset, "killed", "troops", Filters())
    assert e.disagreement == 0 and (e.low, e.best, e.high) == (1000, 1000, None)


@pytest.mark.parametrize(
    ("official", "expected"),
    [
        # The official's own series rises from 1,000 (1 Jan) to 2,000 (11 Jan), 100 a day. The
        # analysts' 2,500 of 16 Jan is 5 days after the official's 2,000: raised, 2,000 + 500 = 2,500,
        # no gap; 15 days after its 1,000: 1,000 + 1,500 = 2,500, no gap. Growth, not dispute,
        # separates the figures.
        ((1000, 2000), (0, 100)),
        # 2,000 then 1,500 is a contradiction for a running total, not a trend: no growth. 1,500
        # (11 Jan) against 2,500 (16 Jan): 1,000 / 2,500 = 0.4; 2,000 (1 Jan) against 2,500: 0.2.
        # Ninth decile of 0.2 and 0.4: 0.2 + 0.9 x 0.2 = 0.38.
        ((2000, 1500), (0.38, 0)),
    ],
)
def test_disagreement_is_measured_after_the_growth_of_an_originators_own_series(
    write_dataset: Callable[..., Path], official: tuple[int, int], expected: tuple[float, float]
) -> None:
    first, second = (f"{value:,}" for value in official)
    claims = claims_of(
        ("official", first, "2025-01-01"),
        ("official", second, "2025-01-11"),
        ("analysts", "2,500", "2025-01-16"),
    )
    dataset = load(write_dataset(claims=claims, document=f"{first} {second} 2,500"))
    e = estimate_for(dataset, "killed", "troops", Filters())
    assert (e.disagreement, e.disagreement_growth) == pytest.approx(expected)
    # Without the official's earlier figure there is no series to read growth from: its second and
    # the analysts' 2,500, 5 days apart, disagree by (2,500 - it) / 2,500.
    later = estimate_for(dataset, "killed", "troops", Filters(since=date(2025, 1, 5)))
    assert (later.disagreement, later.disagreement_growth) == pytest.approx(((2500 - official[1]) / 2500, 0))


def test_one_daily_series_does_not_crowd_out_the_other_originators(
    write_dataset: Callable[..., Path],
) -> None:
    # The analysts' daily series of 120 figures, 1,000 rising 10 a day from 1 January, and the
    # official's 1,100 of 10 January. Of the analysts only their latest 25 (6 to 30 April) are read, so
    # the official's figure is compared: raised by the analysts' 10 a day over the 86 days to 6 April,
    # 1,960, against their 1,950 there, and so on; the disagreement is measured, not left out.
    start = date(2025, 1, 1)
    analysts = [
        ("analysts", f"{1000 + 10 * i:,}", (start + timedelta(days=i)).isoformat()) for i in range(120)
    ]
    claims = claims_of(*analysts, ("official", "1,100", "2025-01-10"))
    document = " ".join(wording for _, wording, _ in analysts) + " 1,100"
    e = estimate_for(load(write_dataset(claims=claims, document=document)), "killed", "troops", Filters())
    # The official's 1,100 (10 Jan) raised over d days, 1,100 + 10d, against the analysts' 1,090 + 10d:
    # pairs within 90 days are d = 86 to 90 (6 to 10 April), gaps 10 / 1,960 ... 10 / 2,000. Their
    # ninth decile (position 4 x 0.9 = 3.6): 10 / 1,970 + 0.6 x (10 / 1,960 - 10 / 1,970).
    assert e.disagreement_growth == 10
    assert e.disagreement == pytest.approx(10 / 1970 + 0.6 * (10 / 1960 - 10 / 1970), abs=1e-6)


def test_a_falling_stock_is_raised_no_lower_than_none(write_dataset: Callable[..., Path]) -> None:
    # Troops deployed (a stock, not a running total) fall in the analysts' own series from 9,000 to
    # 1,000 in 8 days, -1,000 a day. Their 9,000 (1 Jan) lowered by it over the 20 days to the
    # official's 5,000 (21 Jan) would be -11,000: it is 0, and the gap 5,000 / 5,000 = 1, no more.
    # Their 1,000 (9 Jan) lowered over 12 days is 0 as well: gaps 1 and 1, so the disagreement is 1
    # and the low reaches no lower than 0.
    claims = textwrap.dedent(
        """\
        claims:
        """
    ) + "".join(
        f'  - id: d{i}\n    metric: deployed\n    subject: troops\n    value: {{stated: "{value}"}}\n'
        f"    scope: {{kind: cumulative}}\n    date: {day}\n    source: {source}\n"
        f'    citations: [{{document: doc, quote: "{value}"}}]\n'
        for i, (source, value, day) in enumerate(
            [
                ("analysts", "9,000", "2025-01-01"),
                ("analysts", "1,000", "2025-01-09"),
                ("official", "5,000", "2025-01-21"),
            ]
        )
    )
    dataset = load(write_dataset(claims=claims, document="9,000 1,000 5,000"))
    e = estimate_for(dataset, "deployed", "troops", Filters(), Settings(max_age=30))
    assert (e.disagreement, e.disagreement_growth) == (1, -1000)
    assert e.low is not None and e.low >= 0


def test_a_scale_word_takes_the_decimals_of_its_figure(write_dataset: Callable[..., Path]) -> None:
    claims = claims_of(
        ("official", "about 1.5 hundred", "2025-01-01"), ("analysts", "0.5 thousand", "2025-01-02")
    )
    dataset = load(write_dataset(claims=claims, document="about 1.5 hundred, 0.5 thousand"))
    assert [c.places for c in dataset.claims] == [0, 0]
