"""The `wfm` command line: a thin typer layer that parses options and calls the library.

    base       the app, and loading a forecast and showing a result as every command does
    options    the options every command shares, declared once
    commands   size, calc, validate, schedule, plan
    process    exit codes, one-line failures, stdout written in full
    startup    what the console script does to its interpreter first: imports only what a command uses
"""

from __future__ import annotations

import sys

from wfm import __version__

# importing a command module registers its commands with the app, in this order (the order of `wfm --help`)
from wfm.cli import commands as _commands  # noqa: F401  (size, calc, validate, schedule, plan, simulate)

# isort: split
from wfm.cli import capacity as _capacity  # noqa: F401  (`wfm capacity`)
from wfm.cli import forecast_cmd as _forecast  # noqa: F401  (`wfm forecast`, `wfm backtest`)
from wfm.cli import whatif_cmd as _whatif  # noqa: F401  (`wfm whatif`)
from wfm.cli.base import app
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
    """The console script (see :func:`wfm.cli.process.main`), in an interpreter that imports only what the
    command uses (:mod:`wfm.cli.startup`)."""
    from wfm.cli.base import app_for
    from wfm.cli.process import main
    from wfm.cli.startup import prepare

    prepare()
    main(app_for(sys.argv[1:]), __version__)
