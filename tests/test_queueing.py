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


def test_long_inputs_are_sized_in_chunks_with_the_same_answers(monkeypatch) -> None:
    """Chunks of CHUNK_ROWS intervals (a year of 200 queues held 1.5 GB of temporaries in one go): the same agents
    and measures as one call, single values broadcast (measures to the last bits numpy's vectorised exp and log
    give, which depend on where a value sits in its array)."""
    traffic, aht, abandons, patience = _mixed(1000)
    kwargs = dict(service_level=0.8, answer_within_s=20.0, max_occupancy=0.85, max_asa_s=np.inf,
                  max_abandon_rate=np.where(abandons, 0.05, np.nan))
    whole = queueing.required_agents(traffic, aht, abandons, patience, **kwargs)
    measures = queueing.delivered(whole, traffic, aht, 20.0, abandons, patience)
    monkeypatch.setattr(queueing, "CHUNK_ROWS", 97)
    assert np.array_equal(queueing.required_agents(traffic, aht, abandons, patience, **kwargs), whole)
    for chunked, one in zip(queueing.delivered(whole, traffic, aht, 20.0, abandons, patience), measures, strict=True):
        np.testing.assert_allclose(chunked, one, rtol=1e-13, atol=0.0)
    with pytest.raises(ValueError):  # mismatched lengths are the engines' to name, chunked or not
        queueing.required_agents(traffic, aht[:-1], abandons, patience, **kwargs)
