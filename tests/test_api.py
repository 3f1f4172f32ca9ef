"""`import wfm`: a small documented API, loaded lazily, whose names all resolve."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import math
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLES

import wfm


def test_every_exported_name_resolves_and_is_documented() -> None:
    for name in wfm.__all__:
        assert getattr(wfm, name) is not None, name
    for name in set(wfm.__all__) - {"__version__", "asa"}:
        assert name in wfm.__doc__, f"{name} is exported but not listed in wfm's docstring"
    with pytest.raises(AttributeError):
        wfm.no_such_name  # noqa: B018


def test_import_wfm_loads_nothing_heavy() -> None:
    code = "import sys, wfm; print(sorted(m for m in ('numpy', 'scipy', 'pyarrow', 'matplotlib', 'rich') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
def test_calc_imports_neither_pyarrow_nor_matplotlib_nor_scipy() -> None:
    """Nor, without --config or --output, the forecast loader, the shift rules, the TOML parser or the file
    writer, nor rich's table of emoji names (issue 7's start-up goal)."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "wfm", "calc", "--volume", "100", "--aht", "180"],
                            capture_output=True, text=True)
    assert result.returncode == 0
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert not {m for m in imported if m.split(".")[0] in ("pyarrow", "matplotlib", "scipy", "tomllib", "hashlib")}
    assert not {m for m in imported if m.startswith(("wfm.forecast", "wfm.scheduling", "wfm.outputs"))}
    assert "rich.table" in imported and "rich._emoji_codes" not in imported


def test_queueing_math_with_units_in_the_names() -> None:
    assert wfm.required_agents(traffic_erlangs=10.0, aht_s=180, service_level=0.8, answer_within_s=20) == 14
    agents = wfm.required_agents(traffic_erlangs=np.array([10.0, 0.0]), aht_s=180, max_occupancy=0.85)
    assert agents.tolist() == [12, 0]
    assert wfm.asa(agents=14, traffic_erlangs=10.0, aht_s=180) == pytest.approx(7.8, abs=0.05)
    assert wfm.occupancy(agents=14, traffic_erlangs=10.0) == pytest.approx(10 / 14)


@pytest.mark.slow  # plans a week (HiGHS): run by CI, skipped by -m 'not slow'
def test_a_forecast_built_in_code_is_checked_like_a_file() -> None:
    forecast = wfm.forecast_from_records(
        [{"queue": "chat", "interval_start": f"2026-12-01T{h:02d}:00:00+01:00", "volume": 30, "aht": 240}
         for h in range(9, 12)])
    requirement = wfm.size(forecast, wfm.Settings())
    expected = wfm.required_agents(traffic_erlangs=30 * 240 / 3600, aht_s=240, service_level=0.8,
                                   answer_within_s=30, max_occupancy=0.85)
    assert forecast.interval_minutes == {"chat": 60} and requirement.agents.tolist() == [expected] * 3
    with pytest.raises(wfm.InputError, match=r"<arrays>: row 3, column 'volume'"):
        wfm.forecast_from_arrays(["2026-12-01T09:00:00Z", "2026-12-01T09:30:00Z"], [1, -2], [300, 300])


def test_tab_completion_offers_the_api_and_the_submodules_help_names() -> None:
    listed = dir(wfm)
    assert set(wfm.__all__) <= set(listed) and listed == sorted(listed)
    for module in ("erlang", "erlang_a", "cost", "whatif", "capacity", "forecasting", "simulation"):
        assert module in listed and f"wfm.{module}" in (wfm.__doc__ or "")  # help(wfm) names them
        assert getattr(wfm, module).__name__ == f"wfm.{module}"


def test_help_on_targets_explains_every_field() -> None:
    """help(wfm.Targets) showed the fields' names and defaults only: units, ranges and min_staff counting agents on
    the phones (not staff) were in source comments."""
    described = {line.split()[0] for line in (wfm.Targets.__doc__ or "").splitlines()[2:] if line[:5].strip()
                 and line.startswith("    ") and not line.startswith("     ")}
    assert described >= {f.name for f in dataclasses.fields(wfm.Targets)}


