"""LP relaxations solved by satmip's own dual simplex engine (C++).

    >>> from satmip.lp import solve_lp
    >>> r = solve_lp("afiro.mps.gz")
    >>> r.status, round(r.objective, 6)
    ('optimal', -464.753143)

`solve_lp` takes a path to an MPS file, an `MpsData` or the model dict of
`satmip._core.read_mps`; integrality is ignored (the LP relaxation is solved).
For warm starts (bound changes, cuts) use `satmip._core.LpSolver` directly:
its `solve()` keeps the basis between calls.

Sign conventions are those of HiGHS: cost - A^T row_dual = reduced_cost in the
model's sense. Basis statuses: 0 basic, 1 at lower, 2 at upper, 3 free (at
zero), 4 fixed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Union

import numpy as np

from . import _core
from .mps import MpsData, read_mps

__all__ = ["LpResult", "solve_lp", "LpSolver", "BASIC", "AT_LOWER", "AT_UPPER", "FREE", "FIXED"]

LpSolver = _core.LpSolver
BASIC, AT_LOWER, AT_UPPER, FREE, FIXED = 0, 1, 2, 3, 4


@dataclass
class LpResult:
    status: str                 # optimal, infeasible, unbounded, iteration_limit, time_limit, interrupted, numerical_trouble
    objective: float            # model sense, with the objective offset
    x: np.ndarray
    row_activity: np.ndarray
    row_dual: np.ndarray
    reduced_cost: np.ndarray
    col_basis: np.ndarray       # int8 statuses per column
    row_basis: np.ndarray       # int8 statuses per row
    iterations: int
    time: float
    dual_ray: np.ndarray = field(default_factory=lambda: np.zeros(0))    # Farkas certificate when infeasible
    primal_ray: np.ndarray = field(default_factory=lambda: np.zeros(0))  # improving direction when unbounded

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


def _model_dict(data) -> dict:
    if isinstance(data, (str, os.PathLike)):
        return read_mps(data).to_dict()
    if isinstance(data, MpsData):
        return data.to_dict()
    if isinstance(data, dict):
        return data
    raise TypeError("solve_lp: expected a path, an MpsData or a model dict")


def result_of(solver) -> LpResult:
    """The LpResult of a `_core.LpSolver` after its solve()."""
    cols, rows = solver.get_basis()
    return LpResult(status=solver.status, objective=solver.objective, x=solver.x,
                    row_activity=solver.row_activity, row_dual=solver.row_dual,
                    reduced_cost=solver.reduced_cost, col_basis=cols, row_basis=rows,
                    iterations=solver.iterations, time=solver.time,
                    dual_ray=solver.dual_ray, primal_ray=solver.primal_ray)


def solve_lp(data_or_path: Union[str, os.PathLike, MpsData, dict], **options) -> LpResult:
    """Solve the LP (relaxation) of a model; options as for `_core.LpSolver`
    (time_limit, iteration_limit, primal_feasibility_tolerance,
    dual_feasibility_tolerance, scale, perturb, presolve="none", seed)."""
    solver = _core.LpSolver(_model_dict(data_or_path), **options)
    solver.solve()
    return result_of(solver)
