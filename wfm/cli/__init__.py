"""The `wfm` command line: a thin typer layer that parses options and calls the library.

    options    the options every command shares, declared once
    commands   size, calc, validate, schedule, plan
    process    exit codes, one-line failures, stdout written in full
"""

from __future__ import annotations

from wfm import __version__
from wfm.cli import capacity as _capacity  # noqa: F401  (registers `wfm capacity` with the app)
from wfm.cli import forecast_cmd as _forecast  # noqa: F401  (registers `wfm forecast`, `wfm backtest`)
from wfm.cli import whatif_cmd as _whatif  # noqa: F401  (registers `wfm whatif` with the app)
from wfm.cli.commands import app
from wfm.cli.options import parse_interval
from wfm.cli.process import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOLVER_FAILED,
    EXIT_TARGET_MISSED,
)

__all__ = ["app", "run", "parse_interval", "EXIT_OK", "EXIT_TARGET_MISSED", "EXIT_BAD_INPUT",
           "EXIT_SOLVER_FAILED", "EXIT_INTERNAL_ERROR", "EXIT_INTERRUPTED", "EXIT_BROKEN_PIPE"]


def run() -> None:
    """The console script (see :func:`wfm.cli.process.main`)."""
    from wfm.cli.process import main

    main(app, __version__)
