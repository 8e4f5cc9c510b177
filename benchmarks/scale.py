"""Time each command on synthetic datasets of growing size, and say how the cost grows.

    python benchmarks/scale.py [--sizes 1000,10000,100000] [--rounds 3] [--workdir /tmp/reconcile-bench]

For each size it writes a dataset once (benchmarks/generate.py, seed 1), then times each command
that this version of reconcile has, twice per round: on a never-seen file (an empty cache folder)
and repeated (the cache that run left). Commands it does not have are listed as skipped. The growth
between two sizes is the exponent k in time ~ size^k: 1 is linear, and the target is at most that
(a little above 1 is noise; a quadratic step shows as about 2).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from large import dataset_file
from startup import machine, reconcile_command

# name -> arguments after `reconcile --data FILE`
COMMANDS: dict[str, list[str]] = {
    "validate": ["validate"],
    "show": ["show", "killed"],
    "timeline": ["timeline", "killed"],
    "diff": ["diff", "src-00", "src-01"],
    "export": ["export", "--format", "csv"],
    "estimate": ["estimate", "killed"],
    "check": ["check"],
}


def available(reconcile: list[str]) -> set[str]:
    """The commands `reconcile --help` lists."""
    listing = subprocess.run(reconcile + ["--help"], capture_output=True, text=True, check=True).stdout
    names = set()
    in_commands = False
    for line in listing.splitlines():
        if line.strip().startswith("Commands:"):
            in_commands = True
        elif in_commands and line.startswith("  ") and line.split():
            names.add(line.split()[0])
    return names


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return elapsed


def growth(small: tuple[int, float], large: tuple[int, float]) -> float:
    return math.log(large[1] / small[1]) / math.log(large[0] / small[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="Claims per dataset, comma-separated.")
    parser.add_argument("--rounds", type=int, default=3, help="Runs of each command and size (default 3).")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "reconcile-bench",
        help="Where the datasets and caches go (default: a folder in the temporary folder).",
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    reconcile = reconcile_command()
    have = available(reconcile)
    commands = {name: rest for name, rest in COMMANDS.items() if name in have}
    env = {k: v for k, v in os.environ.items() if k not in ("RECONCILE_NO_CACHE", "RECONCILE_CACHE_DIR")}
    results: dict[tuple[str, str, int], float] = {}
    for size in sizes:
        dataset = dataset_file(args.workdir, size)
        for name, rest in commands.items():
            first, repeat = [], []
            for _ in range(args.rounds):
                cache = Path(tempfile.mkdtemp(prefix="cache-", dir=args.workdir))
                try:
                    run_env = dict(env, RECONCILE_CACHE_DIR=str(cache))
                    command = reconcile + ["--data", str(dataset), *rest]
                    first.append(timed(command, run_env))
                    repeat.append(timed(command, run_env))
                finally:
                    shutil.rmtree(cache, ignore_errors=True)
            results[(name, "first", size)] = statistics.median(first)
            results[(name, "repeat", size)] = statistics.median(repeat)
            print(
                f"{size:>7} {name:<9} first {results[(name, 'first', size)]:7.2f} s  "
                f"repeat {results[(name, 'repeat', size)]:7.2f} s",
                file=sys.stderr,
            )
    print(f"Machine: {machine()}")
    print(
        f"Median of {args.rounds} rounds, wall-clock seconds; 'first' is a never-seen file, 'repeat' the same "
        "file again.\n"
    )
    header = f"{'command':<10}{'run':<8}" + "".join(f"{f'{n:,}':>10}" for n in sizes)
    header += "".join(f"{f'k {a // 1000}k-{b // 1000}k':>12}" for a, b in itertools.pairwise(sizes))
    print(header)
    worst = 0.0
    for name in commands:
        for run in ("first", "repeat"):
            times = [results[(name, run, n)] for n in sizes]
            line = f"{name:<10}{run:<8}" + "".join(f"{t:>10.2f}" for t in times)
            for small, large in itertools.pairwise(zip(sizes, times)):
                k = growth(small, large)
                worst = max(worst, k)
                line += f"{k:>12.2f}"
            print(line)
    skipped = sorted(set(COMMANDS) - set(commands))
    if skipped:
        print(f"\nSkipped (not in this version of reconcile): {', '.join(skipped)}")
    print(
        f"\nLargest growth exponent k (time ~ size^k): {worst:.2f}; linear is 1. Times include start-up "
        "(about a third of a second here), which flattens k at small sizes."
    )
    print(f"Reproduce: python benchmarks/scale.py --sizes {args.sizes} --rounds {args.rounds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
