"""The weekly plan: sizing, scheduling, seats and evaluation for one ISO week, queue by queue.

    forecast (one week) -> requirement (agents on the phones, wfm.staffing)
        -> required on shift = agents / (1 - remaining shrinkage)      (breaks are scheduled, so
                                                                          only the rest is grossed up)
        -> shifts or weekly tours (wfm.scheduling, integer program)
        -> evaluation: available agents, service level by Erlang C, efficiency
        -> seats (wfm.scheduling.seats)

Each queue is scheduled on its own (its own agents; no multi-skill pooling). Pure library code:
files are written by wfm.report, the terminal summary by the CLI.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from wfm.config import SeatRules, Settings, Targets  # SeatRules: parsed with the config
from wfm.errors import (
    ConfigError,
    InputError,
    SolverError,
    expect_flag,
    expect_jobs,
    expect_number,
    expect_type,
    warn_unused,
)
from wfm.forecast import Forecast, check_day_grid, select
from wfm.misses import target_misses
from wfm.reprs import compact_repr
from wfm.scheduling.deferred_load import DeferredLoad
from wfm.scheduling.evaluation import Evaluation, evaluate
from wfm.scheduling.rules import ShiftRules
from wfm.scheduling.seats import Seats, SiteSeats, seats, site_seats
from wfm.scheduling.shrinkage import ShrinkageSplit, split_shrinkage
from wfm.scheduling.solution import Schedule
from wfm.scheduling.solve import schedule
from wfm.staffing import Requirement, shortfall_priority, size

if TYPE_CHECKING:  # results a plan may carry, imported where they are made
    from wfm.cost import PlanCost
    from wfm.simulation.run import SimulationReport

_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$")


@dataclass(frozen=True, repr=False)
class QueuePlan:
    """One queue's week: its requirement rows, schedule, evaluation and seats."""

    __repr__ = compact_repr  # fields, with arrays as their shapes

    queue: str
    targets: Targets
    rows: NDArray[np.int64]  # this queue's rows in Plan.requirement
    shrinkage: ShrinkageSplit  # the part the schedule models (paid breaks) and the remainder
    schedule: Schedule
    evaluation: Evaluation
    seats: Seats
    misses: tuple[str, ...]  # targets the plan misses, one line each
    site: str = "main"  # the site whose seats the queue's agents share
    members: tuple[str, ...] = ()  # a blended team's queues (its real-time queue first); () for one queue
    deferred: tuple[DeferredOutcome, ...] = ()  # the team's deferred queues: where their work is done
    dedicated_paid_hours: float | None = None  # a blended team: paid hours of dedicated teams for the same work

    @property
    def fte(self) -> float:
        """Full-time equivalents: paid hours of the week / paid hours per FTE week."""
        return self.schedule.paid_hours / self.targets.paid_hours_per_fte_week

    @property
    def part_time_share(self) -> float:
        """Part-time agents / all agents: of the tours' headcount, or of the week's shifts without tours."""
        units = self.schedule.tours or self.schedule.shifts
        total = sum(u.count for u in units)
        return sum(u.count for u in units if u.part_time) / total if total else 0.0

    @property
    def patterns(self) -> tuple[int, int]:
        """(distinct patterns, patterns worked by a single agent): weekly tours (a start, a length and days, with
        each day's start), or daily shifts without tours: how simple the roster is to staff."""
        units = self.schedule.tours or self.schedule.shifts
        return len(units), sum(1 for u in units if u.count == 1)


@dataclass(frozen=True)
class DeferredOutcome:
    """How a plan serves one deferred queue (email, social, back office): per row of the queue (``rows`` in
    Plan.requirement, open and closed), the agents on it, and the FIFO backlog model's measures
    (:mod:`wfm.deferred`); per local day and for the week the share answered within the response time."""

    queue: str
    rows: NDArray[np.int64]
    worked_agents: NDArray[np.float64]  # agents on the queue's work per row (available, after shrinkage)
    service_level: NDArray[np.float64]  # share of the row's arrivals answered within the response time
    mean_response_s: NDArray[np.float64]
    backlog: NDArray[np.float64]  # items waiting at the row's end
    days: NDArray[np.datetime64]
    service_level_by_day: NDArray[np.float64]
    service_level_week: float
    service_level_target: float | None = None  # the queue's target share within the response time


