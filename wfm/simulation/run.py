"""`wfm simulate`: simulate a forecast's queues with the agents of a plan folder, a constant headcount or the
sized requirement, and set the result beside the queueing formulas (:mod:`wfm.simulation.compare`).

Pure library code: no printing. Real-time queues (voice, chat) are simulated; deferred work (email, social,
back office) is simulated with the agents of a plan's team that works it (:mod:`wfm.simulation.blended`), in the
intervals the plan works it, and noted as not simulated without a plan.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from wfm import queueing
from wfm.config import Settings, show_value
from wfm.errors import ConfigError, InputError, expect_number, expect_type, warn_unused
from wfm.forecast import Forecast
from wfm.reprs import compact_repr
from wfm.simulation.compare import Check, on_duty_per_interval, summarise
from wfm.simulation.rosters import (
    MAX_SHIFT_AGENTS,
    Roster,
    constant_roster,
    plan_rosters,
    read_plan_folder,
    sized_roster,
)
from wfm.targets import is_whole, one_value

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from wfm.plan import Plan
    from wfm.simulation.blended import DeferredCheck
    from wfm.staffing import Requirement

__all__ = ["SimulationReport", "simulate_forecast", "simulate_plan", "MAX_REPLICATIONS"]

MAX_REPLICATIONS = 10_000
MAX_CONTACTS_PER_RUN = 20_000_000
"""The most contacts (and deferred items) one simulated run may expect: the engine draws a run's arrivals at once,
about 100 bytes each, so this bounds its memory near 2 GB. A run is a queue's stretch of consecutive intervals (a
day of a queue that closes at night; the whole forecast of one open around the clock, or of a blended team); a
bank-sized queue's week is about 400,000. Beyond it the run is refused (one line, exit 2) rather than ended by the
machine running out of memory."""
MAX_CV = 10.0
FLAGS = {"replications": "--replications", "volume_cv": "--volume-cv", "aht_cv": "--aht-cv", "seed": "--seed",
         "agents": "--agents"}
"""``wfm simulate``'s flag for each parameter, for :func:`check_options` (the library names its parameters)."""


@dataclass(frozen=True, repr=False)
class SimulationReport:
    """Every simulated queue's check, and notes (queues not simulated, a plan made from another forecast)."""

    __repr__ = compact_repr  # fields, with arrays as their shapes

    checks: tuple[Check, ...]
    notes: tuple[str, ...]
    replications: int
    seed: int
    deferred: tuple[DeferredCheck, ...] = ()  # blended teams' deferred queues


def check_options(replications: int, volume_cv: float, aht_cv: float | None, agents: int | None,
                  seed: int = 0, names: Mapping[str, str] | None = None) -> None:
    """One-line ConfigErrors for impossible simulation options, each named by its parameter, or by its label in
    ``names`` (the CLI's flags: :data:`FLAGS`; ``wfm plan`` names replications ``--simulate``). A count given as a
    whole float (``agents=12.0``, what ``np.ceil`` gives) or a 0-d array is taken (callers convert it with
    :func:`whole`); one of the wrong type (``replications=5.5``, ``seed=None``, a bool) is a TypeError naming it,
    as programmer misuse."""
    def name(key: str) -> str:
        return (names or {}).get(key, key)

    counts = {"replications": replications, "seed": seed, **({} if agents is None else {"agents": agents})}
    for key, value in counts.items():
        if not is_whole(value):  # never a bool, text, None or a fraction
            raise TypeError(f"{name(key)} must be a whole number (int), got {type(one_value(value)).__name__}")
    expect_number(volume_cv, name("volume_cv"))
    if aht_cv is not None:
        expect_number(aht_cv, name("aht_cv"))
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise ConfigError(f"{name('replications')}: expected a whole number from 1 to {MAX_REPLICATIONS:,}, "
                          f"got {replications}")
    if not (math.isfinite(volume_cv) and 0.0 <= volume_cv <= MAX_CV):
        raise ConfigError(f"{name('volume_cv')}: expected a coefficient of variation from 0 to {MAX_CV:g}, "
                          f"got {show_value(volume_cv)}")
    if aht_cv is not None and not (math.isfinite(aht_cv) and 0.0 < aht_cv <= MAX_CV):
        raise ConfigError(f"{name('aht_cv')}: expected a coefficient of variation more than 0 and at most {MAX_CV:g} "
                          f"(leave it out for exponential handle times), got {show_value(aht_cv)}")
    if seed < 0:
        raise ConfigError(f"{name('seed')}: expected a whole number >= 0, got {seed}")
    if agents is not None and not 0 <= agents <= MAX_SHIFT_AGENTS:
        raise ConfigError(f"{name('agents')}: expected a whole number of agents from 0 to {MAX_SHIFT_AGENTS:,}, "
                          f"got {agents}")



