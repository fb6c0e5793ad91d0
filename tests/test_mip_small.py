"""Tiny MILPs that once had wrong optima or searches that never ended (issue 11):
points must satisfy the caller's rows within 1e-6 absolute, infeasibility that
only integrality shows (parity, fractional coefficients) is proved at the root,
and unbounded integer columns do not keep the search going."""
from pathlib import Path

import numpy as np
import pytest

from satmip import Model

inf = np.inf
DATA = Path(__file__).resolve().parent / "data"


def max_violation(model: Model, x) -> float:
    """Largest absolute violation of a bound, row or integrality by x."""
    d = model.data
    x = np.asarray(x, dtype=float)
    A = np.zeros((model.num_rows, model.num_cols))
    for j in range(model.num_cols):
        A[d.A_index[d.A_start[j]:d.A_start[j + 1]], j] = d.A_value[d.A_start[j]:d.A_start[j + 1]]
    activity = A @ x
    integer = np.asarray(d.integer, dtype=bool)
    return max(0.0, *(np.asarray(d.row_lower) - activity), *(activity - np.asarray(d.row_upper)),
               *(np.asarray(d.col_lower) - x), *(x - np.asarray(d.col_upper)),
               *np.abs(x[integer] - np.round(x[integer])))


def row_breaking_model() -> Model:
    """Once 'optimal' at -173.054 with a point 8.1e-5 off row 2 (bound -149: 5.4e-7 relative)."""
    c = [0, -1, 0, 2.893, -2.608, 0.848, 1.019, 1.233, 0, -2.243, 0]
    A = [[0, 0, 0, 0, 3.681, 0, 0, 0, -1, 0, -8], [3.391, -1.029, 0, 0, 9, 0, 0, -4.983, 5, 0, -2.188],
         [4.179, -4.097, -9, -5, -1.688, -4, -7, 0, 0, -2, 9], [-4, -0.411, 4.952, 0, 7, 0, -3.995, 0, 0, 0.383, -0.676],
         [0, 0, 0, 0, 0, -2, 0, 0, 0, 4.201, -9], [-8, 6, -3, 0, -3.078, 0, 0, -9, 0, 2, 4],
         [3, 0, 0, -6, 3.067, -3.81, 0, 2.825, 0, -0.742, 0]]
    return Model.from_arrays(c, A, [-inf, -inf, -149, 29, 99, -17, -inf], [64, -16, -149, 29, 99, inf, inf],
                             [-inf, -inf, -1, 0, -9, 0, -inf, 0, -6, -inf, -inf], [6, inf, 6, 1, 1, 15, inf, inf, 9, inf, 6],
                             [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1])


def test_no_point_that_breaks_a_row_beyond_the_tolerance():
    model = row_breaking_model()
    found = []
    # Without cuts the old check accepted the -173.054 point after 26,186 nodes.
    r = model.solve(gap=0, node_limit=30000, cuts=False, on_incumbent=lambda x, v: found.append(np.array(x)))
    for x in found + ([r.x] if len(r.x) else []):
        assert max_violation(model, x) <= 1e-6
    if r.status == "optimal":
        assert r.objective > -173.05


def test_a_point_off_a_row_by_8e_5_is_no_solution():
    # The point once returned as optimal: row 2 (bound -149) missed by 8.1e-5, within
    # 1e-6 only relative to the bound; offered as a start it must be refused.
    model = row_breaking_model()
    point = [0, 88, -1, 0, -9, 1, -30.83588274303134, 0, -6, 34.75363012282937, 5]
    assert max_violation(model, point) == pytest.approx(8.1e-5, rel=0.01)
    r = model.solve(start=point, node_limit=1)
    assert not r.start_accepted
    assert len(r.x) == 0 or max_violation(model, r.x) <= 1e-6


