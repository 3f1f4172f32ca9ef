"""The weekly plan's outputs: requirements.csv, shifts.csv, coverage.csv, summary.json and
report.html, written together into one folder atomically; and its terminal tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
from rich.console import Console

from wfm.forecast import format_local
from wfm.plan import Plan, QueuePlan
from wfm.report import compact_table, pct, requirement_columns, to_csv, to_json
from wfm.schedule import Shift, Tour

SHIFT_COLUMNS = ("queue", "day", "start", "end", "length_h", "paid_h", "part_time", "count", "breaks")
COVERAGE_COLUMNS = ("queue", "interval_start", "required", "scheduled", "available", "service_level")


def _breaks_text(shift: Shift) -> str:
    """'break 10:00x3 10:30x2; lunch 12:00x5' (local start times, how many agents at each)."""
    by_name: dict[str, list[str]] = {}
    for b in shift.breaks:
        by_name.setdefault(b.name, []).append(f"{b.start_local:%H:%M}x{b.count}")
    return "; ".join(f"{name} {' '.join(times)}" for name, times in by_name.items())


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
        "breaks": np.array([_breaks_text(s) for _, s in rows], dtype=object),
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
        "start": f"{tour.start:%H:%M}",
        "length_h": tour.length_h,
        "days": tour.pattern,
        "starts": {f"{day:%a}": f"{start:%H:%M}" for day, start in tour.day_starts},
        "part_time": tour.part_time,
        "count": tour.count,
        "paid_h_per_week": round(tour.paid_h_per_week, 4),
    }


def _queue_plan_record(q: QueuePlan) -> dict[str, Any]:
    s, e = q.schedule, q.evaluation
    return {
        "queue": q.queue,
        "headcount": s.headcount,
        "fte": round(q.fte, 4),
        "paid_hours": round(s.paid_hours, 4),
        "required_hours": round(e.required_hours, 4),
        "efficiency": round(e.efficiency, 4),
        "service_level": round(e.service_level_week, 4),
        "occupancy": round(e.occupancy_week, 4),
        "under_staffed_intervals": int(e.under_staffed.sum()),
        "over_staffed_intervals": int(e.over_staffed.sum()),
        "seats": q.seats.seats,
        "shrinkage": {"total": q.shrinkage.total, "modelled_by_breaks": round(q.shrinkage.modelled, 6),
                      "remaining": round(q.shrinkage.remaining, 6)},
        "solver": {"status": s.status, "optimal": s.optimal, "objective": round(s.objective, 4),
                   "lower_bound": round(s.lower_bound, 4), "gap": round(s.gap, 6),
                   "time_limit_hit": s.time_limit_hit},
        "days": [
            {"day": str(day), "service_level": round(level, 4), "volume": round(volume, 4), "shifts": int(shifts),
             "seats": int(seat)}
            for day, level, volume, shifts, seat in zip(
                e.days.tolist(), e.service_level_by_day.tolist(), e.volume_by_day.tolist(),
                s.shifts_per_day.tolist(), q.seats.seats_by_day.tolist())
        ],
        "tours": [_tour_record(t) for t in s.tours],
        "targets": vars(q.targets),
        "misses": list(q.misses),
    }


def plan_document(plan: Plan, inputs: Mapping[str, str]) -> dict[str, Any]:
    """summary.json: the week's headline figures, per queue and per day, the inputs' checksums
    (``inputs``: file name -> sha256) and the rules used. Deterministic: no clock times."""
    return {
        "week": plan.week,
        "meets_targets": plan.meets_targets,
        "headcount": plan.headcount,
        "fte": round(plan.fte, 4),
        "seats": plan.seats,
        "sites": [
            {"site": site.site, "queues": list(site.queues), "seats": site.seats,
             "peak_on_site": round(site.peak_on_site, 4),
             "days": [{"day": str(day), "seats": int(n)} for day, n in zip(site.days.tolist(), site.seats_by_day.tolist())]}
            for site in plan.sites
        ],
        "service_level": round(plan.service_level, 4),
        "efficiency": round(plan.efficiency, 4),
        "paid_hours": round(plan.paid_hours, 4),
        "required_hours": round(plan.required_hours, 4),
        "max_solver_gap": round(max(q.schedule.gap for q in plan.queues), 6),
        "misses": list(plan.misses),
        "queues": [_queue_plan_record(q) for q in plan.queues],
        "inputs": dict(inputs),
        "rules": {"schedule": _plain(dataclasses.asdict(plan.rules)), "seats": vars(plan.seat_rules)},
    }


def _plain(value: Any) -> Any:
    """Rules as JSON: times as HH:MM, tuples as lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