def _day_before(local: NDArray[np.datetime64], inside: NDArray[np.int64],
                interval_s: float) -> NDArray[np.int64] | None:
    """For a queue open around the clock (its one run of intervals, the positions ``inside`` of its local interval
    starts ``local``, is whole local weeks, from a local midnight to a local midnight, a change of clock included),
    the positions in ``inside`` of the run's last local day, simulated first as the day before its first: the week
    wraps round, as a cyclic plan's shifts do, so Monday 00:00 starts with Sunday night's callers still waiting
    instead of an empty queue (which read better than the rest of the week). None for a queue that closes, or a
    run that is not whole weeks. Its first day is simulated again after its last, with no new arrivals, for the
    same reason (see :func:`_without_edges`)."""
    run = local[inside]
    days = run.astype("datetime64[D]")
    last_end = run[-1] + np.timedelta64(int(interval_s), "s")
    whole_days = (last_end - last_end.astype("datetime64[D]")) == np.timedelta64(0, "s")
    n_days = int((last_end.astype("datetime64[D]") - days[0]).astype(np.int64))
    if run[0] != days[0] or not whole_days or n_days < 7 or n_days % 7:
        return None
    return inside[days == days[-1]]


_NONE = np.zeros(0, dtype=np.int64)  # no rows: a run that does not wrap round

_PER_INTERVAL = ("offered", "answered", "answered_within", "abandoned", "wait_answered_s", "busy_s",
                 "overrun_by_interval_s", "on_duty_s")
"""The engine's counts per replication and interval (SimulationResult's (R, n) arrays)."""


def _without_edges(result: Any, warm: int, cool: int) -> Any:
    """``result`` of a run simulated with ``warm`` intervals of warm-up first and ``cool`` intervals of cool-down
    last, counted without them (contacts are counted by the interval they arrive in; so is the overrun, by the
    clock). The cool-down has no arrivals: those still waiting at the week's end are answered (or hang up) as the
    week's first day would answer them, as in a week that wraps round, instead of being dropped at a closing
    that a queue open around the clock never has (the last interval's ASA read half the formula's). In arrival
    order, the callers who come later make no difference to them."""
    import dataclasses

    n = result.offered.shape[1]
    if not warm and not cool:
        return result
    trimmed = {name: getattr(result, name)[:, warm:n - cool] for name in _PER_INTERVAL}
    edges = result.overrun_by_interval_s[:, :warm].sum(axis=1) + result.overrun_by_interval_s[:, n - cool:].sum(axis=1)
    # left waiting at the end: of the contacts that arrived in the intervals counted (the warm-up's were counted too)
    unfinished = (trimmed["offered"] - trimmed["answered"] - trimmed["abandoned"]).sum(axis=1)
    return dataclasses.replace(result, **trimmed, overrun_s=result.overrun_s - edges, unfinished=unfinished)


