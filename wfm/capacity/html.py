"""The capacity plan as one self-contained HTML page (``wfm capacity --html PATH``): the headline figures, the
periods not covered, a chart of required against productive FTE per period (with headcount, agents in training
and the class starts), the plan's table and the classes to start.

Like the plan report (:mod:`wfm.report.html`, whose style it shares): inline SVG drawn by
:func:`wfm.report.capacity_chart.capacity_figure`, nothing fetched from the network, every name from the input
escaped, and a pure function from data to text: the same plan gives byte-identical pages (for a given
matplotlib version). The caller writes the text (whole, with :func:`wfm.outputs.write_file`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from wfm.capacity.inputs import parse_period
from wfm.report.capacity_chart import capacity_figure
from wfm.report.chart_svg import svg
from wfm.report.numbers import money
from wfm.report.page_text import esc, page_head

if TYPE_CHECKING:
    from wfm.capacity.run import CapacityPlan

__all__ = ["render_capacity_html"]

_MONEY = ("cost", "revenue", "margin")
_HEADERS = {
    "period": "Period", "required_fte": "Required FTE", "productive_fte": "Productive FTE", "gap_fte": "Gap FTE",
    "headcount": "Headcount", "attrition": "Leavers", "hires_starting": "Hires starting",
    "in_training": "In training", "cost": "Cost", "revenue": "Revenue", "margin": "Margin",
}
_NUM = ' class="num"'
_ORDER = ("period", "required_fte", "productive_fte", "gap_fte", "headcount", "attrition", "hires_starting",
          "in_training", "cost", "revenue", "margin")


def _class_positions(plan: CapacityPlan) -> np.ndarray:
    """Each class start on the chart's period axis: the period's index plus the share of it before the start."""
    index = {label: k for k, label in enumerate(plan.periods)}
    epoch = np.datetime64("1970-01-01", "D")
    out = []
    for k in plan.classes:
        _, first, after, _ = parse_period(k.period)
        day = int((np.datetime64(k.start, "D") - epoch).astype(np.int64))
        out.append(index[k.period] + (day - first) / (after - first))
    return np.array(out, dtype=np.float64)


def _text(key: str, value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if key == "period":
        return str(value)
    if key == "hires_starting":
        return f"{int(value):,}" if value else ""
    if key in _MONEY:
        return f"{float(value):,.2f}"
    if key == "gap_fte":
        return f"{float(value):+,.2f}"
    return f"{float(value):,.2f}"


def render_capacity_html(plan: CapacityPlan, title: str, inputs: Mapping[str, str] | None = None) -> str:
    """The page (UTF-8 text) for ``plan``; ``title`` heads it (escaped), ``inputs`` (file name -> SHA-256) are
    listed at the foot."""
    from wfm.capacity.report import capacity_columns, period_total, total_margin

    columns = capacity_columns(plan)
    keys = [k for k in _ORDER if k in columns]
    rows = len(plan.periods)
    covered = "every period" if plan.covered else f"{len(plan.shortfalls)} period(s) not covered"
    proof = "least cost" if plan.solver_gap <= 1e-4 else f"within {plan.solver_gap:.2%} of the least cost"
    total_cost = period_total(plan.cost)
    facts = [
        ("Start", plan.start.isoformat()),
        ("Headcount at start", f"{plan.settings.headcount:,.1f}"),
        ("Hires", f"{int(plan.hires_starting.sum()):,} in {sum(k.classes for k in plan.classes):,} class(es)"),
        ("Covered", covered),
        ("Hiring plan", proof),
        ("Total cost", money(total_cost, missing="–")),
    ]
    if plan.contract is not None and plan.revenue is not None:
        revenue = period_total(plan.revenue)
        facts += [("Revenue", money(revenue, missing="–")), ("Margin", money(total_margin(plan), missing="–"))]
    parts = [
        *page_head(title),
        "<main>",
        "<header>",
        f"<h1>{esc(title)}</h1>",
        '<dl class="facts">',
        *(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in facts),
        "</dl>",
        "</header>",
    ]
    if plan.shortfalls:
        n = len(plan.shortfalls)
        parts += [
            '<section class="warnings" aria-labelledby="warnings-heading">',
            f'<h2 id="warnings-heading">{n} period{"s" if n != 1 else ""} not covered</h2>',
            "<ul>", *(f"<li>{esc(s)}</li>" for s in plan.shortfalls), "</ul>",
            "</section>",
        ]
    figure = capacity_figure(plan.periods, plan.required_fte, plan.productive_fte, plan.headcount,
                             plan.in_training, _class_positions(plan),
                             np.array([k.agents for k in plan.classes], dtype=np.int64))
    queues = ", ".join(plan.queues)
    parts += [
        '<section id="fte">',
        "<h2>Required and productive FTE per period</h2>",
        '<figure id="capacity-fte">',
        svg(figure, "cap-fte-", f"{title}: required and productive FTE per period"),
        "<figcaption>"
        + esc(f"Required FTE (black; the sum over the queues {queues}, sized by Erlang on the profile week) "
              "against the productive FTE of each period's weakest week after attrition, training and ramp (blue); "
              "red where it is short. Grey dashed: headcount at the period's end, trainees included; shaded: "
              "agents in training. Green markers: class starts, with the agents starting.")
        + "</figcaption>",
        "</figure>",
        "</section>",
        '<section id="plan">',
        "<h2>The plan per period</h2>",
        "<table>",
        "<thead><tr>" + "".join(
            f'<th scope="col"{"" if k == "period" else _NUM}>{esc(_HEADERS[k])}</th>' for k in keys)
        + "</tr></thead>",
        "<tbody>",
    ]
    for m in range(rows):
        cells = "".join(f'<td{"" if k == "period" else _NUM}>{esc(_text(k, columns[k][m]))}</td>'
                        for k in keys)
        parts.append(f"<tr>{cells}</tr>")
    parts += ["</tbody>", "</table>", "</section>"]
    parts += ['<section id="classes">', "<h2>Classes to start</h2>"]
    if plan.classes:
        heads = ("Start (Monday)", "Period", "Agents", "Classes", "Training ends", "Fully productive")
        numeric = (False, False, True, True, False, False)
        parts += ["<table>", "<thead><tr>" + "".join(
            f'<th scope="col"{_NUM if n else ""}>{esc(h)}</th>' for h, n in zip(heads, numeric))
            + "</tr></thead>", "<tbody>"]
        for k in plan.classes:
            values = (k.start.isoformat(), k.period, f"{k.agents:,}", f"{k.classes:,}", k.training_ends.isoformat(),
                      k.fully_productive.isoformat())
            parts.append("<tr>" + "".join(f'<td{_NUM if n else ""}>{esc(v)}</td>'
                                          for v, n in zip(values, numeric)) + "</tr>")
        parts += ["</tbody>", "</table>"]
    else:
        parts.append('<p class="note">No class to start: the headcount covers every period.</p>')
    parts.append("</section>")
    notes = ["FTE, headcount and leavers are expected values (fractions of a person)."]
    if plan.contract is not None:
        notes.append(f"Revenue: {plan.contract.price_model} at {plan.contract.rate:g}; margin = revenue − cost, "
                     "the target service level assumed met in every period the plan covers (no penalty); "
                     "no margin for a period not covered or without a cost.")
        if not np.all(plan.forecast) and total_cost is not None:  # the two totals cover different periods
            notes.append("Total cost includes the payroll of the lead-in periods before the forecast (from the "
                         "start); the margin is over the forecast's periods alone, as they alone have revenue.")
    if inputs:
        notes.append("Inputs: " + "; ".join(f"{name} (SHA-256 {digest[:12]}…)" for name, digest in inputs.items()))
    parts += [
        f"<footer>Generated by wfm. {esc(' '.join(notes))}</footer>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)
