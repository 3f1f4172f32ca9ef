"""wfm.cost: site rates, premiums, seat and overhead costs, the contract's penalty and bonus, to the cent."""

from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import NUMPY_FORMS, refused_as_plain

from wfm.config_file import load_settings
from wfm.cost import WEEKS_PER_MONTH, Contract, Premium, SiteCost, penalty, queue_cost, total_cost
from wfm.errors import ConfigError


def _shift(start: str, hours: float, count: int, paid: float | None = None) -> SimpleNamespace:
    begin = datetime.fromisoformat(start)
    from datetime import timedelta

    return SimpleNamespace(start_local=begin, end_local=begin + timedelta(hours=hours), count=count,
                           length_h=hours, paid_h=hours if paid is None else paid)


def test_paid_hours_times_the_rate_plus_seats_and_overhead_to_the_cent() -> None:
    site = SiteCost("austin", cost_per_paid_hour=27.35, cost_per_seat_month=400.0, overhead_per_fte_month=333.33)
    shifts = [_shift("2026-11-30T08:00", 8, 5, 7.5), _shift("2026-11-30T12:00", 4, 3)]
    cost = queue_cost(shifts, seats=7, fte=4.5, contacts=1234.0, handled_minutes=5000.0, service_level=0.8, site=site)
    paid = 5 * 7.5 + 3 * 4
    assert cost.labour == pytest.approx(27.35 * paid)
    assert round(cost.seats, 2) == round(7 * 400.0 * 84 / 365.25, 2) == 643.94
    assert round(cost.overhead, 2) == round(4.5 * 333.33 / WEEKS_PER_MONTH, 2)
    parts = (27.35 * paid, 7 * 400 * 84 / 365.25, 4.5 * 333.33 * 84 / 365.25)  # the total adds the printed parts
    assert cost.record()["total"] == round(sum(round(part, 2) for part in parts), 2) == 2342.74
    assert cost.per_contact == pytest.approx(cost.total / 1234.0) and cost.per_fte == pytest.approx(cost.total / 4.5)
    assert cost.revenue is None and cost.margin is None and "revenue" not in cost.record()


def test_premiums_price_the_paid_hours_inside_their_window() -> None:
    night = Premium("night", 1.25, *(datetime.strptime(t, "%H:%M").time() for t in ("22:00", "06:00")))
    sunday = Premium("sunday", 2.0, *(datetime.strptime(t, "%H:%M").time() for t in ("00:00", "00:00")), days=("Sun",))
    # Sat 2026-12-05 20:00 to Sun 04:00: 6 h of night (22-04), 4 h on Sunday (00-04)
    shift = _shift("2026-12-05T20:00", 8, 2, paid=7.5)
    assert night.hours_inside(shift.start_local, shift.end_local) == pytest.approx(6.0)
    assert sunday.hours_inside(shift.start_local, shift.end_local) == pytest.approx(4.0)
    site = SiteCost("s", cost_per_paid_hour=20.0, premiums=(night, sunday))
    cost = queue_cost([shift], seats=0, fte=0.0, contacts=0.0, handled_minutes=0.0, service_level=1.0, site=site)
    share = 7.5 / 8  # the unpaid half hour spread over the shift
    assert cost.premiums == pytest.approx(20.0 * 2 * share * (0.25 * 6 + 1.0 * 4))
    assert cost.per_contact is None and cost.per_fte is None


@pytest.mark.parametrize(("service_level", "expected"), [
    (0.80, 0.0),  # the target met exactly: no penalty
    (0.785, 0.075),  # 1.5 points below: 7.5 % of the fee
    (0.50, 1.0),  # 30 points: capped at the whole fee
    (0.85, -0.02),  # at the bonus threshold: +2 %
    (0.849, 0.0),
    (float("nan"), 0.0),  # no contacts, no service level: nothing owed, no bonus
])
def test_the_penalty_schedule_at_the_planned_service_level(service_level, expected) -> None:
    contract = Contract("per_handled_contact", 4.0, target_service_level=0.80, penalty_per_point=0.05,
                        bonus_above=0.85, bonus=0.02)
    assert penalty(1000.0, service_level, contract) == pytest.approx(1000.0 * expected)


