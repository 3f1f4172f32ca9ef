"""wfm.staffing (the per-interval requirement, shrinkage, summaries) and wfm.calculator (one interval)."""

from __future__ import annotations

import dataclasses
import math
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from wfm import erlang
from wfm.calculator import calculate
from wfm.config import Settings, Targets
from wfm.errors import WfmError
from wfm.forecast import load_forecast
from wfm.staffing import daily_summary, queue_summary, shortfall_priority, size, total_summary

HEADER = "queue,interval_start,volume,aht\n"


def _rows(queue: str, day: str, volumes: list[float], aht: float = 180, start_hour: int = 8, step_min: int = 30):
    lines = []
    for k, v in enumerate(volumes):
        minutes = start_hour * 60 + k * step_min
        lines.append(f"{queue},{day}T{minutes // 60:02d}:{minutes % 60:02d}:00+00:00,{v},{aht if v else ''}\n")
    return "".join(lines)


def test_each_interval_gets_the_smallest_headcount_meeting_every_target(write_csv) -> None:
    path = write_csv(HEADER + _rows("sales", "2026-12-01", [100, 40, 0, 250]))
    requirement = size(load_forecast(path), Settings(targets=Targets(service_level=0.8, answer_within_s=20)))
    traffic = np.array([100, 40, 0, 250]) * 180 / 1800
    assert requirement.traffic_erlangs.tolist() == pytest.approx(traffic.tolist())
    expected = erlang.required_agents(traffic, 180, service_level=0.8, answer_within_s=20, max_occupancy=0.85)
    assert requirement.agents.tolist() == expected.tolist()
    assert requirement.agents[0] == 14 and requirement.agents[2] == 0
    assert np.all(requirement.service_level[[0, 1, 3]] >= 0.8)
    assert requirement.service_level[2] == 1.0 and requirement.asa_s[2] == 0.0


def test_staff_rounds_up_once_and_keeps_exact_value_for_sums(write_csv) -> None:
    # 7 agents at 30 % shrinkage is 10 staff exactly (7 / 0.7 rounds to 10.000000000000002 in floats)
    path = write_csv(HEADER + _rows("q", "2026-12-01", [1, 100]))
    requirement = size(load_forecast(path), Settings(targets=Targets(answer_within_s=20, min_staff=7, shrinkage=0.3)))
    assert requirement.agents.tolist() == [7, 14]
    assert requirement.staff.tolist() == [10, 20]
    assert requirement.staff_exact.tolist() == pytest.approx([10.0, 20.0])
    requirement = size(load_forecast(path), Settings(targets=Targets(shrinkage=0.35)))
    assert requirement.staff.tolist() == [math.ceil(a / 0.65) for a in requirement.agents.tolist()]


def test_min_staff_covers_open_intervals_with_no_volume(write_csv) -> None:
    path = write_csv(HEADER + _rows("q", "2026-12-01", [0, 0, 30]))
    requirement = size(load_forecast(path), Settings(targets=Targets(min_staff=2)))
    assert requirement.agents.tolist()[:2] == [2, 2]
    assert requirement.agents[2] >= 2


def test_measures_are_those_of_the_agents_listed_when_the_minimum_binds(write_csv) -> None:
    """Service level, ASA and occupancy describe the headcount the requirement lists: with a minimum of 3
    agents on 0.4 Erlangs (1 would do), they are those of 3 agents, not of 1."""
    path = write_csv(HEADER + _rows("q", "2026-12-01", [2, 60]))
    requirement = size(load_forecast(path), Settings(targets=Targets(answer_within_s=20, min_staff=3)))
    agents, traffic = requirement.agents.astype(float), requirement.traffic_erlangs
    assert requirement.agents[0] == 3 and requirement.agents[1] > 3
    assert requirement.occupancy.tolist() == pytest.approx((traffic / agents).tolist())
    assert requirement.service_level.tolist() == pytest.approx(erlang.service_level(agents, traffic, 180, 20).tolist())
    assert requirement.asa_s.tolist() == pytest.approx(erlang.average_speed_of_answer(agents, traffic, 180).tolist())


