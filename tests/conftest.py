"""Fixtures that write small valid and broken datasets into a temporary folder."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from reconcile.io.where import default_path

DOCUMENT = """\
The ministry said on Monday that more than 300 soldiers were killed and about 1,200 wounded.
An official said 12,000 troops have arrived, and \u201cnearly 500\u201d were killed in one week.
Analysts put the number of troops between 10,000 and 12,000.
"""

HEADER = """\
version: 1
metrics:
  deployed: {label: Deployed, unit: soldiers}
  killed: {label: Killed, unit: soldiers, accumulates: true}
  wounded: {label: Wounded, unit: soldiers, accumulates: true}
groups:
  casualties: [killed, wounded]
subjects:
  troops: {name: Foreign troops}
sources:
  ministry: {name: Ministry of Defence, short: MoD, kind: military, country: XA, party: true}
  official: {name: A senior official, kind: official, country: XB, party: false}
  analysts: {name: Independent analysts, kind: analyst, party: false}
documents:
  doc: {file: doc.txt, outlet: Daily Example, title: Losses mount, published: 2025-01-10}
"""

CLAIMS = """\
claims:
  - id: ministry-killed
    metric: killed
    subject: troops
    value: {stated: more than 300}
    scope: {kind: cumulative}
    date: 2025-01-06
    source: ministry
    citations:
      - {document: doc, quote: more than 300 soldiers were killed}
  - id: ministry-wounded
    metric: wounded
    subject: troops
    value: {stated: "about 1,200"}
    scope: {kind: cumulative}
    date: 2025-01-06
    source: ministry
    citations:
      - {document: doc, quote: "about 1,200 wounded"}
  - id: official-deployed
    metric: deployed
    subject: troops
    value: {stated: "12,000"}
    scope: {kind: cumulative}
    date: 2025-01-08
    source: official
    citations:
      - {document: doc, quote: "12,000 troops have arrived"}
  - id: official-killed-week
    metric: killed
    subject: troops
    value: {stated: nearly 500}
    scope: {kind: period, start: 2025-01-01, end: 2025-01-07}
    date: 2025-01-08
    source: official
    citations:
      - {document: doc, quote: "\\"nearly 500\\" were killed in one week"}
  - id: analysts-deployed
    metric: deployed
    subject: troops
    value: {stated: "between 10,000 and 12,000"}
    scope: {kind: cumulative}
    date: 2025-01-09
    source: analysts
    citations:
      - {document: doc, quote: "between 10,000 and 12,000"}
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-transcripts",
        action="store_true",
        help="rewrite the console transcripts of README.md and docs/*.md from the commands' real output",
    )


@pytest.fixture
def write_dataset(tmp_path: Path) -> Callable[..., Path]:
    """Write a dataset (the small valid one by default) and its document; return its path."""

    def write(
        text: str | None = None,
        *,
        claims: str | None = None,
        document: str = DOCUMENT,
        name: str = "estimates.yaml",
    ) -> Path:
        (tmp_path / "doc.txt").write_text(document, encoding="utf-8")
        body = text if text is not None else HEADER + (CLAIMS if claims is None else textwrap.dedent(claims))
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        return path

    return write


@pytest.fixture
def small_dataset(write_dataset: Callable[..., Path]) -> Path:
    return write_dataset()


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A dataset cache of its own for each test, so that none sees another's or the user's entries."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(folder))
    monkeypatch.delenv("RECONCILE_NO_CACHE", raising=False)
    return folder


@pytest.fixture(scope="session")
def shipped() -> Path:
    return default_path()


# Later figures from the same three sources, so that claims evolve and two sources can be diffed.
DOCUMENT_LATER = (
    DOCUMENT
    + """\
Analysts said up to 9,000 troops were there in November, and at least 200 had been killed by late December.
Officials said about 8,000 troops were in place on 1 December.
Later the analysts said about 250 were killed, and the ministry said more than 400 killed.
The analysts warned the force could reach 100,000.
"""
)