def integer_equality_model() -> Model:
    """All columns integer, row 0 an equality with fractional coefficients (HiGHS: optimal, -117.522)."""
    c = [-0.433, 0, -8, 0, 2, 2.339, 0, -2.025, -2.075, 2.807, 3]
    A = [[0, 0, 0, 0, 0, 0, -4.581, 0, 9, 1, 3.592], [2, 6, -0.855, -3, 4.486, -2, 1.32, -3.372, -2, -3.009, -4],
         [-3.764, -3.274, -8, 8, 0, 0, -3, 0, 0, -2, 0.793], [-9, 0, 0, 0, -4, 0, 0, 0, 0, 8, 0],
         [4.944, -3.187, 0.004, 1, -0.61, 2.73, 4.263, 0, 0, 1.813, 0], [0, 1, 0, 0, 0, 0, 0, 0, 0, -7, 0],
         [3.463, 0, 0, 0, -1.679, 0, 4.907, 0, 0, 4.106, 0], [0, -6, -7, 0, 0, 0, 0, 1, 0, 0, 0]]
    return Model.from_arrays(c, A, [3, -92, 30, -inf, 31, -inf, -16, 20], [3, -88, 49, 32, 41, inf, inf, inf],
                             [0, -3, -inf, 0, -inf, -inf, 0, 0, -inf, 0, -inf], [14, -3, 8, 15, inf, 6, 16, 2, 1, inf, inf],
                             np.ones(11, bool))


@pytest.mark.parametrize("options", [{}, dict(presolve=False), dict(branching="reliability")])
def test_integer_equality_with_fractional_coefficients_is_solved(options):
    model = integer_equality_model()
    r = model.solve(gap=0, node_limit=100000, **options)
    assert r.status == "optimal" and r.objective == pytest.approx(-117.522, abs=1e-6)
    assert max_violation(model, r.x) <= 1e-6


@pytest.mark.parametrize("options", [{}, dict(presolve=False), dict(cuts=False, heuristics=False)])
def test_parity_of_an_equality_row_proves_infeasibility_at_the_root(options):
    # 2x + 2y = 1 over free integers: every LP point is fractional, no branching ends it.
    model = Model.from_arrays([1, -1], [[2, 2]], [1], [1], [-inf, -inf], [inf, inf], [1, 1])
    r = model.solve(node_limit=1000, **options)
    assert r.status == "infeasible" and r.nodes <= 1


@pytest.mark.parametrize("options", [{}, dict(presolve=False)])
def test_fractional_coefficients_without_an_integer_point(options):
    # 4.876 x + 9.752 y - 4.876 z = 7 over free integers: 4876 (x + 2y - z) = 7000 has no solution.
    model = Model.from_arrays([0, 0, 1], [[4.876, 9.752, -4.876]], [7], [7], [-inf, -inf, -inf], [inf, inf, inf],
                              [1, 1, 1])
    r = model.solve(node_limit=1000, **options)
    assert r.status == "infeasible" and r.nodes <= 1
    # 4.876 x + 2 y = 7: 4876 x + 2000 y = 7000 has integer points (gcd 4), e.g. x = 250, y = -606.
    model = Model.from_arrays([1, 0], [[4.876, 2]], [7], [7], [0, -inf], [inf, inf], [1, 1])
    r = model.solve(gap=0, node_limit=10000, **options)
    best = min(x for x in range(2000) if (7000 - 4876 * x) % 2000 == 0)
    assert r.status == "optimal" and r.objective == best and max_violation(model, r.x) <= 1e-6


def test_divisibility_leaves_rows_with_a_continuous_column_alone():
    # 2x + 2y + z = 1 with z continuous in [0, 1]: z = 1 - 2(x + y), e.g. x = y = 0, z = 1.
    model = Model.from_arrays([0, 0, -1], [[2, 2, 1]], [1], [1], [-inf, -inf, 0], [inf, inf, 1], [1, 1, 0])
    r = model.solve(gap=0, node_limit=1000)
    assert r.status == "optimal" and r.objective == pytest.approx(-1)


def test_divisibility_follows_fixed_columns():
    # 2x + 2y + 3w = 4 with w fixed at 1 by its bounds: 2x + 2y = 1 remains (the fixed part moves the rest).
    model = Model.from_arrays([0, 0, 0], [[2, 2, 3]], [4], [4], [-inf, -inf, 1], [inf, inf, 1], [1, 1, 1])
    r = model.solve(node_limit=1000, presolve=False)
    assert r.status == "infeasible" and r.nodes <= 1


