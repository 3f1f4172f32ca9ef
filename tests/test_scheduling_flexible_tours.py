"""Flexible tours (issue 10): start-time bands, weekly patterns of several lengths and day counts
within weekly hours, fixed days off, and the one-line errors for rules no tour can meet."""

from __future__ import annotations

import collections

import numpy as np
import pytest

from wfm.errors import ConfigError
from wfm.scheduling.candidates import MAX_DAYS_IN_A_ROW, _tour_patterns, generate_candidates, tour_weeks
from wfm.scheduling.rules import ShiftRules
from wfm.scheduling.solve import schedule
from wfm.scheduling.timeline import build_timeline

NO_BREAKS = dict(breaks=(), part_time_hours=(), start_step_minutes=30)


def _week(open_h: tuple[int, int] = (8, 20), days: int = 7, minutes: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """``days`` days from Monday 2026-11-30, open ``open_h`` local (UTC), ``minutes`` intervals."""
    per_day = (open_h[1] - open_h[0]) * 60 // minutes
    day = np.datetime64("2026-11-30T00:00", "s") + open_h[0] * 3600 + np.arange(per_day) * np.timedelta64(60 * minutes, "s")
    starts = (day[None, :] + np.arange(days)[:, None] * np.timedelta64(86400, "s")).ravel()
    return starts, np.zeros(starts.size, dtype=np.int64)


def _hours(starts: np.ndarray) -> np.ndarray:
    return (starts.astype(np.int64) % 86400) / 3600


# --- rules -------------------------------------------------------------------------------------


def test_weekly_hours_choose_the_day_counts_of_each_shift_length() -> None:
    rules = ShiftRules(full_time_hours=(8, 10), part_time_hours=(4, 5), days_per_week=[4, 5],
                       part_time_days_per_week=[2, 3, 4, 5], weekly_hours={"full_time": [37.5, 40], "part_time": [16, 30]})
    # default breaks: 30 min of unpaid lunch on the full-time lengths
    assert rules.day_options(8) == (5,)  # 5 x 7.5 = 37.5; 4 x 7.5 = 30 is too few
    assert rules.day_options(10) == (4,)  # 4 x 9.5 = 38; 5 x 9.5 = 47.5 is too many
    assert rules.day_options(4) == (4, 5)  # 16 and 20 h; 2 and 3 days are under 16 h
    assert rules.day_options(5) == (4, 5)  # 20 and 25 h; 3 x 5 = 15 h is under 16 h
    assert rules.most_days_per_week == 5


@pytest.mark.parametrize(("rules", "message"), [
    ({"weekly_hours": {"full_time": [50, 60]}}, "weekly_hours.full_time = [50, 60]: no full-time week reaches it"),
    ({"weekly_hours": {"full_time": [40, 30]}}, "weekly_hours.full_time must be [least, most] paid hours"),
    ({"weekly_hours": {"overtime": [1, 2]}}, "weekly_hours: unknown setting 'overtime'"),
    ({"weekly_hours": {"part_time": [16]}}, "weekly_hours.part_time must be two numbers"),
    ({"weekly_hours": [[["x"], [1, 2]]]}, "weekly_hours: unknown setting ['x']"),  # a TOML array as a key
    ({"weekly_hours": [[1, [1, 2]], ["overtime", [1, 2]]]}, "weekly_hours: unknown setting 'overtime'"),
    ({"weekly_hours": [1, 2]}, "weekly_hours must be a table such as {full_time = [37.5, 40]}, got [1, 2]"),
    ({"days_per_week": []}, "days_per_week must be a whole number from 1 to 7 or a list of them, got []"),
    ({"days_per_week": [4, 8]}, "days_per_week must be a whole number from 1 to 7 (or a list of them), got 8"),
    ({"fixed_days_off": [["Sat", "Funday"]]}, 'fixed_days_off: "Funday" is not a day of the week'),
    ({"fixed_days_off": [["Mon", "Tue", "Wed"]]}, "leaves 4 working days, fewer than days_per_week = 5"),
    ({"fixed_days_off": "Sat"}, "fixed_days_off must be a list of lists of days"),
    ({"start_band_minutes": 1500}, "start_band_minutes must be a whole number of minutes from 0 to 1440 (a day), got 1500"),
    ({"start_band_minutes": -60}, "start_band_minutes must be a whole number of minutes from 0 to 1440"),
    ({"max_part_time_share": 1.5}, "max_part_time_share must be a fraction from 0 to 1, got 1.5"),
])
def test_rules_no_tour_can_meet_are_one_line_errors(rules, message) -> None:
    with pytest.raises(ConfigError) as err:
        ShiftRules.from_mapping(rules, "wfm.toml [schedule]")
    assert str(err.value).startswith("wfm.toml [schedule]: ") and message in str(err.value)
    assert "\n" not in str(err.value)


def test_the_toml_forms_of_the_new_rules() -> None:
    rules = ShiftRules.from_mapping({"days_per_week": [5, 4, 4], "weekly_hours": {"part_time": [16, 30]},
                                     "fixed_days_off": [["saturday", "Sun"], ["SUN", "Mon"]], "start_band_minutes": 60})
    assert rules.days_per_week == (4, 5) and rules.weekly_hours == (("part_time", (16.0, 30.0)),)
    assert rules.fixed_days_off == (("Sat", "Sun"), ("Mon", "Sun")) and rules.start_band_minutes == 60
    assert ShiftRules.from_mapping({"fixed_days_off": ["Sat", "Sun"]}).fixed_days_off == (("Sat", "Sun"),)


def test_a_band_narrower_than_two_start_steps_is_an_error_naming_the_setting() -> None:
    starts, offsets = _week()
    with pytest.raises(ConfigError, match="start_band_minutes = 30 lets no start move: .* at least 60 minutes"):
        schedule(starts, offsets, 1800, np.ones(starts.size), ShiftRules(start_band_minutes=30, **NO_BREAKS))


# --- candidates --------------------------------------------------------------------------------


def test_tours_take_every_allowed_day_count_and_fixed_days_off() -> None:
    starts, offsets = _week()
    tl = build_timeline(starts, offsets, 1800)
    rules = ShiftRules(full_time_hours=(8, 10), days_per_week=[4, 5], weekly_hours={"full_time": [37.5, 40]},
                       **{k: v for k, v in NO_BREAKS.items() if k != "breaks"})
    cand = generate_candidates(tl, rules, True)
    lengths = np.array([t.length_h for t in cand.types])[cand.tour_type]
    days = cand.tour_days.sum(axis=1)
    assert set(days[lengths == 8]) == {5} and set(days[lengths == 10]) == {4}
    weekend = ShiftRules(fixed_days_off=[["Sat", "Sun"]], **NO_BREAKS)
    cand = generate_candidates(tl, weekend, True)
    assert cand.tour_days.shape[0] > 0 and not cand.tour_days[:, 5:].any()  # 2026-11-30 is a Monday
    assert cand.tour_days[:, :5].all()


def test_a_band_lets_a_tour_work_any_start_within_it() -> None:
    starts, offsets = _week()
    tl = build_timeline(starts, offsets, 1800)
    cand = generate_candidates(tl, ShiftRules(start_band_minutes=60, **NO_BREAKS), True)
    assert cand.band_steps == 1 and cand.member is None
    fixed = generate_candidates(tl, ShiftRules(**NO_BREAKS), True)
    assert cand.tour_type.size == fixed.tour_type.size  # the same tours, each with a band


# --- solving -----------------------------------------------------------------------------------


def _shifted_peak() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Open 08:00-20:00 every day, 10 agents all day and 10 more for 4 hours from 09:00 on Monday
    and Tuesday, from 10:00 on Wednesday to Sunday: a tour at one start covers one of the two
    peaks well and the other an hour off."""
    starts, offsets = _week()
    hour = _hours(starts)
    day = (starts.astype(np.int64) // 86400) - (starts[0].astype(np.int64) // 86400)
    peak_at = np.where(day < 2, 9, 10)
    need = 10.0 + np.where((hour >= peak_at) & (hour < peak_at + 4), 10.0, 0.0)
    return starts, offsets, need


@pytest.mark.slow
def test_a_band_covers_a_peak_that_moves_by_an_hour_with_fewer_paid_hours() -> None:
    starts, offsets, need = _shifted_peak()
    base = dict(full_time_hours=(8,), part_time_hours=(4,), breaks=(), start_step_minutes=30, max_part_time_share=1.0)
    fixed = schedule(starts, offsets, 1800, need, ShiftRules(**base))
    banded = schedule(starts, offsets, 1800, need, ShiftRules(start_band_minutes=120, **base))
    assert banded.short.sum() <= fixed.short.sum() + 1e-9
    assert banded.paid_hours < fixed.paid_hours - 10  # at least a few shifts cheaper
    assert banded.gap < 0.02
    # every agent group's start on each day lies in its band, and the groups add up to the shifts
    per_shift: collections.Counter = collections.Counter()
    for tour in banded.tours:
        for day, start in tour.day_starts:
            assert abs((start.hour * 60 + start.minute) - (tour.start.hour * 60 + tour.start.minute)) <= 60
            per_shift[(day, start.hour * 60 + start.minute, tour.length_h)] += tour.count
    shifts = collections.Counter()
    for sh in banded.shifts:
        shifts[(sh.day, sh.start_local.hour * 60 + sh.start_local.minute, sh.length_h)] += sh.count
    assert per_shift == shifts
    assert banded.headcount == sum(t.count for t in banded.tours)
    assert any(len({s for _, s in t.day_starts}) > 1 for t in banded.tours)  # some start does move


@pytest.mark.slow
def test_four_by_ten_weeks_and_part_time_weeks_of_two_to_five_days() -> None:
    starts, offsets, need = _shifted_peak()
    rules = ShiftRules(full_time_hours=(8, 10), part_time_hours=(4, 5), days_per_week=[4, 5],
                       part_time_days_per_week=[2, 3, 4, 5], breaks=(), start_step_minutes=30,
                       weekly_hours={"full_time": [38, 40], "part_time": [8, 30]})
    plan = schedule(starts, offsets, 1800, need, rules)
    for tour in plan.tours:
        assert rules.meets_weekly_hours(tour.length_h, len(tour.days))
        assert len(tour.days) == {8: 5, 10: 4}.get(tour.length_h, len(tour.days))
        assert 38 <= tour.paid_h_per_week <= 40 or tour.part_time
    assert plan.short.sum() == pytest.approx(0.0, abs=1e-9) or plan.gap < 0.02


@pytest.mark.slow
def test_fixed_days_off_give_every_tour_the_weekend_off() -> None:
    starts, offsets = _week(days=7)
    need = np.where(starts.astype(np.int64) // 86400 - starts[0].astype(np.int64) // 86400 < 5, 6.0, 0.0)
    rules = ShiftRules(fixed_days_off=[["Sat", "Sun"]], **NO_BREAKS)
    plan = schedule(starts, offsets, 1800, need, rules)
    assert plan.tours and all({d.weekday() for d in t.days_off} >= {5, 6} for t in plan.tours)


@pytest.mark.parametrize(("toml", "message"), [
    ("start_band_minutes = 2000", "start_band_minutes must be a whole number of minutes from 0 to 1440 (a day)"),
    ("weekly_hours = {full_time = [50, 60]}", "weekly_hours.full_time = [50, 60]: no full-time week reaches it"),
    ("max_part_time_share = -0.1", "max_part_time_share must be a fraction from 0 to 1"),
    ("min_agents_per_tour = 0", "min_agents_per_tour must be a whole number from 1 to 1000"),
    ('fixed_days_off = [["Sat", "Sun", "Mon"]]', "leaves 4 working days, fewer than days_per_week = 5"),
])
def test_bad_rules_stop_every_command_with_one_line_and_exit_2(write_csv, tmp_path, toml, message) -> None:
    from conftest import SAMPLES
    from typer.testing import CliRunner

    from wfm.cli import app

    config = write_csv(f"[schedule]\n{toml}\n", "wfm.toml")
    out = tmp_path / "plan"
    for command in (["size"], ["plan", "--out", str(out)]):
        result = CliRunner().invoke(app, [*command, str(SAMPLES / "retail_voice_week_15min.csv"), "--config", str(config)])
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and message in lines[0] and "[schedule]" in lines[0]
    assert not out.exists()  # nothing half-written


def test_a_band_must_fit_the_start_step_of_the_forecast(write_csv) -> None:
    from conftest import SAMPLES
    from typer.testing import CliRunner

    from wfm.cli import app

    config = write_csv("[schedule]\nstart_band_minutes = 30\n", "wfm.toml")
    result = CliRunner().invoke(app, ["schedule", str(SAMPLES / "retail_voice_week_15min.csv"), "--config", str(config)])
    assert result.exit_code == 2, result.output
    assert "start_band_minutes = 30 lets no start move" in result.output


@pytest.mark.slow
def test_a_minimum_group_size_takes_out_tours_of_one_agent() -> None:
    starts, offsets, need = _shifted_peak()
    base = dict(full_time_hours=(8, 9), part_time_hours=(4,), breaks=(), start_step_minutes=30)
    free = schedule(starts, offsets, 1800, need, ShiftRules(**base))
    assert any(t.count == 1 for t in free.tours)  # the case is only a test if it has single-agent tours
    simple = schedule(starts, offsets, 1800, need, ShiftRules(min_agents_per_tour=2, **base))
    assert all(t.count >= 2 for t in simple.tours)
    assert simple.paid_hours >= free.paid_hours - 1e-6 or simple.short.sum() > free.short.sum()
    assert simple.lower_bound <= free.objective + 1e-6  # the bound is the model without the rule
    again = schedule(starts, offsets, 1800, need, ShiftRules(min_agents_per_tour=2, **base))
    assert again.tours == simple.tours  # deterministic


def _tour_shift_counts(plan) -> tuple[collections.Counter, collections.Counter]:
    """Agents per (day, start minute, length) from the tours and from the daily shifts."""
    from_tours: collections.Counter = collections.Counter()
    for tour in plan.tours:
        for day, start in tour.day_starts:
            from_tours[(day, start.hour * 60 + start.minute, tour.length_h)] += tour.count
    from_shifts: collections.Counter = collections.Counter()
    for sh in plan.shifts:
        from_shifts[(sh.day, sh.start_local.hour * 60 + sh.start_local.minute, sh.length_h)] += sh.count
    return from_tours, from_shifts


@pytest.mark.slow
@pytest.mark.parametrize("band", [0, 60])
def test_every_other_weekend_off_pairs_a_weekend_off_week_with_a_weekend_worked(band) -> None:
    starts, offsets = _week()
    day = (starts.astype(np.int64) // 86400) - (starts[0].astype(np.int64) // 86400)
    need = np.where(day < 5, 8.0, 5.0)  # the weekend needs people too
    rules = ShiftRules(every_other_weekend_off=True, start_band_minutes=band, **NO_BREAKS)
    plan = schedule(starts, offsets, 1800, need, rules)
    weekend = {5, 6}  # 2026-11-30 is a Monday
    alternating = [t for t in plan.tours if t.alternate_weeks]
    assert alternating, "the weekend is covered by pairs of weeks"
    for tour in plan.tours:
        works_weekend = bool({d.weekday() for d in tour.days} & weekend)
        assert tour.alternate_weeks or not works_weekend
    # each pair is two groups of equal size at one start and length: one works the weekend, one has it off
    sides: collections.Counter = collections.Counter()
    for tour in alternating:
        works_weekend = bool({d.weekday() for d in tour.days} & weekend)
        sides[(tour.start, tour.length_h, works_weekend)] += tour.count
    for (start, length, works_weekend), count in sides.items():
        assert sides[(start, length, not works_weekend)] == count
    # each group names the groups of the other week it swaps with (nothing linked them: the pairs could not be
    # rostered): at its start and length, the weekend the other way round, as many agents in all
    by_label = {t.label: t for t in plan.tours}
    for tour in plan.tours:
        assert bool(tour.swaps_with) == tour.alternate_weeks
        others = [by_label[label] for label in tour.swaps_with]
        works_weekend = bool({d.weekday() for d in tour.days} & weekend)
        assert all((o.start, o.length_h) == (tour.start, tour.length_h) and tour.label in o.swaps_with
                   and bool({d.weekday() for d in o.days} & weekend) != works_weekend for o in others)
        if others and not band:
            assert sum(o.count for o in others) == tour.count
    assert plan.headcount == sum(t.count for t in plan.tours)
    from_tours, from_shifts = _tour_shift_counts(plan)
    assert from_tours == from_shifts
    assert plan.gap < 0.02
    free = schedule(starts, offsets, 1800, need, ShiftRules(start_band_minutes=band, **NO_BREAKS))
    assert free.objective <= plan.objective * 1.01  # the rule only takes choices away


def _fair(first: np.ndarray, second: np.ndarray, available: np.ndarray, consecutive: bool) -> bool:
    """Plain loops: at most six working days in a row over the fortnight worked in turn, and with consecutive
    days off, no lone day off among the days that can be worked when each week has two or more off."""
    cycle = [bool(x) for x in np.concatenate([first, second])]
    run = longest = 0
    for worked in cycle + cycle:
        run = run + 1 if worked else 0
        longest = max(longest, run)
    if longest > MAX_DAYS_IN_A_ROW:
        return False
    days = [d for d in range(14) if available[d % 7]]
    two_off = sum(not first[d] for d in range(7) if available[d]) >= 2 and \
        sum(not second[d] for d in range(7) if available[d]) >= 2
    if consecutive and two_off:
        for i, d in enumerate(days):
            before, after = days[i - 1], days[(i + 1) % len(days)]
            if not cycle[d] and cycle[before] and cycle[after]:
                return False
    return True


@pytest.mark.parametrize("consecutive", [True, False])
@pytest.mark.parametrize("days_on", [(4,), (5,), (4, 5), (6,)])
@pytest.mark.parametrize("open_days", [7, 6])
def test_weeks_worked_in_turn_never_run_past_six_days_nor_leave_a_lone_day_off(consecutive, days_on,
                                                                              open_days) -> None:
    # Mon-Fri then Wed-Sun, worked in turn, would be ten days in a row (Wed .. next Fri); Mon-Fri then Tue-Sat
    # leaves Sunday a lone day off (its Monday joins the weekend before)
    available = np.arange(7) < open_days
    patterns = _tour_patterns(days_on, consecutive, available)
    rules = ShiftRules(every_other_weekend_off=True, consecutive_days_off=consecutive)
    monday = int(np.datetime64("2026-11-30", "D").astype(np.int64))
    weeks, alternates = tour_weeks(patterns, rules, monday)
    weekend = np.arange(7) >= 5
    free = patterns[~(patterns & weekend).any(axis=1)]
    worked = patterns[(patterns & weekend).any(axis=1)]
    fair = {(tuple(f), tuple(w)) for f in free for w in worked if _fair(f, w, available, consecutive)}
    paired = alternates.any(axis=1)
    assert {(tuple(f), tuple(w)) for f, w in zip(weeks[paired], alternates[paired])} == fair
    assert {tuple(f) for f in weeks[~paired]} == {tuple(f) for f in free}  # a weekend-off week alone, always
    if free.size and days_on == (5,) and open_days == 7 and consecutive:
        assert len(fair) == 1  # Mon-Fri with Mon-Thu + Sun: the one humane pair of five-day weeks, 24/7


@pytest.mark.slow
def test_a_band_moves_starts_in_time_also_when_the_start_window_wraps_midnight() -> None:
    # Allowed starts 20:00-04:00: 04:00 and 20:00 are neighbours in the list of starts, 16 hours
    # apart in time; a 60-minute band must never move a tour from one to the other.
    per_day = 48
    starts = np.datetime64("2026-11-30T00:00", "s") + np.arange(7 * per_day) * np.timedelta64(1800, "s")
    offsets = np.zeros(starts.size, dtype=np.int64)
    hour = _hours(starts)
    day = np.arange(starts.size) // per_day
    need = (np.where((day <= 3) & (hour >= 4) & (hour < 12), 4.0, 0.0)
            + np.where((day == 4) & (hour >= 20), 4.0, 0.0) + np.where((day == 5) & (hour < 4), 4.0, 0.0))
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), start_step_minutes=30,
                       earliest_start="20:00", latest_start="04:00", start_band_minutes=60)
    plan = schedule(starts, offsets, 1800, need, rules)
    for tour in plan.tours:
        own = tour.start.hour * 60 + tour.start.minute
        for _, start in tour.day_starts:
            moved = abs(start.hour * 60 + start.minute - own)
            assert min(moved, 1440 - moved) <= 30, (tour.start, tour.pattern)
    from_tours, from_shifts = _tour_shift_counts(plan)
    assert from_tours == from_shifts


@pytest.mark.slow
@pytest.mark.parametrize("rules", [
    dict(start_band_minutes=60),
    dict(every_other_weekend_off=True),
    dict(),
])
def test_every_shift_row_names_the_tour_working_it_and_carries_its_breaks(rules) -> None:
    starts, offsets, need = _shifted_peak()
    plan = schedule(starts, offsets, 1800, need, ShiftRules(start_step_minutes=30, **rules))
    labels = [t.label for t in plan.tours]
    assert labels == [f"T{i}" for i in range(1, len(labels) + 1)]
    rows: dict[str, list] = collections.defaultdict(list)
    for sh in plan.shifts:
        assert sh.tour in labels
        rows[sh.tour].append(sh)
        per_break = collections.Counter()
        for b in sh.breaks:
            per_break[b.name] += b.count
        assert set(per_break.values()) <= {sh.count}  # every agent of the row takes each break once
        assert len(per_break) == len(ShiftRules().breaks_for(sh.length_h))
    for tour in plan.tours:
        worked = sorted((sh.day, sh.start_local.time().replace(second=0)) for sh in rows[tour.label])
        assert worked == sorted(tour.day_starts)
        assert all(sh.count == tour.count and sh.length_h == tour.length_h for sh in rows[tour.label])
