"""A queue's staffing targets (:class:`Targets`), their ranges and checks, and how a setting's value is read.

:class:`Targets` is what one queue's staffing must achieve (service level, answer time, occupancy, ASA,
abandonment under Erlang A, chat concurrency, a deferred queue's response clock and open hours) and how
staff relate to agents on the phones (shrinkage, minimum staff, paid hours). Units: fractions in [0, 1]
(``service_level``, ``max_occupancy``, ``shrinkage``, ``max_abandon_rate``), seconds (every ``*_s``),
agents (``min_staff``), conversations per agent (``concurrency``), hours a week
(``paid_hours_per_fte_week``), local ``"HH:MM-HH:MM"`` (``open_hours``). The ranges are in
:data:`_TARGET_RANGES` (:data:`_DEFERRED_RANGES` for deferred work) and in :mod:`wfm.config`'s docstring,
which describes the wfm.toml sections that set them; :data:`CLI_FLAGS` are the command-line flags.

Also here, for every reader of settings (wfm.config, wfm.config_file, wfm.scheduling.rules, wfm.cost,
wfm.capacity, wfm.forecasting.special): :func:`one_value`, the one rule by which settings made in code take numpy
values (a numpy scalar or a 0-d array is its value), the strict number checks (a bool is not a number, NaN is never
a value), the coercion to plain Python numbers, and :func:`show_value`, a value spelled as in TOML for one-line
:class:`~wfm.errors.ConfigError` messages. :mod:`wfm.config` re-exports every name defined here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time
from numbers import Integral, Real
from typing import Any

from wfm.channels import (
    CHANNEL_DEFAULTS,
    CHANNELS,
    CHAT,
    DEFERRED_ONLY,
    MAX_CONCURRENCY,
    MAX_RESPONSE_S,
    REAL_TIME_ONLY,
    RESPONSE_CLOCKS,
    is_deferred,
)
from wfm.errors import ConfigError, reject_unknown

MAX_SECONDS = 86_400.0  # answer_within_s, asa_s: a day
MAX_AGENTS = 100_000  # min_staff, buffer_seats
HOURS_PER_WEEK = 168.0  # paid_hours_per_fte_week


def one_value(value: Any) -> Any:
    """A 0-d numpy array (``np.array(0.8)``, what ``np.asarray`` gives for one value) or a numpy bool (``np.True_``)
    as its one value, a plain Python int, float, bool or str; anything else as it is (TOML values, numpy number
    scalars, which are numbers already, arrays of one or more dimensions, which are no single value).

    The rule every settings reader applies before checking a value (:func:`real_number`, :func:`_plain`, the
    SeatRules, interval, target-table, shift-rule, cost and capacity checks), so that a field that takes a number
    (or a flag, or text) takes it as a numpy scalar or a 0-d array too, and a message quotes it as its value."""
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item") and not isinstance(value, (Real, str)):
        return value.item()
    return value


def show_value(value: Any) -> str:
    """A setting's value spelled as in TOML, for messages: ``true``, ``"15"``, ``inf``, ``[30]``; a 0-d numpy
    array as its value (:func:`one_value`)."""
    value = one_value(value)
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
    elif getattr(value, "ndim", None) is not None and not isinstance(value, Real):  # array(0.3), not a number
        text = " ".join(repr(value).split())
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


def is_whole(value: Any) -> bool:
    """Whether ``value`` is a finite number with an integral value (``15``, ``15.0``, ``np.float64(15)``, a 0-d
    array of one), never a bool or text: a count a caller may give as the float ``np.ceil`` returns."""
    return _is_whole(one_value(value))


def real_number(value: Any) -> float | None:
    """A setting's number as a float (an int too large for a float: infinity, out of every range), or None when
    it is no number: a bool (``True`` is an int in Python), text, NaN. Any real type is taken (numpy scalars,
    Fraction), and a 0-d numpy array as its value (:func:`one_value`)."""
    value = one_value(value)
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
    (JSON, CSV) takes them. A 0-d numpy array (``np.array(0.8)``, as ``np.asarray`` gives one value) is its
    value, as a numpy scalar is (:func:`one_value`)."""
    value = one_value(value)
    if isinstance(value, bool) or not isinstance(value, (Real, str)):
        return value
    if isinstance(value, str):
        return str(value)
    return int(value) if isinstance(value, Integral) else _float(value)


class _ChannelDefault:
    """The default of a target that depends on the channel: ``Targets(channel="email")`` is 90 % within 4 hours,
    as a ``[queues.NAME]`` section with ``channel = "email"`` is, not voice's 80 % in 30 s."""

    def __repr__(self) -> str:
        return "<the channel's default>"


BY_CHANNEL: Any = _ChannelDefault()
"""The default of :data:`VOICE_DEFAULTS`' targets in :class:`Targets`: wfm.channels.CHANNEL_DEFAULTS over voice's."""
VOICE_DEFAULTS: Mapping[str, Any] = {"service_level": 0.80, "answer_within_s": 30.0, "concurrency": 1}
"""The targets whose default depends on the channel, at voice's values (the other channels': CHANNEL_DEFAULTS)."""


