"""The plan in machine formats: shifts.csv and coverage.csv as named columns, summary.json as a document.

Deterministic: no clock times, keys in a fixed order, numbers rounded for reading.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from wfm.forecast import format_local
from wfm.report.numbers import round_against
from wfm.times import offset_text

if TYPE_CHECKING:
    from wfm.plan import Plan, QueuePlan
    from wfm.scheduling.solution import Shift, Tour
    from wfm.staffing import Requirement

SHIFT_COLUMNS = ("queue", "day", "start", "end", "length_h", "paid_h", "part_time", "count", "breaks")
COVERAGE_COLUMNS = ("queue", "interval_start", "required", "scheduled", "available", "service_level")


def breaks_text(shift: Shift) -> str:
    """'break 10:00x3 10:30x2; lunch 12:00x5' (local start times, how many agents at each). In a shift that spans a
    change of UTC offset each time carries its offset, 'lunch 01:15-05:00x11': on a fall-back night 01:15 happens
    twice, and the plan's break may be in either."""
    crosses = _offset_s(shift.start_local, shift.start_utc) != _offset_s(shift.end_local, shift.end_utc)
    by_name: dict[str, list[str]] = {}
    for b in shift.breaks:
        offset = offset_text(_offset_s(b.start_local, b.start_utc)) if crosses else ""
        by_name.setdefault(b.name, []).append(f"{b.start_local:%H:%M}{offset}x{b.count}")
    return "; ".join(f"{name} {' '.join(times)}" for name, times in by_name.items())


def _offset_s(local: dt.datetime, utc: np.datetime64) -> int:
    """The UTC offset, seconds, of a local wall-clock time and the instant it is."""
    return int((np.datetime64(local, "s") - utc.astype("datetime64[s]")).astype(np.int64))


def shift_columns(plan: Plan) -> dict[str, np.ndarray]:
    """Every daily shift of the plan, queue by queue, with its breaks (local times)."""
    rows = [(q.queue, s) for q in plan.queues for s in q.schedule.shifts]
    return {
        "queue": np.array([q for q, _ in rows], dtype=object),
        "day": np.array([s.day.isoformat() for _, s in rows], dtype=object),
        "start": np.array([f"{s.start_local:%Y-%m-%dT%H:%M}" for _, s in rows], dtype=object),
        "end": np.array([f"{s.end_local:%Y-%m-%dT%H:%M}" for _, s in rows], dtype=object),
        "length_h": np.array([s.length_h for _, s in rows], dtype=np.float64),
        "paid_h": np.array([s.paid_h for _, s in rows], dtype=np.float64),
        "part_time": np.array([s.part_time for _, s in rows], dtype=bool),
        "count": np.array([s.count for _, s in rows], dtype=np.int64),
        "breaks": np.array([breaks_text(s) for _, s in rows], dtype=object),
        "tour": np.array([s.tour for _, s in rows], dtype=object),
    }


def coverage_columns(plan: Plan) -> dict[str, np.ndarray]:
    """Per interval: agents required on the phones, on shift, available (after breaks and the
    remaining shrinkage) and the service level the available agents give."""
    f = plan.requirement.forecast
    order = np.concatenate([q.rows for q in plan.queues])
    pick = lambda name: np.concatenate([getattr(q.evaluation, name) for q in plan.queues])  # noqa: E731
    return {
        "queue": np.asarray(f.queue_names, dtype=object)[f.queue[order]],
        "interval_start": format_local(f.interval_start[order], f.utc_offset_s[order]),
        "required": np.round(pick("required"), 4),
        "scheduled": np.round(pick("on_shift"), 4),
        "available": np.round(pick("available"), 4),
        "service_level": np.round(pick("service_level"), 4),
    }


def _tour_record(tour: Tour) -> dict[str, Any]:
    return {
        "tour": tour.label,
        "start": f"{tour.start:%H:%M}",
        "length_h": tour.length_h,
        "days": tour.pattern,
        "starts": {f"{day:%a}": f"{start:%H:%M}" for day, start in tour.day_starts},
        "part_time": tour.part_time,
        "count": tour.count,
        "paid_h_per_week": round(tour.paid_h_per_week, 4),
        "alternate_weeks": tour.alternate_weeks,
        "swaps_with": list(tour.swaps_with),
    }