CLAIMS_LATER = (
    CLAIMS
    + """\
  - id: analysts-deployed-old
    metric: deployed
    subject: troops
    value: {stated: "up to 9,000"}
    scope: {kind: cumulative}
    date: 2024-11-20
    source: analysts
    citations:
      - {document: doc, quote: "up to 9,000 troops"}
  - id: official-deployed-early
    metric: deployed
    subject: troops
    value: {stated: "about 8,000"}
    scope: {kind: cumulative}
    date: 2024-12-01
    source: official
    citations:
      - {document: doc, quote: "about 8,000 troops were in place"}
  - id: analysts-killed-early
    metric: killed
    subject: troops
    value: {stated: at least 200}
    scope: {kind: cumulative}
    date: 2024-12-27
    source: analysts
    citations:
      - {document: doc, quote: at least 200 had been killed}
  - id: analysts-killed
    metric: killed
    subject: troops
    value: {stated: about 250}
    scope: {kind: cumulative}
    date: 2025-01-16
    source: analysts
    citations:
      - {document: doc, quote: about 250 were killed}
  - id: ministry-killed-later
    metric: killed
    subject: troops
    value: {stated: more than 400}
    scope: {kind: cumulative}
    date: 2025-02-20
    source: ministry
    citations:
      - {document: doc, quote: more than 400 killed}
  - id: analysts-deployed-projection
    metric: deployed
    subject: troops
    value: {stated: "could reach 100,000"}
    scope: {kind: cumulative}
    projection: true
    date: 2025-01-09
    source: analysts
    citations:
      - {document: doc, quote: "could reach 100,000"}
"""
)


@pytest.fixture
def evolving_dataset(write_dataset: Callable[..., Path]) -> Path:
    """The small dataset with earlier and later claims: superseded figures, pairs to diff."""
    return write_dataset(HEADER + CLAIMS_LATER, document=DOCUMENT_LATER)


# A claim whose wording, relay and quote hold the characters every export format must escape.
DOCUMENT_AWKWARD = (
    DOCUMENT + 'The R&D unit said "about 1,500" | 50% of <units> cost $5 {x} #2 ~ ^ _ \\ were lost.\n'
)

CLAIMS_AWKWARD = (
    CLAIMS
    + """\
  - id: analysts-wounded
    metric: wounded
    subject: troops
    value: {stated: "about 1,500"}
    scope: {kind: cumulative}
    date: 2025-01-09
    source: analysts
    relay: ["R&D unit | <lab>"]
    citations:
      - {document: doc, quote: 'said "about 1,500" | 50% of <units> cost $5 {x} #2 ~ ^ _ \\ were lost'}
"""
)


@pytest.fixture
def awkward_dataset(write_dataset: Callable[..., Path]) -> Path:
    """The small dataset and a claim full of characters that Markdown, LaTeX, HTML and CSV treat specially."""
    return write_dataset(HEADER + CLAIMS_AWKWARD, document=DOCUMENT_AWKWARD)


# Claims to reconcile: one metric from five kinds of originator, with superseded, same-day,
# stale, open-ended, out-of-scope and projected figures (see tests/test_estimate.py for the sums).
ESTIMATE_DOCUMENT = """\
Intelligence said in early January that about 1,000 had been killed, and later more than that: about 1,500.
The ministry first said 2,000 were killed, then between 2,500 and 3,500; nearly a third of the 9,000 sent.
It also said nearly 500 were killed in one week.
An official said up to 2,000 were killed, then up to 1,800.
The paper wrote that about 500 were killed, and later more than 800.
Some say the toll could reach 5,000.
"""

ESTIMATE_HEADER = """\
version: 1
metrics:
  deployed: {label: Deployed, unit: soldiers}
  killed: {label: Killed, unit: soldiers, accumulates: true}
subjects:
  troops: {name: Foreign troops}
sources:
  intel: {name: An intelligence service, short: Intel, kind: intelligence, party: false}
  ministry: {name: Ministry of Defence, short: MoD, kind: military, party: true}
  official: {name: A senior official, short: Official, kind: official, party: false}
  paper: {name: A newspaper, short: Paper, kind: media, party: false}
  anon: {name: Unattributed, kind: unattributed, party: false}
documents:
  doc: {file: doc.txt, outlet: Daily Example, title: Losses, published: 2025-02-02}
"""


def _claim(
    id: str,
    metric: str,
    stated: str,
    day: str,
    source: str,
    quote: str,
    extra: str = "",
    *,
    scope: str = "{kind: cumulative}",
    projection: bool = False,
) -> str:
    """A claim about `troops` in YAML; `extra` adds to its value (e.g. ", relative_to: other-claim")."""
    return (
        f'  - id: {id}\n    metric: {metric}\n    subject: troops\n    value: {{stated: "{stated}"{extra}}}\n'
        f"    scope: {scope}\n    date: {day}\n    source: {source}\n    projection: {str(projection).lower()}\n"
        f'    citations:\n      - {{document: doc, quote: "{quote}"}}\n'
    )