@pytest.mark.parametrize("options", [{}, dict(presolve=False), dict(branching="reliability")])
def test_a_bounded_column_is_split_when_unbounded_ones_walk_off(options):
    # 4.876 x + 9.752 y - 3 z = 7, x and y free, z in [0, upper]: 4876 (x + 2y) = 7000 + 3000 z
    # needs z = 404 (mod 1219). The LP keeps z integral and x, y fractional, so branching on x
    # and y alone never ends; split on z, each z fixed lets divisibility settle x and y.
    for upper, status in ((50, "infeasible"), (2000, "optimal")):
        model = Model.from_arrays([0, 0, 1], [[4.876, 9.752, -3]], [7], [7], [-inf, -inf, 0], [inf, inf, upper],
                                  [1, 1, 1])
        r = model.solve(gap=0, node_limit=100000, **options)
        assert r.status == status
        if status == "optimal":
            assert r.objective == 404 and max_violation(model, r.x) <= 1e-6


@pytest.mark.parametrize("options", [dict(cuts=False), dict(presolve=False, cuts=False)])   # Gomory cuts close it too
def test_an_equality_row_puts_a_column_in_its_residue_class(options):
    # 7.885 x + 2 y + 4 z = 25 over integers, x <= -3, y free, z in [0, 1]: 1577 x + 400 y
    # + 800 z = 5000 needs 1577 x = 5000 (mod 400), one x in 400; max x. Bound propagation
    # moves x by a step or two and stops (z's range absorbs the rest); branching alone
    # walks off; the class settles it at once.
    model = Model.from_arrays([-1, 0, 0], [[7.885, 2, 4]], [25], [25], [-inf, -inf, 0], [-3, inf, 1], [1, 1, 1])
    best = max(x for x in range(-403, -2) if (5000 - 1577 * x) % 400 == 0)
    r = model.solve(gap=0, node_limit=10000, **options)
    assert r.status == "optimal" and r.x[0] == best and max_violation(model, r.x) <= 1e-6
    assert r.nodes <= 1


@pytest.mark.parametrize("options", [{}, dict(branching="reliability", node_selection="best_estimate"),
                                     dict(presolve=False)])
def test_the_returned_point_has_exact_integers_and_its_own_objective(options):
    # The large cross-check's seed 20006 (tests/data/crosscheck): the search's point had a
    # binary at 1.8e-7 (within the integrality tolerance) that let row 12 give the two
    # continuous columns slack, -1.5859583 against HiGHS's -1.5859541; rounded alone it
    # breaks row 12 by 7e-6. An answer better than the optimum is a wrong answer.
    model = Model.from_mps(DATA / "crosscheck" / "large_20006.mps")
    found = []
    r = model.solve(gap=0, on_incumbent=lambda x, v: found.append((np.array(x), v)), **options)
    assert r.status == "optimal" and r.objective == pytest.approx(-1.5859541254195073, rel=1e-7, abs=0)
    integer = np.asarray(model.data.integer, dtype=bool)
    assert np.array_equal(r.x[integer], np.round(r.x[integer]))
    assert max_violation(model, r.x) <= 1e-6
    assert r.objective == pytest.approx(float(np.dot(model.data.cost, r.x)), rel=1e-12, abs=1e-12)
    assert np.array_equal(found[-1][0], r.x) and found[-1][1] == r.objective   # the last one reported is the result


