"""wfm.simulation.rosters: the agents on duty in a simulation of a plan agree with the plan's own coverage: a
cyclic week's Sunday-night shifts on duty on Monday morning, and shifts and breaks in the repeated hour of a
fall-back night at the instants the plan meant (from shifts.csv's lengths, the break rules' windows and, where
those cannot tell, coverage.csv)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from wfm.config import Settings
from wfm.forecast import format_local, load_forecast
from wfm.simulation.compare import on_duty_per_interval
from wfm.simulation.rosters import plan_rosters, read_plan_folder, schedule_roster
from wfm.simulation.run import simulate_forecast

HOUR = 3600
_BREAKS = [{"name": "break 1", "minutes": 15.0, "paid": True, "window_h": [1.5, 5.0], "min_shift_h": 6.0,
            "max_shift_h": None},
           {"name": "lunch", "minutes": 30.0, "paid": False, "window_h": [3.5, 5.0], "min_shift_h": 6.0,
            "max_shift_h": None},
           {"name": "break 2", "minutes": 15.0, "paid": True, "window_h": [-2.5, -1.0], "min_shift_h": 6.0,
            "max_shift_h": None}]


def _plan_folder(folder: Path, shifts: Sequence[tuple[str, str, float, int, str]], *, cyclic: bool = True,
                 week: str = "2026-W49", coverage: dict[str, float] | None = None) -> Path:
    """A plan folder of queue 'default' by hand: shifts (start, end, length_h, count, breaks), no shrinkage
    left, the rules' breaks ``_BREAKS``; coverage.csv from ``coverage`` (local interval start -> available)."""
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps({
        "week": week, "queues": [{"queue": "default", "shrinkage": {"remaining": 0.0}}],
        "rules": {"schedule": {"breaks": _BREAKS, "cyclic": cyclic}}, "inputs": {}}))
    rows = "".join(f"default,{s[:10]},{s},{e},{h:g},{h:g},false,{n},{b},\n" for s, e, h, n, b in shifts)
    (folder / "shifts.csv").write_text("queue,day,start,end,length_h,paid_h,part_time,count,breaks,tour\n" + rows)
    if coverage is not None:
        (folder / "coverage.csv").write_text("queue,interval_start,required,scheduled,available,service_level\n" + "".join(
            f"default,{t},0,0,{a:g},1\n" for t, a in coverage.items()))
    return folder


def _week_247(write_csv) -> Path:
    """Week 49 of 2026 around the clock in hours, UTC: 168 intervals of 12 calls x 300 s."""
    t0 = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    return write_csv("interval_start,volume,aht\n" + "".join(
        f"{(t0 + dt.timedelta(hours=i)).isoformat()},12,300\n" for i in range(168)))


@pytest.mark.parametrize("cyclic", [True, False])
def test_a_cyclic_week_has_sunday_nights_agents_on_monday_morning(write_csv, tmp_path: Path, cyclic: bool) -> None:
    # Sunday 22:00 to Monday 06:00: in a plan that repeats week after week, the same agents work this week's
    # Monday 00:00-06:00 (the plan's coverage wraps the week), with their 15-minute break at 02:00
    path = _week_247(write_csv)
    folder = _plan_folder(tmp_path / "plan", [("2026-12-06T22:00", "2026-12-07T06:00", 8, 3, "break 1 02:00x3"),
                                              ("2026-11-30T08:00", "2026-11-30T16:00", 8, 2, "")], cyclic=cyclic)
    report = simulate_forecast(load_forecast(path), Settings(), plan=folder, replications=2)
    check = report.checks[0]
    at = check.available  # hour h of the week from Monday 00:00 UTC
    assert at[6 * 24 + 22] == at[6 * 24 + 23] == 3.0  # Sunday night, as before
    assert at[8] == 2.0 and at[6] == 0.0
    if cyclic:
        assert (at[0], at[1], at[5]) == (3.0, 3.0, 3.0)
        assert at[2] == pytest.approx(3 * 0.75)  # the break, wrapped with the shift
        # they answer Monday's first calls, after the callers Sunday left waiting (nobody on duty for 22 hours):
        # the week wraps round, so Monday 00:00 does not start with an empty queue
        assert check.intervals["service_level"].mean[0] < 0.1
    else:  # a plan that does not repeat: the shift ends at the week's end
        assert at[0] == 0.0 and check.intervals["service_level"].mean[0] == 0.0


