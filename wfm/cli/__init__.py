"""The `wfm` command line: a thin typer layer that parses options and calls the library.

    base       the app, and loading a forecast and showing a result as every command does
    options    the options every command shares, declared once
    commands   size, calc, validate, schedule, plan
    process    exit codes, one-line failures, stdout written in full
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wfm import __version__

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

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
    """The console script (see :func:`wfm.cli.process.main`)."""
    from wfm.cli.process import main

    _without_pandas()
    _numpy_extras_on_first_use()
    _one_blas_thread()
    main(app, __version__)


def _one_blas_thread() -> None:
    """One OpenBLAS thread unless the user asks for more. wfm's math is elementwise numpy, not linear algebra,
    but numpy starts a BLAS thread per core on import, and on this 2-core machine those threads cost 0.08 s
    of CPU in ``wfm calc`` and 0.3 s in a 200,000-interval ``wfm size`` (issue 7's start-up goals). numpy is
    not imported yet here: ``import wfm.cli`` does not import it."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _without_pandas() -> None:
    """Make pandas unimportable in the ``wfm`` process. wfm never uses it, but pyarrow imports it on its
    first conversion (an array from numpy, a scalar, ``to_numpy``) whenever it is installed, for its pandas
    integration: 0.14 s of start-up for nothing. Only the console script does this; ``import wfm`` in a
    notebook leaves the interpreter alone."""
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _NoPandas())


_NUMPY_EXTRAS = frozenset({"numpy.f2py", "numpy.testing"})
"""The numpy sub-packages that ``import scipy.special`` loads and ``wfm`` never uses, the two heavy ones (the
others it loads, numpy.random, numpy.polynomial and numpy.ma, are light and used: simulate, pyarrow). Only these
two: on Python 3.11 a sub-module imported by its full name before its lazy package has run would run twice
(``import numpy.ma.core`` first), and nothing imports these two's sub-modules by name."""


def _numpy_extras_on_first_use() -> None:
    """Load numpy's optional sub-packages (:data:`_NUMPY_EXTRAS`) on their first use, not on import. Importing
    scipy.special (Erlang B's ``gammaincc``) clones numpy's namespace for the array API (scipy's vendored
    ``array_api_compat.clone_module`` asks numpy for every public name), and numpy answers ``f2py`` and
    ``testing`` by importing them: numpy.f2py brings charset_normalizer and 90 codecs, numpy.testing
    unittest and email. That was about 0.1 s of every ``wfm size``. Only their import is deferred
    (:class:`importlib.util.LazyLoader`, the standard library's lazy import): the first use of an attribute
    runs the module as usual. Only the console script does this, like :func:`_without_pandas`."""
    if not _NUMPY_EXTRAS.intersection(sys.modules):
        sys.meta_path.insert(0, _LazyNumpyExtras())


class _LazyNumpyExtras:
    """A meta path finder that gives the modules of :data:`_NUMPY_EXTRAS` a lazy loader (the spec the other
    finders give, its loader wrapped in :class:`importlib.util.LazyLoader`)."""

    def find_spec(self, name: str, path: Sequence[str] | None = None, target: object = None) -> ModuleSpec | None:
        if name not in _NUMPY_EXTRAS:
            return None
        from importlib.machinery import PathFinder
        from importlib.util import LazyLoader

        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = LazyLoader(spec.loader)
        return spec


class _NoPandas:
    """A meta path finder that answers every import of pandas with ModuleNotFoundError, as if it were
    not installed (a None in sys.modules does not do: pyarrow's compiled import takes the None as the
    module)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("the wfm command does not use pandas", name=name)
