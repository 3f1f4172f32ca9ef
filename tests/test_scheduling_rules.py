"""wfm.scheduling.rules (and rules_parsing): shift rules, their defaults, reading them from a
table, and validation."""

from __future__ import annotations

import math
from datetime import time
from typing import Any

import numpy as np
import pytest
from conftest import NUMPY_FORMS, refused_as_plain

from wfm.errors import WfmError
from wfm.scheduling.rules import BreakRule, ShiftRules


def test_default_rules_are_the_issue_defaults() -> None:
    rules = ShiftRules()
    assert rules.full_time_hours == (8.0, 9.0)
    assert rules.part_time_hours == (4.0,)
    eight = rules.breaks_for(8.0)
    assert [(b.name, b.minutes, b.paid, b.window_in_shift_h(8.0)) for b in eight] == [
        ("break 1", 15, True, (1.5, 2.5)),
        ("lunch", 30, False, (3.5, 5.0)),
        ("break 2", 15, True, (5.5, 7.0)),
    ]
    assert [b.window_in_shift_h(9.0) for b in rules.breaks_for(9.0)] == [(1.5, 2.5), (3.5, 5.0), (6.5, 8.0)]
    four = rules.breaks_for(4.0)
    assert [(b.minutes, b.paid) for b in four] == [(15, True)]
    assert rules.paid_hours(8.0) == 7.5  # the unpaid lunch is off the clock
    assert rules.phone_hours(8.0) == 7.0
    assert rules.paid_hours(4.0) == 4.0
    assert rules.paid_break_fraction() == pytest.approx(0.5 / 7.5)
    assert rules.tours and rules.days_per_week == 5 and rules.consecutive_days_off


@pytest.mark.parametrize("length", [6.0, 6.5, 7.0, 7.25, 7.5, 7.75, 10.0, 16.0])
def test_the_default_breaks_fit_every_full_time_length(length: float) -> None:
    """Shifts of 6 h to 7.5 h were refused by every command under the default breaks ('lunch' 3.5-5 h and 'break 2'
    2.5-1 h before the end overlap): below 7.5 h a shift takes break 1 and lunch, from 7.5 h break 2 as well."""
    rules = ShiftRules.from_mapping({"full_time_hours": [length]})
    names = [b.name for b in rules.breaks_for(length)]
    assert names == (["break 1", "lunch", "break 2"] if length >= 7.5 else ["break 1", "lunch"])


def test_the_shrinkage_the_breaks_take_does_not_depend_on_the_order_of_the_lengths() -> None:
    """[9, 8] took 9 h shifts' share of paid breaks, [8, 9] 8 h's: two plans of one week and one shrinkage."""
    fractions = {ShiftRules.from_mapping({"full_time_hours": hours}).paid_break_fraction()
                 for hours in ([8, 9], [9, 8])}
    assert fractions == {0.5 / 7.5}


