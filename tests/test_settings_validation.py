"""Settings made in code are checked as wfm.toml is, and keep plain Python numbers (the writers take them)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import NUMPY_FORMS, refused_as_plain

import wfm
from wfm.config import SeatRules, Settings, Targets, load_settings
from wfm.cost import Contract, SiteCost
from wfm.errors import ConfigError


def _forecast() -> wfm.Forecast:
    return wfm.forecast_from_arrays([f"2026-12-01T{h:02d}:00:00Z" for h in range(9, 17)], [40] * 8, [300] * 8)


# --- 1. any real number type is taken, and kept as a plain int or float ----------------------------------------

NUMBERS = [
    ("min_staff", np.int64(1), int, 1),
    ("min_staff", np.float64(2.0), int, 2),
    ("min_staff", Fraction(3), int, 3),
    ("shrinkage", np.float32(0.25), float, 0.25),
    ("service_level", Fraction(4, 5), float, 0.8),
    ("answer_within_s", np.int64(20), float, 20.0),
    ("max_occupancy", np.float64(0.9), float, 0.9),
    ("asa_s", np.int32(15), float, 15.0),
    ("paid_hours_per_fte_week", Fraction(75, 2), float, 37.5),
    ("service_level", np.array(0.9), float, 0.9),  # a 0-d array, as np.asarray gives one value: refused as out of
    ("min_staff", np.array(3), int, 3),  # range before ('must be a fraction in [0, 1) ..., got array(0.9)')
]


@pytest.mark.parametrize(("name", "value", "kind", "expected"), NUMBERS)
def test_targets_keep_plain_ints_and_floats(name: str, value: Any, kind: type, expected: float) -> None:
    targets = Targets(**{name: value})
    assert type(getattr(targets, name)) is kind and getattr(targets, name) == expected
    assert all(type(getattr(targets, key)) in (int, float, str, type(None)) for key in wfm.config.TARGET_NAMES)
    text = Targets(model="erlang-a", patience_s=np.float32(90), max_abandon_rate=Fraction(1, 20))
    assert (type(text.patience_s), type(text.max_abandon_rate)) == (float, float)
    assert type(Targets(channel="chat", concurrency=np.int64(2)).concurrency) is int


@pytest.mark.slow  # plans a week
@pytest.mark.parametrize(("name", "value"), [("min_staff", np.int64(1)), ("shrinkage", np.float32(0.3)),
                                             ("service_level", Fraction(4, 5))])
def test_numpy_and_fraction_targets_write_json(tmp_path, name: str, value: Any) -> None:
    settings = Settings(targets=Targets(**{name: value}), schedule={"tours": False})
    forecast = _forecast()
    wfm.size(forecast, settings).write(tmp_path / "t.json", format="json")
    assert json.loads((tmp_path / "t.json").read_text())
    wfm.make_plan(forecast, settings).write(tmp_path / "p")
    assert json.loads((tmp_path / "p" / "summary.json").read_text())["written_by"] == "wfm"


def test_seat_rules_and_tables_keep_plain_numbers() -> None:
    seats = SeatRules(absent_fraction=np.float32(0.25), buffer_fraction=Fraction(1, 10), buffer_seats=np.int64(2),
                      shared_seats=True)
    assert [type(getattr(seats, f.name)) for f in dataclasses.fields(seats)] == [float, float, int, bool]
    assert seats == SeatRules(absent_fraction=0.25, buffer_fraction=0.1, buffer_seats=2, shared_seats=True)
    settings = Settings(queue_values={"q": {"min_staff": np.float64(2), "service_level": np.float32(0.5)}},
                        channel_values={"chat": {"concurrency": np.int64(3)}}, overrides={"shrinkage": Fraction(1, 4)},
                        interval_minutes=np.int64(15))
    assert settings.queue_values == {"q": {"min_staff": 2, "service_level": 0.5}}
    assert type(settings.queue_values["q"]["min_staff"]) is int
    assert type(settings.channel_values["chat"]["concurrency"]) is int
    assert type(settings.overrides["shrinkage"]) is float
    assert type(settings.interval_minutes) is int and settings.interval_minutes == 15
    assert type(settings.targets_for("q").min_staff) is int


# A numpy scalar or a 0-d array (np.asarray of one value) is its value in every setting made in code, as in Targets
# (wfm.targets.one_value). Before, SeatRules, Settings.interval_minutes and Settings' tables refused a 0-d array
# with a message that read as if the value were out of range ("absent_fraction must be a fraction in [0, 1), got
# array(0.1)"), and SeatRules a numpy bool ("shared_seats must be true or false, got np.True_").
SETTINGS_VALUES = [  # (setting, how to make it and read it back, a good value, values refused)
    ("SeatRules.absent_fraction", lambda v: SeatRules(absent_fraction=v).absent_fraction, 0.1, (1.5, True, "0.1")),
    ("SeatRules.buffer_fraction", lambda v: SeatRules(buffer_fraction=v).buffer_fraction, 0.2, (-0.1, True, "0.2")),
    ("SeatRules.buffer_seats", lambda v: SeatRules(buffer_seats=v).buffer_seats, 2, (2.5, True, "2")),
    ("SeatRules.shared_seats", lambda v: SeatRules(shared_seats=v).shared_seats, True, (1, "true")),
    ("Settings.seats", lambda v: Settings(seats={"absent_fraction": v}).seat_rules.absent_fraction, 0.1,
     (1.5, True, "0.1")),
    ("Settings.interval_minutes", lambda v: Settings(interval_minutes=v).interval_minutes, 30, (7, True, "30")),
    ("Settings.queue_values", lambda v: Settings(queue_values={"q": {"min_staff": v}}).queue_values["q"]["min_staff"],
     2, (-1, True, "2")),
    ("Settings.channel_values",
     lambda v: Settings(channel_values={"chat": {"concurrency": v}}).channel_values["chat"]["concurrency"], 3,
     (0, True, "3")),
    ("Settings.overrides", lambda v: Settings(overrides={"shrinkage": v}).overrides["shrinkage"], 0.25,
     (1.5, True, "0.25")),
    ("Settings.special_days", lambda v: Settings(special_days={date(2026, 12, 24): v}).special_days[date(2026, 12, 24)],
     1.5, (101.0, True, "1.5")),
]


@pytest.mark.parametrize("numpy", NUMPY_FORMS.values(), ids=NUMPY_FORMS.keys())
@pytest.mark.parametrize(("setting", "read", "good", "bad"), SETTINGS_VALUES, ids=[c[0] for c in SETTINGS_VALUES])
def test_a_numpy_value_is_its_value_in_every_setting(setting: str, read: Any, good: Any, bad: tuple[Any, ...],
                                                     numpy: Any) -> None:
    kept = read(numpy(good))
    assert type(kept) is type(good) and kept == good
    for value in bad:  # a wrong one is refused as its plain value is: the same one line, naming the setting
        assert "\n" not in refused_as_plain(read, value, ConfigError)


def test_a_0d_array_in_a_message_is_its_value() -> None:
    assert [wfm.config.show_value(v) for v in (np.array(0.5), np.array(30.0), np.True_, np.array("30"))] == \
        ["0.5", "30", "true", '"30"']
    assert wfm.config.show_value(np.array([0.5, 1.0])) == "array([0.5, 1. ])"  # an array of values, as before


def test_a_whole_number_too_large_for_a_float_is_out_of_range_not_a_crash(write_csv) -> None:
    path = write_csv("[targets]\nmin_staff = 1" + "0" * 400 + "\n", "wfm.toml")
    with pytest.raises(ConfigError, match=rf"^{path} \[targets\]: min_staff must be a whole number of agents"):
        load_settings(path)
    with pytest.raises(ConfigError, match=r"^Targets: service_level must be a fraction in \[0, 1\).*, got inf$"):
        Targets(service_level=Fraction(10**400, 3))


# --- 2. Settings.targets are the voice channel's ---------------------------------------------------------------


@pytest.mark.parametrize("targets", [Targets(channel="chat", concurrency=2), Targets(channel="email"),
                                     Targets(channel="email", open_hours="08:00-20:00")])
def test_settings_targets_of_another_channel_are_an_error(targets: Targets) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings(targets=targets)
    message = str(caught.value)
    assert message.startswith('[targets]: channel must be "voice": Settings.targets are the voice channel\'s')
    assert message.endswith(f"got {json.dumps(targets.channel)}") and "\n" not in message


def test_other_channels_targets_go_in_channel_values_or_queue_targets() -> None:
    settings = Settings(channel_values={"chat": {"concurrency": 2}},
                        queue_targets={"mail": Targets(channel="email", answer_within_s=3600)})
    voice = settings.targets_for("care_voice", "voice")
    assert (voice.channel, voice.concurrency) == ("voice", 1)
    chat = settings.targets_for("care_chat", "chat")
    assert (chat.channel, chat.concurrency) == ("chat", 2)
    assert settings.targets_for("mail", "email").answer_within_s == 3600
    with pytest.raises(ConfigError, match="^queue 'mail': the forecast gives channel 'voice'"):
        settings.targets_for("mail", "voice")


def test_an_inherited_abandonment_cap_in_code_caps_the_erlang_a_queues_and_a_lone_one_is_refused() -> None:
    """A max_abandon_rate in channel_values or overrides, as in [channels.NAME] or --max-abandon, is the erlang-a
    queues' and not the Erlang C queues' (it was refused when Settings were made); Targets made on their own with a
    cap under Erlang C stay an error, and so does a queue's own cap under Erlang C."""
    erlang_a = {"model": "erlang-a", "patience_s": 120}
    for settings in (Settings(channel_values={"voice": {"max_abandon_rate": 0.05}}, queue_values={"a": erlang_a}),
                     Settings(queue_targets={"a": Targets(**erlang_a), "b": Targets()},
                              overrides={"max_abandon_rate": 0.05})):
        a, b = settings.targets_for("a"), settings.targets_for("b")
        assert (a.model, a.max_abandon_rate, b.model, b.max_abandon_rate) == ("erlang-a", 0.05, "erlang-c", None)
        requirement = wfm.size(_forecast(), settings, warn_unused_sections=False)
        assert [vars(t)["max_abandon_rate"] for t in requirement.targets] == [None]  # the forecast's queue: Erlang C
    lone = 'Targets: max_abandon_rate needs model = "erlang-a" (under Erlang C nobody abandons)'
    for make in (lambda: Targets(max_abandon_rate=0.05), lambda: dataclasses.replace(Targets(), max_abandon_rate=0.05)):
        with pytest.raises(ConfigError) as caught:
            make()
        assert str(caught.value) == lone
    with pytest.raises(ConfigError) as caught:
        Settings(queue_values={"a": erlang_a, "b": {"max_abandon_rate": 0.05}})
    assert str(caught.value).startswith('[queues.b]: max_abandon_rate needs model = "erlang-a" for this queue, which is '
                                        'on "erlang-c": under Erlang C nobody abandons')


