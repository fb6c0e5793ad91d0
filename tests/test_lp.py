"""The LP engine (satmip._core.LpSolver / satmip.lp.solve_lp): Netlib objectives
against the manifest, KKT conditions after every solve, random LPs cross-checked
against highspy, Farkas and primal rays, warm starts."""
import csv
import gzip
from pathlib import Path

import numpy as np
import pytest
from helpers import highs_lp, highs_status_name, missing_shared, shared_benchmarks

import satmip
from satmip import _core
from satmip.lp import solve_lp, result_of

DATA = Path(__file__).parent / "data"
INF = float("inf")

highspy = pytest.importorskip("highspy")


# ---------------------------------------------------------------- helpers
def csc_dense(d):
    m, n = d["num_rows"], d["num_cols"]
    A = np.zeros((m, n))
    for j in range(n):
        for p in range(d["A_start"][j], d["A_start"][j + 1]):
            A[d["A_index"][p], j] += d["A_value"][p]
    return A


def dense_to_model(A, c, cl, cu, rl, ru, sense=1, offset=0.0):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    start, index, value = [0], [], []
    for j in range(n):
        rows = np.nonzero(A[:, j])[0]
        index.extend(rows.tolist())
        value.extend(A[rows, j].tolist())
        start.append(len(index))
    return {"sense": sense, "offset": offset, "cost": np.asarray(c, float),
            "col_lower": np.asarray(cl, float), "col_upper": np.asarray(cu, float),
            "row_lower": np.asarray(rl, float), "row_upper": np.asarray(ru, float),
            "A_start": np.asarray(start, np.int64), "A_index": np.asarray(index, np.int32),
            "A_value": np.asarray(value, float), "num_rows": m, "num_cols": n}


def check_kkt(d, s, tol=1e-6):
    """Primal feasibility, dual feasibility and complementary slackness of an
    optimal solve, in the unscaled model (tolerances relative to magnitudes)."""
    A = csc_dense(d)
    x, act, y, dj = s.x, s.row_activity, s.row_dual, s.reduced_cost
    cl, cu, rl, ru = d["col_lower"], d["col_upper"], d["row_lower"], d["row_upper"]
    c = np.asarray(d["cost"], float)
    sense = d.get("sense", 1)

    def ptol(v):
        return tol * (1 + np.abs(np.where(np.isfinite(v), v, 0)))

    assert np.all(x >= cl - ptol(cl)) and np.all(x <= cu + ptol(cu)), "column bounds violated"
    assert np.allclose(act, A @ x, rtol=1e-9, atol=1e-9)
    assert np.all(act >= rl - ptol(rl)) and np.all(act <= ru + ptol(ru)), "row bounds violated"
    # stationarity: c - A^T y = d
    scale = 1 + np.abs(c) + np.abs(A).T @ np.abs(y)
    assert np.all(np.abs(c - A.T @ y - dj) <= 1e-7 * scale), "c - A^T y != reduced cost"
    # dual feasibility + complementary slackness in minimisation form
    dmin, ymin = sense * dj, sense * y
    dtol = tol * (1 + np.abs(c))
    at_lo = np.abs(x - cl) <= ptol(cl)
    at_up = np.abs(x - cu) <= ptol(cu)
    assert np.all((dmin >= -dtol) | at_up), "reduced cost negative away from the upper bound"
    assert np.all((dmin <= dtol) | at_lo), "reduced cost positive away from the lower bound"
    rtol_ = tol * (1 + np.abs(A).sum(axis=1))
    r_lo = np.abs(act - rl) <= ptol(rl)
    r_up = np.abs(act - ru) <= ptol(ru)
    assert np.all((ymin <= rtol_) | r_lo), "positive row dual away from the row's lower bound"
    assert np.all((ymin >= -rtol_) | r_up), "negative row dual away from the row's upper bound"
    # objective
    assert s.objective == pytest.approx(d.get("offset", 0.0) + c @ x, rel=1e-9, abs=1e-9)


