"""The bipartite node state (Gasse et al. 2019) that on_branch sees, and the
strong-branching training samples of record_samples: names, shapes, values against
an independent computation from the model and the callback's own arrays, zero copy,
and the "strong" branching rule."""
import csv
import re
from pathlib import Path

import numpy as np
import pytest

from satmip import Model, _core
from satmip.mip import BRANCHING_RULES, COL_FEATURES, EDGE_FEATURES, ROW_FEATURES, feature_table

ROOT = Path(__file__).resolve().parents[1]
# The model as given (no presolve, so the state's rows and columns are the model's) and a
# tree to branch in (no cuts: with them p0033 closes at the root).
TREE = dict(presolve=False, cuts=False)
DATA = ROOT / "tests" / "data" / "mip"
STATE_KEYS = ("row_features", "edge_row_ptr", "edge_col", "edge_values", "col_features")
R = {name: k for k, name in enumerate(ROW_FEATURES)}
C = {name: k for k, name in enumerate(COL_FEATURES)}


def dense_rows(model: Model) -> np.ndarray:
    d = model.data
    A = np.zeros((model.num_rows, model.num_cols))
    for j in range(model.num_cols):
        lo, hi = d.A_start[j], d.A_start[j + 1]
        A[d.A_index[lo:hi], j] = d.A_value[lo:hi]
    return A


def mixed_model(seed=0, sense=1) -> Model:
    """Equality, ranged, <= and >= rows; binary, general integer, continuous and free columns."""
    rng = np.random.default_rng(seed)
    m, n = 7, 10
    A = rng.integers(-4, 6, size=(m, n)) * (rng.random((m, n)) < 0.6)
    A[:, -1] = 0
    A[0, -1] = 1   # the free column sits in one row only
    col_lower = np.array([0, 0, 0, 0, -2, 0, 0, 0, -1, -np.inf])
    col_upper = np.array([1, 1, 1, 5, 7, 4, 3.5, np.inf, 4, np.inf])
    x0 = np.clip(rng.integers(0, 3, size=n).astype(float), col_lower, col_upper)
    act = A @ x0
    lower = np.array([act[0], act[1] - 3, -np.inf, act[3] - 2, -np.inf, act[5] - 5, act[6] - 1])
    upper = np.array([act[0], act[1] + 2, act[2] + 4, np.inf, act[4] + 1, np.inf, act[6] + 6])
    integ = [1, 1, 1, 1, 1, 1, 0, 0, 1, 0]
    c = rng.integers(-5, 6, size=n).astype(float)
    c[-1] = 0
    return Model.from_arrays(c=c, A=A, row_lower=lower, row_upper=upper, col_lower=col_lower,
                             col_upper=col_upper, integrality=integ, sense=sense)


def expected_row_features(A, c_min, row_lower, row_upper, activity):
    norm = np.linalg.norm(A, axis=1)
    scale = np.where(norm > 0, norm, 1.0)
    cnorm = np.linalg.norm(c_min)
    cos = np.where((norm > 0) & (cnorm > 0), A @ c_min / (scale * (cnorm if cnorm > 0 else 1.0)), 0.0)
    fin_lo, fin_up = np.isfinite(row_lower), np.isfinite(row_upper)
    return {"obj_cosine_similarity": cos, "has_lower": fin_lo, "has_upper": fin_up,
            "bias_lower": np.where(fin_lo, row_lower, 0.0) / scale, "bias_upper": np.where(fin_up, row_upper, 0.0) / scale,
            "norm": scale, "cnorm": cnorm if cnorm > 0 else 1.0}


