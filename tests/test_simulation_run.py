"""`wfm simulate` end to end: the agents it simulates (a plan folder, a constant headcount, the sized
requirement), its outputs, determinism, and one-line errors for bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from wfm.cli import app
from wfm.simulation.compare import band, on_duty_per_interval

ROOT = Path(__file__).resolve().parents[1]
RETAIL = str(ROOT / "sample_forecasts" / "retail_voice_week_15min.csv")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_on_duty_agent_seconds_per_interval_are_exact() -> None:
    # two agents: 0-1800 s and 450-2250 s, intervals of 900 s from 0
    seconds = on_duty_per_interval(np.array([0.0, 450.0]), np.array([1800.0, 2250.0]),
                                   np.array([0.0, 900.0, 1800.0, 2700.0]), 900.0)
    np.testing.assert_allclose(seconds, [900 + 450, 900 + 900, 450, 0])


def test_confidence_band_is_student_t() -> None:
    values = np.array([[0.8, np.nan], [0.9, 0.5], [0.7, np.nan]])
    b = band(values)
    assert b.mean[0] == pytest.approx(0.8)
    half = 4.302652729911275 * 0.1 / np.sqrt(3)  # t(0.975, 2) x s / sqrt(3)
    assert (b.ci_low[0], b.ci_high[0]) == pytest.approx((0.8 - half, 0.8 + half))
    assert b.mean[1] == 0.5 and np.isnan(b.ci_low[1])  # one value: no interval


def test_plan_refuses_zero_replications_before_solving(tmp_path: Path) -> None:
    result = run("plan", RETAIL, "--out", str(tmp_path / "p"), "--simulate", "0")
    assert result.exit_code == 2 and "--simulate: expected a whole number from 1" in result.stderr
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("--agents", "10", "--replications", "0"), "--replications: expected a whole number from 1"),
    (("--agents", "10", "--volume-cv", "-0.1"), "--volume-cv: expected a coefficient of variation"),
    (("--agents", "10", "--aht-cv", "-1"), "--aht-cv: expected a coefficient of variation"),
    (("--agents", "10", "--aht-cv", "10.0000001"), "at most 10 (leave it out for exponential handle times), "
                                                    "got 10.0000001"),  # not rounded to 10
    ((), "choose the agents to simulate"),
    (("--agents", "3", "--from-size"), "choose the agents to simulate"),
])
def test_bad_options_are_one_line_errors(args: tuple[str, ...], message: str) -> None:
    result = run("simulate", RETAIL, *args)
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_library_names_its_parameters_not_the_flags(write_csv) -> None:
    """simulate_plan and simulate_forecast named wfm simulate's flags (--replications, --volume-cv, --plan DIR...)
    when called from Python; the command above still names them."""
    import wfm
    from wfm.simulation.run import simulate_forecast

    rows = "".join(f"2026-12-01T{8 + i // 4:02d}:{15 * (i % 4):02d}:00-06:00,20,300\n" for i in range(40))
    forecast, settings = wfm.load_forecast(write_csv("interval_start,volume,aht\n" + rows)), wfm.Settings()
    plan = wfm.make_plan(forecast, settings)
    for options, message in [({"replications": 0}, r"^replications: expected a whole number from 1 to 10,000, got 0$"),
                             ({"volume_cv": -0.1}, r"^volume_cv: expected a coefficient of variation from 0 to 10"),
                             ({"aht_cv": 0.0}, r"^aht_cv: expected a coefficient of variation more than 0"),
                             ({"seed": -1}, r"^seed: expected a whole number >= 0, got -1$")]:
        with pytest.raises(wfm.ConfigError, match=message):
            wfm.simulate_plan(plan, **options)
    with pytest.raises(wfm.ConfigError, match=r"^agents: expected a whole number of agents from 0 to"):
        simulate_forecast(forecast, settings, agents=-1)
    with pytest.raises(wfm.ConfigError, match=r"^choose the agents to simulate: plan, agents or from_size \(exactly"):
        simulate_forecast(forecast, settings)


@pytest.mark.slow  # plans a day (HiGHS) and simulates it: run by CI, skipped by -m 'not slow'
def test_arguments_of_the_wrong_type_are_type_errors_naming_them(write_csv) -> None:
    """A Forecast given for the plan was an AttributeError ('Forecast' object has no attribute 'requirement'),
    replications=5.0 a TypeError from inside numpy, seed=None "'<' not supported between 'NoneType' and 'int'";
    numpy integers are taken, and the report keeps them as Python's."""
    import wfm
    from wfm.simulation.run import simulate_forecast

    rows = "".join(f"2026-12-01T{8 + i // 4:02d}:{15 * (i % 4):02d}:00-06:00,20,300\n" for i in range(40))
    forecast, settings = wfm.load_forecast(write_csv("interval_start,volume,aht\n" + rows)), wfm.Settings()
    plan = wfm.make_plan(forecast, settings, tours=False)
    with pytest.raises(TypeError, match="^plan must be of type Plan, got Forecast$"):
        wfm.simulate_plan(forecast)  # type: ignore[arg-type]
    for options, message in [({"replications": 5.5}, "^replications must be a whole number \\(int\\), got float$"),
                             ({"replications": True}, "^replications must be a whole number \\(int\\), got bool$"),
                             ({"seed": None}, "^seed must be a whole number \\(int\\), got NoneType$"),
                             ({"volume_cv": "0.1"}, "^volume_cv must be a number, got str$"),
                             ({"aht_cv": "1"}, "^aht_cv must be a number, got str$")]:
        with pytest.raises(TypeError, match=message):
            wfm.simulate_plan(plan, **options)
    with pytest.raises(TypeError, match="^agents must be a whole number \\(int\\), got float$"):
        simulate_forecast(forecast, settings, agents=3.5)  # type: ignore[arg-type]
    report = wfm.simulate_plan(plan, replications=np.int64(2), seed=np.int32(3))  # type: ignore[arg-type]
    assert (report.replications, report.seed) == (2, 3) and type(report.replications) is type(report.seed) is int
    # a whole float (what np.ceil gives) or a 0-d array is a count: agents=12.0 ran before these checks came in
    again = wfm.simulate_plan(plan, replications=2.0, seed=np.array(3))  # type: ignore[arg-type]
    assert (again.replications, again.seed) == (2, 3) and type(again.replications) is type(again.seed) is int
    assert simulate_forecast(forecast, settings, agents=np.ceil(4.2), replications=2).checks[0].available.max() == 5


