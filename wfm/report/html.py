"""The weekly plan as one self-contained HTML page: headline numbers, warnings, and per queue three
charts (coverage by day, staffing-gap heat map, service level over the week), plus an optional
per-day table.

Everything is inline: a small ``<style>`` and one SVG per chart drawn by matplotlib's
object-oriented API (no pyplot, no GUI backend, no global backend switch). The page references
nothing on the network, so it opens from a file share or an e-mail attachment with no
connection. :func:`render_plan_html` is a pure function from data to text: identical input gives
byte-identical output (for a given matplotlib version), and it never touches the file system;
the caller writes the string (whole, with :mod:`wfm.outputs`). The charts are in
:mod:`wfm.report.html_charts`.

Times on the page are local wall-clock times. A day on which the clocks go back (a local hour is
repeated) is drawn as a 25-hour day in the coverage panels and the service-level chart; the
heat map, which is by hour of the day, averages the two occurrences of the repeated hour. Closed
hours (no rows) are left blank; lines are never drawn across them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from wfm.report.chart_days import layout
from wfm.report.chart_svg import svg
from wfm.report.html_charts import coverage_figure, gap_figure, service_level_figure, simulation_figure
from wfm.report.numbers import number as _number
from wfm.report.numbers import pct_against
from wfm.report.page_text import esc, page_head
from wfm.report.queue_totals import finite_max, fractional, service_level_totals, short_hours
from wfm.times import day_label

__all__ = ["QueueCoverage", "PlanHeadline", "render_plan_html"]



# --- input ---------------------------------------------------------------------------------------



@dataclass(frozen=True, eq=False)
class QueueCoverage:
    """One queue's plan, one array element per open interval, in local time order.

    The arrays are copied on construction (read-only, float64 / datetime64[s]) and must all have
    the same length. ``eq=False``: numpy arrays have no single truth value, so instances compare
    by identity.
    """

    queue: str
    """Queue name, shown as given (it is escaped)."""
    local_start: np.ndarray
    """datetime64[s]: local wall-clock start of each interval, sorted. On a day when the clocks go
    back the repeated local hour appears twice, in the order it happened. Closed intervals are
    simply absent."""
    interval_s: float
    """Length of every interval, seconds (e.g. 900 for 15 minutes)."""
    volume: np.ndarray
    """Contacts offered per interval."""
    required: np.ndarray
    """Agents needed on the phones per interval (Erlang C requirement; int or float)."""
    scheduled: np.ndarray
    """Agents on shift per interval (headcount scheduled, before breaks and shrinkage)."""
    available: np.ndarray
    """Agents available to take contacts per interval, net of breaks and the remaining shrinkage
    (float)."""
    service_level: np.ndarray
    """Fraction 0-1 of contacts answered within ``answer_within_s`` that the available agents give
    (Erlang C) per interval. NaN is allowed and is not drawn; intervals with no volume are not
    drawn either."""
    answer_within_s: float
    """Answer-time threshold of the service-level target, seconds."""
    service_level_target: float
    """Target fraction 0-1 answered within ``answer_within_s``."""
    deferred: np.ndarray | None = None
    """A blended team: agents working its deferred work (email, back office) per interval, net of the
    remaining shrinkage, on top of ``available`` (which is then what is left for real-time contacts); None
    for a queue without deferred work."""
    simulated: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    """``wfm plan --simulate``: the simulated service level per interval, (mean, 95 % low, 95 % high)."""
    members: tuple[str, ...] = ()
    """A blended team: its queues, the one whose contacts the figures above are (the real-time queue) first;
    () for a queue alone."""
    member_facts: tuple[tuple[str, str], ...] = ()
    """A blended team: (label, value) figures of its deferred queues (answered in time, backlog at the end)."""

    def __post_init__(self) -> None:
        start = np.array(self.local_start, dtype="datetime64[s]")
        if start.ndim != 1:
            raise ValueError(f"queue {self.queue!r}: local_start must be one-dimensional")
        object.__setattr__(self, "local_start", _frozen(start))
        names = ("volume", "required", "scheduled", "available", "service_level")
        for name in names + (("deferred",) if self.deferred is not None else ()):
            values = np.array(getattr(self, name), dtype=np.float64)
            if values.shape != start.shape:
                raise ValueError(
                    f"queue {self.queue!r}: {name} has shape {values.shape}, local_start has {start.shape}"
                )
            object.__setattr__(self, name, _frozen(values))
        if not (math.isfinite(self.interval_s) and self.interval_s > 0):
            raise ValueError(f"queue {self.queue!r}: interval_s must be a positive number of seconds")
        if not (math.isfinite(self.answer_within_s) and self.answer_within_s >= 0):
            raise ValueError(f"queue {self.queue!r}: answer_within_s must be >= 0 seconds")
        if not (0.0 <= self.service_level_target <= 1.0):
            raise ValueError(f"queue {self.queue!r}: service_level_target must be a fraction 0-1")


@dataclass(frozen=True)
class PlanHeadline:
    """The numbers at the top of the page."""

    title: str
    """Page title and heading, e.g. "Plan for week 2026-W49: retail_voice_week_15min.csv"."""
    facts: Sequence[tuple[str, str]]
    """Already formatted (label, value) pairs, in display order: headcount, FTE, seats, weekly
    service level, efficiency, solver gap, checksum of the input... Shown as a compact grid."""
    warnings: Sequence[str] = ()
    """One-line warnings (targets missed, ...). Shown in a prominent box when there are any."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "facts", tuple((str(k), str(v)) for k, v in self.facts))
        object.__setattr__(self, "warnings", tuple(str(w) for w in self.warnings))


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


