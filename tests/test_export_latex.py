"""The LaTeX export compiled by a real TeX engine: it fits an A4 page, breaks across pages, overflows nowhere.

pdflatex comes from Debian's texlive packages (`apt-get install texlive-latex-base
texlive-latex-recommended poppler-utils`, which .ci/run installs); without it these tests are skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import msgspec
import pytest

from reconcile.analysis.claims import Filters
from reconcile.io.load import load
from reconcile.model.dataset import Citation, Claim, Cumulative, Dataset, Interval, Value
from reconcile.output.export import LATEX_PACKAGES, export, render
from reconcile.output.formats import Format, View

HOSTILE = Path(__file__).resolve().parent / "hostile"

pytestmark = pytest.mark.skipif(
    shutil.which("pdflatex") is None or shutil.which("pdfinfo") is None,
    reason="pdflatex or pdfinfo is not installed (Debian: texlive-latex-base, texlive-latex-recommended, "
    "poppler-utils)",
)

#: An overfull box narrower than this is invisible in print.
TOLERANCE_PT = 1.0


def compile_pdf(table_tex: str, folder: Path) -> tuple[int, str, str]:
    """The page count, the page size and the log of a plain A4 article holding the table."""
    source = folder / "table.tex"
    source.write_text(
        "\\documentclass[a4paper]{article}\n"
        f"\\usepackage{{{LATEX_PACKAGES}}}\n"
        "\\begin{document}\n" + table_tex + "\\end{document}\n",
        encoding="utf-8",
    )
    for _ in range(2):  # longtable settles its column widths on the second run
        run = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stdout[-3000:]
    info = subprocess.run(
        ["pdfinfo", str(folder / "table.pdf")], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])  # type: ignore[index]
    size = re.search(r"^Page size:\s+(.*)$", info, re.MULTILINE)[1]  # type: ignore[index]
    log = (folder / "table.log").read_text(encoding="latin-1")
    return pages, size, log


def overfull(log: str) -> list[float]:
    return [
        float(x)
        for x in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)
        if float(x) > TOLERANCE_PT
    ]


@pytest.mark.parametrize("view", list(View))
def test_the_shipped_data_fits_a4(shipped: Path, view: View, tmp_path: Path) -> None:
    pages, size, log = compile_pdf(render(export(load(shipped), view, Filters()), Format.latex), tmp_path)
    assert size.startswith("595.276 x 841.89 pts")
    assert overfull(log) == []
    # 38 claims with a footnote each take a few pages; the 24 comparisons of the summary two; the
    # estimate's dozen rows (the shipped counts span weeks, so a month or two per metric) one.
    expected = {View.claims: (2, 8), View.summary: (2, 3), View.estimate: (1, 1)}[view]
    assert expected[0] <= pages <= expected[1]


def long_dataset(claims: int) -> Dataset:
    """Many claims with long names, wordings, scopes, ids and URLs: what a page must still hold."""
    return msgspec.convert(
        {
            "metrics": {"killed": {"label": "Killed in action, as reported", "unit": "soldiers"}},
            "subjects": {"troops": {"name": "Foreign troops deployed to the Kursk region of Russia"}},
            "sources": {
                "ministry": {
                    "name": "Ministry of Defence of an Unnamed Republic (Directorate of Communications)",
                    "kind": "military",
                    "party": True,
                }
            },
            "documents": {
                "doc": {
                    "outlet": "International Broadcasting Corporation",
                    "title": "Losses mount as the offensive enters its third month " * 2,
                    "published": "2025-01-10",
                    "url": "https://example.org/" + "very-long-path-segment/" * 8 + "?query=1&other=2",
                }
            },
            "claims": [
                Claim(
                    id=f"ministry-killed-in-action-cumulative-figure-number-{n:04d}",
                    metric="killed",
                    subject="troops",
                    value=Value(
                        stated=f"approximately {1_000_000 + n:,} according to the ministry's statement"
                    ),
                    scope=Cumulative(since="the first deployment of troops across the border in the autumn"),
                    date=date(2025, 1, n % 28 + 1),
                    source="ministry",
                    relay=("A spokesperson quoted by several international agencies",),
                    citations=(Citation(document="doc", quote="the ministry said " * 20),),
                    interval=Interval(low=900_000.5 + n, best=1_000_000 + n, high=1_100_000 + n),
                )
                for n in range(claims)
            ],
        },
        Dataset,
    )


def test_a_long_table_breaks_across_pages_and_still_fits(tmp_path: Path) -> None:
    text = render(export(long_dataset(120), View.claims, Filters()), Format.latex)
    pages, size, log = compile_pdf(text, tmp_path)
    assert size.startswith("595.276 x 841.89 pts")
    assert overfull(log) == []
    assert pages >= 10  # 120 rows, each with a long footnote
    assert "(continued)" in text


@pytest.mark.parametrize("view", list(View))
def test_hostile_text_compiles_as_written(view: View, tmp_path: Path) -> None:
    dataset = load(HOSTILE / "latex_specials.yaml")
    pages, _, log = compile_pdf(render(export(dataset, view, Filters()), Format.latex), tmp_path)
    assert pages == 1 and overfull(log) == []