ESTIMATE_CLAIMS = "claims:\n" + "".join(
    [
        _claim("intel-early", "killed", "about 1,000", "2025-01-04", "intel", "about 1,000 had been killed"),
        _claim("intel-late", "killed", "about 1,500", "2025-01-25", "intel", "about 1,500"),
        _claim("ministry-early", "killed", "2,000", "2025-01-11", "ministry", "first said 2,000 were killed"),
        _claim(
            "ministry",
            "killed",
            "between 2,500 and 3,500",
            "2025-02-01",
            "ministry",
            "between 2,500 and 3,500",
        ),
        _claim("ministry-deployed", "deployed", "9,000", "2025-02-01", "ministry", "the 9,000 sent"),
        _claim(
            "ministry-share",
            "killed",
            "nearly a third",
            "2025-02-01",
            "ministry",
            "nearly a third of the 9,000",
            ", relative_to: ministry-deployed",
        ),
        _claim(
            "official-early", "killed", "up to 2,000", "2025-01-10", "official", "up to 2,000 were killed"
        ),
        _claim("official", "killed", "up to 1,800", "2025-01-18", "official", "then up to 1,800"),
        _claim("paper-early", "killed", "about 500", "2024-12-01", "paper", "about 500 were killed"),
        _claim("paper", "killed", "more than 800", "2024-12-20", "paper", "later more than 800"),
        _claim(
            "ministry-week",
            "killed",
            "nearly 500",
            "2025-01-27",
            "ministry",
            "nearly 500 were killed in one week",
            scope="{kind: period, start: 2025-01-20, end: 2025-01-26}",
        ),
        _claim(
            "anon-projection",
            "killed",
            "could reach 5,000",
            "2025-01-30",
            "anon",
            "could reach 5,000",
            projection=True,
        ),
    ]
)


@pytest.fixture
def estimate_dataset(write_dataset: Callable[..., Path]) -> Path:
    """Claims to reconcile about one metric; the hand-computed estimates are in tests/test_estimate.py."""
    return write_dataset(ESTIMATE_HEADER + ESTIMATE_CLAIMS, document=ESTIMATE_DOCUMENT)


# Claims that contradict each other, one of each kind `reconcile check` warns about, and near misses
# that the rounding in their wording explains.
CHECK_DOCUMENT = """\
A said about 1,000 then 500; AA said about 1,000 then nearly 1,000.
B said 100 killed and 200 wounded, about 1,000 in all; C said about 100, about 200 and nearly 330 in all.
D said 10,000 arrived, a third of them hit; 1,000 hit.
E said 40 on a later day.
F said 250, 250 again and 250 once more.
H said 100, then 400 in all, after more than 600 in one battle and 50 in another.
Rumours said about 1,000 then 300.
G said 700; G then said 800.
"""

CHECK_HEADER = (
    """\
version: 1
metrics:
  deployed: {label: Deployed, unit: soldiers}
  killed: {label: Killed, unit: soldiers}
  wounded: {label: Wounded, unit: soldiers}
  killed_or_wounded: {label: Killed or wounded, unit: soldiers}
subjects:
  troops: {name: Foreign troops}
sources:
"""
    + "".join(
        f"  {s}: {{name: Source {s.upper()}, kind: official, party: false}}\n"
        for s in ("a", "aa", "b", "c", "d", "e", "f", "h")
    )
    + """\
  rumours: {name: Rumours, kind: unattributed, party: false}
  g: {name: Source G, kind: analyst}
documents:
  doc: {file: doc.txt, outlet: Daily Example, title: Contradictions, published: 2025-02-05}
"""
)


