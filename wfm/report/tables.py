"""What a planner reads on the terminal: rich tables for the requirement (`wfm size`), the calculator
(`wfm calc`), the forecast overview (`wfm validate`) and the plan (`wfm plan`, `wfm schedule`).

Every string that comes from the user (a queue name, a path, a break name) is printed literally, never
read as rich markup: tables are :class:`LiteralTable`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any, cast

import numpy as np
from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from wfm.report.numbers import pct, pct_against, seconds_text
from wfm.times import duration_text

_WIDEST = 100_000  # columns a table may take at its natural width

if TYPE_CHECKING:
    from wfm.calculator import Calculation
    from wfm.forecast import Forecast
    from wfm.plan import Plan
    from wfm.staffing import Requirement, Summary

# --- terminal tables -----------------------------------------------------------------------------


class LiteralTable(Table):
    """A rich Table that shows every string cell exactly as given: never parsed as console markup
    (``[/bold]``, ``[red]``, ``[link=...]``) or emoji codes (``:smile:``). Queue names, paths and break
    names come from the user's files, so every table wfm prints is one of these (see compact_table)."""

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        super().add_row(*(Text(r) if isinstance(r, str) else r for r in renderables), **kwargs)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Rendered at its natural width even where that is wider than the console (a narrow terminal, a long queue
        name): squeezed, rich would cut figures short (83.… for 83.5 %) or drop whole columns. The terminal wraps
        the longer lines instead (the consoles wfm prints to do not crop them)."""
        natural = Measurement.get(console, options.update(max_width=_WIDEST), self).maximum
        yield from super().__rich_console__(console, options.update(max_width=max(options.max_width, natural)))


def compact_table(title: str, columns: Iterable[str], left: int = 1) -> Table:
    """A compact table: the first ``left`` columns are labels, the rest right-aligned numbers.
    The title and the string cells are shown literally (they may hold queue names and paths); the
    column headers, wfm's own words, may use markup."""
    literal_title = Text(title)
    table = LiteralTable(title=literal_title, title_justify="left", box=box.SIMPLE_HEAD, title_style="bold",
                         min_width=literal_title.cell_len + 2)  # a title never wraps
    for k, name in enumerate(columns):
        table.add_column(name, justify="left" if k < left else "right", no_wrap=True)
    return table


def summary_table(title: str, summaries: list[Summary], per_day: bool) -> Table:
    """Per-day or per-queue totals: volume, peaks, hours, service level (and FTE per queue)."""
    numbers = ["Volume", "Peak\nagents", "Peak\nstaff", "Agent\nhours", "Staff\nhours", "SL"]
    if per_day:
        table = compact_table(title, ["Queue", "Day", *numbers], left=2)
    else:
        periods = sorted({s.label for s in summaries})
        title = f"{title}, {periods[0].replace('..', ' to ')}" if len(periods) == 1 else title
        table = compact_table(title, ["Queue", *([] if len(periods) == 1 else ["Period"]), "Days", *numbers, "FTE"],
                       left=1 if len(periods) == 1 else 2)
    for s in summaries:
        values = [f"{s.volume:,.0f}", str(s.peak_agents), str(s.peak_staff), f"{s.agent_hours:,.1f}",
                  f"{s.staff_hours:,.1f}", pct(s.service_level)]
        if per_day:
            table.add_row(s.queue, f"{np.datetime64(s.label, 'D').item():%a %Y-%m-%d}", *values)
        else:
            period = [] if len(periods) == 1 else [s.label.replace("..", " to ")]
            table.add_row(s.queue, *period, str(s.days), *values, f"{s.fte:,.1f}")
    return table


def intraday_table(requirement: Requirement, queue: int, max_days: int = 7) -> Table:
    """Peak agents on the phones per local hour (rows) and day (columns) for one queue."""
    f = requirement.forecast
    rows = f.queue == queue
    local = f.local_start[rows]
    day = local.astype("datetime64[D]")
    hour = ((local - day).astype("timedelta64[h]")).astype(np.int64)
    days = np.unique(day)
    shown = days[:max_days]
    note = f" (first {max_days} of {days.size} days)" if days.size > max_days else ""
    table = compact_table(f"{f.queue_names[queue]}: peak agents on the phones per hour{note}",
                   ["Hour", *(f"{d.item():%a %d}" for d in shown)])
    grid = np.full((24, shown.size), -1, dtype=np.int64)
    keep = day <= shown[-1]
    np.maximum.at(grid, (hour[keep], np.searchsorted(shown, day[keep])), requirement.agents[rows][keep])
    for h in np.flatnonzero((grid >= 0).any(axis=1)).tolist():
        table.add_row(f"{h:02d}:00", *(str(v) if v >= 0 else "" for v in grid[h].tolist()))
    return table


