"""The commands: each parses nothing itself (the shared options are in :mod:`wfm.cli.options`) and calls
the library; everything heavy is imported inside the command that needs it, so ``wfm --help`` and
``wfm calc`` start fast (neither imports pyarrow nor matplotlib)."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from wfm.cli.base import check_text_output, chosen_format, command, load, named_json, show, warn
from wfm.cli.options import (
    INPUT,
    OUTPUT,
    TARGETS,
    ForecastArg,
    Format,
    Shared,
    XlsxOpt,
    parse_interval,
    plan_inputs,
    shared,
)
from wfm.cli.process import emit, run_command, say, stderr_console
from wfm.errors import ConfigError

if TYPE_CHECKING:
    from rich.console import Console

    from wfm.plan import Plan

@command
@shared(*INPUT, *TARGETS, *OUTPUT)
def size(forecast: ForecastArg, opts: Shared) -> None:
    """Agents and staff needed in every interval of FORECAST.

    A table on a terminal, CSV into a pipe or a file, JSON with -f json or into -o FILE.json. Exit code 0, or 2 on
    bad input or an impossible target.

    [bold]Examples[/bold]

      wfm size sample_forecasts/retail_voice_week_15min.csv

      wfm size forecast.csv --service-level 0.9 --answer-within 20 --shrinkage 0.35 -f csv -o need.csv

      wfm size naive_local.csv --tz Europe/London --config wfm.toml --format json
    """

    def body() -> None:
        from wfm import staffing
        from wfm.cost import requirement_costs
        from wfm.report import documents

        settings, loaded = load(forecast, opts, stderr_console())
        requirement = staffing.size(loaded, settings)
        costs = requirement_costs(requirement, settings)  # None without [sites.NAME] rates

        def table(console: Console, subject: Any) -> None:
            from wfm.report import tables  # rich: only for a table

            tables.print_requirement(console, subject)
            if costs is not None:
                tables.print_requirement_cost(console, costs)

        show(opts, opts.inputs(forecast), requirement, table,
              lambda: documents.to_csv(documents.requirement_columns(requirement)),
              lambda: documents.to_json(documents.requirement_document(requirement, costs)))

    run_command(body)


class CalcFormat(str, Enum):
    table = "table"
    json = "json"


class CalcChannel(str, Enum):
    voice = "voice"
    chat = "chat"


@command
@shared("config", *(t for t in TARGETS if t != "paid_hours"), "output", "quiet")
def calc(
    volume: Annotated[float, typer.Option("--volume", help="Contacts offered in the interval.", show_default=False)],
    aht: Annotated[float, typer.Option("--aht", help="Average handle time, seconds.", show_default=False)],
    opts: Shared,
    interval: Annotated[Optional[str], typer.Option(
        "--interval", help="Interval length, e.g. 15m, 30m, 1h \\[default: interval_minutes of --config, else 30m].",
        show_default=False)] = None,
    agents: Annotated[Optional[int], typer.Option(
        "--agents", help="Evaluate this headcount instead (the reverse question).")] = None,
    format: Annotated[Optional[CalcFormat], typer.Option(
        "--format", "-f", help="table or json \\[default: json into a file named *.json, else table].",
        show_default=False)] = None,
    channel: Annotated[Optional[CalcChannel], typer.Option(
        "--channel", help="voice, or chat (an agent holds --concurrency conversations) \\[default: voice].")] = None,
) -> None:
    """Erlang C calculator for one interval: agents needed and what each headcount around it delivers.

    Exit code 0, or 2 on bad input or an impossible target.

    [bold]Examples[/bold]

      wfm calc --volume 100 --aht 180 --interval 30m --service-level 0.8 --answer-within 20

      wfm calc --volume 100 --aht 180 --interval 30m --answer-within 20 --agents 13

      wfm calc --volume 1200 --aht 300 --interval 15m --asa 15 --format json

      wfm calc --volume 150 --aht 540 --interval 15m --channel chat --concurrency 3
    """

    def body() -> None:
        from wfm import calculator
        from wfm.config import CLI_FLAGS, load_settings, show_value
        from wfm.report import tables

        check_text_output(opts.output, format is not None, table_or_json=True)  # calc: table or json
        settings = load_settings(opts.config, opts.target_overrides())
        if opts.concurrency is not None and channel is not CalcChannel.chat:
            raise ConfigError("--concurrency applies to chat: add --channel chat")
        # the flags checked again for this channel (voice by default): one another channel could take is refused
        targets = settings.channel_targets(channel.value if channel is not None else "voice")
        abandon_flags = [CLI_FLAGS[key] for key in ("patience_s", "max_abandon_rate") if key in settings.overrides]
        if abandon_flags and targets.model != "erlang-a":  # a section elsewhere may be erlang-a: not this one
            raise ConfigError(f"{abandon_flags[0]}: this {targets.channel} calculation is on Erlang C (the "
                              f"{'[targets]' if targets.channel == 'voice' else f'[channels.{targets.channel}]'} "
                              "model), where nobody abandons; add --model erlang-a")
        if not (volume >= 0 and volume < float("inf")):
            raise ConfigError(f"--volume: expected a number of contacts >= 0, got {show_value(volume)}")
        if not (aht >= 0 and aht < float("inf")) or (aht == 0 and volume > 0):  # as a forecast row: 0 with no volume
            raise ConfigError(f"--aht: expected a handle time in seconds > 0 (0 only with --volume 0), got "
                              f"{show_value(aht)}")
        if agents is not None and agents < 0:
            raise ConfigError(f"--agents: expected a whole number >= 0, got {agents}")
        minutes = parse_interval(interval) if interval is not None else settings.interval_minutes or 30
        result = calculator.calculate(volume + 0.0, aht, minutes * 60.0, targets, agents=agents,
                                      occupancy_from=settings.origin("", targets.channel, "max_occupancy"))
        if format is CalcFormat.json or (format is None and named_json(opts.output)):
            from wfm.report import documents

            emit(documents.to_json(documents.calculation_document(result)), opts.output, opts.inputs())
        elif opts.output is None:
            tables.print_calculation(tables.terminal(), result)
        else:
            emit(tables.render_text(tables.print_calculation, result), opts.output, opts.inputs())

    run_command(body)


@command
@shared(*INPUT, *OUTPUT, help={"format": "table, csv or json (a row per queue) \\[default: table; with -o, json into "
                                       "FILE.json, else csv]."})
def validate(forecast: ForecastArg, opts: Shared) -> None:
    """Check FORECAST and print what was found: queues, interval length, date range, totals.

    Exit code 0 when the file is valid (warnings allowed), 2 when it is not. A table, unless --format csv or json
    (or -o FILE) asks for a row per queue.

    [bold]Examples[/bold]

      wfm validate sample_forecasts/multi_queue_30min.csv

      wfm validate naive_local.csv --tz America/New_York

      wfm validate forecast.csv --format json
    """

    def body() -> None:
        from wfm.forecast.model import off_day_grid
        from wfm.report import documents, tables

        _, loaded = load(forecast, opts, stderr_console())
        off_grid = off_day_grid(loaded)  # sized, not scheduled: the check a cron job runs first says so
        if off_grid is not None:
            import dataclasses

            note = f"{off_grid}: wfm schedule and wfm plan refuse it, wfm size takes it"
            warn(opts, [note])
            loaded = dataclasses.replace(loaded, warnings=(*loaded.warnings, note))  # in the JSON's warnings too
        if opts.format is None and opts.output is None:  # the table, on stdout: --quiet only silences stderr
            tables.print_overview(tables.terminal(), loaded)
            return
        show(opts, opts.inputs(forecast), loaded, tables.print_overview,
             lambda: documents.to_csv(documents.overview_columns(loaded)),
             lambda: documents.to_json(documents.overview_document(loaded)))

    run_command(body)


WeekOpt = Annotated[Optional[str], typer.Option(
    "--week", help="ISO week to plan, e.g. 2026-W49 \\[default: the forecast's first week].")]
TimeLimitOpt = Annotated[Optional[float], typer.Option(
    "--time-limit", help="Solver time limit per queue, seconds: a safety net; the solver normally stops on its "
                         "gap well before \\[default: 300].")]
DailyOpt = Annotated[bool, typer.Option("--daily", help="Independent daily shifts instead of weekly tours.")]
SitesOpt = Annotated[Optional[str], typer.Option(
    "--sites", help="Also price the same plan at each of these sites (comma-separated \\[sites.NAME] in wfm.toml), "
                    "side by side.", show_default=False)]
JobsOpt = Annotated[Optional[int], typer.Option(
    "--jobs", help="Queues scheduled at once, in worker processes (and, by wfm plan, report.html's charts drawn); "
                   "the plan is the same for any number \\[default: the CPUs available, at most 8].")]
MAX_JOBS = 8


def _jobs(jobs: Optional[int]) -> int:
    """--jobs, checked; by default the CPUs this process may use, at most MAX_JOBS."""
    if jobs is None:
        return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
                          MAX_JOBS))
    if not 1 <= jobs <= 64:
        raise ConfigError(f"--jobs: expected a whole number of processes from 1 to 64, got {jobs}")
    return jobs


def _sites_option(sites: Optional[str], settings: Any) -> list[str]:
    """``--sites a,b``: the named sites, each with rates in the settings (else a ConfigError)."""
    if sites is None:
        return []
    names = [name.strip() for name in sites.split(",")]
    for name in names:
        if name not in settings.sites:
            priced = ", ".join(sorted(settings.sites)) or "none"
            raise ConfigError(f"--sites: site {name!r} has no [sites.{name}] rates in the configuration "
                              f"(sites with rates: {priced})")
    return list(dict.fromkeys(names))


def _make_plan(forecast: Path, opts: Shared, week: Optional[str], time_limit: Optional[float],
               daily: bool, jobs: Optional[int] = None, sites: Optional[str] = None) -> tuple[Plan, dict[str, Any]]:
    """Load, then plan the week, with a status line on a terminal; the plan and its inputs' checksums."""
    from rich.markup import escape

    from wfm.config import show_value
    from wfm.plan import make_plan, parse_week
    from wfm.scheduling.rules import MAX_TIME_LIMIT_S

    if week is not None:  # named by its flag (make_plan names its parameter), before the forecast is read
        parse_week(week, "--week")
    if time_limit is not None and not 0 < time_limit <= MAX_TIME_LIMIT_S:
        raise ConfigError(f"--time-limit: expected seconds > 0 and at most {MAX_TIME_LIMIT_S:g} (a day), "
                          f"got {show_value(time_limit)}")
    processes = _jobs(jobs)
    err = stderr_console()
    settings, loaded = load(forecast, opts, err)
    price_at = _sites_option(sites, settings)  # before the solve, not after it
    status = err.status("Planning") if not opts.quiet and err.is_terminal else None
    if status:
        status.start()
    try:
        plan = make_plan(loaded, settings, week=week, tours=False if daily else None, time_limit_s=time_limit,
                         progress=(lambda text: status.update(escape(text))) if status else None, jobs=processes,
                         names={"week": "--week"})
    finally:
        if status:
            status.stop()
    if price_at:
        import dataclasses

        from wfm.cost import plan_cost

        plan = dataclasses.replace(plan, costs_at={name: cost for name in price_at if (cost := plan_cost(
            plan, settings.sites, settings.contract, site=name)) is not None})  # None only without [sites]
    warn(opts, plan.notes, "note")
    for warning in plan.warnings:  # even with --quiet: the plan may not be reproducible
        say("warning", warning)
    # Checksums of the bytes actually read and planned (hashed while reading), not of a re-read.
    inputs: dict[str, Any] = {Path(loaded.path).name: loaded.source_sha256}
    if opts.config is not None:
        inputs[opts.config.name] = settings.source_sha256
    return plan, inputs


