"""The branch-and-bound MILP engine (satmip.Model.solve / _core.MipSolver):
MIPLIB instances against their known optima, random small MILPs cross-checked
against highspy (threads=1), both built-in branching rules, solution re-checks,
limits and the Python callbacks."""
import csv
import gzip
import math
from pathlib import Path

import numpy as np
import pytest
from helpers import assert_feasible, highs_lp, highs_status_name, objective_of

import satmip
from satmip import Model, _core

DATA = Path(__file__).parent / "data" / "mip"
highspy = pytest.importorskip("highspy")

# Instances the engine proves optimal in seconds, also with presolve or cuts switched off.
FAST = ["p0033", "flugpl", "egout", "enigma", "gt2", "lseu", "p0282", "rgn", "stein27", "p0201", "misc03",
        "dcmulti", "afiro"]


def manifest():
    with open(DATA / "manifest.csv") as f:
        return {row["path"][: -len(".mps.gz")]: row for row in csv.DictReader(f)}


# ---------------------------------------------------------------- MIPLIB
@pytest.mark.parametrize("name", FAST)
def test_miplib_optimum(name):
    row = manifest()[name]
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    r = model.solve(gap=0, time_limit=60)
    best = float(row["optimal_objective"])
    assert r.status == "optimal"
    assert r.objective == pytest.approx(best, rel=1e-6, abs=1e-6)
    assert r.dual_bound <= r.objective + 1e-6 * max(1.0, abs(best))
    assert r.gap <= 1e-6
    assert_feasible(model, r.x)
    assert objective_of(model, r.x) == pytest.approx(r.objective, rel=1e-9, abs=1e-9)
    assert r.nodes >= 1 and r.lp_iterations >= 1 and r.time >= 0


@pytest.mark.parametrize("switches", [dict(presolve=False), dict(cuts=False), dict(presolve=False, cuts=False)],
                         ids=["no-presolve", "no-cuts", "neither"])
@pytest.mark.parametrize("name", FAST)
def test_miplib_optimum_without_presolve_or_cuts(name, switches):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    r = model.solve(gap=0, time_limit=60, **switches)
    assert r.status == "optimal"
    assert r.objective == pytest.approx(float(manifest()[name]["optimal_objective"]), rel=1e-6, abs=1e-6)
    assert_feasible(model, r.x)
    if not switches.get("cuts", True):
        assert r.cuts["added"] == 0 and r.cuts["rounds"] == 0
    if not switches.get("presolve", True):
        assert r.presolved_size == (-1, -1) and r.presolve_time == 0


def test_presolve_and_cuts_are_reported():
    model = Model.from_mps(DATA / "p0201.mps.gz")
    r = model.solve(gap=0)
    rows, cols = r.presolved_size
    assert 0 < rows <= model.num_rows and 0 < cols <= model.num_cols
    assert r.cuts["added"] > 0 and r.cuts["rounds"] > 0 and 0 <= r.cuts["rows"] <= r.cuts["added"]
    assert 0 <= r.presolve_time <= r.time and 0 <= r.cuts["time"] <= r.time


def test_start_solution():
    model = Model.from_mps(DATA / "p0201.mps.gz")
    best = model.solve(gap=0)
    seen = []
    r = model.solve(gap=0, start=best.x, on_incumbent=lambda x, obj: seen.append(obj))
    assert r.start_accepted and seen[0] == pytest.approx(best.objective)
    assert r.status == "optimal" and r.objective == pytest.approx(best.objective)
    # an infeasible start is ignored, not trusted
    bad = np.array(best.x)
    bad[:] = 1.0
    r = model.solve(gap=0, start=bad)
    assert not r.start_accepted and r.objective == pytest.approx(best.objective)
    with pytest.raises(ValueError, match="one value per column"):
        model.solve(start=[0.0, 1.0])
    assert set(r.times) == {"total", "presolve", "cuts", "lp", "heuristics", "branching", "callbacks",
                            "branching_model"}
    assert all(0 <= t <= r.times["total"] + 1e-9 for t in r.times.values())


