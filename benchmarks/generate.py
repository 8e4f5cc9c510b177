"""Write a valid synthetic claims dataset of any size, with the documents its quotes come from.

    python benchmarks/generate.py --claims 100000 --output /tmp/bench/claims-100k.yaml [--seed 1]

The documents go in a folder beside the output file (`claims-100k-docs/`), so that
`reconcile validate` finds every quote. The same seed always gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

METRICS = {
    "deployed": ("Deployed", "soldiers", "strength"),
    "in_combat": ("In combat", "soldiers", "strength"),
    "reserve": ("In reserve", "soldiers", "strength"),
    "killed": ("Killed", "soldiers", "casualties"),
    "wounded": ("Wounded", "soldiers", "casualties"),
    "killed_or_wounded": ("Killed or wounded", "soldiers", "casualties"),
    "captured": ("Captured", "soldiers", "casualties"),
    "deserted": ("Deserted", "soldiers", "casualties"),
    "territory_held_km2": ("Territory held", "km2", "territory"),
}
# How often each metric is claimed, and the size of a typical figure for it.
METRIC_WEIGHTS = {
    "killed": 30,
    "wounded": 18,
    "killed_or_wounded": 10,
    "deployed": 14,
    "in_combat": 6,
    "reserve": 4,
    "captured": 8,
    "deserted": 4,
    "territory_held_km2": 6,
}
METRIC_SCALE = {
    "deployed": 12_000,
    "in_combat": 5_000,
    "reserve": 4_000,
    "killed": 3_000,
    "wounded": 6_000,
    "killed_or_wounded": 8_000,
    "captured": 400,
    "deserted": 150,
    "territory_held_km2": 900,
}
VERBS = {
    "deployed": "troops had been deployed",
    "in_combat": "soldiers were fighting",
    "reserve": "troops were held in reserve",
    "killed": "soldiers were killed",
    "wounded": "soldiers were wounded",
    "killed_or_wounded": "soldiers were killed or wounded",
    "captured": "soldiers were taken prisoner",
    "deserted": "soldiers deserted",
    "territory_held_km2": "square kilometres were held",
}
SUBJECTS = {
    "north-forces": "Northern forces",
    "south-forces": "Southern forces",
    "allied-forces": "Allied contingent",
    "militia": "Irregular militia",
}
SUBJECT_WEIGHTS = [70, 20, 6, 4]
SOURCE_KINDS = {
    "government": "Gov",
    "intelligence": "Intel",
    "military": "Army",
    "official": "Official",
    "media": "Outlet",
    "analyst": "Analyst",
    "unattributed": "Reports",
}
COUNTRIES = ["XA", "XB", "XC", "XD", "XE", None]
PLACES = [
    "Avdan",
    "Berez",
    "Chorna",
    "Dolyn",
    "Esker",
    "Falka",
    "Horod",
    "Ilmen",
    "Kostyn",
    "Lisova",
    "Mirne",
    "Novoye",
    "Ozerne",
    "Pryval",
    "Rusanka",
    "Stepne",
    "Tarany",
    "Uzhok",
    "Verkhy",
    "Zoria",
]
OUTLETS = [
    "Daily Example",
    "The Sample Times",
    "Northern Herald",
    "Wire Service A",
    "Evening Post",
    "Frontline Weekly",
    "Radio Example",
    "The Observer of Examples",
]
START = date(2022, 2, 24)
LAST = date(2025, 12, 31)
CLAIMS_PER_DOCUMENT = 40
SOURCES = 30


@dataclass
class Wording:
    """A figure as stated, and the words a quote uses for it."""

    stated: str
    quoted: str


def thousands(value: int) -> str:
    return f"{value:,}"


# Ways reporters word a figure, and how often each is used.
FIGURE_WORDINGS = {
    "{n}": 25,
    "more than {n}": 15,
    "approximately {n}": 12,
    "about {n}": 8,
    "between {n} and {upper}": 10,
    "up to {n}": 8,
    "at least {n}": 6,
    "nearly {n}": 6,
    "vague": 10,
}


def wording(rng: random.Random, scale: int) -> Wording:
    """A figure near `scale`, worded as reporters word figures."""
    value = max(2, int(rng.lognormvariate(0, 0.8) * scale))
    value = round(value, -2) if value > 2_000 else (round(value, -1) if value > 200 else value)
    value = max(value, 2)
    template = rng.choices(list(FIGURE_WORDINGS), list(FIGURE_WORDINGS.values()))[0]
    if template != "vague":
        upper = value + max(1, value // rng.choice([4, 5, 10]))
        stated = template.format(n=thousands(value), upper=thousands(upper))
        return Wording(stated, stated)
    roll = rng.random()
    if roll < 0.4:
        stated = "several hundred" if scale >= 300 else "dozens"
    elif roll < 0.7:
        stated = "thousands" if scale >= 3_000 else "hundreds"
        return Wording(stated, f"{stated} of")
    else:
        stated = rng.choice(["a dozen", "three", "twenty", "several"])
    return Wording(stated, stated)


def text(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are a subset of YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


@dataclass
class Source:
    id: str
    name: str
    short: str
    kind: str
    country: str | None
    party: bool


def make_sources(rng: random.Random) -> list[Source]:
    sources = []
    for i in range(SOURCES):
        kind, prefix = list(SOURCE_KINDS.items())[i % len(SOURCE_KINDS)]
        country = rng.choice(COUNTRIES)
        short = f"{prefix} {i:02d}"
        sources.append(
            Source(
                f"src-{i:02d}",
                f"{kind.title()} source number {i}",
                short,
                kind,
                country,
                party=country in ("XA", "XB"),
            )
        )
    return sources


def header(sources: list[Source], documents: list[tuple[str, str, str, date]]) -> list[str]:
    lines = [
        "# A synthetic dataset written by benchmarks/generate.py; the figures mean nothing.",
        "version: 1",
        "",
        "metrics:",
    ]
    for metric, (label, unit, _group) in METRICS.items():
        lines.append(f"  {metric}: {{label: {label}, unit: {unit}}}")
    lines += ["", "groups:"]
    for group in ("casualties", "strength", "territory"):
        members = [m for m, spec in METRICS.items() if spec[2] == group]
        lines.append(f"  {group}: [{', '.join(members)}]")
    lines += ["", "subjects:"]
    lines += [f"  {key}: {{name: {name}}}" for key, name in SUBJECTS.items()]
    lines += ["", "sources:"]
    for s in sources:
        country = f", country: {s.country}" if s.country else ""
        lines.append(
            f"  {s.id}: {{name: {s.name}, short: {s.short}, kind: {s.kind}{country}, "
            f"party: {'true' if s.party else 'false'}}}"
        )
    lines += ["", "documents:"]
    for doc_id, file, outlet, published in documents:
        lines.append(
            f"  {doc_id}: {{file: {file}, outlet: {outlet}, title: Report {doc_id}, "
            f"published: {published.isoformat()}}}"
        )
    lines += ["", "claims:"]
    return lines


# Named events that incident claims are about, so that claims about one event can be compared.
INCIDENTS = [(START + timedelta(days=20 + 58 * i), PLACES[i % len(PLACES)]) for i in range(24)]


def scope(rng: random.Random, claimed: date) -> tuple[str, str]:
    """The scope as YAML flow text, and its words for the quote."""
    roll = rng.random()
    past = [event for event in INCIDENTS if event[0] <= claimed]
    if roll < 0.80 or (roll >= 0.95 and not past) or claimed.replace(day=1) <= START:
        return "{kind: cumulative}", "in all"
    if roll < 0.95:
        # The calendar month before the claim.
        end = claimed.replace(day=1) - timedelta(days=1)
        start = max(end.replace(day=1), START)
        return (f"{{kind: period, start: {start.isoformat()}, end: {end.isoformat()}}}", f"in {end:%B %Y}")
    on, place = rng.choice(past[-3:])
    return (
        f"{{kind: incident, on: {on.isoformat()}, description: the assault on {place}}}",
        f"in the assault on {place} on {on:%d %b %Y}",
    )


def generate(claims: int, seed: int, folder: str) -> tuple[str, dict[str, str]]:
    """The dataset text and its documents (path relative to the dataset -> text), kept in `folder`."""
    rng = random.Random(seed)
    sources = make_sources(rng)
    metrics = list(METRIC_WEIGHTS)
    weights = [METRIC_WEIGHTS[m] for m in metrics]
    subjects = list(SUBJECTS)
    count = max(1, -(-claims // CLAIMS_PER_DOCUMENT))
    span = (LAST - START).days
    documents: list[tuple[str, str, str, date]] = []
    bodies: dict[str, list[str]] = {}
    body_lines: list[str] = []
    first_absolute: dict[tuple[str, str], str] = {}
    for i in range(claims):
        d = i // CLAIMS_PER_DOCUMENT
        if i % CLAIMS_PER_DOCUMENT == 0:
            # Documents run through the period in order, so claims come roughly in date order.
            published = START + timedelta(days=min(span, (d * span) // count + rng.randrange(3)))
            doc_id = f"doc-{d:06d}"
            file = f"{folder}/{d // 1000:03d}/{doc_id}.txt"
            documents.append((doc_id, file, rng.choice(OUTLETS), published))
            bodies[file] = [f"{documents[-1][2]}, {published:%d %B %Y}.", ""]
        doc_id, file, _outlet, published = documents[-1]
        metric = rng.choices(metrics, weights)[0]
        subject = rng.choices(subjects, SUBJECT_WEIGHTS)[0]
        source = rng.choice(sources)
        claimed = max(START, published - timedelta(days=rng.choice([0, 0, 0, 1, 2, 5])))
        place = rng.choice(PLACES)
        scope_text, scope_words = scope(rng, claimed)
        claim_id = f"c{i:07d}"
        key = (metric, subject)
        relative = None
        if metric in ("killed", "wounded") and key in first_absolute and rng.random() < 0.01:
            relative = first_absolute[key]
            figure = Wording(rng.choice(["nearly a third", "about half", "a quarter"]), "")
            figure.quoted = figure.stated
            scope_text, scope_words = "{kind: cumulative}", "in all"
        else:
            figure = wording(rng, METRIC_SCALE[metric])
        verb = VERBS[metric]
        quote = f"{figure.quoted} {verb} {scope_words}"
        bodies[file].append(
            f"In statement {claim_id}, {source.short} said that near {place} {quote}. "
            "The figure could not be verified."
        )
        value = f"{{stated: {text(figure.stated)}" + (f", relative_to: {relative}}}" if relative else "}")
        if relative is None and scope_text.startswith("{kind: cumulative") and key not in first_absolute:
            first_absolute[key] = claim_id
        lines = [
            f"  - id: {claim_id}",
            f"    metric: {metric}",
            f"    subject: {subject}",
        ]
        if rng.random() < 0.5:
            lines.append(f"    place: {place}")
        lines += [
            f"    value: {value}",
            f"    scope: {scope_text}",
            f"    date: {claimed.isoformat()}",
        ]
        if rng.random() < 0.15:
            lines.append("    precision: approximate")
        if rng.random() < 0.02 and scope_text == "{kind: cumulative}":
            lines.append("    projection: true")
        lines += [
            f"    source: {source.id}",
            "    citations:",
            f"      - {{document: {doc_id}, quote: {text(quote)}}}",
        ]
        if rng.random() < 0.05:
            lines.append(f"    notes: {text('Date inferred from the document; see its first line.')}")
        body_lines += lines
    dataset = "\n".join(header(sources, documents) + body_lines) + "\n"
    return dataset, {file: "\n".join(lines) + "\n" for file, lines in bodies.items()}


def write(output: Path, claims: int, seed: int) -> None:
    """Write the dataset and its documents (in `<stem>-docs/` beside it)."""
    dataset, documents = generate(claims, seed, f"{output.stem}-docs")
    for file, body in documents.items():
        target = output.parent / file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    output.write_text(dataset, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, required=True, help="How many claims to write.")
    parser.add_argument("--output", type=Path, required=True, help="The dataset file to write.")
    parser.add_argument("--seed", type=int, default=1, help="Seed of the random choices (default 1).")
    args = parser.parse_args(argv)
    if args.claims < 1:
        parser.error("--claims must be at least 1")
    write(args.output, args.claims, args.seed)
    size = args.output.stat().st_size
    print(f"{args.output}: {args.claims:,} claims, {size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