def check_farkas(d, ray, tol=1e-7):
    """y proves infeasibility: (y^T A) x over the column box cannot reach y^T r over the row box."""
    A = csc_dense(d)
    y = np.asarray(ray, float)
    assert y.shape == (A.shape[0],) and np.any(y != 0)
    z = A.T @ y
    z[np.abs(z) <= 1e-9 * (1 + np.abs(A).T @ np.abs(y))] = 0.0  # cancellation noise
    cl, cu, rl, ru = d["col_lower"], d["col_upper"], d["row_lower"], d["row_upper"]

    def box_max(w, lo, up):
        with np.errstate(invalid="ignore"):
            vals = np.where(w > 0, w * up, np.where(w < 0, w * lo, 0.0))
        return np.sum(np.nan_to_num(vals, nan=0.0, posinf=np.inf, neginf=-np.inf))

    # y^T A x = y^T s with s = Ax in the row box:  max_x z.x < min_s y.s  or  min_x z.x > max_s y.s
    max_zx, min_zx = box_max(z, cl, cu), -box_max(-z, cl, cu)
    max_ys, min_ys = box_max(y, rl, ru), -box_max(-y, rl, ru)
    size = 1 + np.abs(y).sum()
    assert max_zx < min_ys - tol * size or min_zx > max_ys + tol * size, "not a Farkas certificate"


def check_primal_ray(d, ray, tol=1e-7):
    A = csc_dense(d)
    r = np.asarray(ray, float)
    c = d.get("sense", 1) * np.asarray(d["cost"], float)
    assert c @ r < -tol, "the ray does not improve the objective"
    Ar = A @ r
    size = 1 + np.abs(r).sum()
    rl, ru, cl, cu = d["row_lower"], d["row_upper"], d["col_lower"], d["col_upper"]
    assert np.all((Ar <= tol * size) | ~np.isfinite(ru))
    assert np.all((Ar >= -tol * size) | ~np.isfinite(rl))
    assert np.all((r <= tol * size) | ~np.isfinite(cu))
    assert np.all((r >= -tol * size) | ~np.isfinite(cl))


def highs_solve(d):
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "off")
    h.setOptionValue("threads", 1)
    lp = highs_lp(d, with_integrality=False)
    h.passModel(lp)
    h.run()
    info = h.getInfo()
    return highs_status_name(h.getModelStatus()), info.objective_function_value, info.simplex_iteration_count


def same_status(ours, theirs):
    if theirs == str(highspy.HighsModelStatus.kUnknown):
        return ours in ("infeasible", "unbounded")  # HiGHS gave up; solve_checked verified our certificate
    if theirs == "unbounded_or_infeasible":
        return ours in ("unbounded", "infeasible")
    return ours == theirs


def solve_checked(d, **options):
    s = _core.LpSolver(d, **options)
    st = s.solve()
    if st == "optimal":
        check_kkt(d, s)
    elif st == "infeasible":
        check_farkas(d, s.dual_ray)
    elif st == "unbounded":
        check_primal_ray(d, s.primal_ray)
    return s


# ---------------------------------------------------------------- Netlib
def manifest_rows():
    rows = []
    for folder in ("lp", "mip"):
        with open(DATA / folder / "manifest.csv") as f:
            for row in csv.DictReader(f):
                if folder == "mip" and row["nints"] != "0":
                    continue
                rows.append((folder, row["path"], float(row["optimal_objective"])))
    return rows


@pytest.mark.parametrize("folder,name,optimum", manifest_rows(), ids=lambda v: str(v))
def test_netlib_objective_and_kkt(folder, name, optimum):
    d = satmip.read_mps(DATA / folder / name).to_dict()
    s = solve_checked(d)
    assert s.status == "optimal"
    assert s.objective == pytest.approx(optimum, rel=1e-6, abs=1e-9)
    assert s.iterations > 0 and s.time >= 0


def shared_lp_rows():
    """Every Netlib LP of the shared dev set (all 50), when the shared folder is there."""
    manifest = shared_benchmarks("lp") / "manifest.csv"
    if not manifest.exists():
        return []
    with open(manifest) as f:
        return [(str(manifest.parent / row["path"]), float(row["optimal_objective"]))
                for row in csv.DictReader(f)]


