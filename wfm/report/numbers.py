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


def figure_apart(value: float, target: float, decimals: int = 1) -> str:
    """``value`` to ``decimals`` places, or more (up to 12) until the text is on ``value``'s side of ``target``: a
    figure that misses a target never reads as meeting it ("4.03" above 4, not "4.0"; "79.996" below 80; "92.56"
    below 92.58, not "92.6")."""
    text = f"{value:,.{decimals}f}"
    while decimals < 12 and math.isfinite(value) and value != target and \
            (float(text.replace(",", "")) - target) * (value - target) <= 0:
        decimals += 1
        text = f"{value:,.{decimals}f}"
    return text


def figures_apart(a: float, b: float, decimals: int = 1) -> tuple[str, str]:
    """``a`` and ``b`` to ``decimals`` places, or more (up to 12, the same for both) until the texts differ and each
    is on its own side of the other: two figures told apart (a formula outside a simulated band) never read the same
    ("80.04" and "80.00", not both "80.0")."""
    def texts(places: int) -> tuple[str, str]:
        return f"{a:,.{places}f}", f"{b:,.{places}f}"

    ta, tb = texts(decimals)
    while decimals < 12 and math.isfinite(a) and math.isfinite(b) and a != b and (
            ta == tb or (float(ta.replace(",", "")) - b) * (a - b) <= 0 or (float(tb.replace(",", "")) - a) * (b - a) <= 0):
        decimals += 1
        ta, tb = texts(decimals)
    return ta, tb


def pct_apart(value: float, target: float) -> str:
    """A fraction that misses ``target`` as a percentage, ``"79.996%"`` against 80 %: :func:`figure_apart`."""
    return figure_apart(100.0 * value, round(100.0 * target, 9)) + "%"


def target_pct(target: float) -> str:
    """A target fraction as set, never rounded to a neighbour: 0.8 as ``"80%"``, 0.925 as ``"92.5%"``."""
    return f"{round(100.0 * target, 9):g}%"


def _misses(value: float, target: float) -> bool:
    """Whether ``value`` falls short of ``target`` by more than wfm.erlang.target_slack (the sizing's test)."""
    from wfm.erlang import target_slack

    return math.isfinite(value) and value < target - float(target_slack(target))


def round_against(value: float, target: float | None, places: int = 4) -> float:
    """``value`` rounded to ``places`` decimals for a machine file, or to more (up to 12) where that would carry a
    figure that misses ``target`` (by more than wfm.erlang.target_slack) up to it: a week at 79.997 % against
    80 % is 0.79997 in summary.json, not 0.8, which a script comparing it with the target read as met."""
    out = round(value, places)
    if target is None or not _misses(value, target):
        return out
    while places < 12 and out >= target:
        places += 1
        out = round(value, places)
    return out


def pct_against(value: float, target: float | None, decimals: int = 1, undefined: str = "-") -> str:
    """A service level shown beside its target: as :func:`pct`, unless it misses ``target`` by more than
    wfm.erlang.target_slack, when :func:`pct_apart` gives it the decimals to read below it (79.97 %, not
    80.0 %, for a week that misses 80 %)."""
    if target is None or not _misses(value, target):
        return pct(value, decimals, undefined)
    return pct_apart(value, target)


def plural(n: int, unit: str) -> str:
    """``n`` of ``unit`` in words that agree: "1 day", "3 days"."""
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