def test_a_solved_cyclic_schedule_wraps_as_its_coverage_does(write_csv) -> None:
    # wfm plan --simulate: a Schedule's shifts (UTC) give the agents its own coverage counts, Monday morning too
    from wfm.scheduling.rules import BreakRule, ShiftRules
    from wfm.scheduling.solution import BreakPlacement, Shift
    from wfm.scheduling.solve import roster

    forecast = load_forecast(_week_247(write_csv))
    starts = forecast.interval_start.astype("datetime64[s]")
    t0 = starts[0]

    def shift(start_h: float, hours: float, count: int, break_h: float) -> Shift:
        s, e = t0 + np.timedelta64(int(start_h * HOUR), "s"), t0 + np.timedelta64(int((start_h + hours) * HOUR), "s")
        b = t0 + np.timedelta64(int(break_h * HOUR), "s")
        return Shift(day=s.astype(dt.datetime).date(), start_local=s.astype(dt.datetime),
                     end_local=e.astype(dt.datetime), start_utc=s, end_utc=e, length_h=hours, paid_h=hours,
                     part_time=False, count=count,
                     breaks=(BreakPlacement("break 1", b.astype(dt.datetime), b, 15.0, True, count),))

    rules = ShiftRules(full_time_hours=(8.0,), part_time_hours=(), breaks=(BreakRule("break 1", 15.0, True, (1.0, 5.0)),))
    shifts = [shift(6 * 24 + 21, 8, 4, 6 * 24 + 25.5), shift(7, 8, 2, 10.0)]  # Sunday 21:00 -> Monday 05:00
    schedule = roster(starts, np.zeros(starts.size), HOUR, np.zeros(starts.size), shifts, rules)
    assert schedule.rules.cyclic
    rows = np.arange(starts.size)
    r = schedule_roster(forecast, 0, rows, schedule, 0.0)
    on_duty = on_duty_per_interval(r.agents.start_s, r.agents.end_s, rows * float(HOUR), float(HOUR)) / HOUR
    np.testing.assert_allclose(on_duty, schedule.on_phones, atol=1e-9)
    assert on_duty[0] == 4.0 and on_duty[1] == 3.0  # Monday 00:00, and 01:00 with the 01:30 break


# --- The repeated hour of a fall-back night (America/New_York, 2026-11-01 02:00 EDT -> 01:00 EST) ------------------

def _fall_back(write_csv) -> Path:
    """Quarter hours from Saturday 18:00 EDT to Sunday 12:00 EST, through the repeated hour, 4 calls each."""
    t0 = dt.datetime(2026, 10, 31, 22, 0, tzinfo=dt.UTC)  # 18:00 EDT
    rows = []
    for i in range(19 * 4):
        t = t0 + dt.timedelta(minutes=15 * i)
        offset = dt.timedelta(hours=-4 if t < dt.datetime(2026, 11, 1, 6, tzinfo=dt.UTC) else -5)
        rows.append(f"{t.astimezone(dt.timezone(offset)).isoformat()},4,300\n")
    return write_csv("interval_start,volume,aht\n" + "".join(rows))


def _utc(text: str) -> float:
    return dt.datetime.fromisoformat(text).timestamp()


def _windows(path: Path, folder: Path) -> list[list[tuple[float, float]]]:
    """Each simulated agent's on-duty windows, UTC epoch seconds."""
    (r,), notes = plan_rosters(read_plan_folder(folder), load_forecast(path))
    assert not notes
    a = r.agents
    return [[(r.origin_s + s, r.origin_s + e) for s, e in zip(a.start_s[a.agent == k].tolist(),
                                                             a.end_s[a.agent == k].tolist())]
            for k in range(a.n_agents)]


