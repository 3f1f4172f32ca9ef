"""wfm.exact: products that never call BLAS, so a plan is the same whichever OpenBLAS kernel a machine loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm import exact

_floats = st.floats(-1e6, 1e6, allow_nan=False)


@pytest.mark.slow  # 200 hypothesis examples in fractions: run by CI, skipped by -m 'not slow'
@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_floats, _floats), min_size=1, max_size=60))
def test_dot_is_the_exactly_rounded_sum_of_the_products(pairs) -> None:
    from fractions import Fraction

    a, b = (np.array(x) for x in zip(*pairs))
    products = [float(x * y) for x, y in zip(a.tolist(), b.tolist())]  # each product rounded once, as numpy does
    assert exact.dot(a, b) == float(sum(Fraction(p) for p in products))
    assert exact.dot(a, b) == exact.dot(a[::-1], b[::-1])  # order does not matter


def test_matvec_and_matmul_agree_with_numpy_up_to_rounding() -> None:
    rng = np.random.default_rng(1)
    m, v, k = rng.normal(size=(7, 96)), rng.normal(size=96), rng.normal(size=(96, 5))
    np.testing.assert_allclose(exact.matvec(m, v), m @ v, rtol=1e-12)
    np.testing.assert_allclose(exact.matmul(m, k), m @ k, rtol=1e-12)
    np.testing.assert_allclose(exact.matmul(v, k), v @ k, rtol=1e-12)


@pytest.mark.slow
def test_the_plan_is_the_same_under_every_openblas_kernel(tmp_path: Path) -> None:
    """OPENBLAS_CORETYPE (set by a shell, not by cron's bare environment) chose the dot product's kernel, whose
    last bit weighed the schedule's candidates: the retail sample planned 181 heads under Haswell, 180 under
    Prescott. The plan folders are now byte-identical."""
    folders = {}
    for kernel in ("Prescott", "Haswell"):
        out = tmp_path / kernel
        env = {**os.environ, "OPENBLAS_CORETYPE": kernel}
        result = subprocess.run([sys.executable, "-m", "wfm", "plan", str(ROOT / "sample_forecasts" /
                                 "retail_voice_week_15min.csv"), "--out", str(out), "-q"], env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        folders[kernel] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert folders["Prescott"] == folders["Haswell"]
    assert [q["headcount"] for q in json.loads(folders["Haswell"]["summary.json"])["queues"]] == [181]