@pytest.mark.skipif(not shared_lp_rows(), reason=missing_shared(shared_benchmarks("lp") / "manifest.csv"))
def test_every_shared_netlib_lp_optimal_with_kkt():
    for path, optimum in shared_lp_rows():
        d = satmip.read_mps(path).to_dict()
        s = solve_checked(d)
        assert s.status == "optimal", path
        assert s.objective == pytest.approx(optimum, rel=1e-6, abs=1e-9), path


def test_solve_lp_function_and_result():
    r = solve_lp(DATA / "lp" / "afiro.mps.gz")
    assert r.optimal and r.objective == pytest.approx(-464.75314285714285, rel=1e-9)
    assert r.x.shape == (32,) and r.row_dual.shape == (27,) and r.reduced_cost.shape == (32,)
    assert r.col_basis.dtype == np.int8 and (np.sum(r.col_basis == 0) + np.sum(r.row_basis == 0)) == 27
    r2 = solve_lp(satmip.read_mps(DATA / "lp" / "afiro.mps.gz"), iteration_limit=3)
    assert r2.status == "iteration_limit" and r2.iterations <= 3
    with pytest.raises(TypeError):
        solve_lp(DATA / "lp" / "afiro.mps.gz", no_such_option=1)
    with pytest.raises(ValueError):
        solve_lp(DATA / "lp" / "afiro.mps.gz", presolve="on")


def test_maximise_and_offset_signs():
    # max x + y + 3, x + 2y <= 4, 3x + y <= 6, x, y >= 0  -> x = 1.6, y = 1.2
    d = dense_to_model([[1, 2], [3, 1]], [1, 1], [0, 0], [INF, INF], [-INF, -INF], [4, 6], sense=-1, offset=3.0)
    s = solve_checked(d)
    assert s.status == "optimal"
    assert s.objective == pytest.approx(2.8 + 3.0)
    np.testing.assert_allclose(s.x, [1.6, 1.2], atol=1e-9)
    st, obj, _ = highs_solve(d)
    assert obj == pytest.approx(s.objective)


# ---------------------------------------------------------------- random LPs vs highspy
def random_lp(rng, m, n, kind):
    density = rng.uniform(0.2, 0.7)
    A = np.where(rng.random((m, n)) < density, rng.integers(-5, 6, (m, n)).astype(float), 0.0)
    if rng.random() < 0.3:
        A *= rng.choice([1e-2, 1, 1e2], size=(m, 1))  # badly scaled rows
    c = rng.integers(-5, 6, n).astype(float)
    x0 = rng.integers(-4, 5, n).astype(float)
    cl, cu = np.full(n, -INF), np.full(n, INF)
    for j in range(n):
        t = rng.integers(0, 6)
        if t == 0:
            cl[j], cu[j] = x0[j] - rng.integers(0, 4), x0[j] + rng.integers(0, 4)   # boxed (maybe fixed)
        elif t == 1:
            cl[j] = cu[j] = x0[j]                                                   # fixed
        elif t == 2:
            cl[j] = x0[j] - rng.integers(0, 3)                                      # lower only
        elif t == 3:
            cu[j] = x0[j] + rng.integers(0, 3)                                      # upper only
        elif t == 4:
            pass                                                                     # free
        else:
            cl[j], cu[j] = min(0.0, x0[j]), max(0.0, x0[j]) + 5
    act = A @ x0
    rl, ru = np.full(m, -INF), np.full(m, INF)
    for i in range(m):
        t = rng.integers(0, 5)
        if t == 0:
            rl[i] = ru[i] = act[i]                                   # equality
        elif t == 1:
            rl[i], ru[i] = act[i] - rng.integers(0, 4), act[i] + rng.integers(0, 4)  # ranged
        elif t == 2:
            ru[i] = act[i] + rng.integers(0, 3)                      # <=
        elif t == 3:
            rl[i] = act[i] - rng.integers(0, 3)                      # >=
        else:
            pass                                                     # free row
    if kind == "infeasible":
        # contradict: a copy of a row with bounds away from the first's reach
        i = rng.integers(0, m)
        if not np.any(A[i]):
            A[i, rng.integers(0, n)] = 1.0
        A = np.vstack([A, A[i]])
        lo_i = act[i] + 1 + rng.integers(0, 3)
        rl = np.append(rl, lo_i)
        ru = np.append(ru, INF)
        ru[i] = act[i] if rng.random() < 0.5 else min(ru[i], act[i])
        rl[i] = min(rl[i], ru[i])
    elif kind == "unbounded":
        # a free direction: a column that appears nowhere with a cost and an open bound
        j = rng.integers(0, n)
        A[:, j] = 0
        cl[j], cu[j] = (-INF, x0[j]) if rng.random() < 0.5 else (x0[j], INF)
        c[j] = 1.0 if cu[j] == x0[j] else -1.0
    sense = 1 if rng.random() < 0.7 else -1
    if sense == -1:
        c = -c  # keeps the kind (unbounded stays unbounded)
    return dense_to_model(A, c, cl, cu, rl, ru, sense=sense, offset=float(rng.integers(-3, 4)))


