""".xlsx forecasts (wfm.forecast.xlsx): read like a CSV, checked by the CSV loader, errors naming sheet, row and column."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from wfm.cli import app
from wfm.errors import InputError
from wfm.forecast import load_forecast

runner = CliRunner()
START = dt.datetime(2026, 12, 1, 8, 0)
HEADER = ("queue", "interval_start", "volume", "aht")


def _rows(n: int = 8, queue: str = "sales") -> list[list[Any]]:
    return [[queue, START + dt.timedelta(minutes=15 * i), 40 + i, 300] for i in range(n)]


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """write_xlsx({"Week": [header, *rows]}, name=...) -> path of a workbook with those sheets, in order."""

    def write(sheets: dict[str, Sequence[Sequence[Any]]], name: str = "forecast.xlsx") -> Path:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets.items():
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


def _csv_twin(tmp_path: Path, rows: list[list[Any]]) -> Path:
    path = tmp_path / "twin.csv"
    lines = [",".join(HEADER)] + [f"{q},{t.isoformat()},{v},{a}" for q, t, v, a in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _same(a, b) -> None:
    assert a.queue_names == b.queue_names
    for name in ("queue", "interval_start", "utc_offset_s", "interval_s", "volume", "aht_s"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


# --- reading -----------------------------------------------------------------------------------------


def test_excel_datetimes_are_naive_local_times_like_a_csv(write_xlsx, tmp_path: Path) -> None:
    rows = _rows() + _rows(queue="care")
    path = write_xlsx({"Week": [HEADER, *rows]})
    loaded = load_forecast(path, tz="America/Chicago")
    _same(loaded, load_forecast(_csv_twin(tmp_path, rows), tz="America/Chicago"))
    assert loaded.path == str(path)  # the file, not the sheet: summary.json names the file
    assert loaded.source_sha256 == __import__("hashlib").sha256(path.read_bytes()).hexdigest()
    assert loaded.interval_start[0] == np.datetime64("2026-12-01T14:00:00")  # 08:00 in Chicago is 14:00 UTC
    assert loaded.interval_minutes == {"care": 15, "sales": 15}


def test_iso_text_with_offsets_aliases_and_other_columns(write_xlsx) -> None:
    rows = [["  Interval ", "Calls", "Handle_Time", "Skill", "Notes", None]]
    rows += [[f"2026-12-01T{8 + i // 4:02d}:{15 * (i % 4):02d}:00-06:00", 10.5, 280, 7, "note\nwith a break", None]
             for i in range(6)]
    loaded = load_forecast(write_xlsx({"Data": rows}))
    assert loaded.queue_names == ("7",) and loaded.volume.tolist() == [10.5] * 6
    assert loaded.utc_offset_s.tolist() == [-21600] * 6
    assert loaded.warnings == (f"{loaded.path}, sheet 'Data': ignoring unknown columns 'Notes'",)


def test_first_sheet_by_default_or_the_one_named(write_xlsx) -> None:
    path = write_xlsx({"Notes": [HEADER, *_rows(4, queue="first")], "Week": [HEADER, *_rows(4, queue="second")]})
    assert load_forecast(path, tz="UTC").queue_names == ("first",)
    assert load_forecast(path, tz="UTC", sheet="Week").queue_names == ("second",)


def test_header_below_blank_rows_and_blank_rows_between(write_xlsx) -> None:
    rows = _rows(6)
    path = write_xlsx({"Week": [[], [None, None], HEADER, *rows[:3], [], [None, " "], *rows[3:]]})
    assert load_forecast(path, tz="UTC").n_rows == 6


def test_excel_times_a_millisecond_off_are_whole_seconds(write_xlsx) -> None:
    rows = _rows(4)
    rows[1][1] = START + dt.timedelta(minutes=15) - dt.timedelta(milliseconds=1)  # float noise in a serial time
    rows[2][1] = START + dt.timedelta(minutes=30, milliseconds=1)
    loaded = load_forecast(write_xlsx({"Week": [HEADER, *rows]}), tz="UTC")
    assert loaded.interval_start.tolist() == [START + dt.timedelta(minutes=15 * i) for i in range(4)]


def test_formulas_count_by_their_saved_values(write_xlsx, tmp_path: Path) -> None:
    """openpyxl saves no computed values: a formula cell without one reads as blank, and is reported."""
    rows = _rows(3)
    rows[1][2] = "=B2*2"
    with pytest.raises(InputError, match=r"sheet 'Week': row 3, column 'volume': expected a finite number >= 0, got ''"):
        load_forecast(write_xlsx({"Week": [HEADER, *rows]}), tz="UTC")


# --- errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r[5].__setitem__(2, -3),
         "forecast.xlsx, sheet 'Week': row 7, column 'volume': expected a finite number >= 0, got '-3'"),
        (lambda r: r[2].__setitem__(3, "slow"), "sheet 'Week': row 4, column 'aht': expected"),
        (lambda r: r[3].__setitem__(1, "yesterday"), "sheet 'Week': row 5, column 'interval_start': expected"),
        (lambda r: r[3].__setitem__(1, dt.time(8, 45)), "row 5, column 'interval_start': expected an ISO 8601 timestamp such as 2026-12-01T08:00:00-06:00, got '08:45:00'"),
        (lambda r: r[4].__setitem__(1, START), "sheet 'Week': rows 2 and 6"),
        (lambda r: r[1].__setitem__(0, "sa\nles"), "sheet 'Week': row 3, column 'queue': expected a value on one line"),
    ],
)
def test_bad_cells_name_sheet_row_and_column(write_xlsx, edit, message: str) -> None:
    rows = _rows()
    edit(rows)
    with pytest.raises(InputError) as caught:
        load_forecast(write_xlsx({"Week": [HEADER, *rows]}), tz="UTC")
    text = str(caught.value)
    assert message in text and "\n" not in text


def test_rows_are_sheet_rows_across_blank_rows(write_xlsx) -> None:
    rows = _rows()
    rows[5][2] = "lots"
    path = write_xlsx({"Week": [[], HEADER, *rows[:2], [], [], *rows[2:]]})
    with pytest.raises(InputError, match=r"sheet 'Week': row 10, column 'volume': .* got 'lots'"):
        load_forecast(path, tz="UTC")


@pytest.mark.parametrize(
    ("sheets", "kwargs", "message"),
    [
        ({"Week": [("queue", "interval_start", "aht"), ("a", START, 300)]}, {},
         "sheet 'Week': row 1: missing column 'volume'"),
        ({"Week": []}, {}, "sheet 'Week': the file is empty"),
        ({"Week": [HEADER]}, {}, "sheet 'Week': the file has a header but no data rows"),
        ({"Week": [HEADER, *_rows()]}, {"sheet": "Month"},  # named the CLI's --sheet
         "forecast.xlsx: sheet: no sheet 'Month'; the workbook has 'Week'"),
        ({"Week": [HEADER, *_rows()]}, {"tz": None}, "sheet 'Week': row 2, column 'interval_start': expected a UTC offset"),
    ],
)
def test_bad_workbooks(write_xlsx, sheets, kwargs, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        load_forecast(write_xlsx(sheets), **({"tz": "UTC"} | kwargs))


def test_a_chart_sheet_is_named_by_the_parameter_or_the_flag(write_xlsx) -> None:
    """load_forecast(sheet=...) said "--sheet: 'Chart' is a chart", a flag a notebook user never typed."""
    from openpyxl.chart import BarChart

    path = write_xlsx({"Week": [HEADER, *_rows()]})
    workbook = openpyxl.load_workbook(path)
    workbook.create_chartsheet("Chart").add_chart(BarChart())
    workbook.save(path)
    message = "forecast.xlsx: {}: 'Chart' is a chart, not a worksheet; the workbook has 'Week', 'Chart'"
    with pytest.raises(InputError, match=message.format("sheet")):
        load_forecast(path, tz="UTC", sheet="Chart")
    _one_error_line(runner.invoke(app, ["validate", str(path), "--sheet", "Chart"]), message.format("--sheet"))


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "forecast.xlsx"
    path.write_text("queue,interval_start,volume,aht\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"forecast.xlsx: cannot read the file as an Excel workbook \(.xlsx\)"):
        load_forecast(path)
    with pytest.raises(InputError, match=r"cannot read the file as an Excel workbook"):
        load_forecast(SAMPLES / "retail_voice_week_15min.csv", sheet="Week")  # --sheet reads a workbook
    with pytest.raises(InputError, match=r"nope.xlsx: cannot read the file"):
        load_forecast(tmp_path / "nope.xlsx")


# --- the command line --------------------------------------------------------------------------------


def _one_error_line(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wfm: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_cli_reads_a_sheet_like_the_csv(write_xlsx, tmp_path: Path) -> None:
    rows = _rows()
    path = write_xlsx({"Notes": [["nothing here"]], "Week 49": [HEADER, *rows]})
    from_xlsx = runner.invoke(app, ["size", str(path), "--sheet", "Week 49", "--tz", "America/Chicago", "-f", "csv"])
    from_csv = runner.invoke(app, ["size", str(_csv_twin(tmp_path, rows)), "--tz", "America/Chicago", "-f", "csv"])
    assert from_xlsx.exit_code == 0, from_xlsx.output
    assert from_xlsx.stdout == from_csv.stdout


def test_cli_bad_sheet_is_one_line_exit_2_and_writes_nothing(write_xlsx, tmp_path: Path) -> None:
    rows = _rows()
    rows[5][2] = -3
    path = write_xlsx({"Week": [HEADER, *rows]})
    out, plan = tmp_path / "need.csv", tmp_path / "plan"
    _one_error_line(runner.invoke(app, ["size", str(path), "--tz", "UTC", "-o", str(out)]),
                    "forecast.xlsx, sheet 'Week': row 7, column 'volume'", "'-3'")
    _one_error_line(runner.invoke(app, ["plan", str(path), "--tz", "UTC", "--out", str(plan), "--xlsx"]),
                    "sheet 'Week': row 7, column 'volume'")
    no_columns = write_xlsx({"Week": [("when", "how many"), (START, 3)]}, name="columns.xlsx")
    _one_error_line(runner.invoke(app, ["validate", str(no_columns)]), "columns.xlsx, sheet 'Week': row 1: missing column")
    _one_error_line(runner.invoke(app, ["validate", str(path), "--sheet", "Other"]),
                    "forecast.xlsx: --sheet: no sheet 'Other'; the workbook has 'Week'")
    assert not out.exists() and not plan.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["columns.xlsx", "forecast.xlsx"]


@pytest.mark.slow  # starts a Python process: CI runs it, the edit loop skips it
def test_openpyxl_is_imported_only_for_workbooks() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from wfm.cli import app\n"
        "from wfm.forecast import load_forecast\n"
        f"load_forecast({str(SAMPLES / 'multi_queue_30min.csv')!r})\n"
        "CliRunner().invoke(app, ['--help'])\n"
        "CliRunner().invoke(app, ['calc', '--volume', '100', '--aht', '180'])\n"
        "print('openpyxl' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_workbook_on_standard_input_needs_sheet(write_xlsx) -> None:
    data = write_xlsx({"Week": [HEADER, *_rows()]}).read_bytes()
    result = runner.invoke(app, ["validate", "-", "--sheet", "Week", "--tz", "UTC"], input=data)
    assert result.exit_code == 0, result.output
    _one_error_line(runner.invoke(app, ["validate", "-", "--tz", "UTC"], input=data),
                    "<stdin>: row 1: expected CSV text, got a zip archive", "pass --sheet NAME (sheet= in Python)")
