"""The backtest's chart (``wfm backtest --html``): forecast against actual volume per day over the weeks
scored, with the two baselines (:func:`backtest_figure`; no prediction-interval band: the backtest's interval is
per interval, not per day)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from wfm.report.chart_axes import category_x_axis, count_y_axis, value_top
from wfm.report.chart_svg import AVAILABLE, REQUIRED, figure_with_axes
from wfm.times import day_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["backtest_figure"]

_NAIVE = "#e08214"  # orange: the seasonal-naive baseline
_MEAN4 = "#8c959f"  # grey: the mean-of-last-four baseline


def backtest_figure(
    days: np.ndarray, actual: np.ndarray, model: np.ndarray, naive: np.ndarray, mean4: np.ndarray,
) -> Callable[[], Figure]:
    """Forecast against actual volume per day over a backtest's weeks: the model (blue), the seasonal-naive
    (orange, dashed) and mean-of-last-four (grey, dotted) baselines as thin lines, the actual as black dots
    (NaN: a day not scored, not drawn). ``days`` (datetime64[D]) label the axis; a minor tick between weeks."""

    def make() -> Figure:
        n = len(days)
        fig, ax = figure_with_axes(3.2)
        x = np.arange(n, dtype=np.float64)
        ax.plot(x, np.asarray(mean4, dtype=np.float64), color=_MEAN4, linewidth=0.9, linestyle=(0, (1, 1.5)),
                zorder=2, label="Mean of last four same weekdays")
        ax.plot(x, np.asarray(naive, dtype=np.float64), color=_NAIVE, linewidth=0.9, linestyle=(0, (4, 2)),
                zorder=3, label="Seasonal naive")
        ax.plot(x, np.asarray(model, dtype=np.float64), color=AVAILABLE, linewidth=1.6, zorder=4,
                label="Model")
        act = np.asarray(actual, dtype=np.float64)
        shown = np.isfinite(act)
        ax.plot(x[shown], act[shown], linestyle="none", marker="o", markersize=4.5, color=REQUIRED, zorder=5,
                label="Actual")
        ax.set_xlim(-0.5, max(n, 1) - 0.5)
        every = 1 if n <= 14 else 7
        category_x_axis(ax, list(range(n)), [day_label(d) for d in days], [k - 0.5 for k in range(7, n, 7)],
                        every=every, tilt=not (n <= 7 or every == 7), bound_tick=8, centre_tick=True)
        top = value_top((actual, model, naive, mean4), 1.1)
        count_y_axis(ax, top, "Contacts per day", nbins=6)
        fig.legend(loc="outside upper left", ncols=5)
        return fig

    return make
