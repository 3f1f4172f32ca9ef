"""Weekly tours against independent daily shifts, queue by queue, on the samples and the bank's real weeks.

Run from the project root (needs only ``pip install -e .``)::

    python benchmarks/bench_tours.py                  # samples and bank weeks, 3 runs of each tour plan
    python benchmarks/bench_tours.py --quick          # the samples only, 1 run
    python benchmarks/bench_tours.py --rules start_step_minutes=60 --rules max_part_time_share=1
    python benchmarks/bench_tours.py --json tours.json

The goal (issue 10): on the four real bank weeks and on every sample queue, weekly tours cost paid hours
within 5 % of the plan with independent daily shifts under the same rules, meet the week's service-level
target, land within 1 % of the tour model's own LP bound, in under 20 s per queue at 15-minute intervals on
one core.

Cases. Samples: every forecast in sample_forecasts/ with its shipped settings where there is one (a .toml
whose name starts the CSV's: program_week.toml for program_week_15min.csv), loaded and planned through the
library as ``wfm plan`` does (``wfm.load_settings``, ``wfm.load_forecast``, ``wfm.make_plan``, the forecast's
first ISO week); one row per scheduled queue or team. Bank weeks (where ../shared/data holds them; skipped
cleanly otherwise, and never copied): the first four whole weeks of the bank's real call counts, built as
benchmarks/bench_schedule.py's case 3 builds them (Mon-Fri 07:00-21:00, quarter hours, AHT 300 s, UTC-5),
as one forecast per week, planned with 80 % in 20 s (case 3's service target) and wfm's other defaults
(occupancy at most 85 %, shrinkage 30 %).

Each case is planned twice with the same settings: as given (weekly tours, the default), timed over the
repeats, and with ``tours = false`` in ``[schedule]`` (independent daily shifts; ``wfm plan --daily``), once.
``--rules KEY=VALUE`` (repeatable) sets a ``[schedule]`` key in both (the value read as TOML, else as a
string: ``start_step_minutes=60``, ``earliest_start=06:00``, ``consecutive_days_off=false``); an unknown key
or a bad value is a one-line error and exit code 2.

Per queue: paid hours of both plans, their ratio (tours / daily) and whether it is within 5 %, the LP
relaxation of both models (objective units: paid hours plus the understaffing penalty), the tour plan's gap
to its own LP bound ((objective - LP) / objective), its solve time (``Schedule.solve_seconds``: building and
solving; median over the repeats; the solver is deterministic, so the plan is the same each time), the
week's volume-weighted service level from wfm's evaluation (as ``wfm plan`` reports it) against the target,
the days below target, and the tour plan's efficiency (required agent-hours / paid hours), headcount,
part-time share and patterns (distinct tours, and how many of them a single agent works). The last line
counts the queues meeting each part of the goal. A script that prints figures, not a test: nothing fails.
"""

from __future__ import annotations

from measure import keep_to_one_thread

keep_to_one_thread()  # before numpy is imported

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from bench_schedule import ANSWER_WITHIN_S, BANK_DATA, SERVICE_LEVEL, bank_weeks  # case 3's weeks
from measure import benchmark_parser, pin_to_one_cpu, repeats_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_forecasts"
BANK_WEEKS = 4
BANK_OFFSET = "-05:00"  # bench_schedule's fixed UTC offset for the bank's local times
GOAL_RATIO = 1.05  # tours' paid hours at most 5 % above daily shifts'
GOAL_GAP = 0.01  # within 1 % of the tour model's LP bound
GOAL_SECONDS = 20.0  # per queue, one core


@dataclass
class Case:
    name: str
    forecast: Any  # wfm.Forecast
    settings: Any  # wfm.Settings, before --rules