def test_from_mapping_reads_a_toml_style_table() -> None:
    rules = ShiftRules.from_mapping(
        {
            "full_time_hours": [8, 10],
            "part_time_hours": [],
            "start_step_minutes": 15,
            "earliest_start": "06:00",
            "latest_start": time(20, 0),
            "breaks": [
                {"name": "coffee", "minutes": 15, "paid": True, "window_h": [2, 3]},
                {"name": "lunch", "minutes": 45, "paid": False, "window_h": [4, 6], "min_shift_h": 8},
            ],
            "cost_per_paid_hour": {"8": 20.0, "10": 22},
            "tours": False,
            "time_limit_s": 5,
            "max_part_time_share": 0.2,
        },
        source="plan.toml [schedule]",
    )
    assert rules.lengths_h == (8.0, 10.0)
    assert rules.part_time_hours == ()
    assert rules.earliest_start == time(6, 0) and rules.latest_start == time(20, 0)
    assert [b.name for b in rules.breaks_for(10.0)] == ["coffee", "lunch"]
    assert rules.paid_hours(10.0) == pytest.approx(9.25)
    assert rules.cost_for(8.0) == 20.0 and rules.cost_for(10.0) == 22.0
    assert not rules.tours and rules.time_limit_s == 5.0


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"shift_lenghts": [8]}, "unknown setting 'shift_lenghts'"),
        ({"full_time_hours": "eight"}, "full_time_hours must be a number"),
        ({"start_step_minutes": 7.5}, "start_step_minutes must be a whole number"),
        ({"tours": "yes"}, "tours must be true or false"),
        ({"start_flex_minutes": -30}, "start_flex_minutes must be a whole number of minutes from 0 to 720"),
        ({"earliest_start": "6 am"}, "earliest_start must be a local time"),
        ({"breaks": [{"minutes": 15, "paid": True, "window_h": [1, 2], "colour": "red"}]},
         "breaks[0]: unknown setting 'colour'"),
        ({"breaks": [{"minutes": 15, "window_h": [1, 2]}]}, "breaks[0] is missing 'paid'"),
        ({"breaks": [{"minutes": 15, "paid": True, "window_h": [1, 2]},
                     {"minutes": 30, "paid": False, "window_h": [1.5, 3]}]}, "overlap"),
        ({"breaks": [{"minutes": 15, "paid": True, "window_h": [7.5, 9]}]}, "outside the 8 h shift"),
        ({"breaks": [{"minutes": 45, "paid": True, "window_h": [2, 2.5]}]}, "does not fit its window"),
        ({"cost_per_paid_hour": {"7": 20.0}}, "not one of"),
        ({"tours": False, "fixed_days_off": [["Sat", "Sun"]]},
         "fixed_days_off applies to weekly tours, and tours = false plans daily shifts; leave it out or set tours = true"),
        ({"tours": False, "min_agents_per_tour": 2}, "min_agents_per_tour applies to weekly tours"),
        # weekly_hours named the part-time lengths alone as every shift length, so 8 and 9 h shifts went free
        ({"weekly_hours": {"full_time": [37.5, 40], "part_time": [16, 30]}, "cost_per_paid_hour": {"4": 27.5}},
         "cost_per_paid_hour gives no cost for 8 h and 9 h shifts"),
        # a length left out cost 1 an hour, so next to 25 it took every shift (and left Sunday unstaffed)
        ({"cost_per_paid_hour": {"8": 25.0, "4": 27.5}},
         "cost_per_paid_hour gives no cost for 9 h shifts; give every shift length (8, 9, 4 h) a cost, or none"),
        ({"full_time_hours": [], "part_time_hours": []}, "no shift lengths"),
        ({"days_per_week": 8}, "days_per_week must be a whole number from 1 to 7"),
        # a bool is not a number, a string is not a number (issue 6)
        ({"full_time_hours": [True]}, "full_time_hours must be a number, got true"),
        ({"understaffing_weight": True}, "understaffing_weight must be a number, got true"),
        ({"days_per_week": True}, "days_per_week must be a whole number, got true"),
        ({"start_step_minutes": "30"}, 'start_step_minutes must be a whole number, got "30"'),
        ({"start_flex_minutes": math.inf}, "start_flex_minutes must be a whole number, got inf"),
        ({"max_part_time_share": math.nan}, "max_part_time_share must be a number, got nan"),
        ({"breaks": [{"minutes": math.nan, "paid": True, "window_h": [1, 2]}]}, "breaks[0].minutes must be a number, got nan"),
        ({"cost_per_paid_hour": {"8": "20"}}, 'cost_per_paid_hour.8 must be a number, got "20"'),
        ({"cost_per_paid_hour": {"nan": 20}}, 'cost_per_paid_hour key "nan" is not a shift length'),
        # values outside a sane range (issue 6)
        ({"understaffing_weight": 1e300}, "understaffing_weight must be paid hours more than 0 and at most 1000, got 1e+300"),
        ({"time_limit_s": math.inf}, "time_limit_s must be seconds more than 0 and at most 86,400, got inf"),
        ({"full_time_hours": [30]}, "full_time_hours must be shift lengths of more than 0 and at most 16 hours, got 30"),
        ({"part_time_hours": [-4]}, "part_time_hours must be shift lengths of more than 0 and at most 16 hours, got -4"),
        ({"start_step_minutes": 0}, "start_step_minutes must be a whole number of minutes from 1 to 1440, got 0"),
        ({"cost_per_paid_hour": {"8": 1e300}}, "cost_per_paid_hour for 8 h shifts must be more than 0 and at most"),
        ({"breaks": [{"minutes": 15, "paid": True, "window_h": [1, math.inf]}]}, "window_h must be hours from -24 to 24"),
    ],
)
def test_from_mapping_rejects_bad_tables_with_one_line_naming_the_source(table, fragment) -> None:
    with pytest.raises(WfmError) as err:
        ShiftRules.from_mapping(table, source="plan.toml [schedule]")
    message = str(err.value)
    assert message.startswith("plan.toml [schedule]: ")
    assert fragment in message
    assert "\n" not in message


