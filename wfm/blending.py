"""Teams that do deferred work: one schedule for a team's real-time queue and its deferred queues.

Queues that share a ``team`` (``[queues.NAME] team = "..."``) are worked by the same agents. A team
works the hours of its real-time queue (or, without one, the open hours of its first deferred queue).
Real-time work is covered interval by interval; deferred work (email, social, back office) may be
done whenever its response target still holds, so the schedule's integer program places it where
the real-time requirement leaves room, under cumulative-capacity constraints
(:class:`wfm.scheduling.deferred_load.DeferredLoad`): by the end of every interval the team must have
done the work the sized due curve says is due (:func:`wfm.deferred.required_agents`), and never work
that has not arrived yet.

The hours worked. A deferred queue is worked in its open intervals that are also the team's (its
``open_hours``, default every listed interval, within the hours the team works). When the team works
fewer of them than the queue is open (e-mail listed around the clock, a team working the voice queue's
08:00-20:00), the queue's due curve is sized again over the intervals the team works
(``works`` in :func:`wfm.deferred.required_agents`): work due while the team is off is due by the
end of its last interval before (the week's last, for work due before its first in the next week: the week
repeats), as for a deferred queue on its own. The curves count the work a week leaves to the next first
(``DeferredRequirement.carry_s``: it arrives at the week's start, with its deadlines), and ask the week to leave
no more than that. A target no staffing meets in those hours is a one-line
ConfigError before the team is scheduled (:func:`check_team_hours`). The queue's own open hours still set
its "open" response clock, and the team does its work only in them (``DeferredLoad.workable``).

Units. The schedule counts agents on shift and not on break; one of them does
``interval_s x max_occupancy x (1 - remaining shrinkage)`` seconds of deferred work per interval.

The plan then checks itself: the real-time queue is evaluated with the agents left after deferred
work, and each deferred queue by the first-in first-out backlog model with the capacity the schedule
gave it. A blended team also reports the paid hours of dedicated teams for the same work (each
queue scheduled alone), so the saving is measured, not assumed.

A team blends at most one real-time queue: pooling several real-time queues (multi-skill routing) is
not modelled.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from wfm.config import Settings
from wfm.deferred_sizing import deferred_cycle_s
from wfm.errors import ConfigError
from wfm.misses import target_misses
from wfm.plan import DeferredOutcome, QueuePlan, _evaluate_live, _seats, _Solver
from wfm.scheduling.deferred_load import DeferredLoad
from wfm.scheduling.evaluation import Evaluation, evaluate
from wfm.scheduling.shrinkage import split_shrinkage
from wfm.scheduling.solution import Schedule
from wfm.staffing import Requirement, shortfall_priority
from wfm.times import duration_text

__all__ = ["check_team_hours", "plan_team", "team_rows", "worked_rows"]


def plan_team(solve: _Solver, team: str, members: list[int], settings: Settings) -> QueuePlan:
    """Schedule one team: ``members`` are queue numbers, its real-time queue (if any) first.

    Raises ConfigError (one line naming the queue, the target and the most that can be answered) when a
    deferred queue's target cannot be met in the intervals the team works."""
    req, rules = solve.requirement, solve.rules
    f = req.forecast
    names = f.queue_names
    member_rows = [np.flatnonzero(f.queue == q) for q in members]
    lengths = {float(f.interval_s[rows[0]]) for rows in member_rows}
    if len(lengths) > 1:
        raise ConfigError(f"{settings.source}: team {team!r}: its queues have intervals of "
                          f"{' and '.join(f'{s / 60:g}' for s in sorted(lengths))} minutes; a team's queues need one "
                          "interval length")
    interval_s = lengths.pop()
    lead, rows = members[0], team_rows(req, members[0])
    live = not req.targets[lead].deferred
    if not live:
        if rows.size == 0:
            raise ConfigError(f"{settings.source}: queue {names[lead]!r}: its open hours hold none of the forecast's "
                              "intervals, so nobody can work it")
    targets = req.targets[lead]
    shrinkage = split_shrinkage(targets.shrinkage, rules)
    starts, offsets = f.interval_start[rows], f.utc_offset_s[rows]
    required = req.agents[rows] / (1.0 - shrinkage.remaining) if live else np.zeros(rows.size)
    priority = shortfall_priority(req, rows) if live and rules.weight_by_service_level else None
    later = [q for q in members if req.targets[q].deferred]
    if not live and len(members) == 1:
        # A team of one deferred queue: schedule its sized staffing (one level a day, which meets the target
        # on its own) as a requirement to cover, and check the work it does with the backlog model.
        required = req.agents[rows] / (1.0 - shrinkage.remaining)
        team_schedule = solve(starts, offsets, interval_s, required, site=settings.site_for(names[lead]))
        worked_by_load: tuple[NDArray[np.float64], ...] = (team_schedule.on_phones,)
    else:
        curves = _team_curves(req, members, starts)
        loads = tuple(_load(req, q, starts, interval_s, rules, curves[q]) for q in later)
        team_schedule = solve(starts, offsets, interval_s, required, priority, loads, site=settings.site_for(names[lead]))
        worked_by_load = team_schedule.deferred_worked

    outcomes = tuple(_outcome(req, q, starts, interval_s, worked, rules) for q, worked in zip(later, worked_by_load))
    if live:
        left = dataclasses.replace(team_schedule,
                                   on_phones=team_schedule.on_phones - sum(team_schedule.deferred_worked, np.zeros(rows.size)))
        evaluation = _evaluate_live(req, lead, rows, left, shrinkage)
        misses = target_misses(names[lead], targets, evaluation, f.local_start[rows])
    else:
        evaluation = _deferred_evaluation(req, rows, team_schedule, shrinkage.remaining, outcomes[0])
        misses = ()
    for q, outcome in zip(later, outcomes):
        misses += _deferred_misses(outcome, req.targets[q])
    if live:  # the deferred work's agent-hours join the real-time requirement's
        work_h = sum(float(o.worked_agents.sum()) for o in outcomes) * interval_s / 3600
        required_h = evaluation.required_hours + work_h
        evaluation = dataclasses.replace(evaluation, required_hours=required_h,
                                         efficiency=required_h / evaluation.paid_hours if evaluation.paid_hours else 0.0)
    dedicated = None
    if len(members) > 1:
        try:
            dedicated = sum(_dedicated_paid_hours(solve, q) for q in members)
        except ConfigError:  # a queue's own hours hold no shift of these rules: no dedicated team to compare with
            dedicated = None
    return QueuePlan(team, targets, rows, shrinkage, team_schedule, evaluation, _seats(team_schedule, settings.seat_rules),
                     misses, settings.site_for(names[lead]), members=tuple(names[q] for q in members) if len(members) > 1
                     else (), deferred=outcomes, dedicated_paid_hours=dedicated)