def test_shifts_starting_in_the_repeated_hour_start_when_their_length_says(write_csv, tmp_path: Path) -> None:
    # 01:15 to 09:15 for 8 hours starts at the second 01:15 (EST); 01:15 to 08:15 at the first (EDT)
    folder = _plan_folder(tmp_path / "plan", [("2026-11-01T01:15", "2026-11-01T09:15", 8, 1, "break 1 03:00x1"),
                                              ("2026-11-01T01:15", "2026-11-01T08:15", 8, 1, "break 1 02:45x1")],
                          cyclic=False, week="2026-W44")
    second, first = _windows(_fall_back(write_csv), folder)
    assert second == [(_utc("2026-11-01T01:15-05:00"), _utc("2026-11-01T03:00-05:00")),
                      (_utc("2026-11-01T03:15-05:00"), _utc("2026-11-01T09:15-05:00"))]
    assert first == [(_utc("2026-11-01T01:15-04:00"), _utc("2026-11-01T02:45-05:00")),
                     (_utc("2026-11-01T03:00-05:00"), _utc("2026-11-01T08:15-05:00"))]


def test_a_break_in_the_repeated_hour_is_where_its_window_allows(write_csv, tmp_path: Path) -> None:
    # 19:00 EDT to 02:00 EST (8 h): "break 2" 1 to 2.5 hours before the end fits only the first 01:15 (EDT);
    # 19:30 EDT to 03:30 EST (9 h): only the second; an overnight "break 1" at 00:30 is the next day's
    folder = _plan_folder(tmp_path / "plan", [("2026-10-31T19:00", "2026-11-01T02:00", 8, 1, "break 2 01:15x1"),
                                              ("2026-10-31T19:30", "2026-11-01T03:30", 9, 1,
                                               "break 1 22:00x1; break 2 01:15x1"),
                                              ("2026-10-31T22:30", "2026-11-01T05:30", 8, 1, "break 1 00:30x1")],
                          cyclic=False, week="2026-W44")
    early, late, overnight = _windows(_fall_back(write_csv), folder)
    assert early[0][1] == _utc("2026-11-01T01:15-04:00")
    assert late[1][1] == _utc("2026-11-01T01:15-05:00") and late[0][1] == _utc("2026-10-31T22:00-04:00")
    assert overnight[0][1] == _utc("2026-11-01T00:30-04:00")


@pytest.mark.parametrize("second", [True, False])
def test_a_break_shifts_csv_cannot_place_takes_coverage_csvs(write_csv, tmp_path: Path, second: bool) -> None:
    # 22:00 EDT to 05:00 EST (8 h), lunch 3.5 to 5 h in: both 01:30s fit; coverage.csv says which the plan took
    path = _fall_back(write_csv)
    lunch = _utc("2026-11-01T01:30-05:00" if second else "2026-11-01T01:30-04:00")
    forecast = load_forecast(path)
    utc = forecast.interval_start.astype("datetime64[s]").astype(np.int64).astype(np.float64)
    available = on_duty_per_interval(np.array([_utc("2026-10-31T22:00-04:00"), lunch + 1800]),
                                     np.array([lunch, _utc("2026-11-01T05:00-05:00")]), utc, 900.0) / 900.0 * 2
    local = format_local(forecast.interval_start, forecast.utc_offset_s).tolist()
    folder = _plan_folder(tmp_path / "plan", [("2026-10-31T22:00", "2026-11-01T05:00", 8, 2, "lunch 01:30x2")],
                          cyclic=False, week="2026-W44", coverage=dict(zip(local, available.tolist())))
    windows = _windows(path, folder)
    assert [w[0][1] for w in windows] == [lunch, lunch]


@pytest.mark.parametrize("offset", ["-04:00", "-05:00"])
def test_a_break_time_with_its_utc_offset_names_its_instant(write_csv, tmp_path: Path, offset: str) -> None:
    # as wfm plan writes a shift that spans the change: both 01:30s fit the window, the offset says which
    folder = _plan_folder(tmp_path / "plan", [("2026-10-31T22:00", "2026-11-01T05:00", 8, 2, f"lunch 01:30{offset}x2")],
                          cyclic=False, week="2026-W44")  # and no coverage.csv to choose by
    windows = _windows(_fall_back(write_csv), folder)
    assert [w[0][1] for w in windows] == [_utc(f"2026-11-01T01:30{offset}")] * 2


