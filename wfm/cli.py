"""The `wfm` command line: a thin typer layer that parses options and calls the library."""

from __future__ import annotations

import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer
from rich.console import Console

from wfm import __version__
from wfm.errors import WfmError

app = typer.Typer(
    help="Workforce-management staffing planner for contact centers: Erlang C sizing, shifts, seats, weekly plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class CalcFormat(str, Enum):
    table = "table"
    json = "json"


# --- options shared by every command -------------------------------------------------------------

ForecastArg = Annotated[Path, typer.Argument(help="Forecast CSV: interval_start, volume, aht[, queue]; - reads standard input.", show_default=False)]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="wfm.toml with targets, per-queue overrides, shift rules.")]
TzOpt = Annotated[Optional[str], typer.Option("--tz", help="IANA zone of naive timestamps, e.g. Europe/London.")]
IntervalOpt = Annotated[Optional[str], typer.Option("--interval", help="Interval length, e.g. 15m, 30m, 1h (default: inferred).")]
ServiceLevelOpt = Annotated[Optional[float], typer.Option("--service-level", help="Fraction answered within the answer time \\[default: 0.8].")]
AnswerWithinOpt = Annotated[Optional[float], typer.Option("--answer-within", help="Answer time for the service level, seconds \\[default: 30].")]
MaxOccupancyOpt = Annotated[Optional[float], typer.Option("--max-occupancy", help="Occupancy cap, fraction \\[default: 0.85].")]
AsaOpt = Annotated[Optional[float], typer.Option("--asa", help="Average speed of answer target, seconds \\[default: none].")]
ShrinkageOpt = Annotated[Optional[float], typer.Option("--shrinkage", help="Fraction of paid time off the phones \\[default: 0.3].")]
MinStaffOpt = Annotated[Optional[int], typer.Option("--min-staff", help="Agents in every open interval \\[default: 0].")]
PaidHoursOpt = Annotated[Optional[float], typer.Option("--paid-hours", help="Paid hours per FTE week \\[default: 40].")]
FormatOpt = Annotated[Optional[Format], typer.Option("--format", "-f", help="table, csv or json \\[default: table on a terminal, csv otherwise].")]
def _stdout_dash(value: Optional[Path]) -> Optional[Path]:
    """``-o -`` means stdout, like no ``-o`` at all."""
    return None if value is not None and str(value) == "-" else value


OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", callback=_stdout_dash, help="Write to this file instead of stdout ('-': stdout). Written whole or not at all; never over a folder or an input.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No warnings or progress on stderr.")]


def _target_overrides(**flags: Any) -> dict[str, Any]:
    """CLI flag values by their wfm.toml names; flags not given are None and change nothing."""
    return {
        "service_level": flags["service_level"],
        "answer_within_s": flags["answer_within"],
        "max_occupancy": flags["max_occupancy"],
        "asa_s": flags["asa"],
        "shrinkage": flags["shrinkage"],
        "min_staff": flags["min_staff"],
        "paid_hours_per_fte_week": flags["paid_hours"],
    }


_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|mins|minutes|h|hr|hours?)?\s*$", re.IGNORECASE)