def test_a_run_too_large_to_hold_is_one_line_before_memory_runs_out(write_csv, monkeypatch) -> None:
    """Two quarter hours of 5,000,000 contacts each took 25 s and 1.15 GB, and more ended in 'out of memory', exit
    70: the engine holds a run's arrivals at once. Such a run is now refused up front."""
    from wfm.simulation import run as simulation_run

    monkeypatch.setattr(simulation_run, "MAX_CONTACTS_PER_RUN", 1_000)
    path = str(write_csv("queue,interval_start,volume,aht\n" + "".join(
        f"q,2026-11-30T{8 + i // 2:02d}:{30 * (i % 2):02d}:00-06:00,300,300\n" for i in range(4))))
    result = run("simulate", path, "--agents", "60", "-f", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"wfm: error: {path}: queue 'q': 1,200 contacts in one simulated run (from "
                             "2026-11-30T08:00), more than the simulator holds at once (1,000); simulate a shorter "
                             "forecast (a week) or one with fewer contacts\n")
    monkeypatch.setattr(simulation_run, "MAX_CONTACTS_PER_RUN", 1_200)  # at the limit: simulated
    assert run("simulate", path, "--agents", "60", "-f", "json", "--replications", "2").exit_code == 0


def test_one_replication_says_it_flags_nothing(write_csv) -> None:
    """One run has no spread to measure: the figures come without a band and nothing is flagged, which the report
    now says (a planner saw '0 of 56 flagged' and read it as agreement)."""
    path = str(write_csv("interval_start,volume,aht\n" + "".join(
        f"2026-11-30T{8 + i // 2:02d}:{30 * (i % 2):02d}:00-06:00,20,300\n" for i in range(8))))
    note = ("one replication gives no 95 % interval, so no figure is flagged against the formula: use 2 or more "
            "replications")
    result = run("simulate", path, "--agents", "4", "--replications", "1", "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["notes"] == [note]
    table = run("simulate", path, "--agents", "4", "--replications", "1", "-f", "table")
    assert "simulated (1 replication, 95 % intervals)" in table.stdout and f"note: {note}" in table.stdout
    assert json.loads(run("simulate", path, "--agents", "4", "--replications", "2", "-f", "json").stdout)["notes"] == []


def test_a_folder_that_is_not_a_plan(tmp_path: Path) -> None:
    result = run("simulate", RETAIL, "--plan", str(tmp_path))
    assert result.exit_code == 2 and "not a wfm plan folder: summary.json is missing" in result.stderr


def test_a_plan_of_other_queues(tmp_path: Path) -> None:
    (tmp_path / "summary.json").write_text(json.dumps({
        "week": "2026-W49", "queues": [{"queue": "nosuch", "shrinkage": {"remaining": 0.2}}],
        "rules": {"schedule": {"breaks": []}}, "inputs": {}}))
    (tmp_path / "shifts.csv").write_text("queue,day,start,end,length_h,paid_h,part_time,count,breaks\n"
                                         "nosuch,2026-11-30,2026-11-30T08:00,2026-11-30T16:00,8,8,false,3,\n")
    result = run("simulate", RETAIL, "--plan", str(tmp_path))
    assert result.exit_code == 2 and "the plan's queue 'nosuch' is not in" in result.stderr


def test_a_forecast_queue_the_plan_does_not_have_is_noted(write_csv, tmp_path: Path) -> None:
    """A plan of queue a simulated with a forecast of queues a and b showed queue a alone, b never mentioned (a plan
    queue missing from the forecast is an error)."""
    rows = [f"{q},2026-11-30T{8 + i // 2:02d}:{30 * (i % 2):02d}:00-06:00,{v},300\n"
            for q, v in (("default", 20), ("b", 10), ("c", 0)) for i in range(16)]
    path = str(write_csv("queue,interval_start,volume,aht\n" + "".join(rows), "two.csv"))
    plan = _plan_folder(tmp_path, "default,2026-11-30,2026-11-30T08:00,2026-11-30T16:00,8,8,false,8,,\n")
    result = run("simulate", path, "--plan", str(plan), "--replications", "2", "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [q["queue"] for q in document["queues"]] == ["default"]
    assert f"{plan}: queue 'b' of the forecast is not in the plan: not simulated" in document["notes"]
    assert not any("'c'" in note for note in document["notes"])  # a queue with no contacts: nothing left out
    assert f"wfm: note: {plan}: queue 'b' of the forecast is not in the plan: not simulated\n" in result.stderr


def test_a_queue_the_plan_staffs_with_no_one_is_simulated_with_no_agent(write_csv, tmp_path: Path) -> None:
    """A queue in summary.json with no row in shifts.csv (a plan of 0 headcount) was left out as 'not in the plan',
    days and intervals empty: it is simulated with no agent, every contact left waiting, as --agents 0 gives."""
    rows = [f"2026-11-30T{8 + i // 2:02d}:{30 * (i % 2):02d}:00-06:00,20,300\n" for i in range(16)]
    path = str(write_csv("interval_start,volume,aht\n" + "".join(rows), "some.csv"))
    plan = _plan_folder(tmp_path, "")
    with_plan = run("simulate", path, "--plan", str(plan), "--replications", "2", "-f", "json")
    assert with_plan.exit_code == 0, with_plan.output
    document = json.loads(with_plan.stdout)
    assert [q["queue"] for q in document["queues"]] == ["default"] and len(document["intervals"]) == 16
    assert not any("not in the plan" in note for note in document["notes"])
    no_one = json.loads(run("simulate", path, "--agents", "0", "--replications", "2", "-f", "json").stdout)
    assert document["queues"] == no_one["queues"] and document["intervals"] == no_one["intervals"]


def test_deferred_work_the_plan_staffs_with_no_one_is_said_so(write_csv, tmp_path: Path) -> None:
    """An e-mail queue in summary.json with no shift: the note said 'email work is not simulated without a plan'
    (there was a plan); it says the plan staffs no one for it."""
    rows = [f"mail,email,2026-11-30T{8 + i // 2:02d}:{30 * (i % 2):02d}:00-06:00,20,300\n" for i in range(16)]
    path = str(write_csv("queue,channel,interval_start,volume,aht\n" + "".join(rows), "mail.csv"))
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "summary.json").write_text(json.dumps({
        "week": "2026-W49", "queues": [{"queue": "mail", "shrinkage": {"remaining": 0.0}}],
        "rules": {"schedule": {"breaks": [], "cyclic": True}}, "inputs": {}}))
    (plan / "shifts.csv").write_text("queue,day,start,end,length_h,paid_h,part_time,count,breaks,tour\n")
    result = run("simulate", path, "--plan", str(plan), "--replications", "2", "-f", "json")
    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    assert f"{plan}: queue 'mail': the plan staffs no one for its email work: not simulated (none of it is " \
           "answered)" in notes and not any("without a plan" in note for note in notes)


def _small(write_csv) -> str:
    rows = "".join(f"2026-12-01T{8 + i // 4:02d}:{15 * (i % 4):02d}:00-06:00,{60 + 5 * (i % 7)},300\n" for i in range(16))
    return str(write_csv("interval_start,volume,aht\n" + rows))


def test_json_contract_and_byte_identical_reruns(write_csv, tmp_path: Path) -> None:
    path = _small(write_csv)
    first = run("simulate", path, "--agents", "35", "--replications", "8", "--seed", "7", "-f", "json")
    again = run("simulate", path, "--agents", "35", "--replications", "8", "--seed", "7", "-f", "json")
    other = run("simulate", path, "--agents", "35", "--replications", "8", "--seed", "8", "-f", "json")
    assert first.exit_code == 0, first.output
    assert first.stdout == again.stdout and first.stdout != other.stdout
    doc = json.loads(first.stdout)
    assert [d["day"] for d in doc["days"]] == ["2026-12-01"] and len(doc["intervals"]) == 16
    day = doc["days"][0]
    for name in ("service_level", "asa_s", "abandon_rate", "occupancy"):
        assert set(day[name]) == {"mean", "ci_low", "ci_high"} and name in day["formula"]
        assert day[name]["ci_low"] <= day[name]["mean"] <= day[name]["ci_high"]
    # 35 agents, 16 intervals of 60-90 calls x 300 s in 15 min (20-30 Erlangs): mostly answered in time,
    # near Erlang C's figure for the day
    assert 0.8 < day["service_level"]["mean"] <= 1.0 and day["abandon_rate"]["mean"] == 0.0
    assert abs(day["service_level"]["mean"] - day["formula"]["service_level"]) < 0.08
    assert doc["intervals"][0]["available"] == 35.0


def test_csv_has_a_row_per_interval_with_bands_and_formula(write_csv) -> None:
    result = run("simulate", _small(write_csv), "--agents", "25", "--replications", "4", "-f", "csv")
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.startswith("queue,interval_start,volume,available,service_level_mean,service_level_ci_low,"
                             "service_level_ci_high,asa_s_mean")
    assert "formula_service_level" in header and header.endswith("formula_outside") and len(rows) == 16


def test_more_agents_never_simulate_worse_on_the_same_arrivals(write_csv) -> None:
    # common random numbers: the same seed draws the same contacts, so more agents cannot answer fewer in time
    levels = []
    for n in (26, 28, 32):
        doc = json.loads(run("simulate", _small(write_csv), "--agents", str(n), "--replications", "5", "-f",
                             "json").stdout)
        levels.append(doc["days"][0]["service_level"]["mean"])
    assert levels == sorted(levels) and levels[0] < levels[-1]


def test_callers_waiting_at_closing_are_not_answered_the_next_morning(write_csv) -> None:
    rows = "".join(f"2026-12-0{d}T{8 + i // 4:02d}:{15 * (i % 4):02d}:00-06:00,200,300\n" for d in (1, 2)
                   for i in range(8))
    path = str(write_csv("interval_start,volume,aht\n" + rows))
    doc = json.loads(run("simulate", path, "--agents", "30", "--replications", "3", "-f", "json").stdout)
    # 67 Erlangs on 30 agents: hopelessly overloaded; the waits stay within the day (at most 2 hours)
    assert all(i["asa_s"]["mean"] is None or i["asa_s"]["mean"] < 2 * 3600 for i in doc["intervals"])


@pytest.mark.parametrize("model", ["erlang-c", "erlang-a"])
def test_a_plan_closes_the_queue_with_its_open_hours(write_csv, tmp_path: Path, model: str) -> None:
    # Monday and Tuesday 08:00-20:00, everyone gone by 17:00: the evening's callers are not answered by
    # Tuesday's 08:00 agents; with 60 s of patience they hang up long before closing, on the last day too
    rows = "".join(f"2026-{d}T{8 + i // 2:02d}:{30 * (i % 2):02d}:00-06:00,{1 if i >= 18 else 20},300\n"
                   for d in ("11-30", "12-01") for i in range(24))
    path = str(write_csv("interval_start,volume,aht\n" + rows))
    plan = _plan_folder(tmp_path, "".join(f"default,{d},{d}T{h:02d}:00,{d}T{h + 8:02d}:00,8,8,false,8,,\n"
                                          for d in ("2026-11-30", "2026-12-01") for h in (8, 9)))
    patience = ("--model", "erlang-a", "--patience", "60") if model == "erlang-a" else ()
    result = run("simulate", path, "--plan", str(plan), "--replications", "20", *patience, "-f", "json")
    assert result.exit_code == 0, result.output
    evening = [i for i in json.loads(result.stdout)["intervals"] if i["interval_start"][11:13] in ("17", "18", "19")]
    assert len(evening) == 12 and all(i["available"] == 0 for i in evening)
    for i in evening:
        assert i["asa_s"]["mean"] is None and i["service_level"]["mean"] == 0.0  # nobody answered
        if model == "erlang-a":  # they abandon, as the formula says they do with nobody on duty
            assert i["formula"]["abandon_rate"] == 1.0 and i["abandon_rate"]["mean"] > 0.9
            assert i["abandon_rate"]["ci_high"] == 1.0 and not i["formula_outside"]
        else:
            assert i["abandon_rate"]["mean"] == 0.0


@pytest.mark.parametrize("same_bytes", [True, False])
def test_a_plan_made_from_another_forecast_file_is_noted(write_csv, tmp_path: Path, same_bytes: bool) -> None:
    import hashlib

    rows = "".join(f"2026-11-30T{8 + i // 2:02d}:{30 * (i % 2):02d}:00-06:00,20,300\n" for i in range(16))
    text = "interval_start,volume,aht\n" + rows
    path = str(write_csv(text if same_bytes else text.replace(",20,", ",21,", 1), "renamed.csv"))
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "summary.json").write_text(json.dumps({
        "week": "2026-W49", "queues": [{"queue": "default", "shrinkage": {"remaining": 0.0}}],
        "rules": {"schedule": {"breaks": [], "cyclic": True}},
        "inputs": {"week.csv": hashlib.sha256(text.encode()).hexdigest()}}))
    (plan / "shifts.csv").write_text("queue,day,start,end,length_h,paid_h,part_time,count,breaks,tour\n"
                                     "default,2026-11-30,2026-11-30T08:00,2026-11-30T16:00,8,8,false,8,,\n")
    result = run("simulate", path, "--plan", str(plan), "--replications", "2", "-f", "json")
    assert result.exit_code == 0, result.output
    noted = "the plan was made from week.csv, not from renamed.csv (no input of the plan has its checksum)"
    notes = json.loads(result.stdout)["notes"]
    assert (f"{plan}: {noted}" in notes) is not same_bytes  # a copy under another name is the same forecast


