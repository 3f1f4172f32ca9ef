"""Shared fixtures: small forecast files written on the fly, and the project's sample forecasts."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest


def _as_the_wfm_command_imports() -> None:
    """Import as the ``wfm`` console script does (:func:`wfm.cli.run`): pandas unimportable, numpy's f2py and
    testing loaded on their first use, typer's help formatter without rich.markdown. Otherwise pyarrow imports
    pandas on its first conversion and scipy.special numpy.f2py, about 0.5 s of each worker's fast suite for
    modules wfm never uses; and the in-process CLI tests run the commands as the console script runs them."""
    from wfm.cli import startup

    startup.without_pandas()
    startup.numpy_extras_on_first_use()
    startup.help_without_markdown()


_as_the_wfm_command_imports()


def _plain_environment() -> None:
    """The suite asserts what wfm prints to a pipe: no colour, no terminal width, whatever the machine's
    environment (FORCE_COLOR or GITHUB_ACTIONS made rich write escape codes; COLUMNS=40 wrapped typer's error
    box). Removed at import, before any test, so the console script's subprocesses inherit the same."""
    import os

    for name in ("FORCE_COLOR", "PY_COLORS", "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
                 "GITHUB_ACTIONS", "COLUMNS", "LINES", "TERMINAL_WIDTH"):
        os.environ.pop(name, None)


def _hypothesis_profile() -> None:
    """The same examples on every run (derandomized, no example database): a property test fails on a change,
    never on a draw, on a developer's machine as in CI (where hypothesis's own "ci" profile needs CI set)."""
    from hypothesis import settings

    settings.register_profile("wfm", derandomize=True, database=None, deadline=None)
    settings.load_profile("wfm")


_plain_environment()
_hypothesis_profile()

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_forecasts"
BANK_DATA = ROOT.parent / "shared" / "data" / "bank_calls_5min_2003.csv"


def _zero_d(value: object) -> object:
    import numpy as np

    return np.array(value)


def _numpy_scalar(value: object) -> object:
    import numpy as np

    return np.asarray(value)[()]


NUMPY_FORMS = {"0-d array": _zero_d, "numpy scalar": _numpy_scalar}
"""How a value made in code may come as numpy: settings take either as the value itself (wfm.targets.one_value)."""


def refused_as_plain(read: Callable[[object], object], wrong: object, error: type[Exception]) -> str:
    """The message ``read(wrong)`` raises (``error``), after checking that ``wrong`` as a 0-d array is
    refused with the same message: a numpy value is refused as its plain value is."""
    with pytest.raises(error) as plain:
        read(wrong)
    with pytest.raises(error) as given:
        read(_zero_d(wrong))
    assert str(given.value) == str(plain.value)
    return str(plain.value)


_PARAM = type(pytest.param())


def slow_after(count: int, cases: Iterable[Any]) -> list[Any]:
    """``cases`` for ``pytest.mark.parametrize`` with all but the first ``count`` marked slow: the edit loop checks
    a sample, CI every case, under the same ids. A ``pytest.param`` keeps its id and marks; any other tuple is one
    value per argument name (a single argument's tuple value goes in a ``pytest.param``)."""

    def slow(case: Any) -> Any:
        if isinstance(case, _PARAM):
            return pytest.param(*case.values, marks=[*case.marks, pytest.mark.slow], id=case.id)
        return pytest.param(*(case if isinstance(case, tuple) else (case,)), marks=pytest.mark.slow)

    return [case if i < count else slow(case) for i, case in enumerate(cases)]


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """write_csv("a,b\\n1,2\\n", name="f.csv") -> path of a file in a fresh temporary folder."""

    def write(text: str, name: str = "forecast.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def dst_plan():
    """The 24/7 DST sample week planned with the default settings, once per test session (a 10 s solve)."""
    from wfm.config import Settings
    from wfm.forecast import load_forecast
    from wfm.plan import make_plan

    return make_plan(load_forecast(SAMPLES / "dst_247_week_15min.csv"), Settings())


_WHOLLY_SLOW = "\npytestmark = pytest.mark.slow"
"""How a test module says every one of its tests is slow (solver, charts); see pytest_ignore_collect."""


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With ``-m "not slow"`` (the edit loop), a module whose tests are all slow is not imported at all:
    every one of its tests would be deselected, and importing it (matplotlib, the solver) costs each worker
    about 0.6 s of the fast suite's collection. Any other selection collects it as usual."""
    if config.option.markexpr.strip() != "not slow" or collection_path.suffix != ".py":
        return None
    if not collection_path.name.startswith("test_"):
        return None
    return _WHOLLY_SLOW in collection_path.read_text(encoding="utf-8") or None


def pytest_configure(config: pytest.Config) -> None:
    """One full garbage collection at the end of the session where pytest makes five, to report the exceptions
    of objects finalized late (its unraisable-exception plugin): the other four cost about 0.2 s of each worker
    of the fast suite, freeing nothing the first did not. Set through pytest's own stash key where this pytest
    has it (pytest's tests set it so); without the key, pytest's five."""
    from _pytest import unraisableexception

    key = getattr(unraisableexception, "gc_collect_iterations_key", None)
    if key is not None:
        config.stash[key] = 1


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Iterator[object]:
    """The cyclic garbage collector is off while the tests are collected, then collects once, and what collection
    made is frozen (gc.freeze): the modules, classes and test items imported and built so far live for the whole
    session. Collection made about 700 collections, 0.39 s of each worker's fast suite, for garbage that one
    collection here frees; and without the freeze every full collection during the tests walked those objects
    again (a worker spent about 1.4 s in the collector, then 0.6 s). Garbage the tests make is freed as before.
    (Around the hook, not from this module's import: xdist's controller collects nothing and would be left
    without a collector.)"""
    gc.disable()
    try:
        return (yield)
    finally:
        gc.collect()
        gc.freeze()
        gc.enable()


@pytest.fixture(autouse=True, scope="session")
def _cli_command_built_once() -> Iterator[None]:
    """typer's ``CliRunner.invoke(app, ...)`` builds the click command from the app on every call (about 30 ms
    here, half of a small command's run); the app does not change during a session, so each app's command is
    built once. The command is what ``wfm`` itself builds once per process."""
    import typer.testing

    build = typer.testing._get_command
    built: dict[int, tuple[object, object]] = {}

    def built_once(app):  # type: ignore[no-untyped-def]
        if id(app) not in built:
            built[id(app)] = (app, build(app))
        return built[id(app)][1]

    typer.testing._get_command = built_once
    yield
    typer.testing._get_command = build