def target_default(name: str) -> Any:
    """The default of the Targets field ``name`` for a voice queue."""
    return VOICE_DEFAULTS[name] if name in VOICE_DEFAULTS else Targets.__dataclass_fields__[name].default


_TARGETS_SOURCE: ContextVar[str] = ContextVar("targets_source", default="Targets")
"""Where the Targets being made come from, for messages (a file and section, or "command line")."""
_LAYERED: ContextVar[bool] = ContextVar("targets_layered", default=False)
"""Whether the Targets being made are a layer of Settings (``[targets]``, ``[channels.NAME]``, a queue's section,
the command line over them: :func:`_make_targets`) rather than Targets on their own: a layer may carry a
``max_abandon_rate`` under Erlang C for the erlang-a queues that inherit it (:func:`queue_settled` drops it from
the Erlang C queues')."""


@dataclass(frozen=True)
class Targets:
    """What a queue's staffing must achieve, and how staff relate to agents on the phones (checked when made: a
    value out of range is a ConfigError naming it).

    service_level            fraction [0, 1) answered within answer_within_s (deferred work: (0, 1]); by channel:
                             voice and chat 0.80, email, social and back office 0.90 (wfm.channels.CHANNEL_DEFAULTS)
    answer_within_s          seconds, [0, 86400] (deferred work: the response time, (0, 604800], a week); by
                             channel: voice 30, chat 60, email 14400, social 3600, back office 86400
    max_occupancy            fraction (0, 1] of the agents' time handling contacts (default 0.85)
    asa_s                    average speed of answer target, seconds (0, 86400]; None (default): no target. The
                             Erlang functions call it ``max_asa_s``
    shrinkage                fraction [0, 1) of paid time away from the phones (default 0.30): staff = agents /
                             (1 - shrinkage)
    min_staff                AGENTS on the phones in every open interval, 0 to 100,000 (default 0); the staff to
                             schedule for it are min_staff / (1 - shrinkage)
    paid_hours_per_fte_week  hours paid to one full-time equivalent per week, (0, 168] (default 40)
    model                    "erlang-c" (default: nobody hangs up) or "erlang-a" (callers abandon)
    patience_s               Erlang A: mean patience before abandoning, seconds [5, 86400]; erlang-a needs it
    max_abandon_rate         Erlang A: fraction (0, 1) of offered contacts that may abandon; None: no cap
    channel                  voice (default), chat, email, social or back_office (wfm.channels)
    concurrency              chat: conversations one agent holds at once, 1 to 20 (default 2)
    response_clock           deferred work: the response time counted "elapsed" (default) or in "open" hours
    open_hours               deferred work: the team's daily hours "HH:MM-HH:MM" (local); None: every listed row

    ``service_level``, ``answer_within_s`` and ``concurrency`` default to the channel's. ``dataclasses.replace``
    copies every value as it is, those included: to move targets to another channel, make them anew
    (``Targets(channel="email", shrinkage=t.shrinkage)``), not ``replace(t, channel="email")``.

    ``max_abandon_rate`` under Erlang C: Targets made on their own (``Targets(max_abandon_rate=0.05)``, or
    ``replace``) are one queue's, and a cap nobody can exceed is a ConfigError. The layers of
    :class:`~wfm.config.Settings` that queues inherit (``[targets]``, ``[channels.NAME]``, ``--max-abandon``) may
    carry one while on Erlang C, as they may a ``patience_s``: their erlang-a queues take it, and a queue resolved
    on Erlang C drops it (:func:`queue_settled`: its targets show ``max_abandon_rate`` None)."""

    service_level: float = BY_CHANNEL
    answer_within_s: float = BY_CHANNEL
    max_occupancy: float = 0.85
    asa_s: float | None = None
    shrinkage: float = 0.30
    min_staff: int = 0
    paid_hours_per_fte_week: float = 40.0
    model: str = "erlang-c"
    patience_s: float | None = None
    max_abandon_rate: float | None = None
    channel: str = "voice"
    concurrency: int = BY_CHANNEL
    response_clock: str = "elapsed"
    open_hours: str | None = None

    def __post_init__(self) -> None:
        # The channel's defaults for the targets not given (an unknown channel takes voice's, then fails the check).
        for name, voice in VOICE_DEFAULTS.items():
            if getattr(self, name) is BY_CHANNEL:
                own: Mapping[str, Any] = CHANNEL_DEFAULTS.get(self.channel, {})
                object.__setattr__(self, name, own.get(name, voice))
        # Kept as plain int, float and str whatever number type was given (numpy, Fraction), then checked.
        for name in TARGET_NAMES:
            object.__setattr__(self, name, _plain(getattr(self, name)))
        self.check(_TARGETS_SOURCE.get(), layer=_LAYERED.get())  # built in code or from a file, never out of range
        for name, (whole, _, _) in _TARGET_RANGES.items():  # as wfm.toml gives them: 2.0 agents as 2, 30 s as 30.0
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, int(value) if whole else float(value))

    def check(self, where: str, *, layer: bool = False) -> Targets:
        """Raise a one-line ConfigError for an impossible target; ``where`` names its source
        (a file and section, or "command line"). ``layer``: the targets are a layer of Settings that queues
        inherit, which may hold a ``max_abandon_rate`` under Erlang C for its erlang-a queues."""
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
            _check_kind(value, whole, where, name)  # True is no 1, nor "0.8" 0.8
            if not ok(value):
                raise ConfigError(f"{_name_in(where, name)} must be {expected}, got {show_value(value)}"
                                  f"{percent_hint(value, expected)}")
        self._check_channel(where, deferred)
        if self.model not in MODELS:
            raise ConfigError(f"{_name_in(where, 'model')} must be one of {', '.join(map(show_value, MODELS))}, "
                              f"got {show_value(self.model)}")
        if self.model == "erlang-a" and self.patience_s is None:
            raise ConfigError(f"{_name_in(where, 'patience_s')} is needed by the erlang-a model: the callers' mean "
                              "patience in seconds, e.g. 120")
        if self.model != "erlang-a" and self.max_abandon_rate is not None and not layer:
            raise ConfigError(f"{_name_in(where, 'max_abandon_rate')} needs model = \"erlang-a\" (under Erlang C "
                              "nobody abandons)")
        return self

    def _check_channel(self, where: str, deferred: bool) -> None:
        """The settings that only mean something for one kind of channel."""
        if deferred:
            for name in REAL_TIME_ONLY:
                if getattr(self, name) != target_default(name):
                    raise ConfigError(f"{_name_in(where, name)} applies to real-time channels (voice, chat), not to "
                                      f"{self.channel} work, which waits in a backlog")
        else:
            for name in DEFERRED_ONLY:
                if getattr(self, name) != target_default(name):
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
    "service_level": (lambda v: 0.0 < v <= 1.0, "a fraction in (0, 1] (0 would ask nothing of the work)"),
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
        value = one_value(value)  # np.array(2) as 2, as Targets take it
        if name in _TEXT_TARGETS:
            choices = _TEXT_TARGETS[name]
            if not isinstance(value, str):
                expected = f"text, one of {', '.join(choices)}" if choices else "text"
                raise ConfigError(f"{_name_in(where, name)} must be {expected}, got {show_value(value)}")
            clean[name] = value.strip() if choices is None else value.strip().lower()
            continue
        whole, ok, expected = _TARGET_RANGES[name]
        _check_kind(value, whole, where, name)
        if name not in _DEFERRED_RANGES and not ok(value):  # here, to quote the value as written (200, not 200.0)
            raise ConfigError(f"{_name_in(where, name)} must be {expected}, got {show_value(value)}"
                              f"{percent_hint(value, expected)}")
        clean[name] = int(value) if whole else _float(value)
    return clean


