"""Settings from a `wfm.toml` file: staffing targets, per-queue overrides, forecast and schedule options.

    [forecast]
    tz = "America/Chicago"          # IANA zone for naive timestamps
    interval_minutes = 15           # override the inferred interval length (it must be the file's own)

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
    [seats]                         # seat counting: wfm.seat_rules.SeatRules

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

:class:`Targets`, with its checks and ranges, and the value checks every reader of settings shares
(:func:`one_value`, :func:`show_value`, :func:`real_number`) are defined in :mod:`wfm.targets`, and
:class:`SeatRules` in :mod:`wfm.seat_rules`; all are importable from here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from wfm.channels import (
    CHANNEL_DEFAULTS,
    CHANNELS,
    CHAT,
    DEFERRED_ONLY,
    REAL_TIME_ONLY,
    SERVICE_KEYS,
    VOICE,
    is_deferred,
)
from wfm.errors import ConfigError, did_you_mean

# defined in wfm.seat_rules; importable from here, where Settings.seat_rules gives it
from wfm.seat_rules import SeatRules as SeatRules
from wfm.targets import (
    _CHANNEL_KEYS,
    Targets,
    _coerce_values,
    _is_whole,
    _make_targets,
    _toml_key,
    one_value,
    queue_settled,
    show_value,
    target_default,
)

# defined in wfm.targets; importable from here as before the split (`X as X`: a re-export)
from wfm.targets import _DEFERRED_RANGES as _DEFERRED_RANGES
from wfm.targets import _OPTIONAL_TARGETS as _OPTIONAL_TARGETS
from wfm.targets import _TARGET_RANGES as _TARGET_RANGES
from wfm.targets import _TARGETS_SOURCE as _TARGETS_SOURCE
from wfm.targets import _TEXT_TARGETS as _TEXT_TARGETS
from wfm.targets import CLI_FLAGS as CLI_FLAGS
from wfm.targets import HOURS_PER_WEEK as HOURS_PER_WEEK
from wfm.targets import MAX_SECONDS as MAX_SECONDS
from wfm.targets import MODELS as MODELS
from wfm.targets import TARGET_NAMES as TARGET_NAMES
from wfm.targets import _float as _float
from wfm.targets import _name_in as _name_in
from wfm.targets import _plain as _plain
from wfm.targets import open_hours_range as open_hours_range
from wfm.targets import real_number as real_number

if TYPE_CHECKING:  # imported when the rules are parsed, not with this module
    from wfm.scheduling.rules import ShiftRules


def _site(value: Any, where: str, key: str = "site") -> str:
    """A site (or team) name: non-empty text of at most 100 characters."""
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        raise ConfigError(f"{where}: {key} must be a {key} name (text of 1 to 100 characters), got {show_value(value)}")
    return value.strip()


def _is_rules(name: str, value: Any) -> bool:
    """Whether ``value`` is the parsed form of the Settings table ``name``: a ShiftRules as ``schedule``, a
    SeatRules as ``seats``."""
    if name == "seats":
        return isinstance(value, SeatRules)
    if name == "schedule":
        from wfm.scheduling.rules import ShiftRules

        return isinstance(value, ShiftRules)
    return False


_SETTINGS_TABLES = ("queue_targets", "queue_sites", "queue_teams", "channel_values", "queue_values", "overrides",
                    "schedule", "seats", "sites", "special_days", "capacity")
"""The Settings fields that are tables (mappings)."""
LOADING_A_FILE: ContextVar[bool] = ContextVar("LOADING_A_FILE", default=False)
"""True while :func:`wfm.config_file.load_settings` makes Settings from a file and the command line: it checks the
erlang-a settings itself, once the flags are over the file (a patience in the file has a use with --model erlang-a)."""
_NO_FILE = "<no file>"  # the file a reader names, for Settings made in code (Settings._in_file takes it out)
_T = TypeVar("_T")


@dataclass(frozen=True)
class Settings:
    """Everything a run needs besides the forecast itself.

    ``schedule`` and ``seats`` are the raw ``[schedule]`` and ``[seats]`` tables, or in code a
    :class:`~wfm.scheduling.rules.ShiftRules` and a :class:`SeatRules`; ``shift_rules`` and ``seat_rules``
    give them parsed (once; :func:`load_settings` does it at load time, so a bad table fails every command). ``source`` is the config file (``"defaults"`` without one) and
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
    tz: str | None = None  # [forecast] tz: how to read a forecast's naive times; give it to load_forecast (the
    # commands do): size and make_plan take the forecast as loaded
    interval_minutes: int | None = None  # [forecast] interval_minutes: likewise, for load_forecast
    schedule: Mapping[str, Any] | ShiftRules = field(default_factory=dict)  # [schedule], or ShiftRules made in code
    seats: Mapping[str, Any] | SeatRules = field(default_factory=dict)  # [seats], or SeatRules made in code
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
        for name in _SETTINGS_TABLES:  # the Settings' own copies: a caller who changes a dict or list afterwards
            value = getattr(self, name)  # changes nothing here (the rules are parsed from them once, below)
            if isinstance(value, Mapping):
                set_(self, name, copy.deepcopy(dict(value)))
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
        for queue in self.queue_targets:
            if queue in self.queue_values:  # targets_for takes the whole Targets: the values would be dropped
                raise ConfigError(f"{self.section(f'queues.{_toml_key(queue)}')}: given twice, as a whole Targets in "
                                  "queue_targets and as values in queue_values; give the queue's targets one way")
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
        for queue in self.queue_values:  # a section without a channel may be for a forecast's chat or deferred queue
            try:
                self.targets_for(queue)
            except ConfigError as first:
                if "channel" in self.queue_values[queue]:
                    raise
                errors = {}
                for channel in (CHAT, "back_office"):
                    try:
                        self.targets_for(queue, channel)
                        break
                    except ConfigError as error:
                        errors[channel] = error
                else:  # the error that speaks to what the section sets
                    keys = set(self.queue_values[queue])
                    raise (errors["back_office"] if set(DEFERRED_ONLY) & keys else errors[CHAT]
                           if "concurrency" in keys else first) from None
        if self.schedule != {}:  # the default rules need no check (and wfm calc no wfm.scheduling)
            self.shift_rules  # noqa: B018
        self.seat_rules  # noqa: B018
        if self.capacity:  # read by wfm.capacity; checked here so that every command checks it
            from wfm.capacity.settings import _from_table

            self._in_file(lambda where: _from_table(self.capacity, Path(where)))
        if not LOADING_A_FILE.get() and "model" not in self.overrides:  # load_settings checks a file's once the
            # command line's flags are over it; a --model given chose what the file's patience is to it
            from wfm.config_file import erlang_a_settings_have_a_use

            erlang_a_settings_have_a_use(self, self)

    def _check_kinds(self) -> None:
        """Programmer misuse, a TypeError naming the argument: a table that is not a mapping, or an object
        that is not of its class (``targets`` a Targets, ``sites`` SiteCosts, ``contract`` a Contract)."""
        for name in _SETTINGS_TABLES:
            value = getattr(self, name)
            if not isinstance(value, Mapping) and not _is_rules(name, value):
                kind = {"schedule": " or a ShiftRules", "seats": " or a SeatRules"}.get(name, "")
                raise TypeError(f"Settings: {name} must be a mapping{kind}, got {type(value).__name__}")
        for name, targets in {"targets": self.targets,
                              **{f"queue_targets[{queue!r}]": t for queue, t in self.queue_targets.items()}}.items():
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
        then the command line (real-time-only flags skip deferred work). On Erlang C, without the
        ``max_abandon_rate`` those layers hold for erlang-a queues (:func:`wfm.targets.queue_settled`)."""
        return queue_settled(self._channel_targets(channel, flags=True))

    def _channel_targets(self, channel: str, flags: bool) -> Targets:
        own = dict(self.channel_values.get(channel, {}))
        if channel == VOICE:
            if not own:  # the flags again: merged into targets already where they fit (idempotent)
                return _make_targets(self.targets, self._overrides_for(VOICE), "command line") \
                    if self.overrides and flags else self.targets
            values = own
        else:
            values = {key: target_default(key) for key in SERVICE_KEYS} | dict(CHANNEL_DEFAULTS[channel]) | own
        base = _make_targets(self.targets, values | {"channel": channel},
                             self.section(f"channels.{channel}"))
        return _make_targets(base, self._overrides_for(channel), "command line") if flags else base

    def targets_for(self, queue: str, channel: str | None = None) -> Targets:
        """The targets of one queue: those of its channel, then its ``[queues.NAME]`` section, then the command
        line. ``channel`` is the forecast's for the queue, if it gives one; it must agree with the section's.

        A queue on Erlang C drops a ``max_abandon_rate`` inherited from ``[targets]``, ``[channels.NAME]`` or
        ``--max-abandon`` (its targets show None); its own section's is a ConfigError naming the section, unless
        ``--model`` put the queue on Erlang C (the command line wins over the file)."""
        if queue in self.queue_targets:  # built in code: whole Targets
            targets = self.queue_targets[queue]
            if channel is not None and channel != targets.channel:
                raise ConfigError(f"queue {queue!r}: the forecast gives channel {channel!r}, its Targets "
                                  f"{targets.channel!r}")
            return queue_settled(_make_targets(targets, self._overrides_for(targets.channel), "command line")) \
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
        base = self._channel_targets(chosen, flags=True)
        if not values:
            return queue_settled(base)
        flags = self._overrides_for(chosen)
        targets = _make_targets(_make_targets(base, values, where), flags, "command line")
        return queue_settled(targets, where if "max_abandon_rate" in values and "model" not in flags else None)

    def _overrides_for(self, channel: str) -> dict[str, Any]:
        return _applicable(self.overrides, channel)

    def team_for(self, queue: str) -> str:
        """The team whose agents work the queue: ``team`` in its ``[queues.NAME]`` section; otherwise the queue
        has its own team, named after it. Queues of one team are blended (worked by the same agents)."""
        return self.queue_teams.get(queue, queue)

    def teams(self, queue_names: Sequence[str], deferred: Sequence[bool]) -> list[tuple[str, list[int]]]:
        """The teams of a forecast's queues (``deferred``: each queue's channel is deferred work), in order of
        their first queue: (team name, queue numbers, the real-time one first). A ConfigError for a team of two
        real-time queues or of queues at two sites: checked by every command, as the rest of the file is."""
        teams: dict[str, list[int]] = {}
        for q, queue in enumerate(queue_names):
            teams.setdefault(self.team_for(queue), []).append(q)
        out = []
        for team, members in teams.items():
            live = [q for q in members if not deferred[q]]
            if len(live) > 1:
                raise ConfigError(f"{self.source}: team {team!r} has the real-time queues "
                                  f"{', '.join(repr(queue_names[q]) for q in live)}; a team blends one real-time queue "
                                  "with deferred work (pooling real-time queues is not supported yet)")
            sites = {self.site_for(queue_names[q]) for q in members}
            if len(sites) > 1:
                raise ConfigError(f"{self.source}: team {team!r} has queues on different sites ("
                                  + ", ".join(f"{queue_names[q]!r} at {self.site_for(queue_names[q])!r}" for q in members)
                                  + "); a team's agents sit at one site: give its queues the same site")
            out.append((team, live + [q for q in members if deferred[q]]))
        return out

    def site_for(self, queue: str) -> str:
        """The site whose seats the queue's agents share: ``site`` in its ``[queues.NAME]`` section, else
        DEFAULT_SITE (every queue on one site)."""
        return self.queue_sites.get(queue, DEFAULT_SITE)

    def origin(self, queue: str, channel: str, key: str) -> str:
        """Where the value of target ``key`` that a queue of ``channel`` is sized with comes from, for messages: the
        flag (``--max-occupancy``), the section (``wfm.toml [queues.sales]``, ``[channels.chat]``, ``[targets]``)
        or ``the default``. The layers as :meth:`targets_for` applies them: the command line over the queue's
        section over the channel's over ``[targets]``."""
        if key in _applicable(self.overrides, channel):
            return CLI_FLAGS.get(key, key)
        if queue in self.queue_targets:
            return f"queue_targets[{queue!r}]"
        if key in self.queue_values.get(queue, {}):
            return self.section(f"queues.{_toml_key(queue)}")
        if key in self.channel_values.get(channel, {}):
            return self.section(f"channels.{_toml_key(channel)}")
        if getattr(self.targets, key, None) != getattr(Targets(), key, None):
            return self.section("targets")
        return "the default"

    def section(self, name: str) -> str:
        """How messages name a section: ``"wfm.toml [schedule]"``, or ``"[schedule]"`` without a file."""
        return f"[{name}]" if self.source == "defaults" else f"{self.source} [{name}]"

    @cached_property
    def shift_rules(self) -> ShiftRules:
        """The ``[schedule]`` table as :class:`wfm.scheduling.rules.ShiftRules` (the defaults when empty), or
        the ShiftRules given as ``schedule``."""
        from wfm.scheduling.rules import ShiftRules

        if not isinstance(self.schedule, Mapping):
            return self.schedule
        return ShiftRules.from_mapping(self.schedule, self.section("schedule"))

    @cached_property
    def seat_rules(self) -> SeatRules:
        """The ``[seats]`` table as :class:`SeatRules` (the defaults when empty), or the SeatRules given as
        ``seats``."""
        if not isinstance(self.seats, Mapping):
            return self.seats
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
        known = tuple(queue_names)
        return tuple(unknown_queue_message(self.source, name, known) for name in self.unknown_queue_sections(known))


