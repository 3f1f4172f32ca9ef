"""Terminal tables of a plan's cost (``[sites.NAME]`` rates, ``[contract]``) and of the same plan
priced at other sites (``--sites``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

from wfm.report.numbers import money
from wfm.report.tables import compact_table

if TYPE_CHECKING:
    from wfm.cost import Cost
    from wfm.plan import Plan

__all__ = ["print_cost"]




def _cells(c: Cost, contract: bool) -> list[str]:
    """The figures summary.json holds (:meth:`Cost.record`: parts to the cent, total and margin from them), so
    the table and the file agree to the cent."""
    r = c.record()
    cells = [money(r["labour"] + r["premiums"]), money(r["seats"]), money(r["overhead"]), money(r["total"]),
             money(r["per_contact"]), money(r["per_fte"])]
    if contract:
        cells += [money(r.get("revenue")), money(None if r.get("penalty") is None else 0.0 - r["penalty"]),
                  money(r.get("margin"))]
    return cells


def print_cost(console: Console, plan: Plan) -> None:
    """The week's cost per queue and in total (with a contract: revenue, penalty or bonus, margin);
    then, with ``--sites``, the same plan priced at each named site. Nothing without rates."""
    headings = ["Labour+premiums", "Seats", "Overhead", "Total", "Per contact", "Per FTE-week"]  # report.html splits them
    if plan.cost is not None:
        contract = plan.cost.total.revenue is not None
        table = compact_table(f"Cost for week {plan.week}", ["Queue", "Site", *headings,
                                                             *(["Revenue", "Bonus (-penalty)", "Margin"] if contract else [])],
                              left=2)
        for q, c in zip(plan.queues, plan.cost.queues, strict=True):
            table.add_row(q.queue, q.site, *_cells(c, contract))
        if len(plan.queues) > 1:
            table.add_row("all queues", "", *_cells(plan.cost.total, contract), style="bold")
        console.print(table)
    if plan.costs_at:
        first = next(iter(plan.costs_at.values()))
        contract = first.total.revenue is not None
        table = compact_table("The same plan at each site", ["Site", *headings, *(["Revenue", "Bonus (-penalty)", "Margin"]
                                                                                 if contract else [])])
        for name, cost in plan.costs_at.items():
            table.add_row(name, *_cells(cost.total, contract))
        console.print(table)