def _verdict(plan: Plan) -> int:
    """Exit code 0 when the plan meets the targets, 1 (misses listed on stderr) when it does not."""
    for miss in plan.misses:
        say("target missed", miss)
    return 0 if plan.meets_targets else 1


@command
@shared(*INPUT, *TARGETS, *OUTPUT)
def schedule(forecast: ForecastArg, opts: Shared, week: WeekOpt = None, time_limit: TimeLimitOpt = None,
             daily: DailyOpt = False, jobs: JobsOpt = None, sites: SitesOpt = None) -> None:
    """Shifts or weekly tours that cover FORECAST's requirement: headcount, FTE, seats, service level.

    Shift rules come from the \\[schedule] section of --config. Exit code 0 when the plan meets the
    targets, 1 when it misses them (listed on stderr), 2 on bad input, 3 when the solver found no plan within
    the time limit.

    [bold]Examples[/bold]

      wfm schedule sample_forecasts/retail_voice_week_15min.csv

      wfm schedule forecast.csv --week 2026-W49 --config wfm.toml --time-limit 60 -f csv -o shifts.csv

      wfm schedule forecast.csv --daily --format json
    """

    def body() -> int:
        from wfm.report import documents, plan_documents, tables

        plan, checksums = _make_plan(forecast, opts, week, time_limit, daily, jobs, sites)

        def json_text() -> str:
            document = plan_documents.plan_document(plan, checksums)
            document["shifts"] = documents.records(plan_documents.shift_columns(plan))
            return documents.to_json(document)

        show(opts, opts.inputs(forecast), plan, tables.print_schedule,
              lambda: documents.to_csv(plan_documents.shift_columns(plan)), json_text)
        return _verdict(plan)

    run_command(body)


