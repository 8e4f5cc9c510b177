"""The `reconcile` command line: parse options, call the library, print the result."""

from __future__ import annotations

import calendar
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, cast

import typer
import typer.main
from typer.core import TyperArgument, TyperGroup

from reconcile import __version__
from reconcile.cli.stdout import stdout_faults
from reconcile.output.formats import Format, View

if TYPE_CHECKING:
    from rich.console import RenderableType

    from reconcile.analysis.claims import Filters
    from reconcile.model.dataset import Dataset

#: The order of `reconcile --help`: what a new user needs first (look at the claims, ask for an
#: estimate, chart and publish them), then looking after a dataset. Commands not named here follow.
COMMAND_ORDER = (
    "show",
    "summary",
    "metrics",
    "sources",
    "estimate",
    "timeline",
    "diff",
    "plot",
    "report",
    "export",
    "validate",
    "check",
    "init",
    "import",
    "schema",
)


#: Options of the whole program that may also be written after the command (`show killed --data x.yaml`).
GLOBAL_OPTIONS = {"--data": True, "--allow-outside": False}  # whether each takes a value


def _globals_first(args: list[str]) -> list[str]:
    """`args` with the program's own options that follow the command moved before it.

    The program's options before the command stay where they are. Only tokens before a `--` are
    moved, and only after the command's name, so an argument that happens to read "--data" after
    `--` stays an argument.
    """
    moved: list[str] = []
    rest: list[str] = []  # the command and what follows it
    tokens = iter(args)
    for token in tokens:
        if rest and token == "--":
            rest += [token, *tokens]
            break
        name = token.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            moved.append(token)
            if GLOBAL_OPTIONS[name] and "=" not in token:
                value = next(tokens, None)
                if value is None:
                    if not rest:
                        return args  # Typer says what is missing
                    raise typer.BadParameter(
                        f"no value follows it; write one, e.g. {name} data/estimates.yaml",
                        param_hint=f"'{name}'",
                    )
                moved.append(value)
            continue
        if not rest and token.startswith("-"):
            return args  # --help, --version, completion, or a mistake that the whole app answers
        rest.append(token)
    return [*moved, *rest] if rest else args


def _metavar(param: Any) -> str | None:
    """What help shows for a value, in words a user knows: DATE, N, FILE or the option's name."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and getattr(descriptor, "is_choice", False):
        return None  # the choices themselves: csv|json|...
    if param.param_type_name == "argument":
        return str(param.name).upper()
    if getattr(param, "is_flag", False):
        return None
    if descriptor is not None and getattr(descriptor, "is_datetime", False):
        return "DATE"
    annotation = getattr(descriptor, "annotation", None)
    if annotation is int or annotation is float:
        return "N"
    if annotation is Path:
        return "FILE"
    return str(param.opts[-1]).lstrip("-").upper().replace("-", "_")


class _Argument(TyperArgument):
    """An argument whose help shows its name (METRIC) without a type beside it (<str>)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _Commands(TyperGroup):
    """The commands, listed in COMMAND_ORDER rather than in code order, and run under stdout_faults.

    Help names every value in words (DATE, METRIC, FILE), never a type such as <list[str]>.
    """

    def list_commands(self, ctx: Any) -> list[str]:  # a click Context, which typer does not export
        names = super().list_commands(ctx)
        return sorted(
            names, key=lambda n: COMMAND_ORDER.index(n) if n in COMMAND_ORDER else len(COMMAND_ORDER)
        )

    def get_command(self, ctx: Any, name: str) -> Any:
        command = super().get_command(ctx, name)
        for param in getattr(command, "params", ()):
            if param.metavar is None:
                param.metavar = _metavar(param)
            if type(param) is TyperArgument:
                param.__class__ = _Argument
        return command

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _globals_first(args))

    # Both here, inside typer, which would turn a closed pipe into exit 1 before main() could see it.
    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with stdout_faults(typer.Exit), _worded():  # --help and --version print while options are read
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        with stdout_faults(typer.Exit), _worded():
            return super().invoke(ctx)


@contextmanager
def _worded() -> Iterator[None]:
    """A bad value of an option said without the kind of error Typer's validator gives it."""
    try:
        yield
    except typer.BadParameter as exc:
        # "Invalid value for '--method': Value error, 'x' is not one of ...": the kind goes.
        exc.message = exc.message.removeprefix("Value error, ")
        raise


def _typer() -> typer.Typer:
    return typer.Typer(
        name="reconcile",
        cls=_Commands,
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
    )


app = _typer()


