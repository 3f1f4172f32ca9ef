"""wfm.workers: calls spread over spawned worker processes, results in the order given."""

from __future__ import annotations

import subprocess
import sys

import pytest

from wfm.workers import map_in_processes


def test_one_job_or_one_call_runs_here() -> None:
    assert map_in_processes(abs, [(-1,), (-2,)], 1) == [1, 2]
    assert map_in_processes(abs, [(-3,)], 4) == [3]


@pytest.mark.slow
def test_results_come_back_in_the_order_given() -> None:
    assert map_in_processes(abs, [(-k,) for k in range(6)], 2) == list(range(6))


@pytest.mark.slow
def test_a_script_without_a_main_guard_is_told_why_its_workers_failed(tmp_path) -> None:
    script = tmp_path / "noguard.py"  # spawned workers import the script again, which starts workers again
    script.write_text("from wfm.workers import map_in_processes\nprint(map_in_processes(abs, [(-1,), (-2,)], 2))\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    # the error's line (Python's resource tracker may print its own warning after it)
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("RuntimeError: wfm's")]
    assert line.startswith("RuntimeError: wfm's 2 worker processes (jobs=2) stopped before they answered")
    assert 'if __name__ == "__main__":' in line

