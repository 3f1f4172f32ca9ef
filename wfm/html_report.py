"""The weekly plan as one self-contained HTML page: headline numbers, warnings, and per queue three
charts (coverage by day, staffing-gap heat map, service level over the week), plus an optional
per-day table.

Everything is inline: a small ``<style>`` and one SVG per chart drawn by matplotlib's
object-oriented API (no pyplot, no GUI backend, no global backend switch). The page references
nothing on the network, so it opens from a file share or an e-mail attachment with no
connection. :func:`render_plan_html` is a pure function from data to text: identical input gives
byte-identical output (for a given matplotlib version), and it never touches the file system;
the caller writes the string (atomically, e.g. with :func:`wfm.report.write_atomic`).

Times on the page are local wall-clock times. A day on which the clocks go back (a local hour is
repeated) is drawn as a 25-hour day in the coverage panels and the service-level chart; the
heat map, which is by hour of the day, averages the two occurrences of the repeated hour. Closed
hours (no rows) are left blank; lines are never drawn across them.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass
from io import StringIO
from typing import Any, Callable, Mapping, Sequence

import matplotlib as mpl
import matplotlib.style
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MaxNLocator, PercentFormatter

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

    def __post_init__(self) -> None:
        start = np.array(self.local_start, dtype="datetime64[s]")
        if start.ndim != 1:
            raise ValueError(f"queue {self.queue!r}: local_start must be one-dimensional")
        object.__setattr__(self, "local_start", _frozen(start))
        for name in ("volume", "required", "scheduled", "available", "service_level"):
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
) -> str:
    """The whole report page as one self-contained HTML5 document (UTF-8 text).

    ``daily_rows`` (optional) become a table after the queues; its columns are the union of the
    rows' keys in first-seen order, headed by the key with underscores as spaces
    ("service_level" -> "Service level"). Values are formatted by type: text as is, integers with
    thousands separators, floats to one decimal, or as a percentage when the key contains
    "service_level", "occupancy", "shrinkage", "utili[sz]ation", "adherence" or "efficiency"
    (fractions 0-1), dates as "Mon 30 Nov 2026"; None and NaN are shown as blank and "–".
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="wfm">',
        f"<title>{_esc(headline.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{_esc(headline.title)}</h1>",
    ]
    if headline.facts:
        parts.append('<dl class="facts">')
        parts += [f"<div><dt>{_esc(k)}</dt><dd>{_esc(v)}</dd></div>" for k, v in headline.facts]
        parts.append("</dl>")
    parts.append("</header>")
    if headline.warnings:
        n = len(headline.warnings)
        parts += [
            '<section class="warnings" aria-labelledby="warnings-heading">',
            f'<h2 id="warnings-heading">{n} warning{"s" if n != 1 else ""}</h2>',
            "<ul>",
            *(f"<li>{_esc(w)}</li>" for w in headline.warnings),
            "</ul>",
            "</section>",
        ]
    if len(queues) > 1:
        links = " ".join(f'<a href="#queue-{k + 1}">{_esc(q.queue)}</a>' for k, q in enumerate(queues))
        parts.append(f'<nav aria-label="Queues">Queues: {links}</nav>')
    if not queues:
        parts.append('<p class="note">No queues in this plan.</p>')
    for k, queue in enumerate(queues):
        parts.append(_queue_section(queue, k + 1))
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


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


