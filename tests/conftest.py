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
