"""Number formatting for people: percentages, seconds, counts; one home for every report."""

from __future__ import annotations

import math


def pct(x: float, decimals: int = 1, undefined: str = "-") -> str:
    """A fraction as a percentage, ``"91.6%"``; ``undefined`` when it is not a number (a service level
    with no contacts)."""
    return f"{100.0 * x:.{decimals}f}%" if math.isfinite(x) else undefined


def number(x: float, decimals: int = 1, undefined: str = "-") -> str:
    """``"1,234.5"``; ``undefined`` when not finite."""
    return f"{x:,.{decimals}f}" if math.isfinite(x) else undefined


def seconds_text(x: float) -> str:
    """A time in seconds to 0.1 s, ``"∞"`` when infinite (an overloaded interval's ASA)."""
    return "∞" if math.isinf(x) else f"{x:,.1f}"


def money(value: float | None, decimals: int = 2, missing: str = "") -> str:
    """An amount of money with thousands separators, ``"12,345.60"`` (no currency: the rates' own); ``missing``
    when there is none (no rates or contract given)."""
    return missing if value is None else f"{value:,.{decimals}f}"
