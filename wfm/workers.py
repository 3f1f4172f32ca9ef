"""Work spread over worker processes, for `wfm plan --jobs` (the queues' schedules and their report charts), and
over threads, for vectorised work on many intervals (:func:`map_in_threads`).

Workers are started with "spawn" (no solver state or thread is forked); results come back in the order given,
so the output does not depend on which worker finishes first. On any error, interrupt or SIGTERM in the parent
the workers are stopped at once (a pool left to finish would solve on for minutes), and each worker ends itself
when its parent is gone (killed with SIGKILL, which no handler sees), so no orphan holds a cron job's pipes open.
A SIGTERM or interrupt that arrives while a worker is being started waits until it is started: raised in the
middle, it cut the worker's start-up data short and the worker printed a traceback ("EOFError: Ran out of input")
under the command's one-line message, and was not among the workers stopped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

_HELD_SIGNALS = ("SIGTERM", "SIGINT")

_T = TypeVar("_T")

PARALLEL_ROWS = 65_536
"""From this many rows (intervals) on, vectorised work is split into at least one part per usable CPU, the parts
side by side in threads (:func:`map_in_threads`): sizing and evaluating the intervals (:mod:`wfm.queueing`) and
writing them as CSV (:mod:`wfm.report.documents`). numpy, scipy and pyarrow release the GIL inside each
vectorised step: on 2 cores, 200,000 intervals were sized in 0.6 of the time and written in 0.6 of it. Any split
gives the same agents and the same CSV bytes; the measures agree to the last bit or two at most (numpy's
vectorised exp and log may depend on where a value sits in its array: none differed here, and the CSV's 4
decimals hide such a difference unless a value sits on a rounding boundary), and one machine always splits alike,
so reruns are identical."""


@contextmanager
def worker_pool(workers: int) -> Iterator[Any]:
    """A ``concurrent.futures.ProcessPoolExecutor`` of ``workers`` spawned processes, shut down on leaving, its
    workers terminated when the block raises anything (KeyboardInterrupt and SIGTERM's exception included)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_exit_with_parent, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown()


def map_in_processes(function: Callable[..., _T], arguments: Sequence[tuple[Any, ...]], jobs: int) -> list[_T]:
    """``[function(*a) for a in arguments]``, in up to ``jobs`` worker processes when that is more than one and
    there is more than one call (``function`` and the arguments must pickle); in this process otherwise."""
    workers = min(jobs, len(arguments))
    if workers <= 1:
        return [function(*a) for a in arguments]
    from concurrent.futures.process import BrokenProcessPool

    try:
        with worker_pool(workers) as pool:
            futures = submit_all(pool, function, arguments)
            return [future.result() for future in futures]
    except BrokenProcessPool as exc:
        raise RuntimeError(
            f"wfm's {workers} worker processes (jobs={jobs}) stopped before they answered. They are fresh Python "
            "processes that import the calling script again: run wfm from a script under "
            "`if __name__ == \"__main__\":` (code read from standard input cannot be), or with jobs=1; "
            "or the machine ran out of memory") from exc


def usable_cpus() -> int:
    """The CPUs this process may run on: its affinity where the platform reports one (a container or ``taskset``
    limits it), else the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def parts(rows: int, longest: int | None = None) -> list[slice]:
    """How ``rows`` rows are split for :func:`map_in_threads`: one part below PARALLEL_ROWS (or on one CPU), else
    one part per usable CPU; and, given ``longest``, parts enough that those in flight at once (one per CPU) hold
    at most ``longest`` rows in all. Parts of equal length but the last; no part for no rows."""
    count = 1
    if rows >= PARALLEL_ROWS:
        count = usable_cpus()
    if longest is not None:
        count = max(count, -(-rows // max(longest // count, 1)))
    size = max(-(-rows // count), 1)
    return [slice(start, min(start + size, rows)) for start in range(0, rows, size)]


def map_in_threads(function: Callable[..., _T], arguments: Sequence[tuple[Any, ...]]) -> list[_T]:
    """``[function(*a) for a in arguments]``, in up to one thread per usable CPU when there is more than one call
    and more than one CPU; in this thread otherwise. For numpy, scipy and pyarrow work on long arrays, which
    releases the GIL inside each vectorised step, so the calls run side by side. Each call runs in a copy of the
    caller's context, with the caller's numpy error settings. Results come in the order given. When a call raises
    (or an interrupt or SIGTERM's exception arrives while waiting), the calls not yet started are not made, those
    under way are waited for, and the first of them, in the order given, that raised raises here: the error a
    loop over the calls would raise."""
    workers = min(usable_cpus(), len(arguments))
    if workers <= 1:
        return [function(*a) for a in arguments]
    import contextvars
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    import numpy as np

    errors = np.geterr()  # numpy before 2.0 kept them per thread, not in the context

    def call(*a: Any) -> _T:
        with np.errstate(**errors):
            return function(*a)

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wfm")
    try:
        futures = [pool.submit(contextvars.copy_context().run, call, *a) for a in arguments]
        wait(futures, return_when=FIRST_EXCEPTION)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [future.result() for future in futures]  # raises the first error in order (a call not made: none)


def submit_all(pool: Any, function: Callable[..., _T], arguments: Sequence[tuple[Any, ...]]) -> list[Any]:
    """``[pool.submit(function, *a) for a in arguments]``, the futures in order. The pool starts its workers in
    ``submit``: SIGTERM and SIGINT wait until every call is submitted (see the module's docstring)."""
    with signals_held():
        return [pool.submit(function, *a) for a in arguments]


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGTERM and SIGINT that arrive inside the block are delivered when it ends, to the handlers of before it.
    Only the main thread can change handlers; elsewhere (where Python never runs a signal handler) nothing is held."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []
    held = [getattr(signal, name) for name in _HELD_SIGNALS]
    before = [signal.signal(signum, lambda signum, frame: arrived.append(signum)) for signum in held]
    try:
        yield
    finally:
        for signum, handler in zip(held, before, strict=True):
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)  # None: set outside Python
        for signum in dict.fromkeys(arrived):
            signal.raise_signal(signum)


def _stop_workers(pool: Any) -> None:
    """Terminate a ProcessPoolExecutor's workers and shut it down (``terminate_workers`` from Python 3.14; before
    it, each worker process, killed if it has not ended 5 s later, then a shutdown that waits for the pool's own
    thread to release its queues: the wfm command ends without the interpreter's teardown, and Python's resource
    tracker printed 'leaked semaphore objects' after wfm's one-line error)."""
    stop = getattr(pool, "terminate_workers", None)
    if stop is not None:
        stop()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    import time

    deadline = time.monotonic() + 5.0
    for process in processes:
        process.join(max(deadline - time.monotonic(), 0.0))
    for process in processes:
        if process.is_alive():  # SIGTERM ignored or held up: the pool's thread would wait for it without end
            process.kill()
            process.join()
    pool.shutdown(wait=True, cancel_futures=True)


def _exit_with_parent(parent: int) -> None:
    """In each worker process: a daemon thread that ends the worker when its parent is gone."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="wfm-exit-with-parent", daemon=True).start()
