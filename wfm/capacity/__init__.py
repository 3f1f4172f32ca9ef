"""The long-range capacity plan (`wfm capacity`): how many agents to hire, and when, for months ahead.

    inputs     VOLUMES.csv (period, volume, aht[, queue]) read and checked -> :class:`Volumes`
    settings   the [capacity] section of wfm.toml and its flags -> :class:`CapacitySettings`
    sizing     required FTE per period: the profile week scaled to each period and sized by :func:`wfm.size`
    model      the weekly projection (attrition, training, ramp) and the hiring plan as an integer program
    report     the plan as CSV columns, JSON and a terminal table

Only numpy at import time; scipy (the solver) and the forecast loader are imported where they are used.
"""

from __future__ import annotations

CSV_COLUMNS = ("period", "required_fte", "productive_fte", "headcount", "attrition", "hires_starting",
               "in_training", "gap_fte", "cost")
"""The columns of ``wfm capacity --format csv``, in order (a contract: scripts rely on them)."""

__all__ = ["CSV_COLUMNS"]
