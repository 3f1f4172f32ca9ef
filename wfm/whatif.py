"""What-if scenarios (``wfm whatif``): the forecast with its volume and handle time scaled and the
shrinkage changed, sized again for each scenario, priced with the sites' rates and the contract;
and, given a plan folder, the service level and penalty its schedule would give under each scenario,
re-evaluated interval by interval (the schedule is not solved again). Pure library code but for
reading the plan folder's ``coverage.csv`` and ``summary.json``.

Per scenario (volume factor v, AHT factor a, shrinkage s)::

    volume' = v x volume,  AHT' = a x AHT                               per interval
    required FTE  = staff-hours of the resized requirement / (paid hours per FTE week x weeks)
    cost          = staff-hours x cost_per_paid_hour + peak staff x cost_per_seat_month x weeks / W
                    + FTE x overhead_per_fte_month x weeks / W          (each queue at its site; W
                                                       = 365.25 / 84 weeks a month, wfm.times)
    with a plan:  available' = available x (1 - s) / (1 - s_plan)        the plan's agents, new shrinkage
                  service level = Erlang C (or A) of available' on the scenario's traffic, volume-weighted
                  cost          = the plan's cost (summary.json), whatever the scenario
    margin        = revenue (the contract's price on the scenario's contacts) - penalty at that service level
                    - cost
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wfm.config import Settings, show_value
from wfm.cost import Contract, cents, penalty, requirement_costs, shared_seat_scale, site_rates
from wfm.errors import ConfigError, InputError, WfmError
from wfm.forecast import Forecast

__all__ = ["Scenario", "parse_factors", "whatif"]

MAX_SCENARIOS = 400


@dataclass(frozen=True)
class Scenario:
    """One scenario's figures; ``cost`` and ``margin`` are None where no rates or contract give them.
    ``service_level`` (the week's, weighted by volume) is the plan's under the scenario, or without a plan the
    requirement's (at or above the target by construction); None in a week without contacts to answer (as
    ``wfm plan`` shows "-"), which earns no penalty nor bonus. ``shrinkage`` None: as configured per queue."""

    volume_factor: float
    aht_factor: float
    shrinkage: float | None
    required_fte: float
    cost: float | None = None
    margin: float | None = None
    service_level: float | None = None
    penalty: float | None = None

    def record(self) -> dict[str, Any]:
        """The scenario as ``wfm whatif --format json`` gives it."""
        def r(x: float | None, digits: int) -> float | None:
            return None if x is None else cents(x) if digits == 2 else round(x, digits)

        return {"volume_factor": self.volume_factor, "aht_factor": self.aht_factor, "shrinkage": self.shrinkage,
                "required_fte": round(self.required_fte, 4), "cost": r(self.cost, 2), "margin": r(self.margin, 2),
                "service_level": r(self.service_level, 4), "penalty": r(self.penalty, 2)}


FACTOR_RANGES: dict[str, tuple[float, float]] = {"volume": (0.0, 100.0), "aht": (0.01, 100.0), "shrinkage": (0.0, 0.99)}
"""The values a scenario's volume factor, AHT factor and shrinkage may take (from, to), in the command's flags and
in :func:`whatif`."""


def parse_factors(text: str | None, flag: str, low: float, high: float) -> tuple[float, ...]:
    """``"0.9,1.0,1.1"`` as numbers in ``[low, high]``; a one-line ConfigError naming ``flag``."""
    if text is None:
        return ()
    out = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise ConfigError(f"{flag}: expected numbers separated by commas, got {part.strip()!r}") from None
        if not _within(value, low, high):
            raise ConfigError(f"{flag}: each value must be from {low:g} to {high:g}, got {part.strip()}")
        out.append(value)
    return tuple(dict.fromkeys(out))


def _within(value: float, low: float, high: float) -> bool:
    """A factor the scenarios take: finite and from ``low`` to ``high`` (:data:`FACTOR_RANGES`)."""
    return math.isfinite(value) and low <= value <= high


def _scaled(forecast: Forecast, volume: float, aht: float) -> Forecast:
    return dataclasses.replace(forecast, volume=forecast.volume * volume, aht_s=forecast.aht_s * aht)


def _bill_shared_seats(contract: Contract, earned: NDArray[np.float64], owed: NDArray[np.float64],
                       team_sites: Sequence[str], site_seats: Mapping[str, float]) -> None:
    """Each site's teams' fees and penalties scaled (in place) by :func:`wfm.cost.shared_seat_scale`, as
    :func:`wfm.cost.total_cost` bills a plan: a site's shared seats once, not the sum of its teams' own peaks."""
    sites = np.array(team_sites, dtype=object)
    for site in dict.fromkeys(team_sites):
        mine = sites == site
        scale = shared_seat_scale(contract, site_seats[site], float(earned[mine].sum()))
        earned[mine] *= scale
        owed[mine] *= scale


def _team_revenue(contract: Contract, handled: NDArray[np.float64], minutes: NDArray[np.float64],
                  mine: NDArray[np.bool_], paid_hours: float, seats: float) -> float:
    """One team's revenue for the week: its handled contacts or minutes (rows ``mine``), or its
    paid hours or seats."""
    return contract.revenue(seats, paid_hours, float(handled[mine].sum()), float(minutes[mine].sum()))


@dataclass(frozen=True)
class _PlanCoverage:
    rows: NDArray[np.int64]  # forecast rows the plan's coverage.csv covers
    available: NDArray[np.float64]  # agents available there, after the plan's shrinkage
    plan_shrinkage: NDArray[np.float64]  # the shrinkage the plan was made with, per row
    breaks: dict[str, float]  # summary.json: queue -> the share of paid time the plan's breaks take
    cost: float | None
    units: dict[str, tuple[float, float]]  # summary.json queues (teams): name -> (paid hours, seats)
    site_seats: dict[str, float] = field(default_factory=dict)  # summary.json sites: name -> seats (shared)


def _read_coverage(path: Path) -> tuple[list[str], NDArray[np.str_], NDArray[np.float64]]:
    """coverage.csv's queue (always text, even a queue named ``2024``), interval_start and available columns
    (:func:`wfm.simulation.rosters.coverage_rows`: a byte-order mark allowed, a bad cell one line naming its row and
    column); an InputError for a file without rows."""
    from wfm.simulation.rosters import coverage_rows

    rows = list(coverage_rows(path))
    if not rows:
        raise InputError(f"{path}: no rows; expected one per queue and interval the plan covers")
    _, queues, starts, available = zip(*rows)
    return list(queues), np.array(starts, dtype="U32"), np.array(available, dtype=np.float64)


def _recorded_shrinkage(summary: dict[str, Any], part: str = "total") -> dict[str, float]:
    """Queue name -> the shrinkage summary.json records for it or for the blended team it is in: its ``total``,
    or the part ``modelled_by_breaks`` (the paid time the plan's breaks take)."""
    out: dict[str, float] = {}
    for unit in summary.get("queues", []):
        value = (unit.get("shrinkage") or {}).get(part)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            for name in [unit.get("queue"), *((unit.get("team") or {}).get("queues") or [])]:
                out[str(name)] = float(value)
    return out


def _read_plan(folder: Path, forecast: Forecast, settings: Settings, what: str = "plan_folder") -> _PlanCoverage:
    """The plan folder's agents available per interval (coverage.csv) matched to the forecast's
    rows by queue and UTC instant, and its cost (summary.json). Errors name the file (and ``what`` gave it)."""
    coverage, summary_path = folder / "coverage.csv", folder / "summary.json"
    for path in (coverage, summary_path):
        if not path.is_file():
            raise InputError(f"{path}: not found: {what} must be a folder written by wfm plan")
    try:
        return _match_plan(coverage, json.loads(summary_path.read_text(encoding="utf-8")),
                           *_read_coverage(coverage), forecast, settings)
    except WfmError:  # InputError and ConfigError are ValueErrors, but named already
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError, OSError, csv.Error) as exc:
        raise InputError(f"{folder}: not a plan folder wfm wrote ({exc})") from None


