"""Primal heuristics of the MILP search (cpp/mip/heuristics.cpp): each one on
its own finds solutions where the others are off, every incumbent they offer
is feasible in the original model, the optimum does not depend on them, a
seed fixes the run, and the LP is put back exactly after dives and the pump."""
import csv
from pathlib import Path

import numpy as np
import pytest
from helpers import assert_feasible, objective_of

from satmip import Model

DATA = Path(__file__).parent / "data" / "mip"
OFF = dict(randomized_rounding=False, fractional_diving=False, guided_diving=False, coefficient_diving=False,
           feasibility_pump=False)


def optimum(name):
    with open(DATA / "manifest.csv") as f:
        return {row["path"][: -len(".mps.gz")]: float(row["optimal_objective"]) for row in csv.DictReader(f)}[name]


def checked_solve(model: Model, **options):
    """solve() with every incumbent re-checked in Python as it arrives."""
    seen = []

    def on_incumbent(x, objective):
        assert_feasible(model, x)
        assert objective_of(model, x) == pytest.approx(objective, rel=1e-9, abs=1e-9)
        seen.append(objective)

    r = model.solve(on_incumbent=on_incumbent, **options)
    if r.x.size:
        assert_feasible(model, r.x)
        assert seen and seen[-1] == pytest.approx(r.objective, rel=1e-12, abs=1e-12)
    return r


def assert_valid_solution(name, model, r):
    assert r.x.size
    assert_feasible(model, r.x)
    best = optimum(name)
    assert r.objective >= best - 1e-6 * max(1.0, abs(best))   # all these instances minimise


# ---------------------------------------------------------------- each heuristic on its own
# At the root only (node_limit=1), with the other heuristics off: simple and
# nearest rounding find nothing on these, the heuristic does.
PUMP = [("p0282", True), ("rgn", True), ("p0201", True), ("lseu", True), ("p0033", False),
        ("lseu", False)]


@pytest.mark.parametrize("name,cuts", PUMP)
def test_feasibility_pump_alone_finds_an_incumbent(name, cuts):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    none = model.solve(node_limit=1, cuts=cuts, **OFF)
    assert none.x.size == 0
    r = checked_solve(model, node_limit=1, cuts=cuts, **{**OFF, "feasibility_pump": True})
    assert_valid_solution(name, model, r)
    assert r.times["heuristics"] > 0


FRACTIONAL = [("gt2", True), ("p0282", True), ("rgn", True), ("dcmulti", True), ("lseu", False), ("misc03", False)]


@pytest.mark.parametrize("name,cuts", FRACTIONAL)
def test_fractional_diving_alone_finds_an_incumbent(name, cuts):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    assert model.solve(node_limit=1, cuts=cuts, **OFF).x.size == 0
    r = checked_solve(model, node_limit=1, cuts=cuts, **{**OFF, "fractional_diving": True})
    assert_valid_solution(name, model, r)


COEFFICIENT = [("lseu", True), ("lseu", False), ("p0201", True), ("p0282", False), ("dcmulti", False), ("gt2", True)]


@pytest.mark.parametrize("name,cuts", COEFFICIENT)
def test_coefficient_diving_alone_finds_an_incumbent(name, cuts):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    assert model.solve(node_limit=1, cuts=cuts, **OFF).x.size == 0
    r = checked_solve(model, node_limit=1, cuts=cuts, **{**OFF, "coefficient_diving": True})
    assert_valid_solution(name, model, r)


@pytest.mark.parametrize("name", ["egout", "p0282", "rgn", "dcmulti", "gt2"])
def test_guided_diving_improves_a_start_solution(name):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    first = []
    # The first incumbent of a plain search (no propagation: no conflicts learned either) is the start.
    model.solve(node_limit=200, cuts=False, heuristics=False, propagation=False,
                on_incumbent=lambda x, o: first.append((o, x.copy())))
    start_objective, start = first[0]
    # Without cuts: with them some root LPs are integral already.
    kept = model.solve(node_limit=1, start=start, cuts=False, **OFF)
    assert kept.start_accepted and kept.objective == pytest.approx(start_objective)
    r = checked_solve(model, node_limit=1, start=start, cuts=False, **{**OFF, "guided_diving": True})
    assert r.start_accepted
    assert r.objective < start_objective - 1e-6
    assert_valid_solution(name, model, r)