def test_targets_per_queue(write_csv) -> None:
    path = write_csv(HEADER + _rows("billing", "2026-12-01", [100]) + _rows("sales", "2026-12-01", [100]))
    settings = Settings(targets=Targets(service_level=0.8, answer_within_s=20),
                        queue_targets={"sales": Targets(service_level=0.95, answer_within_s=20)})
    requirement = size(load_forecast(path, interval_minutes=30), settings)
    billing, sales = requirement.agents.tolist()
    assert billing == 14
    assert sales == erlang.required_agents(10.0, 180, service_level=0.95, answer_within_s=20, max_occupancy=0.85)
    assert sales > billing


def test_asa_target_binds_when_tighter(write_csv) -> None:
    path = write_csv(HEADER + _rows("q", "2026-12-01", [100]))
    forecast = load_forecast(path, interval_minutes=30)
    loose = size(forecast, Settings(targets=Targets(service_level=0.8, answer_within_s=20)))
    tight = size(forecast, Settings(targets=Targets(service_level=0.8, answer_within_s=20, asa_s=2.0)))
    assert tight.agents[0] > loose.agents[0]
    assert tight.asa_s[0] <= 2.0


def test_daily_and_queue_summaries(write_csv) -> None:
    text = HEADER + _rows("q", "2026-11-30", [100, 100]) + _rows("q", "2026-12-01", [200, 0])
    requirement = size(load_forecast(write_csv(text)), Settings(targets=Targets(answer_within_s=20, shrinkage=0.3)))
    days = daily_summary(requirement)
    assert [d.label for d in days] == ["2026-11-30", "2026-12-01"]
    monday = days[0]
    assert monday.intervals == 2 and monday.volume == 200
    assert monday.peak_agents == 14 and monday.agent_hours == pytest.approx(14.0)  # 2 x 14 agents x 0.5 h
    assert monday.staff_hours == pytest.approx(14.0 / 0.7)  # unrounded: 20 staff x 1 h
    assert monday.service_level == pytest.approx(requirement.service_level[0])
    tuesday = days[1]
    assert tuesday.service_level == pytest.approx(requirement.service_level[2])  # weighted by volume
    (queue,) = queue_summary(requirement)
    assert queue.days == 2 and queue.label == "2026-11-30..2026-12-01"
    assert queue.staff_hours == pytest.approx(sum(d.staff_hours for d in days))
    assert queue.fte == pytest.approx(queue.staff_hours / 40.0)  # two days lie in one week


def test_fte_counts_the_weeks_covered(write_csv) -> None:
    text = HEADER + _rows("q", "2026-11-30", [100, 90]) + _rows("q", "2026-12-10", [100, 80])
    requirement = size(load_forecast(write_csv(text)), Settings(targets=Targets(paid_hours_per_fte_week=37.5)))
    (queue,) = queue_summary(requirement)
    assert queue.fte == pytest.approx(queue.staff_hours / (37.5 * 2))


def test_daylight_saving_day_has_25_hours_of_staff(write_csv) -> None:
    # a flat 24/7 hourly queue in New York on the fall-back day: Sunday 2026-11-01 has 25 hours
    zone = ZoneInfo("America/New_York")
    first = datetime(2026, 11, 1, 4, tzinfo=UTC)  # local midnight, -04:00
    starts = [(first + timedelta(hours=h)).astimezone(zone).isoformat() for h in range(25)]
    forecast = load_forecast(write_csv("interval_start,volume,aht\n" + "".join(f"{s},10,360\n" for s in starts)))
    assert forecast.interval_s.tolist() == [3600.0] * 25
    requirement = size(forecast, Settings(targets=Targets(shrinkage=0.2)))
    assert requirement.traffic_erlangs.tolist() == pytest.approx([1.0] * 25)
    (day,) = daily_summary(requirement)
    assert day.label == "2026-11-01" and day.intervals == 25
    assert day.agent_hours == pytest.approx(25 * requirement.agents[0])
    assert day.staff_hours == pytest.approx(25 * requirement.agents[0] / 0.8)