@pytest.mark.parametrize("options", [{}, dict(presolve=False)])
def test_narrow_columns_meet_the_residue_the_wide_ones_leave(options):
    # 1.906 x + b y + 2 z + w = 7, x in [0, 8], y in [-10, -1], z free, w >= 0: modulo
    # gcd(2000, 1000) = 1000, 906 x + (1000 b - 1000) y = 0 must hold, a question about
    # 90 pairs that the root answers by trying them (the small cross-check's seed 101581:
    # the tree never ended). b = 1.511: no pair; b = 1.506: x = 5, y = -5 only.
    found = lambda b: Model.from_arrays([0, -1, 0, 1], [[1.906, b, 2, 1]], [7], [7], [0, -10, -inf, 0],
                                        [8, -1, inf, inf], [1, 1, 1, 1])
    r = found(1.511).solve(gap=0, node_limit=10000, **options)
    assert r.status == "infeasible" and r.nodes <= 1
    model = found(1.506)
    r = model.solve(gap=0, node_limit=10000, **options)
    assert r.status == "optimal" and r.nodes <= 1 and list(r.x) == [5, -5, 2, 1] and r.objective == 6
    assert max_violation(model, r.x) <= 1e-6


def test_an_integer_equation_through_a_fixed_continuous_column_ends_the_feasibility_search():
    # The small cross-check's seed 100588: x1 makes the relaxation unbounded, so presolve
    # stops at dual fixing and the search without objective decides feasibility. Row 6
    # fixes x4 = 10 / 4.333, and rows 5 and 6 combine into 2 x0 - 4 x5 = 7.798 over
    # integers, which the root refuses (before: a search without end on x0 free, x5 <= -5).
    A = [[0, 0, 0.13, 9.193, 6, 0], [-5, 0, 0, 0, -6, 0], [0, 0, -8.359, -4.299, 0, 0], [0, -5, 0, 0, 0, 0],
         [0, 0, 0, 0, 0, 0], [2, 0, 0, 0, 3.987, -4], [0, 0, 0, 0, -4.333, 0], [7.357, -8, 3.841, 0, 0, 0]]
    model = Model.from_arrays([2.043, -2.717, 0, 0, -2.675, 0], A, [-inf, -inf, -10, -inf, -inf, 17, -10, -inf],
                              [22, inf, -4, inf, 0, 17, -10, 94], [-inf, 0, -inf, 0, -5, -inf], [inf, inf, 6, 2, 5, -5],
                              [1, 0, 0, 0, 0, 1])
    r = model.solve(gap=0, node_limit=10000)
    assert r.status == "infeasible" and r.nodes <= 2


@pytest.mark.parametrize("options", [{}, dict(presolve=False)])
def test_equality_rows_combine_into_an_integer_equation(options):
    # x + 2y + 3.5z = b + 0.2 and x - 2w = 0.2, x continuous and free: their difference
    # 2y + 3.5z + 2w = b has integer columns only. b = 0.3: no integer point (the LP
    # never says so, branching never ends; the small cross-check's seed 103341 in four
    # rows); b = 3.5: z = 1 (mod 4), so min z over [-5, 5] is -3.
    model = lambda b: Model.from_arrays([0, 0, 1, 0], [[1, 2, 3.5, 0], [1, 0, 0, -2]], [b + 0.2, 0.2], [b + 0.2, 0.2],
                                        [-inf, -inf, -5, -inf], [inf, inf, 5, inf], [0, 1, 1, 1])
    r = model(0.3).solve(gap=0, node_limit=20000, **options)
    assert r.status == "infeasible" and r.nodes <= 1
    r = model(3.5).solve(gap=0, node_limit=20000, **options)
    assert r.status == "optimal" and r.objective == -3 and max_violation(model(3.5), r.x) <= 1e-6


def test_the_feasibility_search_first_tries_the_callers_settings():
    # The small cross-check's seed 109735: an unbounded relaxation, so feasibility decides
    # "unbounded". Most-fractional branching without cuts (the feasibility search's own
    # settings) finds no point in 2 s; the default settings find one in 19 nodes.
    A = [[0, -4.356, -5.399, 0, -6, 0, 5, 0, -4.522, -2.354], [0, 0, 0, 0, 0, 7.408, 0, 0, 0, -4.021],
         [8, 7, 0, 0, -5.079, 0, 6.523, 0, 0, 0], [-0.275, 9.355, 0, -9, 0, 0, 0, 0, -1, 6.393]]
    model = Model.from_arrays([8, 0, -6, 7, -3, -6, 7, 0, 0, 0], A, [-116.727, -128.472, -inf, -18.696],
                              [-116.727, -128.472, -73.892, -18.696], [-inf, -inf, -inf, 2, -inf, -inf, 3, 0, 5, 0],
                              [-9, inf, inf, inf, inf, -6, 9, 3, 5, 12], np.ones(10, bool))
    r = model.solve(gap=0, node_limit=5000)
    assert r.status == "unbounded"