def test_revenue_per_price_model_and_margin() -> None:
    site = SiteCost("s", cost_per_paid_hour=10.0)
    shifts = [_shift("2026-11-30T08:00", 8, 10)]
    for model, units in [("per_paid_hour", 80.0), ("per_handled_contact", 500.0), ("per_minute", 2000.0),
                         ("per_seat_month", 12 / WEEKS_PER_MONTH)]:
        contract = Contract(model, 3.0, penalty_per_point=0.05)
        cost = queue_cost(shifts, seats=12, fte=2.0, contacts=500.0, handled_minutes=2000.0, service_level=0.79,
                          site=site, contract=contract)
        assert cost.revenue == pytest.approx(3.0 * units)
        assert cost.penalty == pytest.approx(cost.revenue * 0.05)
        assert cost.margin == pytest.approx(cost.revenue * 0.95 - 800.0)
    both = total_cost([cost, cost], seats=5, site=SiteCost("s", cost_per_seat_month=100.0))
    assert both.labour == 1600.0 and both.seats == pytest.approx(5 * 100 * 84 / 365.25)


@pytest.mark.parametrize(("toml", "message"), [
    ("[sites.a]\ncost_per_paid_hour = -1\n", "[sites.a] cost_per_paid_hour must be a number from 0"),
    ("[sites.a]\novertime = 1\n", "[sites.a]: unknown setting 'overtime'"),
    ("[sites.a]\noverhead_per_fte_month = 5\n", "give cost_per_paid_hour or cost_per_seat_month"),
    ("[sites.a]\ncost_per_seat_month = 500\npremiums = [{multiplier = 1.5, hours = \"22:00-06:00\"}]\n",
     "premiums multiply cost_per_paid_hour"),
    ("[sites.a]\ncost_per_paid_hour = 5\npremiums = [{multiplier = 1.5, hours = \"late\"}]\n",
     "premiums[0].hours must be a local time window"),
    ("[contract]\nprice_model = \"per_call\"\nrate = 1\n", "price_model must be one of"),
    ("[contract]\nprice_model = \"per_paid_hour\"\n", "[contract] is missing 'rate'"),
    ("[contract]\nprice_model = \"per_paid_hour\"\nrate = 1\npenalty_per_point = 2\n", "penalty_per_point must be"),
    # a bonus with no level to be paid at was never paid, silently
    ("[contract]\nprice_model = \"per_minute\"\nrate = 1\nbonus = 0.5\n", "[contract] bonus needs bonus_above"),
])
def test_bad_rates_and_contracts_are_one_line_errors(tmp_path, toml, message) -> None:
    path = tmp_path / "wfm.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert message in str(err.value) and "\n" not in str(err.value) and str(path) in str(err.value)



@pytest.mark.parametrize(("value", "shown"), [('"per_call"', '"per_call"'), ("3", "3")])
def test_a_bad_price_model_names_the_file_and_setting_once(tmp_path, value, shown) -> None:
    # was "wfm.toml [contract]: [contract] price_model must be ... got "per_call"" (and "3" for 3)
    from typer.testing import CliRunner

    from wfm.cli import app

    path = tmp_path / "wfm.toml"
    path.write_text(f"[sites.main]\ncost_per_paid_hour = 25\n[contract]\nprice_model = {value}\nrate = 1\n")
    expected = (f"{path} [contract] price_model must be one of per_seat_month, per_paid_hour, per_handled_contact, "
                f"per_minute, got {shown}")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value) == expected
    run = CliRunner().invoke(app, ["whatif", str(Path(__file__).parents[1] / "sample_forecasts" /
                                              "retail_voice_week_15min.csv"), "--config", str(path)])
    assert run.exit_code == 2 and run.stderr == f"wfm: error: {expected}\n"


