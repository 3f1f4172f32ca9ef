"""The plan page's charts, per queue: coverage by day (:func:`coverage_figure`), the staffing-gap heat map by
day and hour (:func:`gap_figure`), the service level over the week (:func:`service_level_figure`) and, with
``wfm plan --simulate``, the simulated service level beside the formula's (:func:`simulation_figure`).

Each returns a function that makes the figure, for :func:`wfm.report.chart_svg.svg` to draw under its fixed
settings. Times are local wall-clock times; a day on which the clocks go back is drawn 25 hours wide
(:class:`wfm.report.chart_days.ChartDays`). Closed hours (no rows) are left blank; lines are never drawn
across them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from wfm.report.chart_axes import count_y_axis, percent_week_axis, value_top
from wfm.report.chart_days import ChartDays, clock_ticks, hour_step, step_vertices, week_hours
from wfm.report.chart_svg import (
    AVAILABLE,
    DEFERRED,
    INK,
    MUTED,
    REQUIRED,
    SCHEDULED,
    SHORT,
    figure_with_axes,
    new_figure,
)
from wfm.report.numbers import pct_against
from wfm.report.queue_totals import service_level_totals
from wfm.times import day_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wfm.report.html import QueueCoverage

__all__ = ["coverage_figure", "gap_figure", "service_level_figure", "simulation_figure"]


def coverage_figure(q: QueueCoverage, layout: ChartDays) -> Callable[[], Figure]:
    def make() -> Figure:
        n_days = layout.days.size
        ncols = min(n_days, 4)
        nrows = -(-n_days // ncols)
        fig = new_figure(0.55 + 1.9 * nrows)
        axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False)
        length_h = q.interval_s / 3600
        top = value_top((q.required, q.scheduled, q.available + (0.0 if q.deferred is None else q.deferred)), 1.08)
        span = layout.last_h - layout.first_h
        step = hour_step(span, 5 if ncols > 1 else 12)
        for k, ax in enumerate(axes.flat):
            if k >= n_days:
                ax.set_visible(False)
                continue
            rows = np.flatnonzero(layout.day_index == k)
            x0 = layout.elapsed_s[rows] / 3600
            x, req = step_vertices(x0, length_h, q.required[rows])
            _, sch = step_vertices(x0, length_h, q.scheduled[rows])
            _, ava = step_vertices(x0, length_h, q.available[rows])
            ax.fill_between(x, 0, sch, color=SCHEDULED, linewidth=0, zorder=1)
            ax.fill_between(x, ava, req, where=ava < req, color=SHORT, alpha=0.45, linewidth=0, zorder=2)
            if q.deferred is not None:
                _, dfr = step_vertices(x0, length_h, q.deferred[rows])
                ax.fill_between(x, ava, ava + dfr, color=DEFERRED, alpha=0.55, linewidth=0, zorder=2)
            ax.plot(x, ava, color=AVAILABLE, linewidth=1.1, zorder=3)
            ax.plot(x, req, color=REQUIRED, linewidth=1.3, zorder=4)
            ax.set_xlim(layout.first_h, layout.last_h)
            shifts = layout.shifts[k]
            ticks = clock_ticks(layout.first_h, layout.last_h, shifts, step)
            ax.set_xticks(list(ticks), list(ticks.values()))
            count_y_axis(ax, top, "Agents" if k % ncols == 0 else None, nbins=5, integer=True)
            ax.grid(axis="x", visible=False)
            label = day_label(layout.days[k])
            if shifts:
                label += f" ({24 + shifts[-1][1]:g} h)"
            ax.set_title(label, loc="left")
            day_sl, _, _ = service_level_totals(q, rows)
            if math.isfinite(day_sl):
                missed = day_sl < q.service_level_target - 1e-12
                ax.set_title(
                    f"SL {pct_against(day_sl, q.service_level_target)}", loc="right", fontsize=8, fontweight="bold" if missed else "normal",
                    color=SHORT if missed else MUTED,
                )
        handles = [
            Patch(facecolor=SCHEDULED, label="Scheduled"),
            Line2D([], [], color=AVAILABLE, linewidth=1.1, label="Available"),
            Line2D([], [], color=REQUIRED, linewidth=1.3, label="Required"),
            Patch(facecolor=SHORT, alpha=0.45, label="Short (available < required)"),
            *([Patch(facecolor=DEFERRED, alpha=0.55, label="Deferred work (above available)")]
              if q.deferred is not None else []),
        ]
        fig.legend(handles=handles, loc="outside upper left", ncols=len(handles))
        return fig

    return make


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
        fig, ax = figure_with_axes(1.05 + 0.3 * n_days + (0 if tall else 0.75))
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
                    color="white" if abs(value) > 0.6 * limit else INK,
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


def _sl_percent(q: QueueCoverage, values: np.ndarray) -> np.ndarray:
    """A service level per interval in percent, NaN (not drawn) where the interval has no contacts."""
    return np.where(q.volume > 0, values, np.nan) * 100


def service_level_figure(q: QueueCoverage, layout: ChartDays) -> Callable[[], Figure]:
    def make() -> Figure:
        fig, ax = figure_with_axes(2.9)
        x0 = week_hours(layout)
        sl = _sl_percent(q, q.service_level)
        # One short level per interval and no risers between them: with hundreds of intervals a step
        # line's risers turn every single bad interval into a full-height bar code.
        x, y = step_vertices(x0, q.interval_s / 3600, sl, np.ones(x0.size, dtype=bool))
        target = 100 * q.service_level_target
        ax.axhline(target, color=SHORT, linestyle=(0, (5, 3)), linewidth=1.2, zorder=3,
                   label=f"Target {target:g}% in {q.answer_within_s:g} s")
        ax.fill_between(x, y, target, where=y < target, color=SHORT, alpha=0.4, linewidth=0, zorder=1,
                        label="Below target")
        ax.plot(x, y, color=AVAILABLE, linewidth=1.5, solid_capstyle="butt", zorder=4,
                label=f"Service level (answered within {q.answer_within_s:g} s)")
        percent_week_axis(ax, layout)
        fig.legend(loc="outside upper left", ncols=3)
        return fig

    return make


def simulation_figure(q: QueueCoverage, layout: ChartDays) -> Callable[[], Figure]:
    """The simulated service level per interval (mean and 95 % band over the replications) against the
    formula's for the same agents (``wfm plan --simulate``)."""
    simulated = q.simulated
    assert simulated is not None

    def make() -> Figure:
        mean, low, high = (_sl_percent(q, v) for v in simulated)
        fig, ax = figure_with_axes(2.9)
        x0 = week_hours(layout)
        keep = np.ones(x0.size, dtype=bool)
        length = q.interval_s / 3600
        x, lo = step_vertices(x0, length, low, keep)
        _, hi = step_vertices(x0, length, high, keep)
        _, mid = step_vertices(x0, length, mean, keep)
        _, formula = step_vertices(x0, length, _sl_percent(q, q.service_level), keep)
        ax.fill_between(x, lo, hi, color=SCHEDULED, linewidth=0, zorder=1, label="Simulated, 95 % interval")
        ax.plot(x, mid, color=MUTED, linewidth=1.0, zorder=2, label="Simulated mean")
        ax.plot(x, formula, color=AVAILABLE, linewidth=1.3, zorder=3, label="Formula (the plan's evaluation)")
        ax.axhline(100 * q.service_level_target, color=SHORT, linestyle=(0, (5, 3)), linewidth=1.0, zorder=2)
        percent_week_axis(ax, layout)
        fig.legend(loc="outside upper left", ncols=3)
        return fig

    return make
