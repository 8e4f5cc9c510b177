"""Where the time of `reconcile --data FILE show METRIC` goes, step by step, in one process.

    python benchmarks/steps.py [--claims 100000] [--metric killed] [--workdir /tmp/reconcile-bench]

It writes the dataset once (benchmarks/generate.py, seed 1), then times, as CPU seconds:
- a never-seen file: reading it with the fast reader, pydantic's validation, the checks of every
  reference, quote and interval, writing the cache entry;
- a repeat run: reading back the metric's claims from that entry (hashes checked);
- both: the analysis of `show` (as for its tables, which name only the claims set aside as stale),
  building its tables, and printing them with reconcile.output.plain, and, for comparison, with rich
  (what piped output cost before reconcile.output.plain);
and how many claims were read back, and comparisons and lines printed.
Start-up and exit are not included: benchmarks/large.py times whole runs.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from large import dataset_file

T = TypeVar("T")


def timed(label: str, step: Callable[[], T]) -> T:
    start = time.process_time()
    result = step()
    print(f"  {label:<40}{time.process_time() - start:>7.2f} s")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000, help="Claims in the dataset (default 100000).")
    parser.add_argument("--metric", default="killed", help="The metric or group to show (default killed).")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "reconcile-bench",
        help="Where the dataset is written (kept between runs).",
    )
    args = parser.parse_args()
    file = dataset_file(args.workdir, args.claims)
    with tempfile.TemporaryDirectory(prefix="reconcile-steps-") as folder:
        os.environ["RECONCILE_CACHE_DIR"] = folder
        os.environ.pop("RECONCILE_NO_CACHE", None)
        steps(file, args.metric, args.claims)
    print(f"Reproduce: python benchmarks/steps.py --claims {args.claims} --metric {args.metric}")
    return 0


def steps(file: Path, metric: str, claims: int) -> None:
    """Time each step of `show METRIC` on the file, with the cache in RECONCILE_CACHE_DIR."""
    from rich.console import Console

    from reconcile.analysis import claims
    from reconcile.analysis import compare as analysis
    from reconcile.io import cache
    from reconcile.io.crosscheck import cross_check
    from reconcile.io.fastload import parse_plain
    from reconcile.io.load import _domain
    from reconcile.io.read import read_text
    from reconcile.io.validate import validate
    from reconcile.io.yamlsafe import Positions
    from reconcile.model.dataset import Dataset
    from reconcile.output import plain
    from reconcile.output import terminal as render

    today = date.today()
    gc.disable()  # as reconcile.io.load does while it reads
    print(f"{claims:,} claims, show {metric}; CPU seconds.")
    print("A never-seen file:")
    started = cache.clock()
    text = read_text(file)
    data = timed("reading it (the fast reader)", lambda: parse_plain(text))
    if data is None:
        raise SystemExit("the fast reader left this file to the strict one")
    validated = timed("pydantic's validation", lambda: validate(data, file, Positions()))
    if validated.dataset is None or validated.problems:
        raise SystemExit("the generated file is not valid")
    schema = validated.dataset
    checked = timed(
        "checks of references, quotes, intervals", lambda: cross_check(schema, file, Positions(), today=today)
    )
    dataset = timed("building the model", lambda: _domain(data, checked.intervals))
    timed("writing the cache entry", lambda: cache.store(file, text, dataset, today, started))
    print("A repeat run:")

    def read_back() -> Dataset | None:
        return cache.lookup(file, read_text(file), today, [metric])

    again = timed(f"reading back the claims of {metric}", read_back)
    if again is None:
        raise SystemExit("the cache entry was not used")
    print("Both:")
    result = timed(
        "the analysis",
        lambda: analysis.show(again, metric, claims.Filters(), set_aside_for=render.SHOWN_SET_ASIDE),
    )
    tables = timed("building the tables", lambda: render.show(result))
    text = timed("printing them, reconcile.output.plain", lambda: plain.render(tables))
    rich = Console(
        file=io.StringIO(),
        width=80,
        highlight=False,
        soft_wrap=False,
        markup=False,
        emoji=False,
        color_system=None,
        force_terminal=False,
    )
    timed("printing them, rich (for comparison)", lambda: rich.print(tables))
    print(
        f"show {metric} read back {len(again.claims):,} claims and printed {len(result.comparisons):,} "
        f"comparisons in {text.count(chr(10)):,} lines."
    )


if __name__ == "__main__":
    sys.exit(main())
