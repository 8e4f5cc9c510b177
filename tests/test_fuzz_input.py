"""Generated and mutated datasets never produce a traceback: loading succeeds or raises DatasetError.

A bounded fuzz run of the loader that is part of the normal suite; each property has a fixed
number of examples and no deadline, so the whole module takes a few seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.analysis import claims as selection
from reconcile.analysis import compare as analysis
from reconcile.errors import DatasetError, ReconcileError
from reconcile.io import yamlsafe
from reconcile.io.load import load

BAD = Path(__file__).resolve().parent / "bad"
BASE = (BAD / "ok.yaml").read_text(encoding="utf-8")
DOCUMENT = (BAD / "doc.txt").read_text(encoding="utf-8")
TODAY = date(2025, 6, 1)

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Fragments that matter to YAML or to the loader, for insertion into a valid file.
FRAGMENTS = [
    "\t",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\r",
    ":",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "? ",
    "|",
    ">",
    "'",
    '"',
    "#",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:yaml.org,2002:python/\n",
    "!!python/object:os.system ",
    "!!python/name:os.system ",
    "!!binary ",
    "!!str ",
    "!x ",
    "<<: ",
    "\x00",
    "\x07",
    "\ufeff",
    "\u2028",
    "\x85",
    "\\",
    "NO",
    "on",
    "y",
    "017",
    "1:20",
    "1_000",
    "1e999",
    "-1e999",
    ".nan",
    "2025-02-30",
    "2099-01-01",
    "-5",
    "~",
    "null",
    "true",
    "0",
    "é",
    "\u201c",
    "9" * 400,
    "[" * 40,
    "{a: " * 40,
    "killed",
    "ministry",
    "doc",
    "id: x\n",
]


@contextmanager
def parser(pure: bool) -> Iterator[None]:
    """Use PyYAML's pure-Python event parser instead of libyaml's for the duration."""
    saved = yamlsafe._loader_class
    if pure:
        yamlsafe._loader_class = lambda: yaml.SafeLoader
    try:
        yield
    finally:
        yamlsafe._loader_class = saved


def load_or_refuse(path: Path) -> Any:
    """Load `path`; a DatasetError is a fine answer, anything else escapes and fails the test."""
    try:
        dataset = load(path, today=TODAY)
    except DatasetError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return None
    # What loads must also be shown without a crash.
    for name in [*dataset.metrics, *dataset.groups]:
        try:
            analysis.show(dataset, name, selection.Filters())
        except ReconcileError:
            pass
    return dataset


@st.composite
def mutations(draw: st.DrawFn) -> str:
    """ok.yaml after a few random edits: insertions, deletions, and lines repeated, dropped or swapped."""
    text = BASE
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["insert", "delete", "repeat", "drop", "swap"]))
        at = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(FRAGMENTS) | st.text(max_size=8)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        else:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if kind == "repeat":
                lines.insert(j, lines[i])
            elif kind == "drop":
                del lines[i]
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    return tmp_path


@FUZZ
@given(text=mutations(), pure=st.booleans())
def test_a_mutated_dataset_loads_or_is_refused(text: str, pure: bool, folder: Path) -> None:
    path = folder / "mutated.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with parser(pure):
        load_or_refuse(path)


@FUZZ
@given(data=st.binary(max_size=64), at=st.integers(0, len(BASE)))
def test_random_bytes_in_a_dataset_load_or_are_refused(data: bytes, at: int, folder: Path) -> None:
    raw = BASE.encode("utf-8")
    path = folder / "bytes.yaml"
    path.write_bytes(raw[:at] + data + raw[at:])
    load_or_refuse(path)


@FUZZ
@given(
    text=st.lists(st.sampled_from(FRAGMENTS[:40] + ["a", "b", "1", "x: 1\n"]), max_size=40).map("".join),
    pure=st.booleans(),
)
def test_yaml_like_noise_parses_or_is_refused(text: str, pure: bool) -> None:
    """Short documents made of YAML's punctuation reach the parser's corners."""
    with parser(pure):
        try:
            data, positions = yamlsafe.parse(text, Path("noise.yaml"))
        except DatasetError as exc:
            [problem] = exc.problems
            assert problem.line is None or problem.line >= 1
            return
    assert (data is None) == (() not in positions.values) or data is None


# Valid datasets, written by PyYAML's emitter and read back: text survives whatever it looks like.

# NEL and the Unicode line separators are folded by PyYAML's own round trip; surrogates are not UTF-8.
printable = st.characters(codec="utf-8", exclude_characters="\x85\u2028\u2029")


@FUZZ
@given(text=st.from_regex(r"[-+]?[0-9._eE+:xob-]{0,8}", fullmatch=True) | st.text(printable, max_size=12))
def test_text_written_by_pyyaml_reads_back_as_text(text: str) -> None:
    """Whatever PyYAML writes unquoted it reads as text, and so does the narrow rule: `1e3` stays text."""
    written = yaml.safe_dump({"key": text}, allow_unicode=True)
    assert yamlsafe.parse(written, Path("x.yaml"))[0] == {"key": text}


LOOKALIKES = [
    "NO",
    "on",
    "y",
    "Yes",
    "off",
    "017",
    "0o17",
    "0x1F",
    "1:20",
    "1_000",
    "2025-01-06",
    "null",
    "~",
    "true",
    "12",
    "1e3",
    ".inf",
    "- item",
    "a: b",
    "#hash",
    "&anchor",
    "*alias",
    "!tag",
    "@at",
    "`tick",
    "'quoted'",
]
text_values = st.sampled_from(LOOKALIKES) | st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc"]), max_size=30
)
days = st.dates(date(2023, 1, 1), TODAY)


class NoAliasDumper(yaml.SafeDumper):
    """The emitter, without anchors for repeated objects: the loader refuses them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@st.composite
