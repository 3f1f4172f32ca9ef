"""The axis setup the charts share: the top of a y axis that starts at zero (:func:`value_top`), a y axis of
counts (:func:`count_y_axis`), an x axis of categories side by side, such as days or months
(:func:`category_x_axis`), and the axes of a week of service levels (:func:`percent_week_axis`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.ticker import FixedLocator, MaxNLocator, PercentFormatter

from wfm.report.queue_totals import finite_max
from wfm.times import day_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wfm.report.chart_days import ChartDays

__all__ = ["value_top", "count_y_axis", "category_x_axis", "percent_week_axis"]


def value_top(arrays: Iterable[np.ndarray], headroom: float) -> float:
    """The top of a y axis from 0: the largest finite value in ``arrays`` (1 if larger or if there is none)
    times ``headroom``."""
    top = finite_max(np.concatenate([np.asarray(v, dtype=np.float64) for v in arrays]))
    return max(top if math.isfinite(top) else 1.0, 1.0) * headroom


def count_y_axis(ax: Axes, top: float, label: str | None, nbins: int, integer: bool = False) -> None:
    """A y axis of counts (agents, FTE, contacts) from 0 to ``top`` with about ``nbins`` ticks, labelled
    ``label`` unless None."""
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=nbins, integer=integer))
    if label is not None:
        ax.set_ylabel(label)


def category_x_axis(
    ax: Axes, centres: Sequence[float], labels: Sequence[str], bounds: Sequence[float], *, every: int,
    tilt: bool, bound_tick: float, centre_tick: bool = False,
) -> None:
    """An x axis of categories side by side (days, months): every ``every``-th category labelled at its centre
    (the labels tilted by 45° when ``tilt``), a minor tick ``bound_tick`` points long at each of ``bounds``, no
    major tick unless ``centre_tick``, and no vertical grid lines."""
    shown = range(0, len(labels), every)
    ax.set_xticks([centres[k] for k in shown], [labels[k] for k in shown],
                  rotation=45 if tilt else 0, ha="right" if tilt else "center")
    ax.set_xticks(list(bounds), minor=True)
    if not centre_tick:
        ax.tick_params(axis="x", which="major", length=0)
    ax.tick_params(axis="x", which="minor", length=bound_tick)
    ax.grid(axis="x", visible=False)


def percent_week_axis(ax: Axes, layout: ChartDays) -> None:
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
    category_x_axis(
        ax, [k * span + span / 2 for k in range(n_days)], [day_label(d) for d in layout.days],
        [k * span for k in range(n_days + 1)], every=max(1, -(-n_days // 10)), tilt=False, bound_tick=4,
    )
    ax.set_ylabel("Service level")
