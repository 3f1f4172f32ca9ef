"""Shift rules from a plain mapping such as a TOML ``[schedule]`` table, for
:meth:`~wfm.scheduling.rules.ShiftRules.from_mapping`: unknown keys and wrong types are one-line
errors naming the key (``breaks[0].minutes must be a number, got nan``); the ranges are checked by
the rules themselves when they are built.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from wfm.config import show_value
from wfm.errors import ConfigError, reject_unknown
from wfm.scheduling.rule_values import (
    as_day_counts,
    as_days_off_sets,
    as_flag,
    as_number,
    as_numbers,
    as_pair,
    as_time,
    as_weekly_hours,
    as_whole,
)
from wfm.scheduling.rules import BreakRule, ShiftRules

__all__ = ["parse_rules_mapping"]

_RULE_KEYS = tuple(f.name for f in fields(ShiftRules))
_BREAK_KEYS = ("name", "minutes", "paid", "window_h", "min_shift_h", "max_shift_h")


def _parse_break(data: Any, i: int) -> BreakRule:
    where = f"breaks[{i}]"
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where} must be a table with keys {', '.join(_BREAK_KEYS)}, got {show_value(data)}")
    reject_unknown(data, _BREAK_KEYS, where)
    missing = [k for k in ("minutes", "paid", "window_h") if k not in data]
    if missing:
        raise ConfigError(f"{where} is missing '{missing[0]}'")
    name = data.get("name", f"break {i + 1}")
    if not isinstance(name, str):
        raise ConfigError(f"{where}.name must be a string, got {show_value(name)}")
    return BreakRule(
        name=name,
        minutes=as_number(data["minutes"], f"{where}.minutes"),
        paid=as_flag(data["paid"], f"{where}.paid"),
        window_h=as_pair(data["window_h"], f"{where}.window_h", "[start_h, end_h]"),
        min_shift_h=as_number(data.get("min_shift_h", 0.0), f"{where}.min_shift_h"),
        max_shift_h=as_number(data.get("max_shift_h", math.inf), f"{where}.max_shift_h"),
    )


def parse_rules_mapping(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ConfigError(f"the schedule rules must be a table of key = value pairs, got {show_value(data)}")
    reject_unknown(data, _RULE_KEYS)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("full_time_hours", "part_time_hours"):
            out[key] = as_numbers(value, key)
        elif key in ("start_step_minutes", "start_flex_minutes", "start_band_minutes", "min_agents_per_tour"):
            out[key] = as_whole(value, key)
        elif key in ("days_per_week", "part_time_days_per_week"):
            out[key] = as_day_counts(value, key)
        elif key == "weekly_hours":
            out[key] = as_weekly_hours(value)
        elif key == "fixed_days_off":
            out[key] = as_days_off_sets(value)
        elif key in ("earliest_start", "latest_start"):
            out[key] = as_time(value, key)
        elif key in ("allow_closed_time", "cyclic", "tours", "consecutive_days_off", "weight_by_service_level",
                     "every_other_weekend_off"):
            out[key] = as_flag(value, key)
        elif key in ("understaffing_weight", "time_limit_s", "mip_gap"):
            out[key] = as_number(value, key)
        elif key == "max_part_time_share":
            out[key] = None if value is None else as_number(value, key)
        elif key == "breaks":
            if not isinstance(value, (list, tuple)):
                raise ConfigError(f"breaks must be a list of tables, got {show_value(value)}")
            out[key] = tuple(_parse_break(b, i) for i, b in enumerate(value))
        elif key == "cost_per_paid_hour":
            if not isinstance(value, Mapping):
                raise ConfigError('cost_per_paid_hour must be a table of shift length = cost, e.g. {"8" = 25.0}, '
                               f"got {show_value(value)}")
            pairs = []
            for k, v in value.items():
                try:
                    length = float(k)
                except (TypeError, ValueError):
                    length = math.nan
                if not math.isfinite(length):
                    raise ConfigError(f"cost_per_paid_hour key {show_value(k)} is not a shift length in hours")
                pairs.append((length, as_number(v, f"cost_per_paid_hour.{k}")))
            out[key] = tuple(pairs)
    return out