@pytest.mark.parametrize("kind", ["any", "infeasible", "unbounded"])
def test_random_lps_against_highs(kind):
    rng = np.random.default_rng({"any": 1, "infeasible": 2, "unbounded": 3}[kind])
    counts = {}
    for trial in range(150):
        m, n = int(rng.integers(1, 12)), int(rng.integers(1, 12))
        d = random_lp(rng, m, n, kind)
        s = solve_checked(d)
        theirs, obj, _ = highs_solve(d)
        assert same_status(s.status, theirs), (trial, s.status, theirs)
        if theirs == "optimal":
            assert s.objective == pytest.approx(obj, rel=1e-7, abs=1e-7), trial
        counts[s.status] = counts.get(s.status, 0) + 1
    if kind == "infeasible":
        assert counts.get("infeasible", 0) == 150
    if kind == "unbounded":
        assert counts.get("unbounded", 0) + counts.get("infeasible", 0) == 150 and counts.get("unbounded", 0) > 50


def test_random_lps_without_scaling_or_perturbation():
    rng = np.random.default_rng(7)
    for trial in range(60):
        d = random_lp(rng, int(rng.integers(1, 10)), int(rng.integers(1, 10)), "any")
        for opts in ({"scale": False}, {"perturb": False}):
            s = solve_checked(d, **opts)
            theirs, obj, _ = highs_solve(d)
            assert same_status(s.status, theirs)
            if theirs == "optimal":
                assert s.objective == pytest.approx(obj, rel=1e-7, abs=1e-7)


def test_empty_and_trivial_models():
    d = dense_to_model(np.zeros((0, 2)), [1, -1], [0, -INF], [1, 3], [], [])
    s = solve_checked(d)
    assert s.status == "optimal" and s.objective == pytest.approx(-3)
    d = dense_to_model(np.zeros((0, 1)), [-1], [0], [INF], [], [])
    assert _core.LpSolver(d).solve() == "unbounded"
    d = dense_to_model([[1.0]], [1], [2], [1], [-INF], [INF])  # lower > upper
    assert _core.LpSolver(d).solve() == "infeasible"


# ---------------------------------------------------------------- MIP relaxations vs highspy
@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "mip").glob("*.mps.gz")))
def test_mip_relaxations_against_highs(name):
    d = satmip.read_mps(DATA / "mip" / name).to_dict()
    s = solve_checked(d)
    theirs, obj, _ = highs_solve(d)
    assert s.status == theirs == "optimal"
    assert s.objective == pytest.approx(obj, rel=1e-7, abs=1e-7)


# ---------------------------------------------------------------- warm starts
def rows_csr(A_rows):
    start, index, value = [0], [], []
    for row in A_rows:
        nz = np.nonzero(row)[0]
        index.extend(nz.tolist())
        value.extend(np.asarray(row)[nz].tolist())
        start.append(len(index))
    return np.asarray(start, np.int64), np.asarray(index, np.int32), np.asarray(value, float)


def cold(d):
    return solve_checked(d)