@command
@shared(*INPUT, *TARGETS, "quiet", help={"quiet": "Print only the misses and the plan's own warnings (a week chosen "
                                                  "from a longer forecast, a time limit that fired), on stderr: no "
                                                  "summary table, progress or other warnings."})
def plan(
    forecast: ForecastArg,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the plan into (new, empty, or a plan wfm "
                                                    "wrote; replaced as a whole).", show_default=False)],
    opts: Shared,
    week: WeekOpt = None,
    time_limit: TimeLimitOpt = None,
    daily: DailyOpt = False,
    jobs: JobsOpt = None,
    sites: SitesOpt = None,
    xlsx: XlsxOpt = False,
    simulate_replications: Annotated[Optional[int], typer.Option(
        "--simulate", help="Check the plan by simulation with this many replications (seed 1): summary.json "
                           "and report.html show the simulated service level beside the formula's.")] = None,
) -> None:
    """The weekly plan, for cron: sizing, shifts, seats and evaluation written into --out.

    Writes requirements.csv, shifts.csv, coverage.csv, summary.json and report.html (one page, charts
    inline, no network needed) into a temporary folder that then takes the place of --out, so an
    interrupted run never leaves half a plan; the same input gives byte-identical CSV and JSON. Exit code
    0 when the plan meets the targets, 1 when it misses them (listed on stderr), 2 on bad input or an
    --out that is not a plan folder, 3 when the solver found no plan within the time limit.

    [bold]Examples[/bold]

      wfm plan sample_forecasts/retail_voice_week_15min.csv --out plan-2026-W49

      wfm plan forecast.csv --week 2026-W49 --config wfm.toml --out /srv/wfm/next-week --quiet
    """

    def body() -> int:
        from wfm.outputs import check_folder
        from wfm.report import plan_files, tables

        sources = opts.inputs(forecast)
        check_folder(out, inputs=sources)  # refuse a wrong --out before the solve, not after it
        if simulate_replications is not None:
            from wfm.simulation.run import check_options

            check_options(simulate_replications, 0.0, None, None, names={"replications": "--simulate"})  # before the solve
        result, checksums = _make_plan(forecast, opts, week, time_limit, daily, jobs, sites)
        if simulate_replications is not None:
            import dataclasses

            from wfm.simulation.run import simulate_plan

            report = simulate_plan(result, replications=simulate_replications)
            result = dataclasses.replace(result, simulation=report)
            warn(opts, report.notes, "note")  # summary.json holds them too
        plan_files.write_plan(result, out, checksums, input_paths=sources, xlsx=xlsx, jobs=_jobs(jobs))
        if not opts.quiet:
            tables.print_plan(tables.terminal(), result)
            slash = "" if str(out).endswith("/") else "/"
            print(f"Wrote {out}{slash}: requirements.csv, shifts.csv, coverage.csv, summary.json, report.html"
                  + (", plan.xlsx" if xlsx else ""))
        return _verdict(result)

    run_command(body)


