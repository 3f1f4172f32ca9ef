"""A plan folder's ``summary.json`` read back for ``wfm simulate --plan`` (:func:`read_summary`), and its week for
``wfm whatif --plan`` (:func:`read_week`): every value the simulation uses checked for its type and range, so that
a hand-edited or damaged file is one line naming the file and the key (``plan/summary.json: key
'queues[0].shrinkage.remaining': expected a fraction from 0 to 1, got "x"``), never a Python exception's name. The
ranges are those the plan's settings were checked with (:class:`wfm.scheduling.rules.BreakRule`).
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wfm.errors import ConfigError, InputError

__all__ = ["Summary", "read_summary", "read_text", "read_week"]


@dataclass(frozen=True)
class Summary:
    """What the simulation reads of summary.json (see :class:`wfm.simulation.rosters.PlanFolder`)."""

    week: str
    remaining_shrinkage: dict[str, float]
    teams: dict[str, list[str]]
    break_minutes: dict[str, float]
    break_windows: dict[str, list[tuple[float, float, float, float]]]
    cyclic: bool
    inputs: dict[str, str]
    deferred_days: dict[str, dict[str, dict[str, float]]]  # queue -> measure -> day -> the plan's figure


def read_text(path: Path) -> str:
    """The file's text (UTF-8, a byte-order mark allowed), or a one-line InputError naming it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start + 1:,} cannot be read); "
                         "write the plan again with wfm plan --out") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None


class _Key:
    """A value of the document and the key path it sits at (``queues[0].shrinkage``), for messages."""

    def __init__(self, path: Path, value: Any, key: str = "") -> None:
        self.path, self.value, self.key = path, value, key

    def fail(self, expected: str) -> InputError:
        shown = json.dumps(self.value, ensure_ascii=False)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        where = f"{self.path}: key {self.key!r}" if self.key else str(self.path)
        return InputError(f"{where}: expected {expected}, got {shown}")

    def __getitem__(self, name: str) -> _Key:
        """The member ``name`` of this object; an InputError if this is no object or has no such member."""
        if not isinstance(self.value, dict):
            raise self.fail("an object")
        key = f"{self.key}.{name}" if self.key else name
        if name not in self.value:
            raise InputError(f"{self.path}: key {key!r} is missing (not a summary.json wfm plan wrote)")
        return _Key(self.path, self.value[name], key)

    def get(self, name: str) -> _Key | None:
        """The member ``name``, or None when it is missing or null."""
        if not isinstance(self.value, dict):
            raise self.fail("an object")
        if self.value.get(name) is None:
            return None
        return self[name]

    def items(self) -> list[_Key]:
        if not isinstance(self.value, list):
            raise self.fail("a list")
        return [_Key(self.path, v, f"{self.key}[{i}]") for i, v in enumerate(self.value)]

    def entries(self) -> list[tuple[str, _Key]]:
        if not isinstance(self.value, dict):
            raise self.fail("an object")
        return [(str(k), _Key(self.path, v, f"{self.key}.{k}")) for k, v in self.value.items()]

    def text(self) -> str:
        if not isinstance(self.value, str):
            raise self.fail("text")
        return self.value

    def number(self, low: float = -math.inf, high: float = math.inf, expected: str = "a number") -> float:
        """A finite number in [low, high]."""
        v = self.value
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not low <= v <= high:
            raise self.fail(expected)
        return float(v)

    def flag(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail("true or false")
        return self.value


def _team(members: _Key) -> list[str]:
    """A blended team's queues: a list of at least one queue name (its first leads it)."""
    names = [m.text() for m in members.items()]
    if not names:
        raise members.fail("a list of the team's queues (at least one)")
    return names


def _document(path: Path) -> _Key:
    """summary.json's JSON object; a one-line InputError naming the file for anything else."""
    try:
        doc = _Key(path, json.loads(read_text(path)))
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: "
                         f"{error.msg[:1].lower()}{error.msg[1:]})") from None
    except ValueError:  # Python's limit on the digits of an integer it converts
        raise InputError(f"{path}: not a summary.json wfm plan wrote (a whole number of more than "
                         f"{sys.get_int_max_str_digits():,} digits)") from None
    except RecursionError:
        raise InputError(f"{path}: not a summary.json wfm plan wrote (lists or objects nested too deeply)") from None
    if not isinstance(doc.value, dict):
        raise doc.fail("a JSON object (a summary.json wfm plan wrote)")
    return doc