@pytest.mark.parametrize("name", ["afiro", "sc50a", "adlittle", "share2b", "stocfor1", "boeing2"])
def test_warm_start_bound_changes_match_cold(name):
    d = satmip.read_mps(DATA / "lp" / f"{name}.mps.gz").to_dict()
    d = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in d.items()}
    warm = _core.LpSolver(d)
    assert warm.solve() == "optimal"
    first = warm.iterations
    rng = np.random.default_rng(11)
    warm_iters, cold_iters = [], []
    for step in range(12):
        x = warm.x
        j = int(rng.integers(0, d["num_cols"]))
        lo, up = d["col_lower"][j], d["col_upper"][j]
        v = x[j]
        # branching-like change: tighten around the current value
        if rng.random() < 0.5:
            up = min(up, np.floor(v) if v != np.floor(v) else v - 1)
        else:
            lo = max(lo, np.ceil(v) if v != np.ceil(v) else v + 1)
        if lo > up:
            continue
        d["col_lower"][j], d["col_upper"][j] = lo, up
        warm.change_col_bounds(j, lo, up)
        st = warm.solve()
        ref = cold(d)
        assert st == ref.status
        if st == "optimal":
            check_kkt(d, warm)
            assert warm.objective == pytest.approx(ref.objective, rel=1e-7, abs=1e-7)
        elif st == "infeasible":
            check_farkas(d, warm.dual_ray)
            # undo to keep the sequence going
            d["col_lower"][j], d["col_upper"][j] = satmip.read_mps(DATA / "lp" / f"{name}.mps.gz").col_lower[j], \
                satmip.read_mps(DATA / "lp" / f"{name}.mps.gz").col_upper[j]
            warm.change_col_bounds(j, d["col_lower"][j], d["col_upper"][j])
            assert warm.solve() == "optimal"
        warm_iters.append(warm.iterations)
        cold_iters.append(ref.iterations)
    assert warm_iters and sum(warm_iters) < sum(cold_iters)
    assert np.mean(warm_iters) < 0.5 * first


def test_warm_start_added_and_deleted_rows_match_cold():
    rng = np.random.default_rng(5)
    for name in ["afiro", "sc50b", "kb2", "blend"]:
        d = satmip.read_mps(DATA / "lp" / f"{name}.mps.gz").to_dict()
        warm = _core.LpSolver(d)
        assert warm.solve() == "optimal"
        A = csc_dense(d)
        dense_rows = [A[i] for i in range(A.shape[0])]
        rl, ru = list(d["row_lower"]), list(d["row_upper"])
        for step in range(5):
            x = warm.x
            # a cut violated by the current point: random row r with r.x > r.x* - 1e-3 * |r.x*|
            r = np.where(rng.random(len(x)) < 0.3, rng.normal(size=len(x)), 0.0)
            if not np.any(r):
                r[0] = 1.0
            val = r @ x
            bound = val - 0.05 * (1 + abs(val))
            warm.add_rows([-INF], [bound], *rows_csr([r]))
            dense_rows.append(r)
            rl.append(-INF)
            ru.append(bound)
            dd = dense_to_model(np.array(dense_rows), d["cost"], d["col_lower"], d["col_upper"], rl, ru,
                                sense=d["sense"], offset=d["offset"])
            st = warm.solve()
            ref = cold(dd)
            assert st == ref.status
            if st != "optimal":
                break
            check_kkt(dd, warm)
            assert warm.objective == pytest.approx(ref.objective, rel=1e-7, abs=1e-7)
            assert warm.iterations < ref.iterations or warm.iterations <= 5
        # delete the cuts again: back to the original optimum
        added = list(range(A.shape[0], len(dense_rows)))
        warm.delete_rows(np.asarray(added, np.int32))
        assert warm.num_rows == A.shape[0]
        assert warm.solve() == "optimal"
        check_kkt(d, warm)
        assert warm.objective == pytest.approx(cold(d).objective, rel=1e-7, abs=1e-7)


def test_change_cost_and_basis_roundtrip():
    d = satmip.read_mps(DATA / "lp" / "sc105.mps.gz").to_dict()
    s = _core.LpSolver(d)
    assert s.solve() == "optimal"
    cols, rows = s.get_basis()
    obj = s.objective
    # a second solver started from the optimal basis needs no iterations
    t = _core.LpSolver(d)
    t.set_basis(cols, rows)
    assert t.solve() == "optimal" and t.iterations == 0 and t.objective == pytest.approx(obj, rel=1e-9)
    with pytest.raises(ValueError):
        t.set_basis(cols, np.ones_like(rows))
    # cost change -> primal simplex from a primal feasible basis, equal to a cold solve
    d2 = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in d.items()}
    rng = np.random.default_rng(3)
    for j in rng.integers(0, d["num_cols"], 5):
        d2["cost"][j] += rng.normal()
        s.change_cost(int(j), float(d2["cost"][j]))
    assert s.solve() == cold(d2).status == "optimal"
    check_kkt(d2, s)
    assert s.objective == pytest.approx(cold(d2).objective, rel=1e-7)