def claims(draw: st.DrawFn, index: int, sources: list[str]) -> tuple[dict[str, Any], str]:
    """One valid claim and the sentence of the document that carries its quote."""
    low = draw(st.integers(0, 50_000))
    high = draw(st.integers(low, low + 50_000))
    stated = draw(
        st.sampled_from(
            [
                f"more than {low}",
                f"about {low:,}",
                f"between {low:,} and {high:,}",
                f"up to {high}",
                f"nearly {high:,}",
                f"{low}",
                "several hundred",
                "dozens",
            ]
        )
    )
    quote = f"{stated} {draw(st.sampled_from(['were killed', 'troops', 'wounded']))} (claim {index})"
    start = draw(days)
    scope = draw(
        st.sampled_from(
            [
                {"kind": "cumulative", "since": draw(text_values)},
                {"kind": "period", "start": start, "end": start + timedelta(days=draw(st.integers(0, 30)))},
                {"kind": "incident", "on": start, "description": draw(text_values)},
            ]
        )
    )
    claim = {
        "id": f"claim-{index}",
        "metric": draw(st.sampled_from(["killed", "wounded"])),
        "subject": "troops",
        "place": draw(text_values),
        "value": {"stated": stated},
        "scope": scope,
        "date": draw(days),
        "precision": draw(st.sampled_from(["day", "month", "approximate"])),
        "projection": draw(st.booleans()),
        "source": draw(st.sampled_from(sources)),
        "relay": draw(st.lists(text_values, max_size=2)),
        "citations": [{"document": "doc", "quote": quote}],
        "notes": draw(text_values),
    }
    return claim, quote + "."


@st.composite
def datasets(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    sources = {
        f"source-{i}": {
            "name": draw(text_values.filter(str.strip)),
            "kind": draw(st.sampled_from(["military", "media"])),
            "party": draw(st.booleans()),
            "notes": draw(text_values),
        }
        for i in range(draw(st.integers(1, 3)))
    }
    drawn = [draw(claims(i, sorted(sources))) for i in range(draw(st.integers(0, 6)))]
    data = {
        "version": 1,
        "metrics": {
            "killed": {"label": draw(text_values), "unit": "soldiers"},
            "wounded": {"label": "Wounded", "unit": "soldiers"},
        },
        "groups": {"casualties": ["killed", "wounded"]},
        "subjects": {"troops": {"name": draw(text_values)}},
        "sources": sources,
        "documents": {
            "doc": {
                "file": "doc.txt",
                "outlet": draw(text_values),
                "title": draw(text_values),
                "published": TODAY,
            }
        },
        "claims": [claim for claim, _ in drawn],
    }
    return data, "\n".join(sentence for _, sentence in drawn)


@settings(FUZZ, max_examples=40)
@given(generated=datasets(), flow=st.booleans())
def test_a_generated_valid_dataset_loads_with_its_text_intact(
    generated: tuple[dict[str, Any], str], flow: bool, tmp_path: Path
) -> None:
    data, document = generated
    (tmp_path / "doc.txt").write_text(document, encoding="utf-8")
    path = tmp_path / "generated.yaml"
    path.write_text(
        yaml.dump(data, Dumper=NoAliasDumper, sort_keys=False, allow_unicode=True, default_flow_style=flow),
        encoding="utf-8",
    )
    dataset = load(path, today=TODAY)
    written = msgspec.json.decode(msgspec.json.encode(dataset))
    claims = [{k: v for k, v in claim.items() if k != "interval"} for claim in written["claims"]]
    assert {"claims": claims, "sources": written["sources"], "subjects": written["subjects"]} == {
        "claims": [_as_json(claim) for claim in data["claims"]],
        "sources": {
            k: {**v, "short": "", "country": None, "aliases": []} for k, v in data["sources"].items()
        },
        "subjects": data["subjects"],
    }
    load_or_refuse(path)


def _as_json(claim: dict[str, Any]) -> dict[str, Any]:
    """A generated claim as the model dumps it: defaults filled in, dates as text."""
    scope = {k: v.isoformat() if isinstance(v, date) else v for k, v in claim["scope"].items()}
    defaults = {"cumulative": {}, "period": {"description": ""}, "incident": {}}[scope["kind"]]
    return {
        **claim,
        "scope": {**defaults, **scope},
        "date": claim["date"].isoformat(),
        "value": {
            "stated": claim["value"]["stated"],
            "low": None,
            "best": None,
            "high": None,
            "relative_to": None,
        },
    }
