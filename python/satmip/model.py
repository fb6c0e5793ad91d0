"""`satmip.Model`: an LP/MILP built from an MPS file or from arrays, solved by
satmip's own engines: solve() runs branch and bound (satmip.mip), solve_lp()
the LP relaxation (dual simplex).

    >>> m = Model.from_arrays(c=[-1, -1], A=[[1, 2], [3, 1]], row_lower=[-inf, -inf],
    ...                       row_upper=[4, 6], col_lower=[0, 0], col_upper=[inf, inf])
    >>> r = m.solve_lp(); r.status, r.objective
    ('optimal', -2.8)
"""
from __future__ import annotations

import os
from typing import Optional, Union

import numpy as np

from . import _core
from .lp import LpResult, result_of
from .mip import MipResult, solve_mip
from .mps import MpsData, read_mps, write_mps

__all__ = ["Model"]


class Model:
    """min (sense=1) or max (sense=-1) c.x + offset  s.t.  row_lower <= A x <= row_upper,
    col_lower <= x <= col_upper, x[j] integral where integrality[j]."""

    def __init__(self, data: MpsData):
        self.data = data

    # ---- construction ----

    @classmethod
    def from_mps(cls, path: Union[str, os.PathLike]) -> "Model":
        """Read an MPS file (fixed or free, plain or gzip/xz/bzip2)."""
        return cls(read_mps(path))

    @classmethod
    def from_arrays(cls, c, A, row_lower, row_upper, col_lower, col_upper, integrality=None,
                    sense: int = 1, offset: float = 0.0, row_names=None, col_names=None,
                    name: str = "") -> "Model":
        """A is a dense 2-D array, a scipy.sparse matrix (any format) or a CSC triple
        (start, index, value); bounds may be +-inf; integrality is a bool (or 0/1) per column."""
        cost = _vector(c, "c")
        n = len(cost)
        m = np.size(row_lower)
        start, index, value = _csc(A, m, n)
        arrays = {"row_lower": _vector(row_lower, "row_lower", m), "row_upper": _vector(row_upper, "row_upper", m),
                  "col_lower": _vector(col_lower, "col_lower", n), "col_upper": _vector(col_upper, "col_upper", n)}
        integer = np.zeros(n, dtype=bool) if integrality is None else np.asarray(integrality, dtype=bool)
        if integer.shape != (n,):
            raise ValueError(f"integrality has shape {integer.shape}, expected ({n},)")
        if sense not in (1, -1):
            raise ValueError("sense must be 1 (minimise) or -1 (maximise)")
        data = MpsData(name=name, objective_name="obj", sense=sense, offset=float(offset), cost=cost,
                       integer=integer, A_start=start, A_index=index, A_value=value,
                       row_names=list(row_names) if row_names is not None else [f"R{i}" for i in range(m)],
                       col_names=list(col_names) if col_names is not None else [f"C{j}" for j in range(n)],
                       **arrays)
        if len(data.row_names) != m or len(data.col_names) != n:
            raise ValueError("row_names / col_names do not match the matrix shape")
        # the engines' own check (lp::check_model), naming the entry as the caller wrote it: "c[2]: ..."
        _core.check_model(data.to_dict(), "Model.from_arrays", {"cost": "c"})
        return cls(data)

    # ---- facts ----

    @property
    def num_rows(self) -> int:
        return self.data.num_rows

    @property
    def num_cols(self) -> int:
        return self.data.num_cols

    @property
    def num_nonzeros(self) -> int:
        return self.data.num_nonzeros

    @property
    def num_integers(self) -> int:
        return int(np.count_nonzero(self.data.integer))

    @property
    def is_mip(self) -> bool:
        return self.num_integers > 0

    def __repr__(self) -> str:
        kind = "MILP" if self.is_mip else "LP"
        return (f"<satmip.Model {self.data.name or ''} {kind}: {self.num_rows} rows, {self.num_cols} columns "
                f"({self.num_integers} integer), {self.num_nonzeros} nonzeros>")

    # ---- solving ----

    def lp_solver(self, **options) -> "_core.LpSolver":
        """A dual simplex solver on the LP relaxation that keeps its basis between
        solve() calls: change_col_bounds / change_cost / add_rows / delete_rows, then
        solve() again warm. Options: time_limit, iteration_limit, tolerances, scale, perturb,
        on_progress (info dict every progress_interval seconds of a long solve: iterations,
        objective, primal_infeasibility, dual_infeasibility, time; an exception stops the solve
        and solve() re-raises it), progress_interval (1.0)."""
        return _core.LpSolver(self.data.to_dict(), **options)

    def solve_lp(self, **options) -> LpResult:
        """Solve the LP relaxation (integrality dropped): status, objective (with the
        offset, in the model's sense), x, row activities, duals, reduced costs, basis.
        Ctrl-C stops the simplex: status "interrupted", no KeyboardInterrupt."""
        solver = self.lp_solver(**options)
        solver.solve()
        return result_of(solver)

    def solve(self, time_limit: Optional[float] = None, gap: float = 1e-4, branching: str = "pseudocost",
              node_limit: Optional[int] = None, seed: int = 0, on_branch=None, on_node=None, on_incumbent=None,
              record_samples: bool = False, on_event=None, branching_model=None, **options) -> MipResult:
        """Solve the MILP by branch and bound (an LP without integer columns is solved at
        the root). branching: "pseudocost", "most_fractional", "reliability", "strong" (full
        strong branching) or "gnn" (the learned GCNN of branching_model: "setcover",
        "cauctions", "facilities", "indset" or a model file; its forward in C++ at nodes down
        to gnn_max_depth, the pseudocost rule deeper; see docs/mip-engine.md, "Learned
        branching"); gap is relative (HiGHS's mip_rel_gap); callbacks, the bipartite node
        state and record_samples (strong-branching training samples in ``result.samples``) as in
        `satmip.mip`. on_event(kind, info) reports, as they happen, presolve ("presolve": rows,
        cols, original_rows, original_cols, rounds, seconds), the root LP ("root_lp": iterations,
        bound, seconds), each root cut round ("cut_round": round, added, cut_rows, iterations,
        bound, seconds), the cut loop's end ("root_cuts": rounds, added, cut_rows, bound,
        seconds) and, every progress_interval (1.0) seconds of a long root LP, its progress ("lp":
        iterations, objective, primal_infeasibility, dual_infeasibility, seconds): `satmip solve`
        prints its log from them in this order, before the tree's table. Further options: start (a solution, one value per column), presolve,
        propagation, cuts, cut_rounds, absolute_gap,
        integrality_tolerance, feasibility_tolerance, heuristics, reduced_cost_fixing,
        plunge_gap_fraction, reliability_threshold, strong_branching_candidates,
        strong_branching_iterations, and the primal heuristics' switches under heuristics:
        randomized_rounding, fractional_diving, guided_diving, coefficient_diving,
        feasibility_pump (each True),
        dive_interval (50 nodes between dives in the tree, 0: none).

        Ctrl-C (SIGINT) stops the search as a time limit does: solve() returns the result
        with status "interrupted" and the best solution found (x, objective) instead of
        raising KeyboardInterrupt. Limits must be >= 0 (NaN is refused: ValueError)."""
        return solve_mip(self.data.to_dict(), time_limit=time_limit, gap=gap, branching=branching,
                         node_limit=node_limit, seed=seed, on_branch=on_branch, on_node=on_node,
                         on_incumbent=on_incumbent, record_samples=record_samples, on_event=on_event,
                         branching_model=branching_model, **options)

    def write_mps(self, path: Union[str, os.PathLike]) -> None:
        write_mps(self.data, path)