def test_a_plan_made_with_another_config_is_noted_and_machine_formats_put_notes_on_stderr(write_csv,
                                                                                          tmp_path: Path) -> None:
    """summary.json names the wfm.toml the plan was made with: a run without it, or with other bytes, is noted (it
    simulates other targets and rules, and flags days against figures the plan never promised); the notes of a CSV
    run go to stderr (they were nowhere), a JSON run's to both."""
    import hashlib

    text = "interval_start,volume,aht\n" + "".join(
        f"2026-11-30T{8 + i // 2:02d}:{30 * (i % 2):02d}:00-06:00,20,300\n" for i in range(16))
    path = str(write_csv(text, "week.csv"))
    config = "[targets]\nservice_level = 0.9\n"
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "summary.json").write_text(json.dumps({
        "week": "2026-W49", "queues": [{"queue": "default", "shrinkage": {"remaining": 0.0}}],
        "rules": {"schedule": {"breaks": [], "cyclic": True}},
        "inputs": {"week.csv": hashlib.sha256(text.encode()).hexdigest(),
                   "wfm.toml": hashlib.sha256(config.encode()).hexdigest()}}))
    (plan / "shifts.csv").write_text("queue,day,start,end,length_h,paid_h,part_time,count,breaks,tour\n"
                                     "default,2026-11-30,2026-11-30T08:00,2026-11-30T16:00,8,8,false,8,,\n")
    same, other = tmp_path / "wfm.toml", tmp_path / "other" / "wfm.toml"
    other.parent.mkdir()
    same.write_text(config)
    other.write_text(config.replace("0.9", "0.8"))
    tail = ": its targets, models and rules may differ from the plan's (give the plan's --config to check the plan as it was made)"
    for flags, expected in (((), f"{plan}: the plan was made with wfm.toml, this run has no --config{tail}"),
                            (("--config", str(same)), None),
                            (("--config", str(other)), f"{plan}: the plan was made with wfm.toml, this run uses wfm.toml "
                                                       f"(checksums differ){tail}")):
        result = run("simulate", path, "--plan", str(plan), "--replications", "2", "-f", "json", *flags)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["notes"] == ([] if expected is None else [expected])
        csv_run = run("simulate", path, "--plan", str(plan), "--replications", "2", "-f", "csv", *flags)
        assert csv_run.exit_code == 0 and csv_run.stdout.startswith("queue,")
        assert csv_run.stderr == ("" if expected is None else f"wfm: note: {expected}\n")