# --- the page ------------------------------------------------------------------------------------


def render_plan_html(
    headline: PlanHeadline,
    queues: Sequence[QueueCoverage],
    daily_rows: Sequence[Mapping[str, Any]] | None = None,
    cost_rows: Sequence[Mapping[str, Any]] | None = None,
    jobs: int = 1,
) -> str:
    """The whole report page as one self-contained HTML5 document (UTF-8 text). Its charts take most of the time
    (a fifth of a second each): ``jobs`` worker processes draw the queues' sections when there are at least four
    per worker (the page is the same bytes; wfm.workers).

    ``daily_rows`` (optional) become a table after the queues; its columns are the union of the
    rows' keys in first-seen order, headed by the key with underscores as spaces
    ("service_level" -> "Service level"). Values are formatted by type: text as is, integers with
    thousands separators, floats to one decimal, or as a percentage when the key contains
    "service_level", "occupancy", "shrinkage", "utili[sz]ation", "adherence" or "efficiency"
    (fractions 0-1), dates as "Mon 30 Nov 2026"; None and NaN are shown as blank and "–".
    """
    parts = [*page_head(headline.title), "<main>", "<header>", f"<h1>{esc(headline.title)}</h1>"]
    if headline.facts:
        parts.append('<dl class="facts">')
        parts += [f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in headline.facts]
        parts.append("</dl>")
    parts.append("</header>")
    if headline.warnings:
        n = len(headline.warnings)
        parts += [
            '<section class="warnings" aria-labelledby="warnings-heading">',
            f'<h2 id="warnings-heading">{n} warning{"s" if n != 1 else ""}</h2>',
            "<ul>",
            *(f"<li>{esc(w)}</li>" for w in headline.warnings),
            "</ul>",
            "</section>",
        ]
    if len(queues) > 1:
        links = " ".join(f'<a href="#queue-{k + 1}">{esc(q.queue)}</a>' for k, q in enumerate(queues))
        parts.append(f'<nav aria-label="Queues">Queues: {links}</nav>')
    if not queues:
        parts.append('<p class="note">No queues in this plan.</p>')
    from wfm.workers import map_in_processes

    # a worker's start (imports, matplotlib) costs about what eight queues' charts do: fewer are drawn here
    parts += map_in_processes(_queue_section, [(queue, k + 1) for k, queue in enumerate(queues)],
                              jobs if len(queues) >= 4 * max(jobs, 2) else 1)
    if cost_rows:
        parts.append(_table_section(cost_rows, "Cost for the week", "cost"))
    if daily_rows:
        parts.append(_daily_section(daily_rows))
    parts += [
        '<footer>Generated by wfm. Times are local wall-clock times. '
        "Available agents are net of breaks and shrinkage.</footer>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)





# --- one queue -----------------------------------------------------------------------------------



def _queue_section(q: QueueCoverage, number: int) -> str:
    name = esc(q.queue)
    target = f"{100 * q.service_level_target:g}% answered within {q.answer_within_s:g} s"
    heading = (f"Team {name}: {esc(', '.join(q.members))}" if q.members else f"Queue {name}")
    out = [f'<section class="queue" id="queue-{number}">', f"<h2>{heading}</h2>"]
    lead = f" ({q.members[0]})" if q.members else ""  # the team's figures below are its real-time queue's
    n = q.local_start.size
    if n == 0:
        out += [f'<p class="note">No open intervals for this queue (target {esc(target)}).</p>', "</section>"]
        return "\n".join(out)

    days = layout(q)
    sl, below, with_volume = service_level_totals(q)
    short_h, short_n = short_hours(q)
    vol = q.volume[np.isfinite(q.volume)]
    minutes = q.interval_s / 60
    stats = [
        ("Intervals", f"{n:,} × {minutes:g} min, {days.days.size} day{'s' if days.days.size != 1 else ''}"),
        (f"Contacts offered{lead}", _number(float(vol.sum()), 0)),
        (f"Service level target{lead}", target),
        (f"Service level (planned){lead}", pct_against(sl, q.service_level_target, undefined="–")),
        ("Intervals below target", f"{below:,} of {with_volume:,}"),
        ("Short of required", f"{short_h:,.1f} agent-h in {short_n:,} intervals"),
        ("Peak required", _number(finite_max(q.required), 1 if fractional(q.required) else 0)),
        ("Peak scheduled", _number(finite_max(q.scheduled), 1 if fractional(q.scheduled) else 0)),
    ]
    if q.deferred is not None:
        stats.append(("Deferred work done", f"{float(q.deferred.sum()) * q.interval_s / 3600:,.1f} agent-h"))
    stats += list(q.member_facts)
    out.append('<dl class="facts small">')
    out += [f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in stats]
    out.append("</dl>")

    charts: tuple[tuple[str, str, Callable[[], Any], str], ...] = (
        (
            "coverage",
            "Agents per interval, by day",
            coverage_figure(q, days),
            "Scheduled agents on shift (shaded), agents available after breaks and shrinkage (blue) and "
            "agents required by Erlang C (black). Red: fewer available than required. "
            + ("Green, above the blue line: agents working the team's deferred work (email, back office), placed "
               "where the real-time requirement leaves room; blue is then what is left for real-time contacts. "
               if q.deferred is not None else "")
            + "All panels share the same scale.",
        ),
        (
            "gap",
            "Staffing gap by day and hour",
            gap_figure(q, days),
            "Available minus required agents, mean over the intervals of each local hour. "
            "Red: short; blue: over; grey: no intervals (closed, or the hour skipped when the clocks go forward).",
        ),
        (
            "service-level",
            "Service level by interval",
            service_level_figure(q, days),
            f"Share of contacts answered within {q.answer_within_s:g} s with the available agents, one "
            f"blue dash per interval; red bars reach down from the {100 * q.service_level_target:g}% target "
            "(dashed) to intervals below it. Closed hours are left out of the time axis; intervals with "
            "no contacts are not drawn.",
        ),
    )
    if q.simulated is not None:
        charts += ((
            "simulated",
            "Simulated service level by interval",
            simulation_figure(q, days),
            "The plan simulated contact by contact (shifts, breaks, absence, agents finishing the call in hand): "
            "the pale blue band is the 95 % interval of the simulated service level over the replications, the "
            "grey line its mean, the blue line the formula's figure for the same agents, the dashed red line the "
            "target. Where blue leaves "
            "the band, the formula and the operation part ways.",
        ),)
    for slug, title, figure, caption in charts:
        drawing = svg(figure, f"q{number}-{slug}-", f"{q.queue}: {title}")
        out += [
            f"<h3>{esc(title)}</h3>",
            f'<figure id="queue-{number}-{slug}">',
            drawing,
            f"<figcaption>{esc(caption)}</figcaption>",
            "</figure>",
        ]
    out.append("</section>")
    return "\n".join(out)


_PERCENT_KEY = re.compile(r"service_level|occupancy|shrinkage|utili[sz]ation|adherence|efficiency", re.I)
_MONEY_KEY = re.compile(r"cost|revenue|penalty|bonus|margin", re.I)


class Figure(NamedTuple):
    """A table cell's number already written, as it must read (a service level beside its target: 79.97 %, never
    80.0 %, for a day that misses 80 %)."""

    text: str


def _cell(key: str, value: Any) -> tuple[str, bool]:
    """(text, is_number) for one table cell."""
    if isinstance(value, Figure):
        return value.text, True
    if isinstance(value, np.generic) and not isinstance(value, np.datetime64):
        value = value.item()
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, np.datetime64):
        value = value.astype("datetime64[s]").item()
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            value = value.date()
        else:
            return value.isoformat(sep=" ", timespec="minutes"), False
    if isinstance(value, dt.date):
        return day_label(np.datetime64(value, "D"), year=True), False
    if isinstance(value, int):
        return f"{value:,}", True
    if isinstance(value, float):
        if math.isnan(value):
            return "–", True
        if math.isinf(value):
            return ("∞" if value > 0 else "−∞"), True
        if _PERCENT_KEY.search(key):
            return f"{100 * value:.1f}%", True
        if _MONEY_KEY.search(key):
            return f"{value:,.2f}", True  # currency, to the cent
        return (f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"), True  # 5,640 calls, 12.5 h
    return str(value), False


def _daily_section(rows: Sequence[Mapping[str, Any]]) -> str:
    return _table_section(rows, "Per day", "per-day")


def _table_section(rows: Sequence[Mapping[str, Any]], title: str, section_id: str) -> str:
    """A table of ``rows`` (columns: the union of their keys, first-seen order; cells by :func:`_cell`)."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    cells = [[_cell(str(k), row.get(k)) for k in keys] for row in rows]
    numeric = [any(c[j][1] for c in cells) for j in range(len(keys))]
    num = [' class="num"' if n else "" for n in numeric]
    head = "".join(f'<th scope="col"{num[j]}>{esc(_header(k))}</th>' for j, k in enumerate(keys))
    body = [
        "<tr>" + "".join(f"<td{num[j]}>{esc(text)}</td>" for j, (text, _) in enumerate(row)) + "</tr>"
        for row in cells
    ]
    return "\n".join(
        [f'<section id="{section_id}">', f"<h2>{esc(title)}</h2>", "<table>", f"<thead><tr>{head}</tr></thead>",
         "<tbody>", *body, "</tbody>", "</table>", "</section>"]
    )


def _header(key: Any) -> str:
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]