@pytest.mark.parametrize("options", [{}, dict(presolve=False)])
def test_equality_rows_together_leave_no_integer_point(options):
    # x - 3a = 1 and x - 6b = 2, all columns free: each row alone has integer points
    # (gcd 1), together x = 1 (mod 3) and x = 2 (mod 3). Neither the LP nor branching
    # on free columns ever shows it (a search without end); the lattice of the two
    # rows does at the root.
    model = Model.from_arrays([1, 0, 0], [[1, -3, 0], [1, 0, -6]], [1, 2], [1, 2], [-inf] * 3, [inf] * 3, [1, 1, 1])
    r = model.solve(gap=0, node_limit=2000, **options)
    assert r.status == "infeasible" and r.nodes <= 1


@pytest.mark.parametrize("options", [{}, dict(presolve=False)])
def test_equality_rows_together_put_a_column_in_its_residue_class(options):
    # x - 3a = 1 and x - 5b + 2c = 2 with c = 0 (mod 10 through the third row):
    # x = 7 (mod 15), so max x over x <= 20 is 7; the root's LP sees it at once.
    A = [[1, -3, 0, 0, 0], [1, 0, -5, 2, 0], [0, 0, 0, 1, -10]]
    model = Model.from_arrays([-1, 0, 0, 0, 0], A, [1, 2, 0], [1, 2, 0], [-inf] * 5, [20] + [inf] * 4, np.ones(5, bool))
    r = model.solve(gap=0, node_limit=2000, **options)
    assert r.status == "optimal" and r.objective == -7 and r.nodes <= 1
    assert max_violation(model, r.x) <= 1e-6


@pytest.mark.parametrize("options", [{}, dict(branching="reliability", node_selection="best_estimate")])
def test_an_unbounded_model_whose_points_lie_on_a_sparse_lattice(options):
    # The small cross-check's seed 107337: the relaxation is unbounded along x4 -> -inf,
    # so the MILP is unbounded if it has a point; rows 0, 1 and 3 admit integer points
    # only with x4 in one class modulo thousands once x0, x3 and x5 are fixed (HiGHS's
    # point has x4 = -3084). Before the rows' lattice the search found none in 5 s.
    A = [[3, 0, 9, 0, -8, 0, 0], [-9, 0, 0, -1, -1, 0, -6], [-9, -1.928, 8, -2, 7, 0, 0],
         [-4.596, -3, 5.315, 9, -9.128, -2, 0]]
    model = Model.from_arrays([0, 0, 0, 0, 5, -4, -4], A, [105, -57, -inf, 48], [105, -57, 56, 48],
                              [0, -inf, -inf, 0, -inf, 4, -inf], [11, inf, 13, 5, 12, 12, inf], np.ones(7, bool))
    r = model.solve(gap=0, node_limit=2000, **options)
    assert r.status == "unbounded" and r.nodes <= 100


@pytest.mark.parametrize("options", [{}, dict(branching="reliability", node_selection="best_estimate")])
def test_a_dive_along_an_unbounded_column_is_stopped_by_the_rows_lattice(options):
    # The small cross-check's seed 100777 (optimum -33): without an incumbent the default
    # search dived along x2 <= -5 with node bounds growing to 1e8 (the root's: -126), a
    # time limit after 9,436 nodes. The two equality rows together leave each column one
    # residue class (fixing the narrow ones fixes the rest): 158 nodes.
    A = [[0, -1, 5.225, -5, 0, 2, 0, 2], [9.379, 9, 0, 0, 0, -4, -3.959, -8], [-2, 0, 0, 0, 4, -5, -7.931, -7.71]]
    model = Model.from_arrays([0, 0, 0, 0, -3, 9, 0, 0], A, [-54.599999999999994, -inf, 45.59400000000001],
                              [-54.599999999999994, -44, 45.59400000000001], [0, -5, -inf, -inf, -1, -10, -inf, -inf],
                              [4, inf, -5, -3, 14, inf, inf, 12], np.ones(8, bool))
    r = model.solve(gap=0, node_limit=3000, **options)
    assert r.status == "optimal" and r.objective == pytest.approx(-33) and max_violation(model, r.x) <= 1e-6


