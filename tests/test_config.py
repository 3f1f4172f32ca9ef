"""wfm.config: wfm.toml targets, per-queue overrides, command-line precedence, clear errors."""

from __future__ import annotations

import hashlib
import math
import re

import pytest

from wfm.config import (
    SeatRules,
    Settings,
    Targets,
    apply_overrides,
    check_interval_minutes,
    check_tz,
    load_settings,
    unknown_queue_message,
)
from wfm.errors import ConfigError, WfmError
from wfm.scheduling.rules import ShiftRules

CONFIG = """
[forecast]
tz = "America/Chicago"
interval_minutes = 15

[targets]
service_level = 0.85
answer_within_s = 20
shrinkage = 0.35
min_staff = 1

[queues.billing]
service_level = 0.9
asa_s = 15

[schedule]
full_time_hours = [8, 9]

[seats]
buffer_seats = 2
"""


def test_defaults_are_the_80_30_standard() -> None:
    t = load_settings(None).targets
    assert (t.service_level, t.answer_within_s, t.max_occupancy, t.asa_s, t.shrinkage, t.min_staff) == (
        0.8, 30.0, 0.85, None, 0.3, 0)
    assert t.paid_hours_per_fte_week == 40.0


def test_file_sections_and_queue_overrides(write_csv) -> None:
    settings = load_settings(write_csv(CONFIG, "wfm.toml"))
    assert settings.tz == "America/Chicago" and settings.interval_minutes == 15
    assert settings.targets == Targets(service_level=0.85, answer_within_s=20, shrinkage=0.35, min_staff=1)
    billing = settings.targets_for("billing")
    assert billing.service_level == 0.9 and billing.asa_s == 15
    assert billing.shrinkage == 0.35  # inherited from [targets]
    assert settings.targets_for("sales") == settings.targets
    assert settings.schedule == {"full_time_hours": [8, 9]}
    assert settings.shift_rules == ShiftRules(full_time_hours=(8, 9))  # parsed at load time
    assert settings.seat_rules == SeatRules(buffer_seats=2)


def test_command_line_wins_for_every_queue(write_csv) -> None:
    settings = load_settings(write_csv(CONFIG, "wfm.toml"), {"service_level": 0.7, "shrinkage": None})
    assert settings.targets.service_level == 0.7
    assert settings.targets_for("billing").service_level == 0.7
    assert settings.targets_for("billing").shrinkage == 0.35  # flag not given