def check_team_hours(requirement: Requirement, members: Sequence[int]) -> None:
    """Check that each deferred queue of a team (``members``: queue numbers, its real-time queue, if any,
    first) can meet its target in the intervals the team works; ConfigError (one line naming the queue,
    the target and the most that can be answered) if not. :func:`plan_team` checks this before it
    schedules; it needs no solve, so a caller may check every team before scheduling any."""
    _team_curves(requirement, members, requirement.forecast.interval_start[team_rows(requirement, members[0])])


def team_rows(req: Requirement, lead: int) -> NDArray[np.int64]:
    """The forecast rows a team led by queue ``lead`` works: all of the lead's rows for a real-time lead, its
    open ones for a deferred lead (the team's timeline in :func:`plan_team`)."""
    rows = np.flatnonzero(req.forecast.queue == lead)
    return rows[req.open_[rows]] if req.targets[lead].deferred else rows


def _team_curves(req: Requirement, members: Sequence[int], starts: NDArray[np.datetime64]) -> dict[int, _Curves]:
    """Each deferred member's curves for a team that works the intervals starting at ``starts`` (its lead
    queue's: the real-time queue's rows, or the open rows of a deferred lead)."""
    lead = req.forecast.queue_names[members[0]]
    return {q: _curves(req, q, worked_rows(req, q, starts), lead) for q in members if req.targets[q].deferred}


def _work_per_agent_s(req: Requirement, q: int, interval_s: float, rules) -> float:
    """Seconds of deferred work one scheduled agent (on shift, not on break) does in one interval."""
    t = req.targets[q]
    return interval_s * t.max_occupancy * (1.0 - split_shrinkage(t.shrinkage, rules).remaining)


