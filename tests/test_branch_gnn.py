"""Learned branching (branching="gnn"): the GCNN's C++ forward (_core.BranchModel, what the
engine runs) and numpy's (satmip.learn.branch_format.forward) against the PyG module's
stored logits (tools/make_branch_reference.py; no torch here), the rule's choices against
the Python research route (on_branch with numpy's logits), gnn_max_depth, the weights
file's checks, and the API's and command line's errors."""
from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from satmip.learn import branch_format as bf
from satmip.learn.instances import generate
from satmip.mip import COL_FEATURES, EDGE_FEATURES, ROW_FEATURES

DATA = os.path.join(os.path.dirname(__file__), "data", "mip")
MODEL = os.path.join(DATA, "branch_gcnn_e16.npz")
REFERENCE = os.path.join(DATA, "branch_reference.npz")
SHIPPED = os.path.join(os.path.dirname(__file__), "..", "models", "branching")
TOLERANCE = 1e-5   # GCNN_SPEC: the native forward equals PyG's within 1e-5
EXACT = 1e-9       # both forwards in float64 against the module run in float64


def read_reference(path: str) -> list:
    """States of a reference file (satmip.learn.branch_export's layout: state/K/NAME)."""
    with np.load(path, allow_pickle=False) as z:
        return [{name[len(f"state/{k}/"):]: z[name] for name in z.files if name.startswith(f"state/{k}/")}
                for k in range(int(z["states"]))]


def random_model(path, emb: int, seed: int) -> bf.BranchModel:
    """A weights file of another embedding size: the test model's header and random weights."""
    rng = np.random.default_rng(seed)
    header = dict(bf.load(MODEL).header, emb=emb)
    weights = {}
    for key, shape in bf.expected_shapes(emb, len(ROW_FEATURES), len(EDGE_FEATURES), len(COL_FEATURES)).items():
        if key.endswith("norm.scale") or key.endswith("norm.weight"):
            weights[key] = rng.uniform(0.5, 1.5, shape)
        else:
            weights[key] = rng.normal(0, 1 / np.sqrt(shape[-1]) if len(shape) == 2 else 0.3, shape)
    np.savez(path, header=np.array(json.dumps(header)), **{k: v.astype(np.float32) for k, v in weights.items()})
    return bf.load(path)


def test_forwards_equal_the_pyg_module_on_the_reference_states():
    model = bf.load(MODEL)
    states = read_reference(REFERENCE)
    assert len(states) == 8 and model.emb == 16
    for k, s in enumerate(states):
        numpy_logits, cpp_logits = model.logits(s), model.logits(s, engine="cpp")
        assert cpp_logits.shape == numpy_logits.shape == (len(s["col_features"]),)
        for got in (numpy_logits, cpp_logits):
            assert np.abs(got - s["logits64"]).max() <= EXACT, k
            assert np.abs(got - s["logits"]).max() <= TOLERANCE, k
        # The engine's path: the candidates' logits only (the second convolution and head for them alone).
        candidates = s["candidates"].astype(np.int32)
        assert np.abs(model.logits(s, candidates, engine="cpp") - s["logits64"][candidates]).max() <= EXACT
        assert model.choose(s) == int(s["choice"])


@pytest.mark.parametrize("reference", sorted(f for f in os.listdir(SHIPPED) if f.endswith(".reference.npz"))
                         if os.path.isdir(SHIPPED) else [])
def test_shipped_models_equal_their_pyg_references(reference):
    model = bf.load(bf.resolve(reference[:-len(".reference.npz")]))
    for s in read_reference(os.path.join(SHIPPED, reference)):
        for engine in ("numpy", "cpp"):
            got = model.logits(s, engine=engine)
            assert np.abs(got - s["logits"]).max() <= TOLERANCE * max(1.0, np.abs(s["logits"]).max())


