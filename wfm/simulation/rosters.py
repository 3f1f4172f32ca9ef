"""Who is on duty in a simulation: the agents of a plan folder, a constant headcount, or the sized requirement,
as individual agents' on-duty windows (:class:`wfm.simulation.engine.Agents`) in seconds from an origin.

A plan folder (``wfm plan --out DIR``) is read from its ``shifts.csv`` (each shift's local start and end, its
length, how many agents work it and when each break starts), ``summary.json`` (the week, each queue's
remaining shrinkage, the break rules, whether the plan repeats week after week) and ``coverage.csv`` (the
agents available per interval). The local wall-clock times are turned into instants with the UTC offsets of
the forecast's own intervals (:mod:`wfm.simulation.local_times`, which also settles the repeated hour of a
fall-back night; a break time that names two instants inside its shift and window is placed where the
agents available match coverage.csv). Breaks are handed to the shift's agents in order: the first agents
take the first break time listed, and so on. The shrinkage the schedule does not model (absence, training)
makes each agent absent for the whole run with that probability in each replication.

A cyclic plan (``cyclic`` in the rules, over a whole week: :func:`wfm.scheduling.solve.whole_week_rules`)
repeats week after week, so a shift still running at the end of the week's last day also covers the first
day's early hours, as the plan counts it (``wfm.scheduling.solution._coverage``: time past the end of the
timeline wraps to its start). Its agents get a copy of the shift one timeline earlier (the timeline runs from
local midnight of the first day to local midnight after the last, 7 days give or take a DST hour): Sunday
22:00-06:00 also puts them on duty from Monday 00:00 to 06:00 of the same week, with the shift's breaks.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from wfm.errors import InputError
from wfm.scheduling.breaks import BREAK_TIME
from wfm.simulation.local_times import NONE, BreakItems, Clock, break_instants, shift_instants
from wfm.simulation.plan_summary import read_summary, read_text
from wfm.times import offset_seconds

if TYPE_CHECKING:
    from wfm.forecast import Forecast
    from wfm.scheduling.solution import Schedule
    from wfm.simulation.engine import Agents
    from wfm.staffing import Requirement

__all__ = ["Roster", "constant_roster", "sized_roster", "plan_rosters", "read_plan_folder", "PlanFolder",
           "schedule_roster"]

_BREAK = re.compile(rf"^(?P<name>.+?) (?P<times>{BREAK_TIME}(?: {BREAK_TIME})*)$")
_BREAK_FORM = "(expected a break's name and its local times with their agents, such as 'lunch 12:00x2 12:30x1')"


@dataclass(frozen=True)
class Roster:
    """One queue's agents for the simulation: windows in seconds from ``origin_s`` (UTC epoch seconds of the
    queue's first interval), and the rows of the forecast they cover."""

    queue: str
    rows: NDArray[np.int64]
    origin_s: int
    agents: Agents
    team: str | None = None  # a blended team (or a deferred queue planned alone): the plan folder's name for it
    deferred: tuple[str, ...] = ()  # the team's deferred queues, worked by the same agents
    available: NDArray[np.float64] | None = None  # the plan's agents left for the real-time queue, per interval


def _windows_from_levels(levels: NDArray[np.int64], starts_s: NDArray[np.float64], interval_s: float
                         ) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """On-duty windows for a per-interval headcount: agent i works every interval whose level is above i, in
    runs of consecutive intervals (a gap between listed intervals ends a run). Sorted by agent, then start."""
    same_run = np.diff(starts_s) == interval_s  # interval j+1 starts where j ends
    agent, start, end = [], [], []
    for i in range(int(levels.max(initial=0))):
        on = levels > i
        opens = on & ~np.concatenate(([False], on[:-1] & same_run))
        closes = on & ~np.concatenate((on[1:] & same_run, [False]))
        first, last = np.flatnonzero(opens), np.flatnonzero(closes)
        agent.append(np.full(first.size, i, dtype=np.int64))
        start.append(starts_s[first])
        end.append(starts_s[last] + interval_s)
    if not agent:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    return np.concatenate(agent), np.concatenate(start), np.concatenate(end)