@dataclass(frozen=True, eq=False, repr=False)
class Plan:
    """The week's plan for every queue of the forecast."""

    week: str  # ISO week, e.g. "2026-W49"
    requirement: Requirement  # the week's rows only
    rules: ShiftRules
    seat_rules: SeatRules
    queues: tuple[QueuePlan, ...]
    notes: tuple[str, ...] = field(default=())  # e.g. rows outside the week that were left out
    sites: tuple[SiteSeats, ...] = field(default=())  # seats per site, shared by the site's queues
    warnings: tuple[str, ...] = field(default=())  # e.g. the solver's time limit cut a solve short
    simulation: SimulationReport | None = None  # when checked by simulation (wfm plan --simulate)
    cost: PlanCost | None = None  # when [sites.NAME] give rates
    costs_at: Mapping[str, PlanCost] = field(default_factory=dict)  # site -> its cost (wfm plan --sites)

    def write(self, out: str | os.PathLike[str], inputs: Mapping[str, str] | None = None, xlsx: bool = False,
              jobs: int = 1) -> Path:
        """Write the plan folder ``out`` as ``wfm plan`` does (requirements.csv, shifts.csv, coverage.csv,
        summary.json, report.html, and with ``xlsx`` plan.xlsx), whole or not at all and never over a folder
        wfm did not write (see :mod:`wfm.outputs`). ``inputs``: file name -> SHA-256 for summary.json
        (default: the forecast's); ``jobs`` worker processes draw report.html's charts. Returns the folder's
        path."""
        from wfm.report.plan_files import write_plan

        expect_flag(xlsx, "xlsx")
        expect_jobs(jobs)
        f = self.requirement.forecast
        write_plan(self, out, inputs if inputs is not None else {os.path.basename(f.path): f.source_sha256}, xlsx=xlsx,
                   jobs=jobs)
        return Path(out)

    def __repr__(self) -> str:
        """A line to read in a notebook, not every array of the week."""
        from wfm.report.numbers import pct

        return (f"<Plan {self.week}: {len(self.queues)} queue(s), headcount {self.headcount}, FTE {self.fte:.1f}, "
                f"paid {self.paid_hours:,.1f} h, service level {pct(self.service_level)}, "
                f"{'meets its targets' if self.meets_targets else f'{len(self.misses)} target(s) missed'}>")

    @property
    def misses(self) -> tuple[str, ...]:
        """One line per target a queue misses, for the week or a day (wfm.misses: service level, ASA,
        abandonment, minimum staff; a team's deferred queues' targets too)."""
        return tuple(m for q in self.queues for m in q.misses)

    @property
    def service_level_target(self) -> float | None:
        """The service-level target every queue of the plan has, None when they differ (then no single target
        stands beside :attr:`service_level`)."""
        targets = {q.targets.service_level for q in self.queues}
        return targets.pop() if len(targets) == 1 else None

    @property
    def meets_targets(self) -> bool:
        """Whether every queue meets every target over the week and on each day (no :attr:`misses`)."""
        return not self.misses

    @property
    def headcount(self) -> int:
        """Agents with at least one shift (or tour) this week, over every queue."""
        return sum(q.schedule.headcount for q in self.queues)

    @property
    def fte(self) -> float:
        """Full-time equivalents over every queue: paid hours / each queue's paid hours per FTE week."""
        return sum(q.fte for q in self.queues)

    @property
    def paid_hours(self) -> float:
        """Hours paid this week over every queue, breaks included (hours)."""
        return sum(q.schedule.paid_hours for q in self.queues)

    @property
    def required_hours(self) -> float:
        """Agent-hours needed on the phones over the week."""
        return sum(q.evaluation.required_hours for q in self.queues)

    @property
    def efficiency(self) -> float:
        """Required agent-hours on the phones / scheduled paid hours."""
        return self.required_hours / self.paid_hours if self.paid_hours > 0 else 0.0

    @property
    def service_level(self) -> float:
        """Volume-weighted service level over every queue and interval of the week (NaN without contacts)."""
        volume = sum(float(q.evaluation.volume.sum()) for q in self.queues)
        answered = sum(float((q.evaluation.volume * q.evaluation.service_level).sum()) for q in self.queues)
        return answered / volume if volume > 0 else float("nan")  # no contacts: no service level (null in JSON)

    @property
    def seats(self) -> int:
        """Seats for every site: at each site the peak of its queues' agents on site together (queues on
        one site share seats), plus the buffer; summed over the sites."""
        if not self.sites:
            return sum(q.seats.seats for q in self.queues)
        return sum(site.seats for site in self.sites)