def test_later_overrides_keep_the_earlier_ones_for_every_channel(write_csv) -> None:
    # a what-if scenario applies its shrinkage over the command line's flags: a chat queue (whose targets are
    # rebuilt from its channel's defaults and the overrides) must keep --service-level and take the shrinkage
    path = write_csv("[channels.chat]\nconcurrency = 2\n", "wfm.toml")
    settings = apply_overrides(load_settings(path, {"service_level": 0.9}), {"shrinkage": 0.4})
    chat = settings.targets_for("web", "chat")
    assert (chat.service_level, chat.shrinkage, chat.concurrency) == (0.9, 0.4, 2)
    assert (settings.targets.service_level, settings.targets.shrinkage) == (0.9, 0.4)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[targets]\nservice_levle = 0.8\n", "wfm.toml [targets]: unknown setting 'service_levle'"),
        ("[targets]\nservice_level = '80%'\n", 'wfm.toml [targets]: service_level must be a number, got "80%"'),
        ("[targets]\nmin_staff = 1.5\n", "wfm.toml [targets]: min_staff must be a whole number"),
        ("[targets]\nshrinkage = 1.0\n", "wfm.toml [targets]: shrinkage must be a fraction in [0, 1)"),
        ("[queues.sales]\nmax_occupancy = 0\n", "wfm.toml [queues.sales]: max_occupancy must be a fraction in (0, 1]"),
        ("[target]\nservice_level = 0.8\n", "wfm.toml: unknown section [target]"),
        ("[forecast]\nzone = 'UTC'\n", "wfm.toml [forecast]: unknown setting 'zone'"),
        ("[targets\n", "wfm.toml: not valid TOML"),
    ],
)
def test_bad_config_is_one_clear_line(write_csv, text: str, message: str) -> None:
    path = write_csv(text, "wfm.toml")
    with pytest.raises(WfmError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(str(path.parent / message.split(":")[0]) + message[len(message.split(":")[0]):])
    assert "\n" not in str(caught.value)


def test_missing_config_file(tmp_path) -> None:
    with pytest.raises(WfmError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("name", "value", "flag"),
    [("service_level", 1.0, "--service-level"), ("answer_within_s", -5, "--answer-within"),
     ("max_occupancy", 0.0, "--max-occupancy"), ("asa_s", 0, "--asa"), ("shrinkage", 1.2, "--shrinkage"),
     ("min_staff", -1, "--min-staff"), ("paid_hours_per_fte_week", 0, "--paid-hours")],
)
def test_impossible_flags_name_the_flag(name: str, value: float, flag: str) -> None:
    # refused when the settings are made, or (a value some channel can take: a 100 % service level for email)
    # when a voice queue is sized
    with pytest.raises(WfmError, match=f"^{flag} must be"):
        apply_overrides(Settings(), {name: value}).targets_for("q", "voice")


def test_a_flag_one_channel_can_take_waits_for_the_queues_sized() -> None:
    email = apply_overrides(Settings(), {"answer_within_s": 172800})  # two days: an email response time
    assert email.targets_for("inbox", "email").answer_within_s == 172800
    with pytest.raises(WfmError, match="^--answer-within must be seconds from 0 to 86400"):
        email.targets_for("phones", "voice")
    voice = apply_overrides(Settings(), {"answer_within_s": 0})  # answered at once: voice can take it
    assert voice.targets_for("phones", "voice").answer_within_s == 0
    with pytest.raises(WfmError, match="^--answer-within"):
        voice.targets_for("inbox", "email")
    with pytest.raises(WfmError, match="^--answer-within"):  # no channel can take it: refused at once
        apply_overrides(Settings(), {"answer_within_s": 10**9})


# --- issue 6: settings that were accepted but wrong; issue 7: the file is checked whole -----------


@pytest.mark.parametrize(
    ("text", "section", "key", "got"),
    [
        # a bool is not a number, a string is not a number, whole numbers are whole
        ("[forecast]\ninterval_minutes = true\n", "forecast", "interval_minutes", "true"),
        ("[forecast]\ninterval_minutes = '15'\n", "forecast", "interval_minutes", '"15"'),
        ("[forecast]\ninterval_minutes = 7\n", "forecast", "interval_minutes", "7"),
        ("[forecast]\ninterval_minutes = 15.5\n", "forecast", "interval_minutes", "15.5"),
        ("[forecast]\ninterval_minutes = inf\n", "forecast", "interval_minutes", "inf"),
        ("[forecast]\ntz = 5\n", "forecast", "tz", "5"),
        ("[forecast]\ntz = 'Mars/Olympus_Mons'\n", "forecast", "tz", '"Mars/Olympus_Mons"'),
        ("[forecast]\ntz = 'America'\n", "forecast", "tz", '"America"'),
        ("[forecast]\ntz = '../../etc/passwd'\n", "forecast", "tz", '"../../etc/passwd"'),
        ("[targets]\nservice_level = true\n", "targets", "service_level", "true"),
        ("[targets]\nmin_staff = nan\n", "targets", "min_staff", "nan"),
        ("[targets]\nmin_staff = true\n", "targets", "min_staff", "true"),
        ("[targets]\nmin_staff = inf\n", "targets", "min_staff", "inf"),
        ("[targets]\nmin_staff = 1e9\n", "targets", "min_staff", "1000000000"),
        ("[queues.billing]\nservice_level = '0.9'\n", "queues.billing", "service_level", '"0.9"'),
        # outside a sane range
        ("[targets]\npaid_hours_per_fte_week = inf\n", "targets", "paid_hours_per_fte_week", "inf"),
        ("[targets]\npaid_hours_per_fte_week = 200\n", "targets", "paid_hours_per_fte_week", "200"),
        ("[targets]\nanswer_within_s = 1e7\n", "targets", "answer_within_s", "10000000"),
        ("[targets]\nasa_s = inf\n", "targets", "asa_s", "inf"),
        ("[schedule]\nunderstaffing_weight = 1e300\n", "schedule", "understaffing_weight", "1e+300"),
        ("[schedule]\nunderstaffing_weight = nan\n", "schedule", "understaffing_weight", "nan"),
        ("[schedule]\nfull_time_hours = [30]\n", "schedule", "full_time_hours", "30"),
        ("[schedule]\ntime_limit_s = inf\n", "schedule", "time_limit_s", "inf"),
        ("[schedule]\nmip_gap = nan\n", "schedule", "mip_gap", "nan"),
        ("[schedule]\ntours = 1\n", "schedule", "tours", "1"),
        ("[schedule]\nstart_step_minutes = true\n", "schedule", "start_step_minutes", "true"),
        ("[schedule]\ndays_per_week = inf\n", "schedule", "days_per_week", "inf"),
        ("[schedule]\ncost_per_paid_hour = {'8' = inf}\n", "schedule", "cost_per_paid_hour for 8 h shifts", "inf"),
        ("[seats]\nabsent_fraction = 1.5\n", "seats", "absent_fraction", "1.5"),
        ("[seats]\nbuffer_fraction = nan\n", "seats", "buffer_fraction", "nan"),
        ("[seats]\nbuffer_seats = true\n", "seats", "buffer_seats", "true"),
        ("[seats]\nbuffer_seats = -1\n", "seats", "buffer_seats", "-1"),
        ("[seats]\nshared_seats = 'yes'\n", "seats", "shared_seats", '"yes"'),
    ],
)
def test_wrong_types_and_insane_values_name_file_section_and_key(write_csv, text, section, key, got) -> None:
    path = write_csv(text, "wfm.toml")
    with pytest.raises(WfmError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(f"{path} [{section}]: {key} must be "), message
    assert f", got {got}" in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[seats]\nbuffer = 2\n", "wfm.toml [seats]: unknown setting 'buffer'"),
        ("[schedule]\nshift_lenghts = [8]\n", "wfm.toml [schedule]: unknown setting 'shift_lenghts'"),
        ("[schedule]\nbreaks = [{minutes = 15, paid = true, window_h = [1, 2], colour = 'red'}]\n",
         "wfm.toml [schedule]: breaks[0]: unknown setting 'colour'"),
        ("queues = 5\n", "wfm.toml: [queues] must be a table, got 5"),
        ("[queues]\nbilling = 0.9\n", "wfm.toml: [queues.billing] must be a table, got 0.9"),
    ],
)
def test_schedule_and_seats_are_checked_when_the_file_is_loaded(write_csv, text: str, fragment: str) -> None:
    """Every command loads its settings with load_settings, so `wfm size --config` fails too."""
    path = write_csv(text, "wfm.toml")
    with pytest.raises(WfmError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(str(path.parent / fragment.split(" ")[0]) + fragment[len(fragment.split(" ")[0]):])
    assert "\n" not in str(caught.value)


def test_size_with_a_bad_schedule_section_exits_2(write_csv) -> None:
    from conftest import SAMPLES
    from typer.testing import CliRunner

    from wfm.cli import app

    config = write_csv("[schedule]\nfull_time_hours = [30]\n", "wfm.toml")
    result = CliRunner().invoke(app, ["size", str(SAMPLES / "retail_voice_week_15min.csv"), "--config", str(config)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"wfm: error: {config} [schedule]: full_time_hours must be")


def test_config_values_that_are_fine() -> None:
    assert check_tz("Europe/London", "tz") == "Europe/London"
    assert check_interval_minutes(60, "i") == 60 and check_interval_minutes(15.0, "i") == 15
    with pytest.raises(WfmError, match="^--tz must be a known IANA time zone"):
        check_tz("localtime", "--tz")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("paid_hours_per_fte_week", math.inf, "--paid-hours must be hours more than 0 and at most 168 (a week), got inf"),
        ("service_level", True, "--service-level must be a number, got true"),
        ("shrinkage", "0.3", '--shrinkage must be a number, got "0.3"'),
        ("min_staff", 2.5, "--min-staff must be a whole number, got 2.5"),
        ("min_staff", math.inf, "--min-staff must be a whole number, got inf"),
        ("asa_s", math.inf, "--asa must be seconds more than 0 and at most 86400 (a day), got inf"),
        # no channel takes it: what each kind of channel takes is named (it named deferred work's alone, and a
        # planner who then gave --service-level 1 was told 1 would need infinitely many agents)
        ("answer_within_s", 1e9, "--answer-within must be, for voice and chat, seconds from 0 to 86400 (a day); for "
         "email, social and back office, seconds more than 0 and at most 604800 (a week), got 1000000000"),
        ("service_level", 1.5, "--service-level must be, for voice and chat, a fraction in [0, 1): 1 would need "
         "infinitely many agents; for email, social and back office, a fraction in (0, 1] (0 would ask nothing of "
         "the work), got 1.5"),
    ],
)
def test_flags_go_through_the_same_checks(name: str, value, message: str) -> None:
    with pytest.raises(WfmError) as caught:
        apply_overrides(Settings(), {name: value})
    assert str(caught.value) == message


