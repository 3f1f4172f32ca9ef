"""wfm's errors: a small hierarchy the command line maps to exit codes.

    WfmError            anything wfm reports as one line a planner can act on
    ├── InputError      a forecast or another input file: names the file, row, column and value  (exit 2)
    ├── ConfigError     wfm.toml or a command-line flag: names the file, section and key, or the flag  (exit 2)
    ├── OutputError     an output path wfm refuses or cannot write (exit 2)
    └── SolverError     the scheduler found no plan within its limits  (exit 3)

A programmer's misuse of the library (an array of the wrong shape, a negative traffic passed to the
Erlang functions) raises ``ValueError`` or ``TypeError`` instead: it is a bug to fix, not a message for a
planner. An argument of the wrong type is a ``TypeError``; a value out of range is a ``ValueError``, and
InputError and ConfigError are ValueErrors too (a bad value in a file, a setting or an argument that mirrors
one, such as ``Targets(service_level=1.5)``), so ``except ValueError`` catches every bad value, as it does
for ``json`` and ``tomllib``.
"""


import numbers
from collections.abc import Iterable


class WfmError(Exception):
    """A problem a planner can act on, told in one line. The CLI prints it on stderr and exits with
    :attr:`exit_code`."""

    exit_code = 2


class InputError(WfmError, ValueError):
    """Bad input data: the message names the file, row (line number) and column, what was expected and
    what was found."""


class ConfigError(WfmError, ValueError):
    """A setting that is unknown, of the wrong type or out of range, in wfm.toml (the message names the
    file, section and key) or on the command line (it names the flag)."""


class OutputError(WfmError):
    """An output path wfm refuses (a folder it did not write, an input, a directory given as a file) or
    cannot write."""


class SolverError(WfmError):
    """The scheduler found no plan within its limits."""

    exit_code = 3


class UnusedSettingWarning(UserWarning):
    """A setting that does nothing for this input, such as a ``[queues.NAME]`` section whose NAME is no queue of
    the forecast (a typo, most often). The library warns with it (:func:`wfm.size`, :func:`wfm.make_plan`);
    the ``wfm`` command prints the same line as ``wfm: warning: ...`` instead."""


class ForecastWarning(UserWarning):
    """Something in a forecast that was read but may not be what was meant: an unknown column ignored, intervals
    missing within a day, and the like (``Forecast.warnings`` keeps them). :func:`wfm.load_forecast` and the
    ``forecast_from_*`` builders warn with it; the ``wfm`` command prints the same line as ``wfm: warning: ...``
    instead."""


def warn_forecast(messages: Iterable[str], stacklevel: int = 3) -> None:
    """Each message as a :class:`ForecastWarning`, pointing ``stacklevel`` frames up (as :func:`warn_unused`)."""
    _warn(messages, ForecastWarning, stacklevel + 1)


def warn_unused(messages: Iterable[str], stacklevel: int = 3) -> None:
    """Each message as an :class:`UnusedSettingWarning`, pointing ``stacklevel`` frames up (the caller's caller:
    the notebook line that called the library)."""
    _warn(messages, UnusedSettingWarning, stacklevel + 1)


def _warn(messages: Iterable[str], category: type[Warning], stacklevel: int) -> None:
    import warnings

    for message in messages:
        warnings.warn(message, category, stacklevel=stacklevel)


def reject_unknown(keys: Iterable[str], allowed: Iterable[str], where: str = "") -> None:
    """ConfigError for the first key (sorted) of ``keys`` that is not in ``allowed``, naming the table
    ``where`` (``"wfm.toml [seats]"``, ``"breaks[0]"``; empty when the caller prefixes it) and what is allowed:
    the one check every settings table of wfm.toml makes."""
    allowed = tuple(allowed)
    unknown = sorted((key for key in keys if key not in allowed), key=repr)  # any key: a TOML array is one too
    if unknown:
        prefix = f"{where}: " if where else ""
        raise ConfigError(f"{prefix}unknown setting {unknown[0]!r}{did_you_mean(unknown[0], allowed)}; expected one "
                          f"of: {', '.join(allowed)}")


def did_you_mean(given: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'service_level'?)`` for the choice nearest to a mistyped ``given`` (difflib's ratio of
    at least 0.6, case ignored), else empty."""
    import difflib

    by_folded = {choice.casefold(): choice for choice in choices}
    near = difflib.get_close_matches(str(given).casefold(), list(by_folded), n=1)
    return f" (did you mean {by_folded[near[0]]!r}?)" if near else ""


def expect_type(value: object, kind: type | tuple[type, ...], name: str) -> None:
    """Programmer misuse: TypeError unless ``value`` is a ``kind`` (say which argument and what it got)."""
    if not isinstance(value, kind):
        wanted = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise TypeError(f"{name} must be of type {wanted}, got {type(value).__name__}")


def expect_number(value: object, name: str) -> float:
    """Programmer misuse: TypeError unless ``value`` is one real number (a bool is not a number, nor is text);
    returns it as a float. A numpy scalar or 0-d array counts as one number."""
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    return float(value)


def expect_flag(value: object, name: str) -> bool:
    """Programmer misuse: TypeError unless ``value`` is True or False (a string such as "false" is not)."""
    if type(value).__name__ not in ("bool", "bool_"):  # Python's bool or numpy's
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return bool(value)


def expect_jobs(jobs: object) -> int:
    """Programmer misuse: ValueError unless ``jobs`` (worker processes) is a whole number >= 1."""
    if isinstance(jobs, bool) or not isinstance(jobs, numbers.Integral) or jobs < 1:
        raise ValueError(f"jobs must be a whole number >= 1, got {jobs!r}")
    return int(jobs)