def _queue_rows(forecast: Forecast, q: int) -> tuple[NDArray[np.int64], int, NDArray[np.float64], float]:
    rows = np.flatnonzero(forecast.queue == q)
    starts = forecast.interval_start[rows].astype(np.int64)
    origin = int(starts[0])
    return rows, origin, (starts - origin).astype(np.float64), float(forecast.interval_s[rows[0]])


def constant_roster(forecast: Forecast, q: int, agents: int) -> Roster:
    """``agents`` agents on duty in every listed interval of queue ``q`` (``--agents N``)."""
    from wfm.simulation.engine import Agents

    rows, origin, starts, interval_s = _queue_rows(forecast, q)
    agent, start, end = _windows_from_levels(np.full(rows.size, agents, dtype=np.int64), starts, interval_s)
    return Roster(forecast.queue_names[q], rows, origin, Agents(agent, start, end))


def sized_roster(requirement: Requirement, q: int) -> Roster:
    """The sized requirement of queue ``q``: its agents on the phones in each interval (``--from-size``)."""
    from wfm.simulation.engine import Agents

    rows, origin, starts, interval_s = _queue_rows(requirement.forecast, q)
    agent, start, end = _windows_from_levels(requirement.agents[rows].astype(np.int64), starts, interval_s)
    return Roster(requirement.forecast.queue_names[q], rows, origin, Agents(agent, start, end))


@dataclass(frozen=True)
class PlanFolder:
    """What a plan folder says: its week, the shifts per queue, the remaining shrinkage and break lengths."""

    path: Path
    week: str
    shifts: dict[str, list[dict[str, str]]]  # queue (or team) -> shifts.csv rows
    remaining_shrinkage: dict[str, float]
    teams: dict[str, list[str]]  # a blended team -> its queues
    break_minutes: dict[str, float]
    inputs: dict[str, str]
    available: dict[str, dict[str, float]]  # coverage.csv: queue -> local interval start -> agents available
    deferred_days: dict[str, dict[str, dict[str, float]]]  # summary.json: deferred queue -> measure -> day -> figure
    cyclic: bool = True  # the plan's rules: a whole week repeats (a shift past its end covers its start)
    # break name -> its rules' (earliest start h, latest end h, shortest shift h, longest shift h); h < 0: from the end
    break_windows: dict[str, list[tuple[float, float, float, float]]] = field(default_factory=dict)


def read_plan_folder(folder: Path) -> PlanFolder:
    """Read ``summary.json``, ``shifts.csv`` and (where there is one) ``coverage.csv`` of a plan folder; a one-line
    InputError for anything missing or malformed."""
    summary_path, shifts_path = folder / "summary.json", folder / "shifts.csv"
    for path in (summary_path, shifts_path):
        if not path.is_file():
            raise InputError(f"{folder}: not a wfm plan folder: {path.name} is missing (write one with wfm plan --out)")
    summary = read_summary(summary_path)  # every value checked: one line naming the file and the key
    shifts: dict[str, list[dict[str, str]]] = {}
    for number, row in _csv_rows(shifts_path, ("queue", "start", "end", "count", "breaks")):
        row[_ROW] = str(number)  # for messages: the file's row
        shifts.setdefault(row["queue"], []).append(row)
    coverage = folder / "coverage.csv"
    available = _read_coverage(coverage) if coverage.is_file() else {}
    return PlanFolder(folder, summary.week, shifts, summary.remaining_shrinkage, summary.teams, summary.break_minutes,
                      summary.inputs, available, summary.deferred_days, summary.cyclic, summary.break_windows)


