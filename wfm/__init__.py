"""wfm: a workforce-management planner for contact centers, as a library.

The stages, in the order data flows::

    forecast  ->  queueing math (erlang)  ->  staffing  ->  scheduling  ->  plan  ->  report

Quick use (see the README's "Use from Python")::

    import wfm

    wfm.required_agents(traffic_erlangs=10.0, aht_s=180, service_level=0.8, answer_within_s=20)  # 14
    forecast = wfm.load_forecast("sample_forecasts/retail_voice_week_15min.csv")
    settings = wfm.Settings(targets=wfm.Targets(service_level=0.9, answer_within_s=20))
    requirement = wfm.size(forecast, settings)          # agents and staff per interval
    requirement.write("need.csv")
    plan = wfm.make_plan(forecast, settings)             # shifts, seats, evaluation of one week
    plan.write("plan-2026-W49")

Queueing math (vectorised over numpy arrays; times in seconds, traffic in Erlangs):
    required_agents, service_level, asa, occupancy, erlang_c (Erlang C, wfm.erlang); wfm.erlang_a has the same for
    callers who abandon (Erlang A), chosen per queue with Targets(model="erlang-a", patience_s=...,
    max_abandon_rate=...)
Forecasts: load_forecast (a CSV or .xlsx file, or "-" for stdin), forecast_from_records, forecast_from_arrays,
    forecast_from_history (next weeks from actuals, as `wfm forecast`) -> Forecast
Settings (validated on construction): Settings (or Settings.from_toml / load_settings), Targets, ShiftRules,
    SeatRules
Stages: size -> Requirement; schedule (one requirement curve, with a DeferredLoad per deferred queue the same
    agents work) -> Schedule; make_plan -> Plan; simulate_plan (a plan's week simulated, as `wfm plan --simulate`)
Errors: WfmError and its kinds InputError, ConfigError, OutputError, SolverError; warnings: ForecastWarning (a
    forecast's rows that may not be what was meant), UnusedSettingWarning (a setting that does nothing here)
Cost and planning ahead (modules): wfm.cost (a plan's cost and contract P&L: Plan.cost), wfm.whatif (scenarios),
    wfm.capacity (the hiring plan months ahead); wfm.forecasting (forecast_from_history's model, and backtests) and
    wfm.simulation (simulate_plan's contact-by-contact simulator)

Names are loaded on first use, so ``import wfm`` (and the ``wfm`` command's start-up) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, tuple[str, str]] = {
    "required_agents": ("wfm.erlang", "required_agents"),
    "service_level": ("wfm.erlang", "service_level"),
    "asa": ("wfm.erlang", "average_speed_of_answer"),
    "occupancy": ("wfm.erlang", "occupancy"),
    "erlang_c": ("wfm.erlang", "erlang_c"),
    "Forecast": ("wfm.forecast", "Forecast"),
    "load_forecast": ("wfm.forecast", "load_forecast"),
    "forecast_from_records": ("wfm.forecast", "forecast_from_records"),
    "forecast_from_arrays": ("wfm.forecast", "forecast_from_arrays"),
    "forecast_from_history": ("wfm.forecasting.run", "forecast_from_history"),
    "Settings": ("wfm.config", "Settings"),
    "Targets": ("wfm.config", "Targets"),
    "SeatRules": ("wfm.seat_rules", "SeatRules"),
    "load_settings": ("wfm.config", "load_settings"),
    "ShiftRules": ("wfm.scheduling.rules", "ShiftRules"),
    "size": ("wfm.staffing", "size"),
    "Requirement": ("wfm.staffing", "Requirement"),
    "schedule": ("wfm.scheduling.solve", "schedule"),
    "Schedule": ("wfm.scheduling.solution", "Schedule"),
    "DeferredLoad": ("wfm.scheduling.deferred_load", "DeferredLoad"),
    "make_plan": ("wfm.plan", "make_plan"),
    "simulate_plan": ("wfm.simulation.run", "simulate_plan"),
    "Plan": ("wfm.plan", "Plan"),
    "WfmError": ("wfm.errors", "WfmError"),
    "ForecastWarning": ("wfm.errors", "ForecastWarning"),
    "UnusedSettingWarning": ("wfm.errors", "UnusedSettingWarning"),
    "InputError": ("wfm.errors", "InputError"),
    "ConfigError": ("wfm.errors", "ConfigError"),
    "OutputError": ("wfm.errors", "OutputError"),
    "SolverError": ("wfm.errors", "SolverError"),
}

__all__ = [  # written out, not built from _EXPORTS, so that type checkers see what is exported (a test checks both)
    "__version__",
    "required_agents", "service_level", "asa", "occupancy", "erlang_c",
    "Forecast", "load_forecast", "forecast_from_records", "forecast_from_arrays", "forecast_from_history",
    "Settings", "Targets", "SeatRules", "load_settings", "ShiftRules",
    "size", "Requirement", "schedule", "Schedule", "DeferredLoad", "make_plan", "Plan", "simulate_plan",
    "WfmError", "InputError", "ConfigError", "OutputError", "SolverError", "ForecastWarning", "UnusedSettingWarning",
]


_MODULES = ("erlang", "erlang_a", "cost", "whatif", "capacity", "forecasting", "simulation")
"""Submodules this docstring points to, imported on first use as ``wfm.erlang_a`` after ``import wfm``."""


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return import_module(f"wfm.{name}")  # the import sets it as an attribute of wfm
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'wfm' has no attribute {name!r}") from None
    value = getattr(import_module(module), attribute)
    globals()[name] = value  # loaded once
    return value


def __dir__() -> list[str]:
    """The API and the submodules above: what tab completion offers after ``wfm.``."""
    return sorted({*__all__, *_MODULES})


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from wfm.config import SeatRules, Settings, Targets, load_settings
    from wfm.erlang import average_speed_of_answer as asa
    from wfm.erlang import erlang_c, occupancy, required_agents, service_level
    from wfm.errors import (
        ConfigError,
        ForecastWarning,
        InputError,
        OutputError,
        SolverError,
        UnusedSettingWarning,
        WfmError,
    )
    from wfm.forecast import Forecast, forecast_from_arrays, forecast_from_records, load_forecast
    from wfm.forecasting.run import forecast_from_history
    from wfm.plan import Plan, make_plan
    from wfm.scheduling.deferred_load import DeferredLoad
    from wfm.scheduling.rules import ShiftRules
    from wfm.scheduling.solution import Schedule
    from wfm.scheduling.solve import schedule
    from wfm.simulation.run import simulate_plan
    from wfm.staffing import Requirement, size
