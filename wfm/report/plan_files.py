"""The plan folder: requirements.csv, shifts.csv, coverage.csv, summary.json and report.html, written
together as a whole (wfm.outputs.write_folder)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from wfm.report.documents import requirement_columns, to_csv, to_json
from wfm.report.numbers import money, pct, pct_against
from wfm.report.plan_documents import (
    cost_rows,
    coverage_columns,
    file_warnings,
    plan_document,
    queue_plan_record,
    shift_columns,
)

if TYPE_CHECKING:
    from wfm.plan import Plan, QueuePlan


def _cost_facts(plan: Plan) -> list[tuple[str, str]]:
    """The week's cost (and P&L) as headline facts; none without [sites.NAME] rates. ``--sites``: the
    same plan's total at each site."""
    if plan.cost is None:
        return []
    c = plan.cost.total.record()  # the figures summary.json holds, to the cent
    facts = [("Weekly cost", money(c["total"]))]
    if c["per_contact"] is not None:
        facts.append(("Cost per contact", money(c["per_contact"])))
    if c["per_fte"] is not None:
        facts.append(("Cost per FTE-week", money(c["per_fte"])))
    if "revenue" in c:
        facts += [("Revenue", money(c["revenue"])), ("Bonus (-penalty)", money(0.0 - c["penalty"])),
                  ("Margin", money(c["margin"]))]
    facts += [(f"Cost at {name}", money(at.total.record()["total"])) for name, at in plan.costs_at.items()]
    return facts


def plan_html(plan: Plan, inputs: Mapping[str, str], jobs: int = 1) -> str:
    """report.html: the headline, then charts per queue (wfm.report.html), drawn in ``jobs`` processes."""
    from wfm.report.html import Figure, PlanHeadline, QueueCoverage, render_plan_html

    f = plan.requirement.forecast
    facts = [
        ("Headcount", f"{plan.headcount:,}"),
        ("FTE", f"{plan.fte:,.1f}"),
        ("Seats", f"{plan.seats:,}"),
        ("Service level", pct_against(plan.service_level, plan.service_level_target)),
        ("Efficiency", pct(plan.efficiency)),
        ("Solver gap", f"{max(q.schedule.gap for q in plan.queues):.2%}"),
        *_cost_facts(plan),
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
            # a blended team's agents on deferred work, drawn above the real-time queue's; a deferred queue alone has
            # none above its own: what it has available is its deferred work
            deferred=_deferred_agents(plan, q) if q.deferred and not q.targets.deferred else None,
            simulated=_simulated(plan, q),
            members=q.members,
            member_facts=_member_facts(plan, q),
        )
        for q in plan.queues
    ]
    # the day's service level unrounded (summary.json's has 4 decimals: shown to 1 it could round twice and
    # differ from the chart's title by 0.1 point)
    daily = [day | {"service_level": Figure(pct_against(level, q.targets.service_level, undefined="–")), "queue": q.queue}
             for q in plan.queues
             for day, level in zip(queue_plan_record(q)["days"], q.evaluation.service_level_by_day.tolist())]
    headline = PlanHeadline(title=f"Plan for week {plan.week}: {Path(f.path).name}", facts=facts,
                            warnings=(*plan.misses, *file_warnings(plan)))
    return render_plan_html(headline, queues, daily, cost_rows(plan), jobs=jobs)


def _member_facts(plan: Plan, q: QueuePlan) -> tuple[tuple[str, str], ...]:
    """A blended team's deferred queues on its page: each one's contacts, target, share answered in time over
    the week and items still waiting at the end."""
    from wfm.times import duration_text

    f = plan.requirement.forecast
    facts: list[tuple[str, str]] = []
    for d in q.deferred:
        t = plan.requirement.targets[f.queue_names.index(d.queue)]
        facts += [(f"Contacts offered ({d.queue})", f"{float(f.volume[d.rows].sum()):,.0f}"),
                  (f"Answered in time ({d.queue})", f"{pct_against(d.service_level_week, t.service_level)} (target "
                                                     f"{100 * t.service_level:g}% in {duration_text(t.answer_within_s)})"),
                  (f"Backlog at the end ({d.queue})", f"{float(d.backlog[-1]) if d.backlog.size else 0.0:,.0f}")]
    return tuple(facts)


def _simulated(plan: Plan, q: QueuePlan) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The simulated service level band of the queue (``wfm plan --simulate``), or None."""
    if plan.simulation is None:
        return None
    for check in plan.simulation.checks:
        if check.queue == q.queue:
            band = check.intervals["service_level"]
            return band.mean, band.ci_low, band.ci_high
    return None


def _deferred_agents(plan: Plan, q: QueuePlan) -> np.ndarray:
    """A blended team's available agents working its deferred queues, per interval of ``q.rows``."""
    starts = plan.requirement.forecast.interval_start
    total = np.zeros(q.rows.size)
    for outcome in q.deferred:
        own = starts[outcome.rows]
        at = np.minimum(np.searchsorted(own, starts[q.rows]), own.size - 1)
        total += np.where(own[at] == starts[q.rows], outcome.worked_agents[at], 0.0)
    return total


PLAN_FILES = ("requirements.csv", "shifts.csv", "coverage.csv", "summary.json", "report.html")
XLSX_FILE = "plan.xlsx"
"""Written too with ``xlsx=True`` (``wfm plan --xlsx``)."""


def write_plan(plan: Plan, out: str | os.PathLike[str], inputs: Mapping[str, str], *,
               input_paths: Sequence[str | Path] = (), xlsx: bool = False, jobs: int = 1) -> None:
    """Write the plan's five files into the folder ``out`` as a whole (wfm.outputs.write_folder):
    built beside it and swapped into place, so at every instant ``out`` holds the old plan or the new
    one. ``out`` must be new, empty or a plan wfm wrote; ``input_paths`` (the forecast, the config)
    must not be inside it. summary.json carries the marker that lets the next run replace the folder.
    ``xlsx`` adds plan.xlsx (wfm.report.xlsx), written in the same swap as the other files; ``jobs`` processes
    draw report.html's charts."""
    from wfm.outputs import mark_summary, write_folder

    names = (*PLAN_FILES, XLSX_FILE) if xlsx else PLAN_FILES
    tables = {"requirements": requirement_columns(plan.requirement), "shifts": shift_columns(plan),
              "coverage": coverage_columns(plan)}  # the CSV files, and the workbook's sheets of the same names
    files: dict[str, str | bytes] = {
        "requirements.csv": to_csv(tables["requirements"]),
        "shifts.csv": to_csv(tables["shifts"]),
        "coverage.csv": to_csv(tables["coverage"]),
        "summary.json": to_json(mark_summary(plan_document(plan, inputs), names)),
        "report.html": plan_html(plan, inputs, jobs),
    }
    if xlsx:
        from wfm.report.xlsx import plan_workbook

        files[XLSX_FILE] = plan_workbook(plan, tables)
    write_folder(out, files, inputs=input_paths)