def test_results_map_back_to_the_input_rows_and_give_the_csvs_columns(tmp_path) -> None:
    """Rows are sorted by (queue, UTC start), so a result set beside the records given (a DataFrame's column) paired
    200-contact intervals with 6 agents: forecast.input_row puts each back, and Requirement.columns() carries the
    queue and start with every value, as the CSV does."""
    records = [{"queue": queue, "interval_start": f"2026-11-30T{hour:02d}:{minute:02d}:00Z", "volume": volume,
                "aht": 300} for hour in (9, 8) for minute in (30, 0) for queue, volume in (("sales", 200),
                                                                                           ("billing", 20))]
    forecast = wfm.forecast_from_records(records)
    requirement = wfm.size(forecast, wfm.Settings())
    agents = np.empty_like(requirement.agents)
    agents[forecast.input_row] = requirement.agents
    assert agents.tolist() == [40, 6] * 4
    assert forecast.input_row.tolist() == [7, 5, 3, 1, 6, 4, 2, 0] and not forecast.input_row.flags.writeable
    reverse = wfm.forecast_from_arrays(
        ["2026-11-30T09:00:00Z", "2026-11-30T08:30:00Z", "2026-11-30T08:00:00Z"], [3, 2, 1], 300)
    assert reverse.input_row.tolist() == [2, 1, 0] and reverse.volume.tolist() == [1, 2, 3]
    assert wfm.load_forecast(SAMPLES / "retail_voice_week_15min.csv").input_row.tolist()[:3] == [0, 1, 2]
    from wfm.forecast import select

    assert select(reverse, np.array([True, False, True])).input_row.tolist() == [2, 0]
    with pytest.raises(ValueError, match="^input_row has 3 values for 2 rows$"):  # rows and their origins agree
        dataclasses.replace(reverse, volume=np.ones(2), queue=np.zeros(2, np.int32),
                            interval_start=reverse.interval_start[:2], utc_offset_s=reverse.utc_offset_s[:2],
                            interval_s=reverse.interval_s[:2], aht_s=reverse.aht_s[:2])

    columns = requirement.columns()
    written = requirement.write(tmp_path / "need.csv").read_text().splitlines()
    assert list(columns) == written[0].split(",") and all(len(c) == len(records) for c in columns.values())
    assert columns["queue"].tolist() == ["billing"] * 4 + ["sales"] * 4
    assert columns["interval_start"][0] == "2026-11-30T08:00:00+00:00" and columns["agents"].dtype == np.int64
    assert np.isnan(columns["abandon_rate"]).all()  # empty in the CSV under Erlang C
    for row, line in zip(zip(*columns.values()), written[1:]):
        assert ",".join("" if isinstance(v, float) and np.isnan(v) else f"{v:g}" if isinstance(v, float) else str(v)
                        for v in row) == line


def test_results_cannot_be_changed_through_their_inputs(capsys) -> None:
    """A forecast's arrays are read-only, and Settings keep their own copies of the tables given: changing an input
    afterwards cannot make a written requirement show volumes its agents were not sized for, nor bypass the checks
    Settings made."""
    forecast = wfm.forecast_from_arrays(["2026-12-01T09:00:00Z", "2026-12-01T09:30:00Z"], [40, 50], [300, 300])
    requirement = wfm.size(forecast, wfm.Settings())
    with pytest.raises(ValueError, match="read-only"):
        forecast.volume[:] = 0
    assert requirement.forecast.volume.tolist() == [40.0, 50.0]
    mine = np.array([1.0, 2.0])
    built = dataclasses.replace(forecast, volume=mine)  # an array of the caller's is copied, not shared
    mine[:] = 0
    assert built.volume.tolist() == [1.0, 2.0]
    for again in (pickle.loads(pickle.dumps(forecast)), copy.deepcopy(forecast)):  # a worker's copy: frozen too
        assert not again.volume.flags.writeable and again.volume.tolist() == [40.0, 50.0]
    chosen = {"sales": wfm.Targets(service_level=0.9)}
    schedule = {"full_time_hours": [8]}
    settings = wfm.Settings(queue_targets=chosen, schedule=schedule)
    chosen["sales"] = "junk"  # type: ignore[assignment]
    schedule["full_time_hours"].append(99)
    assert settings.queue_targets["sales"].service_level == 0.9 and settings.schedule == {"full_time_hours": [8]}
    with pytest.raises(TypeError, match=r"^Settings: queue_targets\['sales'\] must be a Targets, got float$"):
        wfm.Settings(queue_targets={"sales": 0.8})  # type: ignore[dict-item]
    assert requirement.write("-") == Path("-")  # standard output, as `-o -`; no file named '-'
    assert capsys.readouterr().out.startswith("queue,channel,interval_start,")
    assert not Path("-").exists()