# --- 3. every field is checked when Settings are made, with the file's checks ---------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tz": "Mars/Base"}, '[forecast]: tz must be a known IANA time zone name such as "America/Chicago" or '
                              '"Europe/London", got "Mars/Base"'),
        ({"tz": 5}, "[forecast]: tz must be a known IANA time zone name"),
        ({"interval_minutes": 7}, "[forecast]: interval_minutes must be a whole number of minutes that divides 1440 "
                                  "(such as 5, 15, 30 or 60), got 7"),
        ({"interval_minutes": True}, "[forecast]: interval_minutes must be a whole number of minutes that divides "
                                     "1440 (such as 5, 15, 30 or 60), got true"),
        ({"queue_sites": {"q": 5}}, "[queues.q]: site must be a site name (text of 1 to 100 characters), got 5"),
        ({"queue_teams": {"q": None}}, "[queues.q]: team must be a team name (text of 1 to 100 characters), got None"),
        ({"queue_sites": {"front desk": " "}}, '[queues."front desk"]: site must be a site name'),
        ({"special_days": {"notadate": -3}}, "[forecast.special_days]: 'notadate': expected a date such as 2026-12-25"),
        ({"special_days": {"2026-12-25": -3}}, "[forecast.special_days]: '2026-12-25': expected \"closed\" or a "
                                               "factor from 0 to 100, got -3"),
        ({"capacity": {"bogus": 1}}, "[capacity]: unknown setting 'bogus'; expected one of: profile, headcount"),
        ({"capacity": {"training_weeks": 0}}, "[capacity]: training_weeks must be a whole number from 1 to 26, got 0"),
        ({"queue_values": {"q": {"bogus": 1}}}, "[queues.q]: unknown setting 'bogus'; expected one of: service_level"),
        ({"queue_values": {"q": {"service_level": "0.9"}}}, '[queues.q]: service_level must be a number, got "0.9"'),
        ({"channel_values": {"chat": {"bogus": 1}}}, "[channels.chat]: unknown setting 'bogus'"),
        ({"channel_values": {"chat": {"channel": "email"}}}, "[channels.chat]: unknown setting 'channel'"),
        ({"overrides": {"bogus": 1}}, "command line: unknown setting 'bogus'; expected one of: service_level"),
        ({"overrides": {"shrinkage": 1.5}}, "--shrinkage must be a fraction in [0, 1), got 1.5"),
    ],
)
def test_bad_values_are_one_line_naming_the_section_and_key(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings(**kwargs)
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sites": {"main": 5}}, "Settings: sites['main'] must be a wfm.cost.SiteCost, got int"),
        ({"sites": 5}, "Settings: sites must be a mapping, got int"),
        ({"contract": "yes"}, "Settings: contract must be a wfm.cost.Contract or None, got str"),
        ({"queue_sites": ["q"]}, "Settings: queue_sites must be a mapping, got list"),
        ({"special_days": [date(2026, 12, 25)]}, "Settings: special_days must be a mapping, got list"),
        ({"queue_values": {"q": 5}}, "Settings: queue_values['q'] must be a mapping of targets, got int"),
        ({"targets": {"service_level": 0.9}}, "Settings: targets must be a Targets, got dict"),
    ],
)
def test_a_field_of_the_wrong_python_type_is_a_type_error(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError) as caught:
        Settings(**kwargs)
    assert str(caught.value) == message


