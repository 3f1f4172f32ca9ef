"""Shared fixtures: small forecast files written on the fly, and the project's sample forecasts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_forecasts"
BANK_DATA = ROOT.parent / "shared" / "data" / "bank_calls_5min_2003.csv"


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """write_csv("a,b\\n1,2\\n", name="f.csv") -> path of a file in a fresh temporary folder."""

    def write(text: str, name: str = "forecast.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def dst_plan():
    """The 24/7 DST sample week planned with the default settings, once per test session (a 10 s solve)."""
    from wfm.config import Settings
    from wfm.forecast import load_forecast
    from wfm.plan import make_plan

    return make_plan(load_forecast(SAMPLES / "dst_247_week_15min.csv"), Settings())