def test_time_limit_and_interrupt_statuses():
    d = satmip.read_mps(DATA / "lp" / "lotfi.mps.gz").to_dict()
    assert _core.LpSolver(d, time_limit=0.0).solve() in ("time_limit", "optimal")
    s = _core.LpSolver(d, iteration_limit=10)
    assert s.solve() == "iteration_limit"
    s.set_options(iteration_limit=None)
    assert s.solve() == "optimal"  # continues from where it stopped
    check_kkt(d, s)


def test_interrupt_from_another_thread():
    import threading
    import time
    rng = np.random.default_rng(9)
    m, n = 300, 300
    A = np.where(rng.random((m, n)) < 0.5, rng.normal(size=(m, n)), 0.0)
    x0 = rng.random(n)
    d = dense_to_model(A, rng.normal(size=n), np.zeros(n), np.full(n, 10.0), A @ x0 - rng.random(m),
                       A @ x0 + rng.random(m))
    s = _core.LpSolver(d)
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("status", s.solve()))
    t.start()
    time.sleep(0.002)
    s.interrupt()
    t.join(60)
    assert out["status"] in ("interrupted", "optimal")
    if out["status"] == "interrupted":
        assert s.solve() == "optimal"  # a new solve() clears the flag and finishes
    check_kkt(d, s)
    assert s.objective == pytest.approx(highs_solve(d)[1], rel=1e-7)


def test_row_bound_changes_and_equality_cuts_warm():
    d = satmip.read_mps(DATA / "lp" / "share2b.mps.gz").to_dict()
    d = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in d.items()}
    s = _core.LpSolver(d)
    assert s.solve() == "optimal"
    rng = np.random.default_rng(4)
    for step in range(10):
        i = int(rng.integers(0, d["num_rows"]))
        act = s.row_activity[i]
        lo, up = d["row_lower"][i], d["row_upper"][i]
        if np.isfinite(up):
            up = up + rng.normal()
        if np.isfinite(lo):
            lo = min(lo + rng.normal(), up)
        d["row_lower"][i], d["row_upper"][i] = lo, up
        s.change_row_bounds(i, lo, up)
        st = s.solve()
        ref = cold(d)
        assert st == ref.status
        if st == "optimal":
            check_kkt(d, s)
            assert s.objective == pytest.approx(ref.objective, rel=1e-7, abs=1e-7)
    # an equality cut through the current point and a ranged one
    x = s.x
    r1 = np.zeros(d["num_cols"]); r1[:5] = 1.0
    r2 = np.zeros(d["num_cols"]); r2[3:9] = rng.normal(size=6)
    v1, v2 = r1 @ x, r2 @ x
    s.add_rows([v1 + 0.5, v2 - 1], [v1 + 0.5, v2 - 0.5], *rows_csr([r1, r2]))
    st = s.solve()
    A = np.vstack([csc_dense(d), r1, r2])
    dd = dense_to_model(A, d["cost"], d["col_lower"], d["col_upper"],
                        np.append(d["row_lower"], [v1 + 0.5, v2 - 1]), np.append(d["row_upper"], [v1 + 0.5, v2 - 0.5]),
                        sense=d["sense"], offset=d["offset"])
    ref = cold(dd)
    assert st == ref.status
    if st == "optimal":
        check_kkt(dd, s)
        assert s.objective == pytest.approx(ref.objective, rel=1e-7, abs=1e-7)