def test_calculator_classic_example() -> None:
    calc = calculate(100, 180, 1800, Targets(service_level=0.8, answer_within_s=20, shrinkage=0.3))
    assert calc.traffic_erlangs == 10.0
    assert calc.required_agents == 14 and calc.required_staff == 20
    assert [o.agents for o in calc.options] == list(range(9, 18))
    assert [o.meets_targets for o in calc.options] == [n >= 14 for n in range(9, 18)]
    overloaded = calc.options[0]
    assert overloaded.service_level == 0.0 and math.isinf(overloaded.asa_s) and overloaded.occupancy == 1.0


def test_calculator_reverse_question() -> None:
    (option,) = calculate(100, 180, 1800, Targets(answer_within_s=20), agents=13).options
    assert option.agents == 13 and not option.meets_targets
    assert option.service_level == pytest.approx(erlang.service_level(13, 10.0, 180, 20))


def test_calculator_zero_volume_needs_nobody() -> None:
    calc = calculate(0, 300, 900, Targets())
    assert calc.required_agents == 0 and calc.required_staff == 0


def test_total_peaks_are_simultaneous_and_staff_rounds_once(write_csv) -> None:
    # two queues peaking at different times: the centre's peak is less than the sum of the peaks
    text = HEADER + _rows("a", "2026-12-01", [100, 10]) + _rows("b", "2026-12-01", [10, 100])
    requirement = size(load_forecast(write_csv(text)), Settings(targets=Targets(answer_within_s=20, shrinkage=0.3)))
    a, b = queue_summary(requirement)
    total = total_summary(requirement)
    together = requirement.agents[[0, 2]].sum(), requirement.agents[[1, 3]].sum()
    assert total.peak_agents == max(together) < a.peak_agents + b.peak_agents
    assert total.peak_staff == math.ceil(max(together) / 0.7 - 1e-9)
    assert total.staff_hours == pytest.approx(a.staff_hours + b.staff_hours)
    assert total.fte == pytest.approx(a.fte + b.fte)
    assert total.volume == 220 and total.intervals == 2


def test_shortfall_priority_is_the_drop_in_the_days_service_level_relative_to_average(write_csv) -> None:
    busy = [300, 300, 300, 300]
    quiet = [30, 30, 30, 30]
    path = write_csv(HEADER + _rows("sales", "2026-12-01", busy) + _rows("sales", "2026-12-05", quiet))
    requirement = size(load_forecast(path), Settings())
    rows = np.arange(8)
    raw = shortfall_priority(requirement, rows, floor=0.0, cap=np.inf)
    # by hand: volume x (SL(N) - SL(N - 1)) / the day's volume, over its agents-weighted mean
    n = requirement.agents.astype(float)
    traffic = requirement.traffic_erlangs
    fewer = erlang.service_level(n - 1, traffic, 180, 30)
    volume = np.array(busy + quiet, dtype=float)
    drop = volume * (requirement.service_level - fewer) / np.repeat([sum(busy), sum(quiet)], 4)
    assert raw == pytest.approx(drop / (drop @ n / n.sum()), rel=1e-12)
    # an agent short on the quiet day costs its service level more than on the busy day
    assert raw[4] > 2 * raw[0]
    clipped = shortfall_priority(requirement, rows)
    assert np.all(clipped >= 1.0) and np.all(clipped <= 4.0)
    assert clipped[0] == 1.0 and clipped[4] == pytest.approx(min(raw[4], 4.0))


def test_shortfall_priority_of_a_queue_with_no_requirement_is_flat(write_csv) -> None:
    path = write_csv(HEADER + _rows("sales", "2026-12-01", [0, 0, 0]))
    requirement = size(load_forecast(path), Settings())
    assert shortfall_priority(requirement, np.arange(3)).tolist() == [1.0, 1.0, 1.0]


