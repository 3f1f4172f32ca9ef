"""Totals over a queue's intervals on the plan page and its charts, in numbers only (numpy, no matplotlib):
the volume-weighted service level and the intervals below target (:func:`service_level_totals`), the agent-hours
short (:func:`short_hours`), an array's largest finite value (:func:`finite_max`) and whether it holds fractions
(:func:`fractional`)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from wfm.report.html import QueueCoverage

__all__ = ["service_level_totals", "short_hours", "finite_max", "fractional"]


def finite_max(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else math.nan


def fractional(values: np.ndarray) -> bool:
    finite = values[np.isfinite(values)]
    return bool(np.any(finite != np.round(finite)))


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
