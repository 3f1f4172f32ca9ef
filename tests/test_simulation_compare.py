"""wfm.simulation.compare: the confidence band's floor (a score interval at the replications' dispersion) by
hand, the dispersion estimate on data of known dispersion, and the flags against a known truth: a constant
load where Erlang C (or Erlang A) is exact, so a flag there is a false alarm."""

from __future__ import annotations

import numpy as np
import pytest

from wfm import erlang
from wfm.config import Settings, load_settings
from wfm.forecast import load_forecast
from wfm.simulation.compare import Z, band, dispersion, score_interval
from wfm.simulation.run import simulate_forecast


def test_replications_that_all_agree_give_wilsons_interval_not_a_point() -> None:
    # 20 replications of 240 contacts, every one answered in time: [n / (n + z^2), 1] with n = 4,800
    values, contacts = np.ones((20, 1)), np.full((20, 1), 240.0)
    plain = band(values, 0.0, 1.0)
    assert plain.ci_low[0] == plain.ci_high[0] == 1.0  # Student's t alone: the point [1, 1]
    b = band(values, 0.0, 1.0, weights=contacts, variance="binomial", dispersion=1.0)
    assert b.mean[0] == 1.0 and b.ci_high[0] == 1.0
    assert b.ci_low[0] == pytest.approx(4800 / (4800 + Z**2), rel=1e-12)  # 0.99920
    # with the dispersion the queue's replications show, the contacts count as 4,800 / phi
    b = band(values, 0.0, 1.0, weights=contacts, variance="binomial", dispersion=6.0)
    assert b.ci_low[0] == pytest.approx(800 / (800 + Z**2), rel=1e-12)
    # nobody abandoned: [0, z^2 / (n + z^2)]
    b = band(np.zeros((20, 1)), 0.0, 1.0, weights=contacts, variance="binomial", dispersion=1.0)
    assert b.ci_low[0] == 0.0 and b.ci_high[0] == pytest.approx(Z**2 / (4800 + Z**2), rel=1e-12)


def test_the_estimate_of_weighted_replications_is_the_pooled_ratio_not_the_mean_of_ratios() -> None:
    """A replication with 3 contacts all answered in time and one with 1 contact answered late: 3 of 4 contacts,
    0.75, where the mean of the replications' own shares gives 0.5 (the slow 400-replication test shows the bias
    that made against Erlang C)."""
    assert band(np.array([[1.0], [0.0]]), 0.0, 1.0, weights=np.array([[3.0], [1.0]])).mean[0] == 0.75


def test_nobody_waited_gives_the_poisson_score_bound() -> None:
    # ASA 0 s in every replication: [0, z^2 phi_w / n_h]
    b = band(np.zeros((20, 1)), 0.0, weights=np.full((20, 1), 240.0), variance="poisson", dispersion=220.0)
    assert b.ci_low[0] == 0.0 and b.ci_high[0] == pytest.approx(Z**2 * 220.0 / 4800, rel=1e-12)  # 0.18 s
    # the score interval: |a_hat - a| = z sqrt(phi a / n) at both ends
    low, high = score_interval(np.array([2.0]), np.array([50.0]), "poisson")
    for a in (low[0], high[0]):
        assert abs(2.0 - a) == pytest.approx(Z * np.sqrt(a / 50.0), rel=1e-12)
    low, high = score_interval(np.array([0.3]), np.array([40.0]), "binomial")
    for p in (low[0], high[0]):
        assert abs(0.3 - p) == pytest.approx(Z * np.sqrt(p * (1 - p) / 40.0), rel=1e-12)