def _at_ends(req: Requirement, rows: NDArray[np.int64], cumulative: NDArray[np.float64],
             starts: NDArray[np.datetime64], interval_s: float) -> NDArray[np.float64]:
    """A queue's cumulative curve (per row, at the row's end) read at the end of each team interval."""
    step = np.timedelta64(int(interval_s), "s")
    ends = req.forecast.interval_start[rows] + step
    pos = np.searchsorted(ends, starts + step, side="right") - 1
    return np.where(pos >= 0, cumulative[np.maximum(pos, 0)], 0.0)


def worked_rows(req: Requirement, q: int, starts: NDArray[np.datetime64]) -> NDArray[np.bool_]:
    """Per row of queue ``q``: the team works it there (an open row of the queue that is a team interval)."""
    rows = np.flatnonzero(req.forecast.queue == q)
    return req.open_[rows] & np.isin(req.forecast.interval_start[rows], starts)


class _Curves(NamedTuple):
    """A deferred queue's cumulative curves per row of the queue (seconds of work at each row's end) and
    where the team works it."""

    due_s: NDArray[np.float64]
    arrived_s: NDArray[np.float64]
    works: NDArray[np.bool_]


def _curves(req: Requirement, q: int, works: NDArray[np.bool_], lead: str) -> _Curves:
    """Queue ``q``'s due and arrived curves for a team that works it in the rows ``works``: the sized ones
    when the team works every open row of the queue, else the queue sized again over the rows it works
    (module docstring). Raises ConfigError naming the queue when no staffing meets its target there."""
    from wfm import deferred

    f = req.forecast
    rows = np.flatnonzero(f.queue == q)
    if np.array_equal(works, req.open_[rows]):
        return _Curves(req.due_work_s[rows], req.arrived_work_s[rows], works)
    t = req.targets[q]
    day_ids, day = np.unique(f.local_start[rows].astype("datetime64[D]"), return_inverse=True)
    try:
        sized = deferred.required_agents(
            f.interval_start[rows].astype(np.int64), float(f.interval_s[rows[0]]), f.volume[rows], f.aht_s[rows],
            req.open_[rows], response_within_s=t.answer_within_s, level=t.service_level, clock=t.response_clock,
            max_occupancy=t.max_occupancy, day=day.astype(np.int64), min_staff=t.min_staff,
            day_labels=[str(d) for d in day_ids], works=works, cycle_s=deferred_cycle_s(f, rows))
    except ConfigError as error:
        raise ConfigError(f"queue {f.queue_names[q]!r} (worked in the hours of {lead!r}): {error}") from None
    return _Curves(sized.due_s, sized.arrived_s, works)


def _load(req: Requirement, q: int, starts: NDArray[np.datetime64], interval_s: float, rules,
          curves: _Curves) -> DeferredLoad:
    """The deferred queue's due curve and arrivals, in scheduled agent-intervals per team interval, worked
    only in the team intervals that are rows the team works it in."""
    rows = np.flatnonzero(req.forecast.queue == q)
    per_agent = _work_per_agent_s(req, q, interval_s, rules)
    due = _at_ends(req, rows, curves.due_s, starts, interval_s) / per_agent
    arrived = _at_ends(req, rows, curves.arrived_s, starts, interval_s) / per_agent
    workable = np.isin(starts, req.forecast.interval_start[rows[curves.works]])
    return DeferredLoad(req.forecast.queue_names[q], due, np.maximum(arrived, due), workable)


def _outcome(req: Requirement, q: int, starts: NDArray[np.datetime64], interval_s: float,
             worked: NDArray[np.float64], rules) -> DeferredOutcome:
    """What the schedule's deferred capacity gives queue ``q``, by the FIFO backlog model."""
    from wfm import deferred

    f = req.forecast
    t = req.targets[q]
    rows = np.flatnonzero(f.queue == q)
    where = np.searchsorted(starts, f.interval_start[rows])
    inside = (where < starts.size) & (starts[np.minimum(where, starts.size - 1)] == f.interval_start[rows])
    scheduled = np.where(inside, worked[np.minimum(where, starts.size - 1)], 0.0)
    capacity_s = scheduled * _work_per_agent_s(req, q, interval_s, rules)
    # The queue's own open hours set its clock (with response_clock = "open"); the team works it only in its
    # own intervals, so capacity is zero elsewhere.
    m = deferred.measures(f.interval_start[rows].astype(np.int64), interval_s, f.volume[rows], f.aht_s[rows],
                          req.open_[rows], capacity_s, response_within_s=t.answer_within_s, clock=t.response_clock,
                          cycle_s=deferred_cycle_s(f, rows))
    local_days = f.local_start[rows].astype("datetime64[D]")
    days, day = np.unique(local_days, return_inverse=True)
    by_day = deferred.share_within(m, f.volume[rows], day.astype(np.int64))
    week = float(deferred.share_within(m, f.volume[rows], np.zeros(rows.size, dtype=np.int64))[0])
    # a day or week without items has no share answered in time (none, "-" in the tables), as a real-time queue's
    # without contacts has no service level; share_within's 1.0 there is what sizing needs, not a figure to show
    items = np.bincount(day.astype(np.int64), f.volume[rows], minlength=days.size)
    by_day = np.where(items > 0, by_day, np.nan)
    week = week if items.sum() > 0 else float("nan")
    remaining = split_shrinkage(t.shrinkage, rules).remaining
    return DeferredOutcome(f.queue_names[q], rows, scheduled * (1.0 - remaining), m.service_level, m.mean_response_s,
                           m.backlog, days, by_day, week, t.service_level)