@command
@shared(*INPUT, *TARGETS, *OUTPUT)
def simulate(
    forecast: ForecastArg,
    opts: Shared,
    plan: Annotated[Optional[Path], typer.Option(
        "--plan", help="A plan folder (wfm plan --out DIR): simulate its shifts, breaks and shrinkage.")] = None,
    agents: Annotated[Optional[int], typer.Option(
        "--agents", help="Simulate this many agents in every open interval instead.")] = None,
    from_size: Annotated[bool, typer.Option(
        "--from-size", help="Simulate the sized requirement (agents on the phones per interval) instead.")] = False,
    replications: Annotated[int, typer.Option("--replications", help="Independent runs.")] = 20,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same output.")] = 1,
    volume_cv: Annotated[float, typer.Option(
        "--volume-cv", help="Forecast error: each day's volume times a gamma factor with this coefficient of "
                            "variation.")] = 0.0,
    aht_cv: Annotated[Optional[float], typer.Option(
        "--aht-cv", help="Lognormal handle times with this coefficient of variation \\[default: exponential].")] = None,
) -> None:
    """Simulate FORECAST's queues contact by contact and compare with the Erlang formulas, per interval and day.

    Exit code 0, or 2 on bad input. Intervals where the formula falls outside the simulation's 95 %
    confidence interval are flagged.

    [bold]Examples[/bold]

      wfm simulate sample_forecasts/retail_voice_week_15min.csv --plan plan-2026-W49

      wfm simulate forecast.csv --agents 40 --replications 50 --aht-cv 0.5 -f json -o check.json
    """

    def body() -> None:
        from wfm.report import documents, simulation
        from wfm.simulation.run import FLAGS, check_options, simulate_forecast

        if sum((plan is not None, agents is not None, from_size)) != 1:  # the flags by their names, before the read
            raise ConfigError("choose the agents to simulate: --plan DIR, --agents N or --from-size (exactly one)")
        check_options(replications, volume_cv, aht_cv, agents, seed, names=FLAGS)
        settings, loaded = load(forecast, opts, stderr_console())
        report = simulate_forecast(loaded, settings, plan=plan, agents=agents, from_size=from_size,
                                   replications=replications, seed=seed, volume_cv=volume_cv, aht_cv=aht_cv)
        inputs = opts.inputs(forecast, *plan_inputs(plan))
        chosen = chosen_format(opts)
        if chosen is not Format.table:  # the table prints its notes; a machine format's reader sees them on stderr
            warn(opts, report.notes, "note")
        if chosen is Format.csv and report.deferred:
            warn(opts, [f"the deferred work's day checks ({', '.join(w.queue for w in report.deferred)}) are not in "
                        "the CSV, which has one row per real-time interval: see --format json (deferred_days) or "
                        "table"], "note")
        show(opts, inputs, report, simulation.print_simulation,
              lambda: documents.to_csv(simulation.simulation_columns(report, loaded)),
              lambda: documents.to_json(simulation.simulation_document(report, loaded)))

    run_command(body)
