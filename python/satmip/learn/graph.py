"""NeuroBack's clause-variable graph in numpy (LEARNED.md A.1), shared by
`to_pyg` (training) and torch-free inference.

Nodes: one per variable 1..nvars (node i is variable i + 1; a variable that no
clause uses stays an isolated node, so node ids need no map back), one per
clause (row i of the incidence), and one meta node per weakly connected
component that has a clause. Edges: variable - clause, signed +1 / -1 by the
literal's polarity; meta - clause, to every clause of its component (sign 0).
NeuroBack's meta node bounds the graph's diameter at 4, so a 4-layer GNN sees
the whole component; it is kept (meta=False drops it).
"""
from __future__ import annotations

from typing import NamedTuple, Union

import numpy as np

from ..sat import Incidence, incidence

# Node type features and relation ids as in NeuroBack (edge type = sign + 1).
VARIABLE, CLAUSE, META = 1, -1, 0
NEGATIVE, META_EDGE, POSITIVE = 0, 1, 2


class ClauseGraph(NamedTuple):
    nvars: int
    nclauses: int
    nmeta: int
    edge_var: np.ndarray     # int64 [E]: variable node of each literal occurrence
    edge_clause: np.ndarray  # int64 [E]: its clause
    edge_sign: np.ndarray    # int8  [E]: +1 / -1
    clause_meta: np.ndarray  # int64 [nclauses]: the meta node of each clause (empty without meta)

    def node_type(self) -> np.ndarray:
        """int8 per node of the homogeneous numbering: variables, clauses, meta nodes."""
        return np.concatenate([np.full(self.nvars, VARIABLE, np.int8),
                               np.full(self.nclauses, CLAUSE, np.int8),
                               np.full(self.nmeta, META, np.int8)])

    def homogeneous(self) -> tuple[np.ndarray, np.ndarray]:
        """(edge_index int64 [2, 2 * (E + M)], edge_type int8) over the homogeneous
        numbering, both directions, NeuroBack's relation ids (sign + 1)."""
        clause = self.nvars + self.edge_clause
        meta_src = self.nvars + self.nclauses + self.clause_meta
        meta_dst = self.nvars + np.arange(self.clause_meta.size, dtype=np.int64)
        src = np.concatenate([self.edge_var, meta_src])
        dst = np.concatenate([clause, meta_dst])
        kind = np.concatenate([self.edge_sign.astype(np.int8) + 1,
                               np.full(meta_src.size, META_EDGE, np.int8)])
        return np.stack([np.concatenate([src, dst]), np.concatenate([dst, src])]), np.tile(kind, 2)


def components(nodes: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Connected component label (its smallest node) of each node, by hooking
    roots to smaller roots along edges and pointer jumping, all vectorised."""
    parent = np.arange(nodes, dtype=np.int64)
    while True:
        pu, pv = parent[u], parent[v]
        differ = pu != pv
        if not differ.any():
            return parent
        lo, hi = np.minimum(pu[differ], pv[differ]), np.maximum(pu[differ], pv[differ])
        np.minimum.at(parent, hi, lo)  # hi is a root: it hooks below its smallest neighbour root
        while True:
            up = parent[parent]
            if np.array_equal(up, parent):
                break
            parent = up


def clause_graph(formula: Union[Incidence, object], meta: bool = True) -> ClauseGraph:
    """The graph of a formula (anything satmip.incidence reads, raw by default, or
    an Incidence as it is)."""
    inc = formula if isinstance(formula, Incidence) else incidence(formula, kind="raw")
    nclauses = len(inc.indptr) - 1
    edge_clause = np.repeat(np.arange(nclauses, dtype=np.int64), np.diff(inc.indptr))
    edge_var = inc.indices.astype(np.int64)
    clause_meta = np.zeros(0, dtype=np.int64)
    nmeta = 0
    if meta and nclauses:
        label = components(inc.nvars + nclauses, edge_var, inc.nvars + edge_clause)
        roots, clause_meta = np.unique(label[inc.nvars:], return_inverse=True)
        clause_meta = clause_meta.astype(np.int64).reshape(-1)
        nmeta = roots.size
    return ClauseGraph(int(inc.nvars), nclauses, nmeta, edge_var, edge_clause,
                       inc.signs.astype(np.int8), clause_meta)
