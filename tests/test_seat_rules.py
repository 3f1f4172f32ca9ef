"""SeatRules: the [seats] table (wfm.seat_rules); how seats are counted with them is tests/test_scheduling_seats.py."""

from __future__ import annotations

import pytest

from wfm.config import SeatRules as SeatRulesFromConfig
from wfm.errors import WfmError
from wfm.seat_rules import SeatRules


def test_seat_rules_from_config() -> None:
    assert SeatRules.from_mapping({"buffer_fraction": 0.1, "shared_seats": True}, "wfm.toml [seats]") == SeatRules(
        buffer_fraction=0.1, shared_seats=True)
    with pytest.raises(WfmError, match=r"wfm.toml \[seats\]: unknown setting 'buffer'"):
        SeatRules.from_mapping({"buffer": 2}, "wfm.toml [seats]")
    with pytest.raises(WfmError, match="buffer_seats must be a whole number"):
        SeatRules.from_mapping({"buffer_seats": 1.5}, "wfm.toml [seats]")
    with pytest.raises(WfmError, match="shared_seats must be true or false"):
        SeatRules.from_mapping({"shared_seats": "yes"}, "wfm.toml [seats]")


def test_seat_rules_are_importable_from_the_config_that_reads_them() -> None:
    assert SeatRulesFromConfig is SeatRules and SeatRules().buffer_seats == 0