def _check_kind(value: Any, whole: bool, where: str, name: str) -> None:
    """A target's value must be a number (a whole one for counts), never a bool or text: a ConfigError naming it."""
    if not (_is_whole(value) if whole else _is_number(value)):
        raise ConfigError(f"{_name_in(where, name)} must be {'a whole number' if whole else 'a number'}, "
                          f"got {show_value(value)}")


def percent_hint(value: Any, expected: str) -> str:
    """For a fraction given as a percentage (80 for 80 %), what to give instead; else nothing."""
    if "fraction" in expected and _is_number(value) and 2 <= value <= 100:
        return f" (a fraction: {value / 100:g} for {value:g} %)"
    return ""


def _make_targets(base: Targets, values: Mapping[str, Any], where: str) -> Targets:
    """``base`` with ``values`` (already coerced), checked as a whole; messages name ``where``. A layer of Settings:
    a ``max_abandon_rate`` under Erlang C waits for the queue's model (:func:`queue_settled`)."""
    token, layered = _TARGETS_SOURCE.set(where), _LAYERED.set(True)
    try:
        return replace(base, **values)
    finally:
        _LAYERED.reset(layered)
        _TARGETS_SOURCE.reset(token)


def queue_settled(targets: Targets, own_cap: str | None = None) -> Targets:
    """One queue's targets as it is sized and reported. On Erlang C, where nobody abandons, a ``max_abandon_rate``
    inherited from a layer (``[targets]``, ``[channels.NAME]``, ``--max-abandon``) is vacuous and dropped (None), so
    that no report or miss claims it; ``own_cap`` names the queue's section (``wfm.toml [queues.b]``) when that
    section sets ``max_abandon_rate`` itself: a contradiction, a one-line ConfigError."""
    if targets.model == "erlang-a" or targets.max_abandon_rate is None:
        return targets
    if own_cap is not None:
        raise ConfigError(f"{own_cap}: max_abandon_rate needs model = \"erlang-a\" for this queue, which is on "
                          f"{show_value(targets.model)}: under Erlang C nobody abandons, so an abandonment cap would "
                          "be ignored")
    return replace(targets, max_abandon_rate=None)