def test_cpp_forward_is_generic_in_emb_and_takes_any_column_order(tmp_path):
    states = read_reference(REFERENCE)
    for emb, seed in ((8, 1), (33, 2)):
        model = random_model(tmp_path / f"e{emb}.npz", emb, seed)
        for s in states[::3]:
            expected = model.logits(s)
            assert np.abs(model.logits(s, engine="cpp") - expected).max() <= EXACT * max(1, np.abs(expected).max())
            columns = np.array([5, 0, 5, len(s["col_features"]) - 1], np.int32)
            assert np.allclose(model.logits(s, columns, engine="cpp"), expected[columns], rtol=0, atol=1e-9)


def test_cpp_forward_of_states_stored_in_other_dtypes():
    """A sample file may hold float32 features and int64 indices: the Python side converts."""
    model = bf.load(MODEL)
    s = read_reference(REFERENCE)[2]
    other = dict(s, row_features=s["row_features"].astype(np.float32), edge_col=s["edge_col"].astype(np.int64),
                 edge_row_ptr=s["edge_row_ptr"].astype(np.int32), col_features=s["col_features"].astype(np.float32))
    expected = model.logits({k: v.astype(np.float64) if v.dtype == np.float32 else v for k, v in other.items()})
    assert np.abs(model.logits(other, engine="cpp") - expected).max() <= EXACT


def test_cpp_forward_refuses_states_that_do_not_fit():
    model = bf.load(MODEL).native()
    s = read_reference(REFERENCE)[0]
    with pytest.raises(ValueError, match="column 200 outside"):
        model.logits(s, np.array([200], np.int32))
    with pytest.raises(ValueError, match="row_features.*9 features"):
        model.logits(dict(s, row_features=s["row_features"][:, :8].copy()))
    with pytest.raises(ValueError, match="edge_col.*int32"):
        model.logits(dict(s, edge_col=s["edge_col"].astype(np.int64)))
    bad = s["edge_col"].copy()
    bad[3] = 999
    with pytest.raises(ValueError, match="edge 3 has column 999"):
        model.logits(dict(s, edge_col=bad))


def _instance(family: str):
    overrides = {"setcover": {"n_rows": 60, "n_cols": 200}, "cauctions": {"n_items": 20, "n_bids": 60},
                 "indset": {"n_nodes": 40}}[family]
    return generate(family, "easy", 2, **overrides)


@pytest.mark.parametrize("family, max_depth", [("setcover", None), ("cauctions", None), ("indset", None),
                                               ("setcover", 2)])
def test_gnn_rule_makes_the_python_routes_tree(family, max_depth):
    """branching="gnn" (C++ forward in the engine) and on_branch returning numpy's logits
    (the research route; below gnn_max_depth nothing, so the pseudocost rule decides):
    the same choices node after node, the same tree and answer."""
    model, instance = bf.load(MODEL), _instance(family)
    depth_option = {} if max_depth is None else {"gnn_max_depth": max_depth}

    def numpy_choices(route_decides):
        choices = []

        def on_branch(state):
            if max_depth is not None and state["facts"]["depth"] > max_depth:
                choices.append(None)
                return None
            choices.append(model.choose(state))
            return choices[-1] if route_decides else None
        return choices, on_branch

    native_choices, observe = numpy_choices(route_decides=False)
    native = instance.solve(branching="gnn", branching_model=MODEL, on_branch=observe, cuts=False, **depth_option)
    python_choices, decide = numpy_choices(route_decides=True)
    python = instance.solve(branching="pseudocost", on_branch=decide, cuts=False)
    assert native.status == python.status == "optimal"
    assert native.objective == python.objective and native.nodes == python.nodes
    assert native_choices == python_choices
    assert native.branching_model_calls == sum(c is not None for c in native_choices) > 0
    assert native.times["branching_model"] > 0
    if max_depth is not None:
        assert None in native_choices   # the pseudocost rule had nodes too