def rule_value(text: str) -> Any:
    """A ``--rules`` value as TOML reads it (``60``, ``false``, ``[8, 9]``), else the text itself."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_rules(parser: argparse.ArgumentParser, items: list[str]) -> dict[str, Any]:
    rules = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            parser.error(f"--rules expects KEY=VALUE, got {item!r}")  # exit code 2
        rules[key.strip()] = rule_value(value.strip())
    return rules


def with_rules(settings: Any, rules: dict[str, Any]) -> Any:
    """``settings`` with ``rules`` over its ``[schedule]`` table (checked: a ConfigError if a key is unknown)."""
    return replace(settings, schedule={**settings.schedule, **rules}) if rules else settings


WEEK_SAMPLES = ("dst_247_week_15min.csv", "multi_queue_30min.csv", "program_week_15min.csv",
                "retail_voice_week_15min.csv")
"""The shipped week forecasts (the other samples are a history to forecast from and a capacity plan's periods)."""


def sample_cases(wfm: Any) -> list[Case]:
    tomls = sorted(SAMPLES.glob("*.toml"))
    cases = []
    for csv in (SAMPLES / name for name in WEEK_SAMPLES):
        shipped = [t for t in tomls if csv.stem == t.stem or csv.stem.startswith(t.stem + "_")]
        settings = wfm.load_settings(shipped[0] if shipped else None)
        forecast = wfm.load_forecast(csv, tz=settings.tz, interval_minutes=settings.interval_minutes)
        cases.append(Case(csv.stem + ("+toml" if shipped else ""), forecast, settings))
    return cases


def bank_cases(wfm: Any) -> list[Case]:
    settings = wfm.Settings(targets=wfm.Targets(service_level=SERVICE_LEVEL, answer_within_s=ANSWER_WITHIN_S))
    cases = []
    for q in bank_weeks(BANK_DATA, BANK_WEEKS):
        week = str(q["week"])
        starts = [f"{t}{BANK_OFFSET}" for t in q["local"].astype("datetime64[s]").astype(str)]
        forecast = wfm.forecast_from_arrays(starts, q["volume"].tolist(), q["aht"].tolist(),
                                            queue=[week] * len(starts), name=f"bank {week}")
        cases.append(Case("bank", forecast, settings))
    return cases


def lp_gap(s: Any) -> float:
    lp = s.lp_relaxation
    return (s.objective - lp) / s.objective if lp is not None and s.objective > 0 else math.nan


def service_met(q: Any) -> bool:
    from wfm.erlang import TARGET_TOLERANCE  # as wfm.plan judges a miss

    return bool(q.evaluation.service_level_week >= q.targets.service_level - TARGET_TOLERANCE)


def days_missed(q: Any) -> int:
    from wfm.erlang import TARGET_TOLERANCE

    ev, target = q.evaluation, q.targets.service_level - TARGET_TOLERANCE
    return int(sum(1 for v, level in zip(ev.volume_by_day.tolist(), ev.service_level_by_day.tolist())
                   if v > 0 and level < target))


def run_case(wfm: Any, case: Case, rules: dict[str, Any], repeats: int) -> list[dict[str, Any]]:
    tour_settings = with_rules(case.settings, rules)
    daily_settings = with_rules(case.settings, {**rules, "tours": False})
    seconds: list[list[float]] = []
    plan = None
    for _ in range(repeats):
        plan = wfm.make_plan(case.forecast, tour_settings)
        seconds.append([q.schedule.solve_seconds for q in plan.queues])
    assert plan is not None
    daily = wfm.make_plan(case.forecast, daily_settings)
    rows = []
    for k, (q, d) in enumerate(zip(plan.queues, daily.queues)):
        t, s = q.schedule, d.schedule
        patterns, single = q.patterns
        minutes = int(case.forecast.interval_s[q.rows[0]]) // 60
        row = {
            "case": case.name, "queue": q.queue, "members": list(q.members), "interval_minutes": minutes,
            "paid_hours_tours": t.paid_hours, "paid_hours_daily": s.paid_hours,
            "ratio": t.paid_hours / s.paid_hours if s.paid_hours > 0 else math.nan,
            "lp_tours": t.lp_relaxation, "lp_daily": s.lp_relaxation,
            "objective_tours": t.objective, "objective_daily": s.objective,
            "gap_lp_tours": lp_gap(t), "gap_lp_daily": lp_gap(s), "gap_best_bound_tours": t.gap,
            "solve_s": statistics.median(r[k] for r in seconds), "solve_s_runs": [r[k] for r in seconds],
            "solve_s_daily": s.solve_seconds, "status_tours": t.status, "status_daily": s.status,
            "time_limit_hit": bool(t.time_limit_hit or s.time_limit_hit),
            "service_level_week": q.evaluation.service_level_week, "service_level_target": q.targets.service_level,
            "answer_within_s": q.targets.answer_within_s, "service_level_met": service_met(q),
            "days_below_target": days_missed(q),
            "service_level_week_daily": d.evaluation.service_level_week, "service_level_met_daily": service_met(d),
            "efficiency": q.evaluation.efficiency, "efficiency_daily": d.evaluation.efficiency,
            "headcount": t.headcount, "peak_shifts_a_day_daily": s.headcount,
            "part_time_share": q.part_time_share, "part_time_share_daily": d.part_time_share,
            "patterns": patterns, "single_agent_patterns": single,
            "patterns_daily": d.patterns[0], "single_agent_patterns_daily": d.patterns[1],
        }
        row["within_5pct"] = bool(row["ratio"] <= GOAL_RATIO)
        row["within_1pct_lp"] = bool(row["gap_lp_tours"] <= GOAL_GAP)
        row["under_20s"] = bool(row["solve_s"] < GOAL_SECONDS)
        rows.append(row)
    return rows


HEADER = (f"{'case / queue':<40} {'min':>3} {'paid h tours':>12} {'paid h daily':>12} {'tours/daily':>11}  "
          f"{'LP tours':>9} {'LP daily':>9} {'gap to LP':>9}  {'solve s':>7}  {'SL week / target':<24}  "
          f"{'days':>4} {'eff':>6} {'HC':>5} {'PT':>4} {'patterns (1)':>12}")


def yes(ok: bool) -> str:
    return "ok" if ok else "NO"


def fmt_row(r: dict[str, Any]) -> str:
    label = f"{r['case']} / {r['queue']}"
    lp_daily = r["lp_daily"] if r["lp_daily"] is not None else math.nan
    return (f"{label:<40} {r['interval_minutes']:>3} {r['paid_hours_tours']:>12,.1f} {r['paid_hours_daily']:>12,.1f} "
            f"{r['ratio']:>8.3f} {yes(r['within_5pct'])}  {r['lp_tours']:>9,.1f} {lp_daily:>9,.1f} "
            f"{r['gap_lp_tours']:>6.2%} {yes(r['within_1pct_lp'])}  {r['solve_s']:>4.1f} {yes(r['under_20s'])}  "
            f"{r['service_level_week']:>6.1%} / {r['service_level_target']:>3.0%} in {r['answer_within_s']:>3g} s "
            f"{'met' if r['service_level_met'] else 'NOT'}  {r['days_below_target']:>4} {r['efficiency']:>6.1%} "
            f"{r['headcount']:>5} {r['part_time_share']:>4.0%} {r['patterns']:>7} ({r['single_agent_patterns']})"
            + ("  [time limit hit]" if r["time_limit_hit"] else ""))


def summary(rows: list[dict[str, Any]]) -> str:
    n = len(rows)

    def count(key: str) -> str:
        return f"{sum(1 for r in rows if r[key])}/{n}"

    every = sum(1 for r in rows if r["within_5pct"] and r["service_level_met"] and r["within_1pct_lp"]
                and r["under_20s"])
    return (f"summary: {n} queues: paid hours within 5 % of daily shifts {count('within_5pct')}, week's service "
            f"level met {count('service_level_met')}, within 1 % of the LP bound {count('within_1pct_lp')}, "
            f"under 20 s {count('under_20s')}; all four {every}/{n}")


def git_head() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=False)
        return out.stdout.strip() or "?"
    except OSError:
        return "?"