def _seed_108776():
    """The small cross-check's seed 108776: an unbounded relaxation whose integer point
    decides "unbounded" (HiGHS: unbounded)."""
    A = [[0, 0, 0, 0, 0, 0, 4, 0, 8.806, 0], [1, 0, 0, 0, 9, 0, 0, -6.089, -1.828, 0],
         [0, 3.254, -1, -2, -2.435, 0, 6, 0, 0, 0], [0, 0, 0, 0, -2, 0, 0, 0, 0, 0],
         [0, 0, 0.383, 0, 0, 0, 4.274, 0, 0, -8], [-7.353, 6.199, 0, 0, 0, 1, 1, 0, 0, 0],
         [6.491, 0, 0, 0, 0, 9, 4.499, 4, 0, 5]]
    return Model.from_arrays([-0.529, 0, 0, -0.107, -2.829, 0.932, -0.179, 0.517, 0.633, -1.247], A,
                             [145, -77, 26, -2, -inf, -inf, -79], [145, -77, inf, -2, inf, 48, -79],
                             [-inf, 0, -inf, 7, 1, -inf, -inf, -inf, -inf, -inf], [inf, 8, inf, 9, 9, -7, inf, inf, inf, 5],
                             [0, 1, 0, 1, 0, 1, 1, 1, 0, 1])


def test_the_feasibility_search_keeps_the_cuts():
    # The small cross-check's seed 108776: an unbounded relaxation, so a point decides
    # "unbounded". The search without objective found it after 379,031 nodes without
    # cuts; the root's cuts carry the rows' integrality into the tree (30,522 nodes, and
    # 61,522 in all with the tries without cuts before).
    model = _seed_108776()
    r = model.solve(gap=0, node_limit=100000)
    assert r.status == "unbounded"


def test_the_feasibility_search_also_tries_without_cuts():
    # The small cross-check's seed 108789: one equality row over integers, an unbounded
    # relaxation. Without cuts a point turns up after 507 nodes; with the root's cuts
    # none did in 1.4 million: the tries alternate, each with twice the nodes.
    model = Model.from_arrays([6, 4, -1, -8, 0, 1, 0, -9, -6, 3], [[-1.847, -2, 0, 2.359, 0, -3, 2.425, 9, 1, -4]],
                              [50], [50], [-5, 4, -inf, -inf, -inf, -inf, -inf, -1, -inf, 3],
                              [inf, 8, 14, -4, inf, -5, 3, 15, inf, inf], np.ones(10, bool))
    r = model.solve(gap=0, node_limit=20000)
    assert r.status == "unbounded" and r.nodes <= 5000


def seed_102073_model() -> Model:
    """The small cross-check's seed 102073: HiGHS finds a point and an unbounded ray; satmip's
    relaxation is unbounded, and a node LP of its feasibility search fails numerically."""
    d = dict(cost=[1.383, 2.484, 0, 2.493, 0, 0, 1.385, -1.333, -1.576, 0, 2.974],
             col_lower=[-inf, -inf, -inf, -inf, -inf, -inf, 0, -8, -inf, -9, 0],
             col_upper=[-4, inf, -3, -3, inf, 6, 11, 5, inf, inf, 8],
             row_lower=[89, 3, 32, 143, -90, -61, 158], row_upper=[inf, 3, inf, 143, -86, -61, 158],
             integer=[0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1],
             start=[0, 4, 6, 10, 15, 17, 21, 25, 27, 31, 37, 39],
             index=[1, 2, 4, 6, 3, 6, 0, 3, 4, 6, 0, 1, 2, 5, 6, 3, 4, 1, 2, 4, 5, 0, 1, 2, 4, 1, 3, 0, 2, 5, 6,
                    1, 2, 3, 4, 5, 6, 4, 5],
             value=[4, -8, -5, -9, -2, 1, -7.476, -8, 8.094, -6.603, -4, 3, -5, 2, 6, 6.925, -5, -2, 4, 3, 6.071,
                    -7, -9, -6.038, 9.397, -9, -6, -7, -7, -4, -2, 6, -2, -4.273, 5.647, -1, 1, 1.208, 3])
    return Model.from_arrays(d["cost"], (d["start"], d["index"], d["value"]), d["row_lower"], d["row_upper"],
                             d["col_lower"], d["col_upper"],
                             d["integer"])