def test_degenerate_assignment_lps_and_cost_changes():
    rng = np.random.default_rng(0)
    for trial in range(40):
        k = int(rng.integers(2, 10))
        n = k * k
        A = np.zeros((2 * k, n))
        for i in range(k):
            for j in range(k):
                A[i, i * k + j] = A[k + j, i * k + j] = 1
        c = rng.integers(0, 3, n).astype(float)  # many ties: dual and primal degenerate
        kind = trial % 3
        if kind == 0:
            d = dense_to_model(A, c, np.zeros(n), np.ones(n), np.ones(2 * k), np.ones(2 * k))
        elif kind == 1:
            d = dense_to_model(A, c, np.zeros(n), np.full(n, INF), np.ones(2 * k), np.full(2 * k, INF))
        else:
            d = dense_to_model(A, -c, np.zeros(n), np.ones(n), np.full(2 * k, -INF), np.ones(2 * k))
        s = solve_checked(d)
        assert s.status == "optimal" and s.objective == pytest.approx(highs_solve(d)[1], abs=1e-7)
        c2 = d["cost"] + rng.integers(-1, 2, n)  # cost change: primal simplex from the old optimum
        for j in range(n):
            s.change_cost(j, float(c2[j]))
        d2 = dict(d, cost=c2)
        st = s.solve()
        theirs, obj, _ = highs_solve(d2)
        assert same_status(st, theirs)
        if st == "optimal":
            check_kkt(d2, s)
            assert s.objective == pytest.approx(obj, abs=1e-7)


@pytest.mark.parametrize("name", ["p0033", "egout", "vpm1", "flugpl"])
def test_branching_sequences_on_mip_relaxations(name):
    d0 = satmip.read_mps(DATA / "mip" / f"{name}.mps.gz").to_dict()
    d = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in d0.items()}
    s = _core.LpSolver(d)
    assert s.solve() == "optimal"
    root = s.iterations
    rng = np.random.default_rng(2)
    warm_total = 0
    for step in range(25):
        frac = np.nonzero(d["integer"] & (np.abs(s.x - np.round(s.x)) > 1e-6))[0] if s.status == "optimal" else []
        if len(frac) == 0:  # integral or infeasible node: backtrack to the root bounds
            d["col_lower"][:], d["col_upper"][:] = d0["col_lower"], d0["col_upper"]
            for j in range(d["num_cols"]):
                s.change_col_bounds(j, d["col_lower"][j], d["col_upper"][j])
        else:
            j = int(rng.choice(frac))
            if rng.random() < 0.5:
                d["col_upper"][j] = np.floor(s.x[j])
            else:
                d["col_lower"][j] = np.ceil(s.x[j])
            s.change_col_bounds(j, d["col_lower"][j], d["col_upper"][j])
        st = s.solve()
        ref = cold(d)
        assert st == ref.status
        if st == "optimal":
            check_kkt(d, s)
            assert s.objective == pytest.approx(ref.objective, rel=1e-7, abs=1e-7)
        warm_total += s.iterations
    assert warm_total / 25 < max(5, 0.5 * root)


def test_bad_input_is_rejected():
    good = dense_to_model([[1.0, 2.0]], [1, 1], [0, 0], [1, 1], [-INF], [1])
    for key, value in [("cost", [np.nan, 1]), ("col_lower", [INF, 0]), ("col_upper", [0, -INF]),
                       ("row_lower", [np.nan]), ("A_value", [1.0, np.inf])]:
        bad = dict(good, **{key: np.asarray(value, float)})
        with pytest.raises(ValueError):
            _core.LpSolver(bad)
    with pytest.raises(ValueError):
        _core.LpSolver(dict(good, A_index=np.asarray([0, 5], np.int32)))
    with pytest.raises(ValueError):
        _core.LpSolver(dict(good, cost=np.ones(3)))
    s = _core.LpSolver(good)
    with pytest.raises(IndexError):
        s.change_col_bounds(2, 0, 1)
    with pytest.raises(ValueError):
        s.change_col_bounds(0, np.nan, 1)
    with pytest.raises(ValueError):
        s.change_cost(0, np.inf)
    with pytest.raises(ValueError):
        s.add_rows([0.0], [1.0], np.asarray([0, 1], np.int64), np.asarray([7], np.int32), np.asarray([1.0]))
    with pytest.raises(IndexError):
        s.delete_rows(np.asarray([3], np.int32))
    assert s.solve() == "optimal"
