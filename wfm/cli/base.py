"""The app every command registers with, and the two steps every command that reads a forecast shares:
:func:`load` (settings with the target flags, then the forecast, warnings on stderr) and :func:`show` (the
result as a table, CSV or JSON, on stdout or into ``--output``)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from wfm import __version__
from wfm.cli.options import Format, Shared, parse_interval
from wfm.cli.process import StderrConsole, emit, say

if TYPE_CHECKING:
    from rich.console import Console

    from wfm.config import Settings
    from wfm.forecast import Forecast


def _new_app() -> typer.Typer:
    return typer.Typer(
        help="Workforce-management staffing planner for contact centers: Erlang C sizing, shifts, seats, weekly plans.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
    )


app = _new_app()

_Command = TypeVar("_Command", bound=Callable[..., None])


def command(function: _Command) -> _Command:
    """Register ``function`` as a command of :data:`app`, its docstring as its help (:func:`help_text`)."""
    app.command(help=help_text(function.__doc__ or ""))(function)
    return function


EXAMPLE_WIDTH = 76
"""The widest line of an example in a command's help: it fits a terminal of 80 columns beside rich's margins."""


def help_text(docstring: str) -> str:
    """A command's help from its docstring, each prose paragraph on one line. typer's rich markup keeps a
    docstring's line breaks, so paragraphs wrapped at the source's 120 columns came out ragged on a terminal of 80
    (a full line, then a line of three words); rich wraps a one-line paragraph to the terminal's width. Indented
    paragraphs (the examples) keep their lines, a line longer than :data:`EXAMPLE_WIDTH` continued on the next
    with a backslash, as a shell reads it (rich broke it mid-command, the rest flush left: a first line copied
    was a broken command)."""
    import inspect

    paragraphs = inspect.cleandoc(docstring).split("\n\n")
    return "\n\n".join("\n".join(_continued(line) for line in p.splitlines()) if p.startswith(" ")
                       else p.replace("\n", " ") for p in paragraphs)


def _continued(line: str) -> str:
    """An example's line within :data:`EXAMPLE_WIDTH`, broken before an option (else between words) with `` \\``
    and an indent of four more spaces, as a shell command is continued."""
    indent = line[:len(line) - len(line.lstrip())]
    lines, current = [], line.rstrip()
    while len(current) > EXAMPLE_WIDTH and " " in current.strip():
        cut = current.rfind(" -", len(indent) + 4, EXAMPLE_WIDTH - 1)  # before an option: its value stays with it
        if cut <= len(indent) + 4:
            cut = current.rfind(" ", len(indent) + 4, EXAMPLE_WIDTH - 1)
        if cut <= len(indent) + 4:
            break
        lines.append(current[:cut] + " \\")
        current = indent + "    " + current[cut + 1:]
    return "\n".join([*lines, current])


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command that ``args`` name, or the whole app when they name none (``wfm --help``,
    ``wfm --version``, a misspelt command). A typer app builds the click command of every registered command, its
    signature read, on each run: 58 of the 787 million instructions of ``wfm calc`` (issue 7's start-up goal)."""
    from typer.main import get_command_name

    if not args:
        return app
    chosen = [info for info in app.registered_commands
              if info.callback is not None and (info.name or get_command_name(info.callback.__name__)) == args[0]]
    if not chosen:
        return app
    lean = _new_app()
    lean.registered_callback = app.registered_callback
    lean.registered_commands = chosen
    return lean


