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

    [schedule]                      # shift rules: wfm.scheduling.rules.ShiftRules (ranges in its docstring)
    [seats]                         # seat counting: SeatRules below

The file is checked whole when it is loaded, by every command: unknown sections and keys, wrong
types and values out of range are one-line :class:`~wfm.errors.ConfigError`\\ s naming the file, the section and
the key (``wfm.toml [forecast]: interval_minutes must be ..., got true``). Types are strict: a
bool is not a number (even though ``True`` is an int in Python), a string is not a number, a whole
number is an int or a float with an integral value (``15.0``), and NaN is never a value.

Ranges (the same for the command-line flags, whose messages name the flag):

    [forecast]  tz                       a known IANA zone name (checked with zoneinfo)
                interval_minutes         a whole number of minutes dividing 1440
    [targets]   service_level            [0, 1)       (1 would need infinitely many agents)
                answer_within_s          [0, 86400]   seconds (a day)
                max_occupancy            (0, 1]
                asa_s                    (0, 86400]   seconds
                shrinkage                [0, 1)
                min_staff                whole, 0 to 100,000 agents
                paid_hours_per_fte_week  (0, 168]     hours (a week)
    [seats]     absent_fraction          [0, 1)
                buffer_fraction          [0, 1)
                buffer_seats             whole, 0 to 100,000
                shared_seats             true or false
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time
from functools import cached_property
from numbers import Real
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wfm.errors import ConfigError

if TYPE_CHECKING:  # imported when the rules are parsed, not with this module
    from wfm.scheduling.rules import ShiftRules

MAX_SECONDS = 86_400.0  # answer_within_s, asa_s: a day
MAX_AGENTS = 100_000  # min_staff, buffer_seats
HOURS_PER_WEEK = 168.0  # paid_hours_per_fte_week


