"""wfm's errors: a small hierarchy the command line maps to exit codes.

    WfmError            anything wfm reports as one line a planner can act on
    ├── InputError      a forecast or another input file: names the file, row, column and value  (exit 2)
    ├── ConfigError     wfm.toml or a command-line flag: names the file, section and key, or the flag  (exit 2)
    ├── OutputError     an output path wfm refuses or cannot write (exit 2)
    └── SolverError     the scheduler found no plan within its limits  (exit 3)

A programmer's misuse of the library (an array of the wrong shape, a negative traffic passed to the
Erlang functions) raises ``ValueError`` or ``TypeError`` instead: it is a bug to fix, not a message for a
planner.
"""


from collections.abc import Iterable


class WfmError(Exception):
    """A problem a planner can act on, told in one line. The CLI prints it on stderr and exits with
    :attr:`exit_code`."""

    exit_code = 2


class InputError(WfmError):
    """Bad input data: the message names the file, row (line number) and column, what was expected and
    what was found."""


class ConfigError(WfmError):
    """A setting that is unknown, of the wrong type or out of range, in wfm.toml (the message names the
    file, section and key) or on the command line (it names the flag)."""


class OutputError(WfmError):
    """An output path wfm refuses (a folder it did not write, an input, a directory given as a file) or
    cannot write."""


class SolverError(WfmError):
    """The scheduler found no plan within its limits."""

    exit_code = 3


def reject_unknown(keys: Iterable[str], allowed: Iterable[str], where: str = "") -> None:
    """ConfigError for the first key (sorted) of ``keys`` that is not in ``allowed``, naming the table
    ``where`` (``"wfm.toml [seats]"``, ``"breaks[0]"``; empty when the caller prefixes it) and what is allowed:
    the one check every settings table of wfm.toml makes."""
    allowed = tuple(allowed)
    unknown = sorted((key for key in keys if key not in allowed), key=repr)  # any key: a TOML array is one too
    if unknown:
        prefix = f"{where}: " if where else ""
        raise ConfigError(f"{prefix}unknown setting {unknown[0]!r}; expected one of: {', '.join(allowed)}")


def expect_type(value: object, kind: type | tuple[type, ...], name: str) -> None:
    """Programmer misuse: TypeError unless ``value`` is a ``kind`` (say which argument and what it got)."""
    if not isinstance(value, kind):
        wanted = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise TypeError(f"{name} must be of type {wanted}, got {type(value).__name__}")
