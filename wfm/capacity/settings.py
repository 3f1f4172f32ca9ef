"""The capacity plan's settings: the ``[capacity]`` section of wfm.toml, then the command line's flags over it.

    [capacity]
    profile = "week_15min.csv"      # the week of interval forecast that shapes each period (relative to wfm.toml)
    headcount = 150                 # agents on the payroll at the start, as FTE; or by site: {onshore = 100, offshore = 50}
    attrition = 0.30                # fraction of agents who leave within a year, in [0, 1);
                                    # or twelve monthly fractions, January first: [0.03, 0.025, ...]
    training_weeks = 4              # classroom weeks, not productive (1-26; usually 2-12)
    ramp_start = 0.5                # productivity in the first week after training, (0, 1]
    ramp_weeks = 4                  # weeks from ramp_start to full productivity (0: full at once)
    class_min = 8                   # agents in a class, whole numbers
    class_max = 20
    max_classes_per_week = 1        # classes that can start in the same week (trainers, rooms)
    lead_time_weeks = 4             # from the plan's start to the first class (recruiting)
    start = 2026-11-02              # the plan's start (headcount as of that day) [default: the first period's first day]
    cost_per_fte_month = 3200       # payroll per agent per month [optional; the cost column is empty without it]
    cost_per_hire = 0               # recruiting and onboarding per hire
    cost_per_class = 0              # a trainer and a room per class

Flags (``--headcount``, ``--attrition``, ``--training-weeks``, ``--ramp-start``, ``--ramp-weeks``, ``--class-min``,
``--class-max``, ``--classes-per-week``, ``--lead-time-weeks``, ``--start``, ``--cost-per-fte-month``,
``--cost-per-hire``, ``--cost-per-class``, ``--profile``) win over the file. ``--attrition`` takes one annual
fraction or twelve monthly fractions separated by commas. Every check raises a ConfigError naming the file and
key, or the flag.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from wfm.config import one_value, real_number, show_value
from wfm.errors import ConfigError, reject_unknown
from wfm.targets import percent_hint

__all__ = ["CapacitySettings", "load_capacity_settings", "FLAGS"]

FLAGS: dict[str, str] = {
    "profile": "--profile",
    "headcount": "--headcount",
    "attrition": "--attrition",
    "training_weeks": "--training-weeks",
    "ramp_start": "--ramp-start",
    "ramp_weeks": "--ramp-weeks",
    "class_min": "--class-min",
    "class_max": "--class-max",
    "max_classes_per_week": "--classes-per-week",
    "lead_time_weeks": "--lead-time-weeks",
    "start": "--start",
    "cost_per_fte_month": "--cost-per-fte-month",
    "cost_per_hire": "--cost-per-hire",
    "cost_per_class": "--cost-per-class",
}
"""Every [capacity] key and its flag."""


@dataclass(frozen=True)
class CapacitySettings:
    """The hiring model's inputs, checked (see the module docstring for meanings and defaults)."""

    headcount: float
    attrition: tuple[float, ...] = (0.30,)  # one annual fraction, or twelve monthly fractions (January first)
    training_weeks: int = 4
    ramp_start: float = 0.5
    ramp_weeks: int = 4
    class_min: int = 8
    class_max: int = 20
    max_classes_per_week: int = 1
    lead_time_weeks: int = 4
    start: dt.date | None = None
    cost_per_fte_month: float | None = None
    cost_per_hire: float = 0.0
    cost_per_class: float = 0.0
    profile: Path | None = None
    headcount_by_site: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        check = _Check("CapacitySettings")  # the same ranges as wfm.toml and the flags (_checked); the checked
        # values are kept (plain int and float, whatever numeric type was given)
        self._keep(_checked({key: getattr(self, key) for key in ("headcount", "attrition", "training_weeks",
                                                                 "ramp_start", "ramp_weeks", "class_min",
                                                                 "class_max")}, check))
        if self.class_max < self.class_min:
            raise ConfigError(f"class_max ({self.class_max}) must be at least class_min ({self.class_min})")
        self._keep(_checked({key: getattr(self, key) for key in ("max_classes_per_week", "lead_time_weeks",
                                                                 "cost_per_fte_month", "cost_per_hire",
                                                                 "cost_per_class") if getattr(self, key) is not None},
                            check))
        if (self.cost_per_hire or self.cost_per_class) and self.cost_per_fte_month is None:
            raise ConfigError("cost_per_hire and cost_per_class need cost_per_fte_month (--cost-per-fte-month): "
                              "costs are summed in its currency")

    def _keep(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            object.__setattr__(self, key, value)

    @property
    def annual(self) -> bool:
        """One annual attrition rate (not a monthly curve)."""
        return len(self.attrition) == 1

    @property
    def has_cost(self) -> bool:
        return self.cost_per_fte_month is not None


class _Check:
    """Range checks whose messages name the key as the source spells it (a flag, or a file and section)."""

    def __init__(self, where: str, flags: bool = False) -> None:
        self.where, self.flags = where, flags

    def name(self, key: str) -> str:
        return FLAGS[key] if self.flags else f"{self.where}: {key}"

    def fail(self, key: str, expected: str, value: Any) -> ConfigError:
        # a flag's float as typed (--headcount -1 is -1.0 by then): 30.0 as 30, true and false as in TOML
        shown = repr(value) if isinstance(value, str) else show_value(value) if isinstance(value, (bool, float)) \
            else f"{value}"
        return ConfigError(f"{self.name(key)} must be {expected}, got {shown}{percent_hint(value, expected)}")

    def number(self, key: str, value: Any, ok: Any, expected: str) -> float:
        number = real_number(value)
        if number is None or not math.isfinite(number) or not ok(number):
            raise self.fail(key, expected, value)
        return number

    def whole(self, key: str, value: Any, low: int, high: int) -> int:
        number = real_number(value)
        if number is None or not math.isfinite(number) or not number.is_integer() or not low <= number <= high:
            raise self.fail(key, f"a whole number from {low} to {high}", value)
        return int(number)

    def attrition(self, value: Any) -> tuple[float, ...]:
        """One annual fraction, or twelve monthly ones: a list, a tuple or a numpy array of them (a 0-d array is one
        value by then: :func:`_checked`)."""
        values = tuple(value) if isinstance(value, (list, tuple, np.ndarray)) else (value,)
        if len(values) not in (1, 12):
            raise self.fail("attrition", "one annual fraction or twelve monthly fractions (January first)",
                            f"{len(values)} values")
        return tuple(self.number("attrition", v, lambda x: 0 <= x < 1,
                                 "a fraction >= 0 and < 1 (the share of agents who leave "
                                 + ("within a year" if len(values) == 1 else "in a month") + ")")
                     for v in values)


def _from_table(table: Mapping[str, Any], path: Path) -> dict[str, Any]:
    """The [capacity] table of the wfm.toml ``path``, as :func:`wfm.config.load_settings` read it (the one
    reader of the file, which also checks the rest of it)."""
    where = f"{path} [capacity]"
    reject_unknown(table, FLAGS, where)
    values = dict(table)
    check = _Check(where)
    if "headcount" in values and isinstance(values["headcount"], dict):
        sites = values["headcount"]
        if not sites:
            raise check.fail("headcount", "a number or a table of sites and numbers", "an empty table")
        by_site = tuple((str(site), check.number("headcount", n, lambda v: v >= 0, "a number of agents >= 0"))
                        for site, n in sites.items())
        values["headcount_by_site"] = by_site
        values["headcount"] = sum(n for _, n in by_site)
    if "profile" in values:
        if not isinstance(values["profile"], str) or not values["profile"].strip():
            raise check.fail("profile", "the path of a forecast CSV (text)", values["profile"])
        values["profile"] = path.parent / values["profile"]
    if "start" in values:
        start = values["start"]
        if isinstance(start, dt.datetime) or not isinstance(start, dt.date):
            raise check.fail("start", "a date such as 2026-11-02 (a TOML date, not text)", start)
    return _checked(values, check)


def _checked(values: dict[str, Any], check: _Check) -> dict[str, Any]:
    """Types and ranges of each value given, with ``check``'s names in the messages."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        value = one_value(value)  # a numpy scalar or a 0-d array is its value, as in every setting
        if key == "attrition":
            out[key] = check.attrition(value)
        elif key in ("training_weeks",):
            out[key] = check.whole(key, value, 1, 26)
        elif key in ("ramp_weeks",):
            out[key] = check.whole(key, value, 0, 52)
        elif key in ("class_min", "class_max"):
            out[key] = check.whole(key, value, 1, 10_000)
        elif key == "max_classes_per_week":
            out[key] = check.whole(key, value, 1, 100)
        elif key == "lead_time_weeks":
            out[key] = check.whole(key, value, 0, 260)
        elif key == "headcount":
            out[key] = check.number(key, value, lambda v: 0 <= v <= 10_000_000,
                                    "a number of agents from 0 to 10,000,000 (over every site)")
        elif key == "ramp_start":
            out[key] = check.number(key, value, lambda v: 0 < v <= 1, "a fraction > 0 and <= 1")
        elif key in ("cost_per_fte_month", "cost_per_hire", "cost_per_class"):
            out[key] = check.number(key, value, lambda v: 0 <= v < 1e12, "an amount >= 0")
        else:  # profile, start, headcount_by_site: checked by the caller
            out[key] = value
    return out


def parse_attrition_flag(text: str) -> tuple[float, ...]:
    """``--attrition 0.30`` or twelve monthly fractions ``0.03,0.02,...``."""
    parts = [p.strip() for p in text.split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ConfigError(f"--attrition must be a fraction such as 0.30, or twelve monthly fractions separated by "
                          f"commas, got {text!r}") from None
    return _Check("", flags=True).attrition(values)


def parse_start_flag(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"--start must be a date such as 2026-11-02, got {text!r}") from None


def load_capacity_settings(config: Path | None, flags: Mapping[str, Any],
                           table: Mapping[str, Any] | None = None) -> CapacitySettings:
    """The [capacity] section of ``config`` (when given; ``table``: that section as the settings already
    read it, else it is read with :func:`wfm.config.load_settings`), then ``flags`` (by key, None: not
    given) over it."""
    if config is not None and table is None:
        from wfm.config import load_settings

        table = load_settings(config).capacity
    values = _from_table(table or {}, Path(config)) if config is not None else {}
    given = {k: v for k, v in flags.items() if v is not None}
    unknown = sorted(set(given) - set(FLAGS))
    if unknown:
        raise ValueError(f"unknown capacity settings {unknown}")
    check = _Check("", flags=True)
    if isinstance(given.get("attrition"), str):
        given["attrition"] = parse_attrition_flag(given["attrition"])
    if isinstance(given.get("start"), str):
        given["start"] = parse_start_flag(given["start"])
    if "headcount" in given:
        values.pop("headcount_by_site", None)
    values.update(_checked(given, check))
    if "headcount" not in values:
        raise ConfigError("--headcount is required: the agents on the payroll at the plan's start (or headcount "
                          "in the [capacity] section of --config)")
    def named(key: str, default: Any) -> str:  # where each value comes from: a flag, the file or the default
        where = (FLAGS.get(key, key) if key in given else f"{config} [capacity] {key}" if key in values
                 else f"the default {key}")
        return f"{where} {show_value(values.get(key, default))}"

    if values.get("class_max", 20) < values.get("class_min", 8):
        raise ConfigError(f"{named('class_min', 8)} is above {named('class_max', 20)}: a class cannot be smaller "
                          "than its least size; lower the one or raise the other")
    costly = [key for key in ("cost_per_hire", "cost_per_class") if values.get(key)]
    if costly and values.get("cost_per_fte_month") is None:
        raise ConfigError(f"{named(costly[0], 0)} needs cost_per_fte_month (--cost-per-fte-month, or in the "
                          "[capacity] section): costs are summed in its currency")
    if values.get("profile") is not None:
        values["profile"] = Path(values["profile"])
        if "profile" not in given and not values["profile"].is_file():  # wfm.toml's: named with its setting, as the
            # read would name only the path it resolved (a --profile given is the path the user typed)
            raise ConfigError(f"{config} [capacity]: profile {(table or {}).get('profile')!r} ({values['profile']}) is "
                              f"{'a folder' if values['profile'].is_dir() else 'not found'}: give the path of a "
                              "forecast CSV, relative to the folder of the config file")
    return CapacitySettings(**values)
