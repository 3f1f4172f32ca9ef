"""How a command ends: exit codes, one line for every failure, stdout written in full, quiet on a closed
pipe, no numpy warning and no encoding error ever reaching the user.

Exit codes: 0 success; 1 the plan misses a target; 2 bad input, settings, command line or output path
(:class:`wfm.errors.InputError`, ``ConfigError``, ``OutputError``; also a standard output that cannot be written:
a full disk, a closed descriptor); 3 the solver found no plan (``SolverError``); 70 an unexpected internal error;
130 interrupted; 141 stdout closed early; 143 terminated (SIGTERM: worker processes are stopped too).
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from wfm.errors import ForecastWarning, UnusedSettingWarning, WfmError

if TYPE_CHECKING:
    from rich.console import Console

EXIT_OK, EXIT_TARGET_MISSED, EXIT_BAD_INPUT, EXIT_SOLVER_FAILED = 0, 1, 2, 3
EXIT_INTERNAL_ERROR = 70  # sysexits' EX_SOFTWARE: a bug in wfm, never "the plan misses a target"
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as any Unix tool whose reader went away (`wfm size | head`)
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(BaseException):
    """SIGTERM arrived (``kill``, a supervisor's timeout): raised in the main thread so that every ``finally`` runs
    (temporary files removed, worker processes stopped) before the command ends with 143."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated


class _ClosedStream(io.TextIOBase):
    """Standard output when its descriptor was closed (``wfm plan >&-``): nothing to flush, and a command that has
    something to print fails with one line rather than an AttributeError."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            raise OSError(errno.EBADF, "it is closed")
        return 0


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def say(kind: str, text: str) -> None:
    """``wfm: KIND: TEXT`` as one line on stderr: a control character in the text (a newline in a file's name, a
    terminal escape) is written as its escape, ``\\n``, so a message stays one line a log can hold."""
    line = _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))
    print(f"wfm: {kind}: {line}", file=sys.stderr)


def stderr_console() -> StderrConsole:
    return StderrConsole()


class StderrConsole:
    """rich's Console on stderr (for a status line), made on first use: a run whose stderr is not a terminal, a
    cron job's, never imports rich (0.04 s of start-up). ``is_terminal`` answers as rich would: rich calls a
    stream a terminal only when it is a tty or TTY_COMPATIBLE=1 or FORCE_COLOR (not empty) says so, and it is
    asked only then. Everything else is the Console's."""

    def __init__(self) -> None:
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True, highlight=False, emoji=False)
        return self._console

    @property
    def is_terminal(self) -> bool:
        try:
            tty = sys.stderr.isatty()
        except (AttributeError, ValueError):  # no stream, or a closed one
            tty = False
        if not (tty or os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR")):
            return False
        return self.console.is_terminal

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)


def run_command(body: Callable[[], int | None]) -> None:
    """Run a command's body: a WfmError becomes one line on stderr and its exit code; a closed stdout
    pipe and an interrupt end here, before click's own handling (which would exit 1 or print a blank
    line). The library's UnusedSettingWarning and ForecastWarning are not shown: the command prints those lines itself, as
    ``wfm: warning:`` (or not, with --quiet)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnusedSettingWarning)
            warnings.simplefilter("ignore", ForecastWarning)
            code = body()
        sys.stdout.flush()
    except WfmError as exc:
        say("error", str(exc))
        raise typer.Exit(exc.exit_code) from None
    except BrokenPipeError:
        broken_pipe()
    except KeyboardInterrupt:
        print("wfm: error: interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    raise typer.Exit(code or 0)


def quiet_streams() -> None:
    """Output never fails on a character the terminal's encoding lacks (PYTHONIOENCODING=ascii),
    and no numpy warning reaches the user: the library's results already say what a warning would."""
    import warnings

    warnings.simplefilter("ignore", RuntimeWarning)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def broken_pipe() -> None:
    """The reader of stdout went away: stop quietly, with nothing more written to the dead pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    os._exit(EXIT_BROKEN_PIPE)


def write_stdout(text: str | bytes) -> None:
    """Write ``text`` to stdout in full: straight to the file descriptor, looping over partial writes
    (with PYTHONUNBUFFERED=1, a text write to a pipe that closes can end short without an error), so a
    closed pipe is always a BrokenPipeError. Where stdout is not a real file (a test runner), its write."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        sys.stdout.write(text.decode("utf-8") if isinstance(text, bytes) else text)
        return
    sys.stdout.flush()
    encoding = sys.stdout.encoding or "utf-8"
    if isinstance(text, bytes) and codecs.lookup(encoding).name != "utf-8":  # every format in stdout's encoding
        text = text.decode("utf-8")
    data = memoryview(text if isinstance(text, bytes)  # CSV is UTF-8 bytes already: as they are
                      else text.encode(encoding, errors="replace"))
    while data:
        data = data[os.write(fd, data):]


