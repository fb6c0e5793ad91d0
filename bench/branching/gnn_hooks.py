"""Hooks of bench/branching/eval.toml: the learned branching of issue 14 per family.

The family is $BRANCH_FAMILY (setcover, cauctions, facilities, indset); $BRANCH_MODEL, if set,
names another weights file. Each hook runs inside the timed region, so loading the model
counts in the run's time, as its forward passes do.

- native(model): branching="gnn", the engine's C++ forward at every node (no Python per node).
- python(model): the research route, on_branch with the same model's forward in numpy
  (satmip.learn.branch_format); with $BRANCH_ENGINE=torch the PyG module
  (satmip.learn.branch_model, torch needed) on the same weights.
"""
from __future__ import annotations

import os


def _model_name() -> str:
    name = os.environ.get("BRANCH_MODEL") or os.environ.get("BRANCH_FAMILY")
    if not name:
        raise RuntimeError("set BRANCH_FAMILY (or BRANCH_MODEL) for bench/branching/eval.toml")
    return name


def native(model) -> dict:
    return {"branching": "gnn", "branching_model": _model_name()}


def python(model) -> dict:
    from satmip.learn import branch_format
    path = branch_format.resolve(_model_name())
    if os.environ.get("BRANCH_ENGINE", "numpy") == "torch":
        return {"on_branch": _torch_policy(path)}
    return {"on_branch": branch_format.load(path).choose}


def _torch_policy(path: str):
    """on_branch with the PyG module (float32) loaded from the weights file: its logits of
    the candidates, the highest wins (as branching="gnn" picks)."""
    import torch
    from satmip.learn.branch_dataset import state_graph
    from satmip.learn.branch_export import load_npz
    net = load_npz(path)
    net.eval()
    torch.set_num_threads(1)

    def on_branch(state):
        with torch.no_grad():
            logits = net.forward_data(state_graph(state)).numpy()
        return logits[state["candidates"]].astype("float64")
    return on_branch
