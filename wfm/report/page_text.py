"""Text on the HTML pages: every name from the input escaped (:func:`esc`) and percentages with an en dash
where there is none (:func:`pct`). No matplotlib here."""

from __future__ import annotations

import html
from typing import Any

from wfm.report.numbers import pct as _pct_any

__all__ = ["esc", "pct"]


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def pct(x: float, decimals: int = 1) -> str:
    """``"91.6%"``, or ``"–"`` when undefined (a service level with no contacts)."""
    return _pct_any(x, decimals, undefined="–")