def _match_plan(coverage: Path, summary: Any, queues: list[str], text: NDArray[np.str_],
                available: NDArray[np.float64], forecast: Forecast, settings: Settings) -> _PlanCoverage:
    """:func:`_read_plan`'s work once the files are read; a file not as wfm writes it raises ValueError,
    TypeError, KeyError or AttributeError, which the caller names."""
    if not isinstance(summary, dict):
        raise ValueError("summary.json is not an object")
    local = text.astype("U19").astype("datetime64[s]").astype(np.int64)
    tail = np.char.replace(np.char.lstrip(np.array([t[19:] for t in text.tolist()]), "Z"), ":", "")
    sign = np.where(np.char.startswith(tail, "-"), -1, 1)
    digits = np.char.lstrip(np.char.lstrip(tail, "+"), "-")
    offset = sign * (np.array([int(d[:2] or 0) for d in digits]) * 3600 + np.array([int(d[2:4] or 0) for d in digits]) * 60)
    utc = local - offset
    names = list(forecast.queue_names)
    q = np.array([names.index(n) if n in names else -1 for n in queues], dtype=np.int64)
    if np.any(q < 0):
        bad = queues[int(np.flatnonzero(q < 0)[0])]
        raise InputError(f"{coverage}: queue {bad!r} is not in the forecast")
    key_f = forecast.queue.astype(np.int64) * 10**11 + forecast.interval_start.astype("datetime64[s]").astype(np.int64)
    order = np.argsort(key_f, kind="stable")
    key_c = q * 10**11 + utc
    pos = np.searchsorted(key_f[order], key_c)
    found = (pos < key_f.size) & (key_f[order][np.minimum(pos, key_f.size - 1)] == key_c)
    if not found.all():
        i = int(np.flatnonzero(~found)[0])
        raise InputError(f"{coverage}: row {i + 2}: {queues[i]} {text[i]} is not an interval of the forecast")
    rows = order[pos]
    # the shrinkage the plan was made with, as summary.json records it per queue or blended team; a folder
    # without it: as wfm plan sized each queue (wfm.staffing.size), the targets of its queue and channel
    recorded = _recorded_shrinkage(summary)
    per_queue = np.zeros(len(names))  # once per queue of the plan, not per row
    for k in np.unique(q).tolist():
        per_queue[k] = (recorded[names[k]] if names[k] in recorded
                        else settings.targets_for(names[k], forecast.channel_of(k)).shrinkage)
    shrink = per_queue[q]
    cost = summary.get("cost") or {}
    total = cost.get("total")
    if total is not None and (isinstance(total, bool) or not isinstance(total, (int, float))):
        raise ValueError(f"summary.json cost.total {total!r} is not a number")
    return _PlanCoverage(rows=rows, available=available, plan_shrinkage=shrink,
                         breaks=_recorded_shrinkage(summary, "modelled_by_breaks"), cost=total,
                         units={str(u.get("queue")): (float(u.get("paid_hours", 0.0)), float(u.get("seats", 0)))
                                for u in summary.get("queues", [])},
                         site_seats={str(u.get("site")): float(u.get("seats", 0)) for u in summary.get("sites", [])
                                     if isinstance(u, dict)})


