"""wfm.report.plan_files: the plan's files, written as a whole, byte-identical on a rerun."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import SAMPLES

from wfm import outputs
from wfm.config import Settings
from wfm.errors import WfmError
from wfm.forecast import load_forecast
from wfm.plan import make_plan
from wfm.report import plan_files

pytestmark = pytest.mark.slow  # solves weeks and draws charts: run by CI, skipped by -m 'not slow'

FILES = ["coverage.csv", "report.html", "requirements.csv", "shifts.csv", "summary.json"]


@pytest.fixture
def plan(dst_plan):
    assert not dst_plan.warnings  # solved to its gap, not cut short by the clock
    return dst_plan


def test_write_plan_files_and_their_shapes(plan, tmp_path: Path) -> None:
    out = tmp_path / "plan"
    plan_files.write_plan(plan, out, {"forecast.csv": "ab" * 32})
    assert sorted(os.listdir(out)) == FILES
    assert sorted(os.listdir(tmp_path)) == ["plan"]  # no temporary folders left
    coverage = (out / "coverage.csv").read_text().splitlines()
    assert coverage[0] == "queue,interval_start,required,scheduled,available,service_level"
    assert len(coverage) == 1 + 676  # every interval of the 24/7 week with its 25-hour Sunday
    shifts = (out / "shifts.csv").read_text().splitlines()
    assert shifts[0] == "queue,day,start,end,length_h,paid_h,part_time,count,breaks,tour"
    assert sum(int(line.split(",")[7]) for line in shifts[1:]) == sum(
        s.count for q in plan.queues for s in q.schedule.shifts)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["week"] == "2026-W44" and summary["headcount"] == plan.headcount
    assert summary["inputs"] == {"forecast.csv": "ab" * 32}
    solver = summary["queues"][0]["solver"]
    assert solver["gap"] == pytest.approx(plan.queues[0].schedule.gap, abs=1e-6) and 0 <= solver["gap"] < 1
    assert len(summary["queues"][0]["days"]) == 7
    html = (out / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html


def test_rerun_is_byte_identical_and_replaces_the_folder(plan, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    plan_files.write_plan(plan, first, {})
    plan_files.write_plan(plan, second, {})
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    summary = json.loads((first / "summary.json").read_text())
    assert summary["written_by"] == "wfm" and summary["files"] == FILES  # the marker that allows a rerun
    plan_files.write_plan(plan, first, {})  # a plan wfm wrote is replaced
    assert sorted(os.listdir(first)) == FILES
    (first / "stale.txt").write_text("a planner's notes")
    with pytest.raises(WfmError, match="did not write"):  # ...but not once it holds anything else
        plan_files.write_plan(plan, first, {})
    assert (first / "stale.txt").exists()
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]


def test_interrupted_write_leaves_the_old_plan(plan, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "plan"
    plan_files.write_plan(plan, out, {"forecast.csv": "old"})
    old = (out / "summary.json").read_bytes()
    real_write = outputs._write_bytes

    def crash_on_html(path, payload, mode):
        if path.name == "report.html":
            raise KeyboardInterrupt
        return real_write(path, payload, mode)

    monkeypatch.setattr(outputs, "_write_bytes", crash_on_html)
    with pytest.raises(KeyboardInterrupt):
        plan_files.write_plan(plan, out, {"forecast.csv": "new"})
    monkeypatch.undo()
    assert sorted(os.listdir(out)) == FILES and (out / "summary.json").read_bytes() == old
    assert sorted(os.listdir(tmp_path)) == ["plan"]


def test_solving_again_gives_byte_identical_files(tmp_path: Path) -> None:
    # The cron guarantee: the solver's stages stop on their gap, not on the clock.
    forecast = load_forecast(SAMPLES / "retail_voice_week_15min.csv")
    first, second = (make_plan(forecast, Settings()) for _ in range(2))
    assert all("time limit stopped" not in q.schedule.status for q in first.queues)
    plan_files.write_plan(first, tmp_path / "a", {})
    plan_files.write_plan(second, tmp_path / "b", {})
    for name in ("coverage.csv", "requirements.csv", "shifts.csv", "summary.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_the_per_day_table_rounds_the_service_level_once(plan, tmp_path: Path) -> None:
    # it was built from summary.json's 4-decimal figure, so 0.96345 became 0.9635 and then "96.4%" beside a
    # chart titled "SL 96.3%"
    import dataclasses
    import re

    import numpy as np

    from wfm.report.numbers import pct

    (q,) = plan.queues
    levels = q.evaluation.service_level_by_day.copy()
    levels[0] = 0.963451  # 96.3 % once rounded; 0.9635 and then 96.4 % rounded twice
    e = dataclasses.replace(q.evaluation, service_level_by_day=levels)
    plan = dataclasses.replace(plan, queues=(dataclasses.replace(q, evaluation=e),))
    out = tmp_path / "plan"
    plan_files.write_plan(plan, out, {"forecast.csv": "ab" * 32})
    html = (out / "report.html").read_text()
    assert np.isclose(levels[0], 0.963451)
    table = html[html.index('<section id="per-day">'):]
    table = table[:table.index("</section>")]
    shown = {cells[0]: cells[1] for cells in (re.findall(r"<td[^>]*>([^<]*)</td>", row)
                                               for row in re.findall(r"<tr>(.*?)</tr>", table)) if cells}
    assert shown == {str(day): pct(level) for day, level in zip(e.days.tolist(), e.service_level_by_day.tolist())}


def test_break_times_carry_their_utc_offset_in_a_shift_that_spans_a_change() -> None:
    import datetime as dt

    import numpy as np

    from wfm.report.plan_documents import breaks_text
    from wfm.scheduling.solution import BreakPlacement, Shift

    def at(local: str, utc: str) -> tuple[dt.datetime, np.datetime64]:
        return dt.datetime.fromisoformat(local), np.datetime64(utc, "s")

    def lunch(local: str, utc: str, count: int) -> BreakPlacement:
        start_local, start_utc = at(local, utc)
        return BreakPlacement("lunch", start_local, start_utc, 30.0, False, count)

    # 22:00 EDT to 05:00 EST on the fall-back night: 01:15 happens twice, the plan's lunch is in the second
    (start, start_utc), (end, end_utc) = at("2026-10-31T22:00", "2026-11-01T02:00"), at("2026-11-01T05:00",
                                                                                          "2026-11-01T10:00")
    night = Shift(dt.date(2026, 10, 31), start, end, start_utc, end_utc, 8.0, 7.5, False, 14,
                  (lunch("2026-11-01T00:30", "2026-11-01T04:30", 11), lunch("2026-11-01T01:15", "2026-11-01T06:15", 3)))
    assert breaks_text(night) == "lunch 00:30-04:00x11 01:15-05:00x3"
    (start, start_utc), (end, end_utc) = at("2026-11-02T22:00", "2026-11-03T03:00"), at("2026-11-03T06:00",
                                                                                          "2026-11-03T11:00")
    ordinary = Shift(dt.date(2026, 11, 2), start, end, start_utc, end_utc, 8.0, 7.5, False, 5,
                     (lunch("2026-11-03T01:30", "2026-11-03T06:30", 5),))
    assert breaks_text(ordinary) == "lunch 01:30x5"  # no change in the shift: local times alone, as ever


def test_a_deferred_queue_alone_has_no_deferred_band_above_its_available_agents() -> None:
    """Its available agents are its deferred work already: the band drawn on top counted the work twice (13.5
    agents where 9 were scheduled)."""
    import wfm

    starts = [f"2026-12-0{d}T{h:02d}:{m:02d}:00-05:00" for d in (1, 2) for h in range(8, 18) for m in (0, 30)]
    forecast = wfm.forecast_from_records([{"queue": "backoffice", "channel": "back_office", "interval_start": s,
                                           "volume": 6, "aht": 900} for s in starts])
    settings = wfm.Settings(channel_values={"back_office": {"service_level": 0.9, "answer_within_s": 86_400}},
                            schedule=wfm.ShiftRules(tours=False))
    page = plan_files.plan_html(wfm.make_plan(forecast, settings), {})
    assert "Queue backoffice" in page and "Deferred work (above available)" not in page
