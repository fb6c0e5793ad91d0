"""The clause-variable graph as a PyTorch Geometric HeteroData (needs torch and
torch-geometric: pip install "satmip[learn]"). The arrays are those of
satmip.learn.graph.clause_graph, turned into tensors without a loop."""
from __future__ import annotations

from typing import Optional

import numpy as np

from .features import clause_features, variable_features
from .graph import META, clause_graph


def to_pyg(formula, meta: bool = True, backbone: Optional[np.ndarray] = None):
    """HeteroData with node types variable, clause, meta (x: the input features
    of satmip.learn.features, float32 [n, F]; meta nodes NeuroBack's type feature
    0, [n, 1]) and edge types (variable, in, clause) / (clause, has,
    variable) with edge_attr = the literal's sign (float [E, 1]), and (meta, links,
    clause) / (clause, in, meta). backbone (int8 [nvars + 1], index 0 unused, as
    the dataset stores it) adds variable.y (NeuroBack's classes: 0 positive
    backbone, 1 negative, 2 not backbone) and variable.mask (backbone or not)."""
    try:
        import torch
        from torch_geometric.data import HeteroData
    except ImportError as err:
        raise ImportError("to_pyg needs torch and torch-geometric: pip install 'satmip[learn]'") from err
    g = clause_graph(formula, meta=meta)
    data = HeteroData()
    data["variable"].x = torch.from_numpy(variable_features(g))
    data["clause"].x = torch.from_numpy(clause_features(g))
    data["meta"].x = torch.full((g.nmeta, 1), float(META))
    for name, count in (("variable", g.nvars), ("clause", g.nclauses), ("meta", g.nmeta)):
        data[name].num_nodes = count
    forward = torch.from_numpy(np.stack([g.edge_var, g.edge_clause]))
    sign = torch.from_numpy(g.edge_sign.astype(np.float32)).view(-1, 1)
    data["variable", "in", "clause"].edge_index = forward
    data["variable", "in", "clause"].edge_attr = sign
    data["clause", "has", "variable"].edge_index = forward.flip(0)
    data["clause", "has", "variable"].edge_attr = sign.clone()
    links = torch.from_numpy(np.stack([g.clause_meta, np.arange(g.clause_meta.size, dtype=np.int64)]))
    data["meta", "links", "clause"].edge_index = links
    data["clause", "in", "meta"].edge_index = links.flip(0)
    if backbone is not None:
        b = np.asarray(backbone)[1:]
        if b.size != g.nvars:
            raise ValueError(f"backbone has {b.size + 1} entries, the formula {g.nvars + 1}")
        y = np.where(b > 0, 0, np.where(b < 0, 1, 2))
        data["variable"].y = torch.from_numpy(y.astype(np.int64))
        data["variable"].mask = torch.from_numpy(b != 0)
    return data