def test_good_values_are_kept_as_the_file_would_give_them() -> None:
    settings = Settings(tz="Europe/London", interval_minutes=30.0, queue_sites={"q": " north "}, queue_teams={"q": "care"},
                        special_days={"2026-12-25": "closed", date(2026, 11, 27): 1.3},
                        sites={"main": SiteCost(name="main", cost_per_paid_hour=25.0)},
                        contract=Contract(price_model="per_paid_hour", rate=30.0),
                        capacity={"headcount": 100, "attrition": 0.3})
    assert settings.interval_minutes == 30 and type(settings.interval_minutes) is int
    assert settings.site_for("q") == "north" and settings.team_for("q") == "care"
    assert settings.special_days == {date(2026, 12, 25): 0.0, date(2026, 11, 27): 1.3}
    assert settings == dataclasses.replace(settings)  # checking again changes nothing


@pytest.mark.parametrize(
    ("toml", "kwargs"),
    [
        ('[forecast]\ntz = "Mars/Base"\n', {"tz": "Mars/Base"}),
        ("[forecast]\ninterval_minutes = 7\n", {"interval_minutes": 7}),
        ("[queues.q]\nsite = 5\n", {"queue_sites": {"q": 5}}),
        ("[queues.q]\nteam = ''\n", {"queue_teams": {"q": ""}}),
        ("[forecast.special_days]\nnotadate = -3\n", {"special_days": {"notadate": -3}}),
        ("[capacity]\nbogus = 1\n", {"capacity": {"bogus": 1}}),
        ("[channels.chat]\nconcurrency = 0\n", {"channel_values": {"chat": {"concurrency": 0}}}),
        # under Erlang C everywhere a patience is ignored: refused in code too (it was accepted, and ignored)
        ("[targets]\npatience_s = 120\n", {"targets": Targets(patience_s=120)}),
        ("[queues.q]\npatience_s = 120\n", {"queue_values": {"q": {"patience_s": 120}}}),
        ("[queues.q]\npatience_s = 120\n", {"queue_targets": {"q": Targets(patience_s=120)}}),
    ],
)
def test_in_code_and_in_the_file_the_same_check_and_message(write_csv, toml: str, kwargs: dict[str, Any]) -> None:
    path = write_csv(toml, "wfm.toml")
    with pytest.raises(ConfigError) as from_file:
        load_settings(path)
    with pytest.raises(ConfigError) as in_code:
        Settings(**kwargs)
    assert str(from_file.value) == f"{path} {in_code.value}"
    with pytest.raises(ConfigError) as replaced:  # Settings from a file, changed in code: the file is named
        dataclasses.replace(load_settings(None), source=str(path), **kwargs)
    assert str(replaced.value) == str(from_file.value)