def show_value(value: Any) -> str:
    """A setting's value spelled as in TOML, for messages: ``true``, ``"15"``, ``inf``, ``[30]``."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, float):  # 30.0 as 30, 1e300 as 1e+300
        text = ("nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value)
                else str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value))
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(show_value(v) for v in value) + "]"
    elif isinstance(value, Mapping):
        text = "{" + ", ".join(f"{_toml_key(str(k))} = {show_value(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, (datetime, date, time)):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _toml_key(name: str) -> str:
    """A table or key name as TOML spells it: bare when it can be, else quoted."""
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name, ensure_ascii=False)


def _is_number(value: Any) -> bool:
    """An int or float that is not a bool (``True`` is an int in Python) and not NaN."""
    return isinstance(value, Real) and not isinstance(value, bool) and not math.isnan(value)


def _is_whole(value: Any) -> bool:
    """A finite number with an integral value: ``15`` or ``15.0``, never ``True`` or ``"15"``."""
    return _is_number(value) and math.isfinite(value) and value == int(value)


_TARGETS_SOURCE: ContextVar[str] = ContextVar("targets_source", default="Targets")
"""Where the Targets being made come from, for messages (a file and section, or "command line")."""


@dataclass(frozen=True)
class Targets:
    """What a queue's staffing must achieve, and how staff relate to agents on the phones.
    The ranges are in :data:`_TARGET_RANGES` and the module docstring."""

    service_level: float = 0.80  # fraction [0, 1) of contacts answered within answer_within_s
    answer_within_s: float = 30.0  # seconds, [0, 86400]
    max_occupancy: float = 0.85  # fraction (0, 1] of agents' time handling contacts
    asa_s: float | None = None  # average speed of answer target, seconds (0, 86400]; None: no target
    shrinkage: float = 0.30  # fraction [0, 1) of paid time away from the phones
    min_staff: int = 0  # agents on the phones in every open interval, 0 to 100,000
    paid_hours_per_fte_week: float = 40.0  # hours paid to one full-time equivalent per week, (0, 168]
    model: str = "erlang-c"  # the queueing model: "erlang-c" (nobody hangs up) or "erlang-a" (callers abandon)
    patience_s: float | None = None  # mean patience before abandoning, seconds [5, 86400]; erlang-a needs it
    max_abandon_rate: float | None = None  # fraction (0, 1) of offered contacts that may abandon; erlang-a only

    def __post_init__(self) -> None:
        self.check(_TARGETS_SOURCE.get())  # built in code or from a file, never out of range

    def check(self, where: str) -> Targets:
        """Raise a one-line ConfigError for an impossible target; ``where`` names its source
        (a file and section, or "command line")."""
        for name, (whole, ok, expected) in _TARGET_RANGES.items():
            value = getattr(self, name)
            if name in _OPTIONAL_TARGETS and value is None:
                continue
            if not (_is_whole(value) if whole else _is_number(value)) or not ok(value):
                raise ConfigError(f"{_name_in(where, name)} must be {expected}, got {show_value(value)}")
        if self.model not in MODELS:
            raise ConfigError(f"{_name_in(where, 'model')} must be one of {', '.join(map(show_value, MODELS))}, "
                              f"got {show_value(self.model)}")
        if self.model == "erlang-a" and self.patience_s is None:
            raise ConfigError(f"{_name_in(where, 'patience_s')} is needed by the erlang-a model: the callers' mean "
                              "patience in seconds, e.g. 120")
        if self.model != "erlang-a" and self.max_abandon_rate is not None:
            raise ConfigError(f"{_name_in(where, 'max_abandon_rate')} needs model = \"erlang-a\" (under Erlang C "
                              "nobody abandons)")
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
    "model": "--model",
    "patience_s": "--patience",
    "max_abandon_rate": "--max-abandon",
}
MODELS = ("erlang-c", "erlang-a")
"""The queueing models: Erlang C (M/M/N, nobody hangs up) and Erlang A (M/M/N+M, callers abandon)."""
_OPTIONAL_TARGETS = ("asa_s", "patience_s", "max_abandon_rate")
# name: (a whole number?, in range?, what it must be). NaN and infinity fail every range.
_TARGET_RANGES = {
    "service_level": (False, lambda v: 0.0 <= v < 1.0, "a fraction in [0, 1): 1 would need infinitely many agents"),
    "answer_within_s": (False, lambda v: 0.0 <= v <= MAX_SECONDS, "seconds from 0 to 86400 (a day)"),
    "max_occupancy": (False, lambda v: 0.0 < v <= 1.0, "a fraction in (0, 1]"),
    "asa_s": (False, lambda v: 0.0 < v <= MAX_SECONDS, "seconds more than 0 and at most 86400 (a day)"),
    "shrinkage": (False, lambda v: 0.0 <= v < 1.0, "a fraction in [0, 1)"),
    "min_staff": (True, lambda v: 0 <= v <= MAX_AGENTS, f"a whole number of agents from 0 to {MAX_AGENTS}"),
    "paid_hours_per_fte_week": (False, lambda v: 0.0 < v <= HOURS_PER_WEEK,
                                "hours more than 0 and at most 168 (a week)"),
    "patience_s": (False, lambda v: 5.0 <= v <= MAX_SECONDS, "seconds from 5 to 86400 (a day)"),
    "max_abandon_rate": (False, lambda v: 0.0 < v < 1.0, "a fraction in (0, 1)"),
}


def _name_in(where: str, name: str) -> str:
    """How a message names a target: its flag on the command line, else ``file [section]: name``."""
    return CLI_FLAGS[name] if where == "command line" else f"{where}: {name}"


@dataclass(frozen=True)
class SeatRules:
    """How seats are counted: ``[seats]`` in wfm.toml (see wfm.scheduling.seats).

    Ranges: ``absent_fraction`` and ``buffer_fraction`` fractions in [0, 1); ``buffer_seats`` a
    whole number from 0 to 100,000; ``shared_seats`` true or false.
    """

    absent_fraction: float = 0.0  # fraction of scheduled agents not on site
    buffer_fraction: float = 0.0  # extra seats as a fraction of the peak
    buffer_seats: int = 0  # extra seats as a count
    shared_seats: bool = False  # agents on break free their seat

    def __post_init__(self) -> None:
        SeatRules._check(vars(self), "SeatRules")  # the same checks as [seats]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str) -> SeatRules:
        """From a ``[seats]`` table; unknown keys, wrong types and values out of range are one-line
        errors naming ``source`` (e.g. ``"wfm.toml [seats]"``) and the key."""
        cls._check(data, source)
        return cls(**{k: _SEAT_KINDS[k](v) for k, v in data.items()})

    @staticmethod
    def _check(data: Mapping[str, Any], source: str) -> None:
        kinds = _SEAT_KINDS
        unknown = sorted(set(data) - set(kinds))
        if unknown:
            raise ConfigError(f"{source}: unknown setting {unknown[0]!r}; expected one of {', '.join(kinds)}")
        for key, value in data.items():
            kind = kinds[key]
            if kind is bool:
                ok, expected = isinstance(value, bool), "true or false"
            elif kind is int:
                ok, expected = _is_whole(value) and 0 <= value <= MAX_AGENTS, f"a whole number from 0 to {MAX_AGENTS}"
            else:
                ok, expected = _is_number(value) and 0.0 <= value < 1.0, "a fraction in [0, 1)"
            if not ok:
                raise ConfigError(f"{source}: {key} must be {expected}, got {show_value(value)}")


_SEAT_KINDS: dict[str, type] = {"absent_fraction": float, "buffer_fraction": float, "buffer_seats": int,
                                "shared_seats": bool}


@dataclass(frozen=True)
class Settings:
    """Everything a run needs besides the forecast itself.

    ``schedule`` and ``seats`` are the raw ``[schedule]`` and ``[seats]`` tables; ``shift_rules``
    and ``seat_rules`` parse them (once; :func:`load_settings` does it at load time, so a bad table
    fails every command). ``source`` is the config file (``"defaults"`` without one) and
    ``source_sha256`` the SHA-256 hex digest of its bytes as parsed (None without a file).
    """

    targets: Targets = field(default_factory=Targets)
    queue_targets: Mapping[str, Targets] = field(default_factory=dict)
    queue_sites: Mapping[str, str] = field(default_factory=dict)  # [queues.NAME] site; others: DEFAULT_SITE
    tz: str | None = None
    interval_minutes: int | None = None
    schedule: Mapping[str, Any] = field(default_factory=dict)  # shift rules, read by wfm.scheduling.rules
    seats: Mapping[str, Any] = field(default_factory=dict)  # seat counting, read by wfm.plan
    source: str = "defaults"
    source_sha256: str | None = None

    def __post_init__(self) -> None:
        # Validated on construction, in code as from a file: the rules are parsed (and cached) now.
        for name, targets in {"targets": self.targets, **self.queue_targets}.items():
            if not isinstance(targets, Targets):
                raise TypeError(f"Settings: {name} must be a Targets, got {type(targets).__name__}")
        self.shift_rules  # noqa: B018
        self.seat_rules  # noqa: B018

    @classmethod
    def from_toml(cls, path: str | Path) -> Settings:
        """Settings read from a wfm.toml file (see :func:`load_settings`)."""
        return load_settings(path)

    def targets_for(self, queue: str) -> Targets:
        """The targets of one queue: its own section if any, else the common ones."""
        return self.queue_targets.get(queue, self.targets)

    def site_for(self, queue: str) -> str:
        """The site whose seats the queue's agents share: ``site`` in its ``[queues.NAME]`` section, else
        DEFAULT_SITE (every queue on one site)."""
        return self.queue_sites.get(queue, DEFAULT_SITE)

    def section(self, name: str) -> str:
        """How messages name a section: ``"wfm.toml [schedule]"``, or ``"[schedule]"`` without a file."""
        return f"[{name}]" if self.source == "defaults" else f"{self.source} [{name}]"

    @cached_property
    def shift_rules(self) -> ShiftRules:
        """The ``[schedule]`` table as :class:`wfm.scheduling.rules.ShiftRules` (the defaults when empty)."""
        from wfm.scheduling.rules import ShiftRules

        return ShiftRules.from_mapping(self.schedule, self.section("schedule"))

    @cached_property
    def seat_rules(self) -> SeatRules:
        """The ``[seats]`` table as :class:`SeatRules` (the defaults when empty)."""
        return SeatRules.from_mapping(self.seats, self.section("seats"))

    def unknown_queue_sections(self, queue_names: Iterable[str]) -> tuple[str, ...]:
        """The ``[queues.NAME]`` sections whose NAME is none of ``queue_names`` (exact match, as
        :meth:`targets_for` looks them up), in file order: a typo that would silently do nothing."""
        known = set(queue_names)
        return tuple(name for name in self.queue_targets if name not in known)

    def unknown_queue_warnings(self, queue_names: Iterable[str]) -> tuple[str, ...]:
        """One warning line per :meth:`unknown_queue_sections`, e.g.
        ``wfm.toml: [queues.nosuch] matches no queue in the forecast``."""
        return tuple(unknown_queue_message(self.source, name) for name in self.unknown_queue_sections(queue_names))


def unknown_queue_message(source: str, name: str) -> str:
    """``wfm.toml: [queues.nosuch] matches no queue in the forecast`` (the name quoted as TOML
    would quote it, e.g. ``[queues."front desk"]``)."""
    return f"{source}: [queues.{_toml_key(name)}] matches no queue in the forecast"


def check_tz(value: Any, what: str) -> str:
    """``value`` if it is a string naming a known IANA time zone, else a ConfigError naming ``what``
    (e.g. ``"wfm.toml [forecast]: tz"`` or ``"--tz"``). Checked with :mod:`zoneinfo` (tzdata)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    expected = 'a known IANA time zone name such as "America/Chicago" or "Europe/London"'
    if not isinstance(value, str):
        raise ConfigError(f"{what} must be {expected}, got {show_value(value)}")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(f"{what} must be {expected}, got {show_value(value)}") from None
    # Files in the zone database that are not zones, or that other readers (pyarrow) do not know.
    if value in ("localtime", "Factory", "posixrules") or value.startswith(("posix/", "right/")):
        raise ConfigError(f"{what} must be {expected}, got {show_value(value)}")
    return value