def emit(text: str | bytes, output: Optional[Path], inputs: tuple[Path, ...] = ()) -> None:
    """Print ``text``, or write it to ``output`` whole (:func:`wfm.outputs.write_file`), never over one
    of ``inputs`` (the forecast, the config)."""
    from wfm.outputs import write_file

    if output is None or str(output) == "-":
        write_stdout(text)
    else:
        write_file(output, text, inputs=inputs)


def main(app: typer.Typer, version: str) -> None:
    """The console script: ``app``, with every failure as one line on stderr and a meaningful exit code:
    typer's usage errors (unknown option, missing argument, bad choice) exit 2 like every other input
    error; an interrupt 130; a closed stdout pipe 141, quietly; an unexpected exception (a bug) one line
    and 70 (set WFM_DEBUG=1 for the traceback)."""
    if sys.stdout is None:
        sys.stdout = _ClosedStream()
    quiet_streams()
    signal.signal(signal.SIGTERM, _terminated)
    args = sys.argv[1:] or ["--help"]
    try:
        code = app(args=args, prog_name="wfm", standalone_mode=False)
        sys.stdout.flush()
    except Terminated:
        print("wfm: error: terminated", file=sys.stderr)
        sys.exit(EXIT_TERMINATED)
    except typer.TyperException as exc:
        ctx = getattr(exc, "ctx", None)  # None for an option's missing value: its command is the first argument
        where = ctx.command_path if ctx is not None else "wfm" if args[0].startswith("-") else f"wfm {args[0]}"
        message = " ".join(exc.format_message().split())
        say("error", f"{message} (see '{where} --help')")
        sys.exit(EXIT_BAD_INPUT)
    except (typer.Abort, KeyboardInterrupt):
        print("wfm: error: interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        broken_pipe()
    except MemoryError:
        print("wfm: error: out of memory", file=sys.stderr)
        sys.exit(EXIT_INTERNAL_ERROR)
    except OSError as exc:
        if exc.filename is not None or exc.errno not in _STDOUT_ERRORS:
            _internal_error(exc, version)
        # files are written by wfm.outputs, whose errors name them: a nameless write error is standard output's
        print(f"wfm: error: cannot write to standard output: {exc.strerror or exc}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)
    except Exception as exc:
        _internal_error(exc, version)
    _exit_now(code if isinstance(code, int) else 0)


_STDOUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF}
"""Write errors of a standard output on a full disk or a closed descriptor: the environment's, not a bug."""


def _internal_error(exc: BaseException, version: str) -> None:
    """One line for an unexpected exception (a bug), exit 70; with WFM_DEBUG=1 the traceback instead."""
    if os.environ.get("WFM_DEBUG"):
        raise exc
    detail = " ".join(str(exc).split())[:300]
    print(f"wfm: internal error: {type(exc).__name__}: {detail} (a bug in wfm {version}; "
          "run with WFM_DEBUG=1 for the traceback and please report it)", file=sys.stderr)
    sys.exit(EXIT_INTERNAL_ERROR)


def _exit_now(code: int) -> None:
    """End the process with ``code`` once everything is flushed, skipping the interpreter's teardown of
    numpy, pyarrow and friends (a tenth of a second that a cron job or a shell loop pays for nothing).
    Files are already whole and closed (wfm.outputs); only stdout and stderr are flushed here."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        broken_pipe()
    os._exit(code)
