"""Backtest the estimates: hide every claim after a date, estimate ahead, and compare with what came.

    python benchmarks/backtest.py [--data FILE] [--metric killed_or_wounded] [--subject russia]
        [--exclude-parties] [--since 2023-01-01] [--until 2025-06-01] [--every month]
        [--horizons 0,30,90,180] [--window 15]

For every cutoff D, one every --every (day, week or month) from --since to --until, the claims dated after D are hidden and the
estimate is made as of D + h for each horizon h. Each claim published later and dated within --window
days of D + h is a target: credible ones only (not from a party to the conflict) with
--exclude-parties. For each method, with carrying forward and without, it reports:

- estimates: of the (cutoff, horizon) pairs that have a target, how many gave an estimate;
- contains: the share of targets whose best value lies within the estimate's range (an open bound
  reaches everything on its side);
- error: the median of |best - target| / target over the targets, and within 15%: the share of
  targets the best value is within 15% of;
- width: the median of (high - low) / best over the estimates, and how many had an open bound.

A range wide enough to contain anything is no answer, so width stands beside coverage. The figures
for the shipped data and for benchmarks/data/russia-casualties.yaml are in docs/methods.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reconcile.analysis.claims import Filters
from reconcile.analysis.estimate import Method, Settings, Step, estimate_for, series_dates
from reconcile.io.load import load
from reconcile.io.where import default_path
from reconcile.model.dataset import Claim, Dataset

#: A best value this near a target, as a share of it, counts as close.
CLOSE = 0.15


@dataclass
class Tally:
    """What one method, carried or not, scored over every cutoff and horizon."""

    pairs: int = 0  # (cutoff, horizon) pairs with a target
    estimated: int = 0
    targets: int = 0
    contained: int = 0
    close: int = 0  # targets the best value is within CLOSE of
    errors: list[float] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    open_bounds: int = 0

    def row(self) -> list[str]:
        share = f"{self.contained / self.targets:.0%}" if self.targets else "-"
        error = f"{statistics.median(self.errors):.0%}" if self.errors else "-"
        close = f"{self.close / self.targets:.0%}" if self.targets else "-"
        width = f"{statistics.median(self.widths):.0%}" if self.widths else "-"
        return [f"{self.estimated}/{self.pairs}", share, error, close, width, str(self.open_bounds)]


def targets(dataset: Dataset, claims: list[Claim], cutoff: date, at: date, window: int) -> list[Claim]:
    return [c for c in claims if c.date > cutoff and abs((c.date - at).days) <= window]


def backtest(
    dataset: Dataset,
    metric: str,
    subject: str,
    cutoffs: list[date],
    horizons: list[int],
    window: int,
    exclude_parties: bool,
) -> dict[int, dict[tuple[Method, bool], Tally]]:
    counts = [
        c
        for c in dataset.claims
        if c.metric == metric
        and c.subject == subject
        and c.scope.kind == "cumulative"
        and not c.projection
        and not (exclude_parties and dataset.sources[c.source].party)
    ]
    out: dict[int, dict[tuple[Method, bool], Tally]] = {}
    for horizon in horizons:
        tallies = out.setdefault(horizon, {(m, carry): Tally() for m in Method for carry in (True, False)})
        for cutoff in cutoffs:
            at = cutoff + timedelta(days=horizon)
            later = targets(dataset, counts, cutoff, at, window)
            if not later:
                continue
            filters = Filters(subject=subject, as_of=at, until=cutoff)
            for (method, carry), tally in tallies.items():
                settings = Settings(method=method, carry=carry, exclude_parties=exclude_parties)
                e = estimate_for(dataset, metric, subject, filters, settings, set_aside_for=())
                tally.pairs += 1
                tally.targets += len(later)
                if e.best is None:
                    continue
                tally.estimated += 1
                if e.low is None or e.high is None:
                    tally.open_bounds += 1
                else:
                    tally.widths.append((e.high - e.low) / e.best)
                for claim in later:
                    value = claim.interval.best
                    inside = (e.low is None or e.low <= value) and (e.high is None or value <= e.high)
                    tally.contained += inside
                    tally.errors.append(abs(e.best - value) / value)
                    tally.close += abs(e.best - value) <= CLOSE * value
    return out


def table(results: dict[int, dict[tuple[Method, bool], Tally]]) -> str:
    head = ["horizon", "method", "carry", "estimates", "contains", "error", "within 15%", "width", "open"]
    rows = [
        [f"{horizon} days", method.value, "yes" if carry else "no", *tally.row()]
        for horizon, tallies in results.items()
        for (method, carry), tally in tallies.items()
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--metric", default="killed_or_wounded")
    parser.add_argument("--subject", default=None, help="default: the dataset's first subject")
    parser.add_argument("--exclude-parties", action="store_true")
    parser.add_argument("--since", type=date.fromisoformat, default=None)
    parser.add_argument("--until", type=date.fromisoformat, default=None)
    parser.add_argument("--every", choices=[s.value for s in Step], default="month")
    parser.add_argument("--horizons", default="0,30,90,180")
    parser.add_argument("--window", type=int, default=15)
    args = parser.parse_args()
    dataset = load(args.data or default_path())
    subject = args.subject or next(iter(dataset.subjects))
    dates = sorted(c.date for c in dataset.claims if c.metric == args.metric and c.subject == subject)
    if not dates:
        sys.exit(f"no claims of {args.metric} about {subject}")
    cutoffs = series_dates(args.since or dates[0], args.until or dates[-1], Step(args.every))
    horizons = [int(h) for h in args.horizons.split(",")]
    results = backtest(dataset, args.metric, subject, cutoffs, horizons, args.window, args.exclude_parties)
    print(
        f"{args.metric} about {subject}, {len(cutoffs)} cutoffs a {args.every} apart, {cutoffs[0]} to {cutoffs[-1]}, "
        f"targets within {args.window} days of each horizon"
        + (", parties excluded" if args.exclude_parties else "")
    )
    print(table(results))


if __name__ == "__main__":
    main()