def parse_week(text: str, what: str = "week") -> date:
    """'2026-W49' -> the Monday of that ISO week; a ConfigError naming ``what`` (the parameter, or the CLI's
    ``--week``) otherwise."""
    match = _ISO_WEEK.match(text.strip())
    if not match:
        raise ConfigError(f"{what}: expected an ISO week such as 2026-W49, got {text!r}")
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise ConfigError(f"{what}: {text!r} is not a week of that year") from None


def iso_week(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def select_week(forecast: Forecast, week: str | None) -> tuple[Forecast, str, tuple[str, ...]]:
    """The forecast's rows in one ISO week of local days (default: the week of its first interval),
    the week's name, and a note when rows outside it were left out."""
    days = forecast.local_start.astype("datetime64[D]")
    monday = parse_week(week) if week else days.min().item() - timedelta(days=days.min().item().weekday())
    inside = (days >= np.datetime64(monday, "D")) & (days < np.datetime64(monday + timedelta(days=7), "D"))
    name = iso_week(monday)
    if not inside.any():
        raise InputError(f"{forecast.path}: no intervals in week {name} "
                       f"(the forecast runs from {days.min()} to {days.max()})")
    left_out = int((~inside).sum())
    notes = (f"{forecast.path}: planning week {name}; {left_out:,} intervals outside it left out",) if left_out else ()
    return select(forecast, inside), name, notes


def partial_first_week(forecast: Forecast, chosen: Forecast, name: str, week_flag: str | None = None,
                        verbs: tuple[str, str] = ("planning", "plan")) -> list[str]:
    """A warning when the default week (the forecast's first) holds fewer of its days than the week after it
    does: a forecast made on a Friday evening for the next seven days starts on Saturday, and its first ISO week
    is that weekend alone (a cron job would plan two days). It names make_plan's ``week`` parameter, or
    ``week_flag`` (the command's ``--week``); ``verbs``: what is done with the week (what-if sizes it)."""
    days = np.unique(forecast.local_start.astype("datetime64[D]"))
    kept = np.unique(chosen.local_start.astype("datetime64[D]"))
    after = parse_week(name) + timedelta(days=7)  # the next week's Monday
    start = np.datetime64(after, "D")
    next_week = days[(days >= start) & (days < start + np.timedelta64(7, "D"))]
    if next_week.size <= kept.size:
        return []
    following = iso_week(after)
    held = f"{kept.size} day" + ("s" if kept.size != 1 else "")
    give = f"{week_flag} {following}" if week_flag else f"week={following!r}"
    return [f"{forecast.path}: {verbs[0]} week {name}, the forecast's first, which holds {held} of it against "
            f"{next_week.size} in {following}; give {give} to {verbs[1]} that one"]


def make_plan(
    forecast: Forecast,
    settings: Settings,
    *,
    week: str | None = None,
    tours: bool | None = None,
    time_limit_s: float | None = None,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
    names: Mapping[str, str] | None = None,
) -> Plan:
    """Size, schedule, evaluate and seat one week of ``forecast`` with ``settings``.

    ``tours``: weekly tours (default from the rules) or daily shifts; ``time_limit_s``: the
    solver's limit per queue, seconds (default from the rules); ``progress`` is told what is
    being done (for a status line); ``jobs``: queues (teams) scheduled at once, in that many worker
    processes (1: one after the other, here; more needs a script that runs under ``if __name__ == "__main__":``,
    as the workers import it again). Every solve stops on its gap or node limits, never on the
    clock, so the plan is the same whatever ``jobs`` is (unless a time limit fires, which is warned of).
    Its messages name ``week`` as a parameter, or by its label in ``names`` (the command's ``--week``).
    """
    jobs = expect_jobs(jobs)
    expect_type(forecast, Forecast, "forecast")
    expect_type(settings, Settings, "settings")
    if week is not None:
        expect_type(week, str, "week")
    if tours is not None:
        tours = expect_flag(tours, "tours")
    if time_limit_s is not None:
        time_limit_s = expect_number(time_limit_s, "time_limit_s")
    if time_limit_s is not None and not time_limit_s > 0:  # before the sizing, as the rules' own limit is
        raise ConfigError(f"time_limit_s must be > 0 seconds, got {time_limit_s}")
    check_day_grid(forecast)
    warn_unused(settings.unknown_queue_warnings(forecast.queue_names))  # the whole forecast's queues, not the week's
    rules = settings.shift_rules
    daily_over_tours = tours is False and rules.tours and rules.tour_rules_set()
    if tours is not None or time_limit_s is not None:  # the rules the week is planned with, as summary.json says
        rules = dataclasses.replace(rules, tours=rules.tours if tours is None else tours,
                                    time_limit_s=rules.time_limit_s if time_limit_s is None else time_limit_s)
        object.__setattr__(rules, "_source", settings.shift_rules._source)  # not a field: replace() drops it
    seat_rules = settings.seat_rules
    chosen, name, week_notes = select_week(forecast, week)
    notes, warnings = list(week_notes), []
    if daily_over_tours:
        notes.append(f"{settings.shift_rules._source}: {', '.join(daily_over_tours)} apply to weekly tours; the daily "
                     "shifts asked for (--daily) do not follow them")
    if week is None:
        warnings += partial_first_week(forecast, chosen, name, (names or {}).get("week"))
    requirement = size(chosen, settings, warn_unused_sections=False)  # warned of above, for the whole forecast
    teams = _teams(requirement, settings)
    _check_teams(requirement, teams, settings)
    if settings.sites:  # every queue priced, checked before the solve rather than after it
        from wfm.cost import site_rates

        for queue in chosen.queue_names:
            site_rates(settings.sites, queue, settings.site_for(queue), settings.source)
    solve = _Solver(requirement, rules, tours, time_limit_s, settings.sites)
    limit = rules.time_limit_s if time_limit_s is None else time_limit_s
    queues = []
    for team, queue_plan in zip((t for t, _ in teams), _schedule_teams(solve, teams, settings, jobs, progress)):
        if queue_plan.schedule.unworkable_days:
            days = queue_plan.schedule.unworkable_days
            warnings.append(f"{team}: no shift or tour the rules allow can work {', '.join(days)}, where intervals "
                            f"need agents ({rules._source}: the start times, days off, days per week or shift "
                            f"lengths leave {'it' if len(days) == 1 else 'them'} unstaffed)")
        if queue_plan.schedule.time_limit_hit:
            warnings.append(f"{team}: the solver's time limit ({limit:g} s) cut the solve short, so this plan may "
                         "differ between runs and machines; raise --time-limit (time_limit_s) for a reproducible one")
        queues.append(queue_plan)
    plan = Plan(week=name, requirement=requirement, rules=rules, seat_rules=seat_rules, queues=tuple(queues),
                notes=tuple(notes), sites=_sites(queues, seat_rules), warnings=tuple(warnings))
    if settings.sites:
        from wfm.cost import plan_cost

        plan = dataclasses.replace(plan, cost=plan_cost(plan, settings.sites, settings.contract))
    return plan


def _plan_unit(solve: _Solver, team: str, members: list[int], settings: Settings) -> QueuePlan:
    """One scheduled unit: a real-time queue alone, or a team (wfm.blending). A rule or target that cannot be
    planned for it, or a solve that stops on its time limit with no plan, is one line naming the queue (or team)
    (and the settings file)."""
    try:
        if len(members) == 1 and not solve.requirement.targets[members[0]].deferred:
            return _plan_queue(solve, members[0], settings)
        from wfm.blending import plan_team

        return plan_team(solve, team, members, settings)
    except ConfigError as exc:
        raise _unit_error(exc, team, members, settings) from None
    except SolverError as exc:  # which of the queues the solver gave up on
        raise SolverError(f"{'queue' if len(members) == 1 else 'team'} {team!r}: {exc}") from None


def _unit_error(exc: ConfigError, team: str, members: list[int], settings: Settings) -> ConfigError:
    """``exc`` as one line naming the settings file first, then the queue (or team) once."""
    text = str(exc)
    label = f"{'queue' if len(members) == 1 else 'team'} {team!r}: "
    if settings.source != "defaults" and text.startswith(settings.source):
        rest = text[len(settings.source):].lstrip(": ")
        return ConfigError(text if rest.startswith(label) else f"{settings.source}: {label}{rest}")
    return ConfigError(f"{'' if settings.source == 'defaults' else f'{settings.source}: '}{label}{text}")


def _check_teams(requirement: Requirement, teams: list[tuple[str, list[int]]], settings: Settings) -> None:
    """Every blended team's deferred targets checked against the hours it works before any team is scheduled
    (wfm.blending.check_team_hours needs no solve): an impossible one fails at once, not after other teams'
    solves."""
    for team, members in teams:
        if len(members) > 1 and any(requirement.targets[q].deferred for q in members):
            from wfm.blending import check_team_hours

            try:
                check_team_hours(requirement, members)
            except ConfigError as exc:
                raise _unit_error(exc, team, members, settings) from None


def _schedule_teams(solve: _Solver, teams: list[tuple[str, list[int]]], settings: Settings, jobs: int,
                    progress: Callable[[str], None] | None) -> list[QueuePlan]:
    """Every team's QueuePlan, in ``teams`` order: here one by one, or in ``jobs`` worker processes (started
    with "spawn", so no solver state or thread is forked). The results are collected in order, so the plan
    does not depend on which worker finishes first."""
    workers = min(jobs, len(teams))
    if workers <= 1:
        out = []
        for k, (team, members) in enumerate(teams):
            if progress:
                progress(f"Scheduling {team} ({k + 1} of {len(teams)})")
            out.append(_plan_unit(solve, team, members, settings))
        return out
    from concurrent.futures import as_completed

    from wfm.workers import submit_all, worker_pool

    if progress:
        progress(f"Scheduling {len(teams)} queues in {workers} processes")
    with worker_pool(workers) as pool:  # workers stopped on any error, interrupt or SIGTERM
        submitted = submit_all(pool, _plan_unit, [(solve, team, members, settings) for team, members in teams])
        futures = {future: k for k, future in enumerate(submitted)}
        results: list[QueuePlan | None] = [None] * len(teams)
        done = 0
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            done += 1
            if progress:
                progress(f"Scheduled {done} of {len(teams)} queues ({workers} processes)")
    return [r for r in results if r is not None]


def _teams(requirement: Requirement, settings: Settings) -> list[tuple[str, list[int]]]:
    """The scheduled teams, in order of their first queue: (team name, queue numbers, real-time first)."""
    return settings.teams(requirement.forecast.queue_names, [t.deferred for t in requirement.targets])


@dataclass(frozen=True)
class _Solver:
    """What every schedule of a plan shares: the week's requirement, the rules and the solver options."""

    requirement: Requirement
    rules: ShiftRules
    tours: bool | None
    time_limit_s: float | None
    sites: Mapping[str, Any] = field(default_factory=dict)  # [sites.NAME] rates (wfm.cost.SiteCost): premiums

    def __call__(self, starts: NDArray[np.datetime64], offsets: NDArray[np.signedinteger[Any]], interval_s: float,
                 required: NDArray[np.float64], priority: NDArray[np.float64] | None = None,
                 deferred: tuple[DeferredLoad, ...] = (), site: str | None = None) -> Schedule:
        site_cost = self.sites.get(site) if site is not None else None
        return schedule(starts, offsets, interval_s, required, self.rules, tours=self.tours,
                        time_limit_s=self.time_limit_s, priority=priority, deferred=deferred,
                        premiums=site_cost.premiums if site_cost is not None else ())


def _plan_queue(solve: _Solver, q: int, settings: Settings) -> QueuePlan:
    """One real-time queue with its own agents."""
    requirement, rules = solve.requirement, solve.rules
    chosen = requirement.forecast
    queue = chosen.queue_names[q]
    rows = np.flatnonzero(chosen.queue == q)
    targets = requirement.targets[q]
    shrinkage = split_shrinkage(targets.shrinkage, rules)
    agents = requirement.agents[rows].astype(np.float64)
    queue_schedule = solve(chosen.interval_start[rows], chosen.utc_offset_s[rows], float(chosen.interval_s[rows[0]]),
                           agents / (1.0 - shrinkage.remaining),
                           shortfall_priority(requirement, rows) if rules.weight_by_service_level else None,
                           site=settings.site_for(queue))
    evaluation = _evaluate_live(requirement, q, rows, queue_schedule, shrinkage)
    return QueuePlan(queue, targets, rows, shrinkage, queue_schedule, evaluation,
                     _seats(queue_schedule, settings.seat_rules),
                     target_misses(queue, targets, evaluation, chosen.local_start[rows]), settings.site_for(queue))


def _evaluate_live(requirement: Requirement, q: int, rows: NDArray[np.int64], queue_schedule: Schedule,
                   shrinkage: ShrinkageSplit) -> Evaluation:
    targets = requirement.targets[q]
    chosen = requirement.forecast
    return evaluate(
        queue_schedule,
        requirement.traffic_erlangs[rows],
        chosen.aht_s[rows],
        targets.answer_within_s,
        volume=chosen.volume[rows],
        remaining_shrinkage=shrinkage.remaining,
        required_on_phones=requirement.agents[rows].astype(np.float64),
        patience_s=targets.patience_s if targets.model == "erlang-a" else None,
        concurrency=targets.concurrency,
    )


def _seats(queue_schedule: Schedule, seat_rules: SeatRules) -> Seats:
    return seats(queue_schedule, absent_fraction=seat_rules.absent_fraction, buffer_fraction=seat_rules.buffer_fraction,
                 buffer_seats=seat_rules.buffer_seats, shared_seats=seat_rules.shared_seats)


def _sites(queues: list[QueuePlan], seat_rules: SeatRules) -> tuple[SiteSeats, ...]:
    """Seats per site, each the peak of its queues' agents on site together (sites in name order)."""
    names = sorted({q.site for q in queues})
    return tuple(
        site_seats(name, tuple(q.queue for q in queues if q.site == name),
                   [q.schedule for q in queues if q.site == name], [q.seats for q in queues if q.site == name],
                   buffer_fraction=seat_rules.buffer_fraction, buffer_seats=seat_rules.buffer_seats)
        for name in names
    )
