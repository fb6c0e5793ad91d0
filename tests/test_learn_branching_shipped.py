"""The shipped branching models (models/branching/FAMILY.npz): each file's header names
the engine's feature tables, and the PyG module loaded from it gives the logits and the
choices its reference file (FAMILY.reference.npz, written by train_branching) recorded.
The header check needs numpy only; the logits need torch (skipped without it)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from satmip.mip import COL_FEATURES, EDGE_FEATURES, ROW_FEATURES

MODELS = Path(__file__).resolve().parents[1] / "models" / "branching"
SHIPPED = sorted(p for p in MODELS.glob("*.npz") if not p.name.endswith(".reference.npz"))
FAMILIES = [p.stem for p in SHIPPED]


def test_every_model_has_its_reference_file():
    assert FAMILIES, f"no model in {MODELS}"
    for family in FAMILIES:
        assert (MODELS / f"{family}.reference.npz").exists(), family


@pytest.mark.parametrize("family", FAMILIES)
def test_header_names_the_engines_features(family):
    with np.load(MODELS / f"{family}.npz", allow_pickle=False) as f:
        head = json.loads(str(f["header"][()]))
        assert all(f[k].dtype == np.float32 for k in f.files if k != "header")
    assert (head["format"], head["version"], head["family"]) == ("satmip-branch-gcnn", 1, family)
    assert head["row_features"] == list(ROW_FEATURES) and head["edge_features"] == list(EDGE_FEATURES)
    assert head["col_features"] == list(COL_FEATURES)
    test = head["metrics"]["test"]
    assert test["samples"] > 0 and 0 <= test["acc@1"] <= test["acc@5"] <= 1


@pytest.mark.parametrize("family", FAMILIES)
def test_module_from_the_file_repeats_the_reference_logits(family):
    torch = pytest.importorskip("torch", reason="the PyG module needs torch")
    pytest.importorskip("torch_geometric", reason="the PyG module needs torch-geometric")
    from satmip.learn.branch_dataset import state_graph
    from satmip.learn.branch_export import STATE_KEYS, choice, load_npz, read_reference
    model = load_npz(str(MODELS / f"{family}.npz"))
    references = read_reference(str(MODELS / f"{family}.reference.npz"))
    assert references
    for ref in references:
        with torch.no_grad():
            logits = model.forward_data(state_graph({k: ref[k] for k in STATE_KEYS})).numpy()
        np.testing.assert_allclose(logits, ref["logits"], rtol=1e-5, atol=1e-5)
        assert choice(logits, ref["candidates"]) == int(ref["choice"])
