"""The capacity plan's chart (``wfm capacity --html``): required against productive FTE per period, with the
headcount, the agents in training and the class starts (:func:`capacity_figure`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from wfm.report.chart_axes import category_x_axis, count_y_axis, value_top
from wfm.report.chart_days import step_vertices
from wfm.report.chart_svg import AVAILABLE, DEFERRED, INK, REQUIRED, SCHEDULED, SHORT, figure_with_axes

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["capacity_figure"]

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
        fig, ax = figure_with_axes(3.6)
        x0 = np.arange(n, dtype=np.float64)
        x, req = step_vertices(x0, 1.0, np.asarray(required, dtype=np.float64))
        _, pro = step_vertices(x0, 1.0, np.asarray(productive, dtype=np.float64))
        _, head = step_vertices(x0, 1.0, np.asarray(headcount, dtype=np.float64))
        _, train = step_vertices(x0, 1.0, np.asarray(in_training, dtype=np.float64))
        ax.fill_between(x, 0, train, color=SCHEDULED, linewidth=0, zorder=1, label="In training")
        ax.fill_between(x, pro, req, where=pro < req - 1e-6, color=SHORT, alpha=0.45, linewidth=0, zorder=2,
                        label="Short (productive < required)")
        ax.plot(x, head, color=_HEADCOUNT, linewidth=1.1, linestyle=(0, (4, 2)), zorder=3, label="Headcount")
        ax.plot(x, pro, color=AVAILABLE, linewidth=1.5, zorder=4, label="Productive FTE")
        ax.plot(x, req, color=REQUIRED, linewidth=1.5, zorder=5, label="Required FTE")
        top = value_top((required, productive, headcount), 1.12)
        if len(class_at):
            ax.plot(class_at, np.full(len(class_at), 0.03 * top), linestyle="none", marker="^", markersize=7,
                    color=DEFERRED, zorder=6, label="Class starts (agents)")
            for at, agents in zip(class_at, class_agents):
                ax.annotate(f"{int(agents)}", (float(at), 0.03 * top), xytext=(0, 6), textcoords="offset points",
                            ha="center", va="bottom", fontsize=7, color=INK, zorder=6)
        ax.set_xlim(0, max(n, 1))
        category_x_axis(ax, [k + 0.5 for k in range(n)], periods, list(range(n + 1)),
                        every=max(1, -(-n // 24)), tilt=n > 12, bound_tick=3)
        count_y_axis(ax, top, "FTE (agents)", nbins=6)
        fig.legend(loc="outside upper left", ncols=6)
        return fig

    return make
