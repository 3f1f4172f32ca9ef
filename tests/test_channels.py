"""Channels: where a queue's channel and targets come from, chat concurrency, deferred work in `wfm size`,
blended teams in `wfm plan`, and the one-line errors for impossible channel settings."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from wfm import erlang
from wfm.calculator import calculate
from wfm.config import Settings, Targets, load_settings
from wfm.errors import ConfigError, InputError
from wfm.forecast import load_forecast
from wfm.staffing import size

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = ROOT / "sample_forecasts" / "program_week_15min.csv"
PROGRAM_TOML = ROOT / "sample_forecasts" / "program_week.toml"


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wfm.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_channel_defaults_and_where_targets_come_from(tmp_path: Path) -> None:
    settings = load_settings(_toml(tmp_path, """
[targets]
answer_within_s = 20
shrinkage = 0.25
[channels.chat]
concurrency = 3
[queues.mail]
channel = "email"
service_level = 0.95
"""))
    voice, chat, email = settings.targets_for("phones"), settings.targets_for("web", "chat"), settings.targets_for("mail")
    assert (voice.channel, voice.answer_within_s, voice.shrinkage) == ("voice", 20.0, 0.25)
    # [targets]' service keys are the voice targets; its staffing keys apply to every channel
    assert (chat.answer_within_s, chat.concurrency, chat.shrinkage) == (60.0, 3, 0.25)
    assert (email.channel, email.service_level, email.answer_within_s, email.shrinkage) == ("email", 0.95, 14400.0, 0.25)
    assert settings.targets_for("other", "back_office").answer_within_s == 86400.0


def test_command_line_flags_skip_channels_they_do_not_apply_to() -> None:
    settings = load_settings(None, {"asa_s": 15.0, "concurrency": 4, "shrinkage": 0.2})
    assert settings.targets.asa_s == 15.0 and settings.targets.concurrency == 1
    assert settings.targets_for("web", "chat").concurrency == 4
    email = settings.targets_for("mail", "email")
    assert email.asa_s is None and email.shrinkage == 0.2


@pytest.mark.parametrize(("text", "message"), [
    ('[queues.q]\nchannel = "fax"', "wfm.toml [queues.q]: channel must be one of"),
    ('[channels.chat]\nconcurrency = 0', "wfm.toml [channels.chat]: concurrency must be a whole number of "
                                         "conversations per agent from 1 to 20, got 0"),
    ('[queues.q]\nchannel = "voice"\nconcurrency = 2', "concurrency needs channel = \"chat\""),
    ('[channels.email]\npatience_s = 60', "wfm.toml [channels.email]: patience_s applies to real-time channels"),
    ('[queues.q]\npatience_s = -5', "wfm.toml [queues.q]: patience_s must be seconds from 5 to 86400"),
    ('[channels.fax]\nservice_level = 0.9', "wfm.toml [channels.fax]: unknown channel"),
    ('[channels.email]\nopen_hours = "8-20"', 'open_hours must be daily local hours such as "08:00-20:00"'),
    ('[queues.q]\nchannel = "voice"\nresponse_clock = "open"', "response_clock applies to deferred work"),
    ('[targets]\nresponse_clock = "open"', "wfm.toml [targets]: unknown setting 'response_clock'"),
    ('[channels.back_office]\nanswer_within_s = 700000', "must be seconds more than 0 and at most 604800"),
])
def test_impossible_channel_settings_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as error:
        load_settings(_toml(tmp_path, text))
    assert message in str(error.value) and "\n" not in str(error.value)


def test_the_forecast_channel_column(write_csv) -> None:
    path = write_csv("queue,channel,interval_start,volume,aht\n"
                     "a,Chat,2026-01-05T08:00:00Z,10,300\na,chat,2026-01-05T08:15:00Z,10,300\n"
                     "b,,2026-01-05T08:00:00Z,10,300\n")
    assert load_forecast(path).queue_channels == ("chat", None)
    bad = write_csv("queue,channel,interval_start,volume,aht\na,fax,2026-01-05T08:00:00Z,10,300\n", name="bad.csv")
    with pytest.raises(InputError, match=r"bad.csv: row 2, column 'channel': expected one of voice, chat, email"):
        load_forecast(bad)
    mixed = write_csv("queue,channel,interval_start,volume,aht\na,chat,2026-01-05T08:00:00Z,10,300\n"
                      "a,email,2026-01-05T08:15:00Z,10,300\n", name="mixed.csv")
    with pytest.raises(InputError, match="rows 2 and 3, column 'channel': queue 'a' is 'chat' .* one queue has one"):
        load_forecast(mixed)


def test_a_section_and_the_forecast_must_agree_on_the_channel(write_csv, tmp_path: Path) -> None:
    path = write_csv("queue,channel,interval_start,volume,aht\na,chat,2026-01-05T08:00:00Z,10,300\n"
                     "a,chat,2026-01-05T08:15:00Z,10,300\n")
    settings = load_settings(_toml(tmp_path, '[queues.a]\nchannel = "email"'))
    with pytest.raises(ConfigError, match=r"\[queues.a\]: channel \"email\", but the forecast gives \"chat\""):
        size(load_forecast(path), settings)


def test_chat_agents_are_servers_over_concurrency_rounded_up() -> None:
    # 150 conversations of 540 s in 15 min: 90 Erlangs of conversations
    for k in (1, 2, 3, 5):
        targets = Targets(channel="chat", concurrency=k, answer_within_s=60)
        calc = calculate(150, 540, 900, targets)
        servers = int(erlang.required_agents(90.0, 540.0, service_level=0.8, answer_within_s=60, max_occupancy=0.85))
        assert calc.required_agents == -(-servers // k)
        below = calculate(150, 540, 900, targets, agents=calc.required_agents - 1).options[0]
        # one agent fewer misses a target: the service level or the occupancy cap (per conversation slot)
        assert not below.meets_targets and (below.service_level < 0.8 or below.occupancy > 0.85)
    chat = calculate(150, 540, 900, Targets(channel="chat", concurrency=3, answer_within_s=60))
    assert chat.options[[o.agents for o in chat.options].index(36)].occupancy == pytest.approx(90 / 108)


def test_calc_refuses_deferred_work() -> None:
    with pytest.raises(ConfigError, match="wfm calc sizes real-time work"):
        calculate(10, 300, 900, Targets(channel="email", answer_within_s=14400))


def test_a_program_week_sizes_every_channel() -> None:
    requirement = size(load_forecast(PROGRAM), load_settings(PROGRAM_TOML))
    f = requirement.forecast
    channels = dict(zip(f.queue_names, requirement.channels()))
    assert channels == {"care_chat": "chat", "care_email": "email", "care_social": "social", "care_voice": "voice"}
    for q, targets in enumerate(requirement.targets):
        rows = f.queue == q
        if targets.deferred:
            open_ = requirement.open_[rows]
            assert np.all(requirement.agents[rows][~open_] == 0)  # nobody works outside the open hours
            day = f.local_start[rows].astype("datetime64[D]")
            _, ids = np.unique(day, return_inverse=True)
            shares = np.bincount(ids, weights=f.volume[rows] * requirement.service_level[rows]) / np.bincount(
                ids, weights=f.volume[rows])
            assert shares.min() >= targets.service_level - 1e-12, f.queue_names[q]
            assert requirement.backlog[rows].max() > 0  # overnight arrivals wait for the morning
        else:
            assert np.all(requirement.backlog[rows] == 0)


def test_response_target_shorter_than_the_handle_time(write_csv) -> None:
    path = write_csv("queue,channel,interval_start,volume,aht\nm,email,2026-01-05T08:00:00Z,10,900\n"
                     "m,email,2026-01-05T08:15:00Z,10,900\n")
    settings = Settings(queue_targets={"m": Targets(channel="email", answer_within_s=600)})
    with pytest.raises(ConfigError, match="response target 600 s is shorter than the handle time 900 s"):
        size(load_forecast(path), settings)
    with pytest.raises(ConfigError) as flagged:  # the flag wins over [queues.m]: its message does not send the
        size(load_forecast(path), load_settings(None, {"answer_within_s": 20}))  # user there
    assert str(flagged.value).endswith("(--answer-within applies to every queue, this one too: leave it out and give "
                                       "the voice queues' answer time in wfm.toml, [targets] or [channels.voice] "
                                       "answer_within_s)")


def test_elapsed_clock_with_work_arriving_while_closed_is_impossible(write_csv, tmp_path: Path) -> None:
    rows = "".join(f"m,email,2026-01-05T{h:02d}:00:00Z,10,300\n" for h in range(24))
    path = write_csv("queue,channel,interval_start,volume,aht\n" + rows)
    settings = load_settings(_toml(tmp_path, '[queues.m]\nopen_hours = "08:00-18:00"\nanswer_within_s = 3600'))
    with pytest.raises(ConfigError, match=r"queue 'm': cannot answer 90% within"):
        size(load_forecast(path), settings)
    fine = load_settings(_toml(tmp_path, '[queues.m]\nopen_hours = "08:00-18:00"\nanswer_within_s = 3600\n'
                                         'response_clock = "open"'))
    assert size(load_forecast(path), fine).agents.sum() > 0


@pytest.mark.slow
def test_the_blended_program_plan_meets_every_target_with_fewer_paid_hours(tmp_path: Path) -> None:
    from wfm.plan import make_plan

    plan = make_plan(load_forecast(PROGRAM), load_settings(PROGRAM_TOML))
    assert plan.meets_targets, plan.misses
    teams = {q.queue: q for q in plan.queues}
    assert set(teams) == {"voice_email", "chat_social"}
    for team in teams.values():
        assert team.dedicated_paid_hours is not None and team.schedule.paid_hours < team.dedicated_paid_hours
        for outcome in team.deferred:
            targets = plan.requirement.targets[plan.requirement.forecast.queue_names.index(outcome.queue)]
            assert outcome.service_level_by_day.min() >= targets.service_level - 1e-12
    plan.write(tmp_path / "plan")
    summary = json.loads((tmp_path / "plan" / "summary.json").read_text())
    email = next(q for q in summary["queues"] if q["queue"] == "voice_email")
    assert email["team"]["queues"] == ["care_voice", "care_email"]
    assert email["deferred"][0]["queue"] == "care_email"
    html = (tmp_path / "plan" / "report.html").read_text()
    assert html.count("Deferred work done") == 2 and "Deferred work (above available)" in html


def test_a_section_without_a_channel_is_judged_by_the_forecasts(tmp_path: Path, write_csv) -> None:
    """concurrency in [queues.q] without a channel: the forecast says whether q is chat (taken) or voice (a
    one-line error when sized, naming the section)."""
    settings = load_settings(_toml(tmp_path, "[queues.q]\nconcurrency = 2"))
    rows = "".join(f"q,{{channel}},2026-01-05T08:{m:02d}:00Z,20,300\n" for m in (0, 15))
    chat = load_forecast(write_csv("queue,channel,interval_start,volume,aht\n" + rows.format(channel="chat")))
    voice = load_forecast(write_csv("queue,channel,interval_start,volume,aht\n" + rows.format(channel="voice"),
                                    name="voice.csv"))
    assert size(chat, settings).targets[0].concurrency == 2
    with pytest.raises(ConfigError, match=r'wfm.toml \[queues.q\]: concurrency needs channel = "chat"'):
        size(voice, settings)