def test_a_break_offset_that_is_no_instant_of_its_shift_is_one_line(write_csv, tmp_path: Path) -> None:
    from wfm.errors import InputError

    for k, (breaks, message) in enumerate((("lunch 01:30-07:00x2", "row 2, column 'breaks': the break 'lunch' at "
                                                                   "01:30-07:00 is not inside its shift at that UTC offset"),
                                           ("lunch 01:30-19:00x2", "row 2, column 'breaks': cannot read the breaks "
                                                                   "'lunch 01:30-19:00x2'"))):
        folder = _plan_folder(tmp_path / f"plan{k}", [("2026-10-31T22:00", "2026-11-01T05:00", 8, 2, breaks)],
                              cyclic=False, week="2026-W44")
        with pytest.raises(InputError, match=message):
            _windows(_fall_back(write_csv), folder)


@pytest.mark.slow
def test_a_24_7_plan_through_a_dst_change_is_simulated_with_its_own_coverage(dst_plan, tmp_path: Path) -> None:
    # the sample's cyclic 24/7 week with the fall-back night: from the plan folder (local times) and from the
    # solved plan (wfm plan --simulate), the simulated agents available per interval are coverage.csv's
    from wfm.report.plan_files import write_plan
    from wfm.simulation.run import simulate_plan

    write_plan(dst_plan, tmp_path / "plan", {})
    forecast = dst_plan.requirement.forecast
    report = simulate_forecast(forecast, Settings(), plan=tmp_path / "plan", replications=2)
    assert not report.notes
    with open(tmp_path / "plan" / "coverage.csv", encoding="utf-8") as handle:
        coverage = [float(row["available"]) for row in csv.DictReader(handle)]
    assert report.checks[0].available.size == len(coverage) == forecast.volume.size
    np.testing.assert_allclose(report.checks[0].available, coverage, atol=1e-4)  # coverage.csv's 4 decimals
    solved = simulate_plan(dst_plan, replications=1)
    np.testing.assert_allclose(solved.checks[0].available, dst_plan.queues[0].evaluation.available, atol=1e-9)


@pytest.mark.parametrize(("count", "breaks", "message"), [
    ("99999999999999999999", "", r"row 2, column 'count': count must be a whole number of agents from 0 to 100,000, "
                                 r"got '99999999999999999999'$"),
    ("-5", "", r"row 2, column 'count': count must be a whole number of agents from 0 to 100,000, got '-5'$"),
    ("5", "lunch 12:00x99999999999999999999", r"row 2, column 'breaks': the agents of a lunch break time must be a "
                                              r"whole number of agents from 0 to 100,000"),
    ("5", "lunch 12:00x3 12:30x3", r"row 2, column 'breaks': lunch breaks for 6 agents in a shift of 5$"),
])
def test_a_hand_edited_shift_count_is_one_line_naming_row_and_column(write_csv, tmp_path: Path, count: str,
                                                                      breaks: str, message: str) -> None:
    """A count of 1e20 agents took all the memory (or an OverflowError, exit 70); a break for more agents than its
    shift has was simulated as given."""
    from wfm.errors import InputError

    folder = tmp_path / "plan"
    _plan_folder(folder, [("2026-11-30T08:00", "2026-11-30T16:00", 8, 5, "")])
    text = (folder / "shifts.csv").read_text().replace(",false,5,,", f",false,{count},{breaks},")
    (folder / "shifts.csv").write_text(text)
    forecast = load_forecast(_week_247(write_csv))
    with pytest.raises(InputError, match=message):
        plan_rosters(read_plan_folder(folder), forecast)


