"""Reading a wfm.toml into :class:`wfm.config.Settings`, and applying the command line's targets over it.

The checks are those of :mod:`wfm.config` (its docstring lists the sections, keys and ranges); this
module parses the TOML, checks each table's keys and types, and builds the Settings, which check the
rest when they are made.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from wfm.channels import CHANNELS, DEFERRED_ONLY
from wfm.config import (
    _CHANNEL_KEYS,
    CLI_FLAGS,
    LOADING_A_FILE,
    TARGET_NAMES,
    Settings,
    Targets,
    _applicable,
    _coerce_values,
    _make_targets,
    _site,
    _toml_key,
    check_interval_minutes,
    check_tz,
    queue_settled,
    show_value,
)
from wfm.errors import ConfigError, reject_unknown

__all__ = ["load_settings", "apply_overrides"]


def load_settings(path: str | Path | None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Read a wfm.toml (or use the defaults when ``path`` is None), then apply ``overrides``:
    the CLI's target flags, which win over the file for every queue.

    The file is checked whole, whatever the command: ``[schedule]`` and ``[seats]`` are parsed
    here too (``Settings.shift_rules``, ``Settings.seat_rules``)."""
    loading = LOADING_A_FILE.set(True)
    try:
        read = Settings() if path is None else _read_settings(Path(path))
        settings = apply_overrides(read, overrides or {})  # Settings parses its rules when it is made
    finally:
        LOADING_A_FILE.reset(loading)
    erlang_a_settings_have_a_use(read, settings)
    return settings


_ERLANG_A_KEYS = {"patience_s": "a patience", "max_abandon_rate": "an abandonment cap"}
"""The erlang-a model's settings, and what messages call them."""


def erlang_a_settings_have_a_use(read: Settings, settings: Settings) -> None:
    """ConfigError for a ``patience_s`` or ``max_abandon_rate`` in wfm.toml when no queue or channel, nor --model,
    uses the erlang-a model: under Erlang C nobody abandons, so it would be ignored, as --patience or --max-abandon
    alone is refused. (With erlang-a anywhere, a ``[targets]`` or ``[channels.NAME]`` one is what its erlang-a
    queues inherit, and its Erlang C queues ignore.) ``read``: the file's settings, ``settings``: with the command
    line over them. A file that uses erlang-a somewhere is right in itself: ``--model erlang-c`` over it asks
    what Erlang C would staff, and its patience and cap are then the command line's choice to ignore. Settings
    made in code are checked by this on construction (``read`` and ``settings`` the same)."""
    if _uses_erlang_a(read) or _uses_erlang_a(settings) or settings.overrides.get("model") == "erlang-a":
        return
    for key, what in _ERLANG_A_KEYS.items():
        tables = [("targets", getattr(settings.targets, key) is not None)]
        tables += [(f"channels.{_toml_key(c)}", key in v) for c, v in settings.channel_values.items()]
        tables += [(f"queues.{_toml_key(q)}", key in v) for q, v in settings.queue_values.items()]
        tables += [(f"queues.{_toml_key(q)}", getattr(t, key) is not None) for q, t in settings.queue_targets.items()]
        for name, given in tables:
            if given:
                raise ConfigError(f"{settings.section(name)}: {key} needs model = \"erlang-a\" (in a section, or "
                                  f"--model erlang-a): under Erlang C nobody abandons, so {what} would be ignored")


def _read_settings(path: Path) -> Settings:
    import hashlib
    import tomllib

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

    unknown = sorted(set(raw) - {"forecast", "targets", "channels", "queues", "schedule", "seats", "sites", "contract",
                                 "capacity"})
    if unknown:
        raise ConfigError(f"{where}: unknown section [{unknown[0]}]; expected [forecast], [targets], [channels.NAME], "
                          "[queues.NAME], [schedule], [seats], [sites.NAME], [contract] or [capacity]")
    common = [name for name in TARGET_NAMES if name not in ("channel", *DEFERRED_ONLY)]
    targets = _make_targets(Targets(), _coerce_values(_table(raw, "targets", where), f"{where} [targets]", common),
                            f"{where} [targets]")
    channels = _table(raw, "channels", where)
    channel_values = {}
    for name in channels:
        label = f"channels.{_toml_key(name)}"
        if name not in CHANNELS:
            raise ConfigError(f"{where} [{label}]: unknown channel; expected one of {', '.join(CHANNELS)}")
        channel_values[name] = _coerce_values(_table(channels, name, where, label), f"{where} [{label}]", _CHANNEL_KEYS)
    queues = _table(raw, "queues", where)
    queue_tables = {name: dict(_table(queues, name, where, f"queues.{_toml_key(name)}")) for name in queues}
    queue_sites = {name: _site(table.pop("site"), f"{where} [queues.{_toml_key(name)}]", "site")
                   for name, table in queue_tables.items() if "site" in table}
    queue_teams = {name: _site(table.pop("team"), f"{where} [queues.{_toml_key(name)}]", "team")
                   for name, table in queue_tables.items() if "team" in table}
    queue_values = {name: _coerce_values(table, f"{where} [queues.{_toml_key(name)}]", (*TARGET_NAMES, "site", "team"))
                    for name, table in queue_tables.items()}
    forecast = _table(raw, "forecast", where)
    reject_unknown(forecast, ("tz", "interval_minutes", "special_days"), f"{where} [forecast]")
    special_days = {}
    if "special_days" in forecast:  # `wfm forecast` and `wfm backtest` use them (wfm.forecasting.special)
        from wfm.forecasting.special import parse_special_days

        special_days = parse_special_days(forecast["special_days"], where)
    tz = forecast.get("tz")
    minutes = forecast.get("interval_minutes")
    zone = None if tz is None else check_tz(tz, f"{where} [forecast]: tz")
    interval = None if minutes is None else check_interval_minutes(minutes, f"{where} [forecast]: interval_minutes")
    schedule, seats = _table(raw, "schedule", where), _table(raw, "seats", where)
    sites_table, contract_table = _table(raw, "sites", where), _table(raw, "contract", where)
    sites: Mapping[str, Any] = {}
    contract = None
    if sites_table or contract_table:  # wfm.cost only for a file with rates: every command reads this file
        from wfm.cost import contract_from_mapping, sites_from_mapping

        sites = sites_from_mapping(sites_table, where)
        contract = contract_from_mapping(contract_table, where)
    return Settings(
        targets=targets,
        queue_sites=queue_sites,
        queue_teams=queue_teams,
        channel_values=channel_values,
        queue_values=queue_values,
        tz=zone,
        interval_minutes=interval,
        schedule=schedule,
        seats=seats,
        sites=sites,
        contract=contract,
        special_days=special_days,
        capacity=_table(raw, "capacity", where),
        source=where,
        source_sha256=digest,
    )


def apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """Command-line targets win over the file, for the common targets and every queue's.
    Each is checked as the file's are; a message names the flag (``--paid-hours must be ...``). Applied to
    settings that already carry overrides (a what-if scenario's shrinkage over the command line's), the new
    values win and the earlier ones stay."""
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if not overrides:
        return settings
    clean = _coerce_values(overrides, "command line")
    _some_channel_takes(settings, clean)
    for key, what in _ERLANG_A_KEYS.items():  # with erlang-a somewhere, the Erlang C queues ignore them
        if key in clean and clean.get("model") == "erlang-c":  # every queue on Erlang C: the flag does nothing
            raise ConfigError(f"{CLI_FLAGS[key]} with --model erlang-c: under Erlang C nobody abandons, so {what} "
                              "would be ignored")
        if key in clean and clean.get("model") != "erlang-a" and not _uses_erlang_a(settings):
            raise ConfigError(f'{CLI_FLAGS[key]} needs model = "erlang-a" (--model erlang-a, or model = "erlang-a" in '
                              f"wfm.toml): under Erlang C nobody abandons, so {what} would be ignored")
    return replace(
        settings,
        targets=_merged(settings.targets, clean),  # a layer: keeps a --max-abandon for the erlang-a queues
        queue_targets={q: queue_settled(_merged(t, clean)) for q, t in settings.queue_targets.items()},
        overrides={**settings.overrides, **clean},
    )


def _uses_erlang_a(settings: Settings) -> bool:
    """Whether the settings put any queue or channel on the erlang-a model (a --patience or --max-abandon flag then
    has a use)."""
    tables = [*settings.channel_values.values(), *settings.queue_values.values()]
    return (settings.targets.model == "erlang-a" or any(t.get("model") == "erlang-a" for t in tables)
            or any(t.model == "erlang-a" for t in settings.queue_targets.values()))


def _some_channel_takes(settings: Settings, flags: Mapping[str, Any]) -> None:
    """Refuse flags no channel's targets can take (``--service-level 1.5``, ``--model erlang-a`` without a
    patience), naming the flag with what each kind of channel takes where they differ (``--service-level``: [0, 1)
    for voice and chat, (0, 1] for deferred work); flags some channel can take wait for the queues sized
    (:func:`_merged`)."""
    refusals: dict[str, list[str]] = {}
    for channel in CHANNELS:
        try:
            _make_targets(settings._channel_targets(channel, flags=False), _applicable(flags, channel), "command line")
            return
        except ConfigError as exc:
            refusals.setdefault(str(exc), []).append(channel.replace("_", " "))
    messages = list(refusals)
    parts = [re.fullmatch(r"(.* must be )(.*)(, got .*)", m) for m in messages]
    if len(messages) == 1 or not all(parts) or len({(m[1], m[3]) for m in parts if m}) != 1:
        raise ConfigError(messages[0])
    ranges = [f"for {_names(refusals[text])}, {m[2]}" for m, text in zip(parts, messages) if m]
    head, tail = parts[0][1], parts[0][3]  # type: ignore[index]
    raise ConfigError(f"{head.rstrip()}, {'; '.join(ranges)}{tail}")


def _names(channels: list[str]) -> str:
    """``voice and chat``, ``email, social and back office``."""
    return channels[0] if len(channels) == 1 else f"{', '.join(channels[:-1])} and {channels[-1]}"


def _merged(targets: Targets, flags: Mapping[str, Any]) -> Targets:
    """``targets`` with the command line's values that apply to its channel, where its channel can take them;
    else as it is: a value this channel cannot take (--answer-within 172800 for voice) is refused only when a
    queue of the channel is sized (Settings.targets_for applies the flags again and names the flag)."""
    try:
        return _make_targets(targets, _applicable(flags, targets.channel), "command line")
    except ConfigError:
        return targets


def _table(raw: Mapping[str, Any], name: str, where: str, label: str | None = None) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{label or name}] must be a table, got {show_value(value)}")
    return value
