"""`wfm forecast` and `wfm backtest` end to end: the CSV wfm size reads, errors exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import SAMPLES
from forecasting_synth import synth
from typer.testing import CliRunner

from wfm.cli import app


def wfm(*args: str) -> SimpleNamespace:
    """The command in process (as tests/test_cli.py runs it): its exit code, stdout and stderr."""
    result = CliRunner().invoke(app, list(args))
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


@pytest.fixture
def history(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(synth(weeks=8)[0])
    return path


def test_forecast_writes_a_csv_wfm_size_reads(history, tmp_path):
    out = tmp_path / "next.csv"
    run = wfm("forecast", str(history), "--horizon", "1w", "-o", str(out))
    assert run.returncode == 0, run.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == "queue,interval_start,volume,aht,volume_lo,volume_hi"
    assert len(lines) == 1 + 5 * 48 and lines[1].startswith("q,2026-11-02T08:00:00+00:00,")
    again = tmp_path / "again.csv"
    assert wfm("forecast", str(history), "-o", str(again)).returncode == 0
    assert again.read_bytes() == out.read_bytes()  # deterministic
    sized = wfm("size", str(out), "-f", "csv", "-q")
    assert sized.returncode == 0, sized.stderr
    assert len(sized.stdout.splitlines()) == len(lines)


@pytest.mark.parametrize("name", ["next.json", "next.XLSX"])
def test_an_output_named_as_json_or_a_workbook_is_refused_not_filled_with_csv(history, tmp_path, name):
    """`-o next.json` wrote CSV text into next.json (wfm size writes JSON there), and `-o next.xlsx` a file wfm
    size then failed to open as a workbook."""
    out = tmp_path / name
    run = wfm("forecast", str(history), "-o", str(out))
    assert run.returncode == 2 and not out.exists()
    assert run.stderr == (f"wfm: error: --output {out}: wfm forecast writes a forecast CSV (what wfm size and wfm "
                          "plan read); name the file .csv\n")


def test_forecast_start_and_four_weeks(history):
    run = wfm("forecast", str(history), "--horizon", "4w", "--start", "2026-11-09")
    assert run.returncode == 0, run.stderr
    rows = run.stdout.splitlines()[1:]
    assert len(rows) == 20 * 48 and rows[0].startswith("q,2026-11-09T08:00:00")


def test_a_horizon_of_closed_days_is_an_error_not_a_header_alone(history, tmp_path):
    """A weekend of a Monday-to-Friday centre wrote a header alone, exit 0, which wfm size and wfm plan then refuse:
    a cron job's forecast step passed and its plan step failed."""
    out = tmp_path / "weekend.csv"
    run = wfm("forecast", str(history), "--start", "2026-10-31", "--horizon", "2d", "-o", str(out))
    assert run.returncode == 2 and not out.exists()
    assert run.stderr == ("wfm: error: --start, --horizon: every queue is closed from 2026-10-31 to 2026-11-01 (as the "
                          "history's last weeks, and [forecast.special_days] in --config, have it): no interval to "
                          "forecast; nothing written\n")


@pytest.mark.parametrize("horizon", ["0w", "-1w", "0d", "soon"])
def test_bad_horizon_is_one_line_exit_2(history, horizon):
    run = wfm("forecast", str(history), "--horizon", horizon)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and "--horizon" in run.stderr


def test_short_history_names_the_queue(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text(synth(weeks=1)[0])
    run = wfm("forecast", str(path))
    assert run.returncode == 2 and "queue 'q'" in run.stderr and "two weeks" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_special_days_from_config(history, tmp_path):
    config = tmp_path / "wfm.toml"
    config.write_text('[forecast.special_days]\n"2026-11-02" = "closed"\n"2026-11-03" = 1.3\n')
    run = wfm("forecast", str(history), "--config", str(config))
    assert run.returncode == 0, run.stderr
    assert "2026-11-02T" not in run.stdout and "2026-11-03T" in run.stdout
    config.write_text('[forecast.special_days]\n"2026-11-02" = "shut"\n')
    bad = wfm("forecast", str(history), "--config", str(config))
    assert bad.returncode == 2 and "special_days" in bad.stderr


def test_backtest_json(history):
    run = wfm("backtest", str(history), "--weeks", "3", "--lead", "1w", "-f", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    total = data["total"]
    assert total["model_wape"] < total["seasonal_naive_wape"]
    assert 0.6 < total["coverage"] <= 1.0
    assert len(data["weeks_evaluated"]) == 3


@pytest.mark.slow  # runs the console script: run by CI, skipped by -m 'not slow'
def test_help_does_not_import_the_forecasting_package():
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "wfm", "--help"], capture_output=True, text=True)
    assert run.returncode == 0
    assert "wfm.forecasting" not in run.stderr and "statsmodels" not in run.stderr


