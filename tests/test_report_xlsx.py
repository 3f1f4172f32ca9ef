"""plan.xlsx (wfm.report.xlsx, ``wfm plan --xlsx``): sheets, typed cells, frozen headers, no formulas, atomic folder."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import wfm
from wfm.cli import app
from wfm.config import Settings
from wfm.errors import WfmError
from wfm.report import plan_files
from wfm.report.xlsx import plan_workbook

pytestmark = pytest.mark.slow  # plans a week (HiGHS) for its workbook: run by CI, skipped by -m 'not slow'

QUEUES = ["=SUM(1,2)", "+sales", "-care", "@ops", "plain"]
SITES = {"=SUM(1,2)": '=HYPERLINK("http://x","y")', "+sales": "@site", "-care": "-site"}


def _records(queues: list[str]) -> list[dict]:
    return [{"queue": q, "interval_start": f"2026-12-01T{h:02d}:{m:02d}:00-06:00", "volume": 20 + h, "aht": 300}
            for q in queues for h in range(9, 17) for m in (0, 30)]


@pytest.fixture(scope="module")
def plan():
    """Five queues whose names (and sites) a spreadsheet would read as formulas; daily shifts, solved in a blink."""
    forecast = wfm.forecast_from_records(_records(QUEUES))
    return wfm.make_plan(forecast, Settings(schedule={"tours": False}, queue_sites=SITES))


@pytest.fixture(scope="module")
def book(plan):
    return openpyxl.load_workbook(io.BytesIO(plan_workbook(plan)))


def _header(sheet) -> list:
    return [cell.value for cell in sheet[1]]


def _column(sheet, name: str) -> list:
    position = _header(sheet).index(name)
    return [row[position] for row in sheet.iter_rows(min_row=2)]


def test_one_sheet_per_table_with_frozen_headers(book, plan) -> None:
    assert book.sheetnames == ["summary", "requirements", "shifts", "coverage"]
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
    assert _header(book["requirements"])[:4] == ["queue", "channel", "interval_start", "utc_offset"]
    assert _header(book["coverage"])[:3] == ["queue", "interval_start", "utc_offset"]
    assert _header(book["shifts"])[:4] == ["queue", "day", "start", "end"]
    assert book["requirements"].max_row == 1 + plan.requirement.forecast.n_rows
    assert book["coverage"].max_row == 1 + plan.requirement.forecast.n_rows
    assert book["shifts"].max_row == 1 + sum(len(q.schedule.shifts) for q in plan.queues)
    summary = book["summary"]
    assert _header(summary)[:4] == ["week", "queue", "site", "headcount"]
    assert [c.value for c in _column(summary, "queue")] == [q.queue for q in plan.queues]
    assert sum(c.value for c in _column(summary, "headcount")) == plan.headcount


def test_cells_are_typed(book, plan) -> None:
    starts = _column(book["requirements"], "interval_start")
    assert starts[0].data_type == "d" and starts[0].value == dt.datetime(2026, 12, 1, 9, 0)  # local wall clock
    assert {c.value for c in _column(book["requirements"], "utc_offset")} == {"-06:00"}
    for name in ("volume", "aht", "agents", "staff", "service_level"):
        assert all(c.data_type == "n" and isinstance(c.value, (int, float)) for c in _column(book["requirements"], name))
    shifts = book["shifts"]
    assert all(c.data_type == "d" and c.value.time() == dt.time(0) for c in _column(shifts, "day"))
    assert all(c.data_type == "d" and isinstance(c.value, dt.datetime) for c in _column(shifts, "start"))
    assert all(c.data_type == "b" for c in _column(shifts, "part_time"))
    assert all(c.data_type == "n" for c in _column(shifts, "count"))
    assert all(c.data_type == "n" for c in _column(book["coverage"], "service_level"))
    summary = book["summary"]
    assert all(c.data_type == "n" for c in _column(summary, "fte"))
    assert [c.value for c in _column(summary, "week")] == [plan.week] * len(plan.queues)


def test_fractions_show_as_percentages_and_counts_as_numbers(book, plan) -> None:
    # 0.8348 is stored as it is and shown as 83.5 %, not as 0.8348 ("General")
    for sheet, name in (("summary", "service_level"), ("summary", "efficiency"), ("summary", "shrinkage"),
                        ("requirements", "service_level"), ("requirements", "occupancy"), ("coverage", "service_level")):
        cells = [c for c in _column(book[sheet], name) if c.value is not None]
        assert cells and all(c.number_format == "0.0%" for c in cells), (sheet, name)
    assert {c.number_format for c in _column(book["requirements"], "agents")} == {"General"}
    level = _column(book["summary"], "service_level")[0].value
    assert level == pytest.approx(plan.queues[0].evaluation.service_level_week, abs=1e-4)  # the value itself


def test_no_cell_is_a_formula(book) -> None:
    texts = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
                    texts.append(cell.value)
    assert set(QUEUES[:4]) | set(SITES.values()) <= set(texts)
    assert set(SITES.values()) <= {c.value for c in _column(book["summary"], "site")}


def test_the_raw_xml_holds_no_formula(plan) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(plan_workbook(plan))) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


def test_infinite_and_missing_numbers_are_empty_cells() -> None:
    from wfm.report.xlsx import _typed_columns, _write_sheet

    workbook = openpyxl.Workbook(write_only=True)
    _write_sheet(workbook, "t", {"asa_s": [1.5, float("inf"), float("nan"), None], "x": ["=1", "a", "-2", "@b"]})
    data = io.BytesIO()
    workbook.save(data)
    sheet = openpyxl.load_workbook(data)["t"]
    assert [c.value for c in _column(sheet, "asa_s")] == [1.5, None, None, None]
    assert [(c.value, c.data_type) for c in _column(sheet, "x")] == [("=1", "s"), ("a", "s"), ("-2", "s"), ("@b", "s")]
    assert _typed_columns({"day": ["2026-12-01", "not a day"]})["day"] == ["2026-12-01", "not a day"]  # left as text


# --- the plan folder ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_write_plan_adds_plan_xlsx_to_the_folder_and_its_list(plan, tmp_path: Path) -> None:
    out = tmp_path / "plan"
    plan_files.write_plan(plan, out, {"f.csv": "0" * 64}, xlsx=True)
    assert sorted(p.name for p in out.iterdir()) == ["coverage.csv", "plan.xlsx", "report.html", "requirements.csv",
                                                      "shifts.csv", "summary.json"]
    assert "plan.xlsx" in json.loads((out / "summary.json").read_text())["files"]
    assert openpyxl.load_workbook(out / "plan.xlsx").sheetnames == ["summary", "requirements", "shifts", "coverage"]
    plan_files.write_plan(plan, out, {"f.csv": "0" * 64})  # a rerun without --xlsx replaces the whole folder
    assert not (out / "plan.xlsx").exists()
    assert "plan.xlsx" not in json.loads((out / "summary.json").read_text())["files"]


@pytest.mark.slow
def test_a_failing_workbook_leaves_the_old_plan_whole(plan, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "plan"
    plan_files.write_plan(plan, out, {"f.csv": "0" * 64}, xlsx=True)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(_plan, _tables=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("wfm.report.xlsx.plan_workbook", broken)
    with pytest.raises(OSError):
        plan_files.write_plan(plan, out, {"f.csv": "1" * 64}, xlsx=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]  # no temporary folder, no lock left


@pytest.mark.slow
def test_plan_xlsx_goes_through_the_staging_folder(plan, tmp_path: Path, monkeypatch) -> None:
    """plan.xlsx is one of the files write_folder builds aside and swaps in, never written into --out itself."""
    from wfm import outputs

    seen: dict = {}
    original = outputs._swap_in

    def spy(target, files):
        seen.update(files)
        assert not target.exists()  # nothing at --out yet while the staging folder is built
        return original(target, files)

    monkeypatch.setattr(outputs, "_swap_in", spy)
    plan_files.write_plan(plan, tmp_path / "plan", {}, xlsx=True)
    assert isinstance(seen["plan.xlsx"], bytes) and (tmp_path / "plan" / "plan.xlsx").read_bytes() == seen["plan.xlsx"]


@pytest.mark.slow
def test_a_folder_holding_an_unlisted_workbook_is_refused(plan, tmp_path: Path) -> None:
    out = tmp_path / "plan"
    plan_files.write_plan(plan, out, {})
    (out / "plan.xlsx").write_bytes(b"mine")  # not listed by the plan wfm wrote: the user's file
    with pytest.raises(WfmError, match="did not write"):
        plan_files.write_plan(plan, out, {}, xlsx=True)
    assert (out / "plan.xlsx").read_bytes() == b"mine"


@pytest.mark.slow
def test_cli_plan_xlsx_from_an_xlsx_forecast(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Week"
    sheet.append(["queue", "interval_start", "volume", "aht"])
    for record in _records(["=cmd|' /C calc'!A0", "sales"]):
        sheet.append([record["queue"], record["interval_start"], record["volume"], record["aht"]])
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.data_type = "s"  # keep the queue name a name in the input too
    forecast = tmp_path / "week.xlsx"
    workbook.save(forecast)
    out = tmp_path / "plan"
    result = CliRunner().invoke(app, ["plan", str(forecast), "--out", str(out), "--xlsx", "--daily"])
    assert result.exit_code in (0, 1), result.output
    assert result.stdout.rstrip().endswith("summary.json, report.html, plan.xlsx")
    book = openpyxl.load_workbook(out / "plan.xlsx")
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["inputs"] == {"week.xlsx": __import__("hashlib").sha256(forecast.read_bytes()).hexdigest()}


def test_the_same_plan_gives_the_same_bytes_at_any_time(plan, monkeypatch) -> None:
    """A cron job's reruns compare equal: no clock time in the document properties or the zip's member dates."""
    import time

    first = plan_workbook(plan)
    later = time.time() + 3 * 86_400 + 7
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(time, "localtime", lambda *_: time.gmtime(later))
    assert plan_workbook(plan) == first
    book = openpyxl.load_workbook(io.BytesIO(first))
    assert book.properties.created == book.properties.modified == dt.datetime(2026, 12, 1, 15, 0)  # 09:00-06:00


def test_a_week_that_misses_its_target_never_reads_as_meeting_it(plan) -> None:
    """The week service level was rounded to 4 places for summary.json and plan.xlsx: 79.997 % against 80 % was
    0.8 there, which a script (or a spreadsheet at 0.0%) read as met. It keeps the places to read below the target."""
    import dataclasses

    from wfm.report.plan_documents import plan_document

    first = plan.queues[0]
    target = first.targets.service_level
    short = dataclasses.replace(first, evaluation=dataclasses.replace(first.evaluation,
                                                                      service_level_week=target - 3e-5))
    missing = dataclasses.replace(plan, queues=(short, *plan.queues[1:]))
    record = plan_document(missing, {})["queues"][0]
    assert record["service_level"] == round(target - 3e-5, 5) < target
    sheet = openpyxl.load_workbook(io.BytesIO(plan_workbook(missing)))["summary"]
    cells = _column(sheet, "service_level")
    assert cells[0].value == record["service_level"] and cells[0].number_format == "0.000%"  # 79.997%
    assert cells[1].number_format == "0.0%"  # met: as before
