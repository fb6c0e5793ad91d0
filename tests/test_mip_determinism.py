"""A search that finishes is the same search whatever its time limit and however loaded
the machine (issue 11): budgets of the cut loop, presolve and the feasibility search's
tries are work (LP iterations, rounds, nodes), and only the time limit itself stops a
solve by the clock. Each test sweeps the time limit around the time the model takes."""
from pathlib import Path

import numpy as np

from satmip import Model

inf = np.inf
DATA = Path(__file__).resolve().parent / "data" / "mip"


def sweep(model: Model, **options):
    """The unlimited solve and the solves under limits from 0.5x to 20x its time."""
    free = model.solve(gap=0, **options)
    limits = free.time * np.geomspace(0.5, 20, 40)
    return free, [(float(limit), model.solve(gap=0, time_limit=float(limit), **options)) for limit in limits]


def test_a_finished_search_does_not_depend_on_the_time_limit():
    # p0033 is solved at the root after its cut rounds (1 node): a cut loop budgeted by
    # a share of the time limit ended early under limits of 0.7-3x that time, and the
    # search then took 3-71 nodes.
    free, limited = sweep(Model.from_mps(DATA / "p0033.mps.gz"))
    finished = [(limit, r) for limit, r in limited if r.status != "time_limit"]
    assert len(finished) >= 5   # else the sweep tells nothing
    for limit, r in finished:
        assert (r.status, r.objective, r.nodes, r.lp_iterations) == \
            (free.status, free.objective, free.nodes, free.lp_iterations), f"time limit {limit:.4g} s"


def test_time_limit_is_reported_only_once_the_limit_has_passed():
    # The small cross-check's seed 109735: an unbounded relaxation, then the feasibility
    # search. Its first try had a quarter of the time left: when that ran out, the whole
    # solve answered time_limit with three quarters of the limit unused.
    A = [[0, -4.356, -5.399, 0, -6, 0, 5, 0, -4.522, -2.354], [0, 0, 0, 0, 0, 7.408, 0, 0, 0, -4.021],
         [8, 7, 0, 0, -5.079, 0, 6.523, 0, 0, 0], [-0.275, 9.355, 0, -9, 0, 0, 0, 0, -1, 6.393]]
    model = Model.from_arrays([8, 0, -6, 7, -3, -6, 7, 0, 0, 0], A, [-116.727, -128.472, -inf, -18.696],
                              [-116.727, -128.472, -73.892, -18.696], [-inf, -inf, -inf, 2, -inf, -inf, 3, 0, 5, 0],
                              [-9, inf, inf, inf, inf, -6, 9, 3, 5, 12], np.ones(10, bool))
    free, limited = sweep(model)
    assert free.status == "unbounded"
    assert sum(r.status != "time_limit" for _, r in limited) >= 5
    for limit, r in limited:
        if r.status == "time_limit":
            assert r.time >= limit, f"time limit {limit:.4g} s reported after {r.time:.4g} s"
        else:
            assert (r.status, r.nodes, r.lp_iterations) == (free.status, free.nodes, free.lp_iterations)


def test_presolve_reduces_the_same_whatever_the_time_limit():
    # A chain x0 = 1, x_i + x_(i+1) = 2 listed backwards: presolve fixes a few links per
    # round for its 25 rounds, most of the solve's time. A presolve budgeted by a share
    # of the time limit stopped after fewer rounds and handed the search a larger model.
    n = 200
    A = np.zeros((n, n))
    A[0, 0] = 1
    for k, i in enumerate(reversed(range(n - 1)), start=1):
        A[k, i] = A[k, i + 1] = 1
    rhs = np.array([1.0] + [2.0] * (n - 1))
    model = Model.from_arrays(np.arange(n) % 3 - 1.0, A, rhs, rhs, np.full(n, -10.0), np.full(n, 10.0), np.ones(n, bool))
    free, limited = sweep(model)
    finished = [(limit, r) for limit, r in limited if r.status != "time_limit"]
    assert len(finished) >= 5
    for limit, r in finished:
        assert (r.status, r.objective, r.presolved_size, r.nodes, r.lp_iterations) == \
            (free.status, free.objective, free.presolved_size, free.nodes, free.lp_iterations), f"time limit {limit:.4g} s"