def print_requirement(console: Console, requirement: Requirement) -> None:
    """The table view of `wfm size`: daily summaries, queue totals, and an intraday grid per queue."""
    from wfm.staffing import daily_summary, queue_summary, total_summary

    console.print(summary_table("Per day", daily_summary(requirement), per_day=True))
    queues = queue_summary(requirement)
    console.print(summary_table("Per queue", queues + ([total_summary(requirement)] if len(queues) > 1 else []),
                                per_day=False))
    for q in range(len(requirement.forecast.queue_names)):
        console.print(intraday_table(requirement, q))


def print_requirement_cost(console: Console, costs: tuple[Mapping[str, float], float]) -> None:
    """`wfm size` with [sites.NAME] rates: what the requirement costs per queue and in all, over the
    forecast (in all, queues on one site share seats)."""
    per_queue, total = costs
    table = compact_table("Cost of the requirement", ["Queue", "Cost"])
    for queue, cost in per_queue.items():
        table.add_row(queue, f"{cost:,.2f}")
    if len(per_queue) > 1:
        table.add_row("all queues (shared seats)", f"{total:,.2f}", style="bold")
    console.print(table)


class _PipeConsole(Console):
    """A console whose closed pipe raises BrokenPipeError (the CLI ends quietly with 141), where rich would
    exit with 1, wfm's code for a plan that misses a target; and that never crops a line to its width (a table
    wider than the terminal is not cut: see :class:`LiteralTable`). It reads no emoji codes (``:smile:``) in
    wfm's own words either: rich would load its table of 3,600 emoji names to look for them in every header."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(emoji=False, **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        kwargs.setdefault("crop", False)
        super().print(*objects, **kwargs)

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


class _TrimmedLines(io.TextIOBase):
    """Text on to ``stream`` without the spaces rich pads each table line with to the table's width: a file, a
    pipe or a cron job's mail gets lines that end where their text does."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.pending = ""  # trailing spaces of the last line written, kept until the line goes on

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, last = (self.pending + text).split("\n")
        tail = last.rstrip(" ")
        self.pending = last[len(tail):]
        self.stream.write("".join(line.rstrip(" ") + "\n" for line in lines) + tail)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def terminal() -> Console:
    """The console for stdout: the terminal's width, or 160 columns into a file or pipe, where nothing is cut
    and lines carry no padding."""
    if os.isatty(1):
        return _PipeConsole(highlight=False)
    return _PipeConsole(highlight=False, width=160, file=cast("IO[str]", _TrimmedLines(sys.stdout)))


def render_text(print_to_console, *args: Any, width: int = 160) -> str:
    """What a ``print_*`` function shows, as plain text (for ``--format table -o FILE``)."""
    text = io.StringIO()
    console = _PipeConsole(file=cast("IO[str]", _TrimmedLines(text)), width=width, color_system=None, highlight=False)
    print_to_console(console, *args)
    return text.getvalue()  # as into a pipe: no padding


# --- the calculator ------------------------------------------------------------------------------


