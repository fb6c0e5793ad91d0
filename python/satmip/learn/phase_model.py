"""The phase model in PyTorch Geometric (needs torch and torch-geometric: pip
install "satmip[learn]"): NeuroBack's relational GIN subnet (LEARNED.md A.2)
scaled to 2 cores, built from ops that satmip.learn.phase_infer repeats exactly
in numpy (sum / mean aggregation, matrix products, LayerNorm, tanh-GELU), so a
trained model runs in a solver's process without torch.

The input: h = the node type's embedding + its features (satmip.learn.features)
times a matrix per type (variables and clauses; meta nodes have none). Per layer,
with x = LayerNorm(h) on every node:

    z_i = x_i W_self + b + sum_r AGG_{j in N_r(i)} x_j W_r
    h_i <- h_i + GELU(z_i) W_out + b_out

over six directed relations: variable -> clause and clause -> variable, each
split by the literal's sign, meta -> clause and clause -> meta (mean, the rest
sum). The head reads the variables: LayerNorm, Linear, GELU, Linear -> one
logit of P(positive phase). docs/learning.md says what was cut from NeuroBack.
"""
from __future__ import annotations

import json
import math
from typing import cast

import numpy as np

try:
    import torch
    from torch import nn
    from torch_geometric.utils import scatter
except ImportError as err:  # pragma: no cover - the message is the point
    raise ImportError("satmip.learn.phase_model needs torch and torch-geometric: "
                      "pip install 'satmip[learn]'") from err

from .phase_format import FEATURES, FORMAT, MODEL_NAME, NODE_TYPES, RELATIONS

LN_EPS = 1e-5


def _uniform(shape, fan_in, generator=None):
    bound = 1.0 / math.sqrt(fan_in)
    return nn.Parameter(torch.empty(shape).uniform_(-bound, bound, generator=generator))


class PhaseLayer(nn.Module):
    def __init__(self, hidden: int, generator=None):
        super().__init__()
        self.norm = nn.LayerNorm(hidden, eps=LN_EPS)
        self.w_self = _uniform((hidden, hidden), hidden, generator)
        self.w_rel = _uniform((len(RELATIONS), hidden, hidden), hidden, generator)
        self.bias = nn.Parameter(torch.zeros(hidden))
        self.w_out = _uniform((hidden, hidden), hidden, generator)
        self.b_out = nn.Parameter(torch.zeros(hidden))


class PhaseModel(nn.Module):
    """forward(data) -> logits [nvars] of P(positive phase), data a HeteroData
    from satmip.learn.to_pyg (or a Batch of them)."""

    def __init__(self, hidden: int = 32, layers: int = 4, seed: int | None = None):
        super().__init__()
        gen = None if seed is None else torch.Generator().manual_seed(seed)
        self.hidden, self.nlayers = hidden, layers
        self.embed = nn.Parameter(torch.randn(len(NODE_TYPES), hidden, generator=gen))
        # Input projections of the node features (satmip.learn.features), added to the type embedding.
        self.in_variable = _uniform((len(FEATURES["variable"]), hidden), len(FEATURES["variable"]), gen)
        self.in_clause = _uniform((len(FEATURES["clause"]), hidden), len(FEATURES["clause"]), gen)
        self.layers = nn.ModuleList(PhaseLayer(hidden, gen) for _ in range(layers))
        self.head_norm = nn.LayerNorm(hidden, eps=LN_EPS)
        self.head_w1 = _uniform((hidden, hidden), hidden, gen)
        self.head_b1 = nn.Parameter(torch.zeros(hidden))
        self.head_w2 = _uniform((hidden, 1), hidden, gen)
        self.head_b2 = nn.Parameter(torch.zeros(1))
        if seed is not None:  # random LayerNorm affines too, so a test checks they are applied
            with torch.no_grad():
                for norm in [layer.norm for layer in self.blocks()] + [self.head_norm]:
                    norm.weight.uniform_(0.5, 1.5, generator=gen)
                    norm.bias.uniform_(-0.5, 0.5, generator=gen)
                for p in [layer.bias for layer in self.blocks()] + [layer.b_out for layer in self.blocks()]:
                    p.uniform_(-0.2, 0.2, generator=gen)

    def blocks(self) -> list[PhaseLayer]:
        return [cast(PhaseLayer, layer) for layer in self.layers]

    def header(self) -> dict:
        return {"format": FORMAT, "model": MODEL_NAME, "hidden": self.hidden, "layers": self.nlayers,
                "ln_eps": LN_EPS, "relations": list(RELATIONS), "node_types": list(NODE_TYPES),
                "features": {t: list(names) for t, names in FEATURES.items()},
                "output": "logit of P(positive phase) per variable"}

    def forward(self, data) -> "torch.Tensor":
        counts = {t: int(data[t].num_nodes) for t in NODE_TYPES}
        h = {t: self.embed[i].expand(counts[t], -1) for i, t in enumerate(NODE_TYPES)}
        h["variable"] = h["variable"] + data["variable"].x @ self.in_variable
        h["clause"] = h["clause"] + data["clause"].x @ self.in_clause
        vc = data["variable", "in", "clause"]
        positive = vc.edge_attr.view(-1) > 0
        var_of, clause_of = vc.edge_index
        links = data["meta", "links", "clause"].edge_index
        # relation -> (source type, destination type, source ids, destination ids, reduce)
        edges = {
            "var_clause_pos": ("variable", "clause", var_of[positive], clause_of[positive], "sum"),
            "var_clause_neg": ("variable", "clause", var_of[~positive], clause_of[~positive], "sum"),
            "clause_var_pos": ("clause", "variable", clause_of[positive], var_of[positive], "sum"),
            "clause_var_neg": ("clause", "variable", clause_of[~positive], var_of[~positive], "sum"),
            "meta_clause": ("meta", "clause", links[0], links[1], "mean"),
            "clause_meta": ("clause", "meta", links[1], links[0], "mean"),
        }
        for layer in self.blocks():
            x = {t: layer.norm(h[t]) for t in NODE_TYPES}
            z = {t: x[t] @ layer.w_self + layer.bias for t in NODE_TYPES}
            for r, name in enumerate(RELATIONS):
                src_t, dst_t, src, dst, reduce = edges[name]
                if src.numel():
                    # index_select / index_add: their backward passes are a plain
                    # index_add / index_select, cheaper than advanced indexing's on CPU.
                    msg = torch.index_select(x[src_t] @ layer.w_rel[r], 0, src)
                    if reduce == "sum":
                        z[dst_t] = z[dst_t].index_add(0, dst, msg)
                    else:
                        z[dst_t] = z[dst_t] + scatter(msg, dst, dim=0, dim_size=counts[dst_t], reduce=reduce)
            h = {t: h[t] + nn.functional.gelu(z[t], approximate="tanh") @ layer.w_out + layer.b_out
                 for t in NODE_TYPES}
        x = self.head_norm(h["variable"])
        hidden = nn.functional.gelu(x @ self.head_w1 + self.head_b1, approximate="tanh")
        return (hidden @ self.head_w2 + self.head_b2).view(-1)


def export_npz(model: PhaseModel, path: str) -> None:
    """The weights as satmip.learn.phase_infer reads them: one float32 array per
    parameter (state_dict names) and header, the architecture as JSON bytes."""
    arrays = {name: t.detach().cpu().numpy().astype(np.float32) for name, t in model.state_dict().items()}
    arrays["header"] = np.frombuffer(json.dumps(model.header()).encode(), np.uint8)
    with open(path, "wb") as f:
        np.savez(f, **arrays)