@pytest.mark.slow  # a forecast in a new interpreter
def test_forecast_imports_neither_scipy_stats_nor_statsmodels(tmp_path):
    """scipy.stats took 1.2 s of a 2 s ``wfm forecast`` for two quantiles that scipy.special has."""
    history = str(SAMPLES / "history_8w_15min.csv")
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "wfm", "forecast", history, "--tz", "America/Chicago",
                          "-o", str(tmp_path / "next.csv"), "-q"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-500:]
    assert "wfm.forecasting.model" in run.stderr
    assert "scipy.stats" not in run.stderr and "statsmodels" not in run.stderr


def _short_queue(name: str, first_day: str, days: tuple[str, ...], seed: int = 2) -> str:
    """Rows of a queue ``name`` (from a one-week synthetic history starting ``first_day``) on ``days`` only."""
    rows = synth(weeks=1, first=first_day, seed=seed)[0].splitlines()[1:]
    return "".join(f"{name}{r[1:]}\n" for r in rows if r.split(",")[1][:10] in days)


@pytest.fixture
def mixed(tmp_path):
    """Eight weeks of queue q; 'new' with one week (Mon-Fri 19-23 Oct); 'tiny' with two days (29-30 Oct)."""
    text = synth(weeks=8)[0]
    text += _short_queue("new", "2026-10-19", tuple(f"2026-10-{d}" for d in range(19, 24)))
    text += _short_queue("tiny", "2026-10-26", ("2026-10-29", "2026-10-30"))
    path = tmp_path / "mixed.csv"
    path.write_text(text)
    return path


def test_short_queue_without_fallback_is_one_line_naming_it(mixed, tmp_path):
    out = tmp_path / "next.csv"
    run = wfm("forecast", str(mixed), "-o", str(out))
    assert run.returncode == 2 and not out.exists()
    assert len(run.stderr.strip().splitlines()) == 1
    assert "queue 'new'" in run.stderr and "two weeks" in run.stderr and "--fallback baseline" in run.stderr


def test_short_queue_with_fallback_uses_a_baseline_with_a_warning(mixed, tmp_path):
    out = tmp_path / "next.csv"
    run = wfm("forecast", str(mixed), "--fallback", "baseline", "-o", str(out))
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("wfm: warning:") and "not the model" in line]
    assert len(warnings) == 2
    assert "queue 'new'" in warnings[0] and "seasonal-naive baseline" in warnings[0]
    # 'new' ends weeks before the forecast starts: said too
    assert any("queue 'new': its history ends" in line for line in run.stderr.splitlines())
    assert "queue 'tiny'" in warnings[1] and "last day's intervals (2026-10-30) repeated" in warnings[1]
    rows = [line.split(",") for line in out.read_text().splitlines()[1:]]
    by_queue = {q: [r for r in rows if r[0] == q] for q in ("q", "new", "tiny")}
    assert len(by_queue["q"]) == 5 * 48  # the model, as without the short queues
    assert len(by_queue["new"]) == 5 * 48 and by_queue["new"][0][1] == "2026-11-02T08:00:00+00:00"  # Mon-Fri
    # seasonal naive: Monday 2 Nov is Monday 19 Oct's counts
    monday = synth(weeks=1, first="2026-10-19", seed=2)[0].splitlines()[1]
    assert float(by_queue["new"][0][2]) == float(monday.split(",")[2])
    assert len(by_queue["tiny"]) == 7 * 48  # under a week: the last day on every day, weekends included
    assert {r[1][:10] for r in by_queue["tiny"]} == {f"2026-{d}" for d in
                                                     ("10-31", "11-01", "11-02", "11-03", "11-04", "11-05", "11-06")}
    assert all(int(r[4]) <= float(r[2]) <= int(r[5]) for r in by_queue["tiny"])
    alone = tmp_path / "q.csv"
    alone.write_text(synth(weeks=8)[0])
    q_only = wfm("forecast", str(alone))
    assert q_only.stdout.splitlines()[1:] == [",".join(r) for r in by_queue["q"]]


