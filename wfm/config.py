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

    [channels.email]                # any target above for every queue of a channel (wfm.channels)
    answer_within_s = 14400         # deferred work: the response time; response_clock, open_hours

    [queues.billing]                # any target above, for one queue; and its channel, site and team
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

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time
from functools import cached_property
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from wfm.channels import (
    CHANNEL_DEFAULTS,
    CHANNELS,
    CHAT,
    DEFERRED_ONLY,
    MAX_CONCURRENCY,
    MAX_RESPONSE_S,
    REAL_TIME_ONLY,
    RESPONSE_CLOCKS,
    SERVICE_KEYS,
    VOICE,
    is_deferred,
)
from wfm.errors import ConfigError, reject_unknown

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
    """A real number (an int, a float, a numpy scalar, a Fraction) that is not a bool (``True`` is an int in
    Python) and not NaN. An int too large for a float is a number (out of every range)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return False
    return isinstance(value, Integral) or not math.isnan(_float(value))


def _is_whole(value: Any) -> bool:
    """A finite number with an integral value: ``15`` or ``15.0``, never ``True`` or ``"15"``."""
    if not _is_number(value):
        return False
    return isinstance(value, Integral) or (math.isfinite(_float(value)) and value == int(value))


def real_number(value: Any) -> float | None:
    """A setting's number as a float (an int too large for a float: infinity, out of every range), or None when
    it is no number: a bool (``True`` is an int in Python), text, NaN. Any real type is taken (numpy scalars,
    Fraction)."""
    return _float(value) if _is_number(value) else None


def _float(value: Any) -> float:
    """``float(value)``, with a value too large for a float (a huge Fraction) as infinity."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _plain(value: Any) -> Any:
    """A number as a plain Python int (any integral type: ``numpy.int64``) or float (``numpy.float32``,
    ``Fraction``), text as a plain str, anything else as it is: what the settings keep, so every writer
    (JSON, CSV) takes them."""
    if isinstance(value, bool) or not isinstance(value, (Real, str)):
        return value
    if isinstance(value, str):
        return str(value)
    return int(value) if isinstance(value, Integral) else _float(value)


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
    channel: str = "voice"  # voice, chat, email, social or back_office (wfm.channels)
    concurrency: int = 1  # conversations one chat agent holds at once, 1 to 20; chat only
    response_clock: str = "elapsed"  # deferred work: response time counted "elapsed" or in "open" hours
    open_hours: str | None = None  # deferred work: the team's daily hours "HH:MM-HH:MM" (local); None: every row

    def __post_init__(self) -> None:
        # Kept as plain int, float and str whatever number type was given (numpy, Fraction), then checked.
        for name in TARGET_NAMES:
            object.__setattr__(self, name, _plain(getattr(self, name)))
        self.check(_TARGETS_SOURCE.get())  # built in code or from a file, never out of range
        for name, (whole, _, _) in _TARGET_RANGES.items():  # as wfm.toml gives them: 2.0 agents as 2, 30 s as 30.0
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, int(value) if whole else float(value))

    def check(self, where: str) -> Targets:
        """Raise a one-line ConfigError for an impossible target; ``where`` names its source
        (a file and section, or "command line")."""
        if self.channel not in CHANNELS:
            raise ConfigError(f"{_name_in(where, 'channel')} must be one of {', '.join(map(show_value, CHANNELS))}, "
                              f"got {show_value(self.channel)}")
        deferred = is_deferred(self.channel)
        for name, (whole, ok, expected) in _TARGET_RANGES.items():
            value = getattr(self, name)
            if name in _OPTIONAL_TARGETS and value is None:
                continue
            if deferred and name in _DEFERRED_RANGES:
                ok, expected = _DEFERRED_RANGES[name]
            if not (_is_whole(value) if whole else _is_number(value)) or not ok(value):
                raise ConfigError(f"{_name_in(where, name)} must be {expected}, got {show_value(value)}")
        self._check_channel(where, deferred)
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

    def _check_channel(self, where: str, deferred: bool) -> None:
        """The settings that only mean something for one kind of channel."""
        if deferred:
            defaults = Targets.__dataclass_fields__
            for name in REAL_TIME_ONLY:
                if getattr(self, name) != defaults[name].default:
                    raise ConfigError(f"{_name_in(where, name)} applies to real-time channels (voice, chat), not to "
                                      f"{self.channel} work, which waits in a backlog")
        else:
            for name in DEFERRED_ONLY:
                if getattr(self, name) != Targets.__dataclass_fields__[name].default:
                    raise ConfigError(f"{_name_in(where, name)} applies to deferred work (email, social, back_office), "
                                      f"not to the {self.channel} channel")
            if self.concurrency != 1 and self.channel != CHAT:
                raise ConfigError(f"{_name_in(where, 'concurrency')} needs channel = \"chat\" (a {self.channel} agent "
                                  "handles one contact at a time)")
        if self.response_clock not in RESPONSE_CLOCKS:
            raise ConfigError(f"{_name_in(where, 'response_clock')} must be one of "
                              f"{', '.join(map(show_value, RESPONSE_CLOCKS))}, got {show_value(self.response_clock)}")
        if self.open_hours is not None:
            open_hours_range(self.open_hours, _name_in(where, "open_hours"))

    @property
    def deferred(self) -> bool:
        """Deferred work (email, social, back office): sized as a first-in first-out backlog."""
        return is_deferred(self.channel)