def test_gnn_max_depth_limits_the_forward_passes():
    instance = _instance("setcover")
    depths = []
    full = instance.solve(branching="gnn", branching_model=MODEL, cuts=False,
                          on_branch=lambda s: depths.append(s["facts"]["depth"]))
    root_only = instance.solve(branching="gnn", branching_model=MODEL, cuts=False, gnn_max_depth=0)
    assert full.branching_model_calls == len(depths) > 1
    assert root_only.branching_model_calls == 1
    assert root_only.status == "optimal" and root_only.objective == full.objective
    assert instance.solve().branching_model_calls == 0


@pytest.mark.parametrize("change, message", [
    (lambda h, w: h.update(format="satmip-phase-rgin"), "not a branching model \\(format 'satmip-phase-rgin'"),
    (lambda h, w: h.update(version=2), "branching model version 2; this satmip reads version 1"),
    (lambda h, w: h.update(emb=0), "header emb 0 is not an embedding size"),
    (lambda h, w: h.update(col_features=h["col_features"][:-1]), "the model's col features .* differ from the engine's"),
    (lambda h, w: h.update(row_features=h["row_features"][::-1]), "the model's row features .* differ"),
    (lambda h, w: w.pop("head.2.weight"), "no array 'head.2.weight'"),
    (lambda h, w: w.update({"conv_row_to_col.out.0.weight": w["conv_row_to_col.out.2.weight"]}),
     "array 'conv_row_to_col.out.0.weight' has shape \\(16, 16\\), expected \\(16, 32\\)"),
    (lambda h, w: w.update({"head.0.bias": w["head.0.bias"].astype(np.float64)}), "'head.0.bias' is float64"),
    (lambda h, w: w["row_norm.scale"].__setitem__(0, np.nan), "'row_norm.scale' has values that are not finite"),
    (lambda h, w: w.update(extra=np.zeros(3, np.float32)), "arrays \\['extra'\\] are not part of"),
])
def test_bad_weights_files_are_refused_naming_file_and_reason(tmp_path, change, message):
    good = bf.load(MODEL)
    header, weights = json.loads(json.dumps(good.header)), {k: v.copy() for k, v in good.weights.items()}
    change(header, weights)
    path = str(tmp_path / "bad.npz")
    np.savez(path, header=np.array(json.dumps(header)), **weights)
    with pytest.raises(ValueError, match=f"^{path}: .*{message}"):
        bf.load(path)


def test_files_that_are_no_model_at_all(tmp_path):
    text = tmp_path / "model.npz"
    text.write_text("not a zip")
    with pytest.raises(ValueError, match="not a branching model \\(not an .npz file\\)"):
        bf.load(text)
    np.savez(tmp_path / "nohead.npz", x=np.zeros(2))
    with pytest.raises(ValueError, match="no 'header' array"):
        bf.load(tmp_path / "nohead.npz")
    np.savez(tmp_path / "nojson.npz", header=np.array("{oops"))
    with pytest.raises(ValueError, match="its header is not JSON"):
        bf.load(tmp_path / "nojson.npz")
    with pytest.raises(FileNotFoundError):
        bf.load(tmp_path / "missing.npz")


def test_family_names_resolve_to_the_shipped_files_and_paths_stay_paths():
    assert bf.resolve("some/file.npz") == "some/file.npz"
    for family in bf.FAMILIES:
        shipped = os.path.join(SHIPPED, f"{family}.npz")
        if os.path.isfile(shipped):
            # the repo's file, or its copy in an installed (non-editable) package
            assert filecmp.cmp(bf.resolve(family), shipped, shallow=False)
        else:
            with pytest.raises(FileNotFoundError, match=f"no branching model for {family} is installed"):
                bf.resolve(family)