def _deferred_evaluation(req: Requirement, rows: NDArray[np.int64], team_schedule: Schedule, remaining: float,
                         outcome: DeferredOutcome) -> Evaluation:
    """A deferred-only team's evaluation: coverage as for any schedule, the service level that of its work."""
    f = req.forecast
    n = rows.size
    base = evaluate(team_schedule, np.zeros(n), np.ones(n), 0.0, volume=f.volume[rows], remaining_shrinkage=remaining,
                    required_on_phones=req.agents[rows].astype(np.float64))
    at = np.searchsorted(outcome.rows, rows)
    level = outcome.service_level[at]
    by_day = np.full(base.days.size, np.nan)
    where = np.searchsorted(outcome.days, base.days)
    found = (where < outcome.days.size) & (outcome.days[np.minimum(where, outcome.days.size - 1)] == base.days)
    by_day[found] = outcome.service_level_by_day[where[found]]
    return dataclasses.replace(base, service_level=level, service_level_by_day=by_day,
                               service_level_week=outcome.service_level_week,
                               occupancy=req.occupancy[rows])


def _deferred_misses(outcome: DeferredOutcome, targets) -> tuple[str, ...]:
    """A line for the week and each day whose share answered within the response time is below target."""
    from wfm.erlang import target_slack
    from wfm.report.numbers import pct_apart, target_pct

    goal = f"{target_pct(targets.service_level)} within {duration_text(targets.answer_within_s)}"
    floor = targets.service_level - float(target_slack(targets.service_level))
    lines = []
    if outcome.service_level_week < floor:
        lines.append(f"{outcome.queue}: week {pct_apart(outcome.service_level_week, targets.service_level)} answered "
                     f"within the response time, below the target {goal}")
    for day, level in zip(outcome.days.tolist(), outcome.service_level_by_day.tolist()):
        if level < floor:
            lines.append(f"{outcome.queue}: {day:%a %Y-%m-%d} {pct_apart(level, targets.service_level)} answered "
                         f"within the response time, below the target {goal}")
    return tuple(lines)


def _dedicated_paid_hours(solve: _Solver, q: int) -> float:
    """Paid hours of a team of its own for queue ``q`` (the comparison a blended team reports). A deferred
    queue's dedicated team is scheduled on its due curve (the cumulative constraints, as in a blended team),
    the cheapest team that keeps its deadlines; that is a stricter baseline than the one level a day that
    ``wfm plan`` schedules for a deferred queue on its own (which can cost a third more here), so the saving
    reported is not flattered by it."""
    req = solve.requirement
    f = req.forecast
    rows = np.flatnonzero(f.queue == q)
    t = req.targets[q]
    shrinkage = split_shrinkage(t.shrinkage, solve.rules)
    interval_s = float(f.interval_s[rows[0]])
    if not t.deferred:
        required = req.agents[rows] / (1.0 - shrinkage.remaining)
        priority = shortfall_priority(req, rows) if solve.rules.weight_by_service_level else None
        return solve(f.interval_start[rows], f.utc_offset_s[rows], interval_s, required, priority).paid_hours
    rows = rows[req.open_[rows]]
    if rows.size == 0:
        return 0.0
    starts = f.interval_start[rows]
    load = _load(req, q, starts, interval_s, solve.rules, _curves(req, q, worked_rows(req, q, starts), f.queue_names[q]))
    return solve(starts, f.utc_offset_s[rows], interval_s, np.zeros(rows.size), None, (load,)).paid_hours