def test_source_sha256_is_the_digest_of_the_bytes_parsed(write_csv, tmp_path) -> None:
    path = write_csv(CONFIG, "wfm.toml")
    assert load_settings(path).source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert load_settings(None).source_sha256 is None
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf[targets]\nshrinkage = 0.25\n")
    settings = load_settings(bom)
    assert settings.targets.shrinkage == 0.25
    assert settings.source_sha256 == hashlib.sha256(bom.read_bytes()).hexdigest()
    latin = tmp_path / "latin.toml"
    latin.write_bytes("[queues.caf\u00e9]\nmin_staff = 1\n".encode("latin-1"))
    with pytest.raises(WfmError) as caught:
        load_settings(latin)
    assert str(caught.value).startswith(f"{latin}: not UTF-8 text") and "\n" not in str(caught.value)


def test_queue_sections_that_match_no_queue(write_csv) -> None:
    path = write_csv('[queues.billing]\nmin_staff = 2\n[queues.nosuch]\nmin_staff = 1\n'
                     '[queues."front desk"]\nmin_staff = 1\n', "wfm.toml")
    settings = load_settings(path)
    assert settings.unknown_queue_sections(["billing", "sales"]) == ("nosuch", "front desk")
    assert settings.unknown_queue_sections(["billing", "nosuch", "front desk"]) == ()
    assert settings.unknown_queue_warnings(["billing"]) == (
        f"{path}: [queues.nosuch] matches no queue in the forecast",
        f'{path}: [queues."front desk"] matches no queue in the forecast',
    )
    assert unknown_queue_message("wfm.toml", "nosuch") == "wfm.toml: [queues.nosuch] matches no queue in the forecast"
    assert load_settings(None).unknown_queue_sections(["billing"]) == ()