def test_direct_construction_is_as_strict_as_a_table() -> None:
    with pytest.raises(WfmError, match="^tours must be true or false, got 1$"):
        ShiftRules(tours=1)
    with pytest.raises(WfmError, match="^full_time_hours must be a number, got true$"):
        ShiftRules(full_time_hours=(True,))
    with pytest.raises(WfmError, match="minutes must be a number, got true"):
        BreakRule("coffee", True, True, (1, 2))
    assert ShiftRules(days_per_week=4.0).days_per_week == 4  # a whole float is a whole number
    assert ShiftRules(breaks=(BreakRule("b", 15, True, (1, 2), max_shift_h=math.inf),)).breaks[0].max_shift_h == math.inf


# A numpy scalar or a 0-d array (np.asarray of one value) is its value in every rule (wfm.targets.one_value), and
# one value where a list may be given (full_time_hours, days_per_week). Before, a 0-d array was refused as "got
# array(30)", or crashed inside: "TypeError: len() of unsized object" (days_per_week), "iteration over a 0-d array"
# (full_time_hours); a 0-d bool array was not a flag.
RULE_VALUES = [  # (rule, how to make it and read it back, a good value, what is kept, values refused)
    ("full_time_hours", lambda v: ShiftRules(full_time_hours=v).full_time_hours, 8.0, (8.0,), (20.0, True, "8")),
    ("part_time_hours", lambda v: ShiftRules(part_time_hours=v).part_time_hours, 4.0, (4.0,), (-4.0, True, "4")),
    ("days_per_week", lambda v: ShiftRules(days_per_week=v).days_per_week, 5, 5, (8, 4.5, True, "5")),
    ("part_time_days_per_week", lambda v: ShiftRules(part_time_days_per_week=v).part_time_days_per_week, 3, 3,
     (0, True, "3")),
    ("from_mapping days_per_week", lambda v: ShiftRules.from_mapping({"days_per_week": v}).days_per_week, 4, 4,
     (9, True, "4")),
    ("start_step_minutes", lambda v: ShiftRules(start_step_minutes=v).start_step_minutes, 30, 30, (0, True, "30")),
    ("start_band_minutes", lambda v: ShiftRules(start_band_minutes=v).start_band_minutes, 60, 60, (-1, True, "60")),
    ("start_flex_minutes", lambda v: ShiftRules(start_flex_minutes=v).start_flex_minutes, 30, 30, (721, True, "30")),
    ("min_agents_per_tour", lambda v: ShiftRules(min_agents_per_tour=v).min_agents_per_tour, 2, 2, (0, True, "2")),
    ("understaffing_weight", lambda v: ShiftRules(understaffing_weight=v).understaffing_weight, 8.0, 8.0,
     (0.0, math.inf, True, "8")),
    ("max_part_time_share", lambda v: ShiftRules(max_part_time_share=v).max_part_time_share, 0.5, 0.5,
     (1.5, math.nan, True, "0.5")),
    ("time_limit_s", lambda v: ShiftRules(time_limit_s=v).time_limit_s, 100.0, 100.0, (math.inf, True, "100")),
    ("mip_gap", lambda v: ShiftRules(mip_gap=v).mip_gap, 0.02, 0.02, (1.0, True, "0.02")),
    ("cost_per_paid_hour", lambda v: ShiftRules(part_time_hours=(), cost_per_paid_hour={8.0: v, 9.0: 25.0})
     .cost_per_paid_hour[0][1], 24.0, 24.0, (0.0, True, "24")),
    ("weekly_hours", lambda v: ShiftRules(weekly_hours={"full_time": [v, 45]}).weekly_hours[0][1][0], 30.0, 30.0,
     (math.nan, True, "30")),
    ("tours", lambda v: ShiftRules(tours=v).tours, False, False, (0, "false")),
    ("break minutes", lambda v: BreakRule("b", v, True, (1, 2)).minutes, 15.0, 15.0, (0.0, True, "15")),
    ("break window_h", lambda v: BreakRule("b", 15, True, (v, 2)).window_h[0], 1.0, 1.0, (-25.0, True, "1")),
    ("break min_shift_h", lambda v: BreakRule("b", 15, True, (1, 2), min_shift_h=v).min_shift_h, 4.0, 4.0,
     (math.inf, True, "4")),
    ("break paid", lambda v: BreakRule("b", 15, v, (1, 2)).paid, True, True, (1, "true")),
]


