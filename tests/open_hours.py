"""Open hours for the scheduling tests: the UTC interval starts and UTC offsets of a stretch of
local time, as a requirement gives them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np


def utc_intervals(first: datetime, count: int, minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """`count` intervals from aware `first`, stepping in real time; UTC starts and offsets."""
    starts, offsets = [], []
    t = first.astimezone(UTC)
    for _ in range(count):
        local = t.astimezone(first.tzinfo)
        starts.append(np.datetime64(t.replace(tzinfo=None), "s"))
        offsets.append(int(local.utcoffset().total_seconds()))
        t += timedelta(minutes=minutes)
    return np.array(starts), np.array(offsets)


def business_week(open_h: float, close_h: float, days: int, minutes: int = 15, tz: str = "America/Chicago"):
    """Open `open_h`-`close_h` local on `days` consecutive days from Mon 2026-11-30 (no DST change)."""
    zone = ZoneInfo(tz)
    starts, offsets = [], []
    for d in range(days):
        day = datetime(2026, 11, 30, tzinfo=zone) + timedelta(days=d)
        t = day + timedelta(hours=open_h)
        while t < day + timedelta(hours=close_h):
            starts.append(np.datetime64(t.astimezone(UTC).replace(tzinfo=None), "s"))
            offsets.append(int(t.utcoffset().total_seconds()))
            t += timedelta(minutes=minutes)
    return np.array(starts), np.array(offsets)