def _applicable(overrides: Mapping[str, Any], channel: str) -> dict[str, Any]:
    """The command-line targets that apply to a queue of ``channel``: real-time-only ones skip deferred work,
    ``concurrency`` applies to chat only."""
    return {k: v for k, v in overrides.items()
            if not (is_deferred(channel) and k in REAL_TIME_ONLY) and not (k == "concurrency" and channel != CHAT)}


def unknown_queue_message(source: str, name: str, queue_names: Iterable[str] = ()) -> str:
    """``wfm.toml: [queues.nosuch] matches no queue in the forecast`` (the name quoted as TOML
    would quote it, e.g. ``[queues."front desk"]``), with the nearest of ``queue_names`` when one is near
    (``(did you mean 'sales'?)``); without the file's name for settings made in code."""
    section = f"[queues.{_toml_key(name)}] matches no queue in the forecast{did_you_mean(name, queue_names)}"
    return section if source == "defaults" else f"{source}: {section}"


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
    ConfigError naming ``what`` (e.g. ``"wfm.toml [forecast]: interval_minutes"``). A numpy scalar or 0-d array is
    its value (:func:`one_value`)."""
    value = one_value(value)
    if not (_is_whole(value) and 0 < value <= 1440 and 1440 % int(value) == 0):
        raise ConfigError(f"{what} must be a whole number of minutes that divides 1440 (such as 5, 15, 30 or 60), "
                       f"got {show_value(value)}")
    return int(value)


DEFAULT_SITE = "main"
"""The site of every queue whose section names none: by default all queues share one site's seats."""


def load_settings(path: str | Path | None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Read a wfm.toml (or use the defaults when ``path`` is None), then apply ``overrides``: the CLI's
    target flags, which win over the file (see :func:`wfm.config_file.load_settings`)."""
    from wfm import config_file

    return config_file.load_settings(path, overrides)


def apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """Command-line targets over ``settings`` (see :func:`wfm.config_file.apply_overrides`)."""
    from wfm import config_file

    return config_file.apply_overrides(settings, overrides)
