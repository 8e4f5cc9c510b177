"""Time `reconcile show killed` on a large dataset, first and repeated, against PyYAML's C loader.

    python benchmarks/large.py [--claims 100000] [--workdir /tmp/reconcile-bench] [--rounds 3]

It writes the dataset once (benchmarks/generate.py, seed 1) into the work folder, then runs,
alternately in each round:
- PyYAML's C loader alone: yaml.load(text, Loader=yaml.CSafeLoader), timed inside its process;
- `reconcile --data FILE show killed` with an empty cache folder: a file the program has never seen;
- the same again with the cache the previous run left: a repeat run on the unchanged file;
- for comparison, `reconcile validate FILE` the same two ways: loading alone, without the work of
  `show` (its analysis and the rendering of some 11,000 lines at 100,000 claims);
and prints medians of wall-clock and CPU time, peak memory, and each run against the C loader.
Targets: first run <= 0.25x the C loader, repeat <= 0.05x, peak memory < 1 GB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from startup import machine, medians, reconcile_command

C_LOADER = """
import sys, time, yaml
text = open(sys.argv[1], encoding="utf-8").read()
wall, cpu = time.perf_counter(), time.process_time()
yaml.load(text, Loader=yaml.CSafeLoader)
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall-clock seconds, CPU seconds, peak resident memory in bytes, and stdout of one run."""
    # stderr goes to a file too: a pipe read only after the wait stalls a run that says more than 64 KB.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        err.seek(0)
        error = err.read().decode(errors="replace")
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{error}")
        out.seek(0)
        text = out.read().decode()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, text


def dataset_file(workdir: Path, claims: int) -> Path:
    """The synthetic dataset of this many claims (seed 1) in the work folder, written if it is not there."""
    dataset = workdir / f"claims-{claims}.yaml"
    if not dataset.is_file():
        print(f"Writing {dataset} ...", file=sys.stderr)
        workdir.mkdir(parents=True, exist_ok=True)
        generate.write(dataset, claims, seed=1)
    return dataset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000, help="Claims in the dataset (default 100000).")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "reconcile-bench",
        help="Where the dataset and caches go (default: a folder in the temporary folder).",
    )
    parser.add_argument("--rounds", type=int, default=3, help="Rounds (default 3).")
    args = parser.parse_args(argv)
    dataset = dataset_file(args.workdir, args.claims)
    env = {k: v for k, v in os.environ.items() if k not in ("RECONCILE_NO_CACHE", "RECONCILE_CACHE_DIR")}
    show = reconcile_command() + ["--data", str(dataset), "show", "killed"]
    validate = reconcile_command() + ["validate", str(dataset)]
    runs: dict[str, list[tuple[float, float, int]]] = {
        "C loader": [],
        "first run": [],
        "repeat run": [],
        "validate, first": [],
        "validate, repeat": [],
    }
    for round_ in range(args.rounds):
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=args.workdir))
        try:
            first_env = dict(env, RECONCILE_CACHE_DIR=str(cache))
            order = ["C loader", "first run"] if round_ % 2 == 0 else ["first run", "C loader"]
            for name in order:
                if name == "C loader":
                    _wall, _cpu, memory, printed = measured(
                        [sys.executable, "-c", C_LOADER, str(dataset)], env
                    )
                    wall, cpu = (float(x) for x in printed.split())
                    runs[name].append((wall, cpu, memory))
                else:
                    runs[name].append(measured(show, first_env)[:3])
            runs["repeat run"].append(measured(show, first_env)[:3])
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=args.workdir))
        try:
            validate_env = dict(env, RECONCILE_CACHE_DIR=str(cache))
            runs["validate, first"].append(measured(validate, validate_env)[:3])
            runs["validate, repeat"].append(measured(validate, validate_env)[:3])
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        print(
            f"round {round_ + 1}: " + ", ".join(f"{k} {v[-1][0]:.2f} s" for k, v in runs.items()),
            file=sys.stderr,
        )
    size = dataset.stat().st_size
    print(f"Machine: {machine()}")
    print(
        f"Dataset: {dataset} ({args.claims:,} claims, {size / 1e6:.1f} MB); {args.rounds} rounds; medians.\n"
    )
    base_wall, base_cpu = medians(runs["C loader"])
    print(f"{'':<18}{'wall s':>8}{'x C':>7}{'CPU s':>8}{'x C':>7}{'peak MB':>9}")
    for name, results in runs.items():
        wall, cpu = medians(results)
        peak = max(r[2] for r in results) / 1e6
        print(f"{name:<18}{wall:>8.2f}{wall / base_wall:>7.3f}{cpu:>8.2f}{cpu / base_cpu:>7.3f}{peak:>9.0f}")
    print("\nThe C loader's times are of the yaml.load call alone; the others are of whole runs.")
    print("Targets (show killed): first run <= 0.25x, repeat run <= 0.05x, peak memory < 1000 MB.")
    print(f"Reproduce: python benchmarks/large.py --claims {args.claims} --rounds {args.rounds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