def check_interval_minutes(value: Any, what: str) -> int:
    """``value`` as an int if it is a whole number of minutes dividing a day (1440), else a
    ConfigError naming ``what`` (e.g. ``"wfm.toml [forecast]: interval_minutes"``)."""
    if not (_is_whole(value) and 0 < value <= 1440 and 1440 % int(value) == 0):
        raise ConfigError(f"{what} must be a whole number of minutes that divides 1440 (such as 5, 15, 30 or 60), "
                       f"got {show_value(value)}")
    return int(value)


DEFAULT_SITE = "main"
"""The site of every queue whose section names none: by default all queues share one site's seats."""


def _site(value: Any, where: str) -> str:
    """A site name: non-empty text of at most 100 characters."""
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        raise ConfigError(f"{where}: site must be a site name (text of 1 to 100 characters), got {show_value(value)}")
    return value.strip()


def _coerce_targets(base: Targets, values: Mapping[str, Any], where: str) -> Targets:
    unknown = sorted(set(values) - set(TARGET_NAMES))
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r}; expected one of {', '.join(TARGET_NAMES)}")
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name == "model":
            if not isinstance(value, str):
                raise ConfigError(f"{_name_in(where, name)} must be text, one of {', '.join(MODELS)}, "
                                  f"got {show_value(value)}")
            clean[name] = value.strip().lower()
            continue
        whole, ok, expected = _TARGET_RANGES[name]
        if not (_is_whole(value) if whole else _is_number(value)):
            raise ConfigError(f"{_name_in(where, name)} must be {'a whole number' if whole else 'a number'}, "
                           f"got {show_value(value)}")
        if not ok(value):  # here, to quote the value as written (200, not 200.0)
            raise ConfigError(f"{_name_in(where, name)} must be {expected}, got {show_value(value)}")
        clean[name] = int(value) if whole else float(value)
    token = _TARGETS_SOURCE.set(where)
    try:
        return replace(base, **clean)
    finally:
        _TARGETS_SOURCE.reset(token)


