"""Branching samples (satmip.learn.sample_files, layout "satmip") as PyTorch Geometric
graphs for satmip.learn.branch_model (needs torch and torch-geometric).

A sample becomes a `BranchGraph`: ``row_x`` [m, 9] and ``col_x`` [n, 22] (the state's
row and column features), ``edge_index`` [2, nnz] (row, column: the state's CSR
unrolled) with ``edge_attr`` [nnz, 1], ``candidates`` (the node's fractional columns),
``target`` (the expert's column's index among them), ``scores`` (the expert's score of
each candidate: accuracy counts a pick whose score ties the best, as learn2branch) and
``num_candidates``. Batches (`torch_geometric.data.Batch`) shift ``edge_index`` and
``candidates`` by the graphs before them and leave ``target`` alone, so the candidate
logits of graph g are ``logits[batch.candidates]`` in the segment of ``num_candidates[g]``.

Samples of one episode with the same static version share one edge tensor in memory.
The normalisation's shift/scale come from `feature_moments` over the training split.
"""
from __future__ import annotations

import glob
import os
from typing import Iterable, Optional

import numpy as np

try:
    import torch
    from torch_geometric.data import Data
except ImportError as err:  # pragma: no cover - the message is the point
    raise ImportError("satmip.learn.branch_dataset needs torch and torch-geometric: "
                      "pip install 'satmip[learn]'") from err

from .sample_files import SampleFile, is_complete

SPLITS = ("train", "valid", "test")


class BranchGraph(Data):
    """One node state: a bipartite graph of LP rows and columns with its candidates."""

    def __inc__(self, key, value, *args, **kwargs):
        if key == "edge_index":
            return torch.tensor([[self.row_x.size(0)], [self.col_x.size(0)]])
        if key == "candidates":
            return self.col_x.size(0)
        if key == "target":
            return 0
        return super().__inc__(key, value, *args, **kwargs)


def edge_tensors(edge_row_ptr, edge_col, edge_values) -> tuple:
    """The state's CSR over rows as (edge_index [2, nnz] int64 (row, column), edge_attr [nnz, 1] float32)."""
    ptr = np.asarray(edge_row_ptr, dtype=np.int64)
    rows = np.repeat(np.arange(ptr.size - 1, dtype=np.int64), np.diff(ptr))
    cols = np.asarray(edge_col, dtype=np.int64)
    values = np.asarray(edge_values, dtype=np.float32).reshape(-1, 1)
    if not rows.size == cols.size == values.shape[0]:
        raise ValueError(f"edge arrays disagree: {rows.size} by the row pointers, {cols.size} columns, "
                         f"{values.shape[0]} values")
    return torch.from_numpy(np.stack([rows, cols])), torch.from_numpy(values)


def state_graph(state: dict, edges: Optional[tuple] = None) -> BranchGraph:
    """A graph of an ``on_branch`` state or a sample (no target unless it has an ``expert_column``).
    edges: the (edge_index, edge_attr) of `edge_tensors`, when the caller shares them."""
    if edges is None:
        edges = edge_tensors(state["edge_row_ptr"], state["edge_col"], state["edge_values"])
    row_x = torch.from_numpy(np.ascontiguousarray(state["row_features"], dtype=np.float32))
    col_x = torch.from_numpy(np.ascontiguousarray(state["col_features"], dtype=np.float32))
    candidates = np.asarray(state["candidates"], dtype=np.int64)
    graph = BranchGraph(row_x=row_x, col_x=col_x, edge_index=edges[0], edge_attr=edges[1],
                        candidates=torch.from_numpy(candidates),
                        num_candidates=torch.tensor([candidates.size]))
    graph.num_nodes = col_x.size(0)
    if "expert_column" in state:
        where = np.flatnonzero(candidates == int(state["expert_column"]))
        if where.size != 1:
            raise ValueError(f"the expert's column {state['expert_column']} is not a candidate")
        graph.target = torch.tensor([int(where[0])])
        graph.scores = torch.from_numpy(np.asarray(state["scores"], dtype=np.float64))
    return graph


def sample_files(folder: str) -> list[str]:
    """The complete sample files of a collection folder (its samples/ or the folder itself)."""
    inner = os.path.join(folder, "samples")
    base = inner if os.path.isdir(inner) else folder
    return [p for p in sorted(glob.glob(os.path.join(base, "*.npz"))) if is_complete(p)]


def file_graphs(path: str, limit: Optional[int] = None) -> list[BranchGraph]:
    """The graphs of one sample file, the edge tensors shared per static version."""
    f = SampleFile(path)
    if f.layout != "satmip":
        raise ValueError(f"{path}: layout {f.layout!r}; the GCNN reads layout 'satmip'")
    shared: dict[int, tuple] = {}
    graphs = []
    try:
        for k in range(len(f) if limit is None else min(limit, len(f))):
            s = f[k]
            version = s["static_version"]
            if version not in shared:
                shared[version] = edge_tensors(s["edge_row_ptr"], s["edge_col"], s["edge_values"])
            g = state_graph(s, shared[version])
            g.instance, g.seed, g.node_id = s["instance"], s["seed"], s["node_id"]
            graphs.append(g)
    finally:
        f.close()
    return graphs


def load_graphs(folder: str, limit: Optional[int] = None) -> list[BranchGraph]:
    """Every sample of a collection folder, in file order (at most limit)."""
    graphs: list[BranchGraph] = []
    for path in sample_files(folder):
        if limit is not None and len(graphs) >= limit:
            break
        graphs.extend(file_graphs(path, None if limit is None else limit - len(graphs)))
    return graphs


def feature_moments(graphs: Iterable[BranchGraph]) -> dict:
    """Mean and standard deviation per feature over every row, edge and column of the graphs
    (float64 sums): {"row": (mean, std), "edge": ..., "col": ...}, numpy arrays."""
    sums: dict[str, list] = {}
    for g in graphs:
        for name, x in (("row", g.row_x), ("edge", g.edge_attr), ("col", g.col_x)):
            x = x.to(torch.float64)
            acc = sums.setdefault(name, [0, 0.0, 0.0])
            acc[0] += x.size(0)
            acc[1] = acc[1] + x.sum(dim=0)
            acc[2] = acc[2] + (x * x).sum(dim=0)
    if not sums:
        raise ValueError("no graphs to fit the normalisation on")
    out = {}
    for name, (count, s1, s2) in sums.items():
        mean = s1 / max(count, 1)
        var = torch.clamp(s2 / max(count, 1) - mean * mean, min=0.0)
        out[name] = (mean.numpy(), var.sqrt().numpy())
    return out


def fit_normalisation(model, graphs: Iterable[BranchGraph]) -> dict:
    """Sets the model's row/edge/col shift and scale from the graphs' moments; returns them."""
    moments = feature_moments(graphs)
    model.row_norm.fit(*moments["row"])
    model.edge_norm.fit(*moments["edge"])
    model.col_norm.fit(*moments["col"])
    return moments