# --- limits: huge and tiny values ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("volume", "aht", "message"),
    [
        (1e20, 300, "--volume 1e+20 with --aht 300 in 30 min is 1.666666667e+19 Erlangs; wfm sizes at most "
                    "1,000,000 Erlangs"),
        (1e25, 300, "--volume 1e+25 with --aht 300 in 30 min is 1.666666667e+24 Erlangs"),
        # the product overflows, the traffic does not: it read "more than 1e+308 Erlangs"
        (1e308, 300, "--volume 1e+308 with --aht 300 in 30 min is 1.666666667e+307 Erlangs"),
        (1e306, 1e300, "--volume 1e+306 with --aht 1e+300 in 30 min is more than 1e+308 Erlangs"),
        (100, 1e300, "--volume 100 with --aht 1e+300 in 30 min is 5.555555556e+298 Erlangs"),
        # just over the limit reads as over it (it read "1e+06 Erlangs; wfm sizes at most 1,000,000")
        (6_000_001, 300, "--volume 6,000,001 with --aht 300 in 30 min is 1,000,000.167 Erlangs; wfm sizes at most "
                         "1,000,000 Erlangs"),
    ],
)
def test_calculator_refuses_more_traffic_than_it_sizes(volume, aht, message) -> None:
    with pytest.raises(WfmError) as caught:
        calculate(volume, aht, 1800, Targets())
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_calculator_sizes_a_million_erlangs() -> None:
    calc = calculate(6_000_000, 300, 1800, Targets(service_level=0.8, answer_within_s=20, max_occupancy=1.0))
    assert calc.traffic_erlangs == erlang.MAX_TRAFFIC_ERLANGS
    assert calc.required_agents == 1_000_024  # the 50-digit reference's answer (test_erlang)
    assert [o.meets_targets for o in calc.options] == [n >= 1_000_024 for n in range(1_000_019, 1_000_028)]


def test_calculator_refuses_a_headcount_above_the_cap_and_evaluates_one_at_it() -> None:
    for agents in (erlang.MAX_AGENTS + 1, 2**31, 10**30):
        with pytest.raises(WfmError, match="--agents: expected a whole number from 0 to 10,000,000"):
            calculate(100, 180, 1800, Targets(), agents=agents)
    (option,) = calculate(100, 180, 1800, Targets(), agents=erlang.MAX_AGENTS).options
    assert option.service_level == 1.0 and option.asa_s == 0.0 and option.occupancy == pytest.approx(1e-6)


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        (Targets(max_occupancy=1e-300), "max_occupancy 1e-300 with 10 Erlangs needs 1e+301 agents"),
        (Targets(max_occupancy=9e-7), "wfm sizes at most 10,000,000"),
        (Targets(shrinkage=0.9999999999999), "shrinkage 0.9999999999999 makes 13 agents 1.3e+14 staff"),
    ],
)
def test_calculator_refuses_targets_needing_more_than_it_sizes(targets, message) -> None:
    with pytest.raises(WfmError, match=re.escape(message)):
        calculate(100, 180, 1800, targets)


@pytest.mark.parametrize(("volume", "aht"), [(1e-320, 300), (100, 1e-320), (1e-320, 1e-320), (1e-300, 1e300)])
def test_calculator_with_tiny_values_warns_nothing_and_needs_at_most_one_agent(volume, aht) -> None:
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # any trouble not handled on purpose
        calc = calculate(volume, aht, 1800, Targets(service_level=0.8, answer_within_s=20))
    assert calc.required_agents == (1 if calc.traffic_erlangs > 0 else 0)
    for o in calc.options:
        assert not any(math.isnan(x) for x in (o.service_level, o.asa_s, o.occupancy, o.wait_probability))
        assert o.meets_targets == (o.agents >= calc.required_agents)


