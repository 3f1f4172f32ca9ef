"""The plan page's charts, drawn with matplotlib's object-oriented API (no pyplot, no GUI backend, no
global style change) and inlined as compact SVG: coverage by day, the staffing-gap heat map by day and
hour, and the service level over the week. Identical input gives byte-identical SVG (for a given
matplotlib version).

Times are local wall-clock times; a day on which the clocks go back is drawn 25 hours wide
(:class:`ChartDays`). Closed hours (no rows) are left blank; lines are never drawn across them.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.style
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MaxNLocator, PercentFormatter

from wfm.report.numbers import pct as _pct_any
from wfm.times import day_label

if TYPE_CHECKING:
    from wfm.report.html import QueueCoverage


def _pct(x: float, decimals: int = 1) -> str:
    return _pct_any(x, decimals, undefined="–")


@dataclass(frozen=True, eq=False)
class ChartDays:
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


def layout(q: QueueCoverage) -> ChartDays:
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
    return ChartDays(days, day_index, clock, elapsed, tuple(shifts), first_h, max(last_h, first_h + 1))


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


def finite_max(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else math.nan


def fractional(values: np.ndarray) -> bool:
    finite = values[np.isfinite(values)]
    return bool(np.any(finite != np.round(finite)))


# --- charts --------------------------------------------------------------------------------------

_INK = "#1f2328"
_MUTED = "#57606a"
_REQUIRED = "#111111"
_AVAILABLE = "#1f6fb4"
_SCHEDULED = "#c9dcef"
_SHORT = "#d62728"
_DEFERRED = "#2ca02c"  # green: available agents working deferred work
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


def svg(make_figure: Callable[[], Figure], id_prefix: str, title: str) -> str:
    """Draw a figure to SVG under fixed settings and return it ready to inline in HTML: no XML prolog
    or DOCTYPE, no metadata, ids prefixed so that several charts on one page cannot clash."""
    buffer = StringIO()
    with mpl.rc_context():
        matplotlib.style.use("default")  # ignore the user's matplotlibrc: the same page everywhere
        mpl.rcParams.update(_RC)  # type: ignore[arg-type]  # matplotlib types keys as literals
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
    return f'<svg role="img" {text[5:head_end]}\n <title>{esc(title)}</title>{text[head_end:]}'.rstrip()


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


def coverage_figure(q: QueueCoverage, layout: ChartDays) -> Callable[[], Figure]:
    def make() -> Figure:
        n_days = layout.days.size
        ncols = min(n_days, 4)
        nrows = -(-n_days // ncols)
        fig = _figure(0.55 + 1.9 * nrows)
        axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False)
        length_h = q.interval_s / 3600
        lines = (q.required, q.scheduled, q.available + (0.0 if q.deferred is None else q.deferred))
        finite = np.concatenate([v[np.isfinite(v)] for v in lines])
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
            if q.deferred is not None:
                _, dfr = _steps(x0, length_h, q.deferred[rows])
                ax.fill_between(x, ava, ava + dfr, color=_DEFERRED, alpha=0.55, linewidth=0, zorder=2)
            ax.plot(x, ava, color=_AVAILABLE, linewidth=1.1, zorder=3)
            ax.plot(x, req, color=_REQUIRED, linewidth=1.3, zorder=4)
            ax.set_xlim(layout.first_h, layout.last_h)
            ax.set_ylim(0, top)
            shifts = layout.shifts[k]
            ticks = _clock_ticks(layout.first_h, layout.last_h, shifts, step)
            ax.set_xticks(list(ticks), list(ticks.values()))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            ax.grid(axis="x", visible=False)
            label = day_label(layout.days[k])
            if shifts:
                label += f" ({24 + shifts[-1][1]:g} h)"
            ax.set_title(label, loc="left")
            day_sl, _, _ = service_level_totals(q, rows)
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
            *([Patch(facecolor=_DEFERRED, alpha=0.55, label="Deferred work (above available)")]
              if q.deferred is not None else []),
        ]
        fig.legend(handles=handles, loc="outside upper left", ncols=len(handles))
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


def gap_figure(q: QueueCoverage, layout: ChartDays) -> Callable[[], Figure]:
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
        ax.set_yticks(np.arange(n_days) + 0.5, [day_label(d) for d in layout.days])
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


def service_level_figure(q: QueueCoverage, layout: ChartDays) -> Callable[[], Figure]:
    def make() -> Figure:
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
        _week_of_percent(ax, layout)
        fig.legend(loc="outside upper left", ncols=3)
        return fig

    return make


def _week_of_percent(ax: Any, layout: ChartDays) -> None:
    """The axes of a week of service levels: the days side by side (a line between days, a label on each),
    0-100 % upwards."""
    n_days = layout.days.size
    span = layout.last_h - layout.first_h
    for k in range(1, n_days):
        ax.axvline(k * span, color="#8c959f", linewidth=0.8, zorder=2)
    ax.set_xlim(0, n_days * span)
    ax.set_ylim(0, 102)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.yaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    every = max(1, -(-n_days // 10))
    ax.set_xticks(
        [k * span + span / 2 for k in range(0, n_days, every)],
        [day_label(layout.days[k]) for k in range(0, n_days, every)],
    )
    ax.set_xticks([k * span for k in range(n_days + 1)], minor=True)
    ax.tick_params(axis="x", which="major", length=0)
    ax.tick_params(axis="x", which="minor", length=4)
    ax.grid(axis="x", visible=False)
    ax.set_ylabel("Service level")


def simulation_figure(q: QueueCoverage, layout: ChartDays) -> Callable[[], Figure]:
    """The simulated service level per interval (mean and 95 % band over the replications) against the
    formula's for the same agents (``wfm plan --simulate``)."""
    simulated = q.simulated
    assert simulated is not None

    def make() -> Figure:
        mean, low, high = (np.where(q.volume > 0, v, np.nan) * 100 for v in simulated)
        span = layout.last_h - layout.first_h
        fig = _figure(2.9)
        ax = fig.subplots()
        x0 = layout.day_index * span + (layout.elapsed_s / 3600 - layout.first_h)
        keep = np.ones(x0.size, dtype=bool)
        length = q.interval_s / 3600
        x, lo = _steps(x0, length, low, keep)
        _, hi = _steps(x0, length, high, keep)
        _, mid = _steps(x0, length, mean, keep)
        _, formula = _steps(x0, length, np.where(q.volume > 0, q.service_level, np.nan) * 100, keep)
        ax.fill_between(x, lo, hi, color=_SCHEDULED, linewidth=0, zorder=1, label="Simulated, 95 % interval")
        ax.plot(x, mid, color=_MUTED, linewidth=1.0, zorder=2, label="Simulated mean")
        ax.plot(x, formula, color=_AVAILABLE, linewidth=1.3, zorder=3, label="Formula (the plan's evaluation)")
        ax.axhline(100 * q.service_level_target, color=_SHORT, linestyle=(0, (5, 3)), linewidth=1.0, zorder=2)
        _week_of_percent(ax, layout)
        fig.legend(loc="outside upper left", ncols=3)
        return fig

    return make