_CSS = """
:root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--bad:#b42318;--bad-bg:#fef3f2}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 40px}
h1{font-size:1.45rem;margin:0 0 .8rem}
h2{font-size:1.2rem;margin:2.2rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--ink)}
h3{font-size:1rem;margin:1.4rem 0 .2rem}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(165px,1fr));gap:8px;margin:0}
.facts div{border:1px solid var(--line);border-radius:6px;padding:5px 10px}
.facts dt{font-size:.72rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.facts dd{margin:0;font-size:1.05rem;font-weight:600;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.facts.small dd{font-size:.95rem}
.warnings{margin:1.2rem 0;padding:.6rem 1rem .5rem;border:1px solid #fda29b;border-left:6px solid var(--bad);
border-radius:6px;background:var(--bad-bg)}
.warnings h2{margin:0 0 .2rem;padding:0;border:0;font-size:1rem;color:var(--bad)}
.warnings ul{margin:0;padding-left:1.2rem}
nav{margin:1.2rem 0 0;color:var(--muted)}
nav a{margin-right:.8rem}
figure{margin:.3rem 0 1.2rem;break-inside:avoid}
figure svg{display:block;width:100%;height:auto}
figcaption,.note{font-size:.85rem;color:var(--muted)}
table{border-collapse:collapse;font-size:.85rem;font-variant-numeric:tabular-nums}
th,td{padding:3px 12px 3px 0;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--ink)}
.num{text-align:right;padding-left:12px}
footer{margin-top:2.5rem;padding-top:.5rem;border-top:1px solid var(--line);font-size:.8rem;color:var(--muted)}
@media print{
body{font-size:10.5pt}
main{max-width:none;padding:0}
nav{display:none}
h2,h3{break-after:avoid}
tr{break-inside:avoid}
.warnings,.facts div{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


# --- one queue -----------------------------------------------------------------------------------

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day_label(day: np.datetime64, year: bool = False) -> str:
    """'Mon 30 Nov' (locale-independent)."""
    d: dt.date = day.astype("datetime64[D]").item()
    text = f"{_WEEKDAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]}"
    return f"{text} {d.year}" if year else text


def _fmt_number(x: float, decimals: int = 1) -> str:
    return "–" if not math.isfinite(x) else f"{x:,.{decimals}f}"


def _pct(x: float, decimals: int = 1) -> str:
    return "–" if not math.isfinite(x) else f"{100.0 * x:.{decimals}f}%"


@dataclass(frozen=True, eq=False)
class _Days:
    """Where each interval goes on the charts.

    ``elapsed_s`` is the time since local midnight in real seconds: equal to the wall clock except
    after the clocks go back, where it keeps counting (a repeated 01:00 becomes 02:00 elapsed), so
    every day's intervals are increasing and a 25-hour day is 25 hours wide.
    """

    days: np.ndarray  # datetime64[D], unique local days in order
    day_index: np.ndarray  # per interval: index into days
    clock_s: np.ndarray  # per interval: local wall-clock seconds since midnight
    elapsed_s: np.ndarray  # per interval: real seconds since local midnight (see above)
    shifts: tuple[tuple[tuple[float, float], ...], ...]  # per day: (elapsed h, hours repeated so far)
    first_h: int  # axis range common to all days, whole hours of elapsed time
    last_h: int


def _layout(q: QueueCoverage) -> _Days:
    start = q.local_start
    day = start.astype("datetime64[D]")
    days, day_index = np.unique(day, return_inverse=True)
    clock = (start - day).astype(np.int64).astype(np.float64)
    elapsed = clock.copy()
    shifts: list[tuple[tuple[float, float], ...]] = []
    for k in range(days.size):
        rows = np.flatnonzero(day_index == k)
        c = clock[rows]
        back = np.maximum(c[:-1] + q.interval_s - c[1:], 0.0)  # > 0 where the wall clock repeats
        shift = np.concatenate(([0.0], np.cumsum(back)))
        elapsed[rows] = c + shift
        steps = np.flatnonzero(back > 0) + 1
        shifts.append(tuple((float(elapsed[rows][i] / 3600), float(shift[i] / 3600)) for i in steps))
    if start.size:
        first_h = int(math.floor(elapsed.min() / 3600))
        last_h = int(math.ceil((elapsed.max() + q.interval_s) / 3600 - 1e-9))
    else:
        first_h, last_h = 0, 24
    return _Days(days, day_index, clock, elapsed, tuple(shifts), first_h, max(last_h, first_h + 1))


def _steps(
    start_h: np.ndarray, length_h: float, values: np.ndarray, breaks: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of a step line over intervals [start, start + length): two per interval, with a NaN
    break wherever the next interval does not start where this one ends (closed hours) and before
    every interval flagged in ``breaks``."""
    n = start_h.size
    if n == 0:
        return np.empty(0), np.empty(0)
    end_h = start_h + length_h
    x = np.column_stack((start_h, end_h))
    y = np.column_stack((values, values))
    gap = np.zeros(n, dtype=bool)
    gap[:-1] = np.abs(start_h[1:] - end_h[:-1]) > 1e-6
    if breaks is not None:
        gap[:-1] |= breaks[1:]
    cut = np.flatnonzero(gap)
    x = np.insert(x.ravel(), 2 * (cut + 1), np.nan)
    y = np.insert(y.ravel(), 2 * (cut + 1), np.nan)
    return x, y