def queue_plan_record(q: QueuePlan, requirement: Requirement | None = None) -> dict[str, Any]:
    """summary.json's record of one queue (or team); with the plan's ``requirement``, its deferred queues' days also
    give the plan's mean response and the items waiting at the day's end (what ``wfm simulate --plan`` sets its
    simulation beside)."""
    s, e = q.schedule, q.evaluation
    per_day = {d.queue: _deferred_days(requirement, d) for d in q.deferred} if requirement is not None else {}
    return {
        "queue": q.queue,
        "headcount": s.headcount,
        "fte": round(q.fte, 4),
        "paid_hours": round(s.paid_hours, 4),
        "required_hours": round(e.required_hours, 4),
        "efficiency": round(e.efficiency, 4),
        "service_level": round_against(e.service_level_week, q.targets.service_level),
        "occupancy": round(e.occupancy_week, 4),
        "under_staffed_intervals": int(e.under_staffed.sum()),
        "over_staffed_intervals": int(e.over_staffed.sum()),
        "seats": q.seats.seats,
        "part_time_share": round(q.part_time_share, 4),
        "patterns": q.patterns[0],
        "single_agent_patterns": q.patterns[1],
        "shrinkage": {"total": q.shrinkage.total, "modelled_by_breaks": round(q.shrinkage.modelled, 6),
                      "remaining": round(q.shrinkage.remaining, 6)},
        "solver": {"status": s.status, "optimal": s.optimal, "objective": round(s.objective, 4),
                   "lower_bound": round(s.lower_bound, 4), "gap": round(s.gap, 6),
                   "time_limit_hit": s.time_limit_hit},
        "days": [
            {"day": str(day), "service_level": round_against(level, q.targets.service_level if volume > 0 else None),
             "volume": round(volume, 4), "shifts": int(shifts),
             "seats": int(seat)}
            for day, level, volume, shifts, seat in zip(
                e.days.tolist(), e.service_level_by_day.tolist(), e.volume_by_day.tolist(),
                s.shifts_per_day.tolist(), q.seats.seats_by_day.tolist())
        ],
        "tours": [_tour_record(t) for t in s.tours],
        "targets": vars(q.targets),
        "misses": list(q.misses),
        "team": {"queues": list(q.members), "paid_hours_blended": round(s.paid_hours, 4),
                 "paid_hours_dedicated": None if q.dedicated_paid_hours is None  # no dedicated team fits the rules
                 else round(q.dedicated_paid_hours, 4)} if q.members else None,
        "deferred": [
            {"queue": d.queue, "service_level": round_against(d.service_level_week, d.service_level_target),
             "backlog_at_end": round(float(d.backlog[-1]), 2),
             "agent_hours": round(float(d.worked_agents.sum()) * s.interval_s / 3600, 4),
             "days": [{"day": str(day), "service_level": round_against(level, d.service_level_target),
                       **per_day.get(d.queue, [{}] * d.days.size)[k]}
                      for k, (day, level) in enumerate(zip(d.days.tolist(), d.service_level_by_day.tolist()))]}
            for d in q.deferred
        ],
    }


def _deferred_days(requirement: Requirement, d: Any) -> list[dict[str, float | None]]:
    """Per local day of a deferred queue's outcome: its mean response (s, None when some items are never answered)
    and the items waiting at the day's end (:func:`wfm.simulation.blended.plan_formula`)."""
    from wfm.simulation.blended import plan_formula

    figures = plan_formula(requirement, requirement.forecast.queue_names.index(d.queue), d)
    return [{"mean_response_s": None if np.isnan(response) else round(float(response), 1),
             "backlog": round(float(backlog), 2)}
            for response, backlog in zip(figures["mean_response_s"].tolist(), figures["backlog"].tolist())]


def file_warnings(plan: Plan) -> list[str]:
    """The plan's warnings as its files keep them: the forecast and the settings file named by their file names (as
    ``inputs`` names them), not by the paths typed, so that the files do not depend on where the command ran."""
    named = {str(plan.requirement.forecast.path)}
    source = getattr(plan.rules, "_source", "")
    if source.endswith(" [schedule]"):
        named.add(source[: -len(" [schedule]")])
    swaps = sorted(((path, Path(path).name) for path in named if path and Path(path).name != path),
                   key=lambda swap: -len(swap[0]))
    out = []
    for warning in plan.warnings:
        for path, name in swaps:
            warning = warning.replace(path, name)
        out.append(warning)
    return out


