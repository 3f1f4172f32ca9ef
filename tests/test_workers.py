"""wfm.workers: calls spread over spawned worker processes or threads, results in the order given."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from wfm import workers
from wfm.workers import map_in_processes, map_in_threads


def test_threads_run_the_calls_side_by_side_and_answer_in_order(monkeypatch) -> None:
    monkeypatch.setattr(workers, "usable_cpus", lambda: 2)
    both_running = threading.Barrier(2, timeout=30)  # broken, and raising, unless two calls run at once

    def call(k: int) -> tuple[int, bool]:
        both_running.wait()
        return -k, threading.current_thread() is threading.main_thread()

    assert map_in_threads(call, [(1,), (2,)]) == [(-1, False), (-2, False)]


def test_one_cpu_or_one_call_runs_in_this_thread(monkeypatch) -> None:
    here = lambda k: (k, threading.current_thread() is threading.main_thread())  # noqa: E731
    monkeypatch.setattr(workers, "usable_cpus", lambda: 1)
    assert map_in_threads(here, [(1,), (2,)]) == [(1, True), (2, True)]
    monkeypatch.setattr(workers, "usable_cpus", lambda: 2)
    assert map_in_threads(here, [(3,)]) == [(3, True)]
    assert map_in_threads(here, []) == []


def test_a_failing_call_stops_the_calls_not_started_and_the_first_error_in_order_raises(monkeypatch) -> None:
    """Call 1 fails at once while call 0 runs on: the calls after them are not made (one may have started in the
    moment between), call 0 is waited for, and call 1's error is raised, the error a loop would raise."""
    monkeypatch.setattr(workers, "usable_cpus", lambda: 2)
    started: list[int] = []
    ended: list[int] = []

    def call(k: int) -> int:
        started.append(k)
        if k == 1:
            raise ValueError(k)
        time.sleep(0.5 if k == 0 else 0.3)
        ended.append(k)
        return k

    with pytest.raises(ValueError, match="1"):
        map_in_threads(call, [(k,) for k in range(10)])
    assert set(started) <= {0, 1, 2}
    assert set(ended) == set(started) - {1}  # nothing still running


def test_when_calls_under_way_both_fail_the_first_in_order_raises(monkeypatch) -> None:
    monkeypatch.setattr(workers, "usable_cpus", lambda: 2)

    def call(k: int) -> int:
        time.sleep(0.2 if k == 0 else 0.0)  # call 1 fails first
        raise ValueError(k)

    with pytest.raises(ValueError, match="0"):
        map_in_threads(call, [(0,), (1,)])


def test_threads_run_with_the_callers_numpy_error_settings(monkeypatch) -> None:
    monkeypatch.setattr(workers, "usable_cpus", lambda: 2)
    divide = lambda x: np.divide(x, 0.0)  # noqa: E731
    with np.errstate(divide="ignore"):
        assert map_in_threads(divide, [(np.ones(2),), (np.ones(2),)])[1].tolist() == [np.inf, np.inf]
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        map_in_threads(divide, [(np.ones(2),), (np.ones(2),)])


def test_one_job_or_one_call_runs_here() -> None:
    assert map_in_processes(abs, [(-1,), (-2,)], 1) == [1, 2]
    assert map_in_processes(abs, [(-3,)], 4) == [3]


@pytest.mark.slow
def test_results_come_back_in_the_order_given() -> None:
    assert map_in_processes(abs, [(-k,) for k in range(6)], 2) == list(range(6))


