"""Columns whose only finite bound is negative (-inf, u < 0], positive-only
columns [l > 0, +inf), free columns and models without rows, on every path:
solve_lp (scaled or not) and Model.solve (presolve on or off), cross-checked
against highspy. HiGHS's "unbounded or infeasible" is settled by solving again
with the objective dropped."""
import numpy as np
import pytest
from helpers import assert_feasible, highs_lp, highs_status_name

from satmip import Model

highspy = pytest.importorskip("highspy")
INF = np.inf


def no_rows(c, lower, upper, integrality=None):
    n = len(c)
    return Model.from_arrays(c, np.zeros((0, n)), [], [], lower, upper, integrality=integrality)


# ---------------------------------------------------------------- the reported cases
def test_negative_only_column_without_rows_sits_at_its_upper_bound():
    model = no_rows([0], [-INF], [-3])
    r = model.solve_lp()
    assert r.status == "optimal" and r.x.tolist() == [-3.0]
    r = model.solve()
    assert r.status == "optimal" and r.x.tolist() == [-3.0]


@pytest.mark.parametrize("presolve", [True, False])
def test_negative_only_integer_column_with_cost_is_unbounded(presolve):
    assert no_rows([1], [-INF], [-3], [True]).solve(presolve=presolve).status == "unbounded"
    two = no_rows([1, 0], [-INF, 0], [-3, 1], [True, False])
    assert two.solve(presolve=presolve).status == "unbounded"
    two = no_rows([0, 1], [-INF, 0], [-3, 1], [True, False])
    r = two.solve(presolve=presolve)
    assert r.status == "optimal" and r.objective == 0 and r.x[0] <= -3


# ---------------------------------------------------------------- random models vs highspy
def odd_model(rng, integer_share, max_rows=5, max_cols=6):
    m, n = int(rng.integers(0, max_rows)), int(rng.integers(1, max_cols))
    A = np.where(rng.random((m, n)) < 0.6, rng.integers(-4, 5, (m, n)).astype(float), 0.0)
    cl, cu = np.full(n, -INF), np.full(n, INF)
    for j in range(n):
        kind = rng.integers(0, 6)
        half = 0.0 if rng.random() < 0.7 else 0.5        # fractional bounds for integer columns
        if kind == 1:
            cu[j] = -float(rng.integers(1, 6)) - half       # negative only
        elif kind == 2:
            cl[j] = float(rng.integers(1, 6)) + half        # positive only
        elif kind == 3:
            cl[j], cu[j] = -float(rng.integers(3, 8)), -float(rng.integers(0, 3))
        elif kind == 4:
            cu[j] = float(rng.integers(-2, 3))
        elif kind == 5:
            cl[j] = float(rng.integers(-3, 2))               # kind 0: free
    c = rng.integers(-3, 4, n).astype(float)
    if rng.random() < 0.3:
        c[:] = 0
    x0 = np.clip(rng.integers(-6, 7, n).astype(float), cl, cu)
    act = A @ x0
    rl, ru = np.full(m, -INF), np.full(m, INF)
    for i in range(m):
        kind, shift = rng.integers(0, 4), rng.integers(-2, 3)   # a shift can make the model infeasible
        if kind == 0:
            rl[i] = ru[i] = act[i] + (shift if rng.random() < 0.2 else 0)
        elif kind == 1:
            ru[i] = act[i] + shift
        elif kind == 2:
            rl[i] = act[i] + shift
        else:
            rl[i], ru[i] = act[i] - 1 + shift, act[i] + 2 + shift
    return Model.from_arrays(c, A if m else np.zeros((0, n)), rl, ru, cl, cu, integrality=rng.random(n) < integer_share,
                             sense=1 if rng.random() < 0.7 else -1, offset=float(rng.integers(-2, 3)))


def highs_answer(model, mip, zero_cost=False):
    d = model.data.to_dict()
    if zero_cost:
        d = dict(d, cost=np.zeros(model.num_cols))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.passModel(highs_lp(d, with_integrality=mip))
    h.run()
    status = highs_status_name(h.getModelStatus())
    if status == "unbounded_or_infeasible":
        status = "unbounded" if highs_answer(model, mip, zero_cost=True)[0] == "optimal" else "infeasible"
    return status, h.getInfo().objective_function_value


def assert_same(ours, objective, theirs, what):
    status, value = theirs
    assert ours.status == status, what
    if status == "optimal":
        assert objective == pytest.approx(value, rel=1e-7, abs=1e-7), what


def test_random_odd_column_lps_against_highs():
    statuses = set()
    for seed in range(400):
        model = odd_model(np.random.default_rng(seed), integer_share=0.0)
        theirs = highs_answer(model, mip=False)
        for scale in (True, False):
            r = model.solve_lp(scale=scale)
            assert_same(r, r.objective, theirs, (seed, scale))
            if r.status == "optimal":
                assert_feasible(model, r.x)
        statuses.add(theirs[0])
    assert statuses == {"optimal", "infeasible", "unbounded"}


def test_random_odd_column_milps_against_highs():
    statuses = set()
    for seed in range(400):
        model = odd_model(np.random.default_rng(10_000 + seed), integer_share=0.6)
        theirs = highs_answer(model, mip=True)
        for presolve in (True, False):
            r = model.solve(presolve=presolve, node_limit=5000)
            assert_same(r, r.objective, theirs, (seed, presolve))
            if r.status == "optimal":
                assert_feasible(model, r.x)
        statuses.add(theirs[0])
    assert statuses == {"optimal", "infeasible", "unbounded"}