def _vector(values, what: str, size: Optional[int] = None) -> np.ndarray:
    v = np.asarray(values, dtype=np.float64).reshape(-1) if np.ndim(values) else np.full(size or 0, float(values))
    if size is not None and v.shape != (size,):
        raise ValueError(f"{what} has {v.size} entries, expected {size}")
    return v


def _csc(A, m: int, n: int):
    """(start, index, value) of the m x n matrix A by columns."""
    if hasattr(A, "tocsc"):                      # scipy.sparse
        csc = A.tocsc()
        csc.sum_duplicates()
        shape = csc.shape
        start, index, value = csc.indptr, csc.indices, csc.data
    elif isinstance(A, tuple) and len(A) == 3:   # (start, index, value)
        start, index, value = (np.asarray(x) for x in A)
        shape = (m, len(start) - 1)
        if index.size and (index.min() < 0 or index.max() >= m):
            raise ValueError(f"A has a row index outside 0..{m - 1}")
    else:
        dense = np.asarray(A, dtype=np.float64)
        if dense.ndim != 2:
            raise ValueError(f"A must be 2-D, got shape {dense.shape}")
        shape = dense.shape
        col_idx, row_idx = np.nonzero(dense.T)   # column-major order
        start = np.zeros(dense.shape[1] + 1, dtype=np.int64)
        np.cumsum(np.bincount(col_idx, minlength=dense.shape[1]), out=start[1:])
        index, value = row_idx, dense[row_idx, col_idx]
    if tuple(shape) != (m, n):
        raise ValueError(f"A has shape {tuple(shape)}, expected ({m}, {n}) from the row bounds and c")
    return (np.asarray(start, dtype=np.int64), np.asarray(index, dtype=np.int32),
            np.asarray(value, dtype=np.float64))
