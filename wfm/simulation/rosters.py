"""Who is on duty in a simulation: the agents of a plan folder, a constant headcount, or the sized requirement,
as individual agents' on-duty windows (:class:`wfm.simulation.engine.Agents`) in seconds from an origin.

A plan folder (``wfm plan --out DIR``) is read from its ``shifts.csv`` (each shift's local start and end, how
many agents work it and when each break starts) and ``summary.json`` (the week, each queue's remaining
shrinkage, the break lengths of the rules). The local wall-clock times are turned into instants with the UTC
offsets of the forecast's own intervals. Breaks are handed to the shift's agents in order: the first agents
take the first break time listed, and so on. The shrinkage the schedule does not model (absence, training)
makes each agent absent for the whole run with that probability in each replication.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from wfm.errors import InputError

if TYPE_CHECKING:
    from wfm.forecast import Forecast
    from wfm.scheduling.solution import Schedule
    from wfm.simulation.engine import Agents
    from wfm.staffing import Requirement

__all__ = ["Roster", "constant_roster", "sized_roster", "plan_rosters", "read_plan_folder", "PlanFolder",
           "schedule_roster"]

_BREAK = re.compile(r"^(?P<name>.+?) (?P<times>\d{2}:\d{2}x\d+(?: \d{2}:\d{2}x\d+)*)$")


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
    deferred_days: dict[str, dict[str, float]]  # summary.json: deferred queue -> day -> share answered in time


def read_plan_folder(folder: Path) -> PlanFolder:
    """Read ``summary.json`` and ``shifts.csv`` of a plan folder; a one-line InputError for anything missing or
    malformed."""
    summary_path, shifts_path = folder / "summary.json", folder / "shifts.csv"
    for path in (summary_path, shifts_path):
        if not path.is_file():
            raise InputError(f"{folder}: not a wfm plan folder: {path.name} is missing (write one with wfm plan --out)")
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        week = str(summary["week"])
        queues = summary["queues"]
        remaining = {str(q["queue"]): float(q["shrinkage"]["remaining"]) for q in queues}
        teams = {str(q["queue"]): list(q["team"]["queues"]) for q in queues if q.get("team")}
        breaks = {str(b["name"]): float(b["minutes"]) for b in summary["rules"]["schedule"]["breaks"]}
        inputs = {str(k): str(v) for k, v in summary.get("inputs", {}).items()}
        deferred_days = {str(d["queue"]): {str(x["day"]): float(x["service_level"]) for x in d["days"]}
                         for q in queues for d in q.get("deferred", [])}
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"{summary_path}: not a wfm plan summary ({type(error).__name__}: {error})") from None
    text = shifts_path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    needed = {"queue", "start", "end", "count", "breaks"}
    if not needed <= set(reader.fieldnames or ()):
        raise InputError(f"{shifts_path}: row 1: expected the columns {', '.join(sorted(needed))}")
    shifts: dict[str, list[dict[str, str]]] = {}
    for row in reader:
        shifts.setdefault(row["queue"], []).append(row)
    available: dict[str, dict[str, float]] = {}
    coverage = folder / "coverage.csv"
    if coverage.is_file():
        for row in csv.DictReader(io.StringIO(coverage.read_text(encoding="utf-8"))):
            try:
                available.setdefault(row["queue"], {})[row["interval_start"]] = float(row["available"])
            except (KeyError, ValueError):
                raise InputError(f"{coverage}: expected queue, interval_start and available columns") from None
    return PlanFolder(folder, week, shifts, remaining, teams, breaks, inputs, available, deferred_days)


def _instants(local_text: list[str], forecast: Forecast, rows: NDArray[np.int64], where: str) -> NDArray[np.int64]:
    """Local wall-clock times ("2026-11-30T08:00") as UTC epoch seconds, with the UTC offset of the forecast
    interval at or before each (the first interval's for times before it)."""
    try:
        local = np.array(local_text, dtype="datetime64[s]").astype(np.int64)
    except ValueError as error:
        raise InputError(f"{where}: a shift time is not a local date and time ({error})") from None
    known_local = forecast.local_start[rows].astype(np.int64)
    offsets = forecast.utc_offset_s[rows].astype(np.int64)
    at = np.clip(np.searchsorted(known_local, local, side="right") - 1, 0, rows.size - 1)
    return local - offsets[at]


def plan_rosters(plan: PlanFolder, forecast: Forecast, deferred_queues: frozenset[str] = frozenset()
                 ) -> tuple[list[Roster], list[str]]:
    """A roster per scheduled unit of the plan: a queue planned on its own, or a team (blended, or a deferred
    queue alone) with its deferred queues named in the roster. A plan whose queues are not in the forecast is
    an InputError."""
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
        rows, origin, _, _ = _queue_rows(forecast, q)
        deferred = tuple(m for m in members if m in deferred_queues)
        if deferred:
            origin = min(origin, *(int(forecast.interval_start[np.flatnonzero(forecast.queue == names.index(m))[0]]
                                        .astype(np.int64)) for m in deferred))
        where = f"{plan.path / 'shifts.csv'}: queue {queue!r}"
        starts = _instants([r["start"] for r in rows_of_shifts], forecast, rows, where) - origin
        ends = _instants([r["end"] for r in rows_of_shifts], forecast, rows, where) - origin
        shifts: list[tuple[float, float, int, list[tuple[float, float, int, str]]]] = []
        for row, s, e in zip(rows_of_shifts, starts.tolist(), ends.tolist()):
            count = _whole(row["count"], where)
            breaks: list[tuple[float, float, int, str]] = []
            for part in filter(None, (p.strip() for p in row["breaks"].split(";"))):
                match = _BREAK.match(part)
                if match is None or match.group("name") not in plan.break_minutes:
                    raise InputError(f"{where}: cannot read the breaks {part!r}")
                minutes = plan.break_minutes[match.group("name")]
                for item in match.group("times").split():
                    clock, n = item.split("x")
                    when = _instants([f"{row['start'][:10]}T{clock}"], forecast, rows, where)[0] - origin
                    if when < s:  # a break after midnight of a night shift
                        when += 86_400
                    breaks.append((float(when), 60.0 * minutes, int(n), match.group("name")))
            shifts.append((float(s), float(e), count, breaks))
        agents = _agents(shifts, plan.remaining_shrinkage.get(queue, 0.0))
        available = None
        if deferred and members[0] not in deferred_queues and names[q] in plan.available:
            given = plan.available[names[q]]  # coverage.csv names the team's real-time queue
            local = format_local(forecast.interval_start[rows], forecast.utc_offset_s[rows]).tolist()
            available = np.array([given.get(t, np.nan) for t in local], dtype=np.float64)
        rosters.append(Roster(names[q], rows, origin, agents, team=queue if deferred else None, deferred=deferred,
                              available=available))
    return rosters, notes


def _agents(shifts: list[tuple[float, float, int, list[tuple[float, float, int, str]]]], absent: float) -> Agents:
    """Individual agents' on-duty windows from shifts (start, end, agents, breaks as (start, seconds, agents,
    name)): each break's times are handed to the shift's agents in order, from the first agent for every break
    name, and a break cuts the agent's window in two."""
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
        for k in range(count):
            edges = [s]
            for b0, b1 in sorted(cuts[k]):
                edges += [b0, b1]
            edges.append(e)
            for w0, w1 in zip(edges[0::2], edges[1::2]):
                if w1 > w0:
                    agent.append(next_id)
                    win_start.append(w0)
                    win_end.append(w1)
            next_id += 1
    order = np.lexsort((np.array(win_start), np.array(agent, dtype=np.int64)))
    return Agents(np.array(agent, dtype=np.int64)[order], np.array(win_start)[order], np.array(win_end)[order],
                  absent_probability=absent)


def schedule_roster(forecast: Forecast, q: int, rows: NDArray[np.int64], queue_schedule: Schedule,
                    absent: float, name: str | None = None, origin_s: int | None = None) -> Roster:
    """The agents of a solved :class:`~wfm.scheduling.solution.Schedule` for queue ``q`` (``wfm plan
    --simulate``): each shift with its breaks, the remaining shrinkage as the absence probability."""
    origin = int(forecast.interval_start[rows[0]].astype(np.int64)) if origin_s is None else origin_s
    shifts = []
    for shift in queue_schedule.shifts:
        s = float(shift.start_utc.astype("datetime64[s]").astype(np.int64) - origin)
        e = float(shift.end_utc.astype("datetime64[s]").astype(np.int64) - origin)
        breaks = [(float(b.start_utc.astype("datetime64[s]").astype(np.int64) - origin), 60.0 * b.minutes, b.count,
                   b.name) for b in shift.breaks]
        shifts.append((s, e, shift.count, breaks))
    return Roster(name or forecast.queue_names[q], rows, origin, _agents(shifts, absent))


def _whole(text: str, where: str) -> int:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0 and value == int(value)):
        raise InputError(f"{where}: count must be a whole number of agents, got {text!r}")
    return int(value)