def test_a_node_lp_that_fails_does_not_end_the_search():
    # Seed 102073: after 93,631 nodes a node LP of the feasibility search failed numerically
    # (after its retries) and the whole search ended in "error". Such a node is now branched
    # without its LP (SCIP's pseudo-solution branching), and the search finds its point.
    r = seed_102073_model().solve(gap=0, time_limit=20)
    assert r.status == "unbounded" and r.message == ""


def knapsack_model(with_continuous: bool, upper: float = 3) -> Model:
    """Two knapsack rows over 8 integer columns in [0, upper]; with_continuous adds y <= x0 + 0.5
    (cost -1, y in [0, 10]). Optimum -76 (pure), -76.5 (with y)."""
    cost = [-12, -12, -16, -19, -5, -7, -17, -19]
    rows = [[5, 6, 13, 8, 6, 12, 6, 7], [10, 9, 4, 3, 13, 12, 13, 9]]
    row_upper, col_upper, integer = [30, 41], [upper] * 8, [True] * 8
    if with_continuous:
        cost, rows = cost + [-1], [r + [0] for r in rows] + [[-1] + [0] * 7 + [1]]
        row_upper, col_upper, integer = row_upper + [0.5], col_upper + [10], integer + [False]
    n = len(cost)
    return Model.from_arrays(cost, rows, [-inf] * len(rows), row_upper, [0] * n, col_upper, integer)


# Every node LP below the root hits the iteration cap (0): the tree is branched without LPs.
FAILING_NODE_LPS = dict(gap=0, node_lp_iteration_limit=0, presolve=False, cuts=False, heuristics=False)


def test_nodes_whose_lp_fails_are_branched_without_it():
    r = knapsack_model(with_continuous=False).solve(**FAILING_NODE_LPS)
    assert r.status == "optimal" and r.objective == pytest.approx(-76) and r.failed_lp_nodes > 0
    assert knapsack_model(with_continuous=False).solve(gap=0).failed_lp_nodes == 0
    # Without propagation the columns' domains stay [0, inf): split at the last LP value.
    # (With every LP failing such a tree never ends: a cap of 1 lets some node LPs through.)
    r = knapsack_model(with_continuous=False, upper=inf).solve(**{**FAILING_NODE_LPS, "node_lp_iteration_limit": 1},
                                                               propagation=False, node_limit=20000)
    assert r.status == "optimal" and r.objective == pytest.approx(-76) and r.failed_lp_nodes > 0


def test_a_node_left_unsettled_by_a_failed_lp_is_no_proof():
    # With a continuous column a node whose integers are all fixed still needs its LP: when
    # that fails the node is unresolved, and the search may claim neither optimality (the
    # best point found is -74.5 or so, the optimum -76.5) nor infeasibility.
    for heuristics in (False, True):
        r = knapsack_model(with_continuous=True).solve(**{**FAILING_NODE_LPS, "heuristics": heuristics})
        assert r.status == "error" and "could not be settled" in r.message and "iteration_limit" in r.message
        assert r.dual_bound <= -76.5 and (np.isnan(r.objective) or r.objective >= -76.5)
    r = knapsack_model(with_continuous=True).solve(gap=0)
    assert r.status == "optimal" and r.objective == pytest.approx(-76.5) and r.message == ""