def test_the_queueing_model_and_its_settings(tmp_path) -> None:
    config = tmp_path / "wfm.toml"
    config.write_text('[queues.sales]\nmodel = "erlang-a"\npatience_s = 120\nmax_abandon_rate = 0.05\n')
    settings = load_settings(config)
    sales = settings.targets_for("sales")
    assert (sales.model, sales.patience_s, sales.max_abandon_rate) == ("erlang-a", 120.0, 0.05)
    assert settings.targets_for("billing").model == "erlang-c"
    flags = load_settings(None, {"model": "erlang-a", "patience_s": 90.0}).targets
    assert (flags.model, flags.patience_s) == ("erlang-a", 90.0)
    for text, message in [
        ('model = "erlang-b"', r'model must be one of "erlang-c", "erlang-a", got "erlang-b"'),
        ("model = 3", "model must be text"),
        ('model = "erlang-a"', "patience_s is needed by the erlang-a model"),
        ('model = "erlang-a"\npatience_s = -5', "patience_s must be seconds from 5 to 86400"),
        ("max_abandon_rate = 0.05", r'max_abandon_rate needs model = "erlang-a"'),
        ('model = "erlang-a"\npatience_s = 60\nmax_abandon_rate = 1.5', r"max_abandon_rate must be a fraction in \(0, 1\)"),
    ]:
        config.write_text(f"[queues.sales]\n{text}\n")
        with pytest.raises(WfmError, match=rf"wfm.toml \[queues.sales\]: {message}"):
            load_settings(config)