def odd_cycle_cover():
    """max x1 + x2 + x3 with pairwise x_i + x_j <= 1 and x1 + x2 + x3 >= 1: the LP
    point is (1/2, 1/2, 1/2); nearest rounding gives (1, 1, 1), and every column
    is locked both ways, so only a randomised rounding (one column up) is feasible."""
    A = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 1]], float)
    return Model.from_arrays(c=[1, 1, 1], A=A, row_lower=[-np.inf] * 3 + [1], row_upper=[1, 1, 1, np.inf],
                             col_lower=[0] * 3, col_upper=[1] * 3, integrality=[1, 1, 1], sense=-1)


def test_randomized_rounding_alone_finds_an_incumbent():
    model = odd_cycle_cover()
    plain = dict(node_limit=1, cuts=False, presolve=False)
    assert model.solve_lp().x == pytest.approx([0.5, 0.5, 0.5])
    assert model.solve(**plain, **OFF).x.size == 0
    r = checked_solve(model, **plain, **{**OFF, "randomized_rounding": True})
    assert r.objective == pytest.approx(1.0)
    assert sorted(r.x) == pytest.approx([0, 0, 1])
    # Under the master switch like the others.
    assert model.solve(**plain, **{**OFF, "randomized_rounding": True}, heuristics=False).x.size == 0


# ---------------------------------------------------------------- optimum, feasibility, determinism
OPTIMUM = ["p0033", "flugpl", "egout", "enigma", "gt2", "lseu", "p0282", "rgn", "stein27", "p0201", "misc03",
           "dcmulti", "vpm1"]


@pytest.mark.parametrize("switches", [dict(dive_interval=5), dict(heuristics=False),
                                      dict(guided_diving=False, feasibility_pump=False, randomized_rounding=False, coefficient_diving=False,
                                           dive_interval=0)],
                         ids=["frequent-dives", "no-heuristics", "old-heuristics"])
@pytest.mark.parametrize("name", OPTIMUM)
def test_optimum_does_not_depend_on_heuristics(name, switches):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    r = checked_solve(model, gap=0, time_limit=60, **switches)
    assert r.status == "optimal"
    assert r.objective == pytest.approx(optimum(name), rel=1e-6, abs=1e-6)
    if switches.get("heuristics") is False:
        assert r.times["heuristics"] == 0


@pytest.mark.parametrize("name", ["p0201", "misc03", "egout"])
def test_same_seed_same_run(name):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    runs = []
    for _ in range(2):
        incumbents = []
        r = model.solve(gap=0, time_limit=60, seed=7, dive_interval=5,
                        on_incumbent=lambda x, o: incumbents.append(o))
        runs.append((r, incumbents))
    (a, ia), (b, ib) = runs
    assert a.status == b.status == "optimal"
    assert ia == ib
    assert (a.objective, a.nodes, a.lp_iterations) == (b.objective, b.nodes, b.lp_iterations)
    assert np.array_equal(a.x, b.x)


# ---------------------------------------------------------------- the LP put back exactly
def parity_model(n=9):
    """min sum (j+1) x_j with 6.5 <= sum 2 x_j <= 7.5, x binary: infeasible (parity;
    a range, not an equality, which the propagator's divisibility test would settle
    at the root), so no heuristic finds anything, and with distinct costs every node
    LP has a unique optimum: the tree depends only on the LP each node is given, not
    on the simplex path."""
    A = np.full((1, n), 2.0)
    return Model.from_arrays(c=np.arange(1, n + 1, dtype=float), A=A, row_lower=[6.5], row_upper=[7.5],
                             col_lower=np.zeros(n), col_upper=np.ones(n), integrality=np.ones(n, bool))


def test_heuristics_that_find_nothing_leave_the_tree_unchanged():
    model = parity_model()

    def tree(**options):
        nodes = []
        r = model.solve(branching="most_fractional", presolve=False, cuts=False, node_limit=400, dive_interval=3,
                        on_node=lambda f: nodes.append((f["depth"], f["node_bound"], f["open_nodes"])), **options)
        return r, nodes

    base, base_nodes = tree(heuristics=False)
    assert base.status == "infeasible" and len(base_nodes) > 10
    # Root dive, pump (no incumbent), tree dives every 3 nodes, randomised rounding.
    r, nodes = tree()
    assert r.status == "infeasible"
    assert r.times["heuristics"] > 0 and r.lp_iterations > base.lp_iterations
    assert nodes == base_nodes
    assert r.nodes == base.nodes