def _hour_step(span_h: int, max_ticks: int) -> int:
    return next((s for s in (1, 2, 3, 4, 6, 12) if span_h / s <= max_ticks), 24)


def _clock_text(hours: float) -> str:
    minutes = int(round(hours * 60)) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _service_level_totals(q: QueueCoverage, rows: np.ndarray | slice = slice(None)) -> tuple[float, int, int]:
    """Volume-weighted service level, intervals below target, intervals with volume."""
    vol, sl = q.volume[rows], q.service_level[rows]
    ok = (vol > 0) & np.isfinite(sl) & np.isfinite(vol)
    total = float(vol[ok].sum())
    weighted = float((vol[ok] * sl[ok]).sum() / total) if total > 0 else math.nan
    below = int((sl[ok] < q.service_level_target - 1e-12).sum())
    return weighted, below, int(ok.sum())


def _short_hours(q: QueueCoverage, rows: np.ndarray | slice = slice(None)) -> tuple[float, int]:
    """Agent-hours and intervals where fewer agents are available than required."""
    gap = q.required[rows] - q.available[rows]
    short = np.isfinite(gap) & (gap > 1e-9)
    return float(gap[short].sum() * q.interval_s / 3600.0), int(short.sum())


def _queue_section(q: QueueCoverage, number: int) -> str:
    name = _esc(q.queue)
    target = f"{100 * q.service_level_target:g}% answered within {q.answer_within_s:g} s"
    out = [f'<section class="queue" id="queue-{number}">', f"<h2>Queue {name}</h2>"]
    n = q.local_start.size
    if n == 0:
        out += [f'<p class="note">No open intervals for this queue (target {_esc(target)}).</p>', "</section>"]
        return "\n".join(out)

    layout = _layout(q)
    sl, below, with_volume = _service_level_totals(q)
    short_h, short_n = _short_hours(q)
    vol = q.volume[np.isfinite(q.volume)]
    minutes = q.interval_s / 60
    stats = [
        ("Intervals", f"{n:,} × {minutes:g} min, {layout.days.size} day{'s' if layout.days.size != 1 else ''}"),
        ("Contacts offered", _fmt_number(float(vol.sum()), 0)),
        ("Service level target", target),
        ("Service level (planned)", _pct(sl)),
        ("Intervals below target", f"{below:,} of {with_volume:,}"),
        ("Short of required", f"{short_h:,.1f} agent-h in {short_n:,} intervals"),
        ("Peak required", _fmt_number(_finite_max(q.required), 1 if _fractional(q.required) else 0)),
        ("Peak scheduled", _fmt_number(_finite_max(q.scheduled), 1 if _fractional(q.scheduled) else 0)),
    ]
    out.append('<dl class="facts small">')
    out += [f"<div><dt>{_esc(k)}</dt><dd>{_esc(v)}</dd></div>" for k, v in stats]
    out.append("</dl>")

    charts = (
        (
            "coverage",
            "Agents per interval, by day",
            _coverage_figure(q, layout),
            "Scheduled agents on shift (shaded), agents available after breaks and shrinkage (blue) and "
            "agents required by Erlang C (black). Red: fewer available than required. "
            "All panels share the same scale.",
        ),
        (
            "gap",
            "Staffing gap by day and hour",
            _gap_figure(q, layout),
            "Available minus required agents, mean over the intervals of each local hour. "
            "Red: short; blue: over; grey: no intervals (closed, or the hour skipped when the clocks go forward).",
        ),
        (
            "service-level",
            "Service level by interval",
            _service_level_figure(q, layout),
            f"Share of contacts answered within {q.answer_within_s:g} s with the available agents, one "
            f"blue dash per interval; red bars reach down from the {100 * q.service_level_target:g}% target "
            "(dashed) to intervals below it. Closed hours are left out of the time axis; intervals with "
            "no contacts are not drawn.",
        ),
    )
    for slug, title, figure, caption in charts:
        svg = _svg(figure, f"q{number}-{slug}-", f"{q.queue}: {title}")
        out += [
            f"<h3>{_esc(title)}</h3>",
            f'<figure id="queue-{number}-{slug}">',
            svg,
            f"<figcaption>{_esc(caption)}</figcaption>",
            "</figure>",
        ]
    out.append("</section>")
    return "\n".join(out)