_EVALUATED_TARGETS = ("answer_within_s", "model", "patience_s", "concurrency")
"""The targets that change how a plan's agents are re-evaluated (the service level's answer time, the model)."""


def plan_target_changes(plan_folder: str | Path, forecast: Forecast, settings: Settings) -> list[str]:
    """A warning per queue whose targets that the re-evaluation uses differ from those summary.json records the
    plan was made with: the scenarios then judge the plan by other targets (which may be the point, as in
    "what if the client asks for 20 s?"), and factor 1 no longer reproduces the plan's own service level."""
    try:
        summary = json.loads((Path(plan_folder) / "summary.json").read_text(encoding="utf-8"))
        units = [u for u in summary.get("queues", []) if isinstance(u, dict)]
    except (OSError, ValueError, AttributeError):
        return []  # whatif itself names a folder it cannot read
    out = []
    for unit in units:
        name, recorded = unit.get("queue"), unit.get("targets")
        if name not in forecast.queue_names or not isinstance(recorded, dict):
            continue
        now = settings.targets_for(name, forecast.channel_of(forecast.queue_names.index(name)))
        changed = [f"{key} {recorded[key]!r} -> {getattr(now, key)!r}" for key in _EVALUATED_TARGETS
                   if key in recorded and recorded[key] != getattr(now, key)]
        if changed:
            out.append(f"{plan_folder}: queue {name!r} was planned with other targets than these settings give "
                       f"({', '.join(changed)}): the scenarios judge the plan by the settings'")
    return out


