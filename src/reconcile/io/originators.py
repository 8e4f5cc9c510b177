"""How a spreadsheet names an originator: the relay and the notes in a source cell, the kind its name
tells, and the spellings that are likely one originator (an acronym and its expansion, case,
punctuation or a leading "The").

Everything here is linear in the number of names: spellings are grouped by keys in dictionaries,
never compared pair by pair.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reconcile.model.terms import SourceKind

#: What opens a relay at the start of a bracket, `US officials (via NYT)`.
_RELAY_OPENING = re.compile(
    r"(?:via|through|per|reported by|according to)\s+(?P<relay>\S.*)", re.IGNORECASE | re.DOTALL
)
#: A relay word anywhere in a bracket, `(leak via Y)`: the bracket says how the figure came out.
_RELAY_WORD = re.compile(r"\b(?:via|through|per|reported by|according to)\b", re.IGNORECASE)
#: A relay outside brackets, `Pentagon via Reuters` or `Pentagon, via Reuters`.
_TOP_LEVEL_VIA = re.compile(r",?\s+via\s+", re.IGNORECASE)
#: A last word that says what the figure is, not who gave it: `CSIS estimate` is CSIS.
_WHAT_WORDS = re.compile(
    r"\s+(?:estimate|estimates|assessment|assessments|figure|figures|data|count|tally|calculation)$",
    re.IGNORECASE,
)
_OPEN, _CLOSE = "([{", ")]}"

# Words in an originator's name that say what kind it is, tried in this order.
KIND_WORDS: list[tuple[SourceKind, tuple[str, ...]]] = [
    (
        SourceKind.intelligence,
        (
            "intelligence",
            "intelligence service",
            "intelligence agency",
            "spy agency",
            "security service",
            "nis",
            "hur",
            "gur",
            "cia",
            "mi6",
            "dia",
            "sbu",
            "fsb",
            "bnd",
            "dgse",
        ),
    ),
    (
        SourceKind.military,
        ("army", "armed forces", "general staff", "military", "forces", "commander", "command", "nato"),
    ),
    (
        SourceKind.government,
        (
            "ministry",
            "ministry of defence",
            "ministry of defense",
            "defence ministry",
            "defense ministry",
            "mod",
            "government",
            "president",
            "prime minister",
            "minister",
            "chancellor",
            "white house",
            "pentagon",
            "department",
            "kremlin",
            "state department",
            "dod",
        ),
    ),
    (SourceKind.official, ("official", "officials", "spokesperson", "spokesman", "lawmaker", "lawmakers")),
    (
        SourceKind.analyst,
        (
            "institute",
            "institution",
            "isw",
            "analyst",
            "analysts",
            "think tank",
            "think-tank",
            "study of war",
            "oryx",
            "research",
            "research centre",
            "research center",
            "centre",
            "center",
            "studies",
            "university",
            "foundation",
            "council",
            "csis",
            "iiss",
            "rusi",
            "rand",
            "chatham house",
        ),
    ),
    (
        SourceKind.media,
        (
            "news",
            "times",
            "post",
            "bbc",
            "reuters",
            "afp",
            "associated press",
            "mediazona",
            "nyt",
            "guardian",
            "journal",
            "cnn",
            "economist",
        ),
    ),
]
_KIND_PATTERNS = [
    (kind, re.compile(r"\b(?:" + "|".join(re.escape(h) for h in hints) + r")\b"))
    for kind, hints in KIND_WORDS
]


@dataclass(frozen=True, slots=True)
class SourceCell:
    """A source cell read: the originator, who relayed the figure, and what its brackets said."""

    origin: str
    relay: str | None = None
    note: str = ""  # the cell as written, when brackets said how the figure came out


def normalise_name(name: str) -> str:
    """A name as the alias table compares it: case, dots and spacing do not matter."""
    return " ".join(name.replace(".", "").casefold().split())


def _top_level(text: str) -> list[int]:
    """The bracket depth before each character; an unmatched closing bracket is taken as text."""
    depth, depths = 0, []
    for char in text:
        if char in _CLOSE and depth:
            depth -= 1
        depths.append(depth)
        if char in _OPEN:
            depth += 1
    return depths


def _trailing_bracket(text: str) -> tuple[str, str] | None:
    """(what comes before, what is inside) when `text` ends with a closed bracket group, else None."""
    if not text or text[-1] not in _CLOSE:
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char in _CLOSE:
            depth += 1
        elif char in _OPEN:
            depth -= 1
            if depth == 0:
                return text[:index].rstrip(), text[index + 1 : -1].strip()
    return None


def read_source(cell: str) -> SourceCell:
    """A source cell: `US officials (via NYT)` and `Pentagon via Reuters` name a relay; in `X estimate
    (leak via Y)` or `Z (timing clarified via email)` the bracket tells how the figure came out, so
    the originator is X or Z and the cell as written is a note; any other bracket is part of the name.
    Only a `via` outside brackets splits a cell into originator and relay."""
    text = " ".join(cell.split())
    depths = _top_level(text)
    for match in _TOP_LEVEL_VIA.finditer(text):
        if depths[match.start()] == 0 and match.start() > 0 and match.end() < len(text):
            inner = read_source(text[: match.start()])
            return SourceCell(inner.origin, text[match.end() :].strip(), inner.note)
    bracket = _trailing_bracket(text)
    if bracket is not None and bracket[0]:
        before, inside = bracket
        if opening := _RELAY_OPENING.fullmatch(inside):
            return SourceCell(_origin(before), opening["relay"].strip())
        if _RELAY_WORD.search(inside):
            return SourceCell(_origin(before), None, f"Source as written: {text}.")
    return SourceCell(text)


def _origin(name: str) -> str:
    """The originator in a name that may end with what the figure is: `CSIS estimate` -> `CSIS`."""
    name = name.rstrip(" ,;:-")
    stripped = _WHAT_WORDS.sub("", name)
    return stripped or name


def guess_kind(name: str) -> SourceKind | None:
    """The kind a name tells (`... Ministry of Defence` -> government, `... think tank` -> analyst), if any."""
    words = normalise_name(name)
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(words):
            return kind
    return None


# --- likely one originator --------------------------------------------------------------------------

#: Words an acronym leaves out: the `for`, `and` and `of` of `Centre for Strategic and International Studies`.
_MINOR_WORDS = {
    "the",
    "of",
    "for",
    "and",
    "&",
    "in",
    "on",
    "at",
    "to",
    "de",
    "du",
    "des",
    "la",
    "le",
    "a",
    "an",
}


def spelling_key(name: str) -> str:
    """A name with case, punctuation, accents, `&` and a leading `The` set aside."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    words = re.sub(r"[^\w\s]+", " ", ascii_text.casefold().replace("&", " and ")).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def acronyms(name: str) -> set[str]:
    """The acronyms a name of three words or more may go by: `Centre for Strategic and International
    Studies` -> CSIS and CFSAIS, and one written in brackets at its end, `(CSIS)`."""
    out = set()
    bracket = _trailing_bracket(name)
    if bracket is not None and re.fullmatch(r"[A-Z][A-Za-z]{1,9}", bracket[1]):
        out.add(bracket[1].upper())
        name = bracket[0]
    words = spelling_key(name).split()
    if len(words) >= 3:
        major = [w for w in words if w not in _MINOR_WORDS]
        if len(major) >= 2:
            out.add("".join(w[0] for w in major).upper())
        out.add("".join(w[0] for w in words).upper())
    return out


