"""The shipped phase model (models/phase/default.npz) loads and runs with numpy
only, and gives the logits PyG gave when it was exported
(tools/make_phase_reference.py --shipped models/phase/default.npz)."""
from __future__ import annotations

import hashlib
import json
import os

import numpy as np

from satmip.dimacs import Cnf
from satmip.learn.phase_format import FORMAT
from satmip.learn.phase_infer import PhaseInference

ROOT = os.path.join(os.path.dirname(__file__), "..")
SHIPPED = os.path.join(ROOT, "models", "phase", "default.npz")
DATA = os.path.join(os.path.dirname(__file__), "data", "learn")
TOLERANCE = 1e-5


def reference_formulas() -> dict:
    """The formulas of tests/data/learn/phase_reference.npz (test_learn_phase.py's)."""
    with np.load(os.path.join(DATA, "phase_reference.npz")) as z:
        names = sorted({key.rsplit(".", 1)[0] for key in z.files})
        return {n: Cnf(int(z[f"{n}.nvars"]), z[f"{n}.lits"], int((z[f"{n}.lits"] == 0).sum())) for n in names}


def test_shipped_model_is_small_and_of_this_format():
    assert os.path.getsize(SHIPPED) < 4 * 2 ** 20
    with np.load(SHIPPED) as z:
        header = json.loads(bytes(z["header"]).decode())
    assert header["format"] == FORMAT
    assert os.path.exists(os.path.join(ROOT, "models", "phase", "README.md"))


def test_shipped_model_equals_the_pyg_logits_stored_at_export():
    with np.load(os.path.join(DATA, "default_reference.npz")) as z:
        stored = {k: z[k] for k in z.files}
    with open(SHIPPED, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    assert bytes(stored["sha256"]).decode() == digest, \
        "models/phase/default.npz changed: run tools/make_phase_reference.py --shipped models/phase/default.npz"
    model = PhaseInference.load(SHIPPED)
    cases = reference_formulas()
    assert len(cases) == 7
    for name, cnf in cases.items():
        want = stored[f"{name}.logits"]
        got = model.logits(cnf)
        assert got.shape == want.shape and np.abs(got - want).max() <= TOLERANCE, name
        p = model.predict(cnf)
        assert p.dtype == np.float32 and p.shape == (cnf.nvars,)