def test_size_refuses_traffic_the_loader_would_have_refused(write_csv) -> None:
    # the forecast loader refuses such rows first (with file, row and column); size() guards on its own
    forecast = load_forecast(write_csv(HEADER + _rows("[red]sales", "2026-12-01", [100, 100])))
    for volume, amount in [(1e20, "1e+19"), (1e308, "1e+307"), (math.inf, "more than 1e+308")]:
        huge = dataclasses.replace(forecast, volume=np.array([100.0, volume]))
        with pytest.raises(WfmError) as caught:
            size(huge, Settings())
        assert str(caught.value) == (
            f"{forecast.path}: queue '[red]sales', interval 2026-12-01T08:30:00+00:00: {volume:g} contacts x 180 s "
            f"in 30 min is {amount} Erlangs; wfm sizes at most 1,000,000 Erlangs")


def test_size_refuses_targets_needing_more_than_it_sizes(write_csv) -> None:
    forecast = load_forecast(write_csv(HEADER + _rows("sales", "2026-12-01", [100, 100])))
    with pytest.raises(WfmError, match="queue 'sales', interval .*: max_occupancy 1e-300 \\(from \\[targets\\]\\) with 10 Erlangs"):
        size(forecast, Settings(targets=Targets(max_occupancy=1e-300)))
    with pytest.raises(WfmError, match="queue 'sales', interval .*: shrinkage 0.9999999999999 makes 14 agents"):
        size(forecast, Settings(targets=Targets(shrinkage=0.9999999999999, answer_within_s=20)))
    with pytest.raises(WfmError, match="Targets: min_staff must be a whole number of agents from 0 to 100000"):
        Targets(min_staff=10**12)  # refused where it is made, before any sizing


def test_size_with_tiny_values_warns_nothing(write_csv) -> None:
    text = HEADER + "".join(f"q,2026-12-01T08:{m:02d}:00+00:00,{v},{a}\n" for m, (v, a) in
                            zip((0, 30), [("1e-320", "300"), ("100", "1e-320")]))
    text += "q,2026-12-01T09:00:00+00:00,1e-320,1e-320\n"
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        requirement = size(load_forecast(write_csv(text)), Settings())
    assert requirement.agents.tolist() == [1, 1, 1]  # the last one's traffic underflows to 0: contacts still need one
    assert requirement.service_level.tolist() == [1.0, 1.0, 1.0]
    assert not np.any(np.isnan(requirement.asa_s)) and not np.any(np.isnan(requirement.occupancy))


def test_staff_is_not_rounded_up_for_float_dust_at_any_size() -> None:
    from wfm.staffing import _ceil_staff

    # 105,098 / (1 - 0.93) is 1,501,400 in decimal, a hair above in binary floats (the error grows with it)
    assert 105_098 / (1 - 0.93) > 1_501_400
    assert _ceil_staff(np.array([10.000000000000002, 105_098 / (1 - 0.93), 10.01, 1_501_400.01])).tolist() == \
        [10, 1_501_400, 11, 1_501_401]


def test_all_queue_peaks_count_rows_of_other_lengths_that_overlap(write_csv) -> None:
    """A 30-minute queue beside a 10-minute one: at 08:10-08:20 both are in force, so the total's peak adds the
    30-minute row to the 10-minute spike, not only to the row starting with it at 08:00."""
    rows = ["queue,interval_start,volume,aht"]
    rows += [f"a30,2026-12-01T{h:02d}:{m:02d}:00Z,60,300" for h in (8, 9) for m in (0, 30)]
    rows += [f"b10,2026-12-01T08:{m:02d}:00Z,{200 if m == 10 else 5},300" for m in range(0, 60, 10)]
    requirement = size(load_forecast(write_csv("\n".join(rows) + "\n")), Settings())
    a_peak = int(requirement.agents[requirement.forecast.queue == 0].max())
    b_spike = int(requirement.agents[requirement.forecast.queue == 1].max())
    assert total_summary(requirement).peak_agents == a_peak + b_spike
    assert requirement.peak_staff_together() >= total_summary(requirement).peak_staff