def _plan_delivers(plan: _PlanCoverage, forecast: Forecast, requirement: Any,
                   shrinkage: float | None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The service level the plan's agents give on the scenario's traffic, per forecast row (deferred work counts
    as met: 1; a row the plan does not cover has no agents, as :func:`_unplanned` warns), and the contacts they
    handle per row (offered less those who abandon with the plan's agents, Erlang A; all of them otherwise)."""
    from wfm import queueing
    from wfm.staffing import _abandons

    keep = 1.0 if shrinkage is None else (1.0 - shrinkage) / (1.0 - plan.plan_shrinkage)
    available = np.zeros(forecast.volume.size)
    available[plan.rows] = plan.available * keep
    traffic = forecast.volume * forecast.aht_s / forecast.interval_s
    t = requirement.per_row("answer_within_s")
    concurrency = requirement.per_row("concurrency", 1.0)
    patience = requirement.per_row("patience_s", np.inf)
    abandons = _abandons(requirement.targets, forecast.queue)
    aht = np.where(forecast.aht_s > 0, forecast.aht_s, 1.0)
    live = np.isfinite(t) & (forecast.volume > 0) & _live(requirement)  # deferred work: not a queue to answer
    sl = np.ones(forecast.volume.size)
    handled = np.array(requirement.handled, dtype=np.float64)  # rows the plan does not answer: as sized
    if live.any():
        got = queueing.delivered(available[live] * concurrency[live], traffic[live], aht[live], t[live],
                                 abandons[live], np.where(abandons[live], patience[live], np.inf))
        sl[live] = np.nan_to_num(got.service_level, nan=0.0)
        handled[live] = forecast.volume[live] * (1.0 - np.nan_to_num(got.abandon_rate))
    return sl, handled


def unplanned_intervals(plan_folder: str | Path, forecast: Forecast, settings: Settings) -> list[str]:
    """:func:`whatif`'s warning of the week's intervals with contacts that the plan in ``plan_folder`` does not
    cover, for the command, which prints warnings itself (as :func:`plan_target_changes`)."""
    week = scenario_week(forecast, plan_folder)
    return _unplanned(_read_plan(Path(plan_folder), week, settings), week, settings, plan_folder)


def _unplanned(plan: _PlanCoverage, forecast: Forecast, settings: Settings, folder: str | Path) -> list[str]:
    """A warning when intervals of the week with contacts to answer (not deferred work) are not in the plan (hours
    or a queue added since it was made): the scenarios count them unstaffed, as ``wfm simulate --plan`` does."""
    from wfm.forecast.model import format_local

    deferred = np.array([settings.targets_for(q, forecast.channel_of(k)).deferred
                         for k, q in enumerate(forecast.queue_names)], dtype=bool)
    missing = (forecast.volume > 0) & ~deferred[forecast.queue]
    missing[plan.rows] = False
    if not missing.any():
        return []
    first = int(np.flatnonzero(missing)[0])
    when = format_local(forecast.interval_start[first:first + 1], forecast.utc_offset_s[first:first + 1])[0]
    count = int(missing.sum())
    return [f"{folder}: {count:,} interval{'s' if count > 1 else ''} of the week with contacts "
            f"{'are' if count > 1 else 'is'} not in the plan (the first: queue "
            f"{forecast.queue_names[forecast.queue[first]]!r} at {when}): the scenarios count "
            f"{'them' if count > 1 else 'it'} unstaffed"]


def _weighted(values: NDArray[np.float64], weights: NDArray[np.float64], mask: NDArray[np.bool_]) -> float:
    """The mean of ``values`` weighted by ``weights`` where ``mask``; NaN without weight (no contacts: no service
    level, as ``wfm plan`` shows "-", and so no penalty nor bonus, as it prices)."""
    total = float(weights[mask].sum())
    return float((values[mask] * weights[mask]).sum() / total) if total > 0 else math.nan


def _live(requirement: Any) -> NDArray[np.bool_]:
    """Rows of real-time queues (deferred work has no service level to answer in seconds)."""
    deferred = np.array([t.deferred for t in requirement.targets])
    return ~deferred[requirement.forecast.queue]


def scenario_week(forecast: Forecast, plan_folder: str | Path | None = None, week: str | None = None,
                  week_name: str = "week") -> Forecast:
    """The week the scenarios are sized on: ``week`` (an ISO week such as 2026-W49), else the plan's (the
    ``week`` its summary.json records), else the week ``wfm plan`` would plan (the forecast's first). A ``week``
    other than the plan's is a ConfigError naming ``week_name`` (the command's ``--week``)."""
    return _scenario_week(forecast, plan_folder, week, week_name)[0]


def partial_week_warnings(forecast: Forecast, plan_folder: str | Path | None = None, week: str | None = None,
                          week_flag: str | None = None) -> list[str]:
    """A warning when the week sized by default (neither ``week`` nor a plan) holds fewer days than the week after
    it: a forecast from Saturday on would be priced on its weekend (as ``wfm plan`` warns; ``week_flag``: the
    command's ``--week``, named in it). For the command, which prints warnings itself."""
    if week is not None or plan_folder is not None:
        return []
    from wfm.plan import partial_first_week

    chosen, name = _scenario_week(forecast, None, None, "week")
    return partial_first_week(forecast, chosen, name, week_flag, ("sizing", "size"))


def _scenario_week(forecast: Forecast, plan_folder: str | Path | None, week: str | None,
                   week_name: str) -> tuple[Forecast, str]:
    """:func:`scenario_week`, and the week's name."""
    from wfm.plan import parse_week, select_week
    from wfm.simulation.plan_summary import read_week

    if week is not None:
        parse_week(week, week_name)
    if plan_folder is not None:
        summary_path = Path(plan_folder) / "summary.json"
        if summary_path.is_file():  # its week named by the file and key, as wfm simulate --plan names it
            planned = read_week(summary_path)
            if planned is not None and week is not None and parse_week(week, week_name) != parse_week(planned):
                raise ConfigError(f"{week_name} {week}: the plan in {plan_folder} is of week {planned}; a plan is "
                                  "priced on its own week (leave the week out)")
            week = planned if planned is not None else week
    chosen, name, _ = select_week(forecast, week)
    return chosen, name


def whatif(forecast: Forecast, settings: Settings, volume: Sequence[float] = (1.0,), aht: Sequence[float] = (1.0,),
           shrinkage: Sequence[float | None] = (None,), plan_folder: str | Path | None = None, *,
           week: str | None = None, names: Mapping[str, str] | None = None) -> list[Scenario]:
    """Every combination of ``volume`` x ``aht`` x ``shrinkage`` factors (module docstring), in
    that order, on one week: ``week``, else the plan's (``plan_folder``), else the week ``wfm plan`` would plan
    (the forecast's first; with a warning when it holds fewer days than the week after it). The penalty or bonus
    applies per team (a queue alone, or a blended team: its revenue at its real-time queue's service level), as
    ``wfm plan`` prices it. At most
    ``MAX_SCENARIOS`` scenarios. Warns (:class:`wfm.errors.UnusedSettingWarning`) of each ``[queues.NAME]`` section
    that names no queue of the forecast, as :func:`wfm.size` does. Errors name ``shrinkage``, ``plan_folder`` and
    ``week``, or their labels in ``names`` (the command's ``--shrinkage``, ``--plan`` and ``--week``)."""
    from wfm.config_file import apply_overrides
    from wfm.errors import warn_forecast, warn_unused
    from wfm.staffing import queue_summary, size

    volume, aht, shrinkage = tuple(volume) or (1.0,), tuple(aht) or (1.0,), tuple(shrinkage) or (None,)
    for name, values in (("volume", volume), ("aht", aht), ("shrinkage", [x for x in shrinkage if x is not None])):
        low, high = FACTOR_RANGES[name]
        for value in values:
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not _within(value, low, high):
                raise ConfigError(f"whatif: each {name} {'value' if name == 'shrinkage' else 'factor'} must be a "
                                  f"number from {low:g} to {high:g}, got {value!r}")
    if len(volume) * len(aht) * len(shrinkage) > MAX_SCENARIOS:
        raise ConfigError(f"at most {MAX_SCENARIOS} scenarios, got {len(volume)} x {len(aht)} x {len(shrinkage)}")
    warn_unused(settings.unknown_queue_warnings(forecast.queue_names))  # the whole forecast's queues, not the week's
    label = {"shrinkage": "shrinkage", "plan_folder": "plan_folder", "week": "week", **(names or {})}
    warn_forecast(partial_week_warnings(forecast, plan_folder, week, label["week"] if names else None))
    forecast = scenario_week(forecast, plan_folder, week, label["week"])
    plan = None
    if plan_folder is not None:
        plan = _read_plan(Path(plan_folder), forecast, settings, label["plan_folder"])
        warn_forecast(_unplanned(plan, forecast, settings, plan_folder))
    if plan is not None:  # the plan's breaks take paid time whatever the shrinkage: a scenario cannot go below it
        for given in (x for x in shrinkage if x is not None):
            below = sorted(q for q, share in plan.breaks.items() if given < share - 1e-9)
            if below:
                raise ConfigError(f"{label['shrinkage']} {show_value(given)}: below the {plan.breaks[below[0]]:.1%} of paid time "
                                  f"the plan's breaks already take (queue {below[0]!r}); give at least that")
    if plan is not None and settings.sites:  # the plan carries its cost; its queues' sites still need rates
        for name in forecast.queue_names:
            site_rates(settings.sites, name, settings.site_for(name), settings.source)
    teams = sorted({settings.team_for(q) for q in forecast.queue_names})  # a queue alone is its own team
    team_of = np.array([teams.index(settings.team_for(q)) for q in forecast.queue_names])[forecast.queue]
    team_sites = [settings.site_for(next(q for q in forecast.queue_names if settings.team_for(q) == team))
                  for team in teams]  # a team sits at one site (Settings.teams)
    site_rows = {site: np.flatnonzero(np.isin(forecast.queue, [k for k, q in enumerate(forecast.queue_names)
                                                               if settings.site_for(q) == site]))
                 for site in team_sites}
    out = []
    for s in shrinkage:
        scenario_settings = settings if s is None else apply_overrides(settings, {"shrinkage": s})
        for v in volume:
            for a in aht:
                scaled = _scaled(forecast, v, a)
                requirement = size(scaled, scenario_settings, warn_unused_sections=False)  # one week of it
                fte = sum(x.fte for x in queue_summary(requirement))
                if plan is not None:
                    cost = plan.cost
                else:
                    costs = requirement_costs(requirement, scenario_settings)
                    cost = None if costs is None else costs[1]
                row_sl, handled = (_plan_delivers(plan, scaled, requirement, s) if plan is not None
                                   else (np.nan_to_num(requirement.service_level, nan=1.0), requirement.handled))
                live = _live(requirement)
                sl = _weighted(row_sl, scaled.volume, live)
                pen = margin = None
                contract = settings.contract
                if contract is not None:  # the bonus or penalty is the contract's, with or without rates
                    minutes = handled * scaled.aht_s / 60.0
                    staff_hours = requirement.staff_exact * scaled.interval_s / 3600
                    earned, owed = np.zeros(len(teams)), np.zeros(len(teams))
                    for k, team in enumerate(teams):  # as wfm plan prices it: per team, at its own service level
                        mine = team_of == k
                        # without a plan: the team's own staff-hours and the peak of its staff together
                        paid, seats = (plan.units.get(team, (0.0, 0.0)) if plan is not None else
                                       (float(staff_hours[mine].sum()),
                                        requirement.peak_staff_together(np.flatnonzero(mine))))
                        earned[k] = _team_revenue(contract, handled, minutes, mine, paid, seats)
                        owed[k] = penalty(earned[k], _weighted(row_sl, scaled.volume, mine & live), contract)
                    if contract.price_model == "per_seat_month":  # a site's seats are shared: billed once
                        shared = {site: plan.site_seats.get(site, 0.0) if plan is not None else
                                  requirement.peak_staff_together(rows) for site, rows in site_rows.items()}
                        _bill_shared_seats(contract, earned, owed, team_sites, shared)
                    revenue, pen = float(earned.sum()), float(owed.sum())
                    if cost is not None:  # as summary.json: from the rounded parts
                        margin = cents(revenue) - cents(pen) - cost
                out.append(Scenario(v, a, s, fte, cost, margin, None if math.isnan(sl) else sl, pen))
    return out
