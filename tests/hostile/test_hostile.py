"""Hostile datasets: text that would act on a terminal, a spreadsheet, a Markdown viewer, TeX or a browser;
values that validate would once accept and other commands crash on; documents outside the dataset's
folder; keys that cost without bound; outputs that would replace the dataset.

Each file in tests/hostile/ is a small dataset whose first line says what it attacks; CASES says
which command shows it and what must be printed instead: the text written out (\\x1b[2J), quoted
('=cmd) or escaped (&lt;script&gt;), or the validation error with its line and column. Whatever
the command, no output or message may carry a raw control, bidi or separator character.

A case may be any file, not only a dataset. Each command runs on a copy of it in a temporary
folder, `{copy}`, which must be unchanged afterwards unless the command says --force; a `.yaml`
case is given as --data. `{case}` is the file itself, `{out}` a temporary folder for output files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli.app import app

HOSTILE = Path(__file__).resolve().parent
runner = CliRunner()

#: A command's output, the stream (stdout, stderr, or a file the command writes), and what it must hold.
Expect = tuple[list[str], str, list[str]]

CASES: dict[str, list[Expect]] = {
    "clear_screen": [
        (["show", "killed"], "stdout", [r"\x1b[2J\x1b[HMinistry"]),
        # A file name made from data: "wrote" names it written out.
        (["export", "-o", "{out}/\x1b[2J.md"], "stderr", [r"/\x1b[2J.md"]),
    ],
    "clipboard": [
        (["show", "killed"], "stdout", [r"\x1b]52;c;cm0gLXJmIH4=\x07"]),
        (
            ["export", "--format", "csv"],
            "stdout",
            [r"\x1b]8;;https://evil.example\x1b\Losses\x1b]8;;\x1b\ (2025-01-10)"],
        ),
    ],
    "c1_csi": [
        (["show", "killed"], "stdout", [r"\x9b2J about\x7f 300"]),
        (["estimate", "killed"], "stdout", [r"no floor in '\x9b2J about\x7f 300' from Ministry of Defence"]),
    ],
    "bidi": [
        (["show", "killed"], "stdout", [r"troops \u202e0001 :killed"]),
        (["sources"], "stdout", [r"Ministry\u2067 of \u2069Defence"]),
    ],
    "rich_markup": [
        (["sources"], "stdout", ["[bold red]Ministry[/] :fire: [link=https://evil.example]x[/link]"]),
        (["show", "killed"], "stdout", ["[bold red]Ministry[/] :fire: [link=https://evil.example]x[/link]"]),
    ],
    "unknown_id": [
        (
            ["validate"],
            "stderr",
            [r"unknown_id.yaml:18:13: claims[0].source: unknown source '\x1b[2Jministry'"],
        ),
        (
            ["show", "killed"],
            "stderr",
            [r"unknown source '\x1b[2Jministry'", "Error: the dataset has 1 problem"],
        ),
    ],
    "field_path": [
        (
            ["validate"],
            "stderr",
            [
                r"field_path.yaml:4:3: metrics.ki\x1b[31mlled\nfake.yaml:1:1: claims: no problem: must be an id"
            ],
        ),
    ],
    "csv_formula": [
        (
            ["export", "--format", "csv"],
            "stdout",
            [
                (
                    r"ministry-killed,Killed,Foreign troops,soldiers,2025-01-06,day,false,ministry,"
                    r"'=cmd|' /C calc'!A0,true,\t=1+1,,300,,cumulative,,'@SUM(A1:A9),'-2+3 (2025-01-10),"
                    r"https://example.org/losses,'+1+1 killed"
                )
            ],
        ),
        (
            ["export", "--format", "csv", "--view", "summary"],
            "stdout",
            ["killed,Killed,troops,Foreign troops,soldiers,cumulative"],
        ),
    ],
    # A spreadsheet (not a dataset): numbers no dataset holds are row errors with their line, what
    # is imported reads back (0.00005 written positionally), and a name's escape is shown written out.
    "importer_numbers": [
        (
            ["import", "{copy}", "-o", "{out}/imported.yaml"],
            "stderr",
            [
                "importer_numbers.csv:3: skipped: 'inf' is not a number",
                "importer_numbers.csv:4: skipped: '9999",
                "is larger than 1,000,000,000,000,000, the largest figure a dataset holds",
                "5 rows: 3 imported as 3 claims, 2 skipped",
            ],
        ),
        (
            ["import", "{copy}", "-o", "{out}/imported.yaml", "--force"],
            "{out}/imported.yaml",
            ['stated: "0.00005"', 'name: "Ministry\\u001b[2J"', "name: \"=cmd|' /C calc'!A0\""],
        ),
    ],
    "markdown_html": [
        (
            ["export", "--format", "markdown"],
            "stdout",
            [
                r"**Killed: &lt;script&gt;alert(1)&lt;/script&gt; (soldiers)**",
                r"| \[click\](javascript:alert(1)) \| R&amp;D |",
            ],
        ),
        (["export", "--format", "html"], "stdout", ["<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"]),
    ],
    "latex_specials": [
        (
            ["export", "--format", "latex"],
            "stdout",
            [
                (
                    "\\endfoot\n\\multicolumn{7}{@{}p{\\linewidth}@{}}{\\raggedright\\bfseries {[}3pt{]} 100\\% of "
                    "\\$5 \\#1 \\{x\\} \\textasciitilde{}\\textasciicircum{}\\_\\textbackslash{}: Foreign troops"
                ),
            ],
        ),
        (
            ["export", "--format", "latex", "--metric", "killed"],
            "stdout",
            ["\\caption{{[}3pt{]} 100\\% of \\$5"],
        ),
    ],
    "javascript_url": [
        (
            ["report", "-o", "{out}/report.html"],
            "{out}/report.html",
            ["Daily Example, Losses mount (javascript:alert(document.cookie)), 2025-01-10"],
        ),
    ],
    "data_url": [
        (
            ["report", "-o", "{out}/report.html"],
            "{out}/report.html",
            ["Losses mount (data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==), 2025-01-10"],
        ),
    ],
    "mathtext": [
        (["plot", "killed", "-o", "{out}/chart.svg"], "{out}/chart.svg", ["$\\undefined$", "$\\frac{1}{$"]),
        (["report", "-o", "{out}/report.html"], "{out}/report.html", ["Killed $\\undefined$"]),
    ],
    # What validate accepts, every command handles: so what a command cannot draw, validate refuses.
    "date_out_of_window": [
        (
            ["validate"],
            "stderr",
            ["date_out_of_window.yaml:17:11: claims[0].date: must be between 1900-01-01 and 2100-12-31"],
        ),
        (["plot", "killed", "-o", "{out}/chart.svg"], "stderr", ["Error: the dataset has 1 problem"]),
    ],
    "bound_too_large": [
        (
            ["validate"],
            "stderr",
            [
                "bound_too_large.yaml:15:40: claims[0].value.best: must be at most 1,000,000,000,000,000, not 1.7e+308"
            ],
        ),
        (["timeline", "killed"], "stderr", ["Error: the dataset has 1 problem"]),
    ],
    "figure_too_large": [
        (
            ["validate"],
            "stderr",
            [
                "figure_too_large.yaml:15:21: claims[0].value.stated: cannot read '1 million million million': states"
            ],
        ),
        (["export", "--format", "json"], "stderr", ["Error: the dataset has 1 problem"]),
    ],
    # An output named like an input (the dataset, through a second path) is refused without --force.
    "overwrite_dataset": [
        # A 100,000-character name on the command line is clipped in the message that repeats it.
        (
            ["show", "\x1b[2J" + "k" * 100_000],
            "stderr",
            ["Error: unknown metric or group '\\x1b[2Jkkkkkkkkk", "...; known: killed"],
        ),
        (
            ["export", "--format", "csv", "-o", "{out}/copy/../copy/overwrite_dataset.yaml"],
            "stderr",
            [
                "overwrite_dataset.yaml is the dataset (",
                "refusing to write over it: give --force to replace it",
            ],
        ),
        (["plot", "killed", "-o", "{copy}"], "stderr", ["give --force to replace it"]),
        (["report", "-o", "{copy}"], "stderr", ["give --force to replace it"]),
        (["schema", "-o", "{copy}"], "stderr", ["is the dataset; refusing to write over it"]),
        (["import", "{out}/sheet.csv", "-o", "{copy}"], "stderr", ["give --force to replace it"]),
        (["export", "-o", "{copy}", "--force"], "stderr", ["wrote "]),
    ],
    # Documents stay inside the dataset's folder: the path is named, and the option that lets it be read.
    "documents_outside": [
        (
            ["validate"],
            "stderr",
            [
                "documents_outside.yaml:10:15: documents.doc.file: ",
                "../etc/passwd is outside ",
                "or pass --allow-outside to read it",
            ],
        ),
    ],
    # Bounded cost: an over-long key is refused where it is read, and no message repeats it whole.
    "long_key": [
        (
            ["validate"],
            "stderr",
            ["long_key.yaml:4:3: metrics: a key of 1,010 characters; the limit is 1,000"],
        ),
        (["show", "k" * 5000], "stderr", ["Error: the dataset has 1 problem"]),
    ],
    "wording_too_long": [
        (
            ["validate"],
            "stderr",
            ["wording_too_long.yaml:15:21: claims[0].value.stated: cannot read '1 thousand thousand"],
        ),
    ],
}

# Controls, bidi controls, separators, and the zero-width and tag characters that hide text.
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\u2028\u2029\ufeff"
    "\U000e0000-\U000e007f]"
)
# The only links a page may hold: to its own sections, or to the web.
HREF = re.compile(r'href="(?!#|https?://)')


def case_files() -> dict[str, Path]:
    return {p.stem: p for p in HOSTILE.iterdir() if p.is_file() and p.suffix != ".py"}


def test_every_hostile_file_has_a_case() -> None:
    assert set(case_files()) == set(CASES)


def test_every_hostile_file_says_what_it_attacks() -> None:
    for path in case_files().values():
        if path.suffix == ".yaml":
            assert path.read_text(encoding="utf-8").startswith("# "), path.name


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("colour", ["plain", "colour"])
def test_hostile_text_is_shown_and_never_acts(case: str, colour: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = case_files()[case]
    copy = tmp_path / "copy" / path.name
    copy.parent.mkdir()
    shutil.copyfile(path, copy)
    env = {
        "COLUMNS": "250",
        **({"FORCE_COLOR": "1", "NO_COLOR": None} if colour == "colour" else {"NO_COLOR": "1"}),
    }
    places = {"{out}": str(tmp_path), "{case}": str(path), "{copy}": str(copy)}
    for command, stream, wanted in CASES[case]:
        args = [re.sub("{out}|{case}|{copy}", lambda m: places[m[0]], a) for a in command]
        if args[0] == "validate":
            args.append(str(copy))
        data = ["--data", str(copy)] if path.suffix == ".yaml" else []
        result = runner.invoke(app, [*data, *args], env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        outputs = {"stdout": result.stdout, "stderr": result.stderr}
        if stream not in outputs:
            outputs[stream] = Path(stream.replace("{out}", str(tmp_path))).read_text(encoding="utf-8")
        for name, text in outputs.items():
            # rich's own colours are the only escape sequences a terminal may get.
            bare = (
                re.sub("\x1b\\[[0-9;]*m", "", text)
                if colour == "colour" and name in ("stdout", "stderr")
                else text
            )
            found = UNSAFE.search(bare.replace("\r\n", "\n"))
            assert found is None, f"{name} of {args}: raw {found[0]!r} in {text!r}"
            assert HREF.search(text) is None, text
        # A message clips what it repeats from the data or the command line.
        assert all(len(line) < 1000 for line in result.stderr.splitlines()), f"{args}: an unclipped message"
        shown = re.sub("\x1b\\[[0-9;]*m", "", outputs[stream])
        for text in wanted:
            assert text in shown, f"{text!r} not in {stream} of {args}:\n{shown}"
        if "--force" not in args:
            assert copy.read_bytes() == path.read_bytes(), f"{args} wrote over {copy.name}"


#: A spreadsheet to import, written here (its escape sequences would act on whoever printed the file).
SHEET = (
    "date,type,source,estimate,subject,notes,source_url\n"
    '2025-01-05,killed,"=HYPERLINK(""http://evil.example"",""x"")",300,"\x1b[2JNorth",@note,javascript:alert(1)\n'
    "2025-01-06,killed,Ministry,abc\x1b]52;c;eA==\x07,North,,\n"
)


def test_an_imported_spreadsheet_carries_no_formula_or_escape_sequence_through(tmp_path: Path) -> None:
    sheet, dataset = tmp_path / "sheet.csv", tmp_path / "imported.yaml"
    sheet.write_text(SHEET, encoding="utf-8")
    imported = runner.invoke(app, ["import", str(sheet), "-o", str(dataset)], env={"NO_COLOR": "1"})
    assert imported.exit_code == 0, imported.output
    assert r"sheet.csv:3: skipped: 'abc\x1b]52;c;eA==\x07' is not a number" in imported.stderr
    exported = runner.invoke(app, ["--data", str(dataset), "export", "--format", "csv"])
    assert exported.exit_code == 0, exported.output
    row = exported.stdout.splitlines()[1]
    assert row.startswith(
        r"""hyperlink-http-evil-example-x-killed-2025-01-05,Killed,\x1b[2JNorth,people,2025-01-05,day,false,"""
        r"""hyperlink-http-evil-example-x,"'=HYPERLINK(""http://evil.example"",""x"")",,300,250,300,350,"""
    )
    shown = runner.invoke(app, ["--data", str(dataset), "show", "killed"], env={"NO_COLOR": "1"})
    assert r"Killed (people) · \x1b[2JNorth · cumulative" in shown.stdout
    for text in (imported.stderr, exported.stdout, shown.stdout):
        assert UNSAFE.search(text.replace("\r\n", "\n")) is None, text