def test_vpm1_bounds_bracket_the_optimum():
    # vpm1 needs cuts to close quickly; under a node limit the bounds must still be valid.
    model = Model.from_mps(DATA / "vpm1.mps.gz")
    r = model.solve(gap=0, node_limit=3000)
    best = float(manifest()["vpm1"]["optimal_objective"])
    assert r.status in ("node_limit", "optimal")
    assert r.nodes <= 3000
    assert r.dual_bound <= best + 1e-6
    if r.x.size:
        assert r.objective >= best - 1e-6
        assert_feasible(model, r.x)


@pytest.mark.parametrize("name", ["p0033", "flugpl", "lseu"])
def test_branching_rules_agree(name):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    a = model.solve(gap=0, branching="pseudocost")
    b = model.solve(gap=0, branching="most_fractional")
    c = model.solve(gap=0, branching="reliability")
    d = model.solve(gap=0, branching="strong")
    assert a.status == b.status == c.status == d.status == "optimal"
    assert a.objective == pytest.approx(b.objective, rel=1e-9, abs=1e-9)
    assert c.objective == pytest.approx(b.objective, rel=1e-9, abs=1e-9)
    assert d.objective == pytest.approx(b.objective, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("name", ["p0201", "misc03", "dcmulti", "egout", "stein27"])
def test_node_selections_agree(name):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    best = float(manifest()[name]["optimal_objective"])
    for selection in ("best_bound", "best_estimate"):
        for frequency in (10, 0):   # 0: never a best-bound pick
            r = model.solve(gap=0, node_selection=selection, best_bound_frequency=frequency, cuts=False)
            assert r.status == "optimal"
            assert r.objective == pytest.approx(best, rel=1e-6, abs=1e-6)
    with pytest.raises(ValueError, match="node selection"):
        model.solve(node_selection="depth_first_forever")
    assert model.solve(threads=1, gap=0).status == "optimal"
    with pytest.raises(ValueError, match="threads"):
        model.solve(threads=4)


def test_default_gap_stops_within_it():
    model = Model.from_mps(DATA / "egout.mps.gz")
    r = model.solve()   # relative gap 1e-4
    best = float(manifest()["egout"]["optimal_objective"])
    assert r.status == "optimal"
    assert abs(r.objective - best) <= 1e-4 * abs(best) + 1e-6
    assert r.gap <= 1e-4


def test_deterministic():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    a, b = model.solve(gap=0), model.solve(gap=0)
    assert (a.nodes, a.lp_iterations, a.objective) == (b.nodes, b.lp_iterations, b.objective)
    np.testing.assert_array_equal(a.x, b.x)


# ---------------------------------------------------------------- random MILPs vs HiGHS
def highs_mip(model: Model):
    d = model.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    lp = highs_lp(d.to_dict(), with_integrality=True)
    h.passModel(lp)
    h.run()
    return highs_status_name(h.getModelStatus()), h.getInfo().objective_function_value


def random_milp(rng, kind):
    n = int(rng.integers(5, 16))
    m = int(rng.integers(3, 11))
    A = rng.integers(-5, 6, size=(m, n)).astype(float)
    A[rng.random((m, n)) < 0.4] = 0.0
    integer = rng.random(n) < 0.6
    col_lower = rng.integers(-3, 2, size=n).astype(float)
    col_upper = col_lower + rng.integers(1, 8, size=n)
    point = np.where(integer, rng.integers(col_lower, col_upper + 1), rng.uniform(col_lower, col_upper))
    activity = A @ point
    row_lower = np.where(rng.random(m) < 0.5, activity - rng.integers(0, 4, size=m), -np.inf)
    row_upper = np.where(rng.random(m) < 0.7, activity + rng.integers(0, 4, size=m), np.inf)
    c = rng.integers(-9, 10, size=n).astype(float)
    if kind == "infeasible":
        # Two rows that contradict each other on an integer combination (the LP relaxation too).
        i = int(rng.integers(0, m))
        A = np.vstack([A, A[i]])
        row_lower = np.append(row_lower, -np.inf)
        row_upper = np.append(row_upper, activity[i] - 0.5 - 20 * np.abs(A[i]).sum())
        row_lower[i] = activity[i] - 0.25
    elif kind == "fractional_data":
        c = rng.normal(size=n)
        row_upper = np.where(np.isfinite(row_upper), row_upper + rng.random(m), row_upper)
    sense = int(rng.choice([1, -1]))
    return Model.from_arrays(c, A, row_lower, row_upper, col_lower, col_upper, integer, sense=sense,
                             offset=float(rng.integers(-3, 4)))


def dense(model):
    d = model.data
    A = np.zeros((model.num_rows, model.num_cols))
    for j in range(model.num_cols):
        A[d.A_index[d.A_start[j]:d.A_start[j + 1]], j] = d.A_value[d.A_start[j]:d.A_start[j + 1]]
    return A


def unbounded_milp(rng):
    """A MILP unbounded by construction: (model, p, r) with p an integer point of the model
    and r an integer ray (every row and column open in r's direction, cost . r < 0 in the
    minimisation sense), so p + t r is a solution for every integer t >= 0."""
    n, m = int(rng.integers(5, 16)), int(rng.integers(3, 11))
    A = rng.integers(-5, 6, size=(m, n)).astype(float)
    A[rng.random((m, n)) < 0.4] = 0.0
    integer = rng.random(n) < 0.6
    lower = rng.integers(-3, 2, size=n).astype(float)
    upper = lower + rng.integers(1, 8, size=n)
    p = np.where(integer, rng.integers(lower, upper + 1), rng.uniform(lower, upper))
    activity = A @ p
    row_lower = np.where(rng.random(m) < 0.5, activity - rng.integers(0, 4, size=m), -np.inf)
    row_upper = np.where(rng.random(m) < 0.7, activity + rng.integers(0, 4, size=m), np.inf)
    r = np.zeros(n)
    support = rng.choice(n, size=int(rng.integers(1, min(n, 4) + 1)), replace=False)
    r[support] = rng.choice([-2, -1, 1, 2], size=support.size)
    k = support[0]
    r[k] = rng.choice([-1, 1])
    Ar = A @ r
    row_upper[Ar > 0], row_lower[Ar < 0] = np.inf, -np.inf
    upper[r > 0], lower[r < 0] = np.inf, -np.inf
    c = rng.integers(-9, 10, size=n).astype(float)
    c[k] -= r[k] * (c @ r + rng.integers(1, 4))   # now c . r <= -1
    sense = int(rng.choice([1, -1]))
    model = Model.from_arrays(sense * c, A, row_lower, row_upper, lower, upper, integer, sense=sense,
                              offset=float(rng.integers(-3, 4)))
    return model, p, r


def integer_infeasible_milp(rng):
    """A MILP whose LP relaxation is feasible but which has no integer point: a feasible
    random MILP plus a row  sum_S g a_j x_j = g b + h  (0 < h < g) over integer columns,
    whose left side is always a multiple of g."""
    while True:
        base = random_milp(rng, "feasible")
        d = base.data
        ints = np.flatnonzero(d.integer)
        if ints.size < 2:
            continue
        g = int(rng.choice([2, 3]))
        S = rng.choice(ints, size=int(rng.integers(2, min(ints.size, 4) + 1)), replace=False)
        a = np.zeros(base.num_cols)
        a[S] = g * rng.choice([-2, -1, 1, 2], size=S.size)
        rhs = g * int(rng.integers(-3, 4)) + int(rng.integers(1, g))
        model = Model.from_arrays(d.cost, np.vstack([dense(base), a]), np.append(d.row_lower, rhs),
                                  np.append(d.row_upper, rhs), d.col_lower, d.col_upper, d.integer, sense=d.sense,
                                  offset=d.offset)
        if model.solve_lp().status == "optimal":
            return model


def assert_unbounded_certificate(model, p, r):
    """The label checked independently of the generator: p is a solution, and r keeps every
    row and bound satisfied (integral on integer columns) while it improves the objective."""
    d = model.data
    assert_feasible(model, p)
    Ar = dense(model) @ r
    assert np.all((Ar <= 0) | np.isinf(d.row_upper)) and np.all((Ar >= 0) | np.isinf(d.row_lower))
    assert np.all((r <= 0) | np.isinf(d.col_upper)) and np.all((r >= 0) | np.isinf(d.col_lower))
    assert np.all(r[d.integer] == np.round(r[d.integer])) and d.sense * (d.cost @ r) < 0


@pytest.mark.parametrize("kind", ["feasible", "fractional_data", "infeasible"])
@pytest.mark.parametrize("branching", ["pseudocost", "most_fractional", "reliability"])
def test_random_milps_against_highs(kind, branching):
    rng = np.random.default_rng(1000 + ["feasible", "fractional_data", "infeasible"].index(kind))
    for trial in range(40):
        model = random_milp(rng, kind)
        theirs, value = highs_mip(model)
        r = model.solve(gap=0, branching=branching, time_limit=20)
        assert r.status == theirs, (trial, r.status, theirs)
        if theirs == "optimal":
            assert r.objective == pytest.approx(value, rel=1e-6, abs=1e-6), trial
            assert_feasible(model, r.x)
            assert objective_of(model, r.x) == pytest.approx(r.objective, rel=1e-9, abs=1e-9)
        if kind == "infeasible":
            assert r.status == "infeasible" and r.x.size == 0 and math.isnan(r.objective)


@pytest.mark.parametrize("branching", ["pseudocost", "most_fractional", "reliability"])
def test_random_unbounded_milps(branching):
    """Unbounded by construction (a kept integer point and an integer ray); HiGHS agrees or
    says "unbounded or infeasible". satmip's result has no point for an unbounded model."""
    rng = np.random.default_rng(2000)
    highs_answers = set()
    for trial in range(40):
        model, p, ray = unbounded_milp(rng)
        assert_unbounded_certificate(model, p, ray)
        highs_answers.add(highs_mip(model)[0])
        for presolve in (True, False):
            r = model.solve(gap=0, branching=branching, presolve=presolve, time_limit=20)
            assert r.status == "unbounded", (trial, presolve, r.status)
            assert r.x.size == 0
    assert highs_answers <= {"unbounded", "unbounded_or_infeasible"}


@pytest.mark.parametrize("branching", ["pseudocost", "most_fractional", "reliability"])
def test_random_integer_infeasible_milps(branching):
    """LP-feasible, integer-infeasible by construction (a row g * (...) = g b + h): the
    relaxation cannot decide these; propagation's divisibility test on integral
    equality rows does, and without propagation (and presolve, cuts) the tree must."""
    rng = np.random.default_rng(3000)
    searched = 0
    for trial in range(40):
        model = integer_infeasible_milp(rng)
        assert model.solve_lp().status == "optimal"
        assert highs_mip(model)[0] == "infeasible"
        for options in (dict(), dict(presolve=False, cuts=False, propagation=False)):
            r = model.solve(gap=0, branching=branching, time_limit=20, **options)
            assert r.status == "infeasible", (trial, options, r.status)
            assert r.x.size == 0 and math.isnan(r.objective)
            searched += r.nodes > 1
    assert searched >= 5   # the tree, not only the root, has to prove some


def test_unbounded_relaxation_of_an_integer_infeasible_model():
    # min -x, x free integer (unbounded LP) with 2 y = 1, y integer: no solution at all.
    model = Model.from_arrays([-1.0, 0.0], [[0.0, 2.0]], [1.0], [1.0], [-np.inf, 0], [np.inf, 5], [True, True])
    assert highs_mip(model)[0] in ("infeasible", "unbounded_or_infeasible")
    assert model.solve().status == "infeasible"
    # With 2 y = 2 it is unbounded.
    model = Model.from_arrays([-1.0, 0.0], [[0.0, 2.0]], [2.0], [2.0], [-np.inf, 0], [np.inf, 5], [True, True])
    assert model.solve().status == "unbounded"


def test_pure_lp_solves_at_the_root():
    model = Model.from_mps(DATA / "afiro.mps.gz")
    r = model.solve()
    assert r.status == "optimal" and r.nodes == 1
    assert r.objective == pytest.approx(model.solve_lp().objective, rel=1e-9)


def test_an_lp_point_the_check_rejects_proves_nothing():
    """0.1 x + 0.2 y = 0.3 and x = y: the LP's x = y = 1 gives 0.30000000000000004, which a
    check with tolerance 0 rejects. The model is feasible: no "infeasible" (that was the
    answer on Netlib's wood1p, whose LP point was 1e-6 off), no optimum either."""
    model = Model.from_arrays([1.0, 1.0], [[0.1, 0.2], [1.0, -1.0]], [0.3, 0.0], [0.3, 0.0], [0, 0], [10, 10],
                              integrality=[False, True])
    assert model.solve().status == "optimal"
    for presolve in (True, False):
        r = model.solve(feasibility_tolerance=0.0, presolve=presolve)
        assert r.status == "error" and r.x.size == 0, presolve
        assert r.dual_bound == pytest.approx(2.0)


def test_fractional_bounds_of_integer_columns():
    # x integer in [0.5, 2.7]: max x  ->  2
    model = Model.from_arrays([1.0], np.zeros((0, 1)), [], [], [0.5], [2.7], [True], sense=-1)
    r = model.solve()
    assert r.status == "optimal" and r.objective == 2.0


# ---------------------------------------------------------------- limits and options
def test_node_limit():
    model = Model.from_mps(DATA / "lseu.mps.gz")
    r = model.solve(gap=0, node_limit=5, heuristics=False)
    assert r.status == "node_limit" and r.nodes == 5
    assert r.dual_bound <= 1120 + 1e-6


def test_time_limit():
    # Without cuts vpm1 runs for many seconds (with them it closes at the root).
    model = Model.from_mps(DATA / "vpm1.mps.gz")
    r = model.solve(gap=0, time_limit=0.2, cuts=False)
    assert r.status == "time_limit"
    assert r.dual_bound <= 20 + 1e-6                 # vpm1's optimum is 20: the bound stays valid


def test_reliability_branching_on_instances():
    for name in ("p0282", "egout"):
        model = Model.from_mps(DATA / f"{name}.mps.gz")
        r = model.solve(gap=0, branching="reliability", time_limit=60)
        assert r.status == "optimal"
        assert r.objective == pytest.approx(float(manifest()[name]["optimal_objective"]), rel=1e-6)
        assert_feasible(model, r.x)


def test_interrupt_from_another_thread():
    # solve() releases the GIL: the main thread runs on and interrupts it.
    import threading
    model = Model.from_mps(DATA / "vpm1.mps.gz")
    s = _core.MipSolver(model.data.to_dict(), gap=0, cuts=False)   # with cuts vpm1 closes at the root
    t = threading.Thread(target=s.solve)
    t.start()
    import time
    time.sleep(0.3)
    s.interrupt()
    t.join(10)
    assert not t.is_alive()
    assert s.status == "interrupted"


def test_bad_options():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    with pytest.raises(ValueError):
        model.solve(branching="random")
    with pytest.raises(TypeError):
        _core.MipSolver(model.data.to_dict(), no_such_option=1)


def test_mip_solver_object():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    s = _core.MipSolver(model.data.to_dict(), gap=0)
    with pytest.raises(ValueError):
        s.status
    assert s.solve() == "optimal"
    assert s.objective == pytest.approx(3089.0)
    assert s.x.shape == (33,)


# ---------------------------------------------------------------- callbacks
def python_most_fractional(state):
    return int(state["candidates"][int(np.argmax(state["fractionality"]))])


@pytest.mark.parametrize("name", ["p0033", "flugpl", "lseu"])
def test_python_most_fractional_reproduces_builtin_tree(name):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    # Without cuts, so that there is a tree to reproduce (with them p0033 closes at the root).
    builtin = model.solve(gap=0, branching="most_fractional", cuts=False)
    seen = []

    def rule(state):
        seen.append(state)
        return python_most_fractional(state)

    ours = model.solve(gap=0, branching="pseudocost", on_branch=rule, cuts=False)
    assert ours.status == builtin.status == "optimal"
    assert ours.nodes == builtin.nodes
    assert ours.lp_iterations == builtin.lp_iterations
    assert ours.objective == builtin.objective
    state = seen[0]
    k = state["candidates"].size
    assert state["candidates"].dtype == np.int32 and k >= 1
    for key in ("fractionality", "pseudocost_down", "pseudocost_up"):
        assert state[key].shape == (k,) and state[key].dtype == np.float64
    # Columns of the presolved model: state["columns"] maps them to the model's.
    n = state["columns"].size
    assert 0 < n <= model.num_cols and np.all(np.diff(state["columns"]) > 0)
    for key in ("lp_values", "reduced_costs", "col_lower", "col_upper"):
        assert state[key].shape == (n,)
    assert set(state["facts"]) >= {"depth", "node_bound", "primal_bound", "dual_bound", "nodes"}
    assert state["facts"]["depth"] == 0


# Callback tests run without cuts: with them p0033 closes at the root, with no tree to steer.
def counted(rule, calls):
    def wrapper(state):
        calls.append(state["facts"]["depth"])
        return rule(state)
    return wrapper


def test_branch_scores_reproduce_builtin_tree():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    builtin = model.solve(gap=0, branching="most_fractional", cuts=False)
    calls = []
    ours = model.solve(gap=0, cuts=False, on_branch=counted(lambda s: s["fractionality"], calls))
    default = model.solve(gap=0, cuts=False)   # pseudocost: another tree, so the comparison can fail
    assert len(calls) >= 5 and ours.nodes > 1
    assert (default.nodes, default.lp_iterations) != (builtin.nodes, builtin.lp_iterations)
    assert (ours.nodes, ours.lp_iterations, ours.objective) == (builtin.nodes, builtin.lp_iterations, builtin.objective)


def arbitrary_scores(state):
    """Scores unrelated to any built-in rule, a function of the candidates only."""
    return ((state["candidates"].astype(np.int64) * 7919) % 101).astype(float)


@pytest.mark.parametrize("name", ["p0033", "flugpl"])
def test_returned_scores_decide_the_branching_column(name):
    """The highest score (first of equal ones) is the column branched on: a rule returning
    scores grows the same tree as one returning that column, and not the engine's own."""
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    score_calls, column_calls = [], []
    by_scores = model.solve(gap=0, cuts=False, on_branch=counted(arbitrary_scores, score_calls))
    by_column = model.solve(gap=0, cuts=False, on_branch=counted(
        lambda s: int(s["candidates"][int(np.argmax(arbitrary_scores(s)))]), column_calls))
    default = model.solve(gap=0, cuts=False)
    assert len(score_calls) >= 3 and score_calls == column_calls
    assert by_scores.status == by_column.status == default.status == "optimal"
    assert (by_scores.nodes, by_scores.lp_iterations) == (by_column.nodes, by_column.lp_iterations)
    assert (by_scores.nodes, by_scores.lp_iterations) != (default.nodes, default.lp_iterations)
    assert by_scores.objective == pytest.approx(default.objective)


def test_branch_none_lets_the_engine_decide():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    builtin = model.solve(gap=0, cuts=False)
    calls = []
    ours = model.solve(gap=0, cuts=False, on_branch=counted(lambda s: None, calls))
    assert len(calls) >= 5 and ours.nodes > 1
    assert (ours.nodes, ours.lp_iterations, ours.objective) == (builtin.nodes, builtin.lp_iterations, builtin.objective)


def test_branch_on_non_candidate_raises():
    model = Model.from_mps(DATA / "p0033.mps.gz")

    def rule(state):
        fixed = np.setdiff1d(np.arange(model.num_cols), state["candidates"])
        return int(fixed[0])

    with pytest.raises(ValueError, match="not a branching candidate"):
        model.solve(cuts=False, on_branch=rule)
    with pytest.raises(ValueError, match="scores"):
        model.solve(cuts=False, on_branch=lambda s: np.ones(s["candidates"].size + 1))
    with pytest.raises(TypeError):
        model.solve(cuts=False, on_branch=lambda s: "x1")


class Boom(Exception):
    pass


def test_exception_in_on_node_is_reraised():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    calls = []

    def on_node(facts):
        calls.append(facts)
        if len(calls) == 3:
            raise Boom("third node")

    with pytest.raises(Boom, match="third node") as info:
        model.solve(gap=0, cuts=False, on_node=on_node)
    assert len(calls) == 3
    assert any(entry.name == "on_node" for entry in info.traceback)


def test_on_node_prune_and_stop():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    r = model.solve(cuts=False, on_node=lambda f: "stop" if f["nodes"] >= 4 else None)
    assert r.status == "interrupted" and r.nodes == 4
    r = model.solve(cuts=False, on_node=lambda f: "stop")   # at the root: nothing proven either
    assert r.status == "interrupted" and r.nodes == 1
    with pytest.raises(ValueError):
        model.solve(cuts=False, on_node=lambda f: "maybe")


@pytest.mark.parametrize("presolve", [True, False])
def test_user_prune_at_the_root_proves_nothing(presolve):
    """p0033 is feasible: a root the user prunes leaves it undecided, not infeasible."""
    model = Model.from_mps(DATA / "p0033.mps.gz")
    r = model.solve(cuts=False, heuristics=False, presolve=presolve, on_node=lambda f: "prune")
    assert r.nodes == 1 and r.status == "user_pruned"
    assert r.x.size == 0 and math.isnan(r.objective)
    assert r.dual_bound <= 3089 + 1e-6      # the root's bound still stands


def test_user_prune_in_the_tree_proves_no_optimum():
    """Pruning every node below depth 2: the tree ends with the incumbent found so far
    (if any), which the status must not call optimal."""
    model = Model.from_mps(DATA / "p0033.mps.gz")
    full = model.solve(gap=0, cuts=False)
    r = model.solve(gap=0, cuts=False, heuristics=False, on_node=lambda f: "prune" if f["depth"] >= 2 else None)
    assert full.status == "optimal" and full.nodes > 3
    assert r.status == "user_pruned" and r.nodes < full.nodes
    assert r.dual_bound <= full.objective + 1e-6
    if r.x.size:
        assert_feasible(model, r.x)
        assert r.objective >= full.objective - 1e-6


def test_on_incumbent_sees_improving_solutions():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    found = []
    r = model.solve(gap=0, on_incumbent=lambda x, obj: found.append((x.copy(), obj)))
    assert found and found[-1][1] == r.objective
    values = [obj for _, obj in found]
    assert values == sorted(values, reverse=True)   # minimisation: each one better
    for x, obj in found:
        assert_feasible(model, x)
        assert objective_of(model, x) == pytest.approx(obj)


def propagated_bounds_milp(rng):
    """Integer columns with wide bounds [p - a, p + b] and rows x_j + z >= p_j - s (z fixed
    at 0) that root propagation turns into tighter lower bounds than the model's."""
    n, m = int(rng.integers(4, 10)), int(rng.integers(3, 8))
    A = rng.integers(-4, 5, (m, n)).astype(float) * (rng.random((m, n)) < 0.5)
    integer = rng.random(n) < 0.8
    p = rng.integers(0, 4, n).astype(float)
    lower, upper = p - rng.integers(3, 15, n), p + rng.integers(3, 15, n)
    activity = A @ p
    row_lower, row_upper = activity - rng.integers(0, 3, m), activity + rng.integers(0, 3, m)
    k = rng.choice(n, size=min(n, 3), replace=False)
    B = np.zeros((k.size, n + 1))
    B[np.arange(k.size), k] = 1
    B[:, n] = 1
    A = np.vstack([np.hstack([A, np.zeros((m, 1))]), B])
    return Model.from_arrays(np.append(rng.integers(-5, 6, n).astype(float), 0.0), A,
                             np.append(row_lower, p[k] - rng.integers(0, 2, k.size)),
                             np.append(row_upper, np.full(k.size, np.inf)), np.append(lower, 0), np.append(upper, 0),
                             np.append(integer, False))


def test_reduced_cost_fixing_measures_from_the_root_bounds():
    """Reduced cost fixing moved from the model's bounds instead of the root LP's
    (propagated) ones: a bound up to (model's lower - root's lower) too tight, wrong
    optima on 8 of these 300 models without presolve and cuts (seeds 0, 1, 50, ...)."""
    for seed in range(60):
        model = propagated_bounds_milp(np.random.default_rng(seed))
        status, value = highs_mip(model)
        r = model.solve(gap=0, presolve=False, cuts=False)
        assert r.status == status == "optimal", seed
        assert r.objective == pytest.approx(value, rel=1e-6, abs=1e-5), seed


@pytest.mark.parametrize("name", ["p0033", "lseu", "p0282"])
def test_reduced_cost_fixing_keeps_the_optimum(name):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    on = model.solve(gap=0)
    off = model.solve(gap=0, reduced_cost_fixing=False)
    assert on.status == off.status == "optimal"
    assert on.objective == pytest.approx(off.objective, rel=1e-9)
    assert on.nodes <= off.nodes * 1.5