@pytest.mark.parametrize("numpy", NUMPY_FORMS.values(), ids=NUMPY_FORMS.keys())
@pytest.mark.parametrize(("rule", "read", "good", "kept", "bad"), RULE_VALUES, ids=[c[0] for c in RULE_VALUES])
def test_a_numpy_value_is_its_value_in_every_rule(rule: str, read: Any, good: Any, kept: Any, bad: tuple[Any, ...],
                                                  numpy: Any) -> None:
    value = read(numpy(good))
    assert repr(value) == repr(kept)  # kept as plain Python values: np.float64(8.0) would show as such
    for wrong in bad:  # a wrong one is refused as its plain value is: the same one line, naming the rule
        assert "\n" not in refused_as_plain(read, wrong, WfmError)


def test_a_0d_array_where_two_numbers_are_needed_is_one_line_naming_the_rule() -> None:
    with pytest.raises(WfmError, match=r"^weekly_hours.full_time must be two numbers \[least, most\], got 30$"):
        ShiftRules(weekly_hours={"full_time": np.array(30.0)})
    with pytest.raises(WfmError, match=r"^break 'b': window_h must be two numbers \[start, end\] in hours, got 1$"):
        BreakRule("b", 15, True, np.array(1.0))


def test_two_numbers_may_be_a_numpy_array_of_two() -> None:
    """window_h and weekly_hours bounds took a list or a tuple only: np.array([9.0, 12.0]) was refused as 'must be
    two numbers ..., got [9 12]' though it is two numbers; one of another length is still one line naming the rule."""
    rules = ShiftRules(weekly_hours={"full_time": np.array([37.5, 40])}, breaks=(BreakRule("b", 15, True,
                                                                                              np.array([1.0, 3.0])),))
    assert dict(rules.weekly_hours)["full_time"] == (37.5, 40.0) and rules.breaks[0].window_h == (1.0, 3.0)
    assert all(type(x) is float for x in (*dict(rules.weekly_hours)["full_time"], *rules.breaks[0].window_h))
    with pytest.raises(WfmError, match=r"^weekly_hours.full_time must be two numbers \[least, most\], got "):
        ShiftRules(weekly_hours={"full_time": np.array([30.0, 35.0, 40.0])})
    with pytest.raises(WfmError, match=r"^break 'b': window_h must be two numbers \[start, end\] in hours, got "):
        BreakRule("b", 15, True, np.array([[1.0, 2.0], [3.0, 4.0]]))


def test_default_start_step_follows_the_interval() -> None:
    """Issue 6: an hourly forecast could not be planned with default settings."""
    rules = ShiftRules()
    assert rules.start_step_minutes is None
    assert [rules.start_step_s(m * 60) for m in (5, 15, 30, 45, 60, 120)] == [1800, 1800, 1800, 2700, 3600, 7200]
    assert ShiftRules(start_step_minutes=15).start_step_s(900) == 900
    assert ShiftRules(start_step_minutes=120).start_step_s(3600) == 7200
    with pytest.raises(WfmError) as err:
        ShiftRules.from_mapping({"start_step_minutes": 30}, "wfm.toml [schedule]").start_step_s(3600)
    assert str(err.value).startswith(
        "wfm.toml [schedule]: start_step_minutes must be a multiple of the 60-minute interval of the forecast, got 30")


def test_break_windows_counted_back_from_the_end() -> None:
    rule = BreakRule("late", 15, True, (-2.0, -1.0))
    assert rule.window_in_shift_h(8.0) == (6.0, 7.0)
    assert rule.window_in_shift_h(10.0) == (8.0, 9.0)


def test_rules_that_go_together_are_taken() -> None:
    # the README's weekly hours with a cost for every length; daily shifts with the tours' defaults written out,
    # or with days per week (which turns daily shifts into a headcount)
    rules = ShiftRules.from_mapping({"weekly_hours": {"full_time": [37.5, 40], "part_time": [16, 30]},
                                     "cost_per_paid_hour": {"8": 25, "9": 25, "4": 27.5}})
    assert rules.cost_for(9.0) == 25.0 and rules.cost_for(4.0) == 27.5
    daily = ShiftRules.from_mapping({"tours": False, "consecutive_days_off": True, "min_agents_per_tour": 1,
                                     "start_flex_minutes": 60, "days_per_week": 6})
    assert not daily.tours and daily.most_days_per_week == 6 and daily.tour_rules_set() == ()