@pytest.mark.parametrize(("column", "text"), [
    ("start", "2026-11-30T25:00"), ("end", "2026-13-30T16:00"), ("start", "08:00"), ("start", ""),
    ("start", "today"), ("end", "2026-11-30T16:00-06:00"),  # numpy took the offset and moved the time to UTC
])
def test_a_bad_shift_date_time_names_the_file_row_and_column(write_csv, tmp_path: Path, column: str,
                                                              text: str) -> None:
    """A bad start or end named the file and queue with numpy's message, not the row and column; a blank cell
    (NaT) and "today" were simulated as given."""
    from wfm.errors import InputError

    folder = _plan_folder(tmp_path / "plan", [("2026-11-30T08:00", "2026-11-30T16:00", 8, 5, "")])
    rows = list(csv.DictReader((folder / "shifts.csv").open(encoding="utf-8")))
    rows[0][column] = text
    with (folder / "shifts.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(InputError) as caught:
        plan_rosters(read_plan_folder(folder), load_forecast(_week_247(write_csv)))
    assert str(caught.value) == (f"{folder / 'shifts.csv'}: row 2, column {column!r}: expected a local date and time "
                                 f"such as 2026-11-30T08:00, got {text!r}")


_FORM = "(expected a break's name and its local times with their agents, such as 'lunch 12:00x2 12:30x1')"


@pytest.mark.parametrize(("end", "breaks", "message"), [
    ("2026-11-30T16:00", "x", f"column 'breaks': cannot read the breaks 'x' {_FORM}"),
    ("2026-11-30T16:00", "lunch 12:00x2; lunch 25:00x1", f"column 'breaks': cannot read the breaks 'lunch 25:00x1' {_FORM}"),
    ("2026-11-30T16:00", "coffee 12:00x2", "column 'breaks': cannot read the breaks 'coffee 12:00x2': 'coffee' is no "
                                           "break of the plan's rules (summary.json has 'break 1', 'lunch', 'break 2')"),
    ("2026-11-30T16:00", "lunch 17:00x2", "column 'breaks': the break 'lunch' at 17:00 is not inside its shift"),
    ("2026-11-30T08:00", "", "column 'end': the shift 2026-11-30T08:00 - 2026-11-30T08:00 does not end after it starts"),
])
def test_a_bad_break_or_end_names_the_row_and_column(write_csv, tmp_path: Path, end: str, breaks: str,
                                                      message: str) -> None:
    """These named the file and queue ("shifts.csv: queue 'default': cannot read the breaks 'x'"), not the row
    and column, as the neighbouring messages do."""
    from wfm.errors import InputError

    folder = _plan_folder(tmp_path / "plan", [("2026-11-30T08:00", "2026-11-30T16:00", 8, 5, ""),
                                              ("2026-11-30T08:00", end, 8, 5, breaks)])
    with pytest.raises(InputError) as caught:
        plan_rosters(read_plan_folder(folder), load_forecast(_week_247(write_csv)))
    assert str(caught.value) == f"{folder / 'shifts.csv'}: row 3, {message}"


def test_a_damaged_shifts_csv_is_one_line_naming_the_file(tmp_path: Path) -> None:
    """A row cut short and a file that is not UTF-8 were a TypeError and a UnicodeDecodeError (exit 70)."""
    from wfm.errors import InputError

    folder = _plan_folder(tmp_path / "plan", [("2026-11-30T08:00", "2026-11-30T16:00", 8, 5, "")])
    shifts = folder / "shifts.csv"
    header = shifts.read_text().splitlines()[0]
    shifts.write_text(f"{header}\ndefault,2026-11-30,2026-11-30T08:00,2026-11-30T16:00,8\n")
    with pytest.raises(InputError, match=r"shifts\.csv: row 2, column 'count': missing \(the row has fewer cells "):
        read_plan_folder(folder)
    shifts.write_bytes(f"{header}\n".encode() + "default,2026-11-30,caf\u00e9".encode("latin-1"))
    with pytest.raises(InputError, match=r"shifts\.csv: not UTF-8 text \(byte "):
        read_plan_folder(folder)


@pytest.mark.parametrize(("end", "hours"), [
    ("2026-12-07T12:00", "172"),  # longer than the week: "one agent's windows overlap", exit 70
    ("2026-12-01T08:15", "24.25"), ("2026-12-01T00:15", "16.25"),
])
def test_a_shift_longer_than_a_plan_can_make_names_its_row_and_column(write_csv, tmp_path: Path, end: str,
                                                                      hours: str) -> None:
    """The scheduling rules make shifts of at most 16 h (MAX_SHIFT_H); a hand-edited end a week after the start
    was simulated until the cyclic week's copy of the shift overlapped it, an internal error."""
    from wfm.errors import InputError

    forecast = load_forecast(_week_247(write_csv))
    folder = _plan_folder(tmp_path / "plan", [("2026-11-30T08:00", end, 8, 5, "")])
    with pytest.raises(InputError) as caught:
        plan_rosters(read_plan_folder(folder), forecast)
    assert str(caught.value) == (f"{folder / 'shifts.csv'}: row 2, column 'end': the shift 2026-11-30T08:00 - {end} "
                                 f"lasts {hours} h; a plan's shifts last at most 16 h")
    longest = _plan_folder(tmp_path / "longest", [("2026-11-30T08:00", "2026-12-01T00:00", 16, 5, "")])
    (roster,), _ = plan_rosters(read_plan_folder(longest), forecast)
    assert roster.agents.n_agents == 5


def test_a_shift_length_no_plan_can_have_is_read_as_no_length(write_csv, tmp_path: Path) -> None:
    """length_h only tells the start of a shift in a fall-back night's repeated hour; 1e308 h overflowed numpy's
    arithmetic (RuntimeWarnings on stderr). A length over 16 h is now ignored, as a blank one is."""
    folder = _plan_folder(tmp_path / "plan", [("2026-11-30T08:00", "2026-11-30T16:00", 1e308, 5, "")])
    (roster,), _ = plan_rosters(read_plan_folder(folder), load_forecast(_week_247(write_csv)))
    assert roster.agents.end_s.max() - roster.agents.start_s.min() == 8 * HOUR


@pytest.mark.parametrize(("available", "message"), [
    ("-1", "row 3, column 'available': expected a number of agents >= 0, got '-1'"),  # exit 70 for a blended team
    ("nan", "row 3, column 'available': expected a number of agents >= 0, got 'nan'"),
    ("", "row 3, column 'available': expected a number of agents >= 0, got ''"),
    ("x", "row 3, column 'available': expected a number of agents >= 0, got 'x'"),  # named no row or column
])
def test_a_damaged_coverage_csv_names_the_file_row_and_column(tmp_path: Path, available: str, message: str) -> None:
    """A blended team's real-time queue takes its agents available from coverage.csv: -1 or nan there was the
    queueing model's ValueError, exit 70; a cell that is no number said only which columns were expected."""
    from wfm.errors import InputError

    folder = _plan_folder(tmp_path / "plan", [("2026-11-30T08:00", "2026-11-30T16:00", 8, 5, "")],
                          coverage={"2026-11-30T08:00:00+00:00": 5})
    coverage = folder / "coverage.csv"
    coverage.write_text(coverage.read_text() + f"default,2026-11-30T09:00:00+00:00,0,0,{available},1\n")
    with pytest.raises(InputError) as caught:
        read_plan_folder(folder)
    assert str(caught.value) == f"{coverage}: {message}"
    coverage.write_text(coverage.read_text().rsplit(",", 3)[0] + "\n")  # the last row cut short
    with pytest.raises(InputError, match=r"coverage\.csv: row 3, column 'available': missing \(the row has fewer "):
        read_plan_folder(folder)


def _set(path: Sequence[str | int], value: object) -> object:
    """A change to summary.json: the value at ``path`` (keys and list indices) set to ``value``."""
    def change(doc: dict) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


@pytest.mark.parametrize(("change", "message"), [
    ("{not json", "summary.json: not valid JSON (line 1, column 2: expecting property name enclosed in double quotes)"),
    ("", "summary.json: not valid JSON (line 1, column 1: expecting value)"),
    ("[]", "summary.json: expected a JSON object (a summary.json wfm plan wrote), got []"),
    pytest.param('{"week": ' + "9" * 5000 + "}",  # Python's "Exceeds the limit (4300 digits) ...", exit 70
                 "summary.json: not a summary.json wfm plan wrote (a whole number of more than 4,300 digits)",
                 id="5000 digits"),
    pytest.param("[" * 100_000, "summary.json: not a summary.json wfm plan wrote (lists or objects nested too "
                                "deeply)", id="nested"),  # a RecursionError, exit 70
    (_set(["week"], 49), "summary.json: key 'week': expected text, got 49"),
    (_set(["week"], "next"), "summary.json: key 'week': expected an ISO week such as 2026-W49, got 'next'"),
    (_set(["queues"], {}), "summary.json: key 'queues': expected a list, got {}"),
    (_set(["queues", 0, "shrinkage", "remaining"], "0.2"),
     "summary.json: key 'queues[0].shrinkage.remaining': expected a fraction from 0 to 1, got \"0.2\""),
    (_set(["queues", 0, "shrinkage", "remaining"], 1.5),  # the engine's ValueError, exit 70
     "summary.json: key 'queues[0].shrinkage.remaining': expected a fraction from 0 to 1, got 1.5"),
    (_set(["queues", 0, "shrinkage"], None), "summary.json: key 'queues[0].shrinkage': expected an object, got null"),
    (_set(["rules", "schedule", "breaks", 1, "minutes"], -30),  # "one agent's windows overlap", exit 70
     "summary.json: key 'rules.schedule.breaks[1].minutes': expected minutes more than 0 and at most 1440 (a day), "
     "got -30"),
    (_set(["rules", "schedule", "breaks", 0, "window_h"], [1.5]),  # an IndexError, exit 70
     "summary.json: key 'rules.schedule.breaks[0].window_h': expected two numbers of hours [start, end], got [1.5]"),
    (_set(["rules", "schedule", "cyclic"], "yes"), "summary.json: key 'rules.schedule.cyclic': expected true or "
                                                   "false, got \"yes\""),
    (_set(["inputs"], ["forecast.csv"]),  # an AttributeError, exit 70
     "summary.json: key 'inputs': expected an object, got [\"forecast.csv\"]"),
    (_set(["rules"], {}), "summary.json: key 'rules.schedule' is missing (not a summary.json wfm plan wrote)"),
    (_set(["queues", 0, "team"], {"queues": []}),  # an IndexError (the team's first queue), exit 70
     "summary.json: key 'queues[0].team.queues': expected a list of the team's queues (at least one), got []"),
])
def test_a_damaged_summary_json_is_one_line_naming_the_file_and_key(tmp_path: Path, change: object,
                                                                   message: str) -> None:
    """Invalid JSON and values of the wrong type were "not a wfm plan summary (JSONDecodeError: ...)" or
    "(TypeError: 'NoneType' object is not subscriptable)", or an internal error (exit 70)."""
    from wfm.errors import InputError

    folder = _plan_folder(tmp_path / "plan", [("2026-11-30T08:00", "2026-11-30T16:00", 8, 5, "")])
    summary = folder / "summary.json"
    if isinstance(change, str):
        summary.write_text(change)
    else:
        doc = json.loads(summary.read_text())
        change(doc)
        summary.write_text(json.dumps(doc))
    with pytest.raises(InputError) as caught:
        read_plan_folder(folder)
    assert str(caught.value) == f"{folder}/{message}"


def test_wfm_simulate_names_a_damaged_plan_file_in_one_line(write_csv, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from wfm.cli import app

    forecast = _week_247(write_csv)
    folder = _plan_folder(tmp_path / "plan", [("2026-11-30T08:00", "2026-11-30T16:00", 8, 5, "")])
    (folder / "summary.json").write_text('{"week": "2026-W49", "queues": [}')
    result = CliRunner().invoke(app, ["simulate", str(forecast), "--plan", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"wfm: error: {folder}/summary.json: not valid JSON (line 1, column 33: "
                                          "expecting value)"]
    (folder / "summary.json").write_text(json.dumps({"week": "2026-W49", "queues": [], "rules": {"schedule": {
        "breaks": _BREAKS}}}))
    shifts = folder / "shifts.csv"
    shifts.write_text(shifts.read_text().replace("2026-11-30T16:00", "2026-11-30T16:00Z"))
    result = CliRunner().invoke(app, ["simulate", str(forecast), "--plan", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"wfm: error: {folder}/shifts.csv: row 2, column 'end': expected a local "
                                          "date and time such as 2026-11-30T08:00, got '2026-11-30T16:00Z'"]
