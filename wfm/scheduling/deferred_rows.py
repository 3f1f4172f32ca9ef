"""Deferred work in the integer program (:mod:`wfm.scheduling.model`): where its columns are
(:class:`DeferredColumns`) and its rows, costs and bounds (:func:`add_deferred_rows`). The loads
themselves are :class:`~wfm.scheduling.deferred_load.DeferredLoad`. Pure library code: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from wfm.scheduling.deferred_load import DeferredLoad

if TYPE_CHECKING:
    from wfm.scheduling.model import _Triplets

__all__ = ["DeferredColumns", "add_deferred_rows"]


@dataclass(frozen=True)
class DeferredColumns:
    """Where the deferred-work columns are: agents on the phones above the rounded real-time
    requirement (``o_t``, one block), then per load q three blocks of one column per open
    interval: agents working on it (``d_q,t``), agent-intervals of it done so far (``D_q,t``) and
    agent-intervals of it late (``e_q,t``)."""

    spare_col: int
    first: int
    n_open: int
    due: tuple[NDArray[np.float64], ...]  # per load, the work due by the end of each open interval

    @property
    def n_loads(self) -> int:
        return len(self.due)

    def worked(self, q: int) -> slice:
        """Columns d_q,t: agents working on load q's deferred work, per open interval."""
        start = self.first + 3 * q * self.n_open
        return slice(start, start + self.n_open)

    def done(self, q: int) -> slice:
        """Columns D_q,t: agent-intervals of load q done by the end of each open interval."""
        start = self.first + (3 * q + 1) * self.n_open
        return slice(start, start + self.n_open)

    def late(self, q: int) -> slice:
        """Columns e_q,t: agent-intervals of load q due but not done by the end of each open interval."""
        start = self.first + (3 * q + 2) * self.n_open
        return slice(start, start + self.n_open)

    @property
    def columns(self) -> slice:
        """Every deferred-work column, the spare block included."""
        return slice(self.spare_col, self.first + 3 * self.n_loads * self.n_open)


def add_deferred_rows(m: _Triplets, c: NDArray[np.float64], ub: NDArray[np.float64], cols: DeferredColumns,
                      loads: tuple[DeferredLoad, ...], headroom: NDArray[np.float64], v_col: int,
                      v_coef: NDArray[np.float64], late_cost: NDArray[np.float64]) -> None:
    """The deferred-work rows and column costs and bounds (:mod:`wfm.scheduling.model`'s
    docstring), in place: per open interval the capacity row, per load and open interval the
    running total and its deadline. Every row has at most 2 + number of loads non-zeros, so the
    size grows linearly with the week. A load's ``workable`` mask bounds its ``d_q,t`` to 0 where
    it is not worked.

    ``headroom`` hi - r (agents the rounding of the real-time requirement leaves spare),
    ``v_coef`` 1 - g where v may be positive (else 0), ``late_cost`` the cost of one
    agent-interval of work late at the end of each open interval (until the next one)."""
    n = cols.n_open
    t = np.arange(n)
    # Capacity: sum_q d_q,t - o_t + (1 - g_t) v_t <= hi_t - r_t
    r_cap = m.block(n, -np.inf, headroom)
    m.add(r_cap + t, cols.spare_col + t, -1.0)
    has_v = np.flatnonzero(v_coef > 0)
    m.add(r_cap + has_v, v_col + has_v, v_coef[has_v])
    for q, load in enumerate(loads):
        worked, done, late = cols.worked(q).start, cols.done(q).start, cols.late(q).start
        m.add(r_cap + t, worked + t, 1.0)
        # Running total: D_q,t - D_q,t-1 - d_q,t = 0
        r_run = m.block(n, 0.0, 0.0)
        m.add(r_run + t, done + t, 1.0)
        m.add(r_run + t[1:], done + t[:-1], -1.0)
        m.add(r_run + t, worked + t, -1.0)
        # Deadline (soft): D_q,t + e_q,t >= due_q,t; arrival: D_q,t <= arrived_q,t
        r_due = m.block(n, load.due, np.inf)
        m.add(r_due + t, done + t, 1.0)
        m.add(r_due + t, late + t, 1.0)
        ub[done:done + n] = load.arrived
        if load.workable is not None:  # d_q,t = 0 where the load is not worked
            ub[worked + np.flatnonzero(~load.workable)] = 0.0
        c[late:late + n] = late_cost
