"""Capacitated facility location after Cornuejols, Sridharan & Thizy (1991), the
generator of Gasse et al. (2019):

    min  sum_ij t_ij x_ij + sum_j f_j y_j
    s.t. sum_j x_ij >= 1                    every customer i is served
         sum_i d_i x_ij - s_j y_j <= 0      facility j's capacity, when open
         sum_j s_j y_j >= sum_i d_i         enough capacity open (tightens the LP)
         x_ij - y_j <= 0                    serve only from an open facility (tightens the LP)
         0 <= x_ij <= 1,  y_j binary.

Customers and facilities lie uniformly in the unit square; demands d_i ~ U{5..35};
capacities s_j ~ U{10..160}, then scaled so that they total `ratio` times the total
demand (and truncated to integers); fixed costs f_j = floor(U{100..110} sqrt(s_j) +
U{0..90}) with the unscaled s_j; t_ij = 10 d_i |customer i - facility j|.
"""
from __future__ import annotations

import numpy as np

from ...model import Model
from ._common import build_model

SIZES = {"easy": {"n_customers": 100, "n_facilities": 100},
         "medium": {"n_customers": 200, "n_facilities": 100},
         "hard": {"n_customers": 400, "n_facilities": 100}}
DEFAULTS = {"ratio": 5.0}


def build(rng: np.random.Generator, name: str, n_customers: int, n_facilities: int,
          ratio: float) -> Model:
    nc, nf = n_customers, n_facilities
    if nc < 1 or nf < 1 or not ratio > 0:
        raise ValueError("facilities: n_customers, n_facilities and ratio must be positive")
    customers = rng.random((nc, 2))
    sites = rng.random((nf, 2))
    demand = rng.integers(5, 35 + 1, size=nc)
    capacity = rng.integers(10, 160 + 1, size=nf)
    fixed = np.floor(rng.integers(100, 110 + 1, size=nf) * np.sqrt(capacity)
                     + rng.integers(0, 90 + 1, size=nf))
    capacity = np.floor(capacity * ratio * demand.sum() / capacity.sum())
    if capacity.sum() < demand.sum():
        raise ValueError(f"facilities: capacities total {capacity.sum():.0f} < demand {demand.sum()} "
                         f"after truncation (ratio {ratio} too small for {nf} facilities)")
    distance = np.linalg.norm(customers[:, None, :] - sites[None, :, :], axis=2)
    transport = 10 * demand[:, None] * distance

    nx = nc * nf                                    # x_ij is column i * nf + j, y_j is nx + j
    x = np.arange(nx).reshape(nc, nf)
    y = nx + np.arange(nf)
    serve_rows = np.repeat(np.arange(nc), nf)        # rows 0..nc-1
    cap_rows = nc + np.arange(nf)                    # rows nc..nc+nf-1
    total_row = nc + nf
    assign_rows = nc + nf + 1 + np.arange(nx)
    rows = np.concatenate((serve_rows, np.tile(cap_rows, nc), cap_rows, np.full(nf, total_row),
                           assign_rows, assign_rows))
    cols = np.concatenate((x.ravel(), x.ravel(), y, y, x.ravel(), np.tile(y, nc)))
    values = np.concatenate((np.ones(nx), np.repeat(demand, nf), -capacity, capacity,
                             np.ones(nx), -np.ones(nx)))
    inf = np.inf
    row_lower = np.concatenate((np.ones(nc), np.full(nf, -inf), [demand.sum()], np.full(nx, -inf)))
    row_upper = np.concatenate((np.full(nc, inf), np.zeros(nf), [inf], np.zeros(nx)))
    row_names = ([f"demand{i + 1}" for i in range(nc)] + [f"capacity{j + 1}" for j in range(nf)]
                 + ["total_capacity"] + [f"assign{i + 1}_{j + 1}" for i in range(nc) for j in range(nf)])
    col_names = [f"x{i + 1}_{j + 1}" for i in range(nc) for j in range(nf)] + [f"y{j + 1}" for j in range(nf)]
    return build_model(name, np.concatenate((transport.ravel(), fixed)), rows, cols, values,
                       row_lower, row_upper, col_lower=np.zeros(nx + nf), col_upper=np.ones(nx + nf),
                       integer=np.concatenate((np.zeros(nx, dtype=bool), np.ones(nf, dtype=bool))),
                       row_names=row_names, col_names=col_names)