def test_an_impossible_occupancy_cap_for_chat_quotes_the_cap_as_set() -> None:
    import wfm

    chat = wfm.forecast_from_records([{"interval_start": f"2026-12-01T08:{m}", "volume": 100, "aht": 300,
                                       "channel": "chat"} for m in ("00", "30")], tz="UTC")
    settings = Settings(channel_values={"chat": {"max_occupancy": 1e-7, "concurrency": 3}})
    with pytest.raises(WfmError, match=r"max_occupancy 1e-07 \(from \[channels\.chat\]\) with 17 Erlangs needs 1\.7e\+08 conversation slots "
                                       r"\(3 per agent\)"):
        size(chat, settings)


@pytest.mark.parametrize(("volume", "aht_s"), [(1e-200, 1e-200), (10.0, 5e-324)])
def test_contacts_whose_traffic_underflows_still_need_an_agent(write_csv, volume: float, aht_s: float) -> None:
    # volume x AHT / interval rounds to 0.0 in doubles, yet contacts are offered: one agent, as for any trickle
    assert calculate(volume, aht_s, 3600.0, Targets()).required_agents == 1
    forecast = load_forecast(write_csv(f"interval_start,volume,aht\n2026-11-30T08:00:00Z,{volume!r},{aht_s!r}\n"
                                       "2026-11-30T08:15:00Z,0,300\n"))
    assert size(forecast, Settings()).agents.tolist() == [1, 0]


def test_a_queue_without_contacts_has_no_service_level_in_its_summaries(write_csv) -> None:
    # as in a plan (null, shown "-"): not 100 % of nobody
    forecast = load_forecast(write_csv("queue,interval_start,volume,aht\ndead,2026-11-30T08:00:00Z,0,\n"
                                       "dead,2026-11-30T08:15:00Z,0,\nlive,2026-11-30T08:00:00Z,10,300\n"
                                       "live,2026-11-30T08:15:00Z,10,300\n"))
    requirement = size(forecast, Settings())
    dead, live = queue_summary(requirement)
    assert math.isnan(dead.service_level) and math.isnan(daily_summary(requirement)[0].service_level)
    assert live.service_level == total_summary(requirement).service_level > 0.8
    assert requirement.service_level[:2].tolist() == [1.0, 1.0]  # an idle interval still delivers 100 %


def test_fte_is_per_week_of_the_calendar_span_closed_weekdays_at_its_end_included(write_csv) -> None:
    """Eight days of a queue open every day are 8/7 of a week, not two weeks (its FTE had dropped from 63 to 36
    with the eighth day); Mon-Sat with Sunday closed is one week."""
    every_day = HEADER + "".join(_rows("q", f"2026-11-{d:02d}", [100, 100]) for d in range(23, 31))
    (queue,) = queue_summary(size(load_forecast(write_csv(every_day)), Settings()))
    assert queue.days == 8 and queue.fte == pytest.approx(queue.staff_hours / (40.0 * 8 / 7))
    mon_sat = HEADER + "".join(_rows("q", f"2026-11-{d:02d}", [100, 100]) for d in range(23, 29))
    (queue,) = queue_summary(size(load_forecast(write_csv(mon_sat)), Settings()))
    assert queue.days == 6 and queue.fte == pytest.approx(queue.staff_hours / 40.0)


def test_one_chat_agent_short_loses_their_concurrent_conversations_not_all_of_them() -> None:
    """Chat at 3 conversations per agent: one agent short is 3 servers fewer, so the priority is highest where a
    missing agent costs the day's service level most (the quiet 11:00, 80 % -> 31 %) and 1 at the peak. Counted
    as one server fewer, every interval fell to 0 % and the priority followed the volume (highest at the peak)."""
    import wfm
    from wfm.staffing import shortfall_priority

    starts = np.datetime64("2026-12-01T08:00") + np.arange(8) * np.timedelta64(30, "m")
    volume = np.array([40, 80, 150, 200, 220, 150, 60, 20.0])
    forecast = wfm.forecast_from_arrays([f"{s}Z" for s in starts], volume, 600.0, queue="chat1")
    requirement = wfm.size(forecast, wfm.Settings(queue_targets={"chat1": wfm.Targets(channel="chat",
                                                                                       concurrency=3)}))
    priority = shortfall_priority(requirement, np.arange(8))
    assert int(np.argmax(priority)) == 6 and priority[6] > 2.0
    assert priority[3] == priority[4] == 1.0


