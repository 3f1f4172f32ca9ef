"""wfm.report: atomic files, CSV and JSON shapes, the tables a planner reads."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from wfm import report
from wfm.config import Settings, Targets
from wfm.forecast import load_forecast
from wfm.staffing import calculate, size


def test_write_atomic_replaces_whole_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    target.write_text("old plan\n")
    report.write_atomic(target, "new plan\n")
    assert target.read_text() == "new plan\n"
    assert os.listdir(tmp_path) == ["plan.csv"]


def test_write_atomic_keeps_old_file_when_interrupted(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "plan.csv"
    target.write_text("old plan\n")

    def crash(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        report.write_atomic(target, "half a plan")
    assert target.read_text() == "old plan\n"
    assert os.listdir(tmp_path) == ["plan.csv"]


def test_csv_quotes_only_when_needed() -> None:
    plain = report.to_csv({"queue": np.array(["a", "b"], dtype=object), "agents": np.array([1, 2])})
    assert plain == "queue,agents\na,1\nb,2\n"
    quoted = report.to_csv({"queue": np.array(["a,b"], dtype=object), "agents": np.array([1])})
    assert quoted.splitlines() == ["queue,agents", '"a,b",1']


def _requirement(write_csv, volumes=(100, 300)):
    rows = "".join(f"2026-12-01T08:{15 * k:02d}:00-06:00,{v},180\n" for k, v in enumerate(volumes))
    return size(load_forecast(write_csv("interval_start,volume,aht\n" + rows)), Settings(targets=Targets(answer_within_s=20)))


def test_requirement_csv_columns_and_values(write_csv) -> None:
    text = report.to_csv(report.requirement_columns(_requirement(write_csv)))
    lines = text.splitlines()
    assert lines[0] == "queue,interval_start,volume,aht,traffic_erlangs,agents,service_level,asa_s,occupancy,staff"
    fields = lines[1].split(",")
    assert fields[:5] == ["default", "2026-12-01T08:00:00-06:00", "100", "180", "20"]
    assert int(fields[5]) >= 20 and int(fields[9]) == int(np.ceil(int(fields[5]) / 0.7 - 1e-9))


def test_json_is_valid_without_infinities_and_deterministic(write_csv) -> None:
    requirement = _requirement(write_csv)
    text = report.to_json(report.requirement_document(requirement))
    assert text == report.to_json(report.requirement_document(requirement))
    document = json.loads(text)
    assert list(document["intervals"][0]) == list(report.REQUIREMENT_COLUMNS)
    assert document["queues"][0]["queue"] == "default"
    assert document["targets"]["default"]["answer_within_s"] == 20
    calc = json.loads(report.to_json(report.calculation_document(calculate(100, 180, 1800, Targets(), agents=5))))
    assert calc["options"][0]["asa_s"] is None  # overloaded: infinite ASA is null in JSON


def test_tables_render_as_plain_text(write_csv) -> None:
    text = report.render_text(report.print_requirement, _requirement(write_csv))
    assert "Per day" in text and "Tue 2026-12-01" in text
    assert "peak agents on the phones per hour" in text and "08:00" in text
    assert "\x1b[" not in text  # no colour codes in files


def test_percentages_and_an_undefined_service_level() -> None:
    assert report.pct(0.8) == "80.0%" and report.pct(1.0) == "100.0%"
    assert report.pct(float("nan")) == "-"  # a queue with no contacts has no service level