def test_a_forecasts_warnings_reach_a_notebook(tmp_path) -> None:
    """What `wfm validate` prints as warnings, the library warns (ForecastWarning) at the caller's line; the
    forecast keeps them too. Misused builders are TypeErrors that say what records are, and generators work."""
    path = tmp_path / "gap.csv"
    path.write_text("queue,interval_start,volume,aht,extra\n" + "".join(
        f"q,2026-12-01T{t}:00Z,10,300,x\n" for t in ("08:00", "08:15", "09:00", "09:15")))
    with pytest.warns(wfm.ForecastWarning) as caught:
        forecast = wfm.load_forecast(path)
    assert [str(w.message) for w in caught] == list(forecast.warnings) == [
        f"{path}: ignoring unknown columns 'extra'",
        f"{path}: queue 'q': 2 intervals missing within a day, the first at 2026-12-01T08:30:00+00:00"]
    assert {w.filename for w in caught} == {__file__}
    with pytest.warns(wfm.ForecastWarning, match="missing within a day") as caught:
        wfm.forecast_from_arrays(["2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z", "2026-12-01T09:30:00Z"], 5, 300)
    assert {w.filename for w in caught} == {__file__}
    built = wfm.forecast_from_arrays((s for s in ["2026-12-01T08:00:00Z", "2026-12-01T08:15:00Z"]),
                                     (v for v in [1, 2]), 300)
    assert built.volume.tolist() == [1.0, 2.0]
    with pytest.raises(TypeError, match="^records must be an iterable of mappings, one per interval, got a single"):
        wfm.forecast_from_records({"interval_start": "2026-12-01T08:00:00Z", "volume": 1, "aht": 300})
    with pytest.raises(TypeError, match="record 0 is a tuple$"):
        wfm.forecast_from_records([("interval_start", "2026-12-01T08:00:00Z")])  # type: ignore[list-item]
    # records have keys, not a header row: it read "<records>: row 1: missing column 'aht'"
    with pytest.raises(wfm.InputError, match=r"^<records>: missing key 'aht' \(accepted names: aht, .*\); found keys "
                                             r"'interval_start', 'volume'$"):
        wfm.forecast_from_records([{"interval_start": "2026-12-01T08:00:00Z", "volume": 1}])
    with pytest.raises(wfm.InputError, match=r"^<records>: keys 'aht' and 'AHT_s' both give aht; expected one"):
        wfm.forecast_from_records([{"interval_start": "2026-12-01T08:00:00Z", "volume": 1, "aht": 3, "AHT_s": 4}])


def test_settings_are_validated_when_made() -> None:
    with pytest.raises(wfm.ConfigError, match="service_level"):
        wfm.Targets(service_level=1.5)
    # not a number is said so, as wfm.toml's `service_level = true` is: it read "1 would need infinitely many agents"
    with pytest.raises(wfm.ConfigError, match="^Targets: service_level must be a number, got true$"):
        wfm.Targets(service_level=True)
    with pytest.raises(wfm.ConfigError, match="^Targets: min_staff must be a whole number, got true$"):
        wfm.Targets(min_staff=True)
    with pytest.raises(wfm.ConfigError, match=r"\[schedule\]"):
        wfm.Settings(schedule={"full_time_hours": [30]})
    with pytest.raises(wfm.ConfigError):
        wfm.SeatRules(buffer_seats=-1)
    with pytest.raises(wfm.ConfigError, match=r"^\[queues\.b\]: given twice, as a whole Targets in queue_targets"):
        wfm.Settings(queue_targets={"b": wfm.Targets(service_level=0.6)}, queue_values={"b": {"answer_within_s": 10}})
    assert issubclass(wfm.ConfigError, wfm.WfmError) and wfm.SolverError("x").exit_code == 3


@pytest.mark.slow  # plans a week (HiGHS): run by CI, skipped by -m 'not slow'
def test_results_write_themselves(tmp_path) -> None:
    forecast = wfm.forecast_from_arrays([f"2026-12-01T{h:02d}:00:00Z" for h in range(9, 17)], [40] * 8, [300] * 8)
    requirement = wfm.size(forecast, wfm.Settings())
    assert requirement.write(tmp_path / "need.csv") == tmp_path / "need.csv"
    assert requirement.write(tmp_path / "need.json") == tmp_path / "need.json"  # the format from the suffix
    requirement.write(tmp_path / "need.txt", format="json")
    assert (tmp_path / "need.csv").read_text().startswith("queue,channel,interval_start,volume,aht,")
    assert (tmp_path / "need.json").read_text() == (tmp_path / "need.txt").read_text()
    assert (tmp_path / "need.json").read_text().startswith("{")
    with pytest.raises(ValueError, match="need.xlsx: a requirement is written as CSV or JSON, not as a workbook"):
        requirement.write(tmp_path / "need.xlsx")  # was CSV under a workbook's name, which Excel refuses to open
    assert not (tmp_path / "need.xlsx").exists()
    requirement.write(tmp_path / "need.xlsx", format="csv")  # asked for: that name, as given
    plan = wfm.make_plan(forecast, wfm.Settings(schedule=wfm.ShiftRules(tours=False), seats=wfm.SeatRules(buffer_seats=2)))
    assert plan.write(tmp_path / "plan") == tmp_path / "plan"
    assert sorted(p.name for p in (tmp_path / "plan").iterdir()) == [
        "coverage.csv", "report.html", "requirements.csv", "shifts.csv", "summary.json"]
    (queue,) = plan.queues
    assert not queue.schedule.tours and queue.seats.seats == math.ceil(queue.seats.peak_on_site) + 2  # the rules made in code
    shown = repr(queue.schedule)  # one line, not every array and shift of the week (it was 150,000 characters)
    assert shown.startswith("<Schedule: 8 intervals, headcount ") and "\n" not in shown and len(shown) < 200
    with pytest.raises(TypeError, match="^xlsx must be True or False, got str$"):
        plan.write(tmp_path / "plan2", xlsx="no")
    with pytest.raises(ValueError, match="^jobs must be a whole number >= 1, got 0$"):
        plan.write(tmp_path / "plan2", jobs=0)
    assert not (tmp_path / "plan2").exists()


