"""Settings from a `wfm.toml` file: staffing targets, per-queue overrides, forecast and schedule options.

    [forecast]
    tz = "America/Chicago"          # IANA zone for naive timestamps
    interval_minutes = 15           # override the inferred interval length

    [targets]                       # every queue; the CLI flags of the same names override them
    service_level = 0.8             # fraction answered within answer_within_s
    answer_within_s = 30            # seconds
    max_occupancy = 0.85            # fraction
    asa_s = 20                      # seconds (optional)
    shrinkage = 0.30                # fraction of paid time not available for contacts
    min_staff = 1                   # agents per open interval
    paid_hours_per_fte_week = 40    # hours

    [queues.billing]                # any target above, for one queue
    service_level = 0.9

    [schedule]                      # shift rules, read by wfm.shifts
    [seats]                         # seat counting, read by wfm.plan
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

from wfm.errors import WfmError


@dataclass(frozen=True)
class Targets:
    """What a queue's staffing must achieve, and how staff relate to agents on the phones."""

    service_level: float = 0.80  # fraction (0-1) of contacts answered within answer_within_s
    answer_within_s: float = 30.0  # seconds
    max_occupancy: float = 0.85  # fraction (0-1] of agents' time handling contacts
    asa_s: float | None = None  # average speed of answer target, seconds; None: no target
    shrinkage: float = 0.30  # fraction (0-1) of paid time away from the phones
    min_staff: int = 0  # agents on the phones in every open interval
    paid_hours_per_fte_week: float = 40.0  # hours paid to one full-time equivalent per week

    def check(self, where: str) -> "Targets":
        """Raise a one-line WfmError for an impossible target; ``where`` names its source
        (a file and section, or "command line")."""
        problems = [
            (not 0.0 <= self.service_level < 1.0, "service_level", "a fraction in [0, 1): 1 would need infinitely many agents"),
            (not 0.0 <= self.answer_within_s < float("inf"), "answer_within_s", "seconds >= 0"),
            (not 0.0 < self.max_occupancy <= 1.0, "max_occupancy", "a fraction in (0, 1]"),
            (self.asa_s is not None and not self.asa_s > 0.0, "asa_s", "seconds > 0"),
            (not 0.0 <= self.shrinkage < 1.0, "shrinkage", "a fraction in [0, 1)"),
            (not self.min_staff >= 0, "min_staff", "a whole number >= 0"),
            (not self.paid_hours_per_fte_week > 0.0, "paid_hours_per_fte_week", "hours > 0"),
        ]
        for bad, name, expected in problems:
            if bad:
                what = CLI_FLAGS[name] if where == "command line" else f"{where}: {name}"
                raise WfmError(f"{what} must be {expected}, got {getattr(self, name)!r}")
        return self


TARGET_NAMES = tuple(f.name for f in fields(Targets))
CLI_FLAGS = {  # the command-line spelling of each target, for messages about flags
    "service_level": "--service-level",
    "answer_within_s": "--answer-within",
    "max_occupancy": "--max-occupancy",
    "asa_s": "--asa",
    "shrinkage": "--shrinkage",
    "min_staff": "--min-staff",
    "paid_hours_per_fte_week": "--paid-hours",
}
_TARGET_TYPES = {"min_staff": int}


@dataclass(frozen=True)
class Settings:
    """Everything a run needs besides the forecast itself."""

    targets: Targets = field(default_factory=Targets)
    queue_targets: Mapping[str, Targets] = field(default_factory=dict)
    tz: str | None = None
    interval_minutes: int | None = None
    schedule: Mapping[str, Any] = field(default_factory=dict)  # shift rules, read by wfm.shifts
    seats: Mapping[str, Any] = field(default_factory=dict)  # seat counting, read by wfm.plan
    source: str = "defaults"

    def targets_for(self, queue: str) -> Targets:
        """The targets of one queue: its own section if any, else the common ones."""
        return self.queue_targets.get(queue, self.targets)


def _coerce_targets(base: Targets, values: Mapping[str, Any], where: str) -> Targets:
    unknown = sorted(set(values) - set(TARGET_NAMES))
    if unknown:
        raise WfmError(f"{where}: unknown setting {unknown[0]!r}; expected one of {', '.join(TARGET_NAMES)}")
    clean: dict[str, Any] = {}
    for name, value in values.items():
        kind = _TARGET_TYPES.get(name, float)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
            expected = "a whole number" if kind is int else "a number"
            raise WfmError(f"{where}: {name} must be {expected}, got {value!r}")
        clean[name] = kind(value)
    return replace(base, **clean).check(where)


def load_settings(path: str | Path | None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Read a wfm.toml (or use the defaults when ``path`` is None), then apply ``overrides``:
    the CLI's target flags, which win over the file for every queue."""
    settings = Settings() if path is None else _read_settings(Path(path))
    return apply_overrides(settings, overrides or {})


def _read_settings(path: Path) -> Settings:
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WfmError(f"{where}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WfmError(f"{where}: cannot read config file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise WfmError(f"{where}: not valid TOML: {exc}") from None

    unknown = sorted(set(raw) - {"forecast", "targets", "queues", "schedule", "seats"})
    if unknown:
        raise WfmError(f"{where}: unknown section [{unknown[0]}]; "
                       "expected [forecast], [targets], [queues.NAME], [schedule] or [seats]")
    targets = _coerce_targets(Targets(), _table(raw, "targets", where), f"{where} [targets]")
    queue_targets = {
        name: _coerce_targets(targets, _table(raw["queues"], name, f"{where} [queues]"), f"{where} [queues.{name}]")
        for name in _table(raw, "queues", where)
    }
    forecast = _table(raw, "forecast", where)
    bad = sorted(set(forecast) - {"tz", "interval_minutes"})
    if bad:
        raise WfmError(f"{where} [forecast]: unknown setting {bad[0]!r}; expected tz or interval_minutes")
    return Settings(
        targets=targets,
        queue_targets=queue_targets,
        tz=forecast.get("tz"),
        interval_minutes=forecast.get("interval_minutes"),
        schedule=_table(raw, "schedule", where),
        seats=_table(raw, "seats", where),
        source=where,
    )


def apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """Command-line targets win over the file, for the common targets and every queue's."""
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if not overrides:
        return settings
    return replace(
        settings,
        targets=_coerce_targets(settings.targets, overrides, "command line"),
        queue_targets={q: _coerce_targets(t, overrides, "command line") for q, t in settings.queue_targets.items()},
    )


def _table(raw: Mapping[str, Any], name: str, where: str) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise WfmError(f"{where}: [{name}] must be a table")
    return value
