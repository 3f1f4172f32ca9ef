"""wfm.report: atomic files, CSV and JSON shapes, the tables a planner reads."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wfm.calculator import calculate
from wfm.config import Settings, Targets
from wfm.forecast import load_forecast
from wfm.report import documents, numbers, tables
from wfm.staffing import size


def test_csv_quotes_only_when_needed() -> None:
    plain = documents.to_csv({"queue": np.array(["a", "b"], dtype=object), "agents": np.array([1, 2])})
    assert plain == b"queue,agents\na,1\nb,2\n"  # UTF-8 bytes, as written
    quoted = documents.to_csv({"queue": np.array(["a,b"], dtype=object), "agents": np.array([1])}).decode()
    assert quoted.splitlines() == ["queue,agents", '"a,b",1']


def _requirement(write_csv, volumes=(100, 300)):
    rows = "".join(f"2026-12-01T08:{15 * k:02d}:00-06:00,{v},180\n" for k, v in enumerate(volumes))
    return size(load_forecast(write_csv("interval_start,volume,aht\n" + rows)), Settings(targets=Targets(answer_within_s=20)))


def test_requirement_csv_columns_and_values(write_csv) -> None:
    text = documents.to_csv(documents.requirement_columns(_requirement(write_csv))).decode()
    lines = text.splitlines()
    assert lines[0] == "queue,channel,interval_start,volume,aht,traffic_erlangs,agents,service_level,asa_s,occupancy,abandon_rate,staff,backlog"
    fields = lines[1].split(",")
    assert fields[:6] == ["default", "voice", "2026-12-01T08:00:00-06:00", "100", "180", "20"]
    assert int(fields[6]) >= 20 and fields[10] == "" and int(fields[11]) == int(np.ceil(int(fields[6]) / 0.7 - 1e-9))
    assert fields[12] == "0"  # no backlog on a real-time channel


def test_json_is_valid_without_infinities_and_deterministic(write_csv) -> None:
    requirement = _requirement(write_csv)
    text = documents.to_json(documents.requirement_document(requirement))
    assert text == documents.to_json(documents.requirement_document(requirement))
    document = json.loads(text)
    assert list(document["intervals"][0]) == list(documents.REQUIREMENT_COLUMNS)
    assert document["queues"][0]["queue"] == "default"
    assert document["targets"]["default"]["answer_within_s"] == 20
    calc = json.loads(documents.to_json(documents.calculation_document(calculate(100, 180, 1800, Targets(), agents=5))))
    assert calc["options"][0]["asa_s"] is None  # overloaded: infinite ASA is null in JSON


def test_tables_render_as_plain_text(write_csv) -> None:
    text = tables.render_text(tables.print_requirement, _requirement(write_csv))
    assert "Per day" in text and "Tue 2026-12-01" in text
    assert "peak agents on the phones per hour" in text and "08:00" in text
    assert "\x1b[" not in text  # no colour codes in files


def test_percentages_and_an_undefined_service_level() -> None:
    assert numbers.pct(0.8) == "80.0%" and numbers.pct(1.0) == "100.0%"
    assert numbers.pct(float("nan")) == "-"  # a queue with no contacts has no service level


# --- names from the user's files are printed literally, never as markup ----------------------------

MARKUP_NAMES = ("[/bold]", "[red]RED[/red] x", "[link=http://x]y", ":smile: [b]")


def _markup_forecast(write_csv, name: str = "forecast.csv"):
    rows = "".join(f"{queue},2026-12-0{day}T{9 + half // 2:02d}:{30 * (half % 2):02d}:00+00:00,{10 + 3 * k},300\n"
                   for k, queue in enumerate(MARKUP_NAMES) for day in (1, 2) for half in range(8))
    return load_forecast(write_csv("queue,interval_start,volume,aht\n" + rows, name=name))


def _colour_render(print_to_console, *args) -> str:
    """What a colour terminal receives, then with the escape codes stripped."""
    import io
    import re

    from rich.console import Console

    console = Console(file=io.StringIO(), width=200, force_terminal=True, color_system="truecolor")
    print_to_console(console, *args)
    raw = console.file.getvalue()
    assert "\x1b]8;" not in raw  # no hyperlink was made of "[link=http://x]y"
    assert "\x1b[31m" not in raw and "\x1b[38;2;" not in raw  # nothing was coloured red
    return re.sub(r"\x1b\[[0-9;]*m", "", raw)


def _assert_literal(text: str, names=MARKUP_NAMES) -> None:
    for name in names:
        assert name in text, name
    assert "😄" not in text


def test_queue_names_and_paths_with_markup_print_literally(write_csv) -> None:
    forecast = _markup_forecast(write_csv, name="[bold]week [link=x]f[red].csv")
    requirement = size(forecast, Settings(targets=Targets(answer_within_s=20)))
    for render in (tables.render_text, _colour_render):
        text = render(tables.print_requirement, requirement)
        _assert_literal(text)
        assert "[/bold]: peak agents on the phones per hour" in text  # an intraday title
        overview = render(tables.print_overview, forecast)
        _assert_literal(overview)
        assert "[bold]week [link=x]f[red].csv: 64 intervals, 4 queue(s)" in overview


@pytest.fixture(scope="module")
def markup_plans(tmp_path_factory):
    from wfm.plan import make_plan

    folder = tmp_path_factory.mktemp("markup")
    forecast = _markup_forecast(lambda text, name: (folder / name).write_text(text) and folder / name)
    settings = Settings(schedule={"max_part_time_share": 1.0})  # open 4 h a day: part-timers only
    return [make_plan(forecast, settings, time_limit_s=60, tours=tours) for tours in (None, False)]


@pytest.mark.slow  # plans a week (HiGHS): run by CI, skipped by -m 'not slow'
def test_plan_and_schedule_tables_print_queue_names_literally(markup_plans) -> None:
    from wfm.report import plan_files  # noqa: F401

    for plan in markup_plans:
        for render in (tables.render_text, _colour_render):
            text = render(tables.print_schedule, plan)
            _assert_literal(text)
            assert "[red]RED[/red] x: weekly tours" in text or "[red]RED[/red] x: shifts" in text
            _assert_literal(render(tables.print_plan, plan))


def test_every_string_cell_of_a_compact_table_is_literal() -> None:
    table = tables.compact_table("[bold]title[/bold]", ["Name", "Breaks"])
    table.add_row("[red]q[/red]", "[link=http://x]lunch 12:00x3")
    text = _colour_render(lambda console: console.print(table))
    assert "[bold]title[/bold]" in text and "[red]q[/red]" in text and "[link=http://x]lunch 12:00x3" in text


def test_json_documents_put_each_flat_record_on_one_line() -> None:
    """Every interval on its own line, by json's C encoder (the indenting encoder, pure Python, took 17 s and
    4 GB for a year of 25 queues); otherwise indented as json.dumps(indent=2), and the same values."""
    import json

    document = {"queue": "a\u00e9", "targets": {"x": 1, "y": None}, "empty": [], "none": {},
                "intervals": [{"q": "a", "asa_s": float("inf"), "n": 1}, {"q": "b", "asa_s": 2.5, "n": 2}],
                "days": [{"day": "2026-12-01", "hours": [1, 2]}]}
    text = documents.to_json(document)
    assert json.loads(text) == {**document, "intervals": [{"q": "a", "asa_s": None, "n": 1},
                                                          {"q": "b", "asa_s": 2.5, "n": 2}]}
    lines = text.splitlines()
    assert '    {"q": "a", "asa_s": null, "n": 1},' in lines and '    {"q": "b", "asa_s": 2.5, "n": 2}' in lines
    assert lines[:5] == ['{', '  "queue": "a\u00e9",', '  "targets": {', '    "x": 1,', '    "y": null']
    assert '  "empty": [],' in lines and '  "none": {},' in lines and '        1,' in lines  # nested: indented


def test_a_table_wider_than_the_console_is_not_cut() -> None:
    """A long queue name on a narrow console: rich squeezed the columns, cutting figures short (83.… for 83.5 %)
    or dropping whole columns; the table keeps its natural width and the terminal wraps the lines."""
    from wfm.report.tables import compact_table, render_text

    def show(console) -> None:
        table = compact_table("Plan", ["Queue", "FTE", "SL", "Paid h", "Margin"])
        table.add_row("a queue with a name far longer than usual", "242.8", "83.5%", "17,775.0", "-13,136.95")
        console.print(table)

    text = render_text(show, width=40)
    assert "a queue with a name far longer than usual" in text
    assert all(figure in text for figure in ("242.8", "83.5%", "17,775.0", "-13,136.95")) and "…" not in text


def test_a_missed_service_level_never_reads_as_its_target() -> None:
    from wfm.report.numbers import pct_against

    assert pct_against(0.7997, 0.8) == "79.97%" and pct_against(0.8, 0.8) == "80.0%"
    assert pct_against(0.9, 0.8) == "90.0%" and pct_against(0.7997, None) == "80.0%"  # no one target: as ever
    assert pct_against(float("nan"), 0.8, undefined="–") == "–"


def test_json_lays_out_flat_records_one_per_line_whatever_their_mapping_type() -> None:
    """A list of flat records is one record per line: plain dicts (told by their values' types, fast) and other
    mappings alike; a record with a list inside is laid out as nested JSON."""
    from collections import OrderedDict

    flat = documents.to_json({"rows": [{"a": 1, "b": "x", "c": None, "d": 0.5, "e": True}, OrderedDict(a=2)]})
    assert flat == '{\n  "rows": [\n    {"a": 1, "b": "x", "c": null, "d": 0.5, "e": true},\n    {"a": 2}\n  ]\n}\n'
    nested = documents.to_json({"rows": [{"a": [1, 2]}]})
    assert nested == '{\n  "rows": [\n    {\n      "a": [\n        1,\n        2\n      ]\n    }\n  ]\n}\n'