def test_student_t_is_kept_where_the_replications_vary_more_than_the_contacts() -> None:
    values = np.array([[0.8, 0.94], [0.9, 0.945], [0.7, 0.935]])
    contacts = np.full(values.shape, 100.0)
    plain = band(values, 0.0, 1.0)
    floored = band(values, 0.0, 1.0, weights=contacts, variance="binomial", dispersion=1.0)
    # column 0 varies far more than 300 contacts do: Student's interval, unchanged
    # (with equal contacts the pooled ratio is the mean and its delta-method interval Student's)
    assert (floored.ci_low[0], floored.ci_high[0]) == pytest.approx((plain.ci_low[0], plain.ci_high[0]), rel=1e-12)
    # column 1 varies less than binomial: widened to Wilson's interval on 300 contacts, around the same mean
    low, high = score_interval(np.array([0.94]), np.array([300.0]), "binomial")
    assert floored.ci_low[1] == pytest.approx(low[0]) and low[0] < plain.ci_low[1]
    assert floored.ci_high[1] == pytest.approx(high[0]) and high[0] > plain.ci_high[1]
    # one value: still no interval
    one = band(np.array([[0.5], [np.nan]]), 0.0, 1.0, weights=np.array([[10.0], [0.0]]), variance="binomial")
    assert one.mean[0] == 0.5 and np.isnan(one.ci_low[0]) and np.isnan(one.ci_high[0])


def test_dispersion_recovers_known_overdispersion() -> None:
    rng = np.random.default_rng(5)
    # beta-binomial: n = 200 contacts, p = 0.8, intra-replication correlation rho: phi = 1 + (n - 1) rho = 5
    n, rho = 200, 4 / 199
    shape = 0.8 * (1 / rho - 1), 0.2 * (1 / rho - 1)
    p = rng.beta(*shape, size=(20, 400))
    shares = rng.binomial(n, p) / n
    assert dispersion(shares, np.full(shares.shape, float(n)), "binomial") == pytest.approx(5.0, rel=0.05)
    # independent contacts: phi = 1
    plain = rng.binomial(n, 0.8, size=(20, 400)) / n
    assert dispersion(plain, np.full(plain.shape, float(n)), "binomial") == pytest.approx(1.0, rel=0.05)
    # waits: a Poisson number of the 200 answered wait, each exponentially with mean m = 30 s;
    # Var(total) / E(total) = E[W^2] / E[W] = 2 m = 60 s
    waiting = rng.poisson(8.0, size=(20, 400))
    total = np.array([[rng.exponential(30.0, k).sum() for k in row] for row in waiting])
    asa = total / n
    assert dispersion(asa, np.full(asa.shape, float(n)), "poisson") == pytest.approx(60.0, rel=0.08)
    assert dispersion(np.ones((20, 3)), np.full((20, 3), 10.0), "binomial") is None  # nothing varies


def _constant(write_csv, contacts_per_interval: float, intervals: int, minutes: int) -> str:
    start = np.datetime64("2026-11-30T00:00")
    rows = "".join(f"q,{start + np.timedelta64(minutes * i, 'm')}:00Z,{contacts_per_interval:g},300\n"
                   for i in range(intervals))
    return str(write_csv("queue,interval_start,volume,aht\n" + rows, name="constant.csv"))


@pytest.mark.slow  # simulates a day many times
def test_constant_erlang_c_load_flags_about_the_nominal_share(write_csv) -> None:
    """34 agents on 20 Erlangs for 48 hours (the tester's const.csv): Erlang C is exact, so every flag is a
    false alarm. Student's t flagged 26 of the 48 intervals (14 of them the point [100 %, 100 %]); the floor
    leaves about the nominal 5 % or fewer."""
    forecast = load_forecast(_constant(write_csv, 240, 48, 60))
    check = simulate_forecast(forecast, Settings(), agents=34).checks[0]
    assert check.flagged_intervals().sum() <= 3
    sl = check.intervals["service_level"]
    assert (sl.ci_high - sl.ci_low > 0).all() and (sl.ci_low < 0.9993).all()  # never a point


@pytest.mark.slow  # simulates two staffings to a tight interval: run by CI, skipped by -m 'not slow'
def test_the_floor_keeps_the_power_to_tell_one_agent(write_csv) -> None:
    """22 agents on 20 Erlangs in 15-minute intervals: the simulation's bands hold Erlang C for 22 agents in
    about 95 % of the intervals and exclude its service level for 21 in most of them."""
    forecast = load_forecast(_constant(write_csv, 60, 96, 15))
    check = simulate_forecast(forecast, Settings(), agents=22).checks[0]
    inside = ~check.flagged_intervals()[1:]  # the first interval starts empty
    assert inside.mean() >= 0.9
    sl = check.intervals["service_level"]
    fewer = float(erlang.service_level(21, 20.0, 300.0, 20.0))
    assert ((fewer < sl.ci_low) | (fewer > sl.ci_high))[1:].mean() >= 0.6