def _csv_rows(path: Path, needed: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a plan folder's CSV file with their row numbers in the file (the header is row 1); a one-line
    InputError for a file without the columns ``needed``, a row with fewer cells or a file that is no CSV."""
    reader = csv.DictReader(io.StringIO(read_text(path)))
    try:
        if not set(needed) <= set(reader.fieldnames or ()):
            raise InputError(f"{path}: row 1: expected the columns {', '.join(sorted(needed))}")
        for number, row in enumerate(reader, start=2):
            short = next((column for column in needed if row[column] is None), None)
            if short is not None:  # a row with fewer cells than the header
                raise InputError(f"{path}: row {number}, column {short!r}: missing (the row has fewer cells than "
                                 "the header)")
            yield number, row
    except csv.Error as error:  # a NUL byte, an unterminated quote at the end
        raise InputError(f"{path}: not a CSV file wfm wrote ({error})") from None


_START = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})")
"""An interval start as coverage.csv writes it: local time with its UTC offset (2026-11-30T08:00:00-06:00)."""


def coverage_rows(path: Path) -> Iterator[tuple[int, str, str, float]]:
    """coverage.csv's rows as (row number, queue, interval start as written, agents available); a one-line
    InputError naming the file, row and column for a start that is no local time with its UTC offset, or agents
    that are no number >= 0. ``wfm simulate --plan`` and ``wfm whatif --plan`` read the file with it."""
    for number, row in _csv_rows(path, ("queue", "interval_start", "available")):
        if _START.fullmatch(row["interval_start"]) is None:
            raise InputError(f"{path}: row {number}, column 'interval_start': expected a local time with its UTC "
                             f"offset, such as 2026-11-30T08:00:00-06:00, got {row['interval_start']!r}")
        try:
            agents = float(row["available"])
        except ValueError:
            agents = math.nan
        if not (math.isfinite(agents) and agents >= 0):  # nan or -1: the engine's ValueError, exit 70
            raise InputError(f"{path}: row {number}, column 'available': expected a number of agents >= 0, "
                             f"got {row['available']!r}")
        yield number, row["queue"], row["interval_start"], agents


def _read_coverage(path: Path) -> dict[str, dict[str, float]]:
    """coverage.csv's agents available: queue -> local interval start -> agents (:func:`coverage_rows`)."""
    available: dict[str, dict[str, float]] = {}
    for _, queue, start, agents in coverage_rows(path):
        available.setdefault(queue, {})[start] = agents
    return available


_Shift = tuple[float, float, int, list[tuple[float, float, int, str]]]
"""A shift: (start, end, agents, breaks as (start, seconds, agents, name)), seconds from the roster's origin."""


def _week_wrap(forecast: Forecast, rows: NDArray[np.int64], cyclic: bool, origin: int) -> tuple[float, float] | None:
    """(the end of the plan's timeline, its length), seconds, the end from ``origin``, for a cyclic plan of a whole
    week (:func:`wfm.scheduling.solve.whole_week_rules`); None when the plan does not wrap."""
    from wfm.scheduling.timeline import build_timeline

    if not cyclic:
        return None
    try:
        tl = build_timeline(forecast.interval_start[rows], forecast.utc_offset_s[rows], float(forecast.interval_s[rows[0]]))
    except ValueError:  # intervals the planner could not have scheduled: nothing to wrap
        return None
    if tl.n_days != 7:
        return None
    length = tl.n * tl.interval_s
    return float(tl.start_s + length - origin), float(length)


def _break_items(rows: list[dict[str, str]], counts: list[int], plan: PlanFolder, start: NDArray[np.int64],
                 end: NDArray[np.int64], clock: Clock) -> BreakItems:
    """Every break time in the rows' ``breaks`` column (each break name's agents at most the shift's ``counts``),
    with the instants it may start at."""
    shift: list[int] = []
    name: list[str] = []
    clock_s: list[int] = []
    count: list[int] = []
    seconds: list[float] = []
    windows: list[tuple[float, float] | None] = []
    offsets: list[int | None] = []
    for i, row in enumerate(rows):
        hours = (int(end[i]) - int(start[i])) / 3600.0
        shift_agents = counts[i]
        given: dict[str, int] = {}
        where = _cell(plan, row, "breaks")
        for part in filter(None, (p.strip() for p in row["breaks"].split(";"))):
            match = _BREAK.match(part)
            if match is None:
                raise InputError(f"{where}: cannot read the breaks {part!r} {_BREAK_FORM}")
            label = match.group("name")
            if label not in plan.break_minutes:
                known = ", ".join(repr(n) for n in plan.break_minutes) or "none"
                raise InputError(f"{where}: cannot read the breaks {part!r}: {label!r} is no break of the plan's "
                                 f"rules (summary.json has {known})")
            window = next(((a, b) for a, b, shortest, longest in plan.break_windows.get(label, [])
                           if shortest <= hours < longest), None)
            for item in match.group("times").split():
                clock_text, n = item.split("x")
                agents = _whole(n, where, f"the agents of a {label} break time")
                given[label] = given.get(label, 0) + agents
                if given[label] > shift_agents:
                    raise InputError(f"{where}: {label} breaks for {given[label]:,} agents in a shift of "
                                     f"{shift_agents:,}")
                hour, minute = int(clock_text[:2]), int(clock_text[3:5])
                offset = offset_seconds(clock_text[5:]) if clock_text[5:] else None
                if hour > 23 or minute > 59 or (clock_text[5:] and offset is None):
                    raise InputError(f"{where}: cannot read the breaks {part!r} {_BREAK_FORM}")
                offsets.append(offset)
                shift.append(i)
                name.append(label)
                clock_s.append(3600 * hour + 60 * minute)
                count.append(agents)
                seconds.append(60.0 * plan.break_minutes[label])
                windows.append(window)
    return break_instants(shift, name, clock_s, count, seconds, start, end, windows, clock,
                          lambda i: _cell(plan, rows[shift[i]], "breaks"), offsets)


def _shifts(start: NDArray[np.int64], end: NDArray[np.int64], counts: list[int], items: BreakItems,
            choice: NDArray[np.int64]) -> list[_Shift]:
    """The shifts with their breaks, each break item at its chosen instant, all in seconds from the origin
    (``start``, ``end`` and ``items`` already relative to it)."""
    shifts: list[_Shift] = [(float(s), float(e), c, []) for s, e, c in zip(start.tolist(), end.tolist(), counts)]
    when = items.instants[np.arange(choice.size), choice]
    for k, w, seconds, n, label in zip(items.shift.tolist(), when.tolist(), items.seconds.tolist(),
                                       items.count.tolist(), items.name):
        shifts[k][3].append((float(w), seconds, n, label))
    return shifts


def _available(agents: Agents, starts_s: NDArray[np.float64], interval_s: float) -> NDArray[np.float64]:
    """Expected agents available per interval: on duty x (1 - absence), as the plan's coverage.csv counts them."""
    from wfm.simulation.compare import on_duty_per_interval

    on_duty = on_duty_per_interval(agents.start_s, agents.end_s, starts_s, interval_s) / interval_s
    return on_duty * (1.0 - agents.absent_probability)


def _plan_agents(start: NDArray[np.int64], end: NDArray[np.int64], counts: list[int], items: BreakItems,
                 absent: float, wrap: tuple[float, float] | None, target: NDArray[np.float64] | None,
                 starts_s: NDArray[np.float64], interval_s: float) -> tuple[Agents, int]:
    """The agents of a unit's shifts (times relative to the origin), and in how many intervals their available
    agents differ from ``target`` (coverage.csv, NaN where it has no row; None: not compared). A break item
    shifts.csv leaves with two instants (a fall-back night) takes the one that brings the available agents
    closer to ``target``, item by item (the first without a target)."""
    choice = np.zeros(items.shift.size, dtype=np.int64)

    def build(c: NDArray[np.int64]) -> Agents:
        return _agents(_shifts(start, end, counts, items, c), absent, wrap)

    if target is None:
        return build(choice), 0
    known = np.isfinite(target)

    def miss(agents: Agents) -> NDArray[np.float64]:
        return np.abs(_available(agents, starts_s, interval_s) - target)[known]

    agents = build(choice)
    best = float(miss(agents).sum())
    for i in np.flatnonzero(items.choices > 1).tolist():  # rare: the repeated hour of a fall-back night
        for c in range(1, int(items.choices[i])):
            trial = choice.copy()
            trial[i] = c
            candidate = build(trial)
            total = float(miss(candidate).sum())
            if total < best - 1e-9:
                choice, agents, best = trial, candidate, total
    return agents, int(np.sum(miss(agents) > 1e-3))  # coverage.csv has 4 decimals


def plan_rosters(plan: PlanFolder, forecast: Forecast, deferred_queues: frozenset[str] = frozenset(),
                 open_: NDArray[np.bool_] | None = None) -> tuple[list[Roster], list[str]]:
    """A roster per scheduled unit of the plan: a queue planned on its own, or a team (blended, or a deferred
    queue alone) with its deferred queues named in the roster. ``open_`` (the requirement's, per forecast row):
    a team led by a deferred queue was planned on that queue's open rows. A plan whose queues are not in the
    forecast is an InputError; a queue whose simulated agents differ from coverage.csv gets a note."""
    from wfm.forecast import format_local

    names = forecast.queue_names
    unknown = [q for q in plan.shifts if q not in names and q not in plan.teams]
    if unknown:
        raise InputError(f"{plan.path}: the plan's queue {unknown[0]!r} is not in {forecast.path}; "
                         "simulate a plan with the forecast it was made from")
    rosters: list[Roster] = []
    notes: list[str] = []
    for queue, rows_of_shifts in plan.shifts.items():
        members = plan.teams.get(queue, [queue])
        missing = [m for m in members if m not in names]
        if missing:
            raise InputError(f"{plan.path}: the plan's queue {missing[0]!r} is not in {forecast.path}; "
                             "simulate a plan with the forecast it was made from")
        q = names.index(members[0])
        rows, origin, starts_s, interval_s = _queue_rows(forecast, q)
        deferred = tuple(m for m in members if m in deferred_queues)
        if deferred:
            origin = min(origin, *(int(forecast.interval_start[np.flatnonzero(forecast.queue == names.index(m))[0]]
                                        .astype(np.int64)) for m in deferred))
            starts_s = (forecast.interval_start[rows].astype(np.int64) - origin).astype(np.float64)
        planned = rows  # the rows the plan's timeline was built from
        if open_ is not None and members[0] in deferred_queues and open_[rows].any():
            planned = rows[open_[rows]]
        where = f"{plan.path / 'shifts.csv'}: queue {queue!r}"
        clock = Clock.of(forecast, planned)
        start, end = shift_instants(rows_of_shifts, clock, lambda row, column: _cell(plan, row, column))
        counts = [_whole(row["count"], _cell(plan, row, "count")) for row in rows_of_shifts]
        items = _break_items(rows_of_shifts, counts, plan, start, end, clock)
        items = dataclasses.replace(items, instants=np.where(items.instants != NONE, items.instants - origin, NONE))
        local = format_local(forecast.interval_start[rows], forecast.utc_offset_s[rows]).tolist()
        target = None
        if not deferred and names[q] in plan.available:  # a queue planned alone: coverage.csv's available agents
            given = plan.available[names[q]]
            target = np.array([given.get(t, np.nan) for t in local], dtype=np.float64)
        agents, differ = _plan_agents(start - origin, end - origin, counts, items,
                                      plan.remaining_shrinkage.get(queue, 0.0),
                                      _week_wrap(forecast, planned, plan.cyclic, origin), target, starts_s, interval_s)
        if differ:
            notes.append(f"{where}: the simulated agents differ from the plan's coverage.csv in {differ} of "
                         f"{rows.size} intervals")
        available = None
        if deferred and members[0] not in deferred_queues and names[q] in plan.available:
            given = plan.available[names[q]]  # coverage.csv names the team's real-time queue
            available = np.array([given.get(t, np.nan) for t in local], dtype=np.float64)
        rosters.append(Roster(names[q], rows, origin, agents, team=queue if deferred else None, deferred=deferred,
                              available=available))
    return rosters, notes


def _agents(shifts: list[_Shift], absent: float, wrap: tuple[float, float] | None = None) -> Agents:
    """Individual agents' on-duty windows from shifts (start, end, agents, breaks as (start, seconds, agents,
    name)): each break's times are handed to the shift's agents in order, from the first agent for every break
    name, and a break cuts the agent's window in two. ``wrap`` (the end of a cyclic week and its length): the
    agents of a shift ending after the week's end are on duty a week's length earlier too (module docstring)."""
    from wfm.simulation.engine import Agents

    agent: list[int] = []
    win_start: list[float] = []
    win_end: list[float] = []
    next_id = 0
    for s, e, count, breaks in shifts:
        cuts: list[list[tuple[float, float]]] = [[] for _ in range(count)]
        taken: dict[str, int] = {}
        for when, seconds, n, name in breaks:
            first = taken.get(name, 0)
            for k in range(first, min(count, first + n)):
                cuts[k].append((when, when + seconds))
            taken[name] = first + n
        # a shift is shorter than the week: the copy ends before the shift starts (one agent, no overlap)
        copies = (0.0, -wrap[1]) if wrap is not None and e > wrap[0] else (0.0,)
        for k in range(count):
            edges = [s]
            for b0, b1 in sorted(cuts[k]):
                edges += [b0, b1]
            edges.append(e)
            for w0, w1 in zip(edges[0::2], edges[1::2]):
                if w1 > w0:
                    for by in copies:
                        agent.append(next_id)
                        win_start.append(w0 + by)
                        win_end.append(w1 + by)
            next_id += 1
    order = np.lexsort((np.array(win_start), np.array(agent, dtype=np.int64)))
    return Agents(np.array(agent, dtype=np.int64)[order], np.array(win_start)[order], np.array(win_end)[order],
                  absent_probability=absent)


def schedule_roster(forecast: Forecast, q: int, rows: NDArray[np.int64], queue_schedule: Schedule,
                    absent: float, name: str | None = None, origin_s: int | None = None) -> Roster:
    """The agents of a solved :class:`~wfm.scheduling.solution.Schedule` for queue ``q`` (``wfm plan
    --simulate``): each shift with its breaks, the remaining shrinkage as the absence probability, and (a
    cyclic week) the shifts past the week's end on duty at its start too."""
    origin = int(forecast.interval_start[rows[0]].astype(np.int64)) if origin_s is None else origin_s
    shifts: list[_Shift] = []
    for shift in queue_schedule.shifts:
        s = float(shift.start_utc.astype("datetime64[s]").astype(np.int64) - origin)
        e = float(shift.end_utc.astype("datetime64[s]").astype(np.int64) - origin)
        breaks = [(float(b.start_utc.astype("datetime64[s]").astype(np.int64) - origin), 60.0 * b.minutes, b.count,
                   b.name) for b in shift.breaks]
        shifts.append((s, e, shift.count, breaks))
    tl = queue_schedule.timeline
    length = tl.n * tl.interval_s
    wrap = (float(tl.start_s + length - origin), float(length)) if queue_schedule.rules.cyclic else None
    return Roster(name or forecast.queue_names[q], rows, origin, _agents(shifts, absent, wrap))


_ROW = "_row"
"""The key read_plan_folder adds to each shifts.csv row: its row number in the file (the header is row 1)."""

MAX_SHIFT_AGENTS = 100_000
"""Agents on one shift of a plan read back, and ``--agents``: a hand-edited count beyond it is refused, not
simulated (a count of 1e20 took all the memory)."""


def _cell(plan: PlanFolder, row: dict[str, str], column: str) -> str:
    """``FOLDER/shifts.csv: row N, column 'COLUMN'``, for a message."""
    return f"{plan.path / 'shifts.csv'}: row {row.get(_ROW, '?')}, column {column!r}"


def _whole(text: str, where: str, what: str = "count") -> int:
    """``text`` as a whole number of agents from 0 to MAX_SHIFT_AGENTS, else a one-line InputError."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 <= value <= MAX_SHIFT_AGENTS and value == int(value)):
        raise InputError(f"{where}: {what} must be a whole number of agents from 0 to {MAX_SHIFT_AGENTS:,}, "
                         f"got {text!r}")
    return int(value)