def test_api_errors():
    instance = _instance("cauctions")
    with pytest.raises(ValueError, match="branching='gnn' needs branching_model"):
        instance.solve(branching="gnn")
    with pytest.raises(ValueError, match="branching_model applies to branching='gnn' only"):
        instance.solve(branching_model=MODEL)
    with pytest.raises(TypeError, match="branching_model must be a family name"):
        instance.solve(branching="gnn", branching_model=3)
    with pytest.raises(ValueError, match="gnn_max_depth must be >= 0"):
        instance.solve(branching="gnn", branching_model=MODEL, gnn_max_depth=-1)
    from satmip import _core
    with pytest.raises(ValueError, match="branching 'gnn' needs a branching_model"):
        _core.MipSolver(instance.data.to_dict(), branching="gnn")
    with pytest.raises(ValueError, match="no array 'head.2.weight'"):
        _core.BranchModel({k: v for k, v in bf.load(MODEL).weights.items() if k != "head.2.weight"}, 16)
    # a loaded model is taken as it is
    assert instance.solve(branching="gnn", branching_model=bf.load(MODEL), node_limit=3, cuts=False).branching_model_calls >= 1


def _satmip(*args):
    return subprocess.run([sys.executable, "-m", "satmip", *args], capture_output=True, text=True, timeout=120)


def test_command_line(tmp_path):
    mps = str(tmp_path / "cauctions.mps")
    _instance("cauctions").write_mps(mps)
    run = _satmip("solve", mps, "--branching", "gnn", "--branching-model", MODEL, "-O", "gnn_max_depth=3")
    assert run.returncode == 0, run.stderr
    assert "s OPTIMAL" in run.stdout and "c branching model: " in run.stdout and "at depth <= 3" in run.stdout
    bad = tmp_path / "bad.npz"
    bad.write_text("no")
    for flags, error in ((["--branching", "gnn", "--branching-model", str(bad)], f"{bad}: not a branching model"),
                         (["--branching", "gnn"], "--branching gnn needs --branching-model"),
                         (["--branching-model", MODEL], "--branching-model needs --branching gnn"),
                         (["--branching", "best"], "--branching best: expected one of")):
        run = _satmip("solve", mps, *flags)
        assert run.returncode == 1 and run.stdout == ""
        assert run.stderr.startswith("satmip: error: ") and error in run.stderr and run.stderr.count("\n") == 1


@pytest.mark.parametrize("family", ["setcover", "cauctions", "indset"])
def test_torch_route_makes_the_native_tree(family):
    """The research route with the PyG module itself (satmip.learn.branch_model, float32)
    in on_branch: the tree of branching="gnn" (on these trees the top two logits differ
    by 1.3e-4 at least, far above float32's error). Needs torch (the learn extra)."""
    torch = pytest.importorskip("torch")
    branch_model = pytest.importorskip("satmip.learn.branch_model")
    weights = bf.load(MODEL).weights
    net = branch_model.BranchGCNN(emb=16)
    net.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in weights.items()})
    net.eval()

    state_graph = pytest.importorskip("satmip.learn.branch_dataset").state_graph

    def on_branch(state):
        with torch.no_grad():
            logits = net.forward_data(state_graph(state)).numpy()
        return logits[state["candidates"]].astype(np.float64)

    instance = _instance(family)
    python = instance.solve(branching="pseudocost", on_branch=on_branch, cuts=False)
    native = instance.solve(branching="gnn", branching_model=MODEL, cuts=False)
    assert python.status == native.status == "optimal"
    assert python.nodes == native.nodes and python.objective == native.objective


def test_engine_takes_a_model_by_name_or_file_as_bench_configs_give_it():
    """_core.MipSolver (what satmip bench checks mip_options with) reads the file itself."""
    from satmip import _core
    instance = _instance("cauctions")
    solver = _core.MipSolver(instance.data.to_dict(), branching="gnn", branching_model=MODEL, cuts=False)
    assert solver.solve() == "optimal" and solver.branching_model_calls > 0
    with pytest.raises(ValueError, match="not a branching model"):
        _core.MipSolver(instance.data.to_dict(), branching="gnn", branching_model=REFERENCE)