def test_programmer_misuse_is_a_type_error_naming_the_argument() -> None:
    f = wfm.forecast_from_arrays(["2026-12-01T08:00", "2026-12-01T08:15"], [5, 6], [300, 300], tz="UTC")
    with pytest.raises(TypeError, match="^settings must be of type Settings, got Targets$"):
        wfm.size(f, wfm.Targets())
    with pytest.raises(TypeError, match="^forecast must be of type Forecast, got str$"):
        wfm.size("forecast.csv", wfm.Settings())
    for keyword, value, wanted in (("week", 49, "of type str"), ("tours", "no", "True or False"),
                                   ("time_limit_s", "5", "a number"), ("time_limit_s", True, "a number")):
        with pytest.raises(TypeError, match=f"^{keyword} must be {wanted}, got {type(value).__name__}$"):
            wfm.make_plan(f, wfm.Settings(), **{keyword: value})
    with pytest.raises(ValueError, match="^jobs must be a whole number >= 1, got 0$"):
        wfm.make_plan(f, wfm.Settings(), jobs=0)
    # schedule(): a truthy string is not True, a bool is not a time limit or an interval length
    starts, offsets = f.interval_start, f.utc_offset_s
    for keyword, value, wanted in (("tours", "false", "True or False"), ("time_limit_s", True, "a number"),
                                   ("time_limit_s", "60", "a number"), ("mip_gap", "0.01", "a number")):
        with pytest.raises(TypeError, match=f"^{keyword} must be {wanted}, got"):
            wfm.schedule(starts, offsets, 900, [1.0, 1.0], **{keyword: value})
    with pytest.raises(TypeError, match="^interval_s must be a number, got bool$"):
        wfm.schedule(starts, offsets, True, [1.0, 1.0])
    for bad in ({"tz": 5}, {"interval_minutes": "30"}, {"interval_minutes": True}):
        with pytest.raises(TypeError):
            wfm.forecast_from_arrays(["2026-12-01T08:00", "2026-12-01T08:15"], [5, 6], [300, 300],
                                     **{"tz": "UTC", **bad})


def test_except_value_error_catches_every_bad_value() -> None:
    """A bad setting, a bad argument that mirrors one and bad data are ConfigError or InputError, which a notebook's
    `except ValueError` missed: they are ValueErrors too, as json's and tomllib's errors are."""
    starts = ["2026-12-01T08:00", "2026-12-01T08:15"]
    for bad in (lambda: wfm.Targets(service_level=1.5),  # ConfigError
                lambda: wfm.Settings(tz="Mars/Olympus"),  # ConfigError
                lambda: wfm.forecast_from_arrays(starts, [5, -6], [300, 300], tz="UTC"),  # InputError
                lambda: wfm.forecast_from_arrays(starts, [5, 6], [300, 300], tz="UTC", interval_minutes=7),
                lambda: wfm.required_agents(traffic_erlangs=-1.0, aht_s=180)):  # ValueError, as before
        with pytest.raises(ValueError):
            bad()
    with pytest.raises(wfm.InputError, match=r"row 3, column 'volume'"):  # and still wfm's kinds, with their message
        wfm.forecast_from_arrays(starts, [5, -6], [300, 300], tz="UTC")


def test_a_zone_object_a_dataframe_and_missing_values_are_taken_as_a_file_would_take_them() -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    starts = ["2026-12-01T08:00", "2026-12-01T08:15"]
    chicago = wfm.forecast_from_arrays(starts, [5, 6], [300, 300], tz=ZoneInfo("America/Chicago"))
    assert chicago.tz == "America/Chicago" and chicago.utc_offset_s.tolist() == [-21600, -21600]
    assert wfm.forecast_from_arrays(starts, [5, 6], [300, 300], tz=dt.UTC).tz == "UTC"
    # a zero-volume row's handle time missing as NaN is a blank cell, as in a file
    f = wfm.forecast_from_records([{"interval_start": starts[0], "volume": 0, "aht": float("nan")},
                                   {"interval_start": starts[1], "volume": 3, "aht": np.float64(200)}], tz="UTC")
    assert f.aht_s.tolist() == [0.0, 200.0]

    class Frame:  # what forecast_from_records uses of a pandas DataFrame
        columns = ("interval_start", "volume", "aht")

        def to_dict(self, orient: str) -> list[dict[str, object]]:
            assert orient == "records"
            return [{"interval_start": s, "volume": 4, "aht": 250} for s in starts]

    assert wfm.forecast_from_records(Frame(), tz="UTC").volume.tolist() == [4.0, 4.0]