def plan_document(plan: Plan, inputs: Mapping[str, str]) -> dict[str, Any]:
    """summary.json: the week's headline figures, per queue and per day, the inputs' checksums
    (``inputs``: file name -> sha256) and the rules used. Deterministic: no clock times."""
    cost = plan.cost
    queues = [queue_plan_record(q, plan.requirement) for q in plan.queues]
    for i, record in enumerate(queues):
        record["cost"] = cost.queues[i].record() if cost is not None else None
    return {
        "week": plan.week,
        "meets_targets": plan.meets_targets,
        "headcount": plan.headcount,
        "fte": round(plan.fte, 4),
        "seats": plan.seats,
        "sites": [
            {"site": site.site, "queues": list(site.queues), "seats": site.seats,
             "peak_on_site": round(site.peak_on_site, 4),
             "cost": cost.sites[site.site].record() if cost is not None and site.site in cost.sites else None,
             "days": [{"day": str(day), "seats": int(n)} for day, n in zip(site.days.tolist(), site.seats_by_day.tolist())]}
            for site in plan.sites
        ],
        "service_level": round_against(plan.service_level, plan.service_level_target),
        "efficiency": round(plan.efficiency, 4),
        "paid_hours": round(plan.paid_hours, 4),
        "required_hours": round(plan.required_hours, 4),
        "max_solver_gap": round(max(q.schedule.gap for q in plan.queues), 6),
        "misses": list(plan.misses),
        "warnings": file_warnings(plan),  # the plan's own, as stderr had them: a cron job keeps the files
        "cost": cost.total.record() if cost is not None else None,
        "cost_by_site": {name: c.total.record() for name, c in plan.costs_at.items()},
        "queues": queues,
        "simulation": _simulation_record(plan.simulation) if plan.simulation is not None else None,
        "inputs": dict(inputs),
        "rules": {"schedule": _plain(dataclasses.asdict(plan.rules)), "seats": vars(plan.seat_rules)},
    }


def _simulation_record(report: Any) -> dict[str, Any]:
    """``wfm plan --simulate``: per queue and day the simulated measures (mean, 95 % interval) beside the formula's."""
    from wfm.report.simulation import day_records, deferred_day_records

    return {"replications": report.replications, "seed": report.seed, "notes": list(report.notes),
            "deferred_days": deferred_day_records(report),
            "queues": [{"queue": check.queue, "flagged_intervals": int(check.flagged_intervals().sum()),
                        "intervals": int(check.rows.size), "overrun_s_per_replication": round(check.overrun_s, 2),
                        "days": day_records(check)} for check in report.checks]}


def _plain(value: Any) -> Any:
    """Rules as JSON: times as HH:MM, tuples as lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


def cost_rows(plan: Plan) -> list[dict[str, Any]]:
    """The cost table of report.html and plan.xlsx: each queue, each site (its shared seats) and, with --sites, the same
    plan at each named site; none without [sites.NAME] rates."""
    if plan.cost is None:
        return []

    def row(kind: str, name: str, site: str, record: Mapping[str, Any]) -> dict[str, Any]:
        out = {"for": kind, "name": name, "site": site, "labour_cost": record["labour"],
               "premium_cost": record["premiums"], "seat_cost": record["seats"], "overhead_cost": record["overhead"],
               "total_cost": record["total"], "cost_per_contact": record["per_contact"],
               "cost_per_fte": record["per_fte"]}
        if "revenue" in record:
            out |= {"revenue": record["revenue"], "bonus_or_penalty": -record["penalty"] + 0.0,
                    "margin": record["margin"]}
        return out

    rows = [row("queue", q.queue, q.site, c.record()) for q, c in zip(plan.queues, plan.cost.queues, strict=True)]
    rows += [row("site", name, name, c.record()) for name, c in plan.cost.sites.items()]
    rows.append(row("plan", "all queues", "", plan.cost.total.record()))
    rows += [row("same plan at", name, name, c.total.record()) for name, c in plan.costs_at.items()]
    return rows
