"""wfm.scheduling.breaks: break rules, and names that shifts.csv's breaks column gives back."""

from __future__ import annotations

import re

import pytest

from wfm.errors import WfmError
from wfm.scheduling.breaks import BreakRule
from wfm.scheduling.rules import ShiftRules


def test_break_names_read_back_from_shifts_csv() -> None:
    """shifts.csv lists a shift's breaks as 'break 1 09:45x2; lunch 12:00x2'. Two breaks named "break" on the same
    shifts were written as one ('break 09:30x2 10:00x1 13:30x1 14:00x2' for 3 agents), and `wfm simulate --plan`
    refused the plan it had written; so did a name with a ';' or a word like 12:00x1 in it."""
    three = (BreakRule("break", 15, True, (1.5, 2.5), min_shift_h=6), BreakRule("lunch", 30, False, (3.5, 5), min_shift_h=6),
             BreakRule("break", 15, True, (-2.5, -1.0), min_shift_h=6))
    with pytest.raises(WfmError, match=r'^breaks: two breaks named "break" apply to the same shifts \(6 h to any '
                                       r"length\); give each break of a shift a name of its own"):
        ShiftRules(breaks=three)
    with pytest.raises(WfmError, match=r'\(6 h to under 8 h\)'):
        ShiftRules(breaks=(three[0], BreakRule("break", 15, True, (1, 2), min_shift_h=4, max_shift_h=8)))
    # the same name on shifts of other lengths is no clash (the defaults' part-time "break")
    part_time = BreakRule("break", 15, True, (1.5, 2.5), min_shift_h=4, max_shift_h=6)
    assert [b.name for b in ShiftRules(breaks=(three[0], part_time)).breaks] == ["break", "break"]
    # unless they differ: wfm simulate --plan reads a break's minutes by its name (found by review: full-time
    # 30-minute breaks were simulated as the part-time ones' 15 minutes)
    longer = BreakRule("break", 30, True, (1.5, 3.0), min_shift_h=6)
    with pytest.raises(WfmError, match=r'^breaks: two breaks named "break" differ \(30 min, paid and 15 min, paid\)'):
        ShiftRules(breaks=(longer, part_time))
    with pytest.raises(WfmError, match=r"\(15 min, paid and 15 min, unpaid\)"):
        ShiftRules(breaks=(three[0], BreakRule("break", 15, False, (1.5, 2.5), min_shift_h=4, max_shift_h=6)))
    for name, problem in [("tea; coffee", "its name has a ';', the separator between breaks"),
                          ("lunch 12:00x1", "its name has a word that reads as a time and its agents (12:00x1)"),
                          ("late 01:15-05:00x3", "reads as a time"), ("a\x1bb", "a character that does not print"),
                          ("x" * 101, "longer than 100 characters")]:
        with pytest.raises(WfmError, match=re.escape(problem)):
            BreakRule(name, 15, True, (1, 2))
    with pytest.raises(WfmError, match="^a break needs a non-empty name"):
        BreakRule("   ", 15, True, (1, 2))
    assert BreakRule(" lunch ", 30, False, (3, 5)).name == "lunch"  # as the file gives it back
    assert BreakRule("café 1 (12:00)", 15, True, (1, 2)).name == "café 1 (12:00)"