def _names(ctx: typer.Context, kind: str) -> list[str]:
    """The names of one kind in the dataset a command would read: ids, then names for sources."""
    from reconcile.errors import ReconcileError
    from reconcile.io.load import load

    try:
        dataset = load(ctx.find_root().params.get("data"))
    except ReconcileError:
        return []  # a dataset that does not load has nothing to offer; `validate` says why
    if kind == "metric":
        return [*dataset.metrics, *dataset.groups]
    if kind == "subject":
        return list(dataset.subjects)
    return [*dataset.sources, *(s.short for s in dataset.sources.values() if s.short)]


def complete_metric(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of metric and group names, from the dataset the command would read."""
    return [name for name in _names(ctx, "metric") if name.startswith(incomplete)]


def complete_source(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of source ids and short names."""
    needle = incomplete.casefold()
    return [name for name in _names(ctx, "source") if name.casefold().startswith(needle)]


def complete_subject(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of subject ids."""
    return [name for name in _names(ctx, "subject") if name.startswith(incomplete)]


def _day(text: str, *, last: bool = False) -> datetime:
    """A date written YYYY-MM-DD, or a month (YYYY-MM) or a year (YYYY): its first day, or with
    `last` its last day, so that --until 2025-06 and --as-of 2025 take in the whole of it."""
    for layout, whole in (("%Y-%m-%d", None), ("%Y-%m", "month"), ("%Y", "year")):
        try:
            day = datetime.strptime(text, layout)
        except ValueError:
            continue
        if last and whole == "month":
            day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        elif last and whole == "year":
            day = day.replace(month=12, day=31)
        return day
    raise typer.BadParameter(
        f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2025-01-13 (or a month, 2025-01, or a year, 2025)"
    )


def _last_day(text: str) -> datetime:
    return _day(text, last=True)


def _date_option(flag: str, help: str, *, last: bool = False) -> typer.models.OptionInfo:
    """A date option; a month or a year given stands for its first day, or with `last` its last."""
    # typer.Option is declared to return Any, so that it can stand as any parameter's default.
    return cast(
        typer.models.OptionInfo,
        typer.Option(
            flag,
            parser=_last_day if last else _day,
            metavar="DATE",
            help=help
            + " (YYYY-MM-DD; a month or a year stands for its "
            + ("last" if last else "first")
            + " day)",
            show_default=False,
        ),
    )


def _version(value: bool) -> None:
    if value:
        print(f"reconcile {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="RECONCILE_DATA",
            metavar="FILE",
            help="Dataset file to use (before or after the command) instead of the folder's or the shipped one.",
            dir_okay=True,
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    allow_outside: Annotated[
        bool,
        typer.Option(
            "--allow-outside",
            help="Read cited documents that lie outside the dataset's folder (refused by default).",
        ),
    ] = False,
) -> None:
    """Reconcile conflicting casualty and troop-strength estimates, with citations.

    Example: reconcile show casualties
    """
    ctx.obj = data
    if allow_outside:
        from reconcile.io.where import ALLOW_OUTSIDE

        os.environ[ALLOW_OUTSIDE] = "1"  # read by the checks, and part of what the cache is keyed on


def _fail(message: str) -> NoReturn:
    from reconcile.output.escape import terminal

    # Messages name ids, keys and paths from the dataset: none may reach the terminal as a command.
    print(f"Error: {terminal(message)}", file=sys.stderr)
    raise typer.Exit(1)


def _wrote(output: Path) -> None:
    from reconcile.output.escape import terminal

    # A name made from data ("-o $name.csv" in a loop) may hold escape sequences too.
    print(f"wrote {terminal(str(output))}", file=sys.stderr)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn the library's errors into `Error: ...` on stderr and exit code 1."""
    from reconcile.errors import DatasetError, ReconcileError
    from reconcile.output.escape import terminal

    try:
        yield
    except DatasetError as exc:
        for problem in exc.problems:
            # One line each, whatever the keys of the YAML hold: a newline in a field path would
            # print a made-up problem, an escape sequence would be run.
            print(terminal(str(problem)), file=sys.stderr)
        noun = "problem" if len(exc.problems) == 1 else "problems"
        _fail(f"{exc.what} has {len(exc.problems)} {noun}")
    except ReconcileError as exc:
        _fail(str(exc))


def _load(ctx: typer.Context, about: str | None = None) -> Dataset:
    """The dataset --data names; `about`, a metric or group, is all the command looks at."""
    from reconcile.io.load import load

    return load(ctx.obj, only=None if about is None else [about])


def _filters(
    dataset: Dataset,
    subject: str | None,
    sources: list[str] | None,
    as_of: datetime | None,
    since: datetime | None,
    until: datetime | None,
) -> Filters:
    from reconcile.analysis.claims import named_filters

    def day(value: datetime | None) -> date | None:
        return value.date() if value else None

    return named_filters(dataset, subject, sources or (), day(as_of), day(since), day(until))


def _dataset_path(ctx: typer.Context) -> Path:
    """The dataset file --data names, or the one found from the working directory."""
    from reconcile.io.where import resolve_path

    return resolve_path(ctx.obj)


def _print_json(result: object, dataset: Path | None) -> None:
    """Print a result as JSON; an object names the dataset it was made from, as `dataset`."""
    from reconcile.io.where import shown_path
    from reconcile.output.json import dumps, plain

    data = plain(result)
    if isinstance(data, dict) and dataset is not None:
        data["dataset"] = shown_path(dataset)
    sys.stdout.write(dumps(data))


# Options shared by the commands that select claims or print them as JSON.
AsOfOption = Annotated[
    datetime | None, _date_option("--as-of", "Only what had been claimed by this date.", last=True)
]
SinceOption = Annotated[datetime | None, _date_option("--since", "Only claims made on or after this date.")]
UntilOption = Annotated[
    datetime | None, _date_option("--until", "Only claims made on or before this date.", last=True)
]
SourceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        help="Only this source (id or part of its name); repeatable.",
        autocompletion=complete_source,
    ),
]
SubjectOption = Annotated[
    str | None,
    typer.Option(
        "--subject", help="Only this subject (id or part of its name).", autocompletion=complete_subject
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print the same data as JSON.")]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Write over the dataset, a document it cites, or the file read.")
]


