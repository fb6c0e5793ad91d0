"""Writes the torch-free reference of the phase model's numpy forward (needs
torch and torch-geometric; run once, from the repository root, after a change
to the model or its format):

    python tools/make_phase_reference.py

tests/data/learn/phase_model_h16.npz   a random PhaseModel(hidden=16, layers=4, seed=2026), exported
tests/data/learn/phase_reference.npz   formulas (NAME.lits, NAME.nvars) and PyG's logits (NAME.logits)

The stored files were written with torch 2.13.0+cpu and torch-geometric 2.8.1.
tests/test_learn_phase.py checks the numpy forward against these without torch,
and PyG's forward against them with torch.
"""
from __future__ import annotations

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


def main() -> None:
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