def test_a_chat_cap_needing_more_conversation_slots_than_wfm_sizes_is_a_config_error() -> None:
    """900,000 Erlangs of chat at a 5 % occupancy cap need 18 million conversation slots (9 million agents of 2):
    refused as a setting with the queue and interval named. The check divided by the concurrency too, let it
    through, and the engine's ValueError became 'internal error', exit 70."""
    import wfm

    forecast = wfm.forecast_from_arrays(["2026-12-01T08:00:00Z"], 900_000.0, 1800.0, queue="c", interval_minutes=30)
    settings = wfm.Settings(queue_targets={"c": wfm.Targets(channel="chat", concurrency=2, max_occupancy=0.05)})
    with pytest.raises(wfm.ConfigError, match=re.escape("needs 1.8e+07 conversation slots (2 per agent); wfm sizes "
                                                        "at most 10,000,000")):
        size(forecast, settings)


@pytest.mark.parametrize(("agents", "shrinkage", "staff"), [
    (7, "0.3", 10), (105_098, "0.93", 1_501_400), (1, "0.9999", 10_000), (36, "0.9995", 72_000),
    (2_000_000, "0.000001", 2_000_003), (10_000_000, "0.0000001", 10_000_002), (1_000_000, "0.000001", 1_000_002),
])
def test_staff_is_the_ceiling_of_the_decimal_quotient(agents, shrinkage, staff) -> None:
    """ceil(agents / (1 - shrinkage)) as if in decimal: float dust above a whole number is not a person (7 / 0.7
    is 10.000000000000002), and a real fraction is one however small (2,000,000 / 0.999999 = 2,000,002.000002;
    a slack of 1e-12 x the staff took it away)."""
    from fractions import Fraction

    from wfm.staffing import _ceil_staff

    exact = Fraction(agents) / (1 - Fraction(shrinkage))
    assert -(-exact.numerator // exact.denominator) == staff
    s = float(shrinkage)
    assert int(_ceil_staff(np.array([agents / (1.0 - s)]), np.array([s]))[0]) == staff
    from wfm.calculator import _whole_staff

    assert _whole_staff(agents, s) == staff  # wfm calc's


# --- Deferred work: the week repeats ----------------------------------------------------------------------------


def _back_office_csv(write_csv, weeks: int, first: str = "2026-11-30"):
    """The back-office week of the deferred-work tests as a file: Mon-Fri 08:00-18:00 hourly, 12 items, 600 s."""
    monday = datetime.fromisoformat(first)
    lines = ["queue,channel,interval_start,volume,aht\n"]
    for d in [7 * w + k for w in range(weeks) for k in range(5)]:
        day = (monday + timedelta(days=d)).date().isoformat()
        lines += [f"bo,back_office,{day}T{h:02d}:00:00-05:00,12,600\n" for h in range(8, 18)]
    return load_forecast(write_csv("".join(lines)))


def _day_levels(requirement) -> list[int]:
    days = requirement.forecast.local_start.astype("datetime64[D]")
    return [int(requirement.agents[days == d].max()) for d in np.unique(days)]


def test_a_back_office_week_is_sized_for_the_work_that_arrives(write_csv) -> None:
    """The default back office, 90 % within 24 h on the elapsed clock: Friday's items are due on Saturday, closed,
    so by Friday's close (4 agents, as inside a longer forecast); the week does its 100 h of work. It took 0, 3, 2, 3,
    2 agents (85 h of work) and left 90 items due on Saturday, reported at 100 %."""
    requirement = size(_back_office_csv(write_csv, 1), Settings())
    assert _day_levels(requirement) == [0, 3, 2, 3, 4]
    worked = float(np.sum(requirement.occupancy * requirement.agents))  # agent-hours of work done
    assert worked == pytest.approx(100.0) and requirement.backlog[-1] == 0.0
    (week,) = queue_summary(requirement)
    assert week.service_level == 1.0 and week.agent_hours == 120.0


def test_a_back_office_week_on_the_open_clock_carries_its_backlog_into_its_start(write_csv) -> None:
    """24 h counted in open hours: the week's last items are due in the next one, and the work a week leaves is the
    one it starts with: every day staffed, 12 agent-days (at least 117.6 agent-hours for the 100 h), Monday's backlog
    from the week before. It took 0, 0, 2, 2, 3 (59.5 h of work, 243 items left)."""
    settings = Settings(channel_values={"back_office": {"response_clock": "open"}})
    requirement = size(_back_office_csv(write_csv, 1), settings)
    levels = _day_levels(requirement)
    assert sum(levels) == 12 and min(levels) >= 2
    assert float(np.sum(requirement.occupancy * requirement.agents)) == pytest.approx(100.0)
    carried = requirement.backlog[-1]
    assert carried > 0 and requirement.backlog[0] > 12.0 - requirement.agents[0] * 0.85 * 6  # it starts with them
    assert not np.any(np.isnan(requirement.asa_s))


def test_a_week_planned_from_a_longer_forecast_is_its_own_cycle(write_csv) -> None:
    """``wfm plan --week`` sizes the week chosen: the second week of two is sized as a week that repeats, Monday
    and Tuesday working the week before's backlog (they took 0: sized from an empty backlog, 124.7 items left at its
    end), the same as the week alone."""
    from wfm.plan import select_week

    settings = Settings(channel_values={"back_office": {"response_clock": "open"}})
    chosen, name, _ = select_week(_back_office_csv(write_csv, 2), "2026-W50")
    week = size(chosen, settings, warn_unused_sections=False)
    assert name == "2026-W50" and min(_day_levels(week)) >= 2
    alone = size(_back_office_csv(write_csv, 1, first="2026-12-07"), settings)
    assert week.agents.tolist() == alone.agents.tolist()


def test_a_deferred_cycle_is_its_local_days_rounded_up_to_weeks() -> None:
    """From the first interval's start to its start whole local weeks later: Mon 08:00-Fri 18:00 is a week (62 h
    closed after it); a week around the clock with a change of clock in it lasts 167 h; ten days are two weeks."""
    import wfm
    from wfm.deferred_sizing import deferred_cycle_s

    def cycle(starts, tz=None):
        f = wfm.forecast_from_arrays(starts, 1, 600, queue="q", tz=tz)
        return deferred_cycle_s(f, np.arange(f.n_rows))

    week = [f"2026-11-{30 + d:02d}T{h:02d}:00:00-05:00" if d == 0 else f"2026-12-{d:02d}T{h:02d}:00:00-05:00"
            for d in range(5) for h in range(8, 18)]
    assert cycle(week) == 7 * 86_400
    spring = np.arange("2026-03-09T00:00", "2026-03-16T00:00", np.timedelta64(1, "h"), dtype="datetime64[m]")
    around = [str(t) for t in spring]  # local New York hours, 2026-03-08 is the change: the week after it has none
    assert cycle(around, tz="America/New_York") == 7 * 86_400
    changing = np.arange("2026-03-02T00:00", "2026-03-09T00:00", np.timedelta64(1, "h"), dtype="datetime64[m]")
    local = [str(t) for t in changing if not str(t).startswith("2026-03-08T02")]  # 02:00 does not exist
    assert cycle(local, tz="America/New_York") == 167 * 3600
    assert cycle(["2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z", "2026-12-10T09:00:00Z"]) == 14 * 86_400