def _refuse_to_replace(
    ctx: typer.Context, output: Path | None, force: bool, dataset: Dataset | None = None, *read: Path
) -> None:
    """Stop before -o writes over the dataset, a document it cites or a file the command reads.

    A command that does not read the dataset (import, schema) reads it here for its documents; a
    dataset that cannot be read has none to protect, and the command is not stopped by its faults.
    """
    from reconcile.errors import ReconcileError
    from reconcile.io.load import load
    from reconcile.io.where import dataset_inputs, refuse_to_replace, resolve_path

    if output is not None:
        if dataset is None:
            try:
                dataset = load(resolve_path(ctx.obj))
            except ReconcileError:
                pass
        documents = () if dataset is None else (d.file for d in dataset.documents.values())
        inputs = [*dataset_inputs(resolve_path(ctx.obj), documents), *((f, "the file read") for f in read)]
        refuse_to_replace(output, inputs, force=force)


def _print_result(
    ctx: typer.Context, result: object, as_json: bool, drawn: Callable[[], RenderableType]
) -> None:
    """Print a result as JSON, or as its renderer draws it for the terminal (drawn only then)."""
    if as_json:
        _print_json(result, _dataset_path(ctx))
    else:
        from reconcile.output import terminal as render

        with render.drawing():
            renderable = drawn()
        render.emit(renderable)


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder to write the copy into (made if need be).")
    ],
    force: Annotated[bool, typer.Option("--force", help="Write over a dataset already in DIR.")] = False,
) -> None:
    """Write an editable copy of the shipped dataset into DIR: DIR/data/estimates.yaml, the documents
    it cites (DIR/seeds/) and its JSON Schema (DIR/schema/), so that every path still resolves.

    Commands run anywhere inside DIR then use DIR/data/estimates.yaml.

    Example: reconcile init my-dataset
    """
    from reconcile.io.init import init as copy
    from reconcile.output.escape import terminal

    with _user_errors():
        copied = copy(folder, force=force)
    print(terminal(f"wrote {copied.dataset} and {len(copied.files) - 1} more files into {copied.folder}"))
    print(terminal(f"edit {copied.dataset}, then run `reconcile validate` inside {copied.folder}"))


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(help="Dataset to validate (default: --data or the shipped one).", show_default=False),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the counts, or every problem, as JSON.")
    ] = False,
) -> None:
    """Validate a dataset: schema, references, intervals and every quote against its document.

    Prints every problem as file:line:col: field: message and exits 1, or a one-line summary.
    With --json the same goes to stdout as JSON, and the exit code is the same.

    Example: reconcile validate data/estimates.yaml
    """
    from reconcile.io import validation
    from reconcile.io.load import load
    from reconcile.io.where import resolve_path

    with _user_errors():
        target = resolve_path(path or ctx.obj)
        if as_json:
            result = validation.validate_file(target)
            _print_json(result, target)
            raise typer.Exit(0 if result.valid else 1)
        dataset = load(target)
    from reconcile.output.escape import terminal

    print(terminal(validation.summary_line(validation.summarise(target, dataset))))