def load_settings(path: str | Path | None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Read a wfm.toml (or use the defaults when ``path`` is None), then apply ``overrides``:
    the CLI's target flags, which win over the file for every queue.

    The file is checked whole, whatever the command: ``[schedule]`` and ``[seats]`` are parsed
    here too (``Settings.shift_rules``, ``Settings.seat_rules``)."""
    settings = Settings() if path is None else _read_settings(Path(path))
    return apply_overrides(settings, overrides or {})  # Settings parses its rules when it is made


def _read_settings(path: Path) -> Settings:
    where = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{where}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read config file ({exc.strerror or exc})") from None
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (Windows editors) is not an error
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None

    unknown = sorted(set(raw) - {"forecast", "targets", "queues", "schedule", "seats"})
    if unknown:
        raise ConfigError(f"{where}: unknown section [{unknown[0]}]; "
                       "expected [forecast], [targets], [queues.NAME], [schedule] or [seats]")
    targets = _coerce_targets(Targets(), _table(raw, "targets", where), f"{where} [targets]")
    queues = _table(raw, "queues", where)
    queue_tables = {name: dict(_table(queues, name, where, f"queues.{_toml_key(name)}")) for name in queues}
    queue_sites = {name: _site(table.pop("site"), f"{where} [queues.{_toml_key(name)}]")
                   for name, table in queue_tables.items() if "site" in table}
    queue_targets = {
        name: _coerce_targets(targets, table, f"{where} [queues.{_toml_key(name)}]")
        for name, table in queue_tables.items()
    }
    forecast = _table(raw, "forecast", where)
    bad = sorted(set(forecast) - {"tz", "interval_minutes"})
    if bad:
        raise ConfigError(f"{where} [forecast]: unknown setting {bad[0]!r}; expected tz or interval_minutes")
    tz = forecast.get("tz")
    minutes = forecast.get("interval_minutes")
    return Settings(
        targets=targets,
        queue_targets=queue_targets,
        queue_sites=queue_sites,
        tz=None if tz is None else check_tz(tz, f"{where} [forecast]: tz"),
        interval_minutes=None if minutes is None else check_interval_minutes(
            minutes, f"{where} [forecast]: interval_minutes"),
        schedule=_table(raw, "schedule", where),
        seats=_table(raw, "seats", where),
        source=where,
        source_sha256=digest,
    )


def apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """Command-line targets win over the file, for the common targets and every queue's.
    Each is checked as the file's are; a message names the flag (``--paid-hours must be ...``)."""
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if not overrides:
        return settings
    return replace(
        settings,
        targets=_coerce_targets(settings.targets, overrides, "command line"),
        queue_targets={q: _coerce_targets(t, overrides, "command line") for q, t in settings.queue_targets.items()},
    )


def _table(raw: Mapping[str, Any], name: str, where: str, label: str | None = None) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{label or name}] must be a table, got {show_value(value)}")
    return value