@pytest.mark.slow  # starts worker processes twice
def test_a_call_that_fails_in_a_worker_leaves_only_its_error(tmp_path) -> None:
    """Workers stopped after a failure were let go without waiting: Python's resource tracker then printed
    'There appear to be 5 leaked semaphore objects' after wfm's one-line error (2 or 3 runs in 3)."""
    script = tmp_path / "fails.py"
    script.write_text("import os\nimport time\nfrom wfm.workers import map_in_processes\n\n"
                      "def call(seconds):\n    if seconds < 0:\n        raise ValueError('no time')\n"
                      "    time.sleep(seconds)\n\n"
                      "if __name__ == '__main__':\n    try:\n        map_in_processes(call, [(-1,), (5,), (5,)], 2)\n"
                      "    except ValueError as error:\n        print('error:', error, flush=True)\n"
                      "    os._exit(0)  # as the wfm command ends, without the interpreter's teardown\n")
    for _ in range(2):  # the other worker is stopped in its call
        result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
        assert (result.returncode, result.stdout, result.stderr) == (0, "error: no time\n", "")


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



def test_signals_that_arrive_while_held_are_delivered_when_the_block_ends() -> None:
    import signal

    from wfm.workers import signals_held

    received: list[int] = []
    before = signal.signal(signal.SIGTERM, lambda signum, frame: received.append(signum))
    try:
        with signals_held():
            signal.raise_signal(signal.SIGTERM)
            signal.raise_signal(signal.SIGTERM)
            assert received == []
        assert received == [signal.SIGTERM]  # once, to the handler of before the block
        with pytest.raises(KeyboardInterrupt), signals_held():
            signal.raise_signal(signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGTERM, before)


def test_every_call_is_submitted_before_a_signal_is_raised() -> None:
    import signal

    from wfm.workers import submit_all

    class Stop(Exception):
        pass

    def stop(signum: int, frame: object) -> None:
        raise Stop

    class Pool:  # starts a worker in each submit, as ProcessPoolExecutor does; SIGTERM arrives during the first
        def __init__(self) -> None:
            self.submitted: list[int] = []

        def submit(self, function: object, value: int) -> int:
            if not self.submitted:
                signal.raise_signal(signal.SIGTERM)
            self.submitted.append(value)
            return value

    before = signal.signal(signal.SIGTERM, stop)
    try:
        pool = Pool()
        with pytest.raises(Stop):
            submit_all(pool, abs, [(1,), (2,), (3,)])
        assert pool.submitted == [1, 2, 3]
    finally:
        signal.signal(signal.SIGTERM, before)


@pytest.mark.slow
def test_a_sigterm_while_a_worker_starts_leaves_no_traceback(tmp_path) -> None:
    """SIGTERM right after a worker process is spawned, before the pool sent it its start-up data: the worker read
    a cut-short pipe and printed "EOFError: Ran out of input" under the command's message (seen once in CI)."""
    script = tmp_path / "term.py"
    script.write_text(
        "import signal, sys\n"
        "import multiprocessing.util as util\n"
        "from wfm.workers import map_in_processes\n"
        "spawn = util.spawnv_passfds\n"
        "def spawn_then_sigterm(path, args, passfds):\n"
        "    pid = spawn(path, args, passfds)\n"
        "    if 'spawn_main' in ' '.join(map(str, args)):\n"
        "        signal.raise_signal(signal.SIGTERM)\n"
        "    return pid\n"
        "def terminated(signum, frame):\n"
        "    raise SystemExit('terminated')\n"
        "if __name__ == '__main__':\n"
        "    util.spawnv_passfds = spawn_then_sigterm\n"
        "    signal.signal(signal.SIGTERM, terminated)\n"
        "    map_in_processes(abs, [(-1,), (-2,)], 2)\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr) == (1, "terminated\n")


def test_parts_are_one_per_cpu_from_parallel_rows_on_and_bounded_in_flight(monkeypatch) -> None:
    monkeypatch.setattr(workers, "usable_cpus", lambda: 3)
    monkeypatch.setattr(workers, "PARALLEL_ROWS", 100)
    assert workers.parts(0) == []
    assert workers.parts(99) == [slice(0, 99)]
    assert workers.parts(100) == [slice(0, 34), slice(34, 68), slice(68, 100)]
    assert workers.parts(99, longest=40) == [slice(0, 33), slice(33, 66), slice(66, 99)]  # below: 40 at once
    assert [p.stop - p.start for p in workers.parts(120, longest=60)] == [20] * 6  # 3 in flight: 60 rows