@app.command()
def show(
    ctx: typer.Context,
    metric: Annotated[
        str, typer.Argument(help="A metric (killed) or a group (casualties).", autocompletion=complete_metric)
    ],
    all_claims: Annotated[
        bool, typer.Option("--all", help="Every claim, not only each originator's latest.")
    ] = False,
    as_of: AsOfOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    subject: SubjectOption = None,
    incidents: Annotated[
        bool, typer.Option("--incidents", help="List each lone incident and period count, not only how many.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Side-by-side claims for a metric or group, with ranges and how far they disagree.

    First the headline (as `reconcile summary` prints it), then one table per metric, subject and
    scope (cumulative, period and incident counts are never mixed; projections stand apart), then
    the spread: envelope, median of best values, largest/smallest ratio and number of originators.
    Lone counts of single incidents and periods are counted, and listed with --incidents.

    Example: reconcile show casualties --as-of 2025-01-01
    """
    from reconcile.analysis import compare as analysis
    from reconcile.output import terminal as render

    with _user_errors():
        dataset = _load(ctx, metric)
        filters = _filters(dataset, subject, source, as_of, since, until)
        # Printed as tables, an estimate names only the claims set aside as stale; as JSON, every one.
        result = analysis.show(
            dataset,
            metric,
            filters,
            all_claims=all_claims,
            set_aside_for=None if as_json else render.SHOWN_SET_ASIDE,
        )
    _print_result(ctx, result, as_json, lambda: render.show(result, incidents=incidents))


@app.command()
def summary(
    ctx: typer.Context,
    metric: Annotated[
        str | None,
        typer.Argument(
            help="A metric (killed) or a group (casualties); every metric if left out.",
            autocompletion=complete_metric,
        ),
    ] = None,
    as_of: AsOfOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    subject: SubjectOption = None,
    as_json: JsonFlag = False,
) -> None:
    """The headline figures: a line per metric, subject and scope with the estimate (low, best,
    high, method, as of), the claims it used and set aside, the originators and the newest claim.

    Example: reconcile summary casualties
    """
    from reconcile.analysis import compare as analysis
    from reconcile.output import terminal as render

    with _user_errors():
        dataset = _load(ctx, metric)
        filters = _filters(dataset, subject, source, as_of, since, until)
        result = analysis.summary(dataset, metric, filters)
    _print_result(ctx, result, as_json, lambda: render.summary(result))


@app.command()
def metrics(
    ctx: typer.Context,
    as_json: JsonFlag = False,
) -> None:
    """List the metrics, their units and groups, and how many claims each has.

    Example: reconcile metrics
    """
    from reconcile.analysis import compare as analysis
    from reconcile.output import terminal as render

    with _user_errors():
        items = analysis.metric_list(_load(ctx))
    # An object, not a bare list, so that it names its dataset as every --json does.
    _print_result(ctx, {"metrics": items}, as_json, lambda: render.metrics(items))


@app.command()
def sources(
    ctx: typer.Context,
    as_json: JsonFlag = False,
) -> None:
    """List the sources (originators), what kind they are, and how many claims each has.

    Example: reconcile sources
    """
    from reconcile.analysis import compare as analysis
    from reconcile.output import terminal as render

    with _user_errors():
        items = analysis.source_list(_load(ctx))
    _print_result(ctx, {"sources": items}, as_json, lambda: render.sources(items))


@app.command()
def schema(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write the schema to this file instead of stdout.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Print the JSON Schema (draft-07) of the dataset format, for editors that validate YAML.

    A dataset whose first line is `# yaml-language-server: $schema=PATH` is checked and
    completed as it is typed by editors that use the YAML language server.

    Example: reconcile schema -o schema/estimates.schema.json
    """
    from reconcile.io import atomic
    from reconcile.io.jsonschema import dataset_schema_json

    text = dataset_schema_json()
    if output is None:
        sys.stdout.write(text)
        return
    with _user_errors():
        _refuse_to_replace(ctx, output, force)
        atomic.write_text(output, text)
    _wrote(output)


@app.command("import")
def import_(
    ctx: typer.Context,
    csv_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.csv",
            help="Spreadsheet of estimates, saved as CSV.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write the dataset here instead of stdout.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="TYPE=METRIC", help="Read this type as this metric; repeatable."),
    ] = None,
    aliases: Annotated[
        Path | None,
        typer.Option(
            "--aliases",
            metavar="FILE",
            dir_okay=False,
            help="YAML alias table: canonical name -> other spellings.",
        ),
    ] = None,
    subject: Annotated[
        str | None, typer.Option("--subject", help="Whose figures they are, for rows that do not say.")
    ] = None,
    party_column: Annotated[
        str | None,
        typer.Option(
            "--party-column",
            metavar="NAME",
            help="The column that flags the warring parties' own figures (default: a header naming "
            "a party, warring side, belligerent or combatant).",
        ),
    ] = None,
    metric_columns: Annotated[
        list[str] | None,
        typer.Option(
            "--metric",
            metavar="METRIC=COLUMN",
            help="A wide table: this column holds this metric, one row a date; repeatable (needs --source).",
        ),
    ] = None,
    wide_source: Annotated[
        str | None,
        typer.Option("--source", metavar="NAME", help="A wide table: the originator of every row."),
    ] = None,
    party: Annotated[
        bool | None,
        typer.Option(
            "--party/--not-party",
            help="A wide table: its originator is (or is not) a party to the conflict [default: not known].",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the import report as JSON (needs -o).")
    ] = False,
    force: ForceOption = False,
) -> None:
    """Turn a spreadsheet (CSV) of estimates into a claims dataset that validates.

    Reads date (dd/mm/yyyy, d/m/yyyy or ISO), estimate_low, estimate_high, estimate, type,
    source ("US officials (via NYT)"), source_url, country or subject, and a party flag. Rows that
    cannot be read are listed with the reason on stderr; the rest become claims.

    A wide table (a date column and one column per metric, every row from one originator) is read
    with --source, --subject and one --metric METRIC=COLUMN per column; a cell holds digits or a
    wording such as "about 2,800" or "more than 4,500".

    Example: reconcile import estimates.csv --map 'killed in action=killed' -o imported.yaml
    """
    from reconcile.io import atomic, importer
    from reconcile.io.where import refuse_unprintable_name
    from reconcile.output import terminal as render

    if as_json and output is None:
        raise typer.BadParameter(
            "--json prints the report on stdout, so the dataset needs -o FILE", param_hint="--json"
        )
    with _user_errors():
        if output is not None:
            refuse_unprintable_name(output)
        _refuse_to_replace(ctx, output, force, None, csv_file, *([aliases] if aliases else []))
        table = importer.AliasTable()
        if aliases is not None:
            table = table.extended(importer.load_aliases(aliases))
        result = importer.import_csv(
            csv_file,
            output_name=output.name if output else "imported.yaml",
            mapping=importer.parse_mapping(mapping or ()),
            aliases=table,
            default_subject=subject,
            party_column=party_column,
            wide=importer.wide_table(metric_columns or (), wide_source, subject, party),
        )
        if output is not None:
            atomic.write_text(output, result.yaml)
    if output is None:
        sys.stdout.write(result.yaml)
    if as_json:
        _print_json(result.report, output)
    else:
        render.console(stderr=True).print(render.import_report(result.report, output), soft_wrap=True)


@app.command()
def timeline(
    ctx: typer.Context,
    metric: Annotated[
        str, typer.Argument(help="A metric (killed) or a group (casualties).", autocompletion=complete_metric)
    ],
    as_of: AsOfOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    subject: SubjectOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Every claim about a metric or group in date order, and a chart of how the figures moved.

    One table per metric, subject and scope (cumulative figures apart from period and incident
    counts), oldest claim first. Under it a chart: one line per claim, its low-high range on an
    axis shared by the lines (logarithmic when the values span more than 10x), open bounds drawn
    as arrows, and a claim superseded by a later one of the same originator drawn as ○.

    Example: reconcile timeline killed_or_wounded
    """
    from reconcile.analysis.timeline import timeline as evolution
    from reconcile.output import terminal as render

    with _user_errors():
        dataset = _load(ctx, metric)
        result = evolution(dataset, metric, _filters(dataset, subject, source, as_of, since, until))
    _print_result(ctx, result, as_json, lambda: render.timeline(result))


@app.command()
def diff(
    ctx: typer.Context,
    source_a: Annotated[
        str,
        typer.Argument(
            metavar="SOURCE_A", help="A source: its id or part of its name.", autocompletion=complete_source
        ),
    ],
    source_b: Annotated[
        str,
        typer.Argument(
            metavar="SOURCE_B", help="The source to confront it with.", autocompletion=complete_source
        ),
    ],
    metric: Annotated[
        str | None,
        typer.Option("--metric", help="Only this metric or group.", autocompletion=complete_metric),
    ] = None,
    window: Annotated[
        int, typer.Option("--window", min=0, metavar="DAYS", help="Pair claims at most this many days apart.")
    ] = 30,
    fail_on_disagreement: Annotated[
        bool,
        typer.Option("--fail-on-disagreement", help="Exit 1 when the intervals of some pair do not overlap."),
    ] = False,
    as_of: AsOfOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    subject: SubjectOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Confront two sources: each claim of A beside B's closest-in-time claim of the same scope.

    For every metric both reported: both claims as stated, both best values, B - A, the relative
    difference (B - A) / A of the best values, and whether the intervals overlap (an open bound
    is unbounded). Then the metrics only one of them reported. Exits 0 whatever the differences.

    Example: reconcile diff nis zelensky
    """
    from reconcile.analysis import diff as diffing
    from reconcile.output import terminal as render

    with _user_errors():
        dataset = _load(ctx)
        filters = _filters(dataset, subject, None, as_of, since, until)
        result = diffing.diff(dataset, source_a, source_b, filters, metric=metric, window=window)
    _print_result(ctx, result, as_json, lambda: render.diff(result))
    if fail_on_disagreement and result.disagreements:
        print(
            f"{len(result.disagreements)} paired claims have intervals that do not overlap", file=sys.stderr
        )
        raise typer.Exit(1)


@app.command()
def changes(
    ctx: typer.Context,
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="A dataset file, or git:REV for the dataset at a revision.")
    ],
    new: Annotated[str, typer.Argument(metavar="NEW", help="A dataset file, or git:REV.")],
    as_markdown: Annotated[
        bool,
        typer.Option("--markdown", help="Print a Markdown note (for a weekly update) instead of tables."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """What changed from OLD to NEW: claims added, removed and revised (figure, date, attribution,
    quote, scope), matched by id, and how each estimate moved (default method and settings).

    git:REV reads the dataset (--data, or the one commands use) as committed at REV, e.g. git:HEAD~1,
    with the documents it cites as they were then.

    Example: reconcile changes git:HEAD data/estimates.yaml
    """
    from reconcile.analysis.changes import changes as compare
    from reconcile.io.revision import load_side
    from reconcile.io.where import resolve_path
    from reconcile.output import changes as render

    with _user_errors():
        dataset = resolve_path(ctx.obj)
        before, after = load_side(old, dataset), load_side(new, dataset)
        result = compare(before, after, old_name=old, new_name=new)
    if as_json:
        _print_json(result, None)  # its two sides are named in `old` and `new`
    elif as_markdown:
        sys.stdout.write(render.markdown(result))
    else:
        from reconcile.output.terminal import emit

        emit(render.terminal(result))


StepName = Literal["day", "week", "month"]  # estimate.Step's values; a test keeps them equal


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="Table format.")] = Format.markdown,
    view: Annotated[
        View,
        typer.Option(
            "--view",
            help="One row per claim, one per comparison with its spread, or one per date of the estimate "
            "(every --every; --since and --until bound its dates).",
        ),
    ] = View.claims,
    every: Annotated[
        StepName | None,
        typer.Option(
            "--every",
            show_default=False,
            help="With --view estimate: an estimate every day, week or month (default month).",
        ),
    ] = None,
    metric: Annotated[
        str | None,
        typer.Option(
            "--metric", "--group", help="Only this metric or group.", autocompletion=complete_metric
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            dir_okay=False,
            show_default=False,
            help="Write to this file (atomically) instead of stdout.",
        ),
    ] = None,
    as_of: AsOfOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    subject: SubjectOption = None,
    force: ForceOption = False,
) -> None:
    """A table for a report: every claim with its citation, or the spread of each metric.

    CSV (RFC 4180) and JSON keep numbers raw and dates ISO, with the date's precision, ids, the
    party flag and URLs beside them; Markdown (within 100 columns), LaTeX (a longtable that fits
    A4) and HTML format them for people, under a caption naming the metric, the date of the data
    and the version, with each claim's citation as a footnote. The JSON of the claims view has
    every field of each claim and its interval.

    Example: reconcile export --format markdown --view summary --metric casualties -o table.md
    """
    from reconcile.analysis.estimate import Step
    from reconcile.errors import ReconcileError
    from reconcile.output import export as exporting

    with _user_errors():
        dataset = _load(ctx)
        _refuse_to_replace(ctx, output, force, dataset)
        filters = _filters(dataset, subject, source, as_of, since, until)
        if every is not None and view is not View.estimate:
            raise ReconcileError("--every goes with --view estimate, a series of estimates")
        table = exporting.export(dataset, view, filters, metric=metric, every=Step(every or "month"))
        exporting.write(exporting.render(table, fmt), output)
    if output is not None:
        _wrote(output)


MethodName = Literal[
    "envelope", "median", "conservative", "weighted"
]  # estimate.Method's values; a test keeps them equal


@app.command()
def estimate(
    ctx: typer.Context,
    metric: Annotated[
        str,
        typer.Argument(
            help="A metric (killed_or_wounded) or a group (casualties).", autocompletion=complete_metric
        ),
    ],
    method: Annotated[
        MethodName, typer.Option("--method", help="How the claims used are combined.")
    ] = "median",
    max_age: Annotated[
        int | None,
        typer.Option(
            "--max-age",
            min=0,
            metavar="DAYS",
            show_default=False,
            help="Set aside claims older than this many days before the newest claim used, and carry "
            "forward those older than this before the estimate's date (default 21).",
        ),
    ] = None,
    project: Annotated[
        bool,
        typer.Option(
            "--project",
            help="Carry every claim used forward to the estimate's date by the growth the claims show, "
            "not only those older than --max-age.",
        ),
    ] = False,
    carry: Annotated[
        bool,
        typer.Option(
            "--carry/--no-carry",
            help="Carry figures older than --max-age forward to the estimate's date, their range widened "
            "by the growth the claims show; with --no-carry they are set aside as stale.",
        ),
    ] = True,
    exclude_parties: Annotated[
        bool,
        typer.Option(
            "--exclude-parties", help="Leave out claims whose originator is a party to the conflict."
        ),
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show the method's rule and every weight.")
    ] = False,
    every: Annotated[
        StepName | None,
        typer.Option(
            "--every",
            show_default=False,
            help="An estimate at every day, week or month from --since to --until, as a series.",
        ),
    ] = None,
    series_from: Annotated[
        datetime | None,
        _date_option("--since", "With --every: the series' first date (default: the earliest count)"),
    ] = None,
    series_to: Annotated[
        datetime | None,
        _date_option(
            "--until",
            "With --every: the series' last date (default: --as-of, else the latest count)",
            last=True,
        ),
    ] = None,
    as_of: AsOfOption = None,
    source: SourceOption = None,
    subject: SubjectOption = None,
    as_json: JsonFlag = False,
) -> None:
    """A reconciled low / best / high for a metric, with the claims used and those set aside, and why.

    Each originator's latest cumulative count counts once. Period and incident counts, projections,
    older or same-day duplicate claims of an originator, and claims more than --max-age days older
    than the newest claim used are set aside. A claim more than --max-age days older than the
    estimate's date (--as-of, else the latest claim) is carried forward to it, at most 365 days (or
    --max-age): its best value rises by the growth the claims show, its high twice as fast, and its
    low stays at its stated floor. Methods: envelope
    (lowest low to highest high), median (median of the best values, from the first quartile of the
    lows to the third of the highs, reaching at least as far as credible sources disagree, which also
    closes a bound no claim closes when a figure compared states one; the default), conservative (the lowest figure among sources that
    are not parties to the conflict), weighted (by source kind and recency). The other methods leave
    a bound open where a claim used leaves it open.

    With --every day, week or month, the estimate is made at each date from --since to --until and
    printed as a series: its low, best and high and the number of claims used at each date.

    Example: reconcile estimate killed_or_wounded --as-of 2025-01-13
    """
    from reconcile.analysis.estimate import (
        DEFAULT_MAX_AGE,
        Method,
        Settings,
        Step,
        estimate_series,
        estimates,
        unknown_parties,
    )
    from reconcile.errors import ReconcileError
    from reconcile.output import terminal as render

    with _user_errors():
        dataset = _load(ctx, metric)
        settings = Settings(
            method=Method(method),
            max_age=DEFAULT_MAX_AGE if max_age is None else max_age,
            project=project,
            carry=carry,
            exclude_parties=exclude_parties,
        )
        filters = _filters(dataset, subject, source, as_of, None, None)
        if every is not None:
            # Not the shared --since / --until filters: here they bound the series' dates, and a
            # claim made before --since still counts at the series' first date.
            first = series_from.date() if series_from else None
            last = series_to.date() if series_to else None
            if first is not None and last is not None and first > last:
                raise ReconcileError(
                    f"--since {first} is after --until {last}; give a first date on or before the last"
                )
            series = estimate_series(
                dataset, metric, filters, settings, every=Step(every), since=first, until=last
            )
            _print_result(ctx, series, as_json, lambda: render.estimate_series(series))
            return
        if series_from is not None or series_to is not None:
            raise ReconcileError(
                "--since and --until go with --every (a series); a single estimate takes --as-of"
            )
        result = estimates(dataset, metric, filters, settings)
    unknown = unknown_parties(result)
    if unknown:
        render.console(stderr=True).print(render.unknown_parties(unknown), soft_wrap=True)
    _print_result(ctx, result, as_json, lambda: render.estimate(result, explain=explain))


@app.command()
def plot(
    ctx: typer.Context,
    metric: Annotated[
        str, typer.Argument(help="A metric (killed) or a group (casualties).", autocompletion=complete_metric)
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            dir_okay=False,
            show_default=False,
            help="Image to write: .svg, .png or .pdf [required unless --json].",
        ),
    ] = None,
    as_of: AsOfOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    subject: SubjectOption = None,
    as_json: JsonFlag = False,
    force: ForceOption = False,
) -> None:
    """Draw the claims about a metric or group over time, with the reconciled range, as an image.

    One panel per metric and subject: each claim's low-high interval as a vertical bar at its
    date (best value as a dot, an open bound as an arrow), coloured by originator, and the
    reconciled range as a grey band. Needs matplotlib: pip install 'reconcile[plot]'.

    Example: reconcile plot casualties -o casualties.png
    """
    from reconcile.analysis.chart import chart
    from reconcile.output import plot as drawing

    if output is None and not as_json:
        raise typer.BadParameter("give the image to write, e.g. -o chart.svg", param_hint="-o")
    with _user_errors():
        dataset = _load(ctx, metric)
        _refuse_to_replace(ctx, output, force, dataset)
        figure = chart(dataset, metric, _filters(dataset, subject, source, as_of, since, until))
        if output is not None:
            drawing.write(figure, output)
    if as_json:
        _print_json(figure, _dataset_path(ctx))
    if output is not None:
        _wrote(output)


@app.command()
def check(
    ctx: typer.Context,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when there is any warning.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Report claims that contradict each other or themselves, with the lines they start on.

    Warnings: one originator's running total falling; a period or incident count above a running
    total the same originator stated that day or later; killed + wounded not meeting the same
    originator's killed-or-wounded figure of that day; a ratio claim ("nearly a third") not meeting
    the figure stated outright; a claim dated after every document that carries it; one figure
    recorded twice. Figures are compared as intervals, so the rounding in a wording is allowed for.
    Exits 0 when there are only warnings, 1 with --strict.

    Example: reconcile check --strict
    """
    from reconcile.analysis import consistency as checks
    from reconcile.io.load import load_with_lines
    from reconcile.io.where import resolve_path
    from reconcile.output import terminal as render

    with _user_errors():
        file = resolve_path(ctx.obj)
        dataset, lines = load_with_lines(file)
        report = checks.check(dataset, file=file, lines=lines)
    _print_result(ctx, report, as_json, lambda: render.check(report))
    if strict and report.warnings:
        raise typer.Exit(1)


@app.command()
def report(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            dir_okay=False,
            show_default=False,
            help="HTML file to write [required unless --json].",
        ),
    ] = None,
    metric: Annotated[
        list[str] | None,
        typer.Option("--metric", help="Only this metric; repeatable.", autocompletion=complete_metric),
    ] = None,
    group: Annotated[
        list[str] | None,
        typer.Option(
            "--group", help="Only this group's metrics; repeatable.", autocompletion=complete_metric
        ),
    ] = None,
    as_of: AsOfOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    subject: SubjectOption = None,
    as_json: JsonFlag = False,
    force: ForceOption = False,
) -> None:
    """Write one self-contained HTML page: per metric the estimate, the spread, the chart and every claim.

    Every claim is listed with its citations and verbatim quotes. The page loads nothing from the
    network (inline styles, charts as inline SVG), so it can be mailed or archived as one file.
    Charts need matplotlib (pip install 'reconcile[plot]'); without it they are left out. By
    default the report covers every group and metric.

    Example: reconcile report --group casualties -o report.html
    """
    from reconcile.io import atomic
    from reconcile.output import report as reporting
    from reconcile.output.escape import terminal

    if output is None and not as_json:
        raise typer.BadParameter("give the page to write, e.g. -o report.html", param_hint="-o")
    with _user_errors():
        dataset = _load(ctx)
        _refuse_to_replace(ctx, output, force, dataset)
        queries = [*(metric or ()), *(group or ())] or reporting.default_queries(dataset)
        from reconcile.io.fingerprint import fingerprint

        filters = _filters(dataset, subject, source, as_of, since, until)
        data = reporting.build(dataset, queries, filters, origin=fingerprint(ctx.obj))
        if output is not None:
            page, warning = reporting.page(data)
            atomic.write_text(output, page)
    if as_json:
        _print_json(data, _dataset_path(ctx))
    if output is not None:
        if warning:
            print(f"Warning: {terminal(warning)}", file=sys.stderr)
        _wrote(output)


def _command_named(args: Sequence[str]) -> str | None:
    """The command `args` run, read past the program's own options; None where they do not say."""
    tokens = iter(args)
    for token in tokens:
        name = token.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            if GLOBAL_OPTIONS[name] and "=" not in token:
                next(tokens, None)
        elif token.startswith("-"):
            return None  # --help, --version, completion, or a mistake that the whole app answers
        else:
            return token
    return None


def for_command(args: Sequence[str]) -> typer.Typer:
    """The app, holding only the command that `args` run where they name one exactly.

    Typer reads the signature of every command it holds before it runs any, some 40 ms for all of
    them; a command line runs one. Help on the program, an unknown or mistyped command (answered
    with the names it may have meant) and shell completion get every command.
    """
    name = _command_named(args)
    chosen = [
        info
        for info in app.registered_commands
        if info.callback is not None
        and (info.name or typer.main.get_command_name(info.callback.__name__)) == name
    ]
    if not chosen or "_RECONCILE_COMPLETE" in os.environ:
        return app
    one = _typer()
    one.registered_callback = app.registered_callback
    one.registered_commands = chosen
    return one


def main() -> None:
    """Run the command line (the console script)."""
    # Pydantic looks for plugins among every installed package's entry points the first time a model
    # is built (some 20 ms at every start); the command line has no use for them.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # Also under `python -m reconcile`, for help and shell completion.
    for_command(sys.argv[1:])(prog_name="reconcile")