def _one_run_note(replications: int) -> tuple[str, ...]:
    """One replication has no spread to measure: its figures come without a 95 % interval, and nothing is flagged."""
    if replications != 1:
        return ()
    return ("one replication gives no 95 % interval, so no figure is flagged against the formula: use 2 or more "
            "replications",)


def _config_notes(plan: Path, inputs: dict[str, str], settings: Settings) -> list[str]:
    """A note when this run's wfm.toml is not the one the plan was made with (summary.json's ``inputs`` name the
    plan's ``.toml`` and its checksum): the targets, models and deferred rules simulated may then differ from the
    plan's, and every day be flagged against figures the plan never promised."""
    if not inputs:  # a plan written by the library without its inputs: nothing to compare
        return []
    made_with = {name: digest for name, digest in inputs.items() if name.lower().endswith(".toml")}
    if settings.source_sha256 is not None and settings.source_sha256 in made_with.values():
        return []
    if not made_with and settings.source_sha256 is None:
        return []
    before = f"with {', '.join(sorted(made_with))}" if made_with else "without --config"
    name = Path(settings.source).name
    now = "has no --config" if settings.source_sha256 is None else \
        f"uses {name}{' (checksums differ)' if name in made_with else ''}"
    return [f"{plan}: the plan was made {before}, this run {now}: its targets, models and rules may differ from the "
            "plan's (give the plan's --config to check the plan as it was made)"]


def whole(count: Any) -> int:
    """A count :func:`check_options` took (an int, a numpy integer, a whole float, a 0-d array) as a Python int."""
    return int(one_value(count))