def print_calculation(console: Console, calc: Calculation) -> None:
    """The familiar Erlang calculator table: one row per headcount, the answer marked, and the target that sets it."""
    from wfm.calculator import LIMITS

    t = calc.targets
    asa = f", ASA <= {t.asa_s:g} s" if t.asa_s is not None else ""
    abandons = t.model == "erlang-a"
    model = (f" Erlang A: mean patience {t.patience_s:g} s" + (f", abandon <= {100 * t.max_abandon_rate:g}%"
             if t.max_abandon_rate is not None else "") + "." if abandons else "")
    if t.channel == "chat":
        model += (f" Chat: {t.concurrency} conversations per agent (each a server; occupancy is per conversation "
                  "slot).")
    console.print(
        f"Traffic {calc.traffic_erlangs:,.3f} Erlangs ({calc.volume:g} contacts x {calc.aht_s:g} s "
        f"in {calc.interval_s / 60:g} min). Target {100 * t.service_level:g}% in {t.answer_within_s:g} s, "
        f"occupancy <= {100 * t.max_occupancy:g}%{asa}, shrinkage {100 * t.shrinkage:g}%.{model}"
    )
    headings = ["Agents", "Service\nlevel", "ASA (s)", "Occupancy", "P(wait)", *(["Abandon"] if abandons else []),
                "Staff", ""]
    table = compact_table("", headings, left=0)
    for o in calc.options:
        mark = "<- required" if o.agents == calc.required_agents else ("meets" if o.meets_targets else "")
        table.add_row(str(o.agents), pct(o.service_level), seconds_text(o.asa_s), pct(o.occupancy),
                      pct(o.wait_probability), *([pct(o.abandon_rate)] if abandons else []), str(o.staff), mark,
                      style="bold" if mark.startswith("<") else None)
    console.print(table)
    if len(calc.options) == 1:
        verdict = "meet" if calc.options[0].meets_targets else "miss"
        console.print(f"{calc.options[0].agents} agents {verdict} the targets.")
    fewest = ("one agent, the fewest the traffic needs at all" if calc.targets.model == "erlang-a" else
              f"stability, the fewest agents that keep up with {_erlangs(calc.traffic_erlangs)} Erlangs")
    limits = " and ".join(fewest if name == "fewest" else LIMITS[name] for name in calc.limited_by)
    console.print(f"Required: {calc.required_agents} agent{'' if calc.required_agents == 1 else 's'} on the phones, "
                  f"{calc.required_staff} staff to schedule" + (f"; set by {limits}." if limits else "."))


def _erlangs(traffic: float) -> str:
    """``1,546.000`` Erlangs, or ``5.56e-09`` where three decimals would read 0.000."""
    return f"{traffic:,.3f}" if traffic >= 0.0005 else f"{traffic:.3g}"


def _short_local(text: str) -> str:
    """'2026-10-26 00:00-04:00' of an ISO local time with its offset: the wall clock and offset, to the minute."""
    return f"{text[:10]} {text[11:16]}{text[19:]}"


def print_overview(console: Console, forecast: Forecast) -> None:
    """What `wfm validate` found (:func:`wfm.forecast.overview.overview`): per queue, local date range, rows,
    intervals missing within a day (the gap warning's count, shown with --quiet too), interval length, volume,
    AHT."""
    from wfm.forecast.overview import overview

    title = (f"{forecast.path}: {forecast.n_rows:,} intervals, {len(forecast.queue_names)} queue(s)"
             + (f", zone {forecast.tz}" if forecast.tz else ""))
    table = compact_table(title, ["Queue", "First (local)", "Last (local)", "Intervals", "Missing", "Length", "Days",
                                  "Volume", "AHT (s)", "Peak\nvolume"], left=3)
    for q in overview(forecast):
        table.add_row(q.queue, _short_local(q.first_start), _short_local(q.last_start), f"{q.intervals:,}",
                      f"{q.missing_intervals:,}", f"{q.interval_minutes} min", str(q.days), f"{q.volume:,.0f}",
                      f"{q.aht_s:,.0f}", f"{q.peak_volume:,.1f}")
    console.print(table)


# --- the plan --------------------------------------------------------------------------------------


