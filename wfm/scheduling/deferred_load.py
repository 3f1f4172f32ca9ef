"""Deferred work for a blended team: email, back office and other queues that need not be answered
in the interval their work arrives, done by the agents who also take the real-time queue.

Pure library code: no I/O.

A :class:`DeferredLoad` gives one deferred queue's work as two cumulative curves over the
requirement's intervals, in agent-intervals (agents on shift and not on break, times intervals, the
units of ``required`` summed over intervals): ``arrived`` (work that has come in by the end of each
interval) and ``due`` (work whose response target runs out by the end of each interval). The
schedule places that work in the intervals where the real-time requirement leaves agents spare
(the troughs), never before it arrives, and reports any work done after its deadline
(``Schedule.deferred_worked``, ``Schedule.deferred_late``; see :mod:`wfm.scheduling.model`).

Building the curves from a volume forecast: with ``work[i]`` agent-intervals arriving in interval
``i`` (items x handling time / interval length) and a response target of ``k`` intervals,
``arrived = cumsum(work)`` and ``due[i] = arrived[i - k]`` (0 for ``i < k``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wfm.reprs import compact_repr

if TYPE_CHECKING:  # the model (and scipy) are not needed to describe a load
    from wfm.scheduling.model import Model

__all__ = ["DeferredLoad", "check_deferred", "deferred_results"]

# Rounding the curves may leave: a decrease or a due above arrived by this much (agent-intervals,
# relative to the curve's size) is float dust, not an error.
_DUST = 1e-9


@dataclass(frozen=True, repr=False)
class DeferredLoad:
    """One deferred queue's work for the schedule, in the units of ``required`` (agents on shift
    and not on break) x intervals.

    name     the queue's name (for messages and reports)
    due      per requirement interval (the order and length of ``required``): cumulative
             agent-intervals of work that must be done by the END of that interval;
             non-decreasing, >= 0
    arrived  per requirement interval: cumulative agent-intervals of work arrived by the end of
             the interval; non-decreasing, >= due
    workable per requirement interval: the load may be worked in it (bool; None, the default: in
             every interval), e.g. a queue open for fewer hours than the team works. The due curve
             should not rise in an interval the load is not worked in (work due then is due by the
             end of the last interval it is worked in), or that work is late.

    The curves are checked on construction (ValueError naming what is wrong); their length against
    ``required`` when the load is given to :func:`wfm.scheduling.solve.schedule`.
    """

    __repr__ = compact_repr  # fields, with arrays as their shapes

    name: str
    due: NDArray[np.float64]
    arrived: NDArray[np.float64]
    workable: NDArray[np.bool_] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"a deferred load needs a name, got {self.name!r}")
        for key in ("due", "arrived"):
            object.__setattr__(self, key, _curve(getattr(self, key), f"deferred load {self.name!r}: {key}"))
        if self.due.shape != self.arrived.shape:
            raise ValueError(f"deferred load {self.name!r}: due has {self.due.size} values but arrived has "
                             f"{self.arrived.size}; give one value per requirement interval to both")
        if self.workable is not None:
            mask = np.array(self.workable)
            if mask.dtype != np.bool_ or mask.shape != self.due.shape:
                raise ValueError(f"deferred load {self.name!r}: workable must be {self.due.size} bools (one per "
                                 f"requirement interval), got {mask.dtype} of shape {mask.shape}")
            mask.flags.writeable = False
            object.__setattr__(self, "workable", mask)
        late = np.flatnonzero(self.due > self.arrived + _DUST * max(1.0, float(self.arrived[-1])))
        if late.size:
            i = int(late[0])
            raise ValueError(f"deferred load {self.name!r}: interval {i}: due ({self.due[i]:g} agent-intervals) "
                             f"is more than has arrived ({self.arrived[i]:g}): work cannot be due before it arrives")


def _curve(values: ArrayLike, where: str) -> NDArray[np.float64]:
    """A cumulative curve as a read-only float array: 1-D, finite, >= 0 and non-decreasing."""
    arr = np.array(values, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{where} must be a 1-D array with one value per requirement interval, got shape {arr.shape}")
    bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0))
    if bad.size:
        raise ValueError(f"{where}: interval {int(bad[0])}: cumulative agent-intervals must be a finite number >= 0, "
                         f"got {arr[bad[0]]}")
    down = np.flatnonzero(np.diff(arr) < -_DUST * max(1.0, float(arr.max())))
    if down.size:
        i = int(down[0]) + 1
        raise ValueError(f"{where}: interval {i}: the cumulative curve decreases ({arr[i - 1]:g} -> {arr[i]:g}); "
                         "it must be non-decreasing (work done or arrived so far)")
    arr.flags.writeable = False
    return arr


def check_deferred(deferred: Sequence[DeferredLoad], n: int) -> tuple[DeferredLoad, ...]:
    """The loads as a tuple, each checked to have one value per requirement interval (``n``)
    and a name of its own. Raises ValueError naming the load that does not fit."""
    loads = tuple(deferred)
    names: set[str] = set()
    for i, load in enumerate(loads):
        if not isinstance(load, DeferredLoad):
            raise ValueError(f"deferred[{i}] must be a DeferredLoad, got {type(load).__name__}")
        if load.due.size != n:
            raise ValueError(f"deferred load {load.name!r} has {load.due.size} intervals, expected one value per "
                             f"requirement interval ({n})")
        if load.name in names:
            raise ValueError(f"deferred load {load.name!r} is given twice; give each queue once with its own name")
        names.add(load.name)
    return loads


def deferred_results(model: Model, x: NDArray[np.float64],
                     loads: Sequence[DeferredLoad]) -> tuple[tuple[NDArray[np.float64], ...], tuple[float, ...]]:
    """Per load, the agents working on it per requirement interval as solved (float dust
    removed), and its largest lateness: agent-intervals of work due but not yet done at the end
    of an interval (0 when every deadline holds)."""
    if model.deferred is None:
        return (), ()
    worked, late = [], []
    for q, load in enumerate(loads):
        d = x[model.deferred.worked(q)]
        d = np.maximum(np.rint(d * 1e9) / 1e9, 0.0)
        worked.append(d)
        late.append(float(np.max(load.due - np.cumsum(d), initial=0.0)))
    return tuple(worked), tuple(late)
