"""`wfm forecast` and `wfm backtest` end to end: the CSV wfm size reads, errors exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from forecasting_synth import synth


def wfm(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wfm", *args], capture_output=True, text=True, cwd=cwd)


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


def test_forecast_start_and_four_weeks(history):
    run = wfm("forecast", str(history), "--horizon", "4w", "--start", "2026-11-09")
    assert run.returncode == 0, run.stderr
    rows = run.stdout.splitlines()[1:]
    assert len(rows) == 20 * 48 and rows[0].startswith("q,2026-11-09T08:00:00")


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


def test_help_does_not_import_the_forecasting_package():
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "wfm", "--help"], capture_output=True, text=True)
    assert run.returncode == 0
    assert "wfm.forecasting" not in run.stderr and "statsmodels" not in run.stderr
