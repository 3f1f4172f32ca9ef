"""``wfm capacity VOLUMES.csv``: the long-range hiring plan (see :mod:`wfm.capacity`). Registered with the app
by importing this module (wfm/cli/__init__.py); the capacity package is imported only when the command runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from wfm.cli.base import check_page_path, check_text_output, command, load, show, warn
from wfm.cli.options import INPUT, OUTPUT, TARGETS, Shared, page_option, shared
from wfm.cli.process import run_command, say, stderr_console

VolumesArg = Annotated[Path, typer.Argument(metavar="VOLUMES",
    help="Volume forecast CSV: period (2027-01 or 2027-W05), volume, aht[, queue].", show_default=False)]


@command
@shared(*INPUT, *TARGETS, *OUTPUT)
def capacity(
    volumes: VolumesArg,
    opts: Shared,
    profile: Annotated[Optional[Path], typer.Option(
        "--profile", help="A week of interval forecast (the forecast CSV) that shapes every period "
                          "\\[default: a business-hours week, see the README].")] = None,
    headcount: Annotated[Optional[float], typer.Option(
        "--headcount", help="Agents (FTE) on the payroll at the plan's start. Required here or in \\[capacity].")] = None,
    attrition: Annotated[Optional[str], typer.Option(
        "--attrition", help="Share of agents who leave within a year, e.g. 0.30; or twelve monthly shares "
                            "separated by commas, January first \\[default: 0.30].")] = None,
    training_weeks: Annotated[Optional[int], typer.Option(
        "--training-weeks", help="Weeks of training before a new agent takes contacts \\[default: 4].")] = None,
    ramp_start: Annotated[Optional[float], typer.Option(
        "--ramp-start", help="Productivity in the first week after training \\[default: 0.5].")] = None,
    ramp_weeks: Annotated[Optional[int], typer.Option(
        "--ramp-weeks", help="Weeks from --ramp-start to full productivity \\[default: 4].")] = None,
    class_min: Annotated[Optional[int], typer.Option(
        "--class-min", help="Fewest agents in a class \\[default: 8].")] = None,
    class_max: Annotated[Optional[int], typer.Option(
        "--class-max", help="Most agents in a class \\[default: 20].")] = None,
    classes_per_week: Annotated[Optional[int], typer.Option(
        "--classes-per-week", help="Classes that can start in the same week \\[default: 1].")] = None,
    lead_time_weeks: Annotated[Optional[int], typer.Option(
        "--lead-time-weeks", help="Hiring lead time: weeks from the plan's start to the first class "
                                  "\\[default: 4].")] = None,
    start: Annotated[Optional[str], typer.Option(
        "--start", help="The plan's start date, e.g. 2026-11-02: the headcount's date \\[default: the first "
                        "period's first day].")] = None,
    cost_per_fte_month: Annotated[Optional[float], typer.Option(
        "--cost-per-fte-month", help="Payroll per agent per month: fills the cost column \\[default: none].")] = None,
    cost_per_hire: Annotated[Optional[float], typer.Option(
        "--cost-per-hire", help="Recruiting and onboarding per hire \\[default: 0].")] = None,
    cost_per_class: Annotated[Optional[float], typer.Option(
        "--cost-per-class", help="A trainer and a room per class \\[default: 0].")] = None,
    html: Annotated[Optional[Path], page_option(
        "Also write the plan as a self-contained HTML page (a chart of required and productive FTE per period, the "
        "table, the classes).")] = None,
) -> None:
    """The hiring plan for months ahead: required FTE per period (Erlang, on a profile week), productive FTE
    after attrition, training and ramp, and the least-cost classes to start, and when.

    Settings also come from the \\[capacity] section of --config; with a \\[contract] there, revenue and
    margin per period (the target service level assumed met where a period is covered). Exit code 0 when every
    period is covered, 1 when some period cannot be covered by any hiring plan (each on stderr; the best plan is
    still shown), 2 on bad input.

    [bold]Examples[/bold]

      wfm capacity sample_forecasts/capacity_2027.csv --headcount 150 --attrition 0.30 --training-weeks 4

      wfm capacity volumes.csv --profile week_15min.csv --headcount 150 --cost-per-fte-month 3200 -f csv

      wfm capacity volumes.csv --config wfm.toml --start 2026-10-05 --format json -o hiring.json

      wfm capacity volumes.csv --headcount 150 --cost-per-fte-month 3200 --html capacity.html
    """

    def body() -> int:
        from wfm.capacity.inputs import read_volumes
        from wfm.capacity.report import capacity_columns, capacity_document, print_capacity
        from wfm.capacity.run import make_capacity_plan
        from wfm.capacity.settings import load_capacity_settings
        from wfm.config import load_settings
        from wfm.report import documents

        flags: dict[str, Any] = {
            "profile": profile, "headcount": headcount, "attrition": attrition, "training_weeks": training_weeks,
            "ramp_start": ramp_start, "ramp_weeks": ramp_weeks, "class_min": class_min, "class_max": class_max,
            "max_classes_per_week": classes_per_week, "lead_time_weeks": lead_time_weeks, "start": start,
            "cost_per_fte_month": cost_per_fte_month, "cost_per_hire": cost_per_hire,
            "cost_per_class": cost_per_class,
        }
        check_text_output(opts.output, opts.format is not None)
        settings = load_settings(opts.config, opts.target_overrides())  # the whole file checked first
        capacity_settings = load_capacity_settings(opts.config, flags, settings.capacity)
        loaded_volumes = read_volumes(volumes)
        shape = None
        if capacity_settings.profile is not None:  # [queues.NAME] sections are the volumes' queues, not the profile's
            settings, shape = load(capacity_settings.profile, opts, stderr_console(), loaded_volumes.queues)
            from wfm.capacity.sizing import profile_warnings

            warn(opts, profile_warnings(shape, loaded_volumes))
        else:
            _no_profile_flags(opts, settings, loaded_volumes.queues)
            warn(opts, settings.unknown_queue_warnings(loaded_volumes.queues))
        plan = make_capacity_plan(loaded_volumes, capacity_settings, settings, shape)
        checksums = {Path(loaded_volumes.path).name: loaded_volumes.source_sha256}
        if shape is not None:
            checksums[Path(shape.path).name] = shape.source_sha256
        inputs = opts.inputs(volumes, capacity_settings.profile)
        page = None
        if html is not None:  # the page's path checked before anything is written: a bad path writes nothing
            from wfm.capacity.html import render_capacity_html

            check_page_path(html, opts, inputs)
            first = int(plan.forecast.argmax())
            title = (f"Capacity plan {plan.periods[first]} to {plan.periods[-1]}: "
                     f"{Path(loaded_volumes.path).name}")
            page = (html, render_capacity_html(plan, title, checksums))
        show(opts, inputs, plan, print_capacity, lambda: documents.to_csv(capacity_columns(plan)),
             lambda: documents.to_json(capacity_document(plan, checksums)), page)
        if plan.solver_status == "stopped by the time limit":  # even with --quiet: reruns may differ
            say("warning", "the hiring plan's solver stopped on its time limit, not its node limit, so this plan may "
                           "differ between runs and machines")
        for shortfall in plan.shortfalls:
            say("target missed", str(shortfall))
        return 0 if plan.covered else 1

    run_command(body)


def _no_profile_flags(opts: Shared, settings: Any, queues: tuple[str, ...]) -> None:
    """ConfigError for a flag that only the --profile week can use, given without one (it would do nothing), and
    for --concurrency when no queue is chat (by its [queues.NAME] channel: the built-in week gives none)."""
    from wfm.errors import ConfigError

    for flag, given in (("--tz", opts.tz), ("--interval", opts.interval), ("--sheet", opts.get("sheet"))):
        if given is not None:
            raise ConfigError(f"{flag} applies to reading the --profile week, and none is given (the built-in week "
                              "is used)")
    if "concurrency" in settings.overrides and all(settings.targets_for(q).channel != "chat" for q in queues):
        raise ConfigError("--concurrency applies to chat queues, and none of the volumes' queues is chat (give a "
                          "queue channel = \"chat\" in its [queues.NAME] section, or a chat --profile)")
