"""Writes the torch-free reference of the branching GCNN's forwards (needs torch and
torch-geometric; run once, from the repository root, after a change to the model,
its format or the node state):

    python tools/make_branch_reference.py

tests/data/mip/branch_gcnn_e16.npz       a GCNN of GCNN_SPEC (docs/mip-engine.md, "Learned branching")
                                         with emb 16, every parameter random (seed 2026), normalisation
                                         fitted on the states below: a weights file of format 1
tests/data/mip/branch_reference.npz      node states of small instances of the four families (as
                                         on_branch gets them) and the PyG module's logits for them,
                                         in the layout of satmip.learn.branch_export's references:
                                         state/K/{row_features, edge_row_ptr, edge_col, edge_values,
                                         col_features, candidates, logits (float32 forward),
                                         logits64 (the module in float64), choice}

The module is satmip.learn.branch_model.BranchGCNN (tests/test_learn_branching.py checks it
against the spec computed edge by edge). The stored files were written with torch
2.13.0+cpu and torch-geometric 2.8.1; tests/test_branch_gnn.py checks the numpy and C++
forwards against them without torch.
"""
from __future__ import annotations

import json
import os

import numpy as np
import torch
from torch import nn

from satmip.learn.branch_dataset import edge_tensors
from satmip.learn.branch_format import FORMAT, VERSION
from satmip.learn.branch_model import BranchGCNN
from satmip.learn.instances import generate
from satmip.mip import COL_FEATURES, EDGE_FEATURES, ROW_FEATURES

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "mip")
EMB = 16
# (family, size overrides, seed): small enough for small files, each with a few branching nodes.
INSTANCES = [("setcover", {"n_rows": 60, "n_cols": 200}, 2), ("cauctions", {"n_items": 20, "n_bids": 60}, 1),
             ("facilities", {"n_customers": 15, "n_facilities": 8}, 2), ("indset", {"n_nodes": 40}, 2)]
STATES_PER_INSTANCE = 2
STATE_KEYS = ("row_features", "edge_row_ptr", "edge_col", "edge_values", "col_features", "candidates")


def collect_states() -> list:
    states = []
    for family, overrides, seed in INSTANCES:
        model = generate(family, "easy", seed, **overrides)
        taken = []

        def on_branch(state):
            if len(taken) < STATES_PER_INSTANCE and len(state["candidates"]) > 1:
                taken.append({k: np.array(state[k]) for k in STATE_KEYS})
        model.solve(on_branch=on_branch, node_limit=40, cuts=False)
        assert len(taken) == STATES_PER_INSTANCE, (family, len(taken))
        states += taken
    return states


def randomise(net: nn.Module, states: list, seed: int = 2026) -> None:
    """Every parameter random (LayerNorm weights around 1), the normalisation fitted on the states."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for key, p in net.state_dict().items():
            if key.endswith("_norm.shift") or key.endswith("_norm.scale"):
                continue
            if "norm" in key:
                values = rng.uniform(0.5, 1.5, p.shape) if key.endswith("weight") else rng.normal(0, 0.2, p.shape)
            else:
                values = rng.normal(0, 1 / np.sqrt(p.shape[-1] if p.dim() == 2 else 4), p.shape)
            p.copy_(torch.from_numpy(values))
        for name, key in (("row", "row_features"), ("edge", "edge_values"), ("col", "col_features")):
            x = np.concatenate([s[key].reshape(len(s[key]), -1) for s in states])
            std = x.std(axis=0)
            getattr(net, f"{name}_norm").shift.copy_(torch.from_numpy(x.mean(axis=0)))
            getattr(net, f"{name}_norm").scale.copy_(torch.from_numpy(np.where(std < 1e-8, 1.0, 1.0 / np.maximum(std, 1e-8))))


def logits(net: nn.Module, state: dict, dtype) -> np.ndarray:
    # the edges' index as training builds it; their values in `dtype` (float64 kept exact)
    edge_index = edge_tensors(state["edge_row_ptr"], state["edge_col"], state["edge_values"])[0]
    t = lambda a: torch.from_numpy(np.asarray(a)).to(dtype)   # noqa: E731
    with torch.no_grad():
        return net.to(dtype)(t(state["row_features"]), edge_index,
                             t(state["edge_values"]).reshape(-1, len(EDGE_FEATURES)),
                             t(state["col_features"])).numpy()


def main() -> None:
    states = collect_states()
    net = BranchGCNN(emb=EMB).eval()
    randomise(net, states)
    header = {"format": FORMAT, "version": VERSION, "emb": EMB, "row_features": list(ROW_FEATURES),
              "edge_features": list(EDGE_FEATURES), "col_features": list(COL_FEATURES),
              "family": "test", "command": "python tools/make_branch_reference.py", "metrics": {}}
    weights = {k: v.detach().float().numpy() for k, v in net.float().state_dict().items()}
    np.savez_compressed(os.path.join(HERE, "branch_gcnn_e16.npz"), header=np.array(json.dumps(header)), **weights)
    arrays = {"format": np.array("satmip-branch-gcnn-reference"), "states": np.array(len(states))}
    for k, s in enumerate(states):
        base = f"state/{k}/"
        for name in STATE_KEYS:
            arrays[base + name] = s[name]
        arrays[base + "logits"] = logits(net, s, torch.float32).astype(np.float32)
        arrays[base + "logits64"] = logits(net, s, torch.float64)
        c = s["candidates"]
        arrays[base + "choice"] = np.array(int(c[np.argmax(arrays[base + "logits64"][c])]))
    np.savez_compressed(os.path.join(HERE, "branch_reference.npz"), **arrays)
    print(f"{len(states)} states; |logits| up to {max(np.abs(arrays[f'state/{k}/logits64']).max() for k in range(len(states))):.3g}")


if __name__ == "__main__":
    main()
