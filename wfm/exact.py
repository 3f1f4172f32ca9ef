"""Products of vectors and matrices that give the same last bit on every machine.

numpy's ``@`` on dense float arrays calls BLAS, and OpenBLAS picks a kernel per CPU (or per ``OPENBLAS_CORETYPE``,
which a shell may set and a cron job's bare environment does not): each kernel sums in its own order, so the
last bit of a dot product differs between them. Where such a value decides something (which of two candidate
plans is cheaper, a weight in the schedule's objective, a rounded figure in a file) the same inputs gave
different outputs: the retail sample planned 181 heads under OpenBLAS's Haswell kernel and 180 under Prescott.

These never call BLAS: the products are elementwise (each rounded once, as IEEE arithmetic does everywhere) and
the sums are numpy's reductions, whose order is fixed by the array's shape, or ``math.fsum``, exact.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["dot", "matvec", "matmul"]


def dot(a: ArrayLike, b: ArrayLike) -> float:
    """``a @ b`` of two 1-D vectors, summed exactly (math.fsum of the products)."""
    return math.fsum((np.asarray(a, dtype=np.float64) * np.asarray(b, dtype=np.float64)).tolist())


def matvec(m: ArrayLike, v: ArrayLike) -> NDArray[np.float64]:
    """``m @ v`` for a matrix (..., k) and a vector (k,): each row's products summed by numpy's reduction."""
    return (np.asarray(m, dtype=np.float64) * np.asarray(v, dtype=np.float64)).sum(axis=-1)


def matmul(a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """``a @ b`` for matrices (n, k) and (k, m), or a vector (k,) and a matrix (k, m), through an (n, k, m) array
    of products: for the small matrices of a forecast's weekdays and a capacity plan's weeks."""
    left, right = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if left.ndim == 1:
        return (left[:, None] * right).sum(axis=0)
    return (left[:, :, None] * right[None, :, :]).sum(axis=1)