def test_an_undecided_search_says_why():
    # An unbounded relaxation (z = w free, cost -z) over 3 x0 + 5 x1 + 10 x2 + 6 x3 - y in
    # [21.9, 22.1], y in [0, 0.2]: points exist (HiGHS: unbounded), but with every node LP
    # failing the feasibility search cannot settle a node whose integers are all fixed.
    model = Model.from_arrays([0, 0, 0, 0, 0, -1, 0], [[3, 5, 10, 6, -1, 0, 0], [0, 0, 0, 0, 0, 1, -1]],
                              [21.9, 0], [22.1, 0], [0, 0, 0, 0, 0, -inf, -inf], [4, 4, 4, 4, 0.2, inf, inf],
                              [1, 1, 1, 1, 0, 0, 0])
    r = model.solve(**FAILING_NODE_LPS, time_limit=20)
    assert r.status == "error" and r.message.startswith("LP relaxation unbounded; integer feasibility undecided (")
    assert "could not be settled" in r.message and r.failed_lp_nodes > 0
    assert model.solve(gap=0).status == "unbounded"


def test_only_a_search_in_error_carries_a_message():
    r = Model.from_arrays([1, 1], [[1, 1]], [1], [inf], [0, 0], [inf, inf], [1, 1]).solve()
    assert r.status == "optimal" and r.message == ""


def test_the_command_line_prints_why_a_search_ended_in_error(tmp_path):
    import subprocess
    import sys
    path = tmp_path / "unsettled.mps"
    knapsack_model(with_continuous=True).write_mps(path)
    run = subprocess.run([sys.executable, "-m", "satmip", "solve", str(path), "--gap", "0", "--no-presolve",
                          "--no-cuts", "-O", "heuristics=false", "-O", "node_lp_iteration_limit=0"],
                         capture_output=True, text=True, timeout=120)
    assert "s UNKNOWN" in run.stdout.splitlines(), run.stdout + run.stderr   # no point found, no proof
    assert any(line.startswith("c error: ") and "could not be settled" in line for line in run.stdout.splitlines())


def test_infeasible_node_lps_teach_propagation():
    # The small cross-check's seed 106070: infeasible (a lattice argument over rows 0, 2
    # and 4 with half-bounded integers; HiGHS needs 1,792 nodes with conflict analysis).
    # The Farkas proofs of infeasible node LPs, handed to propagation as rows, end it in
    # 102 nodes with reliability branching; without them 61,018.
    A = [[-8, 6.94, -3.863, 0, 0, 0, 1.675, 7.472, 0, 3.275, 0, 0], [-3.975, 6, 7, 0, 0, 7.113, 0, 0, 0, 0.181, 0, 0],
         [0, 0, -6.68, 9, -3.851, 0, 9, 2, 0, 0, 0, 7.219], [9.426, 6, -7, 7.4, -8.727, 0, 6.102, 0, -8, 0, 7.549, 0],
         [-6.163, 0, 0, 0, 3, 0, -2.173, 0, -2.268, 0, 0, 0]]
    model = Model.from_arrays([-6, 0, 0, -2, 4, 8, 0, -3, 0, -3, 4, 4], A, [-inf, -inf, 23, 278, -55], [40, -177, 23, 278, -55],
                              [-2, -7, -inf, -inf, -inf, -inf, -inf, -4, 0, 1, -inf, -inf],
                              [3, 10, -7, -1, -4, inf, 11, -2, 12, 9, inf, -3], np.ones(12, bool))
    r = model.solve(gap=0, branching="reliability", node_selection="best_estimate", node_limit=5000)
    assert r.status == "infeasible"


def test_the_feasibility_search_learns_from_infeasible_node_lps():
    # Seed 108776: an unbounded relaxation with a point (unbounded); the feasibility search
    # found one after 61,522 nodes, with the node LPs' Farkas proofs in propagation 820.
    model = _seed_108776()
    r = model.solve(gap=0, node_limit=5000)
    assert r.status == "unbounded"
