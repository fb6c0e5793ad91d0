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

The module is satmip.learn.branch_model.BranchGCNN where that exists, else the copy below
(the same state_dict keys and computation). The stored files were written with torch
2.13.0+cpu and torch-geometric 2.8.1; tests/test_branch_gnn.py checks the numpy and C++
forwards against them without torch.
"""
from __future__ import annotations

import json
import os

import numpy as np
import torch
from torch import nn
from torch_geometric.utils import scatter

from satmip.learn.branch_format import FORMAT, VERSION
from satmip.learn.instances import generate
from satmip.mip import COL_FEATURES, EDGE_FEATURES, ROW_FEATURES

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "mip")
EMB = 16
# (family, size overrides, seed): small enough for small files, each with a few branching nodes.
INSTANCES = [("setcover", {"n_rows": 60, "n_cols": 200}, 2), ("cauctions", {"n_items": 20, "n_bids": 60}, 1),
             ("facilities", {"n_customers": 15, "n_facilities": 8}, 2), ("indset", {"n_nodes": 40}, 2)]
STATES_PER_INSTANCE = 2
STATE_KEYS = ("row_features", "edge_row_ptr", "edge_col", "edge_values", "col_features", "candidates")


class HalfConv(nn.Module):
    def __init__(self, emb: int):
        super().__init__()
        self.target = nn.Linear(emb, emb)
        self.edge = nn.Linear(len(EDGE_FEATURES), emb, bias=False)
        self.source = nn.Linear(emb, emb, bias=False)
        self.message_norm = nn.LayerNorm(emb, eps=1e-5)
        self.message = nn.Linear(emb, emb)
        self.post_norm = nn.LayerNorm(emb, eps=1e-5)
        self.out = nn.Sequential(nn.Linear(2 * emb, emb), nn.ReLU(), nn.Linear(emb, emb))

    def forward(self, h_source, edge_index, edge_attr, h_target):
        source, target = edge_index   # a message per edge, summed per target (PyG's scatter)
        pre = self.target(h_target[target]) + self.edge(edge_attr) + self.source(h_source[source])
        messages = self.message(torch.relu(self.message_norm(pre)))
        agg = scatter(messages, target, dim=0, dim_size=h_target.size(0), reduce="sum")
        return self.out(torch.cat([self.post_norm(agg), h_target], dim=-1))


class Norm(nn.Module):
    def __init__(self, features: int):
        super().__init__()
        self.register_buffer("shift", torch.zeros(features))
        self.register_buffer("scale", torch.ones(features))

    def forward(self, x):
        return (x - self.shift) * self.scale


class GCNN(nn.Module):
    """GCNN_SPEC's module; forward(row_x, edge_index [2, nnz] (row, column), edge_attr, col_x)."""

    def __init__(self, emb: int):
        super().__init__()
        self.emb = emb
        self.row_norm, self.edge_norm = Norm(len(ROW_FEATURES)), Norm(len(EDGE_FEATURES))
        self.col_norm = Norm(len(COL_FEATURES))
        self.row_embed = nn.Sequential(nn.Linear(len(ROW_FEATURES), emb), nn.ReLU(), nn.Linear(emb, emb), nn.ReLU())
        self.col_embed = nn.Sequential(nn.Linear(len(COL_FEATURES), emb), nn.ReLU(), nn.Linear(emb, emb), nn.ReLU())
        self.conv_col_to_row, self.conv_row_to_col = HalfConv(emb), HalfConv(emb)
        self.head = nn.Sequential(nn.Linear(emb, emb), nn.ReLU(), nn.Linear(emb, 1, bias=False))

    def forward(self, row_x, edge_index, edge_attr, col_x):
        rows = self.row_embed(self.row_norm(row_x))
        cols = self.col_embed(self.col_norm(col_x))
        edges = self.edge_norm(edge_attr)
        rows = self.conv_col_to_row(cols, edge_index.flip(0), edges, rows)
        cols = self.conv_row_to_col(rows, edge_index, edges, cols)
        return self.head(cols).squeeze(-1)


def module(emb: int) -> nn.Module:
    try:
        from satmip.learn.branch_model import BranchGCNN
        return BranchGCNN(emb=emb)
    except ImportError:
        return GCNN(emb)


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
    ptr = state["edge_row_ptr"]
    rows = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
    edge_index = torch.from_numpy(np.stack([rows, state["edge_col"].astype(np.int64)]))
    t = lambda a: torch.from_numpy(np.asarray(a)).to(dtype)   # noqa: E731
    with torch.no_grad():
        return net.to(dtype)(t(state["row_features"]), edge_index,
                             t(state["edge_values"]).reshape(-1, len(EDGE_FEATURES)),
                             t(state["col_features"])).numpy()


def main() -> None:
    states = collect_states()
    net = module(EMB).eval()
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
