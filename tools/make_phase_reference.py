"""Writes the torch-free reference of the phase model's numpy forward (needs
torch and torch-geometric; run once, from the repository root, after a change
to the model or its format):

    python tools/make_phase_reference.py
    python tools/make_phase_reference.py --shipped models/phase/default.npz   # after training

tests/data/learn/phase_model_h16.npz   a random PhaseModel(hidden=16, layers=4, seed=2026), exported
tests/data/learn/phase_reference.npz   formulas (NAME.lits, NAME.nvars) and PyG's logits (NAME.logits)
tests/data/learn/default_reference.npz with --shipped: PyG's logits of the shipped model on the same
                                       formulas (NAME.logits) and the model file's sha256

The stored files were written with torch 2.13.0+cpu and torch-geometric 2.8.1.
tests/test_learn_phase.py checks the numpy forward against these without torch,
and PyG's forward against them with torch.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os

import numpy as np
import torch

from satmip.dimacs import Cnf, flatten
from satmip.learn import generate, to_pyg
from satmip.learn.phase_model import PhaseModel, export_npz

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "learn")


def reference_formulas() -> dict:
    """Small formulas that cover the graph's corner cases, and generated ones
    (stored as literals: a generator change cannot move the reference)."""
    def cnf(nvars, clauses):
        return Cnf(nvars, flatten(clauses), len(clauses))
    return {
        # two components, a unit clause, two unused variables
        "components_unit_unused": cnf(7, [[1, -2], [2, 3], [4, 5], [-4]]),
        "empty_clause": cnf(3, [[1, 2], [], [-1, 3]]),
        "no_clauses": cnf(4, []),
        "planted_ksat_300": generate("planted_ksat", 300, 1),   # enough rows for the vectorised passes
        "latin_square_tiny": generate("latin_square", "tiny", 0),
        "flat_colouring_tiny": generate("flat_colouring", "tiny", 2),
        "factoring_tiny": generate("factoring", "tiny", 1),
    }


def shipped_reference(path: str) -> None:
    """PyG's logits of an exported model (loaded back into PhaseModel) on the
    reference formulas, for tests/test_learn_shipped_model.py."""
    with np.load(path) as z:
        header = json.loads(bytes(z["header"]).decode())
        state = {k: torch.from_numpy(z[k]) for k in z.files if k != "header"}
    model = PhaseModel(hidden=header["hidden"], layers=header["layers"])
    model.load_state_dict(state)
    model.eval()
    with open(path, "rb") as f:
        arrays = {"sha256": np.frombuffer(hashlib.sha256(f.read()).hexdigest().encode(), np.uint8)}
    with torch.no_grad():
        for name, cnf in reference_formulas().items():
            arrays[f"{name}.logits"] = model(to_pyg(cnf)).numpy().astype(np.float32)
    np.savez_compressed(os.path.join(HERE, "default_reference.npz"), **arrays)
    print(f"wrote the logits of {path} on {len(arrays) - 1} formulas to {HERE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shipped", metavar="NPZ", help="write the reference of this exported model instead")
    args = parser.parse_args()
    if args.shipped:
        shipped_reference(args.shipped)
        return
    os.makedirs(HERE, exist_ok=True)
    model = PhaseModel(hidden=16, layers=4, seed=2026).eval()
    export_npz(model, os.path.join(HERE, "phase_model_h16.npz"))
    arrays = {}
    with torch.no_grad():
        for name, cnf in reference_formulas().items():
            arrays[f"{name}.lits"] = np.asarray(cnf.lits, np.int32)
            arrays[f"{name}.nvars"] = np.int64(cnf.nvars)
            arrays[f"{name}.logits"] = model(to_pyg(cnf)).numpy().astype(np.float32)
    np.savez_compressed(os.path.join(HERE, "phase_reference.npz"), **arrays)
    print(f"wrote {len(arrays) // 3} formulas to {HERE}")


if __name__ == "__main__":
    main()