def test_constant_erlang_a_load_flags_about_the_nominal_share(write_csv) -> None:
    forecast = load_forecast(_constant(write_csv, 30, 96, 15))  # 10 Erlangs, 12 agents, patience 120 s
    settings = load_settings(None, {"model": "erlang-a", "patience_s": 120.0})
    check = simulate_forecast(forecast, settings, agents=12, seed=3).checks[0]
    for name in ("service_level", "asa_s", "abandon_rate"):
        assert check.flagged(name)[1:].mean() <= 0.1, name


@pytest.mark.slow  # 400 replications: run by CI, skipped by -m 'not slow'
def test_the_estimate_is_the_pooled_share_so_many_replications_converge_on_erlang(write_csv) -> None:
    """24 agents on 20 Erlangs in 5-minute intervals (20 contacts each), 400 replications: Erlang C is exact past
    the first hour, and the estimate is the share of all simulated contacts (answered in time / offered), so it
    lands on Erlang's 77.2 % and ASA 22.4 s. The mean of the replications' own ratios weighed a light
    replication's interval as much as a busy one's and sat at 79.0 % and 20.4 s, outside its narrowing band: the
    flags grew with the replications (22 of 36 intervals at 2,000)."""
    forecast = load_forecast(_constant(write_csv, 20, 96, 5))
    settings = load_settings(None, {"answer_within_s": 20.0})
    check = simulate_forecast(forecast, settings, agents=24, replications=400).checks[0]
    steady = slice(12, -6)  # past the first hour (the day starts empty), before the last half hour
    exact_sl = float(erlang.service_level(24, 20.0, 300.0, 20.0))
    exact_asa = float(erlang.average_speed_of_answer(24, 20.0, 300.0))
    assert check.intervals["service_level"].mean[steady].mean() == pytest.approx(exact_sl, abs=0.004)
    assert check.intervals["asa_s"].mean[steady].mean() == pytest.approx(exact_asa, rel=0.03)
    assert check.flagged_intervals()[steady].mean() <= 0.15


def test_a_day_with_an_overloaded_interval_has_an_infinite_formula_asa(write_csv) -> None:
    """The day's formula ASA left overloaded intervals out of its mean: a day at 22 Erlangs on 20 agents for part
    of it read 1.6 s beside a simulated 1,423 s. Such a day's queue grows without bound in the formula: its ASA is
    infinite (shown as ∞, null in JSON), and a day without one keeps its finite mean."""
    from rich.console import Console

    from wfm.report import simulation as report

    start = np.datetime64("2026-12-01T08:00")
    rows = "".join(f"q,{start + np.timedelta64(15 * i, 'm')}:00Z,{v},300\n"
                   for i, v in enumerate([60, 60, 88, 60]))  # 20, 20, 29.3 and 20 Erlangs
    rows += "".join(f"q,{start + np.timedelta64(1440 + 15 * i, 'm')}:00Z,60,300\n" for i in range(4))
    forecast = load_forecast(str(write_csv("queue,interval_start,volume,aht\n" + rows, name="over.csv")))
    check = simulate_forecast(forecast, Settings(), agents=25, replications=2, seed=1).checks[0]
    asa = check.formula_by_day["asa_s"]
    assert np.isinf(asa[0]) and np.isfinite(asa[1]) and asa[1] > 0
    assert np.isfinite(check.formula["asa_s"][[0, 1, 3]]).all() and np.isinf(check.formula["asa_s"][2])
    console = Console(width=200)
    with console.capture() as captured:
        report.print_simulation(console, simulate_forecast(forecast, Settings(), agents=25, replications=2, seed=1))
    assert "∞" in captured.get()
