"""Set covering after Balas & Ho (1980), the generator of Gasse et al. (2019):

    min c.x  s.t.  sum_{j covers i} x_j >= 1 for every row i,  x binary,

with a 0/1 matrix of density `density`, every column in at least 2 rows and every
row covered by at least one column, and costs c_j uniform on {1, ..., max_coef}.

The nonzeros are dealt as in learn2branch: each column gets 2 rows plus its share of
the remaining nonzeros (each drawn to a uniform column); the nonzeros, laid out
column after column, take a random permutation of the rows first (so that every row
is covered), and each column is filled up with distinct rows drawn at random.
"""
from __future__ import annotations

import numpy as np

from ...model import Model
from ._common import build_model, numbered

SIZES = {"easy": {"n_rows": 500, "n_cols": 1000},
         "medium": {"n_rows": 1000, "n_cols": 1000},
         "hard": {"n_rows": 2000, "n_cols": 1000}}
DEFAULTS = {"density": 0.05, "max_coef": 100}


def column_counts(n_rows: int, n_cols: int, density: float, rng: np.random.Generator) -> np.ndarray:
    nnz = int(n_rows * n_cols * density)
    if nnz < 2 * n_cols or nnz < n_rows:
        raise ValueError(f"setcover: density {density} gives {nnz} nonzeros, fewer than 2 per column "
                         f"({2 * n_cols}) or 1 per row ({n_rows})")
    if n_rows < 2:
        raise ValueError("setcover: needs at least 2 rows (every column covers 2)")
    extra = np.bincount(rng.integers(n_cols, size=nnz - 2 * n_cols), minlength=n_cols)
    # A column cannot hold a row twice: with a density near 1 its share is cut to n_rows.
    return np.minimum(2 + extra, n_rows)


def cover_rows(n_rows: int, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The row of each nonzero, column after column: distinct within a column, and
    every row present (the first n_rows nonzeros are a permutation of the rows)."""
    start = np.concatenate(([0], np.cumsum(counts)))
    rows = np.empty(start[-1], dtype=np.int64)
    rows[:n_rows] = rng.permutation(n_rows)
    for j in np.flatnonzero(start[1:] > n_rows):
        lo, hi = start[j], start[j + 1]
        if lo >= n_rows:   # the column has no row from the permutation yet
            rows[lo:hi] = rng.choice(n_rows, size=hi - lo, replace=False)
        else:              # it straddles the permutation's end: complete with rows it lacks
            free = np.setdiff1d(np.arange(n_rows), rows[lo:n_rows], assume_unique=True)
            rows[n_rows:hi] = rng.choice(free, size=hi - n_rows, replace=False)
    return rows


def build(rng: np.random.Generator, name: str, n_rows: int, n_cols: int, density: float,
          max_coef: int) -> Model:
    if n_rows < 1 or n_cols < 1 or max_coef < 1 or not 0 < density <= 1:
        raise ValueError("setcover: n_rows, n_cols and max_coef must be positive and 0 < density <= 1")
    counts = column_counts(n_rows, n_cols, density, rng)
    rows = cover_rows(n_rows, counts, rng)
    cols = np.repeat(np.arange(n_cols), counts)
    cost = rng.integers(1, max_coef + 1, size=n_cols)
    return build_model(name, cost, rows, cols, np.ones(len(rows)),
                       row_lower=np.ones(n_rows), row_upper=np.full(n_rows, np.inf),
                       col_lower=np.zeros(n_cols), col_upper=np.ones(n_cols),
                       integer=np.ones(n_cols, dtype=bool),
                       row_names=numbered("cover", n_rows), col_names=numbered("x", n_cols))