def plan_html(plan: Plan, inputs: Mapping[str, str]) -> str:
    """report.html: the headline, then charts per queue (wfm.html_report)."""
    from wfm.html_report import PlanHeadline, QueueCoverage, render_plan_html

    f = plan.requirement.forecast
    facts = [
        ("Headcount", f"{plan.headcount:,}"),
        ("FTE", f"{plan.fte:,.1f}"),
        ("Seats", f"{plan.seats:,}"),
        ("Service level", pct(plan.service_level)),
        ("Efficiency", pct(plan.efficiency)),
        ("Solver gap", f"{max(q.schedule.gap for q in plan.queues):.2%}"),
        *((f"Input {name}", digest[:12]) for name, digest in inputs.items()),
    ]
    queues = [
        QueueCoverage(
            queue=q.queue,
            local_start=f.local_start[q.rows],
            interval_s=float(f.interval_s[q.rows[0]]),
            volume=f.volume[q.rows],
            required=q.evaluation.required,
            scheduled=q.evaluation.on_shift,
            available=q.evaluation.available,
            service_level=q.evaluation.service_level,
            answer_within_s=q.targets.answer_within_s,
            service_level_target=q.targets.service_level,
        )
        for q in plan.queues
    ]
    daily = [day | {"queue": q.queue} for q in plan.queues for day in _queue_plan_record(q)["days"]]
    headline = PlanHeadline(title=f"Plan for week {plan.week}: {Path(f.path).name}", facts=facts,
                            warnings=plan.misses)
    return render_plan_html(headline, queues, daily)


PLAN_FILES = ("requirements.csv", "shifts.csv", "coverage.csv", "summary.json", "report.html")


def write_plan(plan: Plan, out: str | Path, inputs: Mapping[str, str], *,
               input_paths: Sequence[str | Path] = ()) -> None:
    """Write the plan's five files into the folder ``out`` as a whole (wfm.outputs.write_folder):
    built beside it and swapped into place, so at every instant ``out`` holds the old plan or the new
    one. ``out`` must be new, empty or a plan wfm wrote; ``input_paths`` (the forecast, the config)
    must not be inside it. summary.json carries the marker that lets the next run replace the folder."""
    from wfm.outputs import mark_summary, write_folder

    files = {
        "requirements.csv": to_csv(requirement_columns(plan.requirement)),
        "shifts.csv": to_csv(shift_columns(plan)),
        "coverage.csv": to_csv(coverage_columns(plan)),
        "summary.json": to_json(mark_summary(plan_document(plan, inputs), PLAN_FILES)),
        "report.html": plan_html(plan, inputs),
    }
    write_folder(out, files, inputs=input_paths)


def print_plan(console: Console, plan: Plan) -> None:
    """The short terminal summary of a plan: per queue headcount, FTE, seats, service level."""
    table = compact_table(f"Plan for week {plan.week}", ["Queue", "Headcount", "FTE", "Seats", "Paid h", "Required h",
                                                  "Efficiency", "SL", "Under-staffed\nintervals", "Gap"])
    for q in plan.queues:
        e = q.evaluation
        table.add_row(q.queue, f"{q.schedule.headcount:,}", f"{q.fte:,.1f}", f"{q.seats.seats:,}",
                      f"{q.schedule.paid_hours:,.1f}", f"{e.required_hours:,.1f}", pct(e.efficiency),
                      pct(e.service_level_week), f"{int(e.under_staffed.sum()):,}", f"{q.schedule.gap:.2%}")
    if len(plan.queues) > 1:
        table.add_row("all queues", f"{plan.headcount:,}", f"{plan.fte:,.1f}", f"{plan.seats:,}",
                      f"{plan.paid_hours:,.1f}", f"{plan.required_hours:,.1f}", pct(plan.efficiency),
                      pct(plan.service_level), "", "", style="bold")
    console.print(table)


def print_schedule(console: Console, plan: Plan) -> None:
    """`wfm schedule`'s table view: the tours (or shifts) per queue, then the plan summary."""
    for q in plan.queues:
        if q.schedule.tours:
            table = compact_table(f"{q.queue}: weekly tours", ["Start", "End", "Length", "Days", "Part-time",
                                                        "Agents", "Paid h/week"], left=4)
            for t in q.schedule.tours:
                end = dt.datetime.combine(dt.date(2000, 1, 1), t.start) + dt.timedelta(hours=t.length_h)
                table.add_row(f"{t.start:%H:%M}", f"{end:%H:%M}", f"{t.length_h:g} h", t.pattern,
                              "yes" if t.part_time else "", f"{t.count:,}", f"{t.paid_h_per_week:g}")
        else:
            table = compact_table(f"{q.queue}: shifts", ["Day", "Start", "End", "Part-time", "Agents", "Breaks"], left=4)
            for s in q.schedule.shifts:
                table.add_row(f"{s.day:%a %Y-%m-%d}", f"{s.start_local:%H:%M}", f"{s.end_local:%H:%M}",
                              "yes" if s.part_time else "", f"{s.count:,}", _breaks_text(s))
            table.columns[-1].justify = "left"  # the breaks are text
        console.print(table)
    print_plan(console, plan)
