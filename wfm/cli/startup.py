"""What the ``wfm`` console script does to its interpreter before it runs a command, so that it imports only what
the command uses (issue 7's start-up goals). Each step is a standard import hook (:data:`sys.meta_path`) or an
environment default; ``import wfm`` in a notebook does none of them."""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec


def prepare() -> None:
    """All of the steps below, as :func:`wfm.cli.run` takes them."""
    without_pandas()
    numpy_extras_on_first_use()
    one_blas_thread()
    help_without_markdown()


def one_blas_thread() -> None:
    """One OpenBLAS thread unless the user asks for more. wfm's math is elementwise numpy, not linear algebra,
    but numpy starts a BLAS thread per core on import, and on this 2-core machine those threads cost 0.08 s
    of CPU in ``wfm calc`` and 0.3 s in a 200,000-interval ``wfm size`` (issue 7's start-up goals). numpy is
    not imported yet here: ``import wfm.cli`` does not import it."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def without_pandas() -> None:
    """Make pandas unimportable in the ``wfm`` process. wfm never uses it, but pyarrow imports it on its
    first conversion (an array from numpy, a scalar, ``to_numpy``) whenever it is installed, for its pandas
    integration: 0.14 s of start-up for nothing."""
    if "pandas" not in sys.modules and not _installed(_NoPandas):
        sys.meta_path.insert(0, _NoPandas())


NUMPY_EXTRAS = frozenset({"numpy.f2py", "numpy.testing"})
"""The numpy sub-packages that ``import scipy.special`` loads and ``wfm`` never uses, the two heavy ones (the
others it loads, numpy.random, numpy.polynomial and numpy.ma, are light and used: simulate, pyarrow). Only these
two: on Python 3.11 a sub-module imported by its full name before its lazy package has run would run twice
(``import numpy.ma.core`` first), and nothing imports these two's sub-modules by name."""


def numpy_extras_on_first_use() -> None:
    """Load numpy's optional sub-packages (:data:`NUMPY_EXTRAS`) on their first use, not on import. Importing
    scipy.special (Erlang B's ``gammaincc``) clones numpy's namespace for the array API (scipy's vendored
    ``array_api_compat.clone_module`` asks numpy for every public name), and numpy answers ``f2py`` and
    ``testing`` by importing them: numpy.f2py brings charset_normalizer and 90 codecs, numpy.testing
    unittest and email. That was about 0.1 s of every ``wfm size``. Only their import is deferred
    (:class:`importlib.util.LazyLoader`, the standard library's lazy import): the first use of an attribute
    runs the module as usual."""
    if not NUMPY_EXTRAS.intersection(sys.modules) and not _installed(_LazyNumpyExtras):
        sys.meta_path.insert(0, _LazyNumpyExtras())


DEFERRED_RICH = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}
"""The rich modules that ``typer.rich_utils`` (typer's help formatter) imports whole, for a class each, that
wfm's help never uses: ``Markdown`` (wfm's help is rich markup, not Markdown: ``rich_markup_mode="rich"``) and
``Traceback`` (typer's pretty exceptions are off). rich.markdown brings markdown_it and pygments: without them
``wfm --help`` took 0.15 s of CPU, not 0.21 s."""


def help_without_markdown() -> None:
    """Import typer's help formatter without :data:`DEFERRED_RICH`. While ``typer.rich_utils`` runs, each of
    those names a stand-in module whose classes import the real one when called or read (:class:`_Deferred`);
    then the stand-ins leave ``sys.modules``, so any later ``import rich.markdown`` gets the real module. Should a
    later typer import something the stand-ins cannot give, or use one of their classes while it loads, its
    formatter is imported again as usual. (Another thread importing rich.markdown while typer's formatter loads
    would get the stand-in: wfm loads it only to print help, with no other thread running.)"""
    if "typer.rich_utils" not in sys.modules and not _installed(_HelpWithoutMarkdown):
        sys.meta_path.insert(0, _HelpWithoutMarkdown())


def _installed(finder: type) -> bool:
    return any(type(f) is finder for f in sys.meta_path)


def _wrapped_spec(name: str, path: Sequence[str] | None, wrap: Any) -> ModuleSpec | None:
    """The spec the standard path finder gives ``name``, its loader wrapped in ``wrap``."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec(name, path)
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return spec
    spec.loader = wrap(spec.loader)
    return spec


class _LazyNumpyExtras:
    """A meta path finder that gives the modules of :data:`NUMPY_EXTRAS` a lazy loader."""

    def find_spec(self, name: str, path: Sequence[str] | None = None, target: object = None) -> ModuleSpec | None:
        if name not in NUMPY_EXTRAS:
            return None
        from importlib.util import LazyLoader

        return _wrapped_spec(name, path, LazyLoader)


class _NoPandas:
    """A meta path finder that answers every import of pandas with ModuleNotFoundError, as if it were
    not installed (a None in sys.modules does not do: pyarrow's compiled import takes the None as the
    module)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("the wfm command does not use pandas", name=name)


class _HelpWithoutMarkdown:
    """A meta path finder that loads ``typer.rich_utils`` with :class:`_StandInLoader`."""

    def find_spec(self, name: str, path: Sequence[str] | None = None, target: object = None) -> ModuleSpec | None:
        if name != "typer.rich_utils":
            return None
        return _wrapped_spec(name, path, _StandInLoader)


class _StandInLoader:
    """Runs a module with stand-ins for :data:`DEFERRED_RICH` in ``sys.modules`` (those not already imported),
    and again without them if it fails with them (it asks for something they lack, or uses them). Anything else
    asked of it (``get_source`` for a traceback) is the wrapped loader's."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        created: types.ModuleType | None = self.loader.create_module(spec)
        return created

    def exec_module(self, module: types.ModuleType) -> None:
        added = [name for name in DEFERRED_RICH if name not in sys.modules]
        try:
            sys.modules.update((name, _stand_in(name)) for name in added)
            self.loader.exec_module(module)
        except Exception:
            for name in added:
                sys.modules.pop(name, None)
            self.loader.exec_module(module)
        finally:
            for name in added:
                if isinstance(sys.modules.get(name), _StandInModule):
                    del sys.modules[name]


class _StandInModule(types.ModuleType):
    """Holds the one class of :data:`DEFERRED_RICH` it stands in for, as a :class:`_Deferred`; any other name is
    missing, so that ``from rich.markdown import other`` fails and the module is run again with the real ones."""


def _stand_in(name: str) -> _StandInModule:
    module = _StandInModule(name, f"stand-in for {name} while typer's help formatter loads (wfm.cli.startup)")
    class_name = DEFERRED_RICH[name]
    setattr(module, class_name, _Deferred(class_name, (), {"__module__": name, "__qualname__": class_name}))
    return module


class _Deferred(type):
    """The class of a stand-in for a class of :data:`DEFERRED_RICH`: calling it, reading an attribute of it or
    an ``isinstance`` check imports the real module and hands over to the real class."""

    def real(cls) -> Any:
        module = importlib.import_module(cls.__module__)
        if isinstance(module, _StandInModule):  # used while the module that imported it loads
            raise ImportError(f"{cls.__module__}.{cls.__name__} used while typer's help formatter loads")
        return getattr(module, cls.__name__)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.real()(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(cls.real(), name)

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, cls.real())