def test_a_deferred_target_of_0_is_refused_where_it_is_set(tmp_path) -> None:
    """0 % within the response time asks nothing of the work: a one-line error naming the setting or the flag
    (it reached the backlog sizing and exited 70)."""
    from typer.testing import CliRunner

    from wfm.cli import app

    forecast = tmp_path / "em.csv"
    forecast.write_text("queue,channel,interval_start,volume,aht\nmail,email,2026-12-01T08:00:00-06:00,10,300\n"
                        "mail,email,2026-12-01T08:30:00-06:00,10,300\n")
    config = tmp_path / "wfm.toml"
    config.write_text("[channels.email]\nservice_level = 0\n")
    for args, where in (([], "--service-level"), (["--config", str(config)], f"{config} [channels.email]: service_level")):
        run = CliRunner().invoke(app, ["size", str(forecast), *args] + (["--service-level", "0"] if not args else []))
        assert run.exit_code == 2 and run.stderr == (f"wfm: error: {where} must be a fraction in (0, 1] (0 would ask "
                                                     "nothing of the work), got 0\n")


def test_where_a_queues_target_is_set_is_named(tmp_path) -> None:
    config = tmp_path / "wfm.toml"
    config.write_text("[targets]\nmax_occupancy = 0.9\n[channels.chat]\nmax_occupancy = 0.8\n"
                      "[queues.sales]\nmax_occupancy = 0.7\n")
    settings = load_settings(config)
    assert settings.origin("sales", "voice", "max_occupancy") == f"{config} [queues.sales]"
    assert settings.origin("care", "chat", "max_occupancy") == f"{config} [channels.chat]"
    assert settings.origin("care", "voice", "max_occupancy") == f"{config} [targets]"
    assert settings.origin("care", "voice", "shrinkage") == "the default"
    assert load_settings(config, {"max_occupancy": 0.5}).origin("sales", "voice", "max_occupancy") == "--max-occupancy"
    assert Settings(queue_values={"b": {"max_occupancy": 0.7}}).origin("b", "voice", "max_occupancy") == "[queues.b]"


def test_an_occupancy_cap_that_asks_too_many_agents_names_where_it_is_set(write_csv, tmp_path) -> None:
    from typer.testing import CliRunner

    from wfm.cli import app

    forecast = write_csv("interval_start,volume,aht\n2026-12-01T08:00:00Z,60,200\n2026-12-01T08:15:00Z,60,200\n")
    config = tmp_path / "wfm.toml"
    config.write_text("[targets]\nmax_occupancy = 1e-7\n")
    where = f"{forecast}: queue 'default', interval 2026-12-01T08:00:00+00:00"
    for args, cap in ((["--max-occupancy", "1e-7"], "--max-occupancy 1e-07"),
                      (["--config", str(config)], f"max_occupancy 1e-07 (from {config} [targets])")):
        run = CliRunner().invoke(app, ["size", str(forecast), *args])
        assert run.exit_code == 2
        assert run.stderr == f"wfm: error: {where}: {cap} with 13 Erlangs needs 1.3e+08 agents; wfm sizes at most " \
                             "10,000,000\n"


def test_a_queue_section_may_set_what_only_chat_takes_for_a_queue_the_forecast_makes_chat(tmp_path) -> None:
    """[queues.care_chat] concurrency = 3, its channel from the forecast's column: it was refused as a voice queue's
    (concurrency needs channel = "chat") by every command."""
    config = tmp_path / "wfm.toml"
    config.write_text("[queues.care_chat]\nconcurrency = 3\n")
    settings = load_settings(config)
    assert settings.targets_for("care_chat", "chat").concurrency == 3
    with pytest.raises(WfmError, match=r'\[queues\.care_chat\]: concurrency needs channel = "chat"'):
        settings.targets_for("care_chat", "voice")  # where the forecast says voice, it is refused when sized


