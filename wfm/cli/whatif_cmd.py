"""`wfm whatif`: a grid of scenarios (volume, handle time, shrinkage) with the required FTE, cost
and margin, and with --plan the service level and penalty an existing schedule would give."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from wfm.cli.base import check_page_path, command, load, show, warn
from wfm.cli.options import INPUT, OUTPUT, TARGETS, ForecastArg, Shared, page_option, plan_inputs, shared
from wfm.cli.process import run_command, stderr_console


@command
@shared(*INPUT, *(t for t in TARGETS if t != "shrinkage"), *OUTPUT)
def whatif(
    forecast: ForecastArg,
    opts: Shared,
    volume: Annotated[Optional[str], typer.Option(
        "--volume", help="Volume factors, comma-separated, e.g. 0.9,1.0,1.1.", show_default=False)] = None,
    aht: Annotated[Optional[str], typer.Option(
        "--aht", help="Handle-time factors, comma-separated, e.g. 1.0,1.05.", show_default=False)] = None,
    shrinkage: Annotated[Optional[str], typer.Option(
        "--shrinkage", help="Shrinkage values, comma-separated, e.g. 0.3,0.35 (default: as configured).",
        show_default=False)] = None,
    plan: Annotated[Optional[Path], typer.Option(
        "--plan", help="A plan folder (wfm plan --out DIR): the service level and penalty its schedule would "
                       "give under each scenario.")] = None,
    week: Annotated[Optional[str], typer.Option(
        "--week", help="ISO week to size, e.g. 2026-W49 \\[default: the plan's with --plan, else the forecast's "
                       "first week].", show_default=False)] = None,
    html: Annotated[Optional[Path], page_option(
        "Also write the grid as heat maps into this HTML page (self-contained).")] = None,
) -> None:
    """What +10 % volume or longer calls do to staffing, cost, service and margin, in one grid.

    Each scenario scales FORECAST's volume and handle time (and sets the shrinkage), sizes it again and
    prices it with the \\[sites.NAME] rates and the \\[contract] of --config. With --plan, the plan's own
    agents are re-evaluated interval by interval under each scenario (not solved again).

    [bold]Examples[/bold]

      wfm whatif forecast.csv --volume 0.9,1.0,1.1 --aht 1.0,1.05 --config wfm.toml

      wfm whatif forecast.csv --volume 1.1 --plan plan-2026-W49 --config wfm.toml -f json
    """

    def body() -> None:
        from wfm.whatif import FACTOR_RANGES, parse_factors
        from wfm.whatif import whatif as run_whatif

        volumes = parse_factors(volume, "--volume", *FACTOR_RANGES["volume"])
        ahts = parse_factors(aht, "--aht", *FACTOR_RANGES["aht"])
        shrinks = parse_factors(shrinkage, "--shrinkage", *FACTOR_RANGES["shrinkage"])
        inputs = opts.inputs(forecast, *plan_inputs(plan))
        if week is not None:  # named by its flag, before the forecast is read
            from wfm.plan import parse_week

            parse_week(week, "--week")
        settings, loaded = load(forecast, opts, stderr_console())
        scenarios = run_whatif(loaded, settings, volumes or (1.0,), ahts or (1.0,), shrinks or (None,), plan,
                               week=week, names={"shrinkage": "--shrinkage", "plan_folder": "--plan",
                                                 "week": "--week"})
        from wfm.whatif import partial_week_warnings

        warn(opts, partial_week_warnings(loaded, plan, week, "--week"))
        if plan is not None:
            from wfm.whatif import plan_target_changes, unplanned_intervals

            warn(opts, unplanned_intervals(plan, loaded, settings) + plan_target_changes(plan, loaded, settings))

        from wfm.whatif import scenario_week

        days = scenario_week(loaded, plan, week, "--week").local_start.astype("datetime64[D]")  # the week sized
        period = f"{days.min()} to {days.max()}" if days.size else ""
        page = None
        if html is not None:  # both output paths checked before anything is written: a bad one writes nothing
            from wfm.report.whatif_html import whatif_page

            check_page_path(html, opts, inputs)
            page = (html, whatif_page(f"What if: {forecast.name}", scenarios, period=period,
                                      plan=None if plan is None else Path(plan).name))
        show(opts, inputs, scenarios, lambda console, subject: _print(console, subject, period),
             lambda: _csv(scenarios), lambda: _json(scenarios, period), page)
        if plan is None and settings.sites:
            blended = sorted({settings.team_for(q) for q in loaded.queue_names if settings.team_for(q) != q})
            warn(opts, ["without --plan, cost, service level and margin are the requirement's: its staff-hours at "
                        "the site rates, before scheduling, and the bonus or penalty at the service level its agents "
                        "give (at or above the target); a plan pays more hours (these staff-hours are its Efficiency / (1 - "
                        "shrinkage) of its paid hours) and earns its own service level: --plan DIR prices a plan"
                        + (f"; the queues of blended teams ({', '.join(blended)}) are sized here each on its own, as wfm "
                           "size sizes them, which can take more staff-hours than the team's plan pays" if blended
                           else "")], "note")
        if not settings.sites:  # the service level is evaluated all the same: the plan's, or the requirement's
            warn(opts, [f"{opts.config or 'no --config'}: no [sites.NAME] rates, so no cost or margin (see the "
                        "README's \"Cost, contract P&L and what-if\")"], "note")

    run_command(body)


_COLUMNS = ("volume_factor", "aht_factor", "shrinkage", "required_fte", "cost", "margin", "service_level", "penalty")


def _print(console: Any, scenarios: Any, period: str) -> None:
    from wfm.report.numbers import money, target_pct
    from wfm.report.tables import compact_table

    priced = any(s.cost is not None for s in scenarios)
    table = compact_table(f"What if, {period}" + (": cost and margin for those days" if priced else "")
                          if period else "What if", ["Volume", "AHT", "Shrinkage", "Required FTE", "Cost", "Service level",
                                      "Bonus (-penalty)", "Margin"], left=0)
    for s in scenarios:
        table.add_row(f"x{s.volume_factor:g}", f"x{s.aht_factor:g}", "as set" if s.shrinkage is None else target_pct(s.shrinkage),
                      f"{s.required_fte:,.1f}", money(s.cost),
                      "" if s.service_level is None else f"{s.service_level:.1%}",
                      money(None if s.penalty is None else 0.0 - s.penalty), money(s.margin))
    console.print(table)


def _csv(scenarios: Any) -> str:
    lines = [",".join(_COLUMNS)]
    for s in scenarios:
        record = s.record()
        lines.append(",".join("" if record[c] is None else str(record[c]) for c in _COLUMNS))  # already rounded
    return "\n".join(lines) + "\n"


def _json(scenarios: Any, period: str) -> str:
    import json

    return json.dumps({"period": period, "scenarios": [s.record() for s in scenarios]}, indent=2) + "\n"
