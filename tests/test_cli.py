"""The command line end to end, and tests of the CLI itself."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from reconcile import __version__
from reconcile.cli import app as cli
from reconcile.cli.app import app

runner = CliRunner()
README = Path(__file__).resolve().parent.parent / "README.md"


def commands() -> dict[str, Any]:
    return dict(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_has_help_ending_with_an_example(name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    help_text = commands()[name].help or ""
    assert help_text.strip().splitlines()[-1].startswith("Example: reconcile ")
    assert "Example: reconcile" in result.output


SHARED_OPTIONS = {
    "as_of": cli.AsOfOption,
    "since": cli.SinceOption,
    "until": cli.UntilOption,
    "source": cli.SourceOption,
    "subject": cli.SubjectOption,
}


@pytest.mark.parametrize("name", sorted(set(commands()) - {"import"}))  # import's --subject is not a filter
def test_the_filters_are_the_shared_options(name: str) -> None:
    """Declared once, so --as-of or --source cannot mean or say something else in one command."""
    parameters = inspect.signature(commands()[name].callback, eval_str=True).parameters
    for parameter, option in SHARED_OPTIONS.items():
        if parameter in parameters:
            assert parameters[parameter].annotation == option, parameter


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"reconcile {name}" in README.read_text(encoding="utf-8")


def test_top_level_help_and_version() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "show" in result.output
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.output == f"reconcile {__version__}\n"


def test_show_prints_tables_and_spread() -> None:
    result = runner.invoke(app, ["show", "killed"])
    assert result.exit_code == 0, result.output
    assert "more than 300" in result.output and "NIS" in result.output
    assert (
        "Spread: envelope 90 to no ceiling · median of the 2 best values 200 · max/min 3.00x · 2 originators"
        " · claims of ~2024-12-17 to 2025-01-13" in result.output
    )


def test_show_json_is_the_same_data() -> None:
    result = runner.invoke(app, ["show", "killed_or_wounded", "--as-of", "2025-01-01", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    [cumulative] = [c for c in data["comparisons"] if c["scope"] == "cumulative"]
    assert [r["best"] for r in cumulative["rows"]] == [500, 1000, 3000]
    assert cumulative["spread"] == {
        "low": 300,
        "high": 3500,
        "median": 1000,
        "ratio": 6,
        "originators": 3,
        "claims": 3,
        "first": "~2024-12-17",
        "last": "~2024-12-25",
    }


def test_unknown_metric_is_a_clear_error() -> None:
    result = runner.invoke(app, ["show", "casulties"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Error: unknown metric or group 'casulties'; did you mean casualties? Known: "
    )
    assert "casualties" in result.stderr


def test_unknown_source_is_a_clear_error() -> None:
    result = runner.invoke(app, ["show", "killed", "--source", "kremlin"])
    assert result.exit_code == 1
    assert "Error: unknown source 'kremlin'; known: " in result.stderr


def test_bad_date_is_a_usage_error() -> None:
    result = runner.invoke(app, ["show", "killed", "--as-of", "13/01/2025"])
    assert result.exit_code == 2


def test_validate_reports_all_problems_and_exits_1(write_dataset) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import CLAIMS

    path = write_dataset(claims=CLAIMS.replace("source: ministry", "source: nobody"))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"{path}:") and "unknown source 'nobody'" in line for line in lines[:2])
    assert lines[2] == "Error: the dataset has 2 problems"
    assert result.stdout == ""


def test_validate_summary(small_dataset: Path) -> None:
    result = runner.invoke(app, ["validate", str(small_dataset)])
    assert result.exit_code == 0
    assert result.stdout == (
        f"{small_dataset}: valid: 5 claims, 3 metrics, 3 sources, 1 documents, 5 quotes found verbatim\n"
    )


def test_data_option_and_environment_variable(small_dataset: Path) -> None:
    by_option = runner.invoke(app, ["--data", str(small_dataset), "sources", "--json"])
    by_env = runner.invoke(app, ["sources", "--json"], env={"RECONCILE_DATA": str(small_dataset)})
    assert by_option.exit_code == by_env.exit_code == 0
    assert by_option.stdout == by_env.stdout
    listed = json.loads(by_option.stdout)
    assert [s["id"] for s in listed["sources"]] == ["ministry", "official", "analysts"]
    assert listed["dataset"] == str(small_dataset)


def test_metrics_and_sources_count_claims() -> None:
    metrics = json.loads(runner.invoke(app, ["metrics", "--json"]).stdout)
    assert {m["id"]: m["claims"] for m in metrics["metrics"]}["killed_or_wounded"] == 7
    sources = json.loads(runner.invoke(app, ["sources", "--json"]).stdout)
    assert {s["id"]: s["claims"] for s in sources["sources"]}["kr-nis"] == 5
    assert metrics["dataset"] == sources["dataset"] and metrics["dataset"].endswith("estimates.yaml")


def test_python_dash_m_works_from_anywhere(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reconcile", "show", "wounded"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2,700" in done.stdout and "NIS" in done.stdout


def test_the_collector_is_paused_while_a_dataset_is_read_and_built(
    small_dataset: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import gc

    from reconcile.io import cache
    from reconcile.io import load as loading

    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(tmp_path / "cache"))
    enabled: list[tuple[str, bool]] = []

    def watch(name: str, step: Any) -> Any:
        def watched(*a: Any, **k: Any) -> Any:
            enabled.append((name, gc.isenabled()))
            return step(*a, **k)

        return watched

    monkeypatch.setattr(loading, "build", watch("build", loading.build))
    monkeypatch.setattr(cache, "lookup", watch("lookup", cache.lookup))
    for _ in range(2):  # a miss, then a hit
        result = runner.invoke(app, ["--data", str(small_dataset), "show", "killed"])
        assert result.exit_code == 0
        assert gc.isenabled()  # paused for the load only
    assert enabled[:3] == [("lookup", False), ("build", False), ("lookup", False)]
    assert not any(on for _, on in enabled)


def test_a_month_or_a_year_stands_for_its_first_or_last_day() -> None:
    from reconcile.cli.app import _day

    assert _day("2025-01").date() == date(2025, 1, 1) and _day("2025").date() == date(2025, 1, 1)
    assert _day("2024-02", last=True).date() == date(2024, 2, 29)
    assert _day("2025", last=True).date() == date(2025, 12, 31)
    assert _day("2025-01-13", last=True).date() == date(2025, 1, 13)
    # --as-of a month takes in every claim of that month, as its last day does.
    by_month = runner.invoke(app, ["estimate", "killed_or_wounded", "--as-of", "2025-01", "--json"])
    by_day = runner.invoke(app, ["estimate", "killed_or_wounded", "--as-of", "2025-01-31", "--json"])
    assert by_month.exit_code == 0 and by_month.stdout == by_day.stdout
    series = runner.invoke(
        app,
        [
            "estimate",
            "killed_or_wounded",
            "--every",
            "month",
            "--since",
            "2024-12",
            "--until",
            "2025-01",
            "--json",
        ],
    )
    [item] = json.loads(series.stdout)["series"]
    assert [p["date"] for p in item["points"]] == ["2024-12-01", "2025-01-01"]
