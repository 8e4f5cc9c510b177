"""Fixtures that write small valid and broken datasets into a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from reconcile.dataset import default_path

DOCUMENT = """\
The ministry said on Monday that more than 300 soldiers were killed and about 1,200 wounded.
An official said 12,000 troops have arrived, and \u201cnearly 500\u201d were killed in one week.
Analysts put the number of troops between 10,000 and 12,000.
"""

HEADER = """\
version: 1
metrics:
  deployed: {label: Deployed, unit: soldiers}
  killed: {label: Killed, unit: soldiers}
  wounded: {label: Wounded, unit: soldiers}
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


@pytest.fixture
def write_dataset(tmp_path: Path) -> Callable[..., Path]:
    """Write a dataset (the small valid one by default) and its document; return its path."""

    def write(text: str | None = None, *, claims: str | None = None, document: str = DOCUMENT,
              name: str = "estimates.yaml") -> Path:
        (tmp_path / "doc.txt").write_text(document, encoding="utf-8")
        body = text if text is not None else HEADER + (CLAIMS if claims is None else textwrap.dedent(claims))
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        return path

    return write


@pytest.fixture
def small_dataset(write_dataset: Callable[..., Path]) -> Path:
    return write_dataset()


@pytest.fixture(scope="session")
def shipped() -> Path:
    return default_path()


# Later figures from the same three sources, so that claims evolve and two sources can be diffed.
DOCUMENT_LATER = DOCUMENT + """\
Analysts said up to 9,000 troops were there in November, and at least 200 had been killed by late December.
Officials said about 8,000 troops were in place on 1 December.
Later the analysts said about 250 were killed, and the ministry said more than 400 killed.
The analysts warned the force could reach 100,000.
"""

CLAIMS_LATER = CLAIMS + """\
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


@pytest.fixture
def evolving_dataset(write_dataset: Callable[..., Path]) -> Path:
    """The small dataset with earlier and later claims: superseded figures, pairs to diff."""
    return write_dataset(HEADER + CLAIMS_LATER, document=DOCUMENT_LATER)


# A claim whose wording, relay and quote hold the characters every export format must escape.
DOCUMENT_AWKWARD = DOCUMENT + 'The R&D unit said "about 1,500" | 50% of <units> cost $5 {x} #2 ~ ^ _ \\ were lost.\n'

CLAIMS_AWKWARD = CLAIMS + """\
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
  killed: {label: Killed, unit: soldiers}
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


def _claim(id: str, metric: str, stated: str, day: str, source: str, quote: str, extra: str = "", *,
           scope: str = "{kind: cumulative}", projection: bool = False) -> str:
    """A claim about `troops` in YAML; `extra` adds to its value (e.g. ", relative_to: other-claim")."""
    return (f"  - id: {id}\n    metric: {metric}\n    subject: troops\n    value: {{stated: \"{stated}\"{extra}}}\n"
            f"    scope: {scope}\n    date: {day}\n    source: {source}\n    projection: {str(projection).lower()}\n"
            f"    citations:\n      - {{document: doc, quote: \"{quote}\"}}\n")


ESTIMATE_CLAIMS = "claims:\n" + "".join([
    _claim("intel-early", "killed", "about 1,000", "2025-01-04", "intel", "about 1,000 had been killed"),
    _claim("intel-late", "killed", "about 1,500", "2025-01-25", "intel", "about 1,500"),
    _claim("ministry-early", "killed", "2,000", "2025-01-11", "ministry", "first said 2,000 were killed"),
    _claim("ministry", "killed", "between 2,500 and 3,500", "2025-02-01", "ministry", "between 2,500 and 3,500"),
    _claim("ministry-deployed", "deployed", "9,000", "2025-02-01", "ministry", "the 9,000 sent"),
    _claim("ministry-share", "killed", "nearly a third", "2025-02-01", "ministry", "nearly a third of the 9,000",
           ", relative_to: ministry-deployed"),
    _claim("official-early", "killed", "up to 2,000", "2025-01-10", "official", "up to 2,000 were killed"),
    _claim("official", "killed", "up to 1,800", "2025-01-18", "official", "then up to 1,800"),
    _claim("paper-early", "killed", "about 500", "2024-12-01", "paper", "about 500 were killed"),
    _claim("paper", "killed", "more than 800", "2024-12-20", "paper", "later more than 800"),
    _claim("ministry-week", "killed", "nearly 500", "2025-01-27", "ministry", "nearly 500 were killed in one week",
           scope="{kind: period, start: 2025-01-20, end: 2025-01-26}"),
    _claim("anon-projection", "killed", "could reach 5,000", "2025-01-30", "anon", "could reach 5,000",
           projection=True),
])


@pytest.fixture
def estimate_dataset(write_dataset: Callable[..., Path]) -> Path:
    """Claims to reconcile about one metric; the hand-computed estimates are in tests/test_estimate.py."""
    return write_dataset(ESTIMATE_HEADER + ESTIMATE_CLAIMS, document=ESTIMATE_DOCUMENT)

