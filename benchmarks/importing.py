"""Time `reconcile import` on large spreadsheets: many rows from few sources, many distinct sources, and a
daily wide series of one originator, then every reading command on that series.

    python benchmarks/importing.py [--rows 300000] [--sources 500] [--distinct 10000] [--days 1600]

Each import runs in its own process, timed from outside (wall clock, CPU, peak memory). The cost must
be linear in rows, not rows x distinct sources. Targets: 300,000 rows with 500 sources in well under
a minute; the 1,600-day wide series in under 5 s, and each command on it interactive (about 1 s).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from large import measured
from startup import reconcile_command

HEADER = "date,estimate_low,estimate_high,estimate,type,source,source_url,country,party\n"


def long_sheet(path: Path, rows: int, sources: int, seed: int = 1) -> None:
    """`rows` rows of casualty figures from `sources` originators, dated over five years."""
    pick = random.Random(seed)
    start = date(2021, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for _ in range(rows):
            day = start + timedelta(days=pick.randrange(1800))
            best = pick.randrange(1_000, 900_000)
            source = f"Observer {pick.randrange(sources)}"
            party = pick.choice(("yes", "no", ""))
            out.write(f'{day.isoformat()},,,"{best:,}",casualties,"{source}",,Russia,{party}\n')


def wide_sheet(path: Path, days: int, seed: int = 1) -> None:
    """One originator's daily series: killed, wounded and a worded total, one row a day."""
    pick = random.Random(seed)
    start = date(2022, 2, 24)
    killed = wounded = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("Date,Killed,Wounded,Total\n")
        for i in range(days):
            killed += pick.randrange(50, 1_200)
            wounded += pick.randrange(100, 2_500)
            total = killed + wounded
            worded = (
                f"about {total:,}" if i % 3 == 0 else (f"more than {total:,}" if i % 3 == 1 else f"{total:,}")
            )
            out.write(f'{(start + timedelta(days=i)).isoformat()},"{killed:,}","{wounded:,}","{worded}"\n')


def report(label: str, command: list[str], env: dict[str, str]) -> None:
    wall, cpu, memory, _ = measured(command, env)
    print(f"{label:<48} {wall:7.2f} s wall {cpu:7.2f} s CPU {memory / 2**20:8.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--distinct", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=1_600)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        env = {**os.environ, "RECONCILE_CACHE_DIR": str(work / "cache")}
        command = reconcile_command()
        wide = work / "daily.csv"
        wide_sheet(wide, args.days)
        series = work / "daily.yaml"
        report(
            f"import: wide daily series, {args.days:,} days",
            [
                *command,
                "import",
                str(wide),
                "--source",
                "Ministry of Defence of X",
                "--not-party",
                "--subject",
                "Y",
                "--metric",
                "killed=Killed",
                "--metric",
                "wounded=Wounded",
                "--metric",
                "killed_or_wounded=Total",
                "-o",
                str(series),
            ],
            env,
        )
        for name, extra in (
            ("validate", ["validate", str(series)]),
            ("show killed_or_wounded", ["--data", str(series), "show", "killed_or_wounded"]),
            ("timeline killed", ["--data", str(series), "timeline", "killed"]),
            ("estimate casualties", ["--data", str(series), "estimate", "casualties"]),
            ("check", ["--data", str(series), "check"]),
            ("export --format csv", ["--data", str(series), "export", "--format", "csv"]),
        ):
            report(f"  then {name}", [*command, *extra], env)
        for rows, sources in (
            (args.rows // 10, args.sources),
            (args.rows, args.sources),
            (args.distinct, args.distinct),
        ):
            sheet = work / f"long-{rows}-{sources}.csv"
            long_sheet(sheet, rows, sources)
            out = work / f"long-{rows}-{sources}.yaml"
            report(
                f"import: {rows:,} rows, {sources:,} sources",
                [*command, "import", str(sheet), "-o", str(out)],
                env,
            )


if __name__ == "__main__":
    main()