def parse_interval(text: str) -> int:
    """'15m', '30', '1h' -> minutes."""
    match = _INTERVAL.match(text)
    if not match:
        raise WfmError(f"--interval: expected a length such as 15m, 30m or 1h, got {text!r}")
    value = float(match.group(1)) * (60 if (match.group(2) or "m").lower().startswith("h") else 1)
    if value != int(value) or value <= 0:
        raise WfmError(f"--interval: expected a whole number of minutes > 0, got {text!r}")
    return int(value)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _run(body: Callable[[], int | None]) -> None:
    """Run a command: a WfmError becomes one line on stderr and exit code 2; a closed stdout pipe and an
    interrupt end here, before click's own handling (which would exit 1 or print a blank line)."""
    try:
        code = body()
        sys.stdout.flush()
    except WfmError as exc:
        print(f"wfm: error: {exc}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None
    except BrokenPipeError:
        _broken_pipe()
    except KeyboardInterrupt:
        print("wfm: error: interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    raise typer.Exit(code or 0)


EXIT_OK, EXIT_TARGET_MISSED, EXIT_BAD_INPUT, EXIT_SOLVER_FAILED = 0, 1, 2, 3
EXIT_INTERNAL_ERROR = 70  # sysexits' EX_SOFTWARE: a bug in wfm, never "the plan misses a target"
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as any Unix tool whose reader went away (`wfm size | head`)


def _quiet_streams() -> None:
    """Output never fails on a character the terminal's encoding lacks (PYTHONIOENCODING=ascii),
    and no numpy warning reaches the user: the library's results already say what a warning would."""
    import warnings

    warnings.simplefilter("ignore", RuntimeWarning)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def _broken_pipe() -> None:
    """The reader of stdout went away: stop quietly, with nothing more written to the dead pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    os._exit(EXIT_BROKEN_PIPE)


def run() -> None:
    """The console script: ``app``, with every failure as one line on stderr and a meaningful exit code:
    typer's usage errors (unknown option, missing argument, bad choice) exit 2 like every other input
    error; an interrupt 130; a closed stdout pipe 141, quietly; an unexpected exception (a bug) one line
    and 70 (set WFM_DEBUG=1 for the traceback)."""
    import os

    _quiet_streams()
    args = sys.argv[1:] or ["--help"]
    try:
        code = app(args=args, prog_name="wfm", standalone_mode=False)
        sys.stdout.flush()
    except typer.TyperException as exc:
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "wfm"
        message = " ".join(exc.format_message().split())
        print(f"wfm: error: {message} (see '{where} --help')", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)
    except (typer.Abort, KeyboardInterrupt):
        print("wfm: error: interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        _broken_pipe()
    except MemoryError:
        print("wfm: error: out of memory", file=sys.stderr)
        sys.exit(EXIT_INTERNAL_ERROR)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, a distinct code
        if os.environ.get("WFM_DEBUG"):
            raise
        detail = " ".join(str(exc).split())[:300]
        print(f"wfm: internal error: {type(exc).__name__}: {detail} (a bug in wfm {__version__}; "
              "run with WFM_DEBUG=1 for the traceback and please report it)", file=sys.stderr)
        sys.exit(EXIT_INTERNAL_ERROR)
    sys.exit(code if isinstance(code, int) else 0)


def _version(value: bool) -> None:
    if value:
        print(f"wfm {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Size, schedule and plan a contact center from a forecast CSV."""


def _load(forecast: Path, config: Optional[Path], tz: Optional[str], interval: Optional[str],
          overrides: dict[str, Any], quiet: bool, console: Console):
    """Settings, then the forecast, with warnings on stderr."""
    from rich.markup import escape

    from wfm.config import load_settings
    from wfm.forecast import load_forecast

    settings = load_settings(config, overrides)
    minutes = parse_interval(interval) if interval else settings.interval_minutes
    status = console.status(f"Loading {escape(str(forecast))}") if console.is_terminal and not quiet else None
    if status:
        status.start()
    try:
        loaded = load_forecast(forecast, tz=tz or settings.tz, interval_minutes=minutes)
    finally:
        if status:
            status.stop()
    if not quiet:
        for warning in (*settings.unknown_queue_warnings(loaded.queue_names), *loaded.warnings):
            print(f"wfm: warning: {warning}", file=sys.stderr)
    return settings, loaded


def _write_stdout(text: str) -> None:
    """Write ``text`` to stdout in full: straight to the file descriptor, looping over partial writes
    (with PYTHONUNBUFFERED=1, a text write to a pipe that closes can end short without an error), so a
    closed pipe is always a BrokenPipeError. Where stdout is not a real file (a test runner), its write."""
    import os

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    data = memoryview(text.encode(sys.stdout.encoding or "utf-8", errors="replace"))
    while data:
        data = data[os.write(fd, data):]


def _emit(text: str, output: Optional[Path], inputs: tuple[Optional[Path], ...] = ()) -> None:
    """Print ``text``, or write it to ``output`` whole (wfm.outputs.write_file); ``-`` is stdout.
    The output may never be one of ``inputs`` (the forecast, the config)."""
    from wfm.report import write_atomic

    if output is None or str(output) == "-":
        _write_stdout(text)
    else:
        write_atomic(output, text, inputs=[p for p in inputs if p is not None and str(p) != "-"])


@app.command()
def size(
    forecast: ForecastArg,
    config: ConfigOpt = None,
    tz: TzOpt = None,
    interval: IntervalOpt = None,
    service_level: ServiceLevelOpt = None,
    answer_within: AnswerWithinOpt = None,
    max_occupancy: MaxOccupancyOpt = None,
    asa: AsaOpt = None,
    shrinkage: ShrinkageOpt = None,
    min_staff: MinStaffOpt = None,
    paid_hours: PaidHoursOpt = None,
    format: FormatOpt = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Agents and staff needed in every interval of FORECAST.

    [bold]Examples[/bold]

      wfm size sample_forecasts/retail_voice_week_15min.csv

      wfm size forecast.csv --service-level 0.9 --answer-within 20 --shrinkage 0.35 -f csv -o need.csv

      wfm size naive_local.csv --tz Europe/London --config wfm.toml --format json
    """

    def body() -> None:
        from wfm import report, staffing

        err = _stderr()
        overrides = _target_overrides(service_level=service_level, answer_within=answer_within,
                                      max_occupancy=max_occupancy, asa=asa, shrinkage=shrinkage,
                                      min_staff=min_staff, paid_hours=paid_hours)
        settings, loaded = _load(forecast, config, tz, interval, overrides, quiet, err)
        requirement = staffing.size(loaded, settings)
        chosen = format or (Format.table if sys.stdout.isatty() and output is None else Format.csv)
        if chosen is Format.table and output is None:
            report.print_requirement(report.terminal(), requirement)
        elif chosen is Format.table:
            _emit(report.render_text(report.print_requirement, requirement), output, (forecast, config))
        elif chosen is Format.csv:
            _emit(report.to_csv(report.requirement_columns(requirement)), output, (forecast, config))
        else:
            _emit(report.to_json(report.requirement_document(requirement)), output, (forecast, config))

    _run(body)


@app.command()
def calc(
    volume: Annotated[float, typer.Option("--volume", help="Contacts offered in the interval.", show_default=False)],
    aht: Annotated[float, typer.Option("--aht", help="Average handle time, seconds.", show_default=False)],
    interval: Annotated[str, typer.Option("--interval", help="Interval length, e.g. 15m, 30m, 1h.")] = "30m",
    agents: Annotated[Optional[int], typer.Option("--agents", help="Evaluate this headcount instead (the reverse question).")] = None,
    config: ConfigOpt = None,
    service_level: ServiceLevelOpt = None,
    answer_within: AnswerWithinOpt = None,
    max_occupancy: MaxOccupancyOpt = None,
    asa: AsaOpt = None,
    shrinkage: ShrinkageOpt = None,
    min_staff: MinStaffOpt = None,
    format: Annotated[CalcFormat, typer.Option("--format", "-f", help="table or json.")] = CalcFormat.table,
    output: OutputOpt = None,
) -> None:
    """Erlang C calculator for one interval: agents needed and what each headcount around it delivers.

    [bold]Examples[/bold]

      wfm calc --volume 100 --aht 180 --interval 30m --service-level 0.8 --answer-within 20

      wfm calc --volume 100 --aht 180 --interval 30m --agents 13

      wfm calc --volume 1200 --aht 300 --interval 15m --asa 15 --format json
    """

    def body() -> None:
        from wfm import report, staffing
        from wfm.config import load_settings

        overrides = _target_overrides(service_level=service_level, answer_within=answer_within,
                                      max_occupancy=max_occupancy, asa=asa, shrinkage=shrinkage,
                                      min_staff=min_staff, paid_hours=None)
        targets = load_settings(config, overrides).targets
        if not (volume >= 0 and volume < float("inf")):
            raise WfmError(f"--volume: expected a number of contacts >= 0, got {volume:g}")
        if not (aht > 0 and aht < float("inf")):
            raise WfmError(f"--aht: expected a handle time in seconds > 0, got {aht:g}")
        if agents is not None and agents < 0:
            raise WfmError(f"--agents: expected a whole number >= 0, got {agents}")
        result = staffing.calculate(volume, aht, parse_interval(interval) * 60.0, targets, agents=agents)
        if format is CalcFormat.json:
            _emit(report.to_json(report.calculation_document(result)), output, (config,))
        elif output is None:
            report.print_calculation(report.terminal(), result)
        else:
            _emit(report.render_text(report.print_calculation, result), output, (config,))

    _run(body)


@app.command()
def validate(
    forecast: ForecastArg,
    config: ConfigOpt = None,
    tz: TzOpt = None,
    interval: IntervalOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Check FORECAST and print what was found: queues, interval length, date range, totals.

    Exit code 0 when the file is valid (warnings allowed), 2 when it is not.

    [bold]Examples[/bold]

      wfm validate sample_forecasts/multi_queue_30min.csv

      wfm validate naive_local.csv --tz America/New_York
    """

    def body() -> None:
        from wfm import report

        _, loaded = _load(forecast, config, tz, interval, {}, quiet, _stderr())
        if not quiet:
            report.print_overview(report.terminal(), loaded)

    _run(body)


WeekOpt = Annotated[Optional[str], typer.Option("--week", help="ISO week to plan, e.g. 2026-W49 \\[default: the forecast's first week].")]
TimeLimitOpt = Annotated[Optional[float], typer.Option("--time-limit", help="Solver time limit per queue, seconds: a safety net; the solver normally stops on its gap well before \\[default: 60].")]
DailyOpt = Annotated[bool, typer.Option("--daily", help="Independent daily shifts instead of weekly tours.")]


def _make_plan(forecast: Path, config: Optional[Path], tz: Optional[str], interval: Optional[str],
               overrides: dict[str, Any], week: Optional[str], time_limit: Optional[float], daily: bool,
               quiet: bool):
    """Load, then plan the week, with a status line on a terminal."""
    from rich.markup import escape

    from wfm.plan import make_plan
    from wfm.shifts import MAX_TIME_LIMIT_S

    if time_limit is not None and not 0 < time_limit <= MAX_TIME_LIMIT_S:
        raise WfmError(f"--time-limit: expected seconds > 0 and at most {MAX_TIME_LIMIT_S:g} (a day), got {time_limit:g}")
    err = _stderr()
    settings, loaded = _load(forecast, config, tz, interval, overrides, quiet, err)
    show = err.is_terminal and not quiet
    status = err.status("Planning") if show else None
    if status:
        status.start()
    try:
        plan = make_plan(loaded, settings, week=week, tours=False if daily else None, time_limit_s=time_limit,
                         progress=(lambda text: status.update(escape(text))) if status else None)
    finally:
        if status:
            status.stop()
    if not quiet:
        for note in plan.notes:
            print(f"wfm: note: {note}", file=sys.stderr)
    # Checksums of the bytes actually read and planned (hashed while reading), not of a re-read.
    inputs = {Path(loaded.path).name: loaded.source_sha256}
    if config is not None:
        inputs[config.name] = settings.source_sha256
    return plan, inputs


def _verdict(plan) -> int:
    """Exit code 0 when the plan meets the targets, 1 (misses listed on stderr) when it does not."""
    for miss in plan.misses:
        print(f"wfm: target missed: {miss}", file=sys.stderr)
    return 0 if plan.meets_targets else 1


@app.command()
def schedule(
    forecast: ForecastArg,
    week: WeekOpt = None,
    time_limit: TimeLimitOpt = None,
    daily: DailyOpt = False,
    config: ConfigOpt = None,
    tz: TzOpt = None,
    interval: IntervalOpt = None,
    service_level: ServiceLevelOpt = None,
    answer_within: AnswerWithinOpt = None,
    max_occupancy: MaxOccupancyOpt = None,
    asa: AsaOpt = None,
    shrinkage: ShrinkageOpt = None,
    min_staff: MinStaffOpt = None,
    paid_hours: PaidHoursOpt = None,
    format: FormatOpt = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Shifts or weekly tours that cover FORECAST's requirement: headcount, FTE, seats, service level.

    Shift rules come from the [schedule] section of --config. Exit code 0 when the plan meets the
    targets, 1 when it misses them (listed on stderr), 2 on bad input.

    [bold]Examples[/bold]

      wfm schedule sample_forecasts/retail_voice_week_15min.csv

      wfm schedule forecast.csv --week 2026-W49 --config wfm.toml --time-limit 60 -f csv -o shifts.csv

      wfm schedule forecast.csv --daily --format json
    """

    def body() -> int:
        from wfm import plan_report, report

        overrides = _target_overrides(service_level=service_level, answer_within=answer_within,
                                      max_occupancy=max_occupancy, asa=asa, shrinkage=shrinkage,
                                      min_staff=min_staff, paid_hours=paid_hours)
        plan, inputs = _make_plan(forecast, config, tz, interval, overrides, week, time_limit, daily, quiet)
        chosen = format or (Format.table if sys.stdout.isatty() and output is None else Format.csv)
        if chosen is Format.table and output is None:
            plan_report.print_schedule(report.terminal(), plan)
        elif chosen is Format.table:
            _emit(report.render_text(plan_report.print_schedule, plan), output, (forecast, config))
        elif chosen is Format.csv:
            _emit(report.to_csv(plan_report.shift_columns(plan)), output, (forecast, config))
        else:
            document = plan_report.plan_document(plan, inputs)
            document["shifts"] = report.records(plan_report.shift_columns(plan))
            _emit(report.to_json(document), output, (forecast, config))
        return _verdict(plan)

    _run(body)


@app.command()
def plan(
    forecast: ForecastArg,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the plan into (replaced as a whole).", show_default=False)],
    week: WeekOpt = None,
    time_limit: TimeLimitOpt = None,
    daily: DailyOpt = False,
    config: ConfigOpt = None,
    tz: TzOpt = None,
    interval: IntervalOpt = None,
    service_level: ServiceLevelOpt = None,
    answer_within: AnswerWithinOpt = None,
    max_occupancy: MaxOccupancyOpt = None,
    asa: AsaOpt = None,
    shrinkage: ShrinkageOpt = None,
    min_staff: MinStaffOpt = None,
    paid_hours: PaidHoursOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """The weekly plan, for cron: sizing, shifts, seats and evaluation written into --out.

    Writes requirements.csv, shifts.csv, coverage.csv, summary.json and report.html (one page, charts
    inline, no network needed) into a temporary folder that is then renamed to --out, so an interrupted
    run never leaves half a plan; the same input gives byte-identical CSV and JSON. Exit code 0 when the
    plan meets the targets, 1 when it misses them (listed on stderr), 2 on bad input.

    [bold]Examples[/bold]

      wfm plan sample_forecasts/retail_voice_week_15min.csv --out plan-2026-W49

      wfm plan forecast.csv --week 2026-W49 --config wfm.toml --out /srv/wfm/next-week --quiet
    """

    def body() -> int:
        from wfm import plan_report, report

        overrides = _target_overrides(service_level=service_level, answer_within=answer_within,
                                      max_occupancy=max_occupancy, asa=asa, shrinkage=shrinkage,
                                      min_staff=min_staff, paid_hours=paid_hours)
        from wfm.outputs import check_folder

        sources = [p for p in (forecast, config) if p is not None and str(p) != "-"]
        check_folder(out, inputs=sources)  # refuse a wrong --out before the solve, not after it
        result, inputs = _make_plan(forecast, config, tz, interval, overrides, week, time_limit, daily, quiet)
        plan_report.write_plan(result, out, inputs, input_paths=sources)
        if not quiet:
            plan_report.print_plan(report.terminal(), result)
            print(f"Wrote {out}{'' if str(out).endswith('/') else '/'}: requirements.csv, shifts.csv, coverage.csv, summary.json, report.html")
        return _verdict(result)

    _run(body)