def test_a_bad_capacity_section_fails_every_command(write_csv) -> None:
    """The whole file is checked when it is loaded (README), [capacity] too, not only by `wfm capacity`."""
    from conftest import SAMPLES
    from typer.testing import CliRunner

    from wfm.cli import app

    config = write_csv("[capacity]\nheadcount = 100\nbogus = 1\n", "wfm.toml")
    result = CliRunner().invoke(app, ["size", str(SAMPLES / "retail_voice_week_15min.csv"), "--config", str(config)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"wfm: error: {config} [capacity]: unknown setting 'bogus'")


@pytest.mark.parametrize("section", ["[schedule]\nmin_agents_per_tour", "[sites.main]\ncost_per_paid_hour",
                                     "[capacity]\nclass_max"])
def test_a_number_too_large_for_a_float_in_any_section_is_one_line_not_a_crash(tmp_path, section) -> None:
    config = tmp_path / "wfm.toml"
    config.write_text(f"{section} = 1{'0' * 400}\n")
    with pytest.raises(ConfigError, match=r"^.*wfm\.toml.*must be"):
        wfm.load_settings(config)


def test_settings_made_again_over_a_files_command_line_keep_its_model_choice(tmp_path) -> None:
    """A file on erlang-a with its patience, read with --model erlang-c: wfm whatif --shrinkage makes Settings again
    from it for each scenario, and the check made in code refused the file's patience there (exit 2), though
    load_settings takes it (the command line chose to ignore it)."""
    from typer.testing import CliRunner

    from wfm.cli import app
    from wfm.config_file import apply_overrides

    config = tmp_path / "wfm.toml"
    config.write_text('[targets]\nmodel = "erlang-a"\npatience_s = 120\n')
    settings = load_settings(config, {"model": "erlang-c"})
    assert apply_overrides(settings, {"shrinkage": 0.35}).targets_for("q").shrinkage == 0.35
    retail = Path(__file__).resolve().parents[1] / "sample_forecasts" / "retail_voice_week_15min.csv"
    result = CliRunner().invoke(app, ["whatif", str(retail), "--config", str(config), "--model", "erlang-c",
                                      "--shrinkage", "0.3,0.35", "-q", "-f", "csv"])
    assert result.exit_code == 0, result.output
