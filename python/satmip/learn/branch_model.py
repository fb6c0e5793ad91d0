"""The branching GCNN of Gasse et al. (2019) in PyTorch Geometric (needs torch and
torch-geometric: pip install "satmip[learn]"), exactly as the spec shared with the engine's
forward (models/branching/README.md): a bipartite graph of LP rows and columns, features normalised by
fixed shift/scale buffers, two half-convolutions (columns -> rows, then rows -> columns)
and a per-column head that gives one logit per column. The engine's C++ forward
(``branching="gnn"``) repeats it from the weights that satmip.learn.branch_export writes,
so every name below is part of that file format.
"""
from __future__ import annotations

try:
    import torch
    from torch import nn
    from torch_geometric.utils import scatter
except ImportError as err:  # pragma: no cover - the message is the point
    raise ImportError("satmip.learn.branch_model needs torch and torch-geometric: "
                      "pip install 'satmip[learn]'") from err

EMB = 64
ROW_INPUTS, EDGE_INPUTS, COL_INPUTS = 9, 1, 22
LN_EPS = 1e-5
MIN_STD = 1e-8


class FeatureNorm(nn.Module):
    """x' = (x - shift) * scale per feature; fitted once on training data, then fixed."""
    shift: torch.Tensor
    scale: torch.Tensor

    def __init__(self, features: int):
        super().__init__()
        self.register_buffer("shift", torch.zeros(features))
        self.register_buffer("scale", torch.ones(features))

    @torch.no_grad()
    def fit(self, mean, std) -> None:
        """shift = the training mean, scale = 1 / the standard deviation (1 where it is below 1e-8)."""
        mean = torch.as_tensor(mean, dtype=torch.float64)
        std = torch.as_tensor(std, dtype=torch.float64)
        self.shift.copy_(mean.to(self.shift.dtype))
        self.scale.copy_(torch.where(std < MIN_STD, torch.ones_like(std), 1.0 / std).to(self.scale.dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.shift) * self.scale


def _embed(inputs: int, emb: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(inputs, emb), nn.ReLU(), nn.Linear(emb, emb), nn.ReLU())


class HalfConv(nn.Module):
    """One half-convolution: the sources' embeddings reach the targets over the edges.
    m_ts = message(relu(message_norm(target(h_t) + edge(e_ts) + source(h_s)))), summed per
    target (0 without edges); h_t' = out(concat(post_norm(sum), h_t))."""

    def __init__(self, emb: int = EMB):
        super().__init__()
        self.target = nn.Linear(emb, emb)
        self.edge = nn.Linear(EDGE_INPUTS, emb, bias=False)
        self.source = nn.Linear(emb, emb, bias=False)
        self.message_norm = nn.LayerNorm(emb, eps=LN_EPS)
        self.message = nn.Linear(emb, emb)
        self.post_norm = nn.LayerNorm(emb, eps=LN_EPS)
        self.out = nn.Sequential(nn.Linear(2 * emb, emb), nn.ReLU(), nn.Linear(emb, emb))

    def forward(self, h_source: torch.Tensor, edge_index: torch.Tensor, edge_attr: torch.Tensor,
                h_target: torch.Tensor) -> torch.Tensor:
        """edge_index: [2, E], row 0 the source node of each edge, row 1 its target."""
        source, target = edge_index[0], edge_index[1]
        # The same sums as the spec's, in less work: target and source are linear, so they
        # run per node and are gathered per edge; `message` is affine, so the sum of its
        # outputs over a node's edges is message.weight times the sum of its inputs plus
        # the node's degree times message.bias (no 64 x 64 product per edge).
        pre = (self.target(h_target).index_select(0, target) + self.edge(edge_attr)
               + self.source(h_source).index_select(0, source))
        inputs = scatter(torch.relu(self.message_norm(pre)), target, dim=0, dim_size=h_target.size(0), reduce="sum")
        degree = torch.bincount(target, minlength=h_target.size(0)).to(inputs.dtype).unsqueeze(-1)
        agg = inputs @ self.message.weight.T + degree * self.message.bias
        return self.out(torch.cat([self.post_norm(agg), h_target], dim=-1))


class BranchGCNN(nn.Module):
    """forward(row_x [m, 9], edge_index [2, E] (row, column), edge_attr [E, 1],
    col_x [n, 22]) -> logits [n], one per column; the policy branches on the candidate
    with the largest logit."""

    def __init__(self, emb: int = EMB, seed: int | None = None):
        super().__init__()
        with torch.random.fork_rng(devices=[], enabled=seed is not None):   # the caller's stream untouched
            if seed is not None:
                torch.manual_seed(seed)
            self._build(emb)

    def _build(self, emb: int) -> None:
        self.emb = emb
        self.row_norm = FeatureNorm(ROW_INPUTS)
        self.edge_norm = FeatureNorm(EDGE_INPUTS)
        self.col_norm = FeatureNorm(COL_INPUTS)
        self.row_embed = _embed(ROW_INPUTS, emb)
        self.col_embed = _embed(COL_INPUTS, emb)
        self.conv_col_to_row = HalfConv(emb)
        self.conv_row_to_col = HalfConv(emb)
        self.head = nn.Sequential(nn.Linear(emb, emb), nn.ReLU(), nn.Linear(emb, 1, bias=False))

    def forward(self, row_x: torch.Tensor, edge_index: torch.Tensor, edge_attr: torch.Tensor,
                col_x: torch.Tensor) -> torch.Tensor:
        rows = self.row_embed(self.row_norm(row_x))
        cols = self.col_embed(self.col_norm(col_x))
        edges = self.edge_norm(edge_attr)
        rows = self.conv_col_to_row(cols, edge_index.flip(0), edges, rows)
        cols = self.conv_row_to_col(rows, edge_index, edges, cols)
        return self.head(cols).squeeze(-1)

    def forward_data(self, data) -> torch.Tensor:
        """The logits of a satmip.learn.branch_dataset graph or a batch of them."""
        return self(data.row_x, data.edge_index, data.edge_attr, data.col_x)