def _version(value: bool) -> None:
    if value:
        print(f"wfm {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Size, schedule and plan a contact center from a forecast CSV."""


def load(forecast: Path, opts: Shared, console: StderrConsole,
         sections_for: Sequence[str] | None = None, zone_used: bool = False) -> tuple[Settings, Forecast]:
    """Settings (with the target flags), then the forecast, with warnings on stderr: the forecast's, and each
    ``[queues.NAME]`` section that names none of ``sections_for`` (default: the forecast's queues). ``zone_used``:
    the command lays the file out on the zone's clock itself (``wfm forecast``, ``wfm backtest``), so the loader's
    warning that a file with UTC offsets did not use the zone is left out."""
    from wfm.config import load_settings
    from wfm.forecast import load_forecast

    if opts.get("output") is not None:  # a -o that will be refused is refused first, before any warning or work
        from wfm.outputs import check_file

        check_text_output(opts.output, opts.get("format") is not None)
        check_file(opts.output, inputs=opts.inputs(forecast))
    settings = load_settings(opts.config, opts.target_overrides())
    if opts.tz is not None:  # an IANA zone, as tz in wfm.toml must be (pyarrow alone would take "+05:00")
        from wfm.config import check_tz

        check_tz(opts.tz, "--tz")
    minutes = parse_interval(opts.interval) if opts.interval else settings.interval_minutes
    given_by = (f"--interval {opts.interval}" if opts.interval
                else f"interval_minutes = {minutes} in {settings.source} [forecast]")  # for a message, when given
    status = None
    if not opts.quiet and console.is_terminal:  # rich only where a status line is shown
        from rich.markup import escape

        status = console.status(f"Loading {escape(str(forecast))}")
    if status:
        status.start()
    try:
        loaded = load_forecast(forecast, tz=opts.tz or settings.tz, interval_minutes=minutes, sheet=opts.get("sheet"),
                               names={"sheet": "--sheet", "interval_minutes": given_by})
    finally:
        if status:
            status.stop()
    named = loaded.queue_names if sections_for is None else sections_for
    notes = loaded.warnings
    if zone_used:
        from wfm.forecast.zones import UnusedZoneNote

        notes = tuple(note for note in notes if not isinstance(note, UnusedZoneNote))
    warn(opts, (*settings.unknown_queue_warnings(named), *notes))
    # the queues' targets and teams, checked by every command (wfm size and validate too, not only wfm plan)
    targets = [settings.targets_for(queue, loaded.channel_of(q)) for q, queue in enumerate(loaded.queue_names)]
    settings.teams(loaded.queue_names, [t.deferred for t in targets])
    if "concurrency" in settings.overrides and all(t.channel != "chat" for t in targets):
        from wfm.errors import ConfigError  # as --patience without an erlang-a queue: a flag that would do nothing

        raise ConfigError(f"--concurrency applies to chat queues, and {forecast} has none")
    return settings, loaded


def warn(opts: Shared, notes: Iterable[str], kind: str = "warning") -> None:
    """Each note as a ``wfm: warning:`` line on stderr (or ``wfm: KIND:``), unless ``--quiet``."""
    if not opts.quiet:
        for note in notes:
            say(kind, note)


def check_page_path(page: Path, opts: Shared, inputs: tuple[Path, ...]) -> None:
    """Before anything is written, refuse (OutputError) an ``--html`` page that is also the ``--output`` file,
    and either path where :func:`wfm.outputs.write_file` would refuse it: a bad ``--output`` leaves no page."""
    from wfm.errors import OutputError
    from wfm.outputs import check_file

    output = opts.output  # None for standard output (--output - is None already)
    if output is not None and Path(output).resolve() == page.resolve():
        raise OutputError(f"{page}: is also the --output file; give the page a name of its own")
    check_file(page, inputs=inputs)
    if output is not None:
        check_file(output, inputs=inputs)


def chosen_format(opts: Shared) -> Format:
    """The format asked for, else JSON into a file named ``*.json``, CSV into another file or a pipe, and a table on
    a terminal."""
    if opts.format is not None:
        return opts.format
    if opts.output is not None:  # -o need.json is JSON; another name (need.csv, need.txt) CSV
        return Format.json if named_json(opts.output) else Format.csv
    return Format.table if sys.stdout.isatty() else Format.csv


def check_text_output(output: Path | None, format_given: bool, table_or_json: bool = False) -> None:
    """Refuse (ConfigError) an ``--output`` named as a workbook (need.xlsx) unless ``--format`` is given: the command
    writes a table, CSV or JSON, and that text under a workbook's name is a file Excel refuses to open.
    ``table_or_json``: the command's formats are table and json only (``wfm calc``), which the advice names; a file
    named .csv is refused too, for the table is not CSV."""
    if output is None or format_given:
        return
    from wfm.errors import ConfigError
    from wfm.outputs import is_workbook_name

    if table_or_json and output.suffix.lower() == ".csv":
        raise ConfigError(f"--output {output}: a CSV file's name, but this command writes a text table or JSON; "
                          "name the file .txt or .json, or give --format table to keep this name")
    if is_workbook_name(output):
        if table_or_json:  # no CSV to name the file for, nor a --format csv
            raise ConfigError(f"--output {output}: a workbook's name, but this command writes a text table or JSON; "
                              "name the file .txt or .json, or give --format table to keep this name")
        raise ConfigError(f"--output {output}: a workbook's name, but this command writes a table, CSV or JSON; "
                          "name the file .csv (Excel opens it) or .json, or give --format csv to keep this name")


def named_json(output: Path | None) -> bool:
    """Whether ``-o`` names a ``*.json`` file: JSON is written there unless ``--format`` says otherwise."""
    if output is None:
        return False
    from wfm.outputs import is_json_name

    return is_json_name(output)


def show(opts: Shared, inputs: tuple[Path, ...], subject: Any, print_table: Callable[[Console, Any], None],
         csv_text: Callable[[], str | bytes], json_text: Callable[[], str],
         page: tuple[Path, str] | None = None) -> None:
    """Show ``subject`` in the format asked for (else a table on a terminal, CSV into a pipe or a file):
    the table on the terminal or as text into ``--output``, or the CSV or JSON text. Then the ``--html`` ``page``
    (its path, checked by :func:`check_page_path`, and its text, made already): a main output that fails (a full
    disk, a closed pipe) leaves no new page, and an old one as it was."""
    _show(opts, inputs, subject, print_table, csv_text, json_text)
    if page is not None:
        from wfm.outputs import write_file

        write_file(page[0], page[1], inputs=inputs)


def _show(opts: Shared, inputs: tuple[Path, ...], subject: Any, print_table: Callable[[Console, Any], None],
          csv_text: Callable[[], str | bytes], json_text: Callable[[], str]) -> None:
    chosen = chosen_format(opts)
    if chosen is Format.table:
        from wfm.report import tables  # rich: only for a table

        if opts.output is None:
            print_table(tables.terminal(), subject)
        else:
            emit(tables.render_text(print_table, subject), opts.output, inputs)
    else:
        emit(csv_text() if chosen is Format.csv else json_text(), opts.output, inputs)
