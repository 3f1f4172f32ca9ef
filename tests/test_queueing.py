"""wfm.queueing: one interface to Erlang C and Erlang A per interval, in chunks for long inputs."""

from __future__ import annotations

import numpy as np
import pytest

from wfm import queueing


def _mixed(n: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(3)
    traffic = rng.uniform(0.0, 300.0, n)
    aht = rng.uniform(120.0, 600.0, n)
    abandons = rng.uniform(size=n) < 0.3
    patience = np.where(abandons, rng.uniform(30.0, 300.0, n), np.inf)
    return traffic, aht, abandons, patience


def _sized_in_one_call() -> tuple[tuple[np.ndarray, ...], dict, np.ndarray, queueing.Delivered]:
    inputs = _mixed(1000)
    kwargs = dict(service_level=0.8, answer_within_s=20.0, max_occupancy=0.85, max_asa_s=np.inf,
                  max_abandon_rate=np.where(inputs[2], 0.05, np.nan))
    agents = queueing.required_agents(*inputs, **kwargs)
    traffic, aht, abandons, patience = inputs
    return inputs, kwargs, agents, queueing.delivered(agents, traffic, aht, 20.0, abandons, patience)


def _assert_sized_as_in_one_call(inputs, kwargs, agents, measures) -> None:
    """The agents of one call, and its measures to the last bits numpy's vectorised exp and log give (which depend
    on where a value sits in its array)."""
    traffic, aht, abandons, patience = inputs
    assert np.array_equal(queueing.required_agents(*inputs, **kwargs), agents)
    for again, one in zip(queueing.delivered(agents, traffic, aht, 20.0, abandons, patience), measures, strict=True):
        np.testing.assert_allclose(again, one, rtol=1e-13, atol=0.0)


@pytest.mark.parametrize("cpus", [2, 3])
def test_many_intervals_are_sized_in_one_chunk_per_cpu_side_by_side_with_the_same_answers(monkeypatch, cpus) -> None:
    """From PARALLEL_ROWS intervals on, one chunk per usable CPU, in threads, each chunk sized in one go."""
    from wfm import workers

    inputs, kwargs, agents, measures = _sized_in_one_call()
    monkeypatch.setattr(workers, "PARALLEL_ROWS", 500)
    monkeypatch.setattr(workers, "usable_cpus", lambda: cpus)
    calls: list[int] = []
    in_threads = workers.map_in_threads
    monkeypatch.setattr(workers, "map_in_threads", lambda f, args: calls.append(len(args)) or in_threads(f, args))
    _assert_sized_as_in_one_call(inputs, kwargs, agents, measures)
    assert calls == [cpus, cpus]
    monkeypatch.setattr(workers, "usable_cpus", lambda: 1)  # one CPU: one call, as below PARALLEL_ROWS
    _assert_sized_as_in_one_call(inputs, kwargs, agents, measures)
    assert calls == [cpus, cpus]


@pytest.mark.parametrize(("rows", "cpus", "lengths"), [(1000, 2, [200] * 5), (1000, 3, [125] * 8), (600, 4, [100] * 6),
                                                      (450, 4, [225, 225]), (300, 4, None), (1000, 1, [334, 334, 332])])
def test_chunks_side_by_side_hold_no_more_rows_in_all_than_one_chunk(monkeypatch, rows, cpus, lengths) -> None:
    """With CHUNK_ROWS 400: one chunk per CPU at least, each at most 400 / CPUs long (in threads, the chunks in
    flight at once hold what one chunk did); below PARALLEL_ROWS (500) or on one CPU, chunks of CHUNK_ROWS."""
    from wfm import workers

    monkeypatch.setattr(queueing, "CHUNK_ROWS", 400)
    monkeypatch.setattr(workers, "PARALLEL_ROWS", 500)
    monkeypatch.setattr(workers, "usable_cpus", lambda: cpus)
    chunks = queueing._chunks((np.arange(rows), 2.0))
    assert (None if chunks is None else [len(c[0]) for c in chunks]) == lengths
    if chunks is not None:
        assert np.array_equal(np.concatenate([c[0] for c in chunks]), np.arange(rows))
        assert all(c[1] == 2.0 for c in chunks)


def test_long_inputs_are_sized_in_chunks_with_the_same_answers(monkeypatch) -> None:
    """Chunks of CHUNK_ROWS intervals (a year of 200 queues held 1.5 GB of temporaries in one go): the same agents
    and measures as one call, single values broadcast."""
    inputs, kwargs, agents, measures = _sized_in_one_call()
    monkeypatch.setattr(queueing, "CHUNK_ROWS", 97)
    _assert_sized_as_in_one_call(inputs, kwargs, agents, measures)
    traffic, aht, abandons, patience = inputs
    with pytest.raises(ValueError):  # mismatched lengths are the engines' to name, chunked or not
        queueing.required_agents(traffic, aht[:-1], abandons, patience, **kwargs)