@pytest.mark.slow  # a new interpreter with pandas
def test_a_notebook_with_pandas_loaded_sizes_a_dataframe_and_a_file() -> None:
    """The tests import as the wfm command does (pandas unimportable, see conftest); a notebook has pandas loaded,
    and pyarrow then converts through it: the library's path there, once, in an interpreter of its own."""
    code = ("import sys, wfm\n"
            "try:\n"
            "    import pandas as pd\n"
            "except ImportError:\n"
            "    sys.exit(print('no pandas'))\n"
            f"f = wfm.load_forecast({str(SAMPLES / 'retail_voice_week_15min.csv')!r})\n"
            "frame = pd.DataFrame({'interval_start': ['2026-12-01T08:00:00Z', '2026-12-01T08:15:00Z'],\n"
            "                      'volume': [100.0, 120.0], 'aht': [180, 180]})\n"
            "a = wfm.size(wfm.forecast_from_records(frame, tz='UTC'), wfm.Settings()).agents.tolist()\n"
            "print('pandas' in sys.modules, a, int(wfm.size(f, wfm.Settings()).agents.max()))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-800:]
    if done.stdout == "no pandas\n":
        pytest.skip("pandas is not installed")
    rows = [{"interval_start": t, "volume": v, "aht": 180} for t, v in (("2026-12-01T08:00:00Z", 100.0),
                                                                          ("2026-12-01T08:15:00Z", 120.0))]
    agents = wfm.size(wfm.forecast_from_records(rows, tz="UTC"), wfm.Settings()).agents.tolist()
    peak = wfm.size(wfm.load_forecast(SAMPLES / "retail_voice_week_15min.csv"), wfm.Settings()).agents.max()
    assert done.stdout == f"True {agents} {peak}\n"


def test_a_requirement_is_never_written_over_its_forecast(tmp_path) -> None:
    source = tmp_path / "forecast.csv"
    source.write_text("interval_start,volume,aht\n2026-12-01T08:00:00Z,5,300\n2026-12-01T08:15:00Z,6,300\n")
    before = source.read_bytes()
    requirement = wfm.size(wfm.load_forecast(source), wfm.Settings())
    with pytest.raises(wfm.OutputError, match="is an input of this run"):
        requirement.write(source)
    assert source.read_bytes() == before


def test_a_forecast_off_the_day_grid_is_sized_but_not_scheduled() -> None:
    starts = np.datetime64("2026-12-01T08:05") + np.arange(8) * np.timedelta64(15, "m")
    f = wfm.forecast_from_arrays(starts, [5] * 8, [300] * 8, tz="UTC")
    assert wfm.size(f, wfm.Settings()).agents.min() >= 1
    with pytest.raises(wfm.InputError, match=r"^<arrays>: queue 'default': the interval at 2026-12-01T08:05:00\+00:00 "
                                             "is not on the 15-minute grid of the local day"):
        wfm.make_plan(f, wfm.Settings())


def test_results_print_as_one_line_and_compare_by_identity() -> None:
    f = wfm.forecast_from_arrays(["2026-12-01T08:00", "2026-12-01T08:30"], [50, 60], [300, 300], tz="UTC",
                                 name="calls")
    assert repr(f) == ("<Forecast calls: 1 queue(s) (default), 2 intervals from 2026-12-01T08:00:00+00:00 to "
                       "2026-12-01T08:30:00+00:00, 110 contacts>")
    r = wfm.size(f, wfm.Settings())
    assert repr(r) == ("<Requirement: 1 queue(s), 2 queue-intervals, at most 14 agents and 20 staff in one, 14 agents "
                       "and 20 staff together at the busiest time (the 'all queues' row of wfm size), from calls>")
    assert r == r and r != wfm.size(f, wfm.Settings())  # arrays inside: identity, never an ambiguous truth value


def test_targets_for_a_channel_take_that_channels_defaults() -> None:
    """Targets(channel="email") is 90 % within 4 hours as [queues.NAME] channel = "email" is, not voice's 30 s."""
    from wfm.channels import CHANNEL_DEFAULTS

    for channel, defaults in CHANNEL_DEFAULTS.items():
        targets = wfm.Targets(channel=channel)
        assert {key: getattr(targets, key) for key in defaults} == dict(defaults)
    assert wfm.Targets().answer_within_s == 30 and wfm.Targets(channel="chat", concurrency=3).concurrency == 3
    starts = [f"2026-12-01T{h:02d}:00:00Z" for h in range(9, 17)]
    f = wfm.forecast_from_arrays(starts, 20, 600, queue="mail")
    in_code = wfm.size(f, wfm.Settings(queue_targets={"mail": wfm.Targets(channel="email")}))
    as_file = wfm.size(f, wfm.Settings(queue_values={"mail": {"channel": "email"}}))
    # 26.7 h of e-mail at 85 % (4 agents all day), the one day of its week: due before it closes (voice: 6 agents)
    assert in_code.agents.tolist() == as_file.agents.tolist() == [4] * 8


def test_rules_made_in_code_are_settings_and_other_objects_are_type_errors() -> None:
    settings = wfm.Settings(schedule=wfm.ShiftRules(full_time_hours=[8]), seats=wfm.SeatRules(buffer_seats=2))
    assert settings.shift_rules.full_time_hours == (8.0,) and settings.seat_rules.buffer_seats == 2
    with pytest.raises(TypeError, match="^Settings: schedule must be a mapping or a ShiftRules, got SeatRules$"):
        wfm.Settings(schedule=wfm.SeatRules())
    with pytest.raises(TypeError, match="^Settings: seats must be a mapping or a SeatRules, got int$"):
        wfm.Settings(seats=2)


def test_arrays_take_single_values_and_name_what_is_wrong() -> None:
    starts = np.arange("2026-12-01T08:00", "2026-12-01T10:00", np.timedelta64(15, "m"), dtype="datetime64[m]")
    f = wfm.forecast_from_arrays(starts, np.arange(8) + 10, 300, queue="sales", tz="UTC")
    assert f.queue_names == ("sales",) and f.aht_s.tolist() == [300.0] * 8
    assert wfm.load_forecast is not None and f.volume.sum() == 108
    with pytest.raises(ValueError, match=r"^volume must be one value, or one-dimensional .* shape \(2, 4\)$"):
        wfm.forecast_from_arrays(starts, np.ones((2, 4)), 300, tz="UTC")
    with pytest.raises(ValueError, match="^aht_s has 7 values for 8 interval starts"):
        wfm.forecast_from_arrays(starts, 1, np.ones(7), tz="UTC")
    with pytest.raises(wfm.InputError, match="row 3, column 'volume': expected a finite number >= 0, got None or NaN$"):
        wfm.forecast_from_arrays(starts, [1, np.nan, 1, 1, 1, 1, 1, 1], 300, tz="UTC")
    with pytest.raises(wfm.InputError, match="row 2, column 'aht': .*, got None or NaN$"):
        wfm.forecast_from_records([{"interval_start": "2026-12-01T08:00:00Z", "volume": 3, "aht": None}])
    assert wfm.forecast_from_arrays(starts, 1, 300, tz="UTC", interval_minutes=15.0).interval_s[0] == 900


def test_a_queue_section_that_matches_no_queue_is_warned_of_once(tmp_path) -> None:
    import warnings

    from wfm.errors import UnusedSettingWarning

    forecast = wfm.forecast_from_arrays([f"2026-12-01T{h:02d}:00:00Z" for h in range(8, 18)], [40] * 10, [300] * 10,
                                        queue="billing")
    typo = wfm.Settings(queue_values={"biling": {"service_level": 0.95}})
    with pytest.warns(UnusedSettingWarning, match=r"^\[queues\.biling\] matches no queue in the forecast \(did you mean 'billing'\?\)$"):
        wfm.size(forecast, typo)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wfm.make_plan(forecast, typo, tours=False)
    assert [str(w.message) for w in caught if w.category is UnusedSettingWarning] == [
        "[queues.biling] matches no queue in the forecast (did you mean 'billing'?)"]  # once, not again by the sizing inside
    assert caught[0].filename == __file__  # pointing at the caller's line
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wfm.size(forecast, wfm.Settings(queue_values={"billing": {"service_level": 0.95}}))


@pytest.mark.slow  # plans weeks (HiGHS): run by CI, skipped by -m 'not slow'
def test_the_plan_records_the_rules_it_was_planned_with(tmp_path) -> None:
    forecast = wfm.forecast_from_arrays([f"2026-12-01T{h:02d}:00:00Z" for h in range(8, 18)], [40] * 10, [300] * 10)
    plan = wfm.make_plan(forecast, wfm.Settings(), tours=False, time_limit_s=60)
    assert not plan.rules.tours and plan.rules.time_limit_s == 60.0
    plan.write(tmp_path / "plan")
    recorded = json.loads((tmp_path / "plan" / "summary.json").read_text())["rules"]["schedule"]
    assert (recorded["tours"], recorded["time_limit_s"]) == (False, 60.0)  # not the defaults it overrode


def test_daily_shifts_asked_of_tour_rules_say_which_rules_they_do_not_follow() -> None:
    forecast = wfm.forecast_from_arrays([f"2026-12-01T{h:02d}:00:00Z" for h in range(8, 18)], [40] * 10, [300] * 10)
    rules = wfm.ShiftRules.from_mapping({"fixed_days_off": [["Sat", "Sun"]], "min_agents_per_tour": 2},
                                        source="wfm.toml [schedule]")
    assert rules.tour_rules_set() == ("fixed_days_off", "min_agents_per_tour") and wfm.ShiftRules().tour_rules_set() == ()
    plan = wfm.make_plan(forecast, wfm.Settings(schedule=rules), tours=False)
    assert "wfm.toml [schedule]: fixed_days_off, min_agents_per_tour apply to weekly tours; the daily shifts asked " \
           "for (--daily) do not follow them" in plan.notes
    assert not any("weekly tours" in n for n in wfm.make_plan(forecast, wfm.Settings(), tours=False).notes)


@pytest.mark.slow  # plans and simulates: run by CI, skipped by -m 'not slow'
def test_whatif_and_simulating_a_plan_warn_of_a_section_that_matches_no_queue(tmp_path) -> None:
    """As wfm.size and wfm.make_plan do: once, pointing at the caller's line (they size one week of the forecast,
    quietly, so only the whole forecast's queues are checked)."""
    import warnings

    from wfm.errors import UnusedSettingWarning
    from wfm.simulation.run import simulate_forecast
    from wfm.whatif import whatif

    forecast = wfm.forecast_from_arrays([f"2026-12-01T{h:02d}:00:00Z" for h in range(8, 18)], [40] * 10, [300] * 10,
                                        queue="billing")
    typo = wfm.Settings(queue_values={"biling": {"service_level": 0.95}})
    wfm.make_plan(forecast, wfm.Settings(), tours=False).write(tmp_path / "plan")
    for call in (lambda: whatif(forecast, typo, volume=(1.0, 1.1)),
                 lambda: simulate_forecast(forecast, typo, plan=tmp_path / "plan", replications=2),
                 lambda: simulate_forecast(forecast, typo, agents=20, replications=2),
                 lambda: simulate_forecast(forecast, typo, from_size=True, replications=2)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call()
        unused = [w for w in caught if w.category is UnusedSettingWarning]
        assert [str(w.message) for w in unused] == ["[queues.biling] matches no queue in the forecast (did you mean 'billing'?)"]
        assert unused[0].filename == __file__


@pytest.mark.slow  # mypy takes a few seconds
def test_a_users_script_type_checks_against_the_package(tmp_path) -> None:
    """wfm ships its annotations (py.typed) and names its exports, so ``mypy --strict`` on a notebook user's
    script sees real types: scalars in, scalars out; before, every name was 'not explicitly exported'."""
    from conftest import ROOT

    assert (ROOT / "wfm" / "py.typed").is_file()
    assert 'wfm = ["py.typed"]' in (ROOT / "pyproject.toml").read_text()
    assert sorted(wfm.__all__) == sorted(["__version__", *wfm._EXPORTS]) and len(set(wfm.__all__)) == len(wfm.__all__)
    script = tmp_path / "notebook.py"
    script.write_text(
        "from datetime import time\n"
        "import wfm\n"
        "agents: int = wfm.required_agents(traffic_erlangs=10.0, aht_s=180, service_level=0.8, answer_within_s=20)\n"
        "level: float = wfm.service_level(agents=14, traffic_erlangs=10.0, aht_s=180, answer_within_s=20)\n"
        "wait: float = wfm.asa(agents=14, traffic_erlangs=10.0, aht_s=180)\n"
        "busy: float = wfm.occupancy(agents=14, traffic_erlangs=10.0) + wfm.erlang_c(14, 10.0)\n"
        "rules = wfm.ShiftRules(full_time_hours=(8.0,), earliest_start=time(7, 0))\n"
        "listed = wfm.ShiftRules(full_time_hours=[8, 9], earliest_start='07:00', days_per_week=[4, 5],\n"
        "                        cost_per_paid_hour={8: 25.0}, weekly_hours={'full_time': (37.5, 40)},\n"
        "                        fixed_days_off=[['Sat', 'Sun']])  # as the docstring shows: converted when made\n"
        "hours: tuple[float, ...] = listed.full_time_hours\n"
        "import numpy as np\n"
        "arrays = wfm.ShiftRules(full_time_hours=np.array([8.0, 9.0]), days_per_week=np.arange(4, 6),\n"
        "                        part_time_hours=np.array([4.0]), part_time_days_per_week=np.array([3]))\n"
        "settings = wfm.Settings(targets=wfm.Targets(service_level=0.9, answer_within_s=20), schedule=rules)\n"
        "forecast: wfm.Forecast = wfm.load_forecast('f.csv', tz='Europe/Paris')\n"
        "requirement: wfm.Requirement = wfm.size(forecast, settings)\n"
        "plan: wfm.Plan = wfm.make_plan(forecast, settings)\n"
        "from typing import assert_type\n"  # not Any: a forecast's arrays and a plan's cost and simulation were
        "from numpy.typing import NDArray\n"
        "from wfm.cost import PlanCost\n"
        "from wfm.simulation.run import SimulationReport\n"
        "assert_type(forecast.volume, NDArray[np.float64])\n"
        "assert_type(forecast.traffic_erlangs, NDArray[np.float64])\n"
        "assert_type(forecast.interval_start, NDArray[np.datetime64])\n"
        "assert_type(plan.cost, PlanCost | None)\n"
        "assert_type(plan.simulation, SimulationReport | None)\n"
        "try:\n"
        "    requirement.write('need.csv')\n"
        "except wfm.InputError as exc:\n"
        "    print(exc)\n")
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-incremental",
                           "--cache-dir", str(tmp_path / "cache"), str(script)],
                          capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "MYPYPATH": str(ROOT)})
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow  # forecasts from history three times: run by CI, skipped by -m 'not slow'
def test_forecast_from_history_names_its_parameters_not_wfm_forecasts_flags() -> None:
    """Its errors and warnings told a notebook to give --fallback baseline, --tz or --start: flags of the command,
    which a Python caller gives as fallback=, tz= and start= (the command's messages still name the flags)."""
    week = wfm.load_forecast(SAMPLES / "retail_voice_week_15min.csv")
    with pytest.raises(wfm.InputError, match='7 days of history; a weekly season needs at least two weeks \\(14 '
                                             'days\\); fallback="baseline" forecasts it with a baseline instead$'):
        wfm.forecast_from_history(week)
    history = wfm.forecast_from_arrays([f"2026-11-{d:02d}T{h:02d}:00:00+01:00" for d in range(2, 30) for h in (9, 10)],
                                       40, 300)
    with pytest.warns(wfm.ForecastWarning) as caught:
        wfm.forecast_from_history(history, horizon_days=1)
    assert [str(w.message) for w in caught] == [
        "<arrays>: queue 'default': its times carry the UTC offset +01:00 and no tz names the zone: the forecast "
        "keeps that offset on every day; give tz (such as America/Chicago) if the centre's clock changes for "
        "daylight saving time"]
    with pytest.raises(wfm.InputError, match="update the history, or give start nearer its end\\)$"):
        wfm.forecast_from_history(history, start=dt.date(2027, 6, 1), tz="Europe/Paris")