def simulate_forecast(forecast: Forecast, settings: Settings, *, plan: Path | None = None, agents: int | None = None,
                      from_size: bool = False, replications: int = 20, seed: int = 1, volume_cv: float = 0.0,
                      aht_cv: float | None = None) -> SimulationReport:
    """Simulate each real-time queue with the chosen agents (exactly one of ``plan``, ``agents``, ``from_size``).
    Warns (:class:`wfm.errors.UnusedSettingWarning`) of each ``[queues.NAME]`` section that names no queue of the
    forecast, as :func:`wfm.size` does."""
    if sum((plan is not None, agents is not None, from_size)) != 1:
        raise ConfigError("choose the agents to simulate: plan, agents or from_size (exactly one)")
    check_options(replications, volume_cv, aht_cv, agents, seed)
    replications, seed = whole(replications), whole(seed)  # numpy's integers as Python's, in the report too
    agents = None if agents is None else whole(agents)
    from wfm.plan import select_week
    from wfm.simulation.engine import Workload, simulate
    from wfm.staffing import size

    notes: list[str] = []
    warn_unused(settings.unknown_queue_warnings(forecast.queue_names))  # the whole forecast's, not a plan's week
    if plan is not None:
        folder = read_plan_folder(plan)
        forecast, _, _ = select_week(forecast, folder.week)
        digest = folder.inputs.get(Path(forecast.path).name)
        if digest is not None and digest != forecast.source_sha256:
            notes.append(f"{plan}: the plan was made from a different {Path(forecast.path).name} (checksums differ)")
        elif digest is None and folder.inputs and forecast.source_sha256 not in folder.inputs.values():
            notes.append(f"{plan}: the plan was made from {', '.join(sorted(folder.inputs))}, not from "
                         f"{Path(forecast.path).name} (no input of the plan has its checksum)")
        notes += _config_notes(plan, folder.inputs, settings)
    requirement = size(forecast, settings, warn_unused_sections=False)  # warned of above, at the caller's line
    if plan is not None:
        deferred_names = frozenset(name for name, t in zip(forecast.queue_names, requirement.targets) if t.deferred)
        rosters, plan_notes = plan_rosters(folder, forecast, deferred_names, requirement.open_)
        notes += plan_notes
        planned = {r.queue for r in rosters} | {d for r in rosters for d in r.deferred}
        in_summary = {m for key in folder.remaining_shrinkage for m in folder.teams.get(key, [key])}
        unstaffed = [k for k, name in enumerate(forecast.queue_names) if name in in_summary and name not in planned]
        rosters += [constant_roster(forecast, k, 0) for k in unstaffed  # planned with no shift: no agent, simulated
                    if not requirement.targets[k].deferred]
        notes += [f"{plan}: queue {forecast.queue_names[k]!r}: the plan staffs no one for its "
                  f"{requirement.targets[k].channel} work: not simulated (none of it is answered)"
                  for k in unstaffed if requirement.targets[k].deferred]
        notes += [f"{plan}: queue {name!r} of the forecast is not in the plan: not simulated"
                  for k, name in enumerate(forecast.queue_names)
                  if name not in planned | in_summary and bool(np.any(forecast.volume[forecast.queue == k] > 0))]
    else:
        rosters = [constant_roster(forecast, q, agents) if agents is not None else sized_roster(requirement, q)
                   for q in range(len(forecast.queue_names))]
    checks, deferred_checks = [], []
    for roster in rosters:
        q = forecast.queue_names.index(roster.queue)
        targets = requirement.targets[q]
        if roster.deferred:  # a team doing deferred work, from a plan folder
            from wfm.blending import team_rows
            from wfm.simulation.blended import deferred_check, deferred_workload
            from wfm.simulation.engine import DeferredWorkload

            later = [forecast.queue_names.index(name) for name in roster.deferred]
            team = team_rows(requirement, q)  # the rows the plan's team timeline was built from
            workloads = tuple(deferred_workload(requirement, d, roster.origin_s, DeferredWorkload, team)
                              for d in later)
            check, results = _check(forecast, requirement, roster, q, replications, seed + 7919 * q, volume_cv,
                                    aht_cv, Workload, simulate, deferred=workloads, available=roster.available,
                                    real_time=not targets.deferred)
            if not targets.deferred:
                checks.append(check)
            for d, result in zip(later, results):
                figures = folder.deferred_days.get(forecast.queue_names[d], {})
                day_names = np.unique(forecast.local_start[forecast.queue == d].astype("datetime64[D]"))
                formula = {name: np.array([by_day.get(str(day), np.nan) for day in day_names])
                           for name, by_day in figures.items()}
                deferred_checks.append(deferred_check(requirement, d, roster.team or roster.queue, result, formula))
            continue
        if targets.deferred:
            notes.append(f"queue {roster.queue!r}: {targets.channel} work is not simulated without a plan")
            continue
        checks.append(_check(forecast, requirement, roster, q, replications, seed + 7919 * q, volume_cv, aht_cv,
                             Workload, simulate)[0])
    return SimulationReport(tuple(checks), (*notes, *_one_run_note(replications)), replications, seed,
                            tuple(deferred_checks))