@pytest.mark.slow
def test_simulating_a_plan_folder(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    assert run("plan", RETAIL, "--out", str(out), "--quiet", "--simulate", "5").exit_code == 0
    checked = json.loads((out / "summary.json").read_text())["simulation"]
    assert checked["replications"] == 5 and [len(q["days"]) for q in checked["queues"]] == [7]
    assert "Simulated service level by interval" in (out / "report.html").read_text()
    result = run("simulate", RETAIL, "--plan", str(out), "--replications", "5", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["days"]) == 7 and doc["queues"][0]["overrun_s_per_replication"] > 0  # shifts end mid-call
    summary = json.loads((out / "summary.json").read_text())
    planned = {d["day"]: d["service_level"] for d in summary["queues"][0]["days"]}
    for day in doc["days"]:  # the formula's day figure is the plan's own evaluation
        assert day["formula"]["service_level"] == pytest.approx(planned[day["day"]], abs=1e-3)


@pytest.mark.slow
def test_a_blended_program_is_simulated_with_its_deferred_work(tmp_path: Path) -> None:
    program = str(ROOT / "sample_forecasts" / "program_week_15min.csv")
    config = str(ROOT / "sample_forecasts" / "program_week.toml")
    out = tmp_path / "plan"
    assert run("plan", program, "--config", config, "--out", str(out), "--quiet", "--simulate", "4").exit_code == 0
    checked = json.loads((out / "summary.json").read_text())["simulation"]
    assert sorted(q["queue"] for q in checked["queues"]) == ["care_chat", "care_voice"]
    deferred = checked["deferred_days"]
    assert sorted({d["queue"] for d in deferred}) == ["care_email", "care_social"] and len(deferred) == 14
    for day in deferred:  # the plan's own figures are there to compare with, and the shares are shares
        assert day["formula"]["service_level"] is not None and day["formula"]["mean_response_s"] is not None
        assert 0.0 <= day["service_level"]["mean"] <= 1.0
    # the same check from the plan folder: the plan's day shares come from summary.json
    result = run("simulate", program, "--config", config, "--plan", str(out), "--replications", "4", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["deferred_days"]) == 14 and not doc["notes"]
    as_csv = run("simulate", program, "--config", config, "--plan", str(out), "--replications", "4", "-f", "csv")
    assert as_csv.exit_code == 0 and "care_email" not in as_csv.stdout  # one row per real-time interval
    assert as_csv.stderr == ("wfm: note: the deferred work's day checks (care_social, care_email) are not in the CSV, "
                             "which has one row per real-time interval: see --format json (deferred_days) or table\n")
    planned = {(d["queue"], d["day"]): d["formula"]["service_level"] for d in deferred}
    for day in doc["deferred_days"]:
        assert day["formula"]["service_level"] == pytest.approx(planned[(day["queue"], day["day"])], abs=1e-4)


def test_a_day_closed_over_lunch_draws_one_forecast_error_for_both_halves(write_csv, monkeypatch) -> None:
    """--volume-cv draws one factor per day: a queue open 08-12 and 13-17 (two stretches, simulated apart) gets
    the same factor morning and afternoon, so their contacts rise and fall together (each stretch drew its own:
    correlation 0, the day's spread understated)."""
    from wfm.config import Settings
    from wfm.forecast import load_forecast
    from wfm.simulation import engine
    from wfm.simulation.run import simulate_forecast

    day = np.datetime64("2026-11-30T08:00")
    rows = [f"q,{day + np.timedelta64(15 * i, 'm')}:00Z,100,180" for i in range(36) if not 16 <= i < 20]
    forecast = load_forecast(write_csv("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n"))
    offered = []
    real = engine.simulate

    def recording(*args, **kwargs):
        result = real(*args, **kwargs)
        offered.append(result.offered.sum(axis=1))
        return result

    monkeypatch.setattr(engine, "simulate", recording)
    simulate_forecast(forecast, Settings(), agents=40, replications=200, volume_cv=0.3)
    morning, afternoon = offered
    assert np.corrcoef(morning, afternoon)[0, 1] > 0.7
    day_total = morning + afternoon
    assert 0.22 < day_total.std(ddof=1) / day_total.mean() < 0.4  # about 0.3 (and the Poisson noise)


def test_the_plan_folders_files_are_never_written_over(write_csv, tmp_path: Path) -> None:
    rows = "".join(f"2026-11-30T{8 + i // 2:02d}:{30 * (i % 2):02d}:00-06:00,20,300\n" for i in range(16))
    path = str(write_csv("interval_start,volume,aht\n" + rows))
    plan = _plan_folder(tmp_path, "default,2026-11-30,2026-11-30T08:00,2026-11-30T16:00,8,8,false,8,,\n")
    before = {p.name: p.read_bytes() for p in plan.iterdir()}
    for name, fmt in (("summary.json", "json"), ("shifts.csv", "csv")):
        result = run("simulate", path, "--plan", str(plan), "--replications", "2", "-f", fmt, "-o", str(plan / name))
        assert result.exit_code == 2, result.output
        assert result.stderr == f"wfm: error: {plan / name}: is an input of this run; refusing to write over it " \
                                "(choose another output file)\n"
    assert {p.name: p.read_bytes() for p in plan.iterdir()} == before
    for _ in range(2):  # a new file beside them is fine, and so is writing it again on a rerun
        result = run("simulate", path, "--plan", str(plan), "--replications", "2", "-f", "csv", "-o",
                     str(plan / "sim.csv"))
        assert result.exit_code == 0, result.output


def _plan_folder(tmp_path: Path, shift_rows: str) -> Path:
    """A minimal plan folder of queue ``default`` for week 2026-W49 (no breaks, no shrinkage) with ``shift_rows``."""
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "summary.json").write_text(json.dumps({
        "week": "2026-W49", "queues": [{"queue": "default", "shrinkage": {"remaining": 0.0}}],
        "rules": {"schedule": {"breaks": [], "cyclic": True}}, "inputs": {}}))
    (plan / "shifts.csv").write_text("queue,day,start,end,length_h,paid_h,part_time,count,breaks,tour\n" + shift_rows)
    return plan


