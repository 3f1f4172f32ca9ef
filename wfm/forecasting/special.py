"""``[forecast.special_days]`` of wfm.toml: a date → a factor on that day's forecast volume, or "closed"."""

from __future__ import annotations

from datetime import date
from typing import Any

from wfm.errors import ConfigError
from wfm.targets import one_value, real_number


def parse_special_days(table: Any, where: str) -> dict[date, float]:
    """``{"2026-12-25": "closed", "2026-11-27": 1.3}`` as {date: factor} (closed: 0.0); ConfigError naming
    ``where`` and the key otherwise."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where} [forecast]: special_days must be a table of dates, got {type(table).__name__}")
    out: dict[date, float] = {}
    for key, value in table.items():
        label = f"{where} [forecast.special_days]: {key!r}"
        try:
            day = date.fromisoformat(str(key))
        except ValueError:
            raise ConfigError(f"{label}: expected a date such as 2026-12-25") from None
        value = one_value(value)  # as every setting: a numpy scalar or a 0-d array is its value
        factor = real_number(value)  # never a bool, text or NaN
        if isinstance(value, str) and value == "closed":
            out[day] = 0.0
        elif factor is not None and 0 <= factor <= 100:
            out[day] = factor
        else:
            raise ConfigError(f"{label}: expected \"closed\" or a factor from 0 to 100, got {value!r}")
    return out
