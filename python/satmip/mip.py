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

  ``state`` also holds the node's bipartite state after Gasse et al. (2019,
  learn2branch), float64, one row per entity, columns named by ``ROW_FEATURES``,
  ``EDGE_FEATURES`` and ``COL_FEATURES`` (also in the state as ``row_feature_names``
  and ``col_feature_names``; meanings in docs/mip-engine.md and ``feature_table()``):
  ``row_features`` (LP rows x len(ROW_FEATURES), one constraint node per LP row with
  lower and upper sides as separate features), ``col_features`` (columns x
  len(COL_FEATURES)), and the edges as CSR over the LP rows: ``edge_row_ptr`` (int64,
  rows + 1), ``edge_col`` (int32, ascending within a row), ``edge_values`` (nnz x
  len(EDGE_FEATURES)). These five are read-only views of the engine's buffers, not
  copies: read them during the call; an array you keep stays valid and unchanged (the
  engine then writes later nodes elsewhere), but copy it if you want a writable one.
- ``on_node(facts)`` after each node's LP: None or "continue", "prune", "stop". A prune is
  no proof: if a pruned node could have held a better solution, a tree that ends reports
  "user_pruned" (with the best solution found, if any) rather than "optimal" or
  "infeasible"; "stop" reports "interrupted".