def print_plan(console: Console, plan: Plan) -> None:
    """The short terminal summary of a plan: per queue headcount, FTE, seats, service level."""
    table = compact_table(f"Plan for week {plan.week}", ["Queue", "Headcount", "FTE", "Seats", "Paid h", "Required h",
                                                  "Efficiency", "SL", "Under-staffed\nintervals", "Part-time",
                                                  "Patterns\n(1 agent)", "Solver\ngap"])
    for q in plan.queues:
        e = q.evaluation
        patterns, single = q.patterns
        table.add_row(q.queue, f"{q.schedule.headcount:,}", f"{q.fte:,.1f}", f"{q.seats.seats:,}",
                      f"{q.schedule.paid_hours:,.1f}", f"{e.required_hours:,.1f}", pct(e.efficiency),
                      pct_against(e.service_level_week, q.targets.service_level), f"{int(e.under_staffed.sum()):,}",
                      pct(q.part_time_share, 0),
                      f"{patterns} ({single})", f"{q.schedule.gap:.2%}")
    if len(plan.queues) > 1:
        table.add_row("all queues", f"{plan.headcount:,}", f"{plan.fte:,.1f}", f"{plan.seats:,}",
                      f"{plan.paid_hours:,.1f}", f"{plan.required_hours:,.1f}", pct(plan.efficiency),
                      pct_against(plan.service_level, plan.service_level_target), "", "", "", "", style="bold")
    console.print(table)
    print_deferred(console, plan)
    if plan.cost is not None or plan.costs_at:
        from wfm.report.cost_tables import print_cost  # it imports this module

        print_cost(console, plan)


def print_deferred(console: Console, plan: Plan) -> None:
    """Deferred work per queue (share answered within the response time, backlog at the week's end) and
    each blended team's paid hours against dedicated teams for the same work."""
    rows = [(q, d) for q in plan.queues for d in q.deferred]
    if rows:
        table = compact_table("Deferred work", ["Queue", "Team", "Target", "Answered in time", "Worst day",
                                                "Backlog at end"], left=3)
        for q, d in rows:
            t = plan.requirement.targets[plan.requirement.forecast.queue_names.index(d.queue)]
            table.add_row(d.queue, q.queue, f"{100 * t.service_level:g}% in {duration_text(t.answer_within_s)}",
                          pct_against(d.service_level_week, t.service_level),
                          pct_against(float(np.nanmin(d.service_level_by_day)), t.service_level),
                          f"{float(d.backlog[-1]):,.0f}")
        console.print(table)
    teams = [q for q in plan.queues if q.members]
    if teams:
        table = compact_table("Blended teams", ["Team", "Queues", "Paid h blended", "Paid h dedicated", "Saving"],
                              left=2)
        for q in teams:
            if q.dedicated_paid_hours is None:  # a member's own hours hold no shift of the rules
                table.add_row(q.queue, ", ".join(q.members), f"{q.schedule.paid_hours:,.1f}", "-",
                              "- (no dedicated team fits the rules)")
                continue
            dedicated = float(q.dedicated_paid_hours)
            saving = dedicated - q.schedule.paid_hours
            # a team that misses a target has not done the same work as the dedicated teams: no saving to claim
            claim = ("- (misses a target)" if q.misses
                     else f"{saving:,.1f} h ({pct(saving / dedicated) if dedicated > 0 else '-'})")
            table.add_row(q.queue, ", ".join(q.members), f"{q.schedule.paid_hours:,.1f}", f"{dedicated:,.1f}", claim)
        console.print(table)


def print_schedule(console: Console, plan: Plan) -> None:
    """`wfm schedule`'s table view: the tours (or shifts) per queue, then the plan summary."""
    from wfm.report.plan_documents import breaks_text

    for q in plan.queues:
        if q.schedule.tours:
            table = compact_table(f"{q.queue}: weekly tours", ["Tour", "Start", "End", "Length", "Days",
                                                               "Part-time", "Agents", "Paid h/week"], left=5)
            for t in q.schedule.tours:
                end = dt.datetime.combine(dt.date(2000, 1, 1), t.start) + dt.timedelta(hours=t.length_h)
                days = t.pattern + (f" (weeks in turn with {', '.join(t.swaps_with)})" if t.alternate_weeks else "")
                table.add_row(t.label, f"{t.start:%H:%M}", f"{end:%H:%M}", f"{t.length_h:g} h", days,
                              "yes" if t.part_time else "", f"{t.count:,}", f"{t.paid_h_per_week:g}")
        else:
            table = compact_table(f"{q.queue}: shifts", ["Day", "Start", "End", "Part-time", "Agents", "Breaks"], left=4)
            for s in q.schedule.shifts:
                table.add_row(f"{s.day:%a %Y-%m-%d}", f"{s.start_local:%H:%M}", f"{s.end_local:%H:%M}",
                              "yes" if s.part_time else "", f"{s.count:,}", breaks_text(s))
            table.columns[-1].justify = "left"  # the breaks are text
        console.print(table)
    print_plan(console, plan)
