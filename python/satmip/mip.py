"""MILPs solved by satmip's branch-and-bound engine (C++, on its own dual simplex).

    >>> from satmip import Model
    >>> m = Model.from_arrays(c=[-1, -1], A=[[2, 2]], row_lower=[-inf], row_upper=[3],
    ...                       col_lower=[0, 0], col_upper=[inf, inf], integrality=[1, 1])
    >>> r = m.solve(); r.status, r.objective
    ('optimal', -1.0)

Callbacks (each optional; they run on the solving thread with the GIL held):

- ``on_branch(state)`` at each node that needs branching. ``state`` is a dict of
  numpy arrays: ``candidates`` (int32, fractional integer columns, ascending),
  ``lp_values``, ``reduced_costs``, ``col_lower``, ``col_upper`` (all columns, the
  node's bounds), ``fractionality``, ``pseudocost_down``, ``pseudocost_up`` (one per
  candidate: min(f, 1-f) and estimated objective gain per unit), and ``facts``
  (dict: depth, node_bound, primal_bound, dual_bound, nodes, open_nodes, lp_integral). Return a
  candidate column, an array of scores over the candidates (highest wins), or None
  (the built-in rule decides). A column that is not a candidate raises ValueError.
- ``on_node(facts)`` after each node's LP: None or "continue", "prune", "stop".
- ``on_incumbent(x, objective)`` at each new incumbent.

An exception raised in a callback stops the search; ``solve()`` re-raises it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from . import _core

__all__ = ["MipResult", "solve_mip", "BRANCHING_RULES"]

BRANCHING_RULES = ("pseudocost", "most_fractional", "reliability")


@dataclass
class MipResult:
    status: str          # optimal, infeasible, unbounded, time_limit, node_limit, interrupted, error
    objective: float     # best solution's objective (model sense, with offset); nan without one
    x: np.ndarray        # best solution; empty without one
    dual_bound: float    # proven bound on the optimum (model sense)
    gap: float           # |primal - dual| / max(|primal|, |dual|); inf without a solution
    nodes: int
    lp_iterations: int
    time: float
    presolve_time: float = 0.0                   # seconds in presolve (part of time)
    presolved_size: tuple = (-1, -1)             # (rows, columns) searched after presolve; (-1, -1) without
    cuts: dict = None                            # root cut loop: time, added, rows (kept for the tree), rounds
    times: dict = None                           # seconds: total, presolve, cuts, lp, heuristics, branching, callbacks
    start_accepted: bool = False                 # the start solution was feasible and became the first incumbent

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


def solve_mip(model_dict: dict, time_limit: Optional[float] = None, gap: float = 1e-4,
              branching: str = "pseudocost", node_limit: Optional[int] = None, seed: int = 0,
              on_branch: Optional[Callable] = None, on_node: Optional[Callable] = None,
              on_incumbent: Optional[Callable] = None, **options) -> MipResult:
    """Branch and bound on the model dict of `satmip._core.read_mps` (or `MpsData.to_dict()`).
    Further options: start (a solution to start from, one value per column), presolve (True), cuts (True: the root cut loop), cut_rounds (20), absolute_gap,
    integrality_tolerance, feasibility_tolerance, heuristics, plunge_gap_fraction, dive_max_depth."""
    if branching not in BRANCHING_RULES:
        raise ValueError(f"branching must be one of {BRANCHING_RULES}, got {branching!r}")
    solver = _core.MipSolver(model_dict, time_limit=time_limit, gap=gap, branching=branching,
                             node_limit=node_limit, seed=seed, on_branch=on_branch, on_node=on_node,
                             on_incumbent=on_incumbent, **options)
    solver.solve()
    return MipResult(status=solver.status, objective=solver.objective, x=solver.x, dual_bound=solver.dual_bound,
                     gap=solver.gap, nodes=solver.nodes, lp_iterations=solver.lp_iterations, time=solver.time,
                     presolve_time=solver.presolve_time, presolved_size=tuple(solver.presolved_size),
                     cuts=dict(solver.cut_stats), times=dict(solver.times), start_accepted=solver.start_accepted)
