"""The phase model's C++ forward (satmip._core.phase_logits, used by PhaseInference.
logits by default) against numpy's forward and the stored PyG logits
(tools/make_phase_reference.py), on the test model, the shipped model and generated
formulas, generic in hidden size, layers and input feature counts."""
from __future__ import annotations

import os

import numpy as np
import pytest

import satmip
from satmip.learn import generate, phase_infer
from satmip.learn.graph import clause_graph
from satmip.learn.phase_infer import PhaseInference
from satmip.learn.predict import default_model_path
from test_learn_phase import DATA, MODEL, TOLERANCE, reference

# The C++ forward computes in double: within 1e-6 of numpy's forward run in float64,
# while the float32 forwards lie further from that on the shipped model (logits up to
# 15): PyG's up to 7e-6 on the reference formulas, numpy's up to 1.8e-5 (planted_clique
# tiny), so C++ / numpy agree within 2e-5 there, C++ / PyG within 1e-5.
EXACT, NUMPY_FLOAT32 = 1e-6, 2e-5


def float64_logits(model: PhaseInference, formula) -> np.ndarray:
    """numpy's forward with every weight in float64 (the features are exact inputs)."""
    exact = PhaseInference(model.w, model.header)
    exact.w = {name: w.astype(np.float64) for name, w in model.w.items()}
    return exact.logits(formula, forward="numpy")


def test_cpp_forward_is_the_default_where_built():
    assert phase_infer.cpp_forward_available()
    model = PhaseInference.load(MODEL)
    cnf = generate("latin_square", "tiny", 0)
    assert np.array_equal(model.logits(cnf), model.logits(cnf, forward="cpp"))
    with pytest.raises(ValueError, match="forward must be one of cpp, numpy"):
        model.logits(cnf, forward="torch")


def test_cpp_forward_matches_the_stored_pyg_logits_and_numpy():
    model = PhaseInference.load(MODEL)
    for name, (cnf, expected) in reference().items():
        got = model.logits(cnf, forward="cpp")
        assert got.shape == (cnf.nvars,) and got.dtype == np.float32, name
        assert np.abs(got - expected).max(initial=0) <= TOLERANCE, name
        assert np.abs(got - model.logits(cnf, forward="numpy")).max(initial=0) <= TOLERANCE, name


def test_cpp_forward_of_the_shipped_model():
    model = PhaseInference.load(str(default_model_path()))
    with np.load(os.path.join(DATA, "default_reference.npz")) as z:
        stored = {k: z[k] for k in z.files}
    formulas = {name: cnf for name, (cnf, _) in reference().items()}
    formulas.update({f"{family}-{size}": generate(family, size, 3) for family, size in
                     (("factoring", "small"), ("flat_colouring", "small"), ("grid_planning", "tiny"),
                      ("circuit_preimage", "small"), ("planted_clique", "tiny"))})
    for name, cnf in formulas.items():
        got, numpy_logits = model.logits(cnf, forward="cpp"), model.logits(cnf, forward="numpy")
        assert np.abs(got - float64_logits(model, cnf)).max(initial=0) <= EXACT, name
        assert np.abs(got - numpy_logits).max(initial=0) <= NUMPY_FLOAT32, name
        if f"{name}.logits" in stored:
            assert np.abs(got - stored[f"{name}.logits"]).max(initial=0) <= TOLERANCE, name


def random_model(hidden: int, layers: int, variable_features: int, clause_features: int, seed: int):
    """A PhaseInference of any shape (the constructor checks the shipped feature set)."""
    rng = np.random.default_rng(seed)
    h = hidden
    shapes = {"embed": (3, h), "in_variable": (variable_features, h), "in_clause": (clause_features, h),
              "head_norm.weight": (h,), "head_norm.bias": (h,), "head_w1": (h, h), "head_b1": (h,),
              "head_w2": (h, 1), "head_b2": (1,)}
    for i in range(layers):
        shapes.update({f"layers.{i}.norm.weight": (h,), f"layers.{i}.norm.bias": (h,),
                       f"layers.{i}.w_self": (h, h), f"layers.{i}.w_rel": (6, h, h), f"layers.{i}.bias": (h,),
                       f"layers.{i}.w_out": (h, h), f"layers.{i}.b_out": (h,)})
    model = PhaseInference.__new__(PhaseInference)
    model.w = {k: (rng.standard_normal(s) / np.sqrt(max(s[0], 1))).astype(np.float32) for k, s in shapes.items()}
    model.hidden, model.nlayers, model.eps, model._stacked = hidden, layers, 1e-5, {}
    return model


@pytest.mark.parametrize("hidden, layers, nvf, ncf", [(8, 2, 9, 5), (48, 6, 6, 3), (5, 0, 1, 1)])
def test_cpp_forward_is_generic_in_its_shapes(monkeypatch, hidden, layers, nvf, ncf):
    rng = np.random.default_rng(hidden)
    cnf = generate("flat_colouring", "tiny", 1)
    g = clause_graph(cnf)
    var_features = rng.standard_normal((g.nvars, nvf)).astype(np.float32)
    cls_features = rng.standard_normal((g.nclauses, ncf)).astype(np.float32)
    monkeypatch.setattr(phase_infer, "variable_features", lambda graph: var_features)
    monkeypatch.setattr(phase_infer, "clause_features", lambda graph: cls_features)
    model = random_model(hidden, layers, nvf, ncf, seed=layers)
    got, want = model.logits(g, forward="cpp"), model.logits(g, forward="numpy")
    assert got.shape == (g.nvars,) and np.abs(got - want).max() <= TOLERANCE * max(1, np.abs(want).max())


def test_bad_arrays_are_value_errors():
    model = PhaseInference.load(MODEL)
    g = clause_graph([[1, -2], [2, 3]])
    args = lambda **change: {**dict(edge_var=g.edge_var, edge_clause=g.edge_clause, edge_sign=g.edge_sign,
                                    clause_meta=g.clause_meta, nvars=g.nvars, nclauses=g.nclauses, nmeta=g.nmeta,
                                    variable_features=phase_infer.variable_features(g),
                                    clause_features=phase_infer.clause_features(g), weights=model.w,
                                    hidden=model.hidden, layers=model.nlayers, eps=model.eps), **change}
    ok = satmip._core.phase_logits(**args())
    assert np.array_equal(ok, model.logits(g, forward="cpp"))
    for change, words in ((dict(edge_var=np.array([0, 1, 1, 7])), "edge_var[3] = 7 is outside [0, 3)"),
                          (dict(edge_clause=np.array([0, 0, 1, -1])), "edge_clause[3] = -1 is outside"),
                          (dict(clause_meta=np.array([0, 4])), "clause_meta[1] = 4 is outside"),
                          (dict(edge_var=g.edge_var.astype(np.int32)), "edge_var must be a C-contiguous int64"),
                          (dict(edge_sign=g.edge_sign[:3]), "edge_sign has 3 entries, expected 4"),
                          (dict(weights={**model.w, "head_b1": model.w["head_b1"][:3]}), "weight head_b1 has 3"),
                          (dict(weights={k: v for k, v in model.w.items() if k != "embed"}), "no weight embed"),
                          (dict(variable_features=phase_infer.variable_features(g)[:2]),
                           "variable_features must have shape (3, features)")):
        with pytest.raises(ValueError, match="phase_logits: " + words.replace("(", r"\(").replace(")", r"\)")
                           .replace("[", r"\[").replace("]", r"\]")):
            satmip._core.phase_logits(**args(**change))