def clean(value: Any) -> Any:
    """NaN as null for JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def main() -> None:
    parser = benchmark_parser(__doc__, "the samples only (no bank weeks), one run")
    parser.add_argument("--rules", action="append", default=[], metavar="KEY=VALUE",
                        help="a [schedule] rule for every plan (repeatable), e.g. start_step_minutes=60")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the rows as JSON")
    args: argparse.Namespace = parser.parse_args()
    repeats = repeats_of(args, default=3, quick=1)
    rules = parse_rules(parser, args.rules)

    pinned = pin_to_one_cpu()
    import highspy

    import wfm  # imported after pinning
    from wfm.errors import ConfigError

    try:
        with_rules(wfm.Settings(), rules)  # an unknown key or bad value fails here, before any solve
        cases = sample_cases(wfm)
        bank_note = ""
        if args.quick:
            bank_note = "bank weeks: left out (--quick)"
        elif not BANK_DATA.exists():
            bank_note = f"bank weeks: skipped ({BANK_DATA} is not available)"
        else:
            cases += bank_cases(wfm)
    except ConfigError as error:
        print(f"bench_tours: error: {error}", file=sys.stderr)
        sys.exit(2)

    hs = highspy.Highs()
    version = f"{hs.versionMajor()}.{hs.versionMinor()}.{hs.versionPatch()}"
    print(f"bench_tours: wfm from {Path(wfm.__file__).parent} (git HEAD {git_head()}), HiGHS {version}, "
          f"numpy {np.__version__}, python {sys.version.split()[0]}, {repeats} run(s) of each tour plan, {pinned}")
    print(f"rules: {', '.join(f'{k} = {v!r}' for k, v in rules.items()) or 'as shipped (defaults or the sample .toml)'}"
          "; daily plans add tours = false")
    print("(noisy machine: quote the medians)")
    if bank_note:
        print(bank_note)
    print()
    print(HEADER)
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for case in cases:
        try:
            case_rows = run_case(wfm, case, rules, repeats)
        except ConfigError as error:
            print(f"bench_tours: error: {case.name}: {error}", file=sys.stderr)
            sys.exit(2)
        for row in case_rows:
            print(fmt_row(row), flush=True)
        rows += case_rows
    print()
    print("columns: paid hours of the tour plan and of independent daily shifts (same rules, tours = false), "
          "their ratio (ok: within 5 %); LP bounds of both models; the tour plan's gap to its own LP bound "
          "(ok: within 1 %); its solve time, median (ok: under 20 s); the week's service level against the "
          "target, days below target; the tour plan's efficiency, headcount, part-time share, distinct tours "
          "(of them worked by one agent)")
    print(summary(rows) + f"  ({time.perf_counter() - started:.0f} s in all)")
    if args.json:
        document = {"rules": rules, "repeats": repeats, "git_head": git_head(), "highs": version,
                    "rows": [{k: clean(v) for k, v in r.items()} for r in rows]}
        args.json.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
