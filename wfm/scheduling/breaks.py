"""Break rules: the breaks and lunches a shift of a given length takes, which the solver places, and their names,
which shifts.csv lists each shift's breaks by (``break 1 09:45x2; lunch 12:00x2``).

Pure library code: no I/O; values checked as :mod:`wfm.scheduling.rules` checks its own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from wfm.config import show_value
from wfm.errors import ConfigError
from wfm.scheduling.rule_values import as_flag, as_number, as_pair

__all__ = ["BreakRule", "DEFAULT_BREAKS", "check_distinct_names"]


@dataclass(frozen=True)
class BreakRule:
    """One break (or lunch) that every shift of a matching length takes; the solver places it.

    name         label used in reports, e.g. ``"break 1"``, ``"lunch"``: printable text of at most 100 characters
                 (without ``;`` or a word like ``12:00x1``, which shifts.csv's breaks column reads as a time), its
                 own among the breaks of any one shift length.
    minutes      duration in minutes.
    paid         paid breaks are paid time (and are the shrinkage the schedule models);
                 an unpaid lunch is off the clock: it lengthens the shift but is not paid.
    window_h     (earliest start, latest end) of the break in hours from the shift start; a
                 negative number counts back from the shift end (``-2.5`` = 2.5 h before the end).
                 The break lies entirely inside the window. The solver may start it at any
                 interval boundary in the window (every 15 minutes on a 15-minute requirement).
    min_shift_h  the rule applies to shifts with ``min_shift_h <= length < max_shift_h`` hours.
    max_shift_h
    """

    name: str
    minutes: float
    paid: bool
    window_h: tuple[float, float]
    min_shift_h: float = 0.0
    max_shift_h: float = math.inf

    def __post_init__(self) -> None:
        """Ranges: minutes in (0, 1440]; window_h two finite hours in [-24, 24];
        0 <= min_shift_h < max_shift_h (min finite, max may be infinite)."""
        set_ = object.__setattr__
        if not isinstance(self.name, str) or not self.name.strip():
            raise ConfigError(f"a break needs a non-empty name, got {show_value(self.name)}")
        set_(self, "name", self.name.strip())  # as shifts.csv gives it back
        problem = _break_name_problem(self.name)
        if problem:
            raise ConfigError(f"break {show_value(self.name)}: {problem}; shifts.csv lists a shift's breaks by name and "
                              "time, as 'break 1 09:45x2; lunch 12:00x2'")
        where = f"break '{self.name}'"
        set_(self, "window_h", as_pair(self.window_h, f"{where}: window_h", "[start, end] in hours"))
        set_(self, "minutes", as_number(self.minutes, f"{where}: minutes"))
        set_(self, "paid", as_flag(self.paid, f"{where}: paid"))
        set_(self, "min_shift_h", as_number(self.min_shift_h, f"{where}: min_shift_h"))
        set_(self, "max_shift_h", as_number(self.max_shift_h, f"{where}: max_shift_h"))
        if not 0 < self.minutes <= 24 * 60:
            raise ConfigError(f"{where}: minutes must be more than 0 and at most 1440, got {show_value(self.minutes)}")
        if not all(-24 <= x <= 24 for x in self.window_h):
            raise ConfigError(f"{where}: window_h must be hours from -24 to 24, got {show_value(list(self.window_h))}")
        if not (0 <= self.min_shift_h < self.max_shift_h and math.isfinite(self.min_shift_h)):
            raise ConfigError(f"{where}: need 0 <= min_shift_h < max_shift_h, got {show_value(self.min_shift_h)} "
                           f"and {show_value(self.max_shift_h)}")

    def applies_to(self, length_h: float) -> bool:
        return self.min_shift_h <= length_h < self.max_shift_h

    def window_in_shift_h(self, length_h: float) -> tuple[float, float]:
        """The window as (start, end) hours after the shift start for a shift of ``length_h`` hours."""
        a, b = self.window_h
        return (a if a >= 0 else length_h + a, b if b >= 0 else length_h + b)


BREAK_TIME = r"\d{2}:\d{2}(?:[+-]\d{2}:\d{2})?x\d+"
"""A word of shifts.csv's breaks column that is a time and its agents, not part of a break's name: 12:00x2, or with
the UTC offset 01:15-05:00x3 (``wfm simulate --plan`` reads the column with it, :mod:`wfm.simulation.rosters`)."""
_BREAK_TIME_WORD = re.compile(rf"^{BREAK_TIME}$")


def _break_name_problem(name: str) -> str | None:
    """Why a break's name could not be read back from shifts.csv's breaks column, or None."""
    if len(name) > 100:
        return "its name is longer than 100 characters"
    if not name.isprintable():
        return "its name has a character that does not print (a control character)"
    if ";" in name:
        return "its name has a ';', the separator between breaks"
    if any(_BREAK_TIME_WORD.match(word) for word in name.split()):
        return "its name has a word that reads as a time and its agents (12:00x1)"
    return None


DEFAULT_BREAKS: tuple[BreakRule, ...] = (
    # Full-time shifts (6 h and longer): a paid 15-minute break and an unpaid 30-minute lunch, and from 7.5 h a
    # second paid break. For an 8 h shift: break 1 in hours 1.5-2.5, lunch in 3.5-5, break 2 in 5.5-7. (Below
    # 7.5 h break 2's window, 2.5-1 h before the end, would overlap the lunch's: a 7 h shift was refused.)
    BreakRule("break 1", 15, True, (1.5, 2.5), min_shift_h=6.0),
    BreakRule("lunch", 30, False, (3.5, 5.0), min_shift_h=6.0),
    BreakRule("break 2", 15, True, (-2.5, -1.0), min_shift_h=7.5),
    # Part-time shifts (4 h to under 6 h): one paid 15-minute break in hours 1.5-2.5.
    BreakRule("break", 15, True, (1.5, 2.5), min_shift_h=4.0, max_shift_h=6.0),
)


def check_distinct_names(breaks: Sequence[BreakRule]) -> None:
    """Refuse two breaks of one name on the same shifts: shifts.csv tells a shift's breaks apart by name, and two
    paid breaks both named "break" were written as one ('break 09:30x2 10:00x1 13:30x1 14:00x2' for 3 agents),
    which ``wfm simulate --plan`` then refused. The same name on shifts of other lengths is fine when the breaks
    last as long and are paid alike: ``wfm simulate --plan`` reads a break's minutes by its name."""
    for i, rule in enumerate(breaks):
        for other in breaks[i + 1:]:
            if rule.name == other.name and (rule.minutes, rule.paid) != (other.minutes, other.paid):
                raise ConfigError(f"breaks: two breaks named {show_value(rule.name)} differ ({_kind(rule)} and "
                                  f"{_kind(other)}); a plan knows a break by its name (shifts.csv, summary.json), so "
                                  "breaks of one name last as long and are paid alike: name them apart")
            low, high = max(rule.min_shift_h, other.min_shift_h), min(rule.max_shift_h, other.max_shift_h)
            if rule.name == other.name and low < high:
                raise ConfigError(f"breaks: two breaks named {show_value(rule.name)} apply to the same shifts "
                                  f"({low:g} h to {'any length' if math.isinf(high) else f'under {high:g} h'}); "
                                  "give each break of a shift a name of its own, such as 'break 1' and 'break 2' "
                                  "(shifts.csv lists a shift's breaks by name)")


def _kind(rule: BreakRule) -> str:
    """'30 min, paid' of a break rule, for a message."""
    return f"{rule.minutes:g} min, {'paid' if rule.paid else 'unpaid'}"