def open_hours_range(text: Any, what: str) -> tuple[int, int]:
    """``"08:00-20:00"`` as seconds after local midnight (start, end); an end at or before the start runs past
    midnight (``"22:00-06:00"``), ``"00:00-24:00"`` is all day. A ConfigError naming ``what`` otherwise."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text) if isinstance(text, str) else None
    if match:
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
        if h1 < 24 and m1 < 60 and m2 < 60 and end <= 86_400 and start != end:
            return start, end
    raise ConfigError(f"{what} must be daily local hours such as \"08:00-20:00\", got {show_value(text)}")


TARGET_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Targets))
_CHANNEL_KEYS = tuple(name for name in TARGET_NAMES if name != "channel")  # what [channels.NAME] may set
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
    "concurrency": "--concurrency",
}
MODELS = ("erlang-c", "erlang-a")
"""The queueing models: Erlang C (M/M/N, nobody hangs up) and Erlang A (M/M/N+M, callers abandon)."""
_OPTIONAL_TARGETS = ("asa_s", "patience_s", "max_abandon_rate")
_TEXT_TARGETS = {"model": MODELS, "channel": CHANNELS, "response_clock": RESPONSE_CLOCKS, "open_hours": None}
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
    "concurrency": (True, lambda v: 1 <= v <= MAX_CONCURRENCY,
                    f"a whole number of conversations per agent from 1 to {MAX_CONCURRENCY}"),
}
# Deferred work (email, social, back office): a response target of up to a week, which may be 100 %.
_DEFERRED_RANGES = {
    "service_level": (lambda v: 0.0 <= v <= 1.0, "a fraction in [0, 1]"),
    "answer_within_s": (lambda v: 0.0 < v <= MAX_RESPONSE_S, "seconds more than 0 and at most 604800 (a week)"),
}


def _name_in(where: str, name: str) -> str:
    """How a message names a target: its flag on the command line, else ``file [section]: name``."""
    return CLI_FLAGS.get(name, name) if where == "command line" else f"{where}: {name}"


def _coerce_values(values: Mapping[str, Any], where: str, allowed: Iterable[str] = TARGET_NAMES) -> dict[str, Any]:
    """A table of targets checked key by key (types, and the ranges that do not depend on the channel), as the
    values Targets takes; ``where`` names the table (``"wfm.toml [targets]"``) or ``"command line"``."""
    reject_unknown(values, allowed, where)
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name in _TEXT_TARGETS:
            choices = _TEXT_TARGETS[name]
            if not isinstance(value, str):
                expected = f"text, one of {', '.join(choices)}" if choices else "text"
                raise ConfigError(f"{_name_in(where, name)} must be {expected}, got {show_value(value)}")
            clean[name] = value.strip() if choices is None else value.strip().lower()
            continue
        whole, ok, expected = _TARGET_RANGES[name]
        if not (_is_whole(value) if whole else _is_number(value)):
            raise ConfigError(f"{_name_in(where, name)} must be {'a whole number' if whole else 'a number'}, "
                           f"got {show_value(value)}")
        if name not in _DEFERRED_RANGES and not ok(value):  # here, to quote the value as written (200, not 200.0)
            raise ConfigError(f"{_name_in(where, name)} must be {expected}, got {show_value(value)}")
        clean[name] = int(value) if whole else _float(value)
    return clean


def _site(value: Any, where: str, key: str = "site") -> str:
    """A site (or team) name: non-empty text of at most 100 characters."""
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        raise ConfigError(f"{where}: {key} must be a {key} name (text of 1 to 100 characters), got {show_value(value)}")
    return value.strip()


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
        for key, kind in _SEAT_KINDS.items():  # plain bool, int and float whatever number type was given
            object.__setattr__(self, key, kind(getattr(self, key)))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str) -> SeatRules:
        """From a ``[seats]`` table; unknown keys, wrong types and values out of range are one-line
        errors naming ``source`` (e.g. ``"wfm.toml [seats]"``) and the key."""
        cls._check(data, source)
        return cls(**data)

    @staticmethod
    def _check(data: Mapping[str, Any], source: str) -> None:
        kinds = _SEAT_KINDS
        reject_unknown(data, kinds, source)
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


_SETTINGS_TABLES = ("queue_targets", "queue_sites", "queue_teams", "channel_values", "queue_values", "overrides",
                    "schedule", "seats", "sites", "special_days", "capacity")
"""The Settings fields that are tables (mappings)."""
_NO_FILE = "<no file>"  # the file a reader names, for Settings made in code (Settings._in_file takes it out)
_T = TypeVar("_T")


@dataclass(frozen=True)
class Settings:
    """Everything a run needs besides the forecast itself.

    ``schedule`` and ``seats`` are the raw ``[schedule]`` and ``[seats]`` tables; ``shift_rules``
    and ``seat_rules`` parse them (once; :func:`load_settings` does it at load time, so a bad table
    fails every command). ``source`` is the config file (``"defaults"`` without one) and
    ``source_sha256`` the SHA-256 hex digest of its bytes as parsed (None without a file).

    Made in code, Settings are checked as :func:`load_settings` checks wfm.toml, with the same one-line
    ConfigErrors naming the section (``[forecast]: tz must be ...``, ``[queues.billing]: unknown setting ...``):
    ``targets`` are the voice channel's (another channel's go in ``channel_values`` or ``queue_targets``).
    A field of the wrong Python type (a table that is not a mapping, ``sites`` that are not
    :class:`wfm.cost.SiteCost`, a ``contract`` that is not a :class:`wfm.cost.Contract`) is a TypeError.
    """

    targets: Targets = field(default_factory=Targets)  # [targets]: the voice targets and every channel's staffing
    queue_targets: Mapping[str, Targets] = field(default_factory=dict)  # whole Targets per queue, built in code
    queue_sites: Mapping[str, str] = field(default_factory=dict)  # [queues.NAME] site; others: DEFAULT_SITE
    queue_teams: Mapping[str, str] = field(default_factory=dict)  # [queues.NAME] team; others: their own team
    channel_values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # [channels.NAME] as set
    queue_values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # [queues.NAME] targets as set
    overrides: Mapping[str, Any] = field(default_factory=dict)  # the command line's targets, as set
    tz: str | None = None
    interval_minutes: int | None = None
    schedule: Mapping[str, Any] = field(default_factory=dict)  # shift rules, read by wfm.scheduling.rules
    seats: Mapping[str, Any] = field(default_factory=dict)  # seat counting, read by wfm.plan
    sites: Mapping[str, Any] = field(default_factory=dict)  # [sites.NAME]: wfm.cost.SiteCost per site with rates
    contract: Any = None  # [contract]: a wfm.cost.Contract, or None
    special_days: Mapping[Any, float] = field(default_factory=dict)  # [forecast.special_days]: date -> factor
    capacity: Mapping[str, Any] = field(default_factory=dict)  # the raw [capacity] table, read by wfm.capacity
    source: str = "defaults"
    source_sha256: str | None = None

    def __post_init__(self) -> None:
        # Validated on construction, in code as from a file, by the checks load_settings makes on wfm.toml (their
        # messages name the section as the file's do: "[forecast]: tz ...", or "wfm.toml [forecast]: tz ..."); the
        # values are kept as that check gives them (plain numbers, names stripped); the rules are parsed now.
        self._check_kinds()
        set_ = object.__setattr__
        if self.targets.channel != VOICE:  # [targets] has no channel: its service targets are voice's
            raise ConfigError(f"{self.section('targets')}: channel must be \"voice\": Settings.targets are the voice "
                              "channel's (give another channel's in channel_values, as [channels.NAME] does, or a "
                              f"queue's whole Targets in queue_targets), got {show_value(self.targets.channel)}")
        forecast = self.section("forecast")
        if self.tz is not None:
            check_tz(self.tz, f"{forecast}: tz")
        if self.interval_minutes is not None:
            set_(self, "interval_minutes", check_interval_minutes(self.interval_minutes, f"{forecast}: interval_minutes"))
        if self.special_days:
            from wfm.forecasting.special import parse_special_days

            set_(self, "special_days", self._in_file(lambda where: parse_special_days(dict(self.special_days), where)))
        for name, key in (("queue_sites", "site"), ("queue_teams", "team")):
            set_(self, name, {queue: _site(value, self.section(f"queues.{_toml_key(queue)}"), key)
                              for queue, value in getattr(self, name).items()})
        for channel in self.channel_values:
            if channel not in CHANNELS:
                raise ConfigError(f"{self.section('channels.' + _toml_key(channel))}: unknown channel; expected one of "
                                  f"{', '.join(CHANNELS)}")
        set_(self, "channel_values", {channel: _coerce_values(values, self.section(f"channels.{_toml_key(channel)}"),
                                                              _CHANNEL_KEYS)
                                      for channel, values in self.channel_values.items()})
        set_(self, "queue_values", {queue: _coerce_values(values, self.section(f"queues.{_toml_key(queue)}"))
                                    for queue, values in self.queue_values.items()})
        set_(self, "overrides", _coerce_values(self.overrides, "command line"))
        # the file's targets are checked for every channel; a flag only for the channels it can apply to: a value
        # that is right for some channel (--answer-within 172800 for email, 0 for voice) waits for the queues
        # sized, whose targets_for names the flag if their channel cannot take it
        refused = []
        for channel in CHANNELS:
            self._channel_targets(channel, flags=False)
            try:
                self.channel_targets(channel)
            except ConfigError as exc:
                refused.append(exc)
        if len(refused) == len(CHANNELS):
            raise refused[0]
        for queue in self.queue_values:  # a section without a channel may be for a forecast's deferred queue
            try:
                self.targets_for(queue)
            except ConfigError as first:
                if "channel" in self.queue_values[queue]:
                    raise
                try:
                    self.targets_for(queue, "back_office")
                except ConfigError as second:  # the error that speaks to what the section sets
                    deferred_keys = set(DEFERRED_ONLY) & set(self.queue_values[queue])
                    raise (second if deferred_keys else first) from None
        self.shift_rules  # noqa: B018
        self.seat_rules  # noqa: B018
        if self.capacity:  # read by wfm.capacity; checked here so that every command checks it
            from wfm.capacity.settings import _from_table

            self._in_file(lambda where: _from_table(self.capacity, Path(where)))

    def _check_kinds(self) -> None:
        """Programmer misuse, a TypeError naming the argument: a table that is not a mapping, or an object
        that is not of its class (``targets`` a Targets, ``sites`` SiteCosts, ``contract`` a Contract)."""
        for name in _SETTINGS_TABLES:
            value = getattr(self, name)
            if not isinstance(value, Mapping):
                raise TypeError(f"Settings: {name} must be a mapping, got {type(value).__name__}")
        for name, targets in {"targets": self.targets, **self.queue_targets}.items():
            if not isinstance(targets, Targets):
                raise TypeError(f"Settings: {name} must be a Targets, got {type(targets).__name__}")
        for name in ("channel_values", "queue_values"):
            for key, table in getattr(self, name).items():
                if not isinstance(table, Mapping):
                    raise TypeError(f"Settings: {name}[{key!r}] must be a mapping of targets, got "
                                    f"{type(table).__name__}")
        if self.sites or self.contract is not None:
            from wfm.cost import Contract, SiteCost

            for key, site in self.sites.items():
                if not isinstance(site, SiteCost):
                    raise TypeError(f"Settings: sites[{key!r}] must be a wfm.cost.SiteCost, got {type(site).__name__}")
            if self.contract is not None and not isinstance(self.contract, Contract):
                raise TypeError(f"Settings: contract must be a wfm.cost.Contract or None, got "
                                f"{type(self.contract).__name__}")

    def _in_file(self, check: Callable[[str], _T]) -> _T:
        """``check(file)`` for a reader whose messages name the file first (``"wfm.toml [capacity]: ..."``); without
        a file (Settings made in code) they start at the section, as :meth:`section` names it."""
        if self.source != "defaults":
            return check(self.source)
        try:
            return check(_NO_FILE)
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(f"{_NO_FILE} ", "", 1)) from None

    @classmethod
    def from_toml(cls, path: str | Path) -> Settings:
        """Settings read from a wfm.toml file (see :func:`load_settings`)."""
        return load_settings(path)

    def channel_targets(self, channel: str) -> Targets:
        """The targets of a queue of ``channel`` without a section of its own: the channel's defaults
        (wfm.channels.CHANNEL_DEFAULTS), ``[targets]`` (its service targets for voice only), ``[channels.NAME]``,
        then the command line (real-time-only flags skip deferred work)."""
        return self._channel_targets(channel, flags=True)

    def _channel_targets(self, channel: str, flags: bool) -> Targets:
        own = dict(self.channel_values.get(channel, {}))
        if channel == VOICE:
            if not own:  # the flags again: merged into targets already where they fit (idempotent)
                return _make_targets(self.targets, self._overrides_for(VOICE), "command line") \
                    if self.overrides and flags else self.targets
            values = own
        else:
            defaults = Targets.__dataclass_fields__
            values = {key: defaults[key].default for key in SERVICE_KEYS} | dict(CHANNEL_DEFAULTS[channel]) | own
        base = _make_targets(self.targets, values | {"channel": channel},
                             self.section(f"channels.{channel}"))
        return _make_targets(base, self._overrides_for(channel), "command line") if flags else base

    def targets_for(self, queue: str, channel: str | None = None) -> Targets:
        """The targets of one queue: those of its channel, then its ``[queues.NAME]`` section, then the command
        line. ``channel`` is the forecast's for the queue, if it gives one; it must agree with the section's."""
        if queue in self.queue_targets:  # built in code: whole Targets
            targets = self.queue_targets[queue]
            if channel is not None and channel != targets.channel:
                raise ConfigError(f"queue {queue!r}: the forecast gives channel {channel!r}, its Targets "
                                  f"{targets.channel!r}")
            return _make_targets(targets, self._overrides_for(targets.channel), "command line") \
                if self.overrides else targets
        values = dict(self.queue_values.get(queue, {}))
        where = self.section(f"queues.{_toml_key(queue)}")
        own = values.pop("channel", None)
        if own is not None and own not in CHANNELS:
            raise ConfigError(f"{where}: channel must be one of {', '.join(map(show_value, CHANNELS))}, "
                              f"got {show_value(own)}")
        if own is not None and channel is not None and own != channel:
            raise ConfigError(f"{where}: channel {show_value(own)}, but the forecast gives {show_value(channel)} for "
                              "this queue; make them agree")
        chosen = own or channel or VOICE
        base = self.channel_targets(chosen)
        if not values:
            return base
        targets = _make_targets(base, values, where)
        return _make_targets(targets, self._overrides_for(chosen), "command line")

    def _overrides_for(self, channel: str) -> dict[str, Any]:
        return _applicable(self.overrides, channel)

    def team_for(self, queue: str) -> str:
        """The team whose agents work the queue: ``team`` in its ``[queues.NAME]`` section; otherwise the queue
        has its own team, named after it. Queues of one team are blended (worked by the same agents)."""
        return self.queue_teams.get(queue, queue)

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
        sections = dict.fromkeys([*self.queue_values, *self.queue_targets])
        return tuple(name for name in sections if name not in known)

    def unknown_queue_warnings(self, queue_names: Iterable[str]) -> tuple[str, ...]:
        """One warning line per :meth:`unknown_queue_sections`, e.g.
        ``wfm.toml: [queues.nosuch] matches no queue in the forecast``."""
        return tuple(unknown_queue_message(self.source, name) for name in self.unknown_queue_sections(queue_names))


def _applicable(overrides: Mapping[str, Any], channel: str) -> dict[str, Any]:
    """The command-line targets that apply to a queue of ``channel``: real-time-only ones skip deferred work,
    ``concurrency`` applies to chat only."""
    return {k: v for k, v in overrides.items()
            if not (is_deferred(channel) and k in REAL_TIME_ONLY) and not (k == "concurrency" and channel != CHAT)}


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


def _make_targets(base: Targets, values: Mapping[str, Any], where: str) -> Targets:
    """``base`` with ``values`` (already coerced), checked as a whole; messages name ``where``."""
    token = _TARGETS_SOURCE.set(where)
    try:
        return replace(base, **values)
    finally:
        _TARGETS_SOURCE.reset(token)


def load_settings(path: str | Path | None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Read a wfm.toml (or use the defaults when ``path`` is None), then apply ``overrides``: the CLI's
    target flags, which win over the file (see :func:`wfm.config_file.load_settings`)."""
    from wfm import config_file

    return config_file.load_settings(path, overrides)


def apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """Command-line targets over ``settings`` (see :func:`wfm.config_file.apply_overrides`)."""
    from wfm import config_file

    return config_file.apply_overrides(settings, overrides)