def test_fallback_bad_value_and_quiet(mixed):
    bad = wfm("forecast", str(mixed), "--fallback", "naive")
    assert bad.returncode == 2 and "--fallback" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    quiet = wfm("forecast", str(mixed), "--fallback", "baseline", "-q")
    assert quiet.returncode == 0 and "warning" not in quiet.stderr


def test_fallback_with_no_history_before_the_start_is_an_error(history):
    run = wfm("forecast", str(history), "--fallback", "baseline", "--start", "2026-09-01")
    assert run.returncode == 2 and "queue 'q'" in run.stderr and "no history before 2026-09-01" in run.stderr


def test_a_forecast_far_after_the_history_is_refused_not_zero(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(synth(weeks=8)[0])  # ends 2026-11-01
    out = tmp_path / "next.csv"
    run = wfm("forecast", str(path), "--start", "2027-03-01", "-o", str(out))
    assert run.returncode == 2 and not out.exists()
    assert "its history ends" in run.stderr and "at most 8 weeks" in run.stderr
    near = wfm("forecast", str(path), "--start", "2026-11-16", "-o", str(out))
    assert near.returncode == 0 and "carries its last level forward" in near.stderr
    assert wfm("forecast", str(path), "--horizon", "200w").returncode == 2


def test_a_quiet_queue_keeps_every_open_interval_and_a_level_change_is_kept(tmp_path):
    import numpy as np

    text, _, _, _ = synth(weeks=8, level=40.0)  # about 0.5 calls per quarter hour: many listed zeros
    path = tmp_path / "quiet.csv"
    path.write_text(text)
    out = tmp_path / "next.csv"
    assert wfm("forecast", str(path), "-o", str(out)).returncode == 0
    rows = out.read_text().splitlines()[1:]
    assert len(rows) == 5 * 48  # Monday to Friday, 08:00-20:00: every listed slot, quiet or not
    # the last two weeks at 1.7 times the level: a level change, not outliers
    cut = "2026-10-19"
    level, _, _, _ = synth(weeks=8)
    path.write_text(level.splitlines()[0] + "\n" + "\n".join(
        f"{q},{s},{round(int(v) * 1.7) if s >= cut else v},{a}"
        for row in level.splitlines()[1:] for q, s, v, a in [row.split(",")]) + "\n")
    run = wfm("forecast", str(path), "-o", str(out))
    assert run.returncode == 0 and "outlier" not in run.stderr
    volume = np.array([float(r.split(",")[2]) for r in out.read_text().splitlines()[1:]])
    path.write_text(level)
    assert wfm("forecast", str(path), "-o", str(out)).returncode == 0
    plain = np.array([float(r.split(",")[2]) for r in out.read_text().splitlines()[1:]])
    assert volume.sum() > 1.3 * plain.sum()  # the forecast follows the new level


def test_a_partial_last_day_is_left_out_of_the_fit_with_a_warning(tmp_path):
    """Actuals exported at noon by a cron job: the last day's total is half a day's. It is named in a warning
    and left out, so the forecast is the one the history without that day gives."""
    text = synth(weeks=8)[0]
    lines = text.splitlines()
    last_day = lines[-1].split(",")[1][:10]
    cut = [r for r in lines if not (r.split(",")[1].startswith(last_day) and r.split(",")[1][11:13] >= "12")]
    without = [r for r in lines if not r.split(",")[1].startswith(last_day)]
    outputs = []
    for name, rows in (("partial", cut), ("without", without)):
        path, out = tmp_path / f"{name}.csv", tmp_path / f"{name}-next.csv"
        path.write_text("\n".join(rows) + "\n")
        run = wfm("forecast", str(path), "--start", "2026-11-02", "-o", str(out))
        assert run.returncode == 0, run.stderr
        outputs.append((run.stderr, out.read_text()))
    (warned, partial), (_, expected) = outputs
    assert f"the history's last day, {last_day}, ends at 12:00, before its usual close at 20:00" in warned
    assert "outlier" not in warned
    assert partial == expected


def test_offsets_that_change_without_a_zone_are_named_in_a_warning(tmp_path):
    """A history across a clock change (its offsets say so) forecast without --tz keeps the last offset: the
    warning says so and asks for --tz; with --tz there is nothing to warn about."""
    text = synth(weeks=8)[0]
    rows = text.splitlines()
    shifted = [rows[0]] + [r.replace("+00:00", "+01:00") if r.split(",")[1] >= "2026-10-19" else r for r in rows[1:]]
    path, out = tmp_path / "history.csv", tmp_path / "next.csv"
    path.write_text("\n".join(shifted) + "\n")
    run = wfm("forecast", str(path), "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert "queue 'q': its UTC offsets change (+00:00, +01:00" in run.stderr and "give --tz" in run.stderr
    assert out.read_text().splitlines()[1].split(",")[1].endswith("+01:00")  # the last offset, held
    zoned = wfm("forecast", str(path), "--tz", "Europe/Paris", "-o", str(out))
    assert zoned.returncode == 0, zoned.stderr
    assert "UTC offsets change" not in zoned.stderr
    # two queues in two fixed zones: each keeps its own offset, which is right; nothing to warn about
    london = [r.replace("q,", "london,", 1) for r in rows[1:]]
    chicago = [r.replace("q,", "chicago,", 1).replace("+00:00", "-06:00") for r in rows[1:]]
    path.write_text("\n".join([rows[0], *london, *chicago]) + "\n")
    two = wfm("forecast", str(path), "-o", str(out))
    assert two.returncode == 0 and "UTC offsets change" not in two.stderr, two.stderr


def test_an_export_of_busy_intervals_only_is_not_taken_for_a_partial_day(tmp_path):
    """Rows only for intervals with contacts: a quiet evening moves the last row of each day, and a complete
    last day that ends a quarter hour before an earlier week's last row is not 'partial'."""
    for seed in range(1, 40):
        text = synth(weeks=6, seed=seed, level=300.0)[0]
        rows = [r for r in text.splitlines()[1:] if r.split(",")[2] != "0"]
        last_of_day: dict[str, str] = {}
        for r in rows:
            last_of_day[r.split(",")[1][:10]] = r.split(",")[1][11:16]
        last = max(last_of_day)
        weeks_before = [str(np.datetime64(last) - np.timedelta64(7 * k, "D")) for k in range(1, 5)]
        if last_of_day[last] < max(last_of_day.get(d, "") for d in weeks_before):
            break  # the last day ends before an earlier same weekday's last row: the case in question
    else:
        pytest.fail("no seed gave the case")
    path = tmp_path / "busy_only.csv"
    path.write_text("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n")
    run = wfm("forecast", str(path), "-o", str(tmp_path / "next.csv"))
    assert run.returncode == 0, run.stderr
    assert "partial day" not in run.stderr


def test_backtest_csv_quotes_queue_names_as_the_forecast_csv_does(tmp_path):
    # a queue name with a quote but no comma was written bare ('"VIP" line' read back as 'VIP line'): now quoted
    # as wfm forecast quotes it, whenever CSV needs it (a name with a line break is refused when the file is read)
    import csv
    import io

    names = ['"VIP" line', 'Sales "EU", north', "plain"]
    body = io.StringIO()
    writer = csv.writer(body, lineterminator="\n")
    writer.writerow(["queue", "interval_start", "volume", "aht"])
    for seed, name in enumerate(names, start=1):
        rows = synth(weeks=8, seed=seed)[0].splitlines()[1:]
        writer.writerows([name, *row.split(",")[1:]] for row in rows)
    path = tmp_path / "history.csv"
    path.write_text(body.getvalue())
    run = wfm("backtest", str(path), "--weeks", "2", "-f", "csv")
    assert run.returncode == 0, run.stderr
    read = list(csv.reader(io.StringIO(run.stdout, newline="")))
    assert [r[0] for r in read] == ["queue", *sorted(names), "all"]
    assert {len(r) for r in read} == {len(read[0])}
    lines = run.stdout.splitlines()
    assert '"""VIP"" line",' in run.stdout and '"Sales ""EU"", north",' in run.stdout
    assert any(line.startswith("plain,") for line in lines)  # a name CSV need not quote stays bare


def _flat(text: str) -> str:
    """Help text with its box drawing and line breaks folded into single spaces."""
    return " ".join(text.replace("│", " ").split())


def test_two_business_weeks_are_enough_history_and_13_days_of_a_daily_queue_are_not(tmp_path):
    # Monday 7 to Friday 18 September, a Monday-to-Friday queue: its second weekend is closed like the first,
    # so the history spans two weeks up to the forecast's Saturday origin (it was refused as 12 days)
    path, out = tmp_path / "two_weeks.csv", tmp_path / "next.csv"
    path.write_text(synth(weeks=2)[0])
    run = wfm("forecast", str(path), "-o", str(out))
    assert run.returncode == 0, run.stderr
    rows = out.read_text().splitlines()[1:]
    assert len(rows) == 5 * 48 and rows[0].startswith("q,2026-09-21T08:00:00+00:00,")
    assert wfm("forecast", str(path), "--start", "2026-09-21").returncode == 0
    friday = wfm("forecast", str(path), "--start", "2026-09-18")  # eleven days before it: too few
    assert friday.returncode == 2 and "11 days of history before 2026-09-18" in friday.stderr
    # 13 calendar days of a queue open every day are still too few; 14 are enough
    daily = synth(weeks=2, weekend=True)[0].splitlines()
    path.write_text("\n".join(r for r in daily if not r.split(",")[1].startswith("2026-09-20")) + "\n")
    short = wfm("forecast", str(path))
    assert short.returncode == 2 and "queue 'q': 13 days of history; a weekly season needs" in short.stderr
    path.write_text("\n".join(daily) + "\n")
    assert wfm("forecast", str(path)).returncode == 0


def test_backtest_folds_judge_the_history_before_them_as_forecast_does(tmp_path):
    path = tmp_path / "three_weeks.csv"
    path.write_text(synth(weeks=3)[0])  # Monday to Friday, 7 to 25 September: one week after two whole weeks
    run = wfm("backtest", str(path), "--weeks", "1", "-f", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["weeks_evaluated"][0]["week_start"] == "2026-09-19"
    two = wfm("backtest", str(path), "--weeks", "2", "-f", "json")
    assert two.returncode == 2 and "19 days of history are too few to backtest 2 weeks" in two.stderr
    daily = synth(weeks=3, weekend=True)[0].splitlines()  # a daily queue: 20 days leave 13 before the week
    path.write_text("\n".join(r for r in daily if not r.split(",")[1].startswith("2026-09-27")) + "\n")
    short = wfm("backtest", str(path), "--weeks", "1")
    assert short.returncode == 2 and "20 days of history are too few to backtest 1 week at" in short.stderr


def test_the_history_channel_is_carried_into_the_forecast_and_sized_by_it(tmp_path):
    text = synth(weeks=4)[0].splitlines()
    path, out = tmp_path / "email.csv", tmp_path / "next.csv"
    path.write_text("queue,channel,interval_start,volume,aht\n"
                    + "".join(f"{r.split(',', 1)[0]},Email,{r.split(',', 1)[1]}\n" for r in text[1:]))
    run = wfm("forecast", str(path), "-o", str(out))
    assert run.returncode == 0, run.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == "queue,channel,interval_start,volume,aht,volume_lo,volume_hi"
    assert {line.split(",")[1] for line in lines[1:]} == {"email"}
    sized = wfm("size", str(out), "-f", "csv", "-q")
    assert sized.returncode == 0, sized.stderr
    rows = sized.stdout.splitlines()
    assert rows[0].startswith("queue,channel,") and len(rows) == len(lines)
    assert {r.split(",")[1] for r in rows[1:]} == {"email"}
    # the same history without the column: the columns as before, sized as voice
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join(text) + "\n")
    voice = wfm("forecast", str(plain))
    assert voice.stdout.splitlines()[0] == "queue,interval_start,volume,aht,volume_lo,volume_hi"
    assert [r.split(",", 2)[2] for r in lines[1:]] == [r.split(",", 1)[1] for r in voice.stdout.splitlines()[1:]]


def test_a_queue_without_a_channel_beside_one_with_is_left_blank(tmp_path):
    rows = synth(weeks=4)[0].splitlines()[1:]
    path = tmp_path / "mixed.csv"
    path.write_text("queue,channel,interval_start,volume,aht\n"
                    + "".join(f"chat,chat,{r.split(',', 1)[1]}\nphone,,{r.split(',', 1)[1]}\n" for r in rows))
    run = wfm("forecast", str(path))
    assert run.returncode == 0, run.stderr
    channels = {tuple(r.split(",")[:2]) for r in run.stdout.splitlines()[1:]}
    assert channels == {("chat", "chat"), ("phone", "")}


def test_fallback_under_a_week_keeps_the_intervals_listed_with_0_contacts(tmp_path):
    path = tmp_path / "quiet.csv"
    path.write_text("queue,interval_start,volume,aht\n" + "".join(
        f"small,{day}T{hour:02d}:00:00+00:00,{0 if hour in (8, 11) else 3},300\n"
        for day in ("2026-09-07", "2026-09-08") for hour in range(8, 12)))
    run = wfm("forecast", str(path), "--fallback", "baseline", "--horizon", "2d")
    assert run.returncode == 0, run.stderr
    rows = [r.split(",") for r in run.stdout.splitlines()[1:]]
    assert [r[1][:13] for r in rows] == [f"2026-09-{d}T{h:02d}" for d in ("09", "10") for h in range(8, 12)]
    assert [(r[2], r[4], r[5]) for r in rows if r[1][11:13] in ("08", "11")] == [("0.00", "0", "0")] * 4
    assert all(float(r[2]) == 3 for r in rows if r[1][11:13] in ("09", "10"))
    assert "2 days of history before 2026-09-09" in run.stderr


@pytest.mark.parametrize("level", ["1.5", "nan", "0", "1", "-1", "0.9999999999999999"])
def test_interval_level_is_checked_alike_by_forecast_and_backtest(history, level):
    runs = [wfm("forecast", str(history), "--interval-level", level),
            wfm("backtest", str(history), "--weeks", "2", "--interval-level", level, "-f", "json")]
    for run in runs:
        assert run.returncode == 2 and run.stdout == ""
        assert run.stderr.strip().splitlines() == [
            f"wfm: error: --interval-level: expected a fraction above 0 and at most 0.999, got {level}"]  # as typed


def test_forecast_and_backtest_lay_the_history_out_on_the_zone_without_the_loaders_warning(history):
    """The loader warns that --tz was not used for a file with UTC offsets; wfm forecast and backtest use it (a UTC
    export is laid out on the zone's clock), so that warning would be wrong there."""
    assert "is not used" in wfm("validate", str(history), "--tz", "America/Chicago").stderr  # a UTC history
    runs = [wfm("forecast", str(history), "--tz", "America/Chicago"),
            wfm("backtest", str(history), "--weeks", "2", "--tz", "America/Chicago", "-f", "json")]
    for run in runs:
        assert run.returncode == 0 and "is not used" not in run.stderr, run.stderr


def test_backtest_names_its_flags(history):
    """The library names its parameters (weeks, lead_days); the command still names its flags."""
    for args, message in [(("--weeks", "0"), "--weeks: expected a positive number of weeks, got 0"),
                          (("--lead", "3d"), "--lead: expected at least a week (7 days), got 3 days")]:
        run = wfm("backtest", str(history), *args, "-f", "json")
        assert run.returncode == 2 and run.stdout == ""
        assert run.stderr.strip().splitlines() == [f"wfm: error: {message}"]


def test_the_widest_interval_level_gives_whole_finite_bounds(history):
    run = wfm("forecast", str(history), "--interval-level", "0.999")
    assert run.returncode == 0, run.stderr
    rows = [r.split(",") for r in run.stdout.splitlines()[1:]]
    assert all(0 <= int(r[4]) <= float(r[2]) <= int(r[5]) < 10 * float(r[2]) + 20 for r in rows)
    back = wfm("backtest", str(history), "--weeks", "2", "--interval-level", "0.999", "-f", "json")
    assert back.returncode == 0 and json.loads(back.stdout)["interval_level"] == 0.999


@pytest.mark.slow  # five backtests with a page
@pytest.mark.parametrize("page, output", [("page.html", "nodir/x.csv"), ("nodir/page.html", "x.csv"),
                                          ("page.html", "folder"), ("page.html", "history.csv"),
                                          ("history.csv", "x.csv")])
def test_backtest_writes_nothing_when_one_output_path_is_bad(history, page, output):
    folder = history.parent
    (folder / "folder").mkdir()
    before = sorted(p.name for p in folder.iterdir())
    original = history.read_bytes()
    run = wfm("backtest", str(history), "--weeks", "2", "--html", str(folder / page), "-o", str(folder / output),
              "-f", "csv")
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == before and history.read_bytes() == original
    good = wfm("backtest", str(history), "--weeks", "2", "--html", str(folder / "page.html"),
               "-o", str(folder / "x.csv"), "-f", "csv")
    assert good.returncode == 0 and (folder / "page.html").exists() and (folder / "x.csv").exists()


@pytest.mark.slow  # renders seven commands' help: run by CI, skipped by -m 'not slow'
def test_help_shows_bracketed_setting_names():
    """rich reads "[name]" as markup and drops it from --help unless escaped."""
    for command, shown in (("forecast", "[forecast.special_days]"), ("schedule", "[schedule]"),
                           ("schedule", "[sites.NAME]"), ("plan", "[sites.NAME]"), ("whatif", "[sites.NAME]"),
                           ("whatif", "[contract]"), ("capacity", "[capacity]")):
        run = wfm(command, "--help")
        assert run.returncode == 0 and shown in _flat(run.stdout), (command, shown)


def test_no_help_text_holds_markup_rich_would_swallow():
    import re

    import typer
    from rich.markup import render

    def texts(command, path: str):  # typer's command (its own click, not an installed one)
        yield path, command.help or ""
        for param in command.params:
            yield f"{path} {param.name}", getattr(param, "help", None) or ""
        for name, sub in getattr(command, "commands", {}).items():
            yield from texts(sub, f"{path} {name}")

    lost = [(where, tag) for where, text in texts(typer.main.get_command(app), "wfm")
            for tag in re.findall(r"(?<!\\)\[[^\]\n]*\]", text)
            if tag not in ("[bold]", "[/bold]") and tag not in render(text).plain]
    assert lost == []


def test_one_day_of_history_is_one_day(history, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text(_short_queue("q", "2026-09-07", ("2026-09-07",)).join(["queue,interval_start,volume,aht\n", ""]))
    run = wfm("forecast", str(path))
    assert run.returncode == 2 and "queue 'q': 1 day of history; a weekly season" in run.stderr
    fallback = wfm("forecast", str(path), "--fallback", "baseline")
    assert fallback.returncode == 0 and "queue 'q': 1 day of history before 2026-09-08" in fallback.stderr
    too_early = wfm("forecast", str(history), "--start", "2026-09-08", "--horizon", "1d")  # 8 weeks, from day 2
    assert too_early.returncode == 2 and "1 day of history before 2026-09-08" in too_early.stderr


def test_a_queue_named_all_is_not_taken_for_the_total(tmp_path):
    import csv
    import io

    rows = synth(weeks=8)[0].splitlines()
    path = tmp_path / "history.csv"
    path.write_text(rows[0] + "\n" + "".join(f"{name}{r[1:]}\n" for name in ("all", "b") for r in rows[1:]))
    run = wfm("backtest", str(path), "--weeks", "2", "-f", "csv")
    assert run.returncode == 0, run.stderr
    assert [r[0] for r in csv.reader(io.StringIO(run.stdout))] == ["queue", "all", "b", "(all)"]
    table = wfm("backtest", str(path), "--weeks", "2", "-f", "table")
    assert [line.split()[0] for line in table.stdout.splitlines() if line.strip().startswith(("all", "b ", "(all)"))] \
        == ["all", "b", "(all)"]
    data = json.loads(wfm("backtest", str(path), "--weeks", "2", "-f", "json").stdout)
    assert set(data["queues"]) == {"all", "b"} and data["total"]["intervals"] == 2 * data["queues"]["b"]["intervals"]


def test_a_run_of_listed_days_without_contacts_is_warned_of(tmp_path):
    """The last week listed with 0 everywhere (an export that lost it): the forecast takes it as a level change,
    so it drops; a cron job must hear of it. One such day is an outlier, warned of as one; a quiet queue's empty
    days are no warning."""
    text, _, _, _ = synth(weeks=8)
    cut = "2026-10-26"
    path = tmp_path / "history.csv"
    path.write_text(text.splitlines()[0] + "\n" + "\n".join(
        f"{q},{s},{0 if s >= cut else v},{a}" for row in text.splitlines()[1:] for q, s, v, a in [row.split(",")]) + "\n")
    run = wfm("forecast", str(path), "-o", str(tmp_path / "next.csv"))
    assert run.returncode == 0
    (line,) = [x for x in run.stderr.splitlines() if "no contacts" in x]
    assert line.startswith(f"wfm: warning: {path}: queue 'q': 5 listed days in a row with no contacts, 2026-10-26 to "
                           "2026-10-30, where those weekdays usually take ")
    quiet, _, _, _ = synth(weeks=8, level=40.0)
    path.write_text(quiet)
    assert "no contacts" not in wfm("forecast", str(path), "-o", str(tmp_path / "next.csv")).stderr


def test_coverage_leaves_out_intervals_forecast_at_0(tmp_path):
    """A dormant queue (no contacts ever) beside a live one: its intervals, forecast [0, 0], are not "covered"
    intervals; the total is the live queue's coverage (it was lifted from 82.9 % to 91.4 %)."""
    text, _, _, _ = synth(weeks=8)
    rows = text.splitlines()
    dormant = [f"zero,{s},0,0" for _, s, _, _ in (r.split(",") for r in rows[1:])]
    path = tmp_path / "history.csv"
    path.write_text("\n".join(rows + dormant) + "\n")
    run = wfm("backtest", str(path), "--weeks", "2", "-f", "json")
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    zero, live = document["queues"]["zero"], document["queues"]["q"]
    assert (zero["intervals"], zero["coverage"]) == (0, None)
    assert document["total"]["coverage"] == live["coverage"] and document["total"]["intervals"] == live["intervals"]


def test_fallback_takes_a_monday_to_saturday_queues_first_week_as_a_week(tmp_path):
    """Six listed days, Monday 08-18 to Saturday 09-13: seasonal naive, each weekday as listed, Sunday closed;
    it repeated Saturday's four hours on every day, Sunday too."""
    rows = []
    for d in range(6):
        day = f"2026-10-{19 + d:02d}"
        for k in range(*((32, 72) if d < 5 else (36, 52))):
            rows.append(f"q,{day}T{k // 4:02d}:{15 * (k % 4):02d}:00-05:00,{10 + d},300")
    path = tmp_path / "week1.csv"
    path.write_text("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n")
    out = tmp_path / "next.csv"
    run = wfm("forecast", str(path), "--fallback", "baseline", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert "seasonal-naive baseline (each weekday as it was a week earlier; Sundays not yet seen, closed)" in run.stderr
    days = [r.split(",")[1][:10] for r in out.read_text().splitlines()[1:]]
    assert [days.count(f"2026-10-{26 + d:02d}") for d in range(6)] == [40] * 5 + [16]
    assert "2026-10-25" not in days  # the Sunday it starts on


def test_a_handle_time_under_a_twentieth_of_a_second_is_not_written_as_0():
    from wfm.forecasting.run import _aht_text

    assert _aht_text(np.array([300.04, 0.0, 0.00317, 0.05, 0.049])).tolist() == ["300.0", "0.0", "0.00317", "0.05",
                                                                                 "0.049"]


def test_a_special_day_on_a_day_closed_anyway_is_warned_of(history, tmp_path):
    """A factor for a Sunday a Monday-to-Friday queue is closed on changes nothing: a date typed wrong."""
    config = tmp_path / "wfm.toml"
    config.write_text('[forecast.special_days]\n"2026-11-08" = 1.5\n"2026-11-04" = "closed"\n')
    run = wfm("forecast", str(history), "--horizon", "2w", "--config", str(config), "-o", str(tmp_path / "f.csv"))
    assert run.returncode == 0, run.stderr
    assert run.stderr == (f"wfm: warning: {config} [forecast.special_days]: 2026-11-08 (Sunday) is a day the forecast "
                          "has every queue closed anyway, so its factor changes nothing; check the date\n")