def _finite_max(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else math.nan


def _fractional(values: np.ndarray) -> bool:
    finite = values[np.isfinite(values)]
    return bool(np.any(finite != np.round(finite)))


# --- charts --------------------------------------------------------------------------------------

_INK = "#1f2328"
_MUTED = "#57606a"
_REQUIRED = "#111111"
_AVAILABLE = "#1f6fb4"
_SCHEDULED = "#c9dcef"
_SHORT = "#d62728"
_WIDTH_IN = 11.0

_RC = {
    "svg.fonttype": "none",  # text as <text>: small, selectable, drawn in the reader's sans-serif
    "svg.hashsalt": "wfm-plan-report",  # stable clip-path ids: identical input, identical bytes
    "svg.image_inline": True,
    "svg.id": None,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # ships with matplotlib: the same text layout everywhere
    "font.size": 9.0,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 9.0,
    "axes.labelcolor": _MUTED,
    "axes.edgecolor": "#8c959f",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#e6e9ec",
    "grid.linewidth": 0.6,
    "xtick.color": _MUTED,
    "ytick.color": _MUTED,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "path.simplify": True,
    "path.simplify_threshold": 0.2,
    "figure.dpi": 72,
    "savefig.dpi": 72,
}


def _figure(height_in: float) -> Figure:
    return Figure(figsize=(_WIDTH_IN, height_in), dpi=72, layout="constrained")


def _svg(make_figure: Callable[[], Figure], id_prefix: str, title: str) -> str:
    """Draw a figure to SVG under fixed settings and return it ready to inline in HTML: no XML prolog
    or DOCTYPE, no metadata, ids prefixed so that several charts on one page cannot clash."""
    buffer = StringIO()
    with mpl.rc_context():
        matplotlib.style.use("default")  # ignore the user's matplotlibrc: the same page everywhere
        mpl.rcParams.update(_RC)
        figure = make_figure()
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},  # no <metadata> at all
        )
    text = buffer.getvalue()
    text = text[text.index("<svg"):]  # no XML prolog or DOCTYPE inside HTML
    text = re.sub(r"<[^>]*>", lambda tag: _tidy_tag(tag.group(0), id_prefix), text)
    text = re.sub(r">\n[ \t]+<", ">\n<", text)  # indentation between tags
    head_end = text.index(">") + 1
    return f'<svg role="img" {text[5:head_end]}\n <title>{_esc(title)}</title>{text[head_end:]}'.rstrip()


_LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def _two_decimals(number: re.Match[str]) -> str:
    text = f"{float(number.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_PATH_DATA = re.compile(r'(\sd=")([^"]*)"')
_PATH_TOKEN = re.compile(r"[A-Za-z]|[^A-Za-z\s]+")


def _compact_path(data: str) -> str:
    """SVG path data without line breaks and without the 'L' that may be left implicit after M or L."""
    out: list[str] = []
    command = ""
    for token in _PATH_TOKEN.findall(data):
        if token.isalpha():
            if token == "L" and command in ("M", "L"):
                continue
            command = token
        out.append(token)
    return " ".join(out)


def _tidy_tag(tag: str, prefix: str) -> str:
    """One matplotlib SVG tag, smaller and with its ids (and references to them) made unique on the
    page by ``prefix``. Only tags are edited, never text; matplotlib escapes quotes in attribute
    values, so 'id="' and '#' references only occur where they are real."""
    tag = _LONG_DECIMAL.sub(_two_decimals, tag)  # 1/100 pt is far below what anyone can see
    tag = _PATH_DATA.sub(lambda m: f'{m.group(1)}{_compact_path(m.group(2))}"', tag)
    tag = re.sub(r'(\sid=")', rf"\g<1>{prefix}", tag)
    tag = tag.replace("url(#", f"url(#{prefix}")
    return re.sub(r'(href=")#', rf"\g<1>#{prefix}", tag)


def _coverage_figure(q: QueueCoverage, layout: _Days) -> Callable[[], Figure]:
    def make() -> Figure:
        n_days = layout.days.size
        ncols = min(n_days, 4)
        nrows = -(-n_days // ncols)
        fig = _figure(0.55 + 1.9 * nrows)
        axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False)
        length_h = q.interval_s / 3600
        finite = np.concatenate([v[np.isfinite(v)] for v in (q.required, q.scheduled, q.available)])
        top = float(finite.max()) if finite.size else 1.0
        top = max(top, 1.0) * 1.08
        span = layout.last_h - layout.first_h
        step = _hour_step(span, 5 if ncols > 1 else 12)
        for k, ax in enumerate(axes.flat):
            if k >= n_days:
                ax.set_visible(False)
                continue
            rows = np.flatnonzero(layout.day_index == k)
            x0 = layout.elapsed_s[rows] / 3600
            x, req = _steps(x0, length_h, q.required[rows])
            _, sch = _steps(x0, length_h, q.scheduled[rows])
            _, ava = _steps(x0, length_h, q.available[rows])
            ax.fill_between(x, 0, sch, color=_SCHEDULED, linewidth=0, zorder=1)
            ax.fill_between(x, ava, req, where=ava < req, color=_SHORT, alpha=0.45, linewidth=0, zorder=2)
            ax.plot(x, ava, color=_AVAILABLE, linewidth=1.1, zorder=3)
            ax.plot(x, req, color=_REQUIRED, linewidth=1.3, zorder=4)
            ax.set_xlim(layout.first_h, layout.last_h)
            ax.set_ylim(0, top)
            shifts = layout.shifts[k]
            ticks = _clock_ticks(layout.first_h, layout.last_h, shifts, step)
            ax.set_xticks(list(ticks), list(ticks.values()))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            ax.grid(axis="x", visible=False)
            label = _day_label(layout.days[k])
            if shifts:
                label += f" ({24 + shifts[-1][1]:g} h)"
            ax.set_title(label, loc="left")
            day_sl, _, _ = _service_level_totals(q, rows)
            if math.isfinite(day_sl):
                missed = day_sl < q.service_level_target - 1e-12
                ax.set_title(
                    f"SL {100 * day_sl:.1f}%", loc="right", fontsize=8, fontweight="bold" if missed else "normal",
                    color=_SHORT if missed else _MUTED,
                )
            if k % ncols == 0:
                ax.set_ylabel("Agents")
        handles = [
            Patch(facecolor=_SCHEDULED, label="Scheduled"),
            Line2D([], [], color=_AVAILABLE, linewidth=1.1, label="Available"),
            Line2D([], [], color=_REQUIRED, linewidth=1.3, label="Required"),
            Patch(facecolor=_SHORT, alpha=0.45, label="Short (available < required)"),
        ]
        fig.legend(handles=handles, loc="outside upper left", ncols=4)
        return fig

    return make


def _clock_ticks(
    first_h: int, last_h: int, shifts: tuple[tuple[float, float], ...], step: int
) -> dict[float, str]:
    """Ticks for an elapsed-hours axis at whole wall-clock hours that are multiples of ``step``:
    {elapsed hours: "HH:MM"}. After the clocks go back, the wall clock is behind elapsed time."""
    ticks: dict[float, str] = {}
    for elapsed in range(first_h, last_h):  # none at the right edge: it would touch the next panel's first
        repeated = 0.0
        for at, total in shifts:
            if elapsed >= at - 1e-9:
                repeated = total
        wall = elapsed - repeated
        if abs(wall - round(wall)) < 1e-9 and round(wall) % step == 0:
            ticks[float(elapsed)] = "24:00" if round(wall) == 24 else _clock_text(wall)
    return ticks


def _gap_figure(q: QueueCoverage, layout: _Days) -> Callable[[], Figure]:
    def make() -> Figure:
        n_days = layout.days.size
        hour = (layout.clock_s // 3600).astype(np.int64)
        first, last = int(hour.min()), int(hour.max()) + 1
        gap = q.available - q.required
        ok = np.isfinite(gap)
        total = np.zeros((n_days, last - first))
        count = np.zeros((n_days, last - first))
        np.add.at(total, (layout.day_index[ok], hour[ok] - first), gap[ok])
        np.add.at(count, (layout.day_index[ok], hour[ok] - first), 1.0)
        mean = np.full(total.shape, np.nan)
        np.divide(total, count, out=mean, where=count > 0)
        finite = np.abs(mean[np.isfinite(mean)])
        limit = float(finite.max()) if finite.size else 0.0
        limit = max(limit, 1.0)

        tall = n_days >= 5  # room for a vertical colour bar and its label beside the days
        fig = _figure(1.05 + 0.3 * n_days + (0 if tall else 0.75))
        ax = fig.subplots()
        cmap = colormaps["RdBu"].with_extremes(bad="#eeeeee")
        norm = Normalize(-limit, limit)
        mesh = ax.pcolormesh(
            np.arange(first, last + 1), np.arange(n_days + 1), np.ma.masked_invalid(mean), cmap=cmap,
            norm=norm, edgecolors="white", linewidth=0.5,
        )
        ax.set_xlim(first, last)
        ax.set_ylim(n_days, 0)  # first day on top
        ax.set_yticks(np.arange(n_days) + 0.5, [_day_label(d) for d in layout.days])
        ax.set_xticks(np.arange(first, last) + 0.5, [f"{h:02d}" for h in range(first, last)])
        ax.tick_params(length=0)
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel("Hour of the day (local time)")
        cells = (last - first) * n_days
        if cells <= 24 * 31 and (last - first) <= 26:
            for d, h in zip(*np.nonzero(np.isfinite(mean))):
                value = mean[d, h]
                text = f"{value:+.1f}".replace("-", "−") if abs(value) >= 0.05 else "0"
                ax.text(
                    first + h + 0.5, d + 0.5, text, ha="center", va="center", fontsize=6.5,
                    color="white" if abs(value) > 0.6 * limit else _INK,
                )
        if tall:
            bar = fig.colorbar(mesh, ax=ax, fraction=0.03, pad=0.01, aspect=12)
        else:
            bar = fig.colorbar(mesh, ax=ax, location="bottom", shrink=0.3, aspect=30, pad=0.03)
        bar.set_label("Available − required (agents)")
        bar.outline.set_visible(False)
        bar.ax.tick_params(labelsize=7.5)
        return fig

    return make


def _service_level_figure(q: QueueCoverage, layout: _Days) -> Callable[[], Figure]:
    def make() -> Figure:
        n_days = layout.days.size
        span = layout.last_h - layout.first_h
        fig = _figure(2.9)
        ax = fig.subplots()
        x0 = layout.day_index * span + (layout.elapsed_s / 3600 - layout.first_h)
        sl = np.where(q.volume > 0, q.service_level, np.nan) * 100
        # One short level per interval and no risers between them: with hundreds of intervals a step
        # line's risers turn every single bad interval into a full-height bar code.
        x, y = _steps(x0, q.interval_s / 3600, sl, np.ones(x0.size, dtype=bool))
        target = 100 * q.service_level_target
        ax.axhline(target, color=_SHORT, linestyle=(0, (5, 3)), linewidth=1.2, zorder=3,
                   label=f"Target {target:g}% in {q.answer_within_s:g} s")
        ax.fill_between(x, y, target, where=y < target, color=_SHORT, alpha=0.4, linewidth=0, zorder=1,
                        label="Below target")
        ax.plot(x, y, color=_AVAILABLE, linewidth=1.5, solid_capstyle="butt", zorder=4,
                label=f"Service level (answered within {q.answer_within_s:g} s)")
        for k in range(1, n_days):
            ax.axvline(k * span, color="#8c959f", linewidth=0.8, zorder=2)
        ax.set_xlim(0, n_days * span)
        ax.set_ylim(0, 102)
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.yaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
        every = max(1, -(-n_days // 10))
        ax.set_xticks(
            [k * span + span / 2 for k in range(0, n_days, every)],
            [_day_label(layout.days[k]) for k in range(0, n_days, every)],
        )
        ax.set_xticks([k * span for k in range(n_days + 1)], minor=True)
        ax.tick_params(axis="x", which="major", length=0)
        ax.tick_params(axis="x", which="minor", length=4)
        ax.grid(axis="x", visible=False)
        ax.set_ylabel("Service level")
        fig.legend(loc="outside upper left", ncols=3)
        return fig

    return make


# --- the per-day table ---------------------------------------------------------------------------

_PERCENT_KEY = re.compile(r"service_level|occupancy|shrinkage|utili[sz]ation|adherence|efficiency", re.I)


def _cell(key: str, value: Any) -> tuple[str, bool]:
    """(text, is_number) for one table cell."""
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
        return _day_label(np.datetime64(value, "D"), year=True), False
    if isinstance(value, int):
        return f"{value:,}", True
    if isinstance(value, float):
        if math.isnan(value):
            return "–", True
        if math.isinf(value):
            return ("∞" if value > 0 else "−∞"), True
        if _PERCENT_KEY.search(key):
            return f"{100 * value:.1f}%", True
        return (f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"), True  # 5,640 calls, 12.5 h
    return str(value), False


def _daily_section(rows: Sequence[Mapping[str, Any]]) -> str:
    keys = list(dict.fromkeys(k for row in rows for k in row))
    cells = [[_cell(str(k), row.get(k)) for k in keys] for row in rows]
    numeric = [any(c[j][1] for c in cells) for j in range(len(keys))]
    num = [' class="num"' if n else "" for n in numeric]
    head = "".join(f'<th scope="col"{num[j]}>{_esc(_header(k))}</th>' for j, k in enumerate(keys))
    body = [
        "<tr>" + "".join(f"<td{num[j]}>{_esc(text)}</td>" for j, (text, _) in enumerate(row)) + "</tr>"
        for row in cells
    ]
    return "\n".join(
        ['<section id="per-day">', "<h2>Per day</h2>", "<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>",
         *body, "</tbody>", "</table>", "</section>"]
    )


def _header(key: Any) -> str:
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]