INCIDENT = "{kind: incident, on: 2025-01-08}"
CHECK_CLAIMS = "claims:\n" + "".join(
    [
        # falling: 500 lies wholly below "about 1,000" (900 to 1,100); "nearly 1,000" (900 to 1,000) does not.
        _claim("a-1", "killed", "about 1,000", "2025-01-01", "a", "A said about 1,000"),
        _claim("a-2", "killed", "500", "2025-01-10", "a", "then 500"),
        _claim("aa-1", "killed", "about 1,000", "2025-01-01", "aa", "AA said about 1,000"),
        _claim("aa-2", "killed", "nearly 1,000", "2025-01-10", "aa", "then nearly 1,000"),
        # killed + wounded: 100 + 200 = 300 against 900 to 1,100; C's 270 to 330 meets 297 to 330.
        _claim("b-killed", "killed", "100", "2025-01-05", "b", "B said 100 killed"),
        _claim("b-wounded", "wounded", "200", "2025-01-05", "b", "200 wounded"),
        _claim("b-both", "killed_or_wounded", "about 1,000", "2025-01-05", "b", "about 1,000 in all"),
        _claim("c-killed", "killed", "about 100", "2025-01-05", "c", "C said about 100"),
        _claim("c-wounded", "wounded", "about 200", "2025-01-05", "c", "about 200"),
        _claim("c-both", "killed_or_wounded", "nearly 330", "2025-01-05", "c", "nearly 330 in all"),
        # ratio: a third of 10,000 is 3,333.33, not 1,000.
        _claim("d-deployed", "deployed", "10,000", "2025-01-06", "d", "D said 10,000 arrived"),
        _claim(
            "d-share",
            "killed_or_wounded",
            "a third",
            "2025-01-06",
            "d",
            "a third of them hit",
            ", relative_to: d-deployed",
        ),
        _claim("d-hit", "killed_or_wounded", "1,000", "2025-01-06", "d", "1,000 hit"),
        # dated after the only document that carries it (published 2025-02-05).
        _claim("e-late", "killed", "40", "2025-02-10", "e", "E said 40 on a later day"),
        # recorded twice: 250 on 3 and 7 January; the 250 of 20 January is 13 days later.
        _claim("f-1", "killed", "250", "2025-01-03", "f", "F said 250"),
        _claim("f-2", "killed", "250", "2025-01-07", "f", "250 again"),
        _claim("f-3", "killed", "250", "2025-01-20", "f", "250 once more"),
        # count above total: more than 600 in one battle on 8 January, 400 in all on 10 January; the
        # total of 2 January came before the battle, and 50 is below both.
        _claim("h-total-early", "killed", "100", "2025-01-02", "h", "H said 100"),
        _claim("h-total", "killed", "400", "2025-01-10", "h", "then 400 in all"),
        _claim(
            "h-battle",
            "killed",
            "more than 600",
            "2025-01-08",
            "h",
            "more than 600 in one battle",
            scope=INCIDENT,
        ),
        _claim("h-skirmish", "killed", "50", "2025-01-08", "h", "50 in another", scope=INCIDENT),
        # an unattributed source stands for many: its figures falling is no contradiction.
        _claim("rumour-1", "killed", "about 1,000", "2025-01-01", "rumours", "Rumours said about 1,000"),
        _claim("rumour-2", "killed", "300", "2025-01-09", "rumours", "then 300"),
        # party status unknown: the latest running total is the one an estimate uses.
        _claim("g-1", "killed", "700", "2025-01-02", "g", "G said 700"),
        _claim("g-2", "killed", "800", "2025-01-12", "g", "G then said 800"),
    ]
)


@pytest.fixture
def inconsistent_dataset(write_dataset: Callable[..., Path]) -> Path:
    """One claim set of each kind `reconcile check` warns about, and near misses it must not."""
    return write_dataset(CHECK_HEADER + CHECK_CLAIMS, document=CHECK_DOCUMENT)


BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def benchmark(name: str) -> ModuleType:
    """The script benchmarks/NAME.py as a module."""
    if not (BENCHMARKS / f"{name}.py").is_file():
        pytest.skip("benchmarks/ is not here (a source distribution leaves it out)")
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def generator() -> ModuleType:
    """benchmarks/generate.py, which writes synthetic datasets of any size."""
    return benchmark("generate")


@pytest.fixture
def many_originators(tmp_path: Path) -> Path:
    """A dataset of 40 originators with long names, each with two claims and a long, unbroken URL."""
    lines = [
        "version: 1",
        "metrics:",
        "  killed: {label: Killed, unit: soldiers}",
        "subjects:",
        "  troops: {name: Foreign troops}",
        "sources:",
    ]
    for i in range(40):
        name = f"The Independent Monitoring Mission Number {i} for Casualty Verification and Reporting"
        lines.append(f"  src{i}: {{name: {name}, kind: analyst, party: {'true' if i % 7 == 0 else 'false'}}}")
    lines.append("documents:")
    for i in range(40):
        url = f"https://example.org/{'very-long-path-segment-without-any-break-' * 4}{i}?query={'x' * 90}"
        lines.append(
            f"  doc{i}: {{url: '{url}', outlet: Outlet {i} of the Worldwide Newswire, "
            f"title: Report {i}, published: 2025-01-20}}"
        )
    lines.append("claims:")
    for i in range(40):
        for k, day in enumerate((3 + i % 9, 12 + i % 7)):
            lines += [
                f"  - id: src{i}-killed-{k}",
                "    metric: killed",
                "    subject: troops",
                f"    value: {{stated: 'about {1000 + 37 * i + 300 * k}'}}",
                "    scope: {kind: cumulative}",
                f"    date: 2025-01-{day:02d}",
                f"    source: src{i}",
                "    citations:",
                f"      - {{document: doc{i}, quote: 'about {1000 + 37 * i + 300 * k} were killed'}}",
            ]
    path = tmp_path / "many.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