def simulate_plan(plan: Plan, *, replications: int = 20, seed: int = 1, volume_cv: float = 0.0,
                  aht_cv: float | None = None) -> SimulationReport:
    """Simulate a solved plan's queues (``wfm plan --simulate R``) with its shifts, breaks and remaining
    shrinkage: each real-time queue, and each team's deferred queues in the intervals the plan works them."""
    from wfm.plan import Plan
    from wfm.simulation.blended import deferred_check, deferred_workload, plan_formula
    from wfm.simulation.engine import DeferredWorkload, Workload, simulate
    from wfm.simulation.rosters import schedule_roster

    expect_type(plan, Plan, "plan")
    check_options(replications, volume_cv, aht_cv, None, seed)
    replications, seed = whole(replications), whole(seed)  # numpy's integers as Python's, in the report too
    requirement = plan.requirement
    forecast = requirement.forecast
    names = forecast.queue_names
    checks, deferred_checks = [], []
    for queue_plan in plan.queues:
        members = queue_plan.members or (queue_plan.queue,)
        lead = names.index(members[0]) if queue_plan.members else names.index(
            queue_plan.deferred[0].queue if queue_plan.deferred else queue_plan.queue)
        later = [names.index(d.queue) for d in queue_plan.deferred]
        origin = int(min(forecast.interval_start[r[0]] for r in [queue_plan.rows, *(d.rows for d in queue_plan.deferred)])
                     .astype(np.int64))
        roster = schedule_roster(forecast, lead, queue_plan.rows, queue_plan.schedule, queue_plan.shrinkage.remaining,
                                 name=names[lead], origin_s=origin)
        workloads = tuple(deferred_workload(requirement, d, roster.origin_s, DeferredWorkload, queue_plan.rows)
                          for d in later)
        live = not requirement.targets[lead].deferred
        check, results = _check(forecast, requirement, roster, lead, replications, seed + 7919 * lead, volume_cv,
                                aht_cv, Workload, simulate, deferred=workloads,
                                available=queue_plan.evaluation.available if workloads and live else None,
                                real_time=live)
        if live:
            checks.append(check)
        deferred_checks += [deferred_check(requirement, d, queue_plan.queue, result,
                                           plan_formula(requirement, d, outcome))
                            for d, result, outcome in zip(later, results, queue_plan.deferred)]
    return SimulationReport(tuple(checks), _one_run_note(replications), replications, seed, tuple(deferred_checks))


def _check_run_size(forecast: Forecast, queue: str, contacts: float, first: np.datetime64) -> None:
    """Refuse (InputError) a run that expects more than :data:`MAX_CONTACTS_PER_RUN` contacts."""
    if contacts > MAX_CONTACTS_PER_RUN:
        raise InputError(f"{forecast.path}: queue {queue!r}: {contacts:,.0f} contacts in one simulated run (from "
                         f"{str(first)[:16]}), more than the simulator holds at once ({MAX_CONTACTS_PER_RUN:,}); "
                         "simulate a shorter forecast (a week) or one with fewer contacts")


