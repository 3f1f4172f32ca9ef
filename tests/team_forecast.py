"""A two-day forecast for a blended team, shared by the tests of wfm.blending and of the simulator's blended
teams: voice 08:00-20:00 and e-mail listed around the clock, in 15-minute intervals (UTC, so local)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

DAYS = ("2026-11-30", "2026-12-01")


def team_forecast(path: Path) -> Path:
    """Write to ``path`` two days of 15-minute intervals: voice ``v`` 08:00-20:00 (30-50 calls, a midday peak),
    e-mail ``e`` around the clock (6 an interval in the day, 2 at night), 300 s each."""
    rows = ["queue,channel,interval_start,volume,aht"]
    for date in DAYS:
        for j in range(96):
            hour, minute = divmod(15 * j, 60)
            start = f"{date}T{hour:02d}:{minute:02d}:00Z"
            if 8 <= hour < 20:
                rows.append(f"v,voice,{start},{int(30 + 20 * np.sin((hour - 8) / 12 * np.pi))},300")
            rows.append(f"e,email,{start},{6 if 8 <= hour < 20 else 2},300")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