def test_a_patience_in_the_file_needs_erlang_a_somewhere(tmp_path) -> None:
    config = tmp_path / "wfm.toml"
    for text, where in (("[targets]\npatience_s = 120\n", "[targets]"),
                        ("[queues.billing]\npatience_s = 120\n", "[queues.billing]")):
        config.write_text(text)
        with pytest.raises(WfmError, match=rf'^{re.escape(str(config))} {re.escape(where)}: patience_s needs model = '
                                           r'"erlang-a"'):
            load_settings(config)
    config.write_text("[targets]\npatience_s = 120\n")
    assert load_settings(config, {"model": "erlang-a"}).targets.patience_s == 120.0  # --model erlang-a gives it a use
    config.write_text('[targets]\npatience_s = 120\n[queues.billing]\nmodel = "erlang-a"\n')
    assert load_settings(config).targets_for("billing").patience_s == 120.0  # inherited by the erlang-a queue


def test_an_abandonment_cap_in_the_file_needs_erlang_a_somewhere_as_a_patience_does(tmp_path) -> None:
    """max_abandon_rate in [targets] or [channels.NAME] is what the erlang-a queues inherit and the Erlang C ones
    drop (it was refused even with an erlang-a queue); with no erlang-a anywhere it is refused, naming the section."""
    config = tmp_path / "wfm.toml"
    for where in ("targets", "channels.voice"):
        config.write_text(f"[{where}]\nmax_abandon_rate = 0.05\n")
        with pytest.raises(WfmError) as error:
            load_settings(config)
        assert str(error.value) == (f'{config} [{where}]: max_abandon_rate needs model = "erlang-a" (in a section, or '
                                    "--model erlang-a): under Erlang C nobody abandons, so an abandonment cap would be "
                                    "ignored")
        assert load_settings(config, {"model": "erlang-a", "patience_s": 90.0}).targets_for("b").max_abandon_rate == 0.05
        config.write_text(f'[{where}]\nmax_abandon_rate = 0.05\n[queues.a]\nmodel = "erlang-a"\npatience_s = 120\n')
        settings = load_settings(config)
        a, b = settings.targets_for("a"), settings.targets_for("b")
        assert (a.model, a.patience_s, a.max_abandon_rate) == ("erlang-a", 120.0, 0.05)  # inherited
        assert (b.model, b.max_abandon_rate) == ("erlang-c", None)  # dropped: nobody abandons under Erlang C
        assert settings.channel_targets("voice").max_abandon_rate is None
    config.write_text('[channels.chat]\nmax_abandon_rate = 0.05\n[channels.voice]\nmodel = "erlang-a"\n'
                      "patience_s = 120\n")
    settings = load_settings(config)
    assert settings.targets_for("care", "chat").max_abandon_rate is None  # chat is on Erlang C
    assert settings.targets_for("sales").max_abandon_rate is None  # [channels.chat]'s is chat's only


def test_a_queue_that_sets_an_abandonment_cap_on_erlang_c_is_refused_though_another_queue_abandons(tmp_path) -> None:
    """[queues.NAME] max_abandon_rate on a queue whose model is Erlang C contradicts itself: refused, naming the section,
    even with erlang-a elsewhere; --model erlang-c over the file drops the file's caps (the command line wins)."""
    config = tmp_path / "wfm.toml"
    config.write_text('[queues.a]\nmodel = "erlang-a"\npatience_s = 120\n[queues.b]\nmax_abandon_rate = 0.05\n')
    with pytest.raises(WfmError) as error:
        load_settings(config)
    assert str(error.value) == (f'{config} [queues.b]: max_abandon_rate needs model = "erlang-a" for this queue, which '
                                'is on "erlang-c": under Erlang C nobody abandons, so an abandonment cap would be '
                                "ignored")
    config.write_text('[queues.a]\nmodel = "erlang-a"\npatience_s = 120\nmax_abandon_rate = 0.05\n')
    a = load_settings(config, {"model": "erlang-c"}).targets_for("a")
    assert (a.model, a.max_abandon_rate) == ("erlang-c", None)


