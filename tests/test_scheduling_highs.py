"""wfm.scheduling.highs: native writes to standard output are dropped while HiGHS runs, and only then."""

from __future__ import annotations

import os

from wfm.scheduling.highs import native_stdout_silenced


def test_native_writes_to_fd_1_are_dropped_inside_and_kept_outside(capfd) -> None:
    os.write(1, b"before\n")
    with native_stdout_silenced():
        os.write(1, b"from HiGHS\n")
        with native_stdout_silenced():  # nested solves restore the descriptor once
            os.write(1, b"nested\n")
        os.write(1, b"still HiGHS\n")
    os.write(1, b"after\n")
    assert capfd.readouterr().out == "before\nafter\n"