def as_acronym(name: str) -> str | None:
    """The name itself as an acronym: one word of 2 to 10 letters, capitals at least half of them."""
    stripped = name.strip().replace(".", "")
    if re.fullmatch(r"[A-Za-z]{2,10}", stripped) and sum(c.isupper() for c in stripped) * 2 >= len(stripped):
        return stripped.upper()
    return None


@dataclass(frozen=True, slots=True)
class Merge:
    """Spellings taken as one originator, and why."""

    name: str  # the one kept
    spellings: tuple[str, ...]  # the others, which become aliases
    reason: str


@dataclass
class Merges:
    """Each spelling's originator after merging, and the merges made."""

    canonical: dict[str, str] = field(default_factory=dict)  # spelling -> the name it is merged into
    merges: list[Merge] = field(default_factory=list)
    ambiguous: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # acronym, expansions


def likely_duplicates(names: Iterable[str], counts: Mapping[str, int], known: Iterable[str] = ()) -> Merges:
    """Merge names that are likely one originator: spellings that differ only in case, punctuation,
    accents or a leading `The`, and an acronym with the one name it abbreviates. The name kept is one
    the alias table knows, else the longest (the most informative), then the one used most.
    An acronym that abbreviates two names is merged with neither and reported."""
    ordered = list(dict.fromkeys(names))
    known_names = set(known)

    def preferred(group: list[str]) -> str:
        # Known, then written with capitals, then with the least punctuation, then the longest.
        return max(
            group,
            key=lambda n: (
                n in known_names,
                not n.islower(),
                -len(re.findall(r"[^\w\s]", n)),
                len(n),
                counts.get(n, 0),
                n,
            ),
        )

    result = Merges()
    by_key: dict[str, list[str]] = {}
    for name in ordered:
        by_key.setdefault(spelling_key(name) or name, []).append(name)
    heads: dict[str, str] = {}  # spelling key -> the name kept for it
    for key, group in by_key.items():
        head = preferred(group)
        heads[key] = head
        if len(group) > 1:
            others = tuple(n for n in group if n != head)
            result.merges.append(
                Merge(head, others, "the same name but for case, punctuation or a leading 'The'")
            )
        for name in group:
            result.canonical[name] = head
    expansions: dict[str, list[str]] = {}
    for head in heads.values():
        for acronym in acronyms(head):
            expansions.setdefault(acronym, []).append(head)
    for key, head in heads.items():
        short = as_acronym(head)
        if short is None or short not in expansions:
            continue
        targets = [t for t in expansions[short] if t != head]
        if len(targets) > 1:
            result.ambiguous.append((head, tuple(sorted(targets))))
            continue
        if not targets or head in known_names:
            continue
        target = targets[0]
        spellings = tuple(n for n in by_key[key])
        result.merges.append(Merge(target, spellings, f"{head} is the acronym of {target}"))
        for name in spellings:
            result.canonical[name] = target
    # One merge per name kept, so that the report gives one alias entry for each.
    joined: dict[str, Merge] = {}
    for merge in result.merges:
        if merge.name in result.canonical and result.canonical[merge.name] != merge.name:
            merge = Merge(result.canonical[merge.name], (merge.name, *merge.spellings), merge.reason)
        held = joined.get(merge.name)
        joined[merge.name] = (
            merge
            if held is None
            else Merge(merge.name, (*held.spellings, *merge.spellings), f"{held.reason}; {merge.reason}")
        )
    result.merges = list(joined.values())
    return result
