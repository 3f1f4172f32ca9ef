"""Keep HiGHS's native output off the process's standard output.

HiGHS 1.12 can print a stray debug line to file descriptor 1 whatever its log settings, and a
library must not write there (the CLI may be writing CSV or JSON to stdout).
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["native_stdout_silenced"]


_STDOUT_LOCK = threading.Lock()
_STDOUT_STATE: dict[str, Any] = {"depth": 0, "saved": None}


def _c_fflush() -> Any:
    try:
        return ctypes.CDLL(None).fflush
    except (OSError, AttributeError, TypeError):
        return None


_FFLUSH = _c_fflush()


@contextmanager
def native_stdout_silenced() -> Iterator[None]:
    """Point file descriptor 1 at the null device while HiGHS runs.

    HiGHS 1.12 can print a stray debug line ("HighsMipSolverData::transformNewIntegerFeasible
    Solution tmpSolver.run();") to the process's standard output whatever its log settings, and a
    library must not write there (the CLI may be writing JSON to stdout). C stdio is flushed
    before the descriptor is restored, so nothing buffered leaks out later. Reference-counted
    under a lock, so concurrent solves restore the real descriptor exactly once. Does nothing
    where C stdio cannot be flushed (then redirecting could leak buffered output later).
    """
    if _FFLUSH is None:
        yield
        return
    with _STDOUT_LOCK:
        if _STDOUT_STATE["depth"] == 0:
            try:
                sys.stdout.flush()
            except (AttributeError, ValueError, OSError):
                pass
            try:
                _FFLUSH(None)
                saved = os.dup(1)
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
                os.close(null)
                _STDOUT_STATE["saved"] = saved
            except OSError:
                _STDOUT_STATE["saved"] = None
        _STDOUT_STATE["depth"] += 1
    try:
        yield
    finally:
        with _STDOUT_LOCK:
            _STDOUT_STATE["depth"] -= 1
            saved = _STDOUT_STATE["saved"]
            if _STDOUT_STATE["depth"] == 0 and saved is not None:
                _FFLUSH(None)
                os.dup2(saved, 1)
                os.close(saved)
                _STDOUT_STATE["saved"] = None