def test_forecast_from_history_names_its_special_days_parameter_in_an_outliers_warning() -> None:
    """An outlier day's warning told a notebook to list it in [forecast.special_days], a section of wfm.toml that
    forecast_from_history does not read: the caller gives special_days= (the command still names the section)."""
    days = [f"2026-11-{d:02d}T{h:02d}:00:00" for d in range(2, 30) for h in (9, 10)]
    volume = [400 if day.startswith("2026-11-18") else 40 for day in days]  # one Wednesday ten times the others
    history = wfm.forecast_from_arrays(days, volume, 300, tz="Europe/Paris")
    with pytest.warns(wfm.ForecastWarning) as caught:
        wfm.forecast_from_history(history, horizon_days=1)
    assert [str(w.message) for w in caught] == [
        "<arrays>: queue 'default': 2026-11-18 looks like an outlier (its total is far from the same weekday's in the "
        "weeks around it); left out of the fit (list it in special_days to say what it was)"]


@pytest.mark.slow  # a forecast, and the same forecast through the command
def test_forecast_from_history_is_wfm_forecasts_csv_read_back(tmp_path) -> None:
    history = wfm.load_forecast(SAMPLES / "history_8w_15min.csv")
    with pytest.warns(wfm.ForecastWarning, match="UTC offsets change") as caught:
        wfm.forecast_from_history(history, horizon_days=2)  # no zone: the history's last offset holds, said so
    assert {w.filename for w in caught} == {__file__}
    made = wfm.forecast_from_history(history, horizon_days=7, tz="America/Chicago")
    out = tmp_path / "next.csv"
    done = subprocess.run([sys.executable, "-m", "wfm", "forecast", str(SAMPLES / "history_8w_15min.csv"), "--tz",
                           "America/Chicago", "-o", str(out), "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    written = wfm.load_forecast(out)
    assert made.queue_names == written.queue_names and made.n_rows == written.n_rows == 472
    for name in ("queue", "interval_start", "utc_offset_s", "interval_s", "volume", "aht_s"):
        assert np.array_equal(getattr(made, name), getattr(written, name)), name
    for bad, message in (({"horizon_days": 0}, r"^horizon_days: expected a whole number of days from 1 to 728 \(two "
                                               r"years\), got 0$"),
                         ({"horizon_days": 10**7}, "^horizon_days: .*, got 10000000$"),  # was killed, out of memory
                         ({"level": 1.5}, "^level: expected a fraction above 0 and at most 0.999, got 1.5$"),
                         ({"fallback": "naive"}, "^fallback: expected None or 'baseline', got 'naive'$"),
                         ({"tz": "+05:00"}, "^tz must be a known IANA time zone name"),
                         ({"special_days": {dt.date(2026, 12, 1): 1e300}},  # hung in scipy's nbinom.ppf
                          'expected "closed" or a factor from 0 to 100, got 1e\\+300$')):
        with pytest.raises(wfm.ConfigError, match=message):
            wfm.forecast_from_history(history, **bad)
