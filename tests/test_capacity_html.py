"""wfm capacity --html: a self-contained page, escaped, written whole, the same bytes on every run; and the
contract's revenue and margin in the CSV, JSON and table."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from wfm.capacity import CSV_COLUMNS
from wfm.cli import app

pytestmark = pytest.mark.slow  # draws charts (matplotlib): run by CI, skipped by -m 'not slow'

runner = CliRunner()
EVIL = "<script>alert(1)</script>"
WEEKS = "queue,period,volume,aht\n" + "".join(
    f"{q},2027-W{w:02d},{v},300\n" for q in ("care", EVIL)
    for w, v in zip(range(1, 17), [4500] * 10 + [6000, 7000, 8000, 8000, 7000, 6000]))
FLAGS = ("--headcount", 50, "--training-weeks", 2, "--lead-time-weeks", 1, "--cost-per-fte-month", 3000)


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_page_written_escaped_and_byte_identical(write_csv, tmp_path):
    volumes = write_csv(WEEKS, name="weeks.csv")
    out = tmp_path / "out"
    out.mkdir()
    page = out / "capacity.html"
    first = run("capacity", volumes, *FLAGS, "--html", page, "-f", "csv")
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(",".join(CSV_COLUMNS) + "\n")  # stdout as without --html
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert text.count("<svg") == 1 and "Classes to start" in text and "2027-W16" in text
    assert EVIL not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script" not in text  # nothing runs
    for reference in ('src="http', "href=\"http", "@import", "url(http"):
        assert reference not in text  # nothing fetched from the network
    assert _files(out) == ["capacity.html"]  # written through a temporary file renamed over: none left behind
    again = run("capacity", volumes, *FLAGS, "--html", page, "-f", "csv")
    assert again.exit_code == 0 and page.read_bytes() == text.encode("utf-8")
    assert _files(out) == ["capacity.html"]


def test_page_of_a_plan_not_covered_names_the_periods(write_csv, tmp_path):
    volumes = write_csv(WEEKS, name="weeks.csv")
    page = tmp_path / "capacity.html"
    result = run("capacity", volumes, "--headcount", 10, "--training-weeks", 2, "--html", page, "-f", "csv")
    assert result.exit_code == 1
    text = page.read_text(encoding="utf-8")
    assert "not covered</h2>" in text and "2027-W01: " in text


def test_nothing_written_on_bad_input_or_a_bad_page_path(write_csv, tmp_path):
    volumes = write_csv(WEEKS, name="weeks.csv")
    page, out = tmp_path / "capacity.html", tmp_path / "plan.csv"
    result = run("capacity", volumes, "--headcount", -5, "--html", page, "-o", out)
    assert result.exit_code == 2 and result.stderr.startswith("wfm: error: --headcount")
    bad = write_csv("period,volume,aht\n2027-01,100,300\n2027-02,-1,300\n", name="bad.csv")
    result = run("capacity", bad, "--headcount", 10, "--html", page, "-o", out)
    assert result.exit_code == 2 and "row 3, column 'volume'" in result.stderr
    assert not page.exists() and not out.exists()
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = run("capacity", volumes, *FLAGS, "--html", folder, "-o", out)
    assert result.exit_code == 2 and "is a folder" in result.stderr and not out.exists()
    result = run("capacity", volumes, *FLAGS, "--html", volumes, "-o", out)
    assert result.exit_code == 2 and "is an input of this run" in result.stderr and not out.exists()
    result = run("capacity", volumes, *FLAGS, "--html", out, "-o", out)
    assert result.exit_code == 2 and "also the --output file" in result.stderr and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "bad.csv", "weeks.csv"]


CONTRACT = '[targets]\npaid_hours_per_fte_week = 37.5\n[contract]\nprice_model = "{model}"\nrate = {rate}\n'


def test_contract_adds_revenue_and_margin_last(write_csv, tmp_path):
    volumes = write_csv(WEEKS, name="weeks.csv")
    config = tmp_path / "wfm.toml"
    config.write_text(CONTRACT.format(model="per_paid_hour", rate=30.0))
    result = run("capacity", volumes, *FLAGS, "--config", config, "-f", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join((*CSV_COLUMNS, "revenue", "margin"))
    for line in lines[1:]:
        row = dict(zip(lines[0].split(","), line.split(",")))
        # productive FTE (to 0.01 in the CSV) x 37.5 h x 1 week x 30
        assert float(row["revenue"]) == pytest.approx(float(row["productive_fte"]) * 37.5 * 30, abs=0.005 * 37.5 * 30)
        assert float(row["margin"]) == pytest.approx(float(row["revenue"]) - float(row["cost"]), abs=0.0051)
    document = json.loads(run("capacity", volumes, *FLAGS, "--config", config, "-f", "json").stdout)
    assert document["contract"]["price_model"] == "per_paid_hour"
    assert document["total"]["margin"] == pytest.approx(document["total"]["revenue"] - document["total"]["cost"],
                                                        abs=0.02)
    table = run("capacity", volumes, *FLAGS, "--config", config, "-f", "table")
    assert "Revenue" in table.stdout and "Margin" in table.stdout and ", margin " in table.stdout
    page = tmp_path / "capacity.html"
    run("capacity", volumes, *FLAGS, "--config", config, "--html", page, "-f", "csv")
    assert ">Margin</th>" in page.read_text(encoding="utf-8")


def test_no_contract_keeps_the_csv_columns(write_csv, tmp_path):
    volumes = write_csv(WEEKS, name="weeks.csv")
    config = tmp_path / "wfm.toml"
    config.write_text("[sites.main]\ncost_per_paid_hour = 28.0\n")
    result = run("capacity", volumes, *FLAGS, "--config", config, "-f", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == ",".join(CSV_COLUMNS)
    document = json.loads(run("capacity", volumes, *FLAGS, "-f", "json").stdout)
    assert "revenue" not in document["periods"][0] and "margin" not in document["total"]


def test_a_lead_in_before_the_forecast_is_said_to_be_in_the_cost_not_the_margin(write_csv, tmp_path):
    volumes = write_csv(WEEKS, name="weeks.csv")
    config = tmp_path / "wfm.toml"
    config.write_text(CONTRACT.format(model="per_paid_hour", rate=30.0))
    note = "Total cost includes the payroll of the lead-in periods before the forecast"
    for start, noted in (("2026-12-07", True), (None, False)):
        page = tmp_path / f"capacity-{noted}.html"
        flags = ("--start", start) if start else ()
        result = run("capacity", volumes, *FLAGS, *flags, "--config", config, "--html", page, "-f", "csv")
        assert result.exit_code == 0, result.output
        assert (note in page.read_text(encoding="utf-8")) == noted
