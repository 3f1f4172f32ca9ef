"""``[forecast.special_days]`` of wfm.toml: a date → a factor on that day's forecast volume, or "closed"."""

from __future__ import annotations

from datetime import date
from typing import Any

from wfm.errors import ConfigError


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
        if value == "closed":
            out[day] = 0.0
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100:
            out[day] = float(value)
        else:
            raise ConfigError(f"{label}: expected \"closed\" or a factor from 0 to 100, got {value!r}")
    return out