- ``on_incumbent(x, objective)`` at each new incumbent.
- ``on_event(kind, info)`` as the solve goes, before the tree search, so that a log can be
  printed in the order things happen. ``info`` is a dict of numbers (``status`` a string):

  - ``"presolve"``: status (reduced, infeasible, unbounded_or_infeasible), rows, cols (the
    searched model), original_rows, original_cols, rounds, seconds. Not sent with presolve=False.
  - ``"root_lp"``: status (of the LP: optimal, infeasible, ...), iterations, bound (its
    objective, model sense), seconds.
  - ``"cut_round"``: one per root cut round: round (1, 2, ...), added (cuts this round),
    cut_rows (cut rows in the LP now), iterations (the round's LP), bound (model sense),
    seconds (since the cut loop started).
  - ``"root_cuts"``: the cut loop done: rounds, added (in all), cut_rows (kept for the
    tree), bound, seconds. Not sent with cuts=False.
  - ``"lp"``: while the root LP or a cut round's LP runs long, every ``progress_interval``
    seconds (option, 1.0): iterations, objective (of the current basis, model sense),
    primal_infeasibility and dual_infeasibility (sums, in the scaled LP), seconds (this LP).

An exception raised in a callback stops the search; ``solve()`` re-raises it, except
KeyboardInterrupt: Ctrl-C, in a callback or not, stops the search like ``interrupt()`` and
``solve()`` returns the result (status "interrupted", with the incumbent).
While the search runs, only ``interrupt()`` may be called on the solver that runs it (a
second ``solve()``, ``set_options`` or reading a result raises RuntimeError naming the
call); independent solves, of this ``Model`` too, are fine from a callback. The arrays a
callback receives stay valid after it returns (copies, or views that keep their buffer).

Training samples for imitation learning: ``record_samples=True`` runs full strong
branching (every candidate, ``strong_branching_iterations`` LP iterations per child,
the node's bounds and basis restored) at branching nodes and returns one dict per
recorded node in ``result.samples``: the five state arrays above (the node's own,
read-only), ``candidates``, ``down_gains``, ``up_gains`` (objective gain of each child,
1e12 when infeasible or cut off; a child stopped by the iteration cap takes its
pseudocost estimate), ``scores`` (product score, the expert's label), ``expert_column``
(highest score), ``column`` (the column branched on: the callback's, the rule's, or the
expert's with ``branching="strong"`` or ``sample_follow_expert``), ``columns`` (original
column of each searched column, the same array for a solve), ``node_id``, ``parent_id``
(-1 at the root), ``depth``, ``lp_iterations`` (the search's so far, this node's probes
included), ``static_version`` (samples with equal versions share their edge arrays and
static features) and ``facts``. Nodes where a limit cut strong branching short record
nothing. Probing leaves the search correct but may change its path (and node count),
except with ``branching="strong"``, which probes anyway.

Sampling as learn2branch does: ``sample_rate=p`` queries the expert at a branching node
with probability p (seeded by ``seed``; 0: never, 1: every node; ``result.expert_calls``
counts them) and records only there; ``sample_follow_expert=True`` then branches on the
expert's column (elsewhere the ``branching`` rule decides; ``on_branch``'s choice comes
first). ``on_sample(sample)`` streams: each sample dict goes to it as it is made (GIL
held, on the solving thread) and is not kept in ``result.samples``. The static part of
the state is built once per LP revision (``result.node_state_static_builds``: once per
solve after the root's cuts), not per node.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from . import _core

__all__ = ["MipResult", "solve_mip", "BRANCHING_RULES", "ROW_FEATURES", "EDGE_FEATURES", "COL_FEATURES",
           "feature_table"]

BRANCHING_RULES = ("pseudocost", "most_fractional", "reliability", "strong", "gnn")

# Names of the bipartite state's feature columns, from the engine's one table (node_state.hpp).
ROW_FEATURES = tuple(_core.MIP_ROW_FEATURES)
EDGE_FEATURES = tuple(_core.MIP_EDGE_FEATURES)
COL_FEATURES = tuple(_core.MIP_COL_FEATURES)


def feature_table() -> str:
    """The features of the bipartite state as the Markdown table of docs/mip-engine.md."""
    out = []
    for kind, entries in _core.mip_feature_table().items():
        out += [f"| {kind} | `{name}` | {meaning} |" for name, meaning in entries]
    return "| entity | feature | meaning |\n|---|---|---|\n" + "\n".join(out)


@dataclass
class MipResult:
    status: str          # optimal, infeasible, unbounded, time_limit, node_limit, interrupted, user_pruned, error
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
    samples: list = field(default_factory=list)   # record_samples: one dict per branching node
    node_state_builds: int = 0                    # bipartite states built (on_branch or record_samples)
    node_state_time: float = 0.0                  # seconds spent building them
    node_state_static_builds: int = 0             # builds of their static part (edges, norms): once per LP revision
    expert_calls: int = 0                         # record_samples: nodes where the expert was queried
    branching_model_calls: int = 0                # branching="gnn": the GCNN's forward passes (times["branching_model"])
    open_nodes: int = 0                           # nodes left open when the search stopped (0: tree done)
    message: str = ""                             # why, when status is "error" (else empty)
    failed_lp_nodes: int = 0                      # nodes whose LP failed (after retries), branched without it

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


def solve_mip(model_dict: dict, time_limit: Optional[float] = None, gap: float = 1e-4,
              branching: str = "pseudocost", node_limit: Optional[int] = None, seed: int = 0,
              on_branch: Optional[Callable] = None, on_node: Optional[Callable] = None,
              on_incumbent: Optional[Callable] = None, record_samples: bool = False,
              on_event: Optional[Callable] = None, on_sample: Optional[Callable] = None,
              branching_model=None, **options) -> MipResult:
    """Branch and bound on the model dict of `satmip._core.read_mps` (or `MpsData.to_dict()`).
    record_samples: strong-branching training samples in ``result.samples`` or, with
    on_sample(sample), streamed to it; sample_rate (1.0) and sample_follow_expert (False) as
    learn2branch samples the expert (see the module doc);
    on_event(kind, info): presolve, root LP and root cut events as they happen (module doc).
    Further options: node_selection ("best_bound" or "best_estimate"), best_bound_frequency (10),
    threads (only 1: the search is sequential),
    start (a solution to start from, one value per column), presolve (True),
    propagation (True), cuts (True: the root cut loop), cut_rounds (20), absolute_gap,
    integrality_tolerance, feasibility_tolerance, heuristics, plunge_gap_fraction, dive_max_depth,
    node_lp_iteration_limit (LP iterations per node LP below the root; a node whose LP fails, by
    this cap or numerically, is branched without its LP: see ``failed_lp_nodes``),
    reliability_threshold, strong_branching_candidates, strong_branching_iterations.
    Primal heuristics: heuristics (True) is the master switch of randomized_rounding,
    fractional_diving, guided_diving, coefficient_diving and feasibility_pump (each True; simple rounding has
    no switch of its own); dive_interval (50) nodes between dives in the tree (0: none).
    seed (0) also seeds randomised rounding and the pump's perturbations; a seed other than 0
    perturbs the built-in branching rules' scores (the gnn rule's logits included) by a factor
    1 + 1e-6 u, so ties and near-ties break differently (seed 0 keeps the unperturbed trees;
    on_branch's scores are never perturbed).
    branching="gnn": the learned GCNN of branching_model (a family's shipped model,
    "setcover", "cauctions", "facilities" or "indset", a weights file's path, or a
    satmip.learn.branch_format.BranchModel) chooses at nodes down to gnn_max_depth
    (default: every depth), the pseudocost rule deeper; its forward runs in C++
    (result.branching_model_calls, times["branching_model"])."""
    if branching not in BRANCHING_RULES:
        raise ValueError(f"branching must be one of {BRANCHING_RULES}, got {branching!r}")
    if branching == "gnn":
        if branching_model is None:
            raise ValueError("branching='gnn' needs branching_model: a family's shipped model (setcover, "
                             "cauctions, facilities, indset) or a model file's path")
        from .learn.branch_format import model_of
        options["branching_model"] = model_of(branching_model).native()
    elif branching_model is not None:
        raise ValueError(f"branching_model applies to branching='gnn' only (branching is {branching!r})")
    solver = _core.MipSolver(model_dict, time_limit=time_limit, gap=gap, branching=branching,
                             node_limit=node_limit, seed=seed, on_branch=on_branch, on_node=on_node,
                             on_incumbent=on_incumbent, record_samples=record_samples, on_event=on_event,
                             on_sample=on_sample, **options)
    solver.solve()
    return MipResult(status=solver.status, objective=solver.objective, x=solver.x, dual_bound=solver.dual_bound,
                     gap=solver.gap, nodes=solver.nodes, lp_iterations=solver.lp_iterations, time=solver.time,
                     presolve_time=solver.presolve_time, presolved_size=tuple(solver.presolved_size),
                     cuts=dict(solver.cut_stats), times=dict(solver.times), start_accepted=solver.start_accepted,
                     samples=solver.samples if record_samples else [], node_state_builds=solver.node_state_builds,
                     node_state_time=solver.node_state_time, open_nodes=solver.open_nodes,
                     node_state_static_builds=solver.node_state_static_builds,
                     expert_calls=solver.expert_calls, branching_model_calls=solver.branching_model_calls,
                     message=solver.message if solver.status == "error" else "",
                     failed_lp_nodes=solver.failed_lp_nodes)