def test_model_erlang_c_over_a_file_written_for_erlang_a_is_accepted(tmp_path) -> None:
    """--model erlang-c over a file whose [targets] are erlang-a (with its patience and cap) asks what Erlang C
    would staff: it was refused ("patience_s needs model = erlang-a") though the file is right in itself. A patience
    in a file that uses erlang-a nowhere stays refused, --model erlang-c or not."""
    config = tmp_path / "wfm.toml"
    config.write_text('[targets]\nmodel = "erlang-a"\npatience_s = 120\nmax_abandon_rate = 0.05\n')
    targets = load_settings(config, {"model": "erlang-c"}).targets_for("sales")
    assert (targets.model, targets.max_abandon_rate) == ("erlang-c", None)
    config.write_text("[targets]\npatience_s = 120\n")
    for flags in ({}, {"model": "erlang-c"}):
        with pytest.raises(WfmError, match=r"\[targets\]: patience_s needs model = \"erlang-a\""):
            load_settings(config, flags)


def test_the_max_abandon_flag_caps_the_erlang_a_queues_and_passes_the_erlang_c_ones(tmp_path) -> None:
    """--max-abandon with some queues on erlang-a: it was refused for the Erlang C queues, so the flag was unusable
    with mixed models; without any erlang-a queue it is refused, as --patience is."""
    config = tmp_path / "wfm.toml"
    config.write_text('[queues.a]\nmodel = "erlang-a"\npatience_s = 120\n')
    settings = load_settings(config, {"max_abandon_rate": 0.05})
    assert settings.targets_for("a").max_abandon_rate == 0.05
    assert (settings.targets_for("b").model, settings.targets_for("b").max_abandon_rate) == ("erlang-c", None)
    assert settings.channel_targets("chat").max_abandon_rate is None
    with pytest.raises(WfmError) as error:
        load_settings(None, {"max_abandon_rate": 0.05})
    assert str(error.value) == ('--max-abandon needs model = "erlang-a" (--model erlang-a, or model = "erlang-a" in '
                                "wfm.toml): under Erlang C nobody abandons, so an abandonment cap would be ignored")


def test_a_percentage_given_for_a_fraction_is_told_the_fraction() -> None:
    for name, flag in (("shrinkage", "--shrinkage"), ("max_occupancy", "--max-occupancy")):
        with pytest.raises(WfmError, match=rf"^{flag} must be a fraction .*, got 30 \(a fraction: 0\.3 for 30 %\)$"):
            apply_overrides(Settings(), {name: 30})
    with pytest.raises(WfmError, match=r"got 1\.5$"):  # 1.5 % or a slip: no hint
        apply_overrides(Settings(), {"shrinkage": 1.5})


def test_a_mistyped_key_or_queue_section_names_the_nearest_one(tmp_path) -> None:
    from wfm.errors import did_you_mean

    config = tmp_path / "wfm.toml"
    config.write_text("[targets]\nservce_level = 0.8\n")
    with pytest.raises(ConfigError, match=r"unknown setting 'servce_level' \(did you mean 'service_level'\?\); "
                                          "expected one of: service_level, "):
        load_settings(config)
    config.write_text("[queues.Sales]\nservice_level = 0.9\n[queues.zzz]\nservice_level = 0.9\n")
    assert load_settings(config).unknown_queue_warnings(["sales", "billing"]) == (
        f"{config}: [queues.Sales] matches no queue in the forecast (did you mean 'sales'?)",  # case is a typo too
        f"{config}: [queues.zzz] matches no queue in the forecast")  # nothing near: no guess
    assert did_you_mean("biling", ["billing", "sales"]) == " (did you mean 'billing'?)"
    assert did_you_mean("x", []) == ""
