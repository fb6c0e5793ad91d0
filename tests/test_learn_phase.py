"""The phase model: PyG's forward (satmip.learn.phase_model) and the numpy one
(satmip.learn.phase_infer) must agree. Without torch the numpy forward is
checked against logits PyG computed once (tools/make_phase_reference.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import satmip
from satmip.dimacs import Cnf
from satmip.learn import clause_graph, generate
from satmip.learn.phase_infer import PhaseInference, _Aggregation, phases

DATA = os.path.join(os.path.dirname(__file__), "data", "learn")
MODEL = os.path.join(DATA, "phase_model_h16.npz")
TOLERANCE = 1e-5


def reference() -> dict:
    """name -> (Cnf, PyG's logits) from tests/data/learn/phase_reference.npz."""
    with np.load(os.path.join(DATA, "phase_reference.npz")) as z:
        names = sorted({key.rsplit(".", 1)[0] for key in z.files})
        return {n: (Cnf(int(z[f"{n}.nvars"]), z[f"{n}.lits"], int((z[f"{n}.lits"] == 0).sum())),
                    z[f"{n}.logits"]) for n in names}


def test_numpy_forward_matches_the_stored_pyg_logits():
    model = PhaseInference.load(MODEL)
    cases = reference()
    assert len(cases) == 7
    for name, (cnf, expected) in cases.items():
        got = model.logits(cnf)
        assert got.shape == (cnf.nvars,) and got.dtype == np.float32, name
        assert np.abs(got - expected).max() <= TOLERANCE, name
        p = model.predict(cnf)
        assert np.abs(p - 1 / (1 + np.exp(-expected.astype(np.float64)))).max() <= TOLERANCE, name
    # The unused variables 6 and 7 see no clause: both get the same (isolated node's) value.
    cnf, _ = cases["components_unit_unused"]
    logits = model.logits(cnf)
    assert abs(logits[5] - logits[6]) < 1e-6 and abs(logits[5] - logits[0]) > 1e-3


def test_aggregation_equals_add_at_for_every_degree_shape():
    rng = np.random.default_rng(5)
    # Many low-degree destinations (vectorised passes), a few hubs (reduceat),
    # empty destinations, one destination taking everything, and no edges at all.
    hub_dst = np.concatenate([rng.integers(0, 3000, 20000), np.full(3000, 7), np.full(500, 2999)])
    cases = [(hub_dst, 3000), (rng.integers(0, 50, 400), 50), (np.zeros(1000, np.int64), 1),
             (np.zeros(0, np.int64), 10), (rng.integers(0, 5000, 6000), 6000)]
    for dst, ndst in cases:
        src = rng.integers(0, 900, dst.size)
        messages = rng.standard_normal((900, 4)).astype(np.float32)
        for mean in (False, True):
            want = np.zeros((ndst, 4))
            np.add.at(want, dst, messages[src].astype(np.float64))
            if mean:
                want /= np.maximum(np.bincount(dst, minlength=ndst), 1)[:, None]
            out = np.ones((ndst, 4), np.float32)
            _Aggregation(src, dst, ndst, mean).add_into(out, messages)
            assert np.abs(out - 1 - want).max() < 1e-4, (ndst, mean)


def test_bad_model_files_are_clear_errors(tmp_path):
    with np.load(MODEL) as z:
        good = {k: z[k] for k in z.files}
    header = json.loads(bytes(good["header"]).decode())

    def write(arrays, name="m.npz"):
        path = str(tmp_path / name)
        np.savez(path, **arrays)
        return path

    def with_header(**changes):
        return dict(good, header=np.frombuffer(json.dumps(dict(header, **changes)).encode(), np.uint8))

    assert PhaseInference.load(write(good)).hidden == 16
    # format 1 had no input features, 2 none from the lookahead; a later one is unknown here
    for old_or_new in (1, 2, 4):
        with pytest.raises(ValueError, match=f"format {old_or_new} / 'satmip-phase-rgin'; this satmip reads 3"):
            PhaseInference.load(write(with_header(format=old_or_new)))
    with pytest.raises(ValueError, match="features"):
        PhaseInference.load(write(with_header(features={"variable": ["log_pos"], "clause": []})))
    with pytest.raises(ValueError, match=r"'in_variable' has shape \(5, 16\)"):
        PhaseInference.load(write(dict(good, in_variable=good["in_variable"][:5])))
    with pytest.raises(ValueError, match="relations"):
        PhaseInference.load(write(with_header(relations=["var_clause_pos"])))
    with pytest.raises(ValueError, match="no header"):
        PhaseInference.load(write({k: v for k, v in good.items() if k != "header"}))
    with pytest.raises(ValueError, match="lacks weight 'layers.3.w_rel'"):
        PhaseInference.load(write({k: v for k, v in good.items() if k != "layers.3.w_rel"}))
    with pytest.raises(ValueError, match=r"'head_w1' has shape \(16, 15\)"):
        PhaseInference.load(write(dict(good, head_w1=good["head_w1"][:, :15])))
    with pytest.raises(ValueError, match="lacks weight 'layers.4"):
        PhaseInference.load(write(with_header(layers=5)))


def test_confidence_rule():
    p = np.array([0.95, 0.9, 0.5, 0.1, 0.05, 0.11], np.float32)
    assert phases(p, 0.9).tolist() == [1, 1, 0, -1, -1, 0]
    assert phases(p, 0.5).tolist() == [1, 1, 1, -1, -1, -1]


def test_phase_inference_runs_without_torch():
    code = f"""
import sys
sys.modules['torch'] = None
sys.modules['torch_geometric'] = None
from satmip.learn.phase_infer import PhaseInference
from satmip.learn import generate
p = PhaseInference.load({MODEL!r}).predict(generate('planted_ksat', 'tiny', 0))
assert p.shape == (20,) and ((p > 0) & (p < 1)).all()
try:
    import satmip.learn.phase_model
except ImportError as err:
    assert "satmip[learn]" in str(err)
else:
    raise AssertionError('phase_model imported without torch')
print('ok')
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


# ---- with torch: PyG's forward itself (one torch import for the module) ----

def _torch():
    torch = pytest.importorskip("torch", reason="the PyG model needs torch (pip install 'satmip[learn]')")
    pytest.importorskip("torch_geometric", reason="the PyG model needs torch-geometric")
    return torch


def _pyg_logits(model, cnf):
    import torch
    from satmip.learn import to_pyg
    with torch.no_grad():
        return model(to_pyg(cnf)).numpy()


def test_pyg_model_reproduces_the_stored_reference():
    """Loads the exported weights back into PhaseModel: the torch model and the
    stored logits still agree (a model change needs tools/make_phase_reference.py)."""
    torch = _torch()
    from satmip.learn.phase_model import PhaseModel
    model = PhaseModel(hidden=16, layers=4)
    with np.load(MODEL) as z:
        model.load_state_dict({k: torch.from_numpy(z[k]) for k in z.files if k != "header"})
    for name, (cnf, expected) in reference().items():
        assert np.abs(_pyg_logits(model, cnf) - expected).max() <= TOLERANCE, name


def test_numpy_forward_equals_pyg_on_fresh_random_models(tmp_path):
    _torch()
    from satmip.learn.phase_model import PhaseModel, export_npz
    formulas = [generate(f, s, seed) for f, s, seed in
                (("grid_planning", "tiny", 3), ("planted_clique", "tiny", 1), ("circuit_preimage", "tiny", 4),
                 ("planted_ksat", 600, 2))]
    formulas.append(Cnf(5, satmip.dimacs.flatten([[1, 2, -3], [-1], [], [4, -5], [5]]), 5))
    for hidden, layers, seed in ((32, 4, 0), (8, 2, 1)):
        torch_model = PhaseModel(hidden=hidden, layers=layers, seed=seed).eval()
        path = str(tmp_path / f"m{seed}.npz")
        export_npz(torch_model, path)
        model = PhaseInference.load(path)
        for cnf in formulas:
            want = _pyg_logits(torch_model, cnf)
            got = model.logits(clause_graph(cnf))
            assert want.std() > 1e-3   # not a constant output that would match anything
            assert np.abs(got - want).max() <= TOLERANCE


def test_a_batch_of_graphs_is_each_graph_alone():
    """Training batches formulas (PyG offsets the node ids): no message may cross
    from one formula to another, so the batch's logits are each formula's."""
    _torch()
    import torch
    from torch_geometric.data import Batch
    from satmip.learn import to_pyg
    from satmip.learn.phase_model import PhaseModel
    model = PhaseModel(hidden=8, layers=3, seed=4).eval()
    formulas = [cnf for cnf, _ in reference().values()]
    with torch.no_grad():
        together = model(Batch.from_data_list([to_pyg(cnf) for cnf in formulas])).numpy()
    alone = np.concatenate([_pyg_logits(model, cnf) for cnf in formulas])
    assert together.shape == alone.shape and np.abs(together - alone).max() <= TOLERANCE
