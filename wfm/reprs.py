"""Short reprs for results that hold arrays: a notebook shows a result's fields, not every interval of its week.

``QueuePlan``, ``Evaluation``, ``Seats``, ``SiteSeats``, ``DeferredLoad``, ``SimulationReport`` (and its ``Check``
and ``DeferredCheck``, a queue's per interval: 32,000 characters for one queue's week before) and the forecasting
results use :func:`compact_repr` as their ``__repr__`` (their dataclass ``repr=False``); ``Forecast``,
``Requirement``, ``Schedule`` and ``Plan`` have a one-line repr of their own.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

_LONGEST = 100
"""Characters of a field's value shown before it is cut with '...'."""


def compact_repr(result: Any) -> str:
    """``Name(field=value, ...)`` for a dataclass, with each numpy array as its dtype and shape, a tuple or list of
    more than three items as its length and first item's type, and any other value cut at 100 characters."""
    shown = (f"{f.name}={_short(getattr(result, f.name))}" for f in dataclasses.fields(result) if f.repr)
    return f"{type(result).__name__}({', '.join(shown)})"


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"<{value.dtype} array of {' x '.join(f'{n:,}' for n in value.shape) or 'one value'}>"
    if isinstance(value, (tuple, list)) and len(value) > 3:
        return f"<{type(value).__name__} of {len(value):,} {type(value[0]).__name__}>"
    text = repr(value)
    return text if len(text) <= _LONGEST else text[:_LONGEST - 3] + "..."