@pytest.mark.slow
def test_the_readme_reading_of_the_retail_plan_is_what_2000_replications_give(tmp_path: Path) -> None:
    """The README's "What it finds on the retail plan" quotes a seeded 2,000-replication run: its counts of
    intervals where formula and simulation part ways, and its Thursday 11:15 example, are checked here."""
    out = tmp_path / "plan"
    assert run("plan", RETAIL, "--out", str(out), "--quiet").exit_code == 0
    result = run("simulate", RETAIL, "--plan", str(out), "--replications", "2000", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    outside = [i for i in doc["intervals"] if "service_level" in i["formula_outside"]]
    worse = [i for i in outside if i["formula"]["service_level"] > i["service_level"]["ci_high"]]
    thursday = next(i for i in doc["intervals"] if i["interval_start"] == "2026-12-03T11:15:00-06:00")
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert (f"part ways in {len(outside)} of the {len(doc['intervals'])} intervals, and in {len(worse)} of them the "
            "simulation is worse") in readme
    assert (f"Erlang C says {100 * thursday['formula']['service_level']:.1f} % answered within 30 s and the simulation "
            f"{100 * thursday['service_level']['mean']:.1f} % (ASA {thursday['asa_s']['mean']:.0f} s against "
            f"{thursday['formula']['asa_s']:.1f} s)") in readme


def _flat_week(write_csv, volume: float, aht: float, hours: range = range(24), days: int = 7) -> str:
    """A flat forecast of 30-minute intervals over ``hours`` of each of ``days`` days from Monday 2026-11-30, UTC."""
    rows = [f"2026-{11 + (30 + d > 30):02d}-{(29 + d) % 30 + 1:02d}T{h:02d}:{m:02d}:00+00:00,{volume:g},{aht:g}\n"
            for d in range(days) for h in hours for m in (0, 30)]
    return str(write_csv("interval_start,volume,aht\n" + "".join(rows)))


@pytest.mark.slow  # simulates a week: run by CI, skipped by -m 'not slow'
def test_a_queue_open_around_the_clock_starts_its_week_as_it_ends_it(write_csv) -> None:
    """A 24/7 week wraps round: Monday 00:00 starts with Sunday night's callers waiting, not with an empty queue.
    At 83 % occupancy (24 agents on 20 Erlangs, answered within 20 s: Erlang C 77.2 %) Monday's first half hour
    simulated 90.3 % from an empty start (200 replications); now it reads like the rest of the week."""
    path = _flat_week(write_csv, 120, 300)
    result = run("simulate", path, "--agents", "24", "--answer-within", "20", "--replications", "200", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    formula = doc["intervals"][0]["formula"]["service_level"]
    assert formula == pytest.approx(0.7717, abs=1e-4)
    first_hour = [i["service_level"]["mean"] for i in doc["intervals"][:2]]
    assert all(abs(level - formula) < 0.03 for level in first_hour), first_hour
    monday = doc["days"][0]["service_level"]
    assert monday["ci_low"] <= formula <= monday["ci_high"]


@pytest.mark.slow  # simulates a week: run by CI, skipped by -m 'not slow'
def test_a_queue_open_around_the_clock_ends_its_week_as_it_starts_it(write_csv) -> None:
    """Sunday's last callers are answered by Monday's agents, as in a week that wraps round, not dropped at a
    closing a 24/7 queue never has. At 90 % occupancy (3 agents on 2.7 Erlangs, 15-minute intervals: Erlang C's
    ASA 817 s, longer than an interval) the last interval's ASA read 158 s (74-340) and the last hour's 464 s."""
    t0 = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    path = write_csv("interval_start,volume,aht\n" + "".join(
        f"{(t0 + dt.timedelta(minutes=15 * i)).isoformat()},8.1,300\n" for i in range(672)))
    result = run("simulate", str(path), "--agents", "3", "--answer-within", "20", "--replications", "100", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    formula = doc["intervals"][-1]["formula"]["asa_s"]
    assert formula == pytest.approx(817.06, abs=0.01)
    last = doc["intervals"][-1]["asa_s"]
    assert last["ci_low"] <= formula <= last["ci_high"]
    last_hour = np.mean([i["asa_s"]["mean"] for i in doc["intervals"][-4:]])
    assert abs(last_hour / formula - 1) < 0.25, last_hour


def test_only_a_queue_open_around_the_clock_for_whole_weeks_wraps_round(write_csv) -> None:
    """Open 08:00-18:00, each morning starts with nobody waiting (the night is a real closing); two days around the
    clock are not a week that repeats. A whole week from Monday 00:00 takes its Sunday as the day before."""
    from wfm.forecast import load_forecast
    from wfm.simulation.run import _day_before

    path = _flat_week(write_csv, 120, 300, hours=range(8, 18))
    forecast = load_forecast(path)
    assert _day_before(forecast.local_start, np.arange(20), 1800.0) is None
    around = load_forecast(_flat_week(write_csv, 120, 300, days=2))
    assert _day_before(around.local_start, np.arange(96), 1800.0) is None  # two days: not a week
    week = load_forecast(_flat_week(write_csv, 120, 300))
    before = _day_before(week.local_start, np.arange(336), 1800.0)
    assert before is not None and before.tolist() == list(range(288, 336))  # Sunday, as the day before Monday


def test_contacts_left_waiting_at_a_wrapped_weeks_end_are_the_weeks_own(write_csv) -> None:
    """With no agent every contact of a 24/7 week is left waiting: 1,680 of 10 an hour. The count took in the
    warm-up day's too (Sunday simulated again before Monday): 1,922.5, more than the week offered."""
    rows = [f"2026-{11 + (d > 0):02d}-{30 if d == 0 else d:02d}T{h:02d}:00:00+00:00,10,300\n"
            for d in range(7) for h in range(24)]
    path = str(write_csv("interval_start,volume,aht\n" + "".join(rows)))
    result = run("simulate", path, "--agents", "0", "--replications", "10", "-f", "json")
    assert result.exit_code == 0, result.output
    left = json.loads(result.stdout)["queues"][0]["unfinished_per_replication"]
    assert abs(left - 1680) < 60, left  # the mean of 10 weeks of Poisson arrivals: sd 13