def check_state(model: Model, s: dict, incumbents: list):
    d = model.data
    A = dense_rows(model)
    m, n = A.shape
    sense = d.sense
    c_min = sense * np.asarray(d.cost)
    rf, cf = s["row_features"], s["col_features"]
    assert rf.shape == (m, len(ROW_FEATURES)) and cf.shape == (n, len(COL_FEATURES))
    assert rf.dtype == cf.dtype == s["edge_values"].dtype == np.float64
    assert s["row_feature_names"] == ROW_FEATURES and s["col_feature_names"] == COL_FEATURES

    # Edges: the CSR is the model's rows, divided by the row norms.
    ptr, col, val = s["edge_row_ptr"], s["edge_col"], s["edge_values"]
    assert ptr.dtype == np.int64 and col.dtype == np.int32 and ptr.shape == (m + 1,)
    assert val.shape == (ptr[-1], len(EDGE_FEATURES)) and col.shape == (ptr[-1],)
    e = expected_row_features(A, c_min, np.asarray(d.row_lower), np.asarray(d.row_upper), None)
    rebuilt = np.zeros_like(A)
    for i in range(m):
        cols = col[ptr[i]:ptr[i + 1]]
        assert np.all(np.diff(cols) > 0)
        rebuilt[i, cols] = val[ptr[i]:ptr[i + 1], 0] * e["norm"][i]
    np.testing.assert_allclose(rebuilt, A, rtol=1e-12, atol=1e-12)
    assert ptr[-1] == np.count_nonzero(A)

    # Constraint features.
    for name in ("obj_cosine_similarity", "has_lower", "has_upper", "bias_lower", "bias_upper"):
        np.testing.assert_allclose(rf[:, R[name]], e[name], rtol=1e-12, atol=1e-12, err_msg=name)
    x = s["lp_values"]
    activity = A @ x
    for side, bound in (("lower", np.asarray(d.row_lower)), ("upper", np.asarray(d.row_upper))):
        gap = np.abs(activity - bound)
        tight = rf[:, R[f"is_tight_{side}"]]
        tol = np.maximum(1.0, np.abs(np.where(np.isfinite(bound), bound, 0)))
        assert np.all(tight[np.isfinite(bound) & (gap < 1e-8 * tol)] == 1)
        assert np.all(tight[~np.isfinite(bound) | (gap > 1e-5 * tol)] == 0)

    # Variable features.
    integer = np.asarray(d.integer, bool)
    lo, up = s["col_lower"], s["col_upper"]
    binary = integer & (np.asarray(d.col_lower) >= 0) & (np.asarray(d.col_upper) <= 1)
    np.testing.assert_array_equal(cf[:, C["type_binary"]], binary)
    np.testing.assert_array_equal(cf[:, C["type_integer"]], integer & ~binary)
    np.testing.assert_array_equal(cf[:, C["type_continuous"]], ~integer)
    np.testing.assert_allclose(cf[:, C["objective"]], c_min / e["cnorm"], rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(cf[:, C["has_lower"]], np.isfinite(lo))
    np.testing.assert_array_equal(cf[:, C["has_upper"]], np.isfinite(up))
    at_tol = 1e-6 * np.maximum(1.0, np.abs(np.where(np.isfinite(lo), lo, 0)))
    np.testing.assert_array_equal(cf[:, C["at_lower"]], np.isfinite(lo) & (np.abs(x - lo) <= at_tol))
    at_tol = 1e-6 * np.maximum(1.0, np.abs(np.where(np.isfinite(up), up, 0)))
    np.testing.assert_array_equal(cf[:, C["at_upper"]], np.isfinite(up) & (np.abs(x - up) <= at_tol))
    f = x - np.floor(x)
    np.testing.assert_allclose(cf[:, C["fractionality"]], np.where(integer, np.minimum(f, 1 - f), 0.0), atol=1e-15)
    np.testing.assert_allclose(cf[s["candidates"], C["fractionality"]], s["fractionality"], atol=1e-15)
    np.testing.assert_array_equal(cf[:, C["lp_value"]], x)
    np.testing.assert_allclose(cf[:, C["reduced_cost"]], sense * s["reduced_costs"] / e["cnorm"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(cf[s["candidates"], C["pseudocost_down"]], s["pseudocost_down"], rtol=1e-12)
    np.testing.assert_allclose(cf[s["candidates"], C["pseudocost_up"]], s["pseudocost_up"], rtol=1e-12)
    assert np.all(cf[~integer][:, [C["pseudocost_down"], C["pseudocost_up"]]] == 0)
    basis = cf[:, [C["basis_lower"], C["basis_basic"], C["basis_upper"], C["basis_zero"]]]
    assert np.all(basis.sum(axis=1) == 1)
    # Nonbasic at a bound: the LP value is that bound.
    assert np.all(cf[cf[:, C["basis_lower"]] == 1, C["at_lower"]] == 1)
    assert np.all(cf[cf[:, C["basis_upper"]] == 1, C["at_upper"]] == 1)
    # A basis has as many basic columns and rows as rows; nonbasic rows are tight.
    assert cf[:, C["basis_basic"]].sum() <= m
    # Duals and reduced costs fit together (minimisation form): c - A^T y = d.
    y = rf[:, R["dual_normalized"]] * e["norm"] * e["cnorm"]
    d_min = cf[:, C["reduced_cost"]] * e["cnorm"]
    np.testing.assert_allclose(c_min - A.T @ y, d_min, rtol=1e-7, atol=1e-7 * max(1.0, np.abs(c_min).max()))
    # Ages: 0 for tight rows and basic columns, in [0, 1).
    assert np.all(rf[(rf[:, R["is_tight_lower"]] == 1) | (rf[:, R["is_tight_upper"]] == 1), R["age"]] == 0)
    assert np.all(cf[cf[:, C["basis_basic"]] == 1, C["age"]] == 0)
    assert np.all((rf[:, R["age"]] >= 0) & (rf[:, R["age"]] < 1)) and np.all((cf[:, C["age"]] >= 0) & (cf[:, C["age"]] < 1))
    # Incumbents.
    if incumbents:
        np.testing.assert_allclose(cf[:, C["incumbent_value"]], incumbents[-1], atol=1e-12)
        np.testing.assert_allclose(cf[:, C["average_incumbent_value"]], np.mean(incumbents, axis=0), atol=1e-9)
    else:
        assert np.all(cf[:, [C["incumbent_value"], C["average_incumbent_value"]]] == 0)


# ---------------------------------------------------------------- names and table
def test_feature_names():
    assert len(ROW_FEATURES) == 9 and EDGE_FEATURES == ("coef_normalized",) and len(COL_FEATURES) == 22
    for names in (ROW_FEATURES, EDGE_FEATURES, COL_FEATURES):
        assert len(set(names)) == len(names) and all(re.fullmatch(r"[a-z_]+", n) for n in names)
    table = _core.mip_feature_table()
    assert tuple(n for n, _ in table["row"]) == ROW_FEATURES
    assert tuple(n for n, _ in table["col"]) == COL_FEATURES
    assert tuple(n for n, _ in table["edge"]) == EDGE_FEATURES


def test_docs_list_exactly_the_feature_table():
    text = (ROOT / "docs" / "mip-engine.md").read_text()
    m = re.search(r"<!-- feature table: begin -->\n(.*?)\n<!-- feature table: end -->", text, re.S)
    assert m, "docs/mip-engine.md lacks the feature table markers"
    assert m.group(1) == feature_table(), "regenerate the table with satmip.mip.feature_table()"
    documented = re.findall(r"^\| (row|edge|col) \| `([a-z_]+)` \|", m.group(1), re.M)
    assert [n for k, n in documented if k == "row"] == list(ROW_FEATURES)
    assert [n for k, n in documented if k == "col"] == list(COL_FEATURES)
    assert [n for k, n in documented if k == "edge"] == list(EDGE_FEATURES)


# ---------------------------------------------------------------- values
@pytest.mark.parametrize("source", ["p0033", "mixed_min", "mixed_max"])
def test_state_values_against_independent_computation(source):
    if source == "p0033":
        model = Model.from_mps(DATA / "p0033.mps.gz")
    else:
        model = mixed_model(seed=3, sense=1 if source == "mixed_min" else -1)
    incumbents, seen = [], []

    def on_branch(s):
        check_state(model, s, incumbents)
        seen.append(s["facts"]["depth"])

    r = model.solve(gap=0, **TREE, node_limit=300, on_branch=on_branch,
                    on_incumbent=lambda x, obj: incumbents.append(np.array(x)))
    assert seen and 0 in seen
    assert r.node_state_builds == len(seen) and r.node_state_time > 0


def test_no_state_without_on_branch():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    r = model.solve(gap=0, **TREE)
    assert r.node_state_builds == 0 and r.node_state_time == 0


# ---------------------------------------------------------------- zero copy
def test_arrays_are_read_only_views_and_kept_ones_stay_valid():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    kept = []

    def on_branch(s):
        for k in STATE_KEYS:
            a = s[k]
            assert not a.flags.owndata and a.base is not None and not a.flags.writeable
            with pytest.raises(ValueError):
                a.reshape(-1)[0] = 1
        if len(kept) < 5:
            kept.append({k: (s[k], s[k].copy()) for k in STATE_KEYS})

    model.solve(gap=0, **TREE, on_branch=on_branch)
    assert len(kept) == 5
    for node in kept:   # later nodes were written elsewhere
        for k, (view, copy) in node.items():
            np.testing.assert_array_equal(view, copy)


def test_state_does_not_change_the_tree():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    for heuristics in (True, False):
        a = model.solve(gap=0, **TREE, heuristics=heuristics)
        b = model.solve(gap=0, **TREE, heuristics=heuristics, on_branch=lambda s: None)
        assert a.nodes == b.nodes and a.lp_iterations == b.lp_iterations


# ---------------------------------------------------------------- samples
@pytest.mark.parametrize("branching", ["pseudocost", "strong"])
def test_record_samples(branching):
    model = Model.from_mps(DATA / "p0033.mps.gz")
    states = []

    def on_branch(s):
        states.append({k: s[k].copy() for k in STATE_KEYS + ("candidates",)})

    r = model.solve(gap=0, **TREE, branching=branching, record_samples=True, on_branch=on_branch)
    assert r.status == "optimal" and r.objective == pytest.approx(3089.0)
    assert len(r.samples) == len(states) > 0
    for sample, state in zip(r.samples, states):
        cand = sample["candidates"]
        np.testing.assert_array_equal(cand, state["candidates"])
        for k in STATE_KEYS:
            np.testing.assert_array_equal(sample[k], state[k])
            assert not sample[k].flags.writeable
        assert sample["scores"].shape == sample["down_gains"].shape == sample["up_gains"].shape == cand.shape
        assert np.all(sample["scores"] > 0) and np.all(sample["down_gains"] >= 0) and np.all(sample["up_gains"] >= 0)
        expect = np.maximum(sample["down_gains"], 1e-6) * np.maximum(sample["up_gains"], 1e-6)
        np.testing.assert_allclose(sample["scores"], expect, rtol=1e-12)
        assert sample["column"] in cand
        assert sample["expert_column"] == cand[np.argmax(sample["scores"])]
        if branching == "strong":
            assert sample["column"] == sample["expert_column"]
    assert r.samples[0]["facts"]["depth"] == 0


def test_record_samples_without_callback_and_determinism():
    model = Model.from_mps(DATA / "p0033.mps.gz")
    a = model.solve(gap=0, **TREE, record_samples=True)
    b = model.solve(gap=0, **TREE, record_samples=True)
    assert a.status == "optimal" and a.objective == pytest.approx(3089.0)
    assert len(a.samples) == len(b.samples) > 0 and a.nodes == b.nodes
    for sa, sb in zip(a.samples, b.samples):
        np.testing.assert_array_equal(sa["scores"], sb["scores"])
        np.testing.assert_array_equal(sa["col_features"], sb["col_features"])
    assert model.solve(gap=0, **TREE).samples == []


def test_samples_of_an_equality_constrained_model():
    model = mixed_model(seed=3)
    r = model.solve(gap=0, **TREE, record_samples=True)
    ref = model.solve(gap=0, **TREE, branching="most_fractional")
    assert r.status == ref.status == "optimal"
    assert r.objective == pytest.approx(ref.objective, abs=1e-6)
    for sample in r.samples:
        assert sample["row_features"].shape == (model.num_rows, len(ROW_FEATURES))
        assert sample["column"] in sample["candidates"]


# ---------------------------------------------------------------- strong branching
def test_strong_is_a_branching_rule():
    assert "strong" in BRANCHING_RULES
    with pytest.raises(ValueError, match="strong"):
        Model.from_mps(DATA / "p0033.mps.gz").solve(branching="nope")


def _optimum(name):
    with open(DATA / "manifest.csv") as f:
        return {row["path"][: -len(".mps.gz")]: float(row["optimal_objective"]) for row in csv.DictReader(f)}[name]


@pytest.mark.parametrize("name", ["p0033", "flugpl", "egout", "enigma", pytest.param("gt2", marks=pytest.mark.slow),
                                  "lseu", "p0282", "rgn", "stein27", "p0201", "misc03", "dcmulti", "afiro"])
def test_strong_branching_reaches_the_optimum(name):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    r = model.solve(gap=0, **TREE, branching="strong", time_limit=120)
    assert r.status == "optimal"
    assert r.objective == pytest.approx(_optimum(name), rel=1e-6, abs=1e-6)


# ---------------------------------------------------------------- a GCNN-like use
def test_gcnn_like_numpy_policy():
    """One v -> c -> v message pass over the CSR with fixed random weights, scores
    over the candidates: the shapes fit together and the search stays exact."""
    model = Model.from_mps(DATA / "p0033.mps.gz")
    rng = np.random.default_rng(0)
    h = 8
    Wc = rng.normal(size=(len(ROW_FEATURES), h))
    Wv = rng.normal(size=(len(COL_FEATURES), h))
    We = rng.normal(size=(len(EDGE_FEATURES), h))
    out = rng.normal(size=2 * h)
    calls = []

    def policy(s):
        ptr, col, e = s["edge_row_ptr"], s["edge_col"], s["edge_values"]
        rows = np.repeat(np.arange(ptr.size - 1), np.diff(ptr))
        hc, hv = np.tanh(s["row_features"] @ Wc), np.tanh(s["col_features"] @ Wv)
        msg = np.tanh(hv[col] + e @ We)
        agg = np.zeros_like(hc)
        np.add.at(agg, rows, msg)   # sum over each row's edges (empty rows included)
        hc = hc + agg
        back = np.zeros_like(hv)
        np.add.at(back, col, hc[rows] + e @ We)
        z = np.concatenate([hv, np.tanh(back)], axis=1) @ out
        calls.append(1)
        return z[s["candidates"]]

    r = model.solve(gap=0, **TREE, on_branch=policy)
    assert calls and r.status == "optimal" and r.objective == pytest.approx(3089.0)
