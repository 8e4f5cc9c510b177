"""Time how long the command line takes to start, against importing the libraries it is built on.

    python benchmarks/startup.py [--rounds 21]

Runs, alternately and in the same environment:
- the reference: python -c "import yaml, typer, rich.console, rich.table, pydantic"
- show, estimate, timeline, diff and export --format markdown on the shipped dataset, with the
  cache as a second run finds it
- show casualties with RECONCILE_NO_CACHE=1 (for information: a first run)
- reconcile --help and reconcile --version
- for comparison, two runs that split a command's time in two:
  - the floor: the reference's imports, then an empty Typer app with the options of `show` run as
    `show casualties`: what any command that goes through Typer and prints with rich costs before
    it does anything;
  - the library: `show casualties` without the command line, as a notebook would run it (load the
    cached dataset, compare, print the same tables with reconcile.output.terminal);
and prints the median wall-clock and CPU time (user + system) of each, and each against the
reference. Targets: each command on the cached dataset within 1.4x the reference, --help and
--version within 1.0x. On a busy machine the CPU times are the steadier figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REFERENCE = "import yaml, typer, rich.console, rich.table, pydantic"
# The reference's imports, then a Typer app with `show`'s options whose command does nothing: the least
# any command costs that goes through Typer and prints with rich.
FLOOR = """
import yaml, rich.console, rich.table, pydantic
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional
import typer
app = typer.Typer(rich_markup_mode=None)
@app.callback()
def main(data: Annotated[Optional[Path], typer.Option("--data")] = None,
         version: Annotated[bool, typer.Option("--version")] = False) -> None:
    pass
@app.command()
def show(metric: str, all_claims: Annotated[bool, typer.Option("--all")] = False,
         as_of: Annotated[Optional[datetime], typer.Option("--as-of", formats=["%Y-%m-%d"])] = None,
         since: Annotated[Optional[datetime], typer.Option("--since", formats=["%Y-%m-%d"])] = None,
         until: Annotated[Optional[datetime], typer.Option("--until", formats=["%Y-%m-%d"])] = None,
         source: Annotated[Optional[list[str]], typer.Option("--source")] = None,
         subject: Annotated[Optional[str], typer.Option("--subject")] = None,
         as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    pass
@app.command()
def other() -> None:
    pass
app()
"""

# What `reconcile show casualties` does, without the command line.
LIBRARY = """
import reconcile
from reconcile.output.terminal import emit, show
emit(show(reconcile.show(reconcile.load(), "casualties", reconcile.Filters())))
"""


def reconcile_command() -> list[str]:
    """The installed console script beside this interpreter, else `python -m reconcile`."""
    script = Path(sys.executable).with_name("reconcile")
    if script.is_file():
        return [str(script)]
    found = shutil.which("reconcile")
    return [found] if found else [sys.executable, "-m", "reconcile"]


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {load:.2f} at the start"
    )


def medians(runs: Sequence[Sequence[float]]) -> tuple[float, float]:
    """The median wall-clock and CPU times of runs measured as (wall, CPU, ...)."""
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21, help="Runs of each command (default 21).")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    env.pop("RECONCILE_NO_CACHE", None)
    cold = dict(env, RECONCILE_NO_CACHE="1")
    reconcile = reconcile_command()
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "reference imports": ([sys.executable, "-c", REFERENCE], env),
        "show casualties": (reconcile + ["show", "casualties"], env),
        "estimate killed": (reconcile + ["estimate", "killed"], env),
        "timeline killed": (reconcile + ["timeline", "killed"], env),
        "diff nis zelensky": (reconcile + ["diff", "kr-nis", "zelensky"], env),
        "export markdown": (reconcile + ["export", "--format", "markdown"], env),
        "show casualties, no cache": (reconcile + ["show", "casualties"], cold),
        "--help": (reconcile + ["--help"], env),
        "--version": (reconcile + ["--version"], env),
        "floor: empty Typer app": ([sys.executable, "-c", FLOOR, "show", "casualties"], env),
        "library: show casualties": ([sys.executable, "-c", LIBRARY], env),
    }
    for command, environment in commands.values():
        run_once(command, environment)  # warm the disk cache and the dataset cache
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    names = list(commands)
    for round_ in range(args.rounds):
        # Alternate the order so that no command always runs right after the same one.
        order = names if round_ % 2 == 0 else names[::-1]
        for name in order:
            times[name].append(run_once(*commands[name]))
    print(f"Machine: {machine()}")
    print(f"{args.rounds} alternating rounds; medians.\n")
    base_wall, base_cpu = medians(times["reference imports"])
    print(f"{'command':<28}{'wall ms':>9}{'x ref':>7}{'CPU ms':>9}{'x ref':>7}")
    for name in names:
        wall, cpu = medians(times[name])
        print(
            f"{name:<28}{wall * 1000:>9.0f}{wall / base_wall:>7.2f}{cpu * 1000:>9.0f}{cpu / base_cpu:>7.2f}"
        )
    print("\nTargets: each command on the cached dataset <= 1.40x the reference; --help and --version")
    print("<= 1.00x. The floor is what any command costs that goes through Typer: Typer builds a pydantic")
    print("TypeAdapter for each option, which imports pydantic in full (the reference imports it lazily).")
    print("The library row is the same work as `show casualties` without Typer.")
    print(f"Reproduce: python benchmarks/startup.py --rounds {args.rounds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