def _check(forecast: Forecast, requirement: Requirement, roster: Roster, q: int, replications: int, seed: int,
           volume_cv: float, aht_cv: float | None, workload_type: Any, simulate: Any, *,
           deferred: tuple[Any, ...] = (), available: NDArray[np.float64] | None = None,
           real_time: bool = True) -> tuple[Check, tuple[Any, ...]]:
    """Simulate one roster on queue ``q``'s intervals (and ``deferred`` workloads, a blended team, simulated as
    one run); the check beside the formula (with ``available`` agents if given, else the roster's), and the
    engine's deferred results. ``real_time`` False: a team without a real-time queue (no contacts offered)."""
    targets = requirement.targets[q]
    rows = roster.rows
    interval_s = float(forecast.interval_s[rows[0]])
    starts = (forecast.interval_start[rows].astype(np.int64) - roster.origin_s).astype(np.float64)
    local = forecast.local_start[rows]
    local_days = local.astype("datetime64[D]")
    days, day = np.unique(local_days, return_inverse=True)
    abandons = targets.model == queueing.ERLANG_A
    patience = float(targets.patience_s) if abandons and targets.patience_s is not None else math.inf
    # Each stretch of consecutive open intervals is simulated on its own, with the agents on duty in it (the
    # engine closes the queue at each stretch's end: a caller still waiting then is not answered later); a queue
    # open around the clock for whole weeks is one stretch, with its last day simulated first (_day_before) and its
    # first day, without arrivals, last (_without_edges).
    run_id = np.concatenate(([0], np.cumsum(np.diff(starts) != interval_s)))
    if deferred:  # the backlog carries over the nights: one run
        run_id = np.zeros(rows.size, dtype=np.int64)
    volume = forecast.volume[rows] if real_time else np.zeros(rows.size)
    parts = []
    for k in range(int(run_id[-1]) + 1):
        inside = np.flatnonzero(run_id == k)
        first, end = starts[inside[0]], starts[inside[-1]] + interval_s
        a = roster.agents
        keep = (a.end_s > first) & (a.start_s < end)
        ids, start_s, end_s = a.agent[keep], a.start_s[keep], a.end_s[keep]
        wrapped = _day_before(local, inside, interval_s) if not deferred and run_id[-1] == 0 else None
        week = end - first  # whole local weeks when the run wraps round
        before = _NONE if wrapped is None else wrapped
        after = _NONE if wrapped is None else inside[day[inside] == day[inside[0]]]  # the first day
        simulated = np.concatenate([before, inside, after])
        run_starts = np.concatenate([starts[before] - week, starts[inside], starts[after] + week])
        if wrapped is not None:  # the run's last day, a whole number of weeks earlier: the day before its first,
            # worked by the same agents (an agent on duty at the week's end is the one on duty at its start, as a
            # cyclic plan's night shift wraps round: a copy under another name would double the staff at 00:00);
            # and its first day, a whole number of weeks later, as the day after its last, likewise
            start_s, end_s = np.maximum(start_s, first), np.minimum(end_s, end)
            day_start, day_end = starts[before[0]], starts[after[-1]] + interval_s
            back = (a.end_s > day_start) & (a.start_s < end)
            on = (a.end_s > first) & (a.start_s < day_end)
            ids = np.concatenate([ids, a.agent[back], a.agent[on]])
            start_s = np.concatenate([start_s, np.maximum(a.start_s[back], day_start) - week,
                                      np.maximum(a.start_s[on], first) + week])
            end_s = np.concatenate([end_s, np.minimum(a.end_s[back], end) - week,
                                    np.minimum(a.end_s[on], day_end) + week])
        run_volume = volume[simulated]
        run_volume[before.size + inside.size:] = 0.0  # the day after: no arrivals (_without_edges)
        _check_run_size(forecast, roster.queue, float(run_volume.sum()) + sum(float(w.volume.sum())
                                                                             for w in deferred),
                        local[simulated[0]])
        _, agent = np.unique(ids, return_inverse=True)
        agents = type(a)(agent.astype(np.int64), start_s, end_s, absent_probability=a.absent_probability)
        aht = np.where(forecast.aht_s[rows][simulated] > 0, forecast.aht_s[rows][simulated], 1.0)
        workload = workload_type(run_starts, interval_s, run_volume, aht, day[simulated].astype(np.int64),
                                 patience_s=patience, concurrency=targets.concurrency)
        result = simulate(workload, agents, answer_within_s=targets.answer_within_s, replications=replications,
                          seed=seed + 104_729 * k, aht_cv=aht_cv, volume_cv=volume_cv, deferred=deferred,
                          volume_seed=seed)  # a day's stretches share its factor
        parts.append(_without_edges(result, before.size, after.size))
    if available is None:
        present = 1.0 - roster.agents.absent_probability
        available = on_duty_per_interval(roster.agents.start_s, roster.agents.end_s, starts, interval_s) / interval_s
        available = available * present
    aht = np.where(forecast.aht_s[rows] > 0, forecast.aht_s[rows], 1.0)
    delivered = queueing.delivered(available * targets.concurrency, requirement.traffic_erlangs[rows], aht,
                                   targets.answer_within_s, abandons, patience)
    formula = {"service_level": delivered.service_level, "asa_s": delivered.asa_s,
               "abandon_rate": delivered.abandon_rate if abandons else np.zeros(rows.size),
               "occupancy": delivered.occupancy}
    counts = {name: np.concatenate([getattr(p, name) for p in parts], axis=1) for name in _PER_INTERVAL}
    counts |= {name: np.sum([getattr(p, name) for p in parts], axis=0) for name in ("overrun_s", "unfinished")}
    check = summarise(roster.queue, rows, day.astype(np.int64), tuple(str(d) for d in days), counts, available,
                      formula, forecast.volume[rows], replications, aht_s=aht)
    return check, (parts[0].deferred if deferred else ())