def _week(week: _Key) -> str:
    """The ISO week at ``week`` (``2026-W49``), checked as ``wfm plan --week`` is, named by the file and key."""
    from wfm.plan import parse_week

    try:
        parse_week(week.text(), f"{week.path}: key {week.key!r}")
    except ConfigError as error:  # the file's value, not a setting
        raise InputError(str(error)) from None
    return week.text()


def read_week(path: Path) -> str | None:
    """The week a plan folder's summary.json (``path``) was planned for, or None where it records none; a
    one-line InputError naming the file (and the key ``week``) for a file or a week that cannot be read."""
    week = _document(path).get("week")
    return None if week is None else _week(week)


def read_summary(path: Path) -> Summary:
    """``path`` (a plan folder's summary.json) read and checked: a one-line InputError naming the file and the key
    for invalid JSON, a missing key or a value of the wrong type or out of range."""
    doc = _document(path)
    week = _week(doc["week"])
    queues = doc["queues"].items()
    fraction = "a fraction from 0 to 1"
    remaining = {q["queue"].text(): q["shrinkage"]["remaining"].number(0.0, 1.0, fraction) for q in queues}
    teams = {q["queue"].text(): _team(q["team"]["queues"])
             for q in queues if q.get("team") is not None and q.value["team"]}  # null (or {}) for a queue alone
    schedule = doc["rules"]["schedule"]
    minutes: dict[str, float] = {}
    windows: dict[str, list[tuple[float, float, float, float]]] = {}
    for b in schedule["breaks"].items():
        name = b["name"].text()
        minutes[name] = b["minutes"].number(1e-9, 1440.0, "minutes more than 0 and at most 1440 (a day)")
        window = b.get("window_h")
        if window is not None:
            if not isinstance(window.value, list) or len(window.value) != 2:
                raise window.fail("two numbers of hours [start, end]")
            start, end = (h.number(-24.0, 24.0, "hours from -24 to 24") for h in window.items())
            shortest, longest = b.get("min_shift_h"), b.get("max_shift_h")  # max null: no longest shift
            windows.setdefault(name, []).append(
                (start, end, 0.0 if shortest is None else shortest.number(0.0, expected="a number of hours >= 0"),
                 math.inf if longest is None else longest.number(0.0, expected="a number of hours >= 0")))
    cyclic = schedule.get("cyclic")
    inputs = doc.get("inputs")
    deferred_days: dict[str, dict[str, dict[str, float]]] = {}
    for q in queues:
        for d in q["deferred"].items() if q.get("deferred") else ():
            figures: dict[str, dict[str, float]] = {"service_level": {}, "mean_response_s": {}, "backlog": {}}
            for x in d["days"].items():
                day = x["day"].text()
                for name, high, expected in (("service_level", 1.0, fraction),
                                             ("mean_response_s", math.inf, "a number of seconds >= 0"),
                                             ("backlog", math.inf, "a number of items >= 0")):
                    value = x.get(name)  # null or absent (a plan written before it had them): no figure that day
                    figures[name][day] = math.nan if value is None else value.number(0.0, high, expected)
            deferred_days[d["queue"].text()] = figures
    return Summary(week, remaining, teams, minutes, windows, True if cyclic is None else cyclic.flag(),
                   {} if inputs is None else {k: v.text() for k, v in inputs.entries()}, deferred_days)