# --- the per-day table ---------------------------------------------------------------------------


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def service_level_totals(q: QueueCoverage, rows: np.ndarray | slice = slice(None)) -> tuple[float, int, int]:
    """Volume-weighted service level, intervals below target, intervals with volume."""
    vol, sl = q.volume[rows], q.service_level[rows]
    ok = (vol > 0) & np.isfinite(sl) & np.isfinite(vol)
    total = float(vol[ok].sum())
    weighted = float((vol[ok] * sl[ok]).sum() / total) if total > 0 else math.nan
    below = int((sl[ok] < q.service_level_target - 1e-12).sum())
    return weighted, below, int(ok.sum())


def short_hours(q: QueueCoverage, rows: np.ndarray | slice = slice(None)) -> tuple[float, int]:
    """Agent-hours and intervals where fewer agents are available than required."""
    gap = q.required[rows] - q.available[rows]
    short = np.isfinite(gap) & (gap > 1e-9)
    return float(gap[short].sum() * q.interval_s / 3600.0), int(short.sum())


# --- the capacity plan (wfm capacity --html) -----------------------------------------------------

_HEADCOUNT = "#8c959f"


def capacity_figure(
    periods: tuple[str, ...], required: np.ndarray, productive: np.ndarray, headcount: np.ndarray,
    in_training: np.ndarray, class_at: np.ndarray, class_agents: np.ndarray,
) -> Callable[[], Figure]:
    """FTE per period of a capacity plan: required (black) against productive (blue) FTE as steps, one period
    wide each (red where short), headcount (grey, dashed), agents in training (shaded), and a marker with the
    agents at each class start. ``class_at`` places a start on the period axis (period index + the share of the
    period before it). NaN values (no requirement before the forecast) are not drawn."""

    def make() -> Figure:
        n = len(periods)
        fig = _figure(3.6)
        ax = fig.subplots()
        x0 = np.arange(n, dtype=np.float64)
        x, req = _steps(x0, 1.0, np.asarray(required, dtype=np.float64))
        _, pro = _steps(x0, 1.0, np.asarray(productive, dtype=np.float64))
        _, head = _steps(x0, 1.0, np.asarray(headcount, dtype=np.float64))
        _, train = _steps(x0, 1.0, np.asarray(in_training, dtype=np.float64))
        ax.fill_between(x, 0, train, color=_SCHEDULED, linewidth=0, zorder=1, label="In training")
        ax.fill_between(x, pro, req, where=pro < req - 1e-6, color=_SHORT, alpha=0.45, linewidth=0, zorder=2,
                        label="Short (productive < required)")
        ax.plot(x, head, color=_HEADCOUNT, linewidth=1.1, linestyle=(0, (4, 2)), zorder=3, label="Headcount")
        ax.plot(x, pro, color=_AVAILABLE, linewidth=1.5, zorder=4, label="Productive FTE")
        ax.plot(x, req, color=_REQUIRED, linewidth=1.5, zorder=5, label="Required FTE")
        values = np.concatenate([np.asarray(v, dtype=np.float64) for v in (required, productive, headcount)])
        top = max(finite_max(values) if np.isfinite(values).any() else 1.0, 1.0) * 1.12
        if len(class_at):
            ax.plot(class_at, np.full(len(class_at), 0.03 * top), linestyle="none", marker="^", markersize=7,
                    color=_DEFERRED, zorder=6, label="Class starts (agents)")
            for at, agents in zip(class_at, class_agents):
                ax.annotate(f"{int(agents)}", (float(at), 0.03 * top), xytext=(0, 6), textcoords="offset points",
                            ha="center", va="bottom", fontsize=7, color=_INK, zorder=6)
        ax.set_xlim(0, max(n, 1))
        ax.set_ylim(0, top)
        every = max(1, -(-n // 24))
        ax.set_xticks([k + 0.5 for k in range(0, n, every)], [periods[k] for k in range(0, n, every)],
                      rotation=0 if n <= 12 else 45, ha="center" if n <= 12 else "right")
        ax.set_xticks(list(range(n + 1)), minor=True)
        ax.tick_params(axis="x", which="major", length=0)
        ax.tick_params(axis="x", which="minor", length=3)
        ax.grid(axis="x", visible=False)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.set_ylabel("FTE (agents)")
        fig.legend(loc="outside upper left", ncols=6)
        return fig

    return make


# --- the backtest (wfm backtest --html) ----------------------------------------------------------

_NAIVE = "#e08214"  # orange: the seasonal-naive baseline
_MEAN4 = "#8c959f"  # grey: the mean-of-last-four baseline


def backtest_figure(
    days: np.ndarray, actual: np.ndarray, model: np.ndarray, naive: np.ndarray, mean4: np.ndarray,
    lo: np.ndarray | None = None, hi: np.ndarray | None = None,
) -> Callable[[], Figure]:
    """Forecast against actual volume per day over a backtest's weeks: the model (blue), the seasonal-naive
    (orange, dashed) and mean-of-last-four (grey, dotted) baselines as thin lines, the actual as black dots
    (NaN: a day not scored, not drawn), and the prediction interval ``lo``..``hi`` per day as a band when
    given. ``days`` (datetime64[D]) label the axis; a minor tick between weeks."""

    def make() -> Figure:
        n = len(days)
        fig = _figure(3.2)
        ax = fig.subplots()
        x = np.arange(n, dtype=np.float64)
        if lo is not None and hi is not None:
            ax.fill_between(x, np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64),
                            color=_SCHEDULED, linewidth=0, zorder=1, label="Prediction interval")
        ax.plot(x, np.asarray(mean4, dtype=np.float64), color=_MEAN4, linewidth=0.9, linestyle=(0, (1, 1.5)),
                zorder=2, label="Mean of last four same weekdays")
        ax.plot(x, np.asarray(naive, dtype=np.float64), color=_NAIVE, linewidth=0.9, linestyle=(0, (4, 2)),
                zorder=3, label="Seasonal naive")
        ax.plot(x, np.asarray(model, dtype=np.float64), color=_AVAILABLE, linewidth=1.6, zorder=4,
                label="Model")
        act = np.asarray(actual, dtype=np.float64)
        shown = np.isfinite(act)
        ax.plot(x[shown], act[shown], linestyle="none", marker="o", markersize=4.5, color=_REQUIRED, zorder=5,
                label="Actual")
        values = np.concatenate([np.asarray(v, dtype=np.float64) for v in (actual, model, naive, mean4)]
                                + ([np.asarray(hi, dtype=np.float64)] if hi is not None else []))
        top = max(finite_max(values) if np.isfinite(values).any() else 1.0, 1.0) * 1.1
        ax.set_xlim(-0.5, max(n, 1) - 0.5)
        ax.set_ylim(0, top)
        every = 1 if n <= 14 else 7
        ax.set_xticks(list(range(0, n, every)), [day_label(days[k]) for k in range(0, n, every)],
                      rotation=0 if n <= 7 or every == 7 else 45, ha="center" if n <= 7 or every == 7 else "right")
        ax.set_xticks([k - 0.5 for k in range(7, n, 7)], minor=True)
        ax.tick_params(axis="x", which="minor", length=8)
        ax.grid(axis="x", visible=False)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.set_ylabel("Contacts per day")
        fig.legend(loc="outside upper left", ncols=5)
        return fig

    return make