@pytest.mark.slow
def test_a_plan_is_priced_per_queue_site_and_in_total(tmp_path) -> None:
    from conftest import SAMPLES

    import wfm

    config = tmp_path / "wfm.toml"
    config.write_text('[queues.sales]\nsite = "manila"\n[sites.main]\ncost_per_paid_hour = 28.0\n'
                      '[sites.manila]\ncost_per_seat_month = 650.0\n'
                      '[contract]\nprice_model = "per_handled_contact"\nrate = 4.1\npenalty_per_point = 0.05\n')
    settings = wfm.load_settings(config)
    plan = wfm.make_plan(wfm.load_forecast(SAMPLES / "multi_queue_30min.csv"), settings, jobs=1)
    cost = plan.cost
    for q, c in zip(plan.queues, cost.queues, strict=True):
        if q.site == "main":
            assert round(c.labour, 2) == round(q.schedule.paid_hours * 28.0, 2) and c.seats == 0
        else:
            assert c.labour == 0 and round(c.seats, 2) == round(q.seats.seats * 650 * 84 / 365.25, 2)
        assert c.revenue == pytest.approx(4.1 * c.contacts)
    by_site = {s.site: s for s in plan.sites}
    assert round(cost.sites["manila"].seats, 2) == round(by_site["manila"].seats * 650 * 84 / 365.25, 2)
    assert cost.total.total == pytest.approx(sum(s.total for s in cost.sites.values()))
    document = __import__("wfm.report.plan_documents", fromlist=["x"]).plan_document(plan, {})
    assert document["cost"]["total"] == round(cost.total.total, 2)
    assert set(document["cost"]) >= {"total", "per_contact", "per_fte", "revenue", "penalty", "margin"}
    assert [q["cost"]["total"] for q in document["queues"]] == [c.record()["total"] for c in cost.queues]
    plan.write(tmp_path / "plan", xlsx=True)
    page = (tmp_path / "plan" / "report.html").read_text()
    assert '<section id="cost">' in page and "Margin" in page
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "plan" / "plan.xlsx")["cost"]
    header = [c.value for c in sheet[1]]
    totals = {row[1]: row[header.index("total_cost")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert totals["all queues"] == document["cost"]["total"]


@pytest.mark.slow
def test_premiums_enter_the_schedule_objective_and_steer_it_away_from_premium_hours() -> None:
    import numpy as np

    from wfm.scheduling.rules import ShiftRules
    from wfm.scheduling.solve import schedule

    # 06:00-24:00 every day, 6 agents needed throughout: shifts can start early or late
    per_day = 36
    day = np.datetime64("2026-11-30T06:00", "s") + np.arange(per_day) * np.timedelta64(1800, "s")
    starts = (day[None, :] + np.arange(7)[:, None] * np.timedelta64(86400, "s")).ravel()
    offsets = np.zeros(starts.size, dtype=np.int64)
    need = np.full(starts.size, 6.0)
    late = Premium("late", 2.0, *(datetime.strptime(t, "%H:%M").time() for t in ("20:00", "00:00")))
    rules = ShiftRules(full_time_hours=(8, 9), part_time_hours=(4,), breaks=(), start_step_minutes=30,
                       max_part_time_share=1.0)
    plain = schedule(starts, offsets, 1800, need, rules)
    priced = schedule(starts, offsets, 1800, need, rules, premiums=(late,))

    def premium_hours(plan) -> float:
        return sum(s.count * late.hours_inside(s.start_local, s.end_local) for s in plan.shifts)

    assert premium_hours(priced) <= premium_hours(plain)
    # the objective is paid hours + the premium's extra hours + the price of agents short
    extra = premium_hours(priced) * (late.multiplier - 1.0)
    short_cost = priced.objective - priced.paid_hours - extra
    assert short_cost >= -1e-6
    assert priced.objective >= plain.objective - 1e-6 or premium_hours(plain) == 0


def test_rates_and_contracts_made_in_code_are_checked_and_kept_as_floats() -> None:
    import datetime as dt

    import numpy as np

    from wfm.cost import Contract, Premium, SiteCost
    from wfm.errors import ConfigError

    site = SiteCost("main", cost_per_paid_hour=np.float32(20), overhead_per_fte_month=np.int64(300))
    assert type(site.cost_per_paid_hour) is float and type(site.overhead_per_fte_month) is float
    contract = Contract(price_model="per_paid_hour", rate=np.int64(31), bonus_above=np.float64(0.9))
    assert type(contract.rate) is float and contract.bonus_above == 0.9
    for make, message in (
            (lambda: Contract(price_model="per_paid_hour", rate=-5), "[contract] rate must be a number from 0"),
            (lambda: Contract(price_model="per_paid_hour", rate=5, max_penalty=2), "[contract] max_penalty"),
            (lambda: SiteCost("main", cost_per_paid_hour=True), "[sites.main] cost_per_paid_hour must be a number"),
            (lambda: Premium("night", 20, dt.time(22), dt.time(6)), "premium 'night' multiplier"),
            (lambda: Premium("night", 1.5, dt.time(22), dt.time(6), ("Mon", "Xyz")), "premium 'night' days")):
        with pytest.raises(ConfigError, match=re.escape(message)):
            make()


def test_a_per_seat_contract_bills_the_seats_the_site_holds_not_the_sum_of_queue_peaks() -> None:
    site = SiteCost("main", cost_per_seat_month=650.0)
    contract = Contract(price_model="per_seat_month", rate=700.0, target_service_level=0.8, penalty_per_point=0.01)
    a = queue_cost([], 22, 10.0, 1000.0, 3000.0, 0.78, site, contract)  # 2 points short: 2 % of its fee
    b = queue_cost([], 262, 100.0, 9000.0, 27000.0, 0.90, site, contract)
    assert a.revenue == pytest.approx(700 * 22 / WEEKS_PER_MONTH) and a.penalty == pytest.approx(0.02 * a.revenue)
    shared = total_cost([a, b], seats=250, site=site, contract=contract)  # the peak of the sum: 250 < 22 + 262
    assert shared.seats == pytest.approx(650 * 250 / WEEKS_PER_MONTH)
    assert shared.revenue == pytest.approx(700 * 250 / WEEKS_PER_MONTH)
    assert shared.penalty == pytest.approx(0.02 * 700 * 22 / WEEKS_PER_MONTH * 250 / 284)
    per_hour = Contract(price_model="per_paid_hour", rate=30.0)  # other models: the queues' fees add up
    c, d = (queue_cost([], n, 1.0, 1.0, 1.0, 0.9, site, per_hour) for n in (22, 262))
    assert total_cost([c, d], seats=250, site=site, contract=per_hour).revenue == (c.revenue or 0) + (d.revenue or 0)


def test_the_cost_table_shows_summary_json_figures_to_the_cent() -> None:
    from wfm.cost import Cost
    from wfm.report.cost_tables import _cells

    c = Cost(labour=1.004, premiums=0.0, seats=1.004, overhead=1.004, contacts=1.0, fte=1.0, revenue=10.006,
             penalty=0.004)
    record = c.record()
    assert (record["total"], record["margin"]) == (3.0, 7.01)  # from the rounded parts, as summary.json
    cells = _cells(c, contract=True)
    assert cells[3] == "3.00" and cells[-1] == "7.01" and cells[-3] == "10.01"


def test_a_sized_requirements_cost_is_rounded_to_the_cent_as_every_money_figure(tmp_path) -> None:
    """`wfm size`'s cost (JSON and table) is to the cent half away from zero as the decimal prints, like what-if,
    plan and capacity: 1.005 x 1 paid hour is 1.01, and 2.675 is 2.68 (round() on the binary float gave 1.0
    and 2.67)."""
    import wfm
    from wfm.cost import requirement_costs

    forecast = tmp_path / "f.csv"
    forecast.write_text("interval_start,volume,aht\n2026-12-01T08:00:00Z,1,60\n2026-12-01T08:30:00Z,1,60\n")
    for rate, expected in ((1.005, 1.01), (2.675, 2.68)):
        config = tmp_path / "wfm.toml"
        config.write_text(f"[targets]\nshrinkage = 0\n[sites.main]\ncost_per_paid_hour = {rate}\n")
        settings = wfm.load_settings(config)
        costs = requirement_costs(wfm.size(wfm.load_forecast(forecast), settings), settings)
        assert costs == ({"default": expected}, expected)


def test_a_sized_requirement_is_priced_with_the_sites_premiums_interval_by_interval(tmp_path) -> None:
    """wfm size / whatif without a plan: staff in an interval inside a premium window are paid its multiplier
    (they were priced at the flat rate); a window wrapping midnight and its days are honoured."""
    import numpy as np

    import wfm
    from wfm.cost import requirement_costs

    rows = ["queue,interval_start,volume,aht"] + [
        f"q,2026-12-0{d}T{h:02d}:00:00-06:00,30,300" for d in (4, 5) for h in (7, 12, 22)]  # Fri and Sat
    forecast = tmp_path / "f.csv"
    forecast.write_text("\n".join(rows) + "\n")
    config = tmp_path / "wfm.toml"
    config.write_text('[sites.main]\ncost_per_paid_hour = 20.0\npremiums = [{name = "nights", multiplier = 1.5, '
                      'hours = "21:00-08:00"}, {name = "saturday", multiplier = 2.0, hours = "00:00-00:00", '
                      'days = ["Sat"]}]\n')
    settings = wfm.load_settings(config)
    requirement = wfm.size(wfm.load_forecast(forecast, interval_minutes=60), settings)
    costs = requirement_costs(requirement, settings)
    assert costs is not None
    staff = requirement.staff_exact  # rows: Fri 07, 12, 22, Sat 07, 12, 22 (one hour each)
    night = np.array([1, 0, 1, 1, 0, 1]) * 0.5
    saturday = np.array([0, 0, 0, 1, 1, 1]) * 1.0
    assert costs[0]["q"] == pytest.approx(20.0 * float((staff * (1 + night + saturday)).sum()))


PRICED_PROGRAM = ('[targets]\nmodel = "erlang-a"\npatience_s = 120\n'
                  '[channels.email]\nservice_level = 0.9\nanswer_within_s = 14400\nresponse_clock = "open"\n'
                  'open_hours = "08:00-20:00"\n'
                  '[sites.main]\ncost_per_paid_hour = 28.0\n'
                  '[contract]\nprice_model = "per_handled_contact"\nrate = 4.1\n')


@pytest.mark.slow
def test_revenue_counts_each_handled_contact_once_and_the_plans_own_abandonment(tmp_path) -> None:
    """An e-mail queue of its own is billed for each item once (its open hours were counted twice: 1.8x), and an
    Erlang A voice queue for the calls its scheduled agents answer, not those a bare requirement would."""
    import numpy as np
    from team_forecast import team_forecast

    import wfm

    config = tmp_path / "wfm.toml"
    config.write_text(PRICED_PROGRAM)
    settings = wfm.load_settings(config)
    forecast = wfm.load_forecast(team_forecast(tmp_path / "program.csv"))
    plan = wfm.make_plan(forecast, settings, jobs=1)
    by_queue = dict(zip((q.queue for q in plan.queues), plan.cost.queues, strict=True))
    email = forecast.volume[forecast.queue == forecast.queue_names.index("e")].sum()
    assert by_queue["e"].contacts == pytest.approx(email) and by_queue["e"].revenue == pytest.approx(4.1 * email)
    voice = next(q for q in plan.queues if q.queue == "v")
    answered = float((voice.evaluation.volume * (1 - voice.evaluation.abandon_rate)).sum())
    sized = float(plan.requirement.handled[voice.rows].sum())
    assert by_queue["v"].contacts == pytest.approx(answered) and answered > sized  # more agents, fewer hang up
    assert np.all(voice.evaluation.abandon_rate >= 0)
    plan.write(tmp_path / "plan")
    from wfm.whatif import whatif

    (base,) = whatif(forecast, settings, plan_folder=tmp_path / "plan")
    assert base.margin == pytest.approx(plan.cost.total.margin, abs=0.01)  # what-if prices the plan as wfm plan does


def test_money_rounds_half_up_as_the_decimal_it_prints_as() -> None:
    """19.99 x 7,772.5 paid hours = 155,372.275 and a 1 % bonus on 240,947.50 = 2,409.475: to the cent .28 and
    .48, as a spreadsheet says; round() on the binary floats (a hair below the half) gave .27 and .47."""
    from wfm.cost import Cost, cents

    assert cents(19.99 * 7772.5) == 155372.28 and cents(0.01 * 240947.50) == 2409.48
    assert cents(-0.01 * 240947.50) == -2409.48 and cents(0.1 + 0.2) == 0.3 and cents(-0.001) == 0.0
    record = Cost(labour=19.99 * 7772.5, premiums=0.0, seats=0.0, overhead=0.0, contacts=1.0, fte=1.0,
                  revenue=240947.50, penalty=-0.01 * 240947.50).record()
    assert record["labour"] == 155372.28 and record["penalty"] == -2409.48
    assert record["margin"] == round(240947.50 + 2409.48 - 155372.28, 2)


def test_cents_of_sums_beyond_a_floats_cents_are_kept() -> None:
    from wfm.cost import cents

    assert cents(1e26) == 1e26 and cents(-1e16) == -1e16 and cents(float("inf")) == float("inf")


# A numpy scalar or a 0-d array (np.asarray of one value) is its value in every rate (wfm.targets.one_value): a 0-d
# array was refused before, as if out of range ("[contract] rate must be a number from 0 to 1e+07, got array(30.)").
RATES = [  # (rate, how to make it and read it back, a good value, values refused)
    ("cost_per_paid_hour", lambda v: SiteCost("s", cost_per_paid_hour=v).cost_per_paid_hour, 20.0, (-1.0, True, "20")),
    ("cost_per_seat_month", lambda v: SiteCost("s", cost_per_seat_month=v).cost_per_seat_month, 900.0,
     (float("inf"), True, "900")),
    ("overhead_per_fte_month", lambda v: SiteCost("s", 20.0, overhead_per_fte_month=v).overhead_per_fte_month, 300.0,
     (float("nan"), True, "300")),
    ("multiplier", lambda v: Premium("night", v, time(22), time(6)).multiplier, 1.5, (0.5, True, "1.5")),
    ("rate", lambda v: Contract("per_paid_hour", v).rate, 31.0, (-3.0, True, "31")),
    ("target_service_level", lambda v: Contract("per_paid_hour", 31, target_service_level=v).target_service_level,
     0.8, (80.0, True, "0.8")),
    ("penalty_per_point", lambda v: Contract("per_paid_hour", 31, penalty_per_point=v).penalty_per_point, 0.01,
     (2.0, True, "0.01")),
    ("bonus_above", lambda v: Contract("per_paid_hour", 31, bonus_above=v).bonus_above, 0.9, (1.5, True, "0.9")),
]


@pytest.mark.parametrize("numpy", NUMPY_FORMS.values(), ids=NUMPY_FORMS.keys())
@pytest.mark.parametrize(("rate", "read", "good", "bad"), RATES, ids=[c[0] for c in RATES])
def test_a_numpy_value_is_its_value_in_every_rate(rate: str, read: Any, good: float, bad: tuple[Any, ...],
                                                  numpy: Any) -> None:
    kept = read(numpy(good))
    assert type(kept) is float and kept == good
    for wrong in bad:  # a wrong one is refused as its plain value is: the same one line, naming the rate
        assert rate in refused_as_plain(read, wrong, ConfigError)
