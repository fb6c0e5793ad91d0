"""Maximum independent set on a Barabasi-Albert graph, in the clique formulation of
Gasse et al. (2019) (their paper says Erdos-Renyi; their code and results use
Barabasi-Albert graphs of affinity 4):

    max sum_v x_v  s.t.  sum_{v in C} x_v <= 1 for every clique C of a partition,
                         x_u + x_v <= 1 for every edge not inside one clique,  x binary.

The graph (Barabasi & Albert 1999): node `affinity` is joined to nodes 0..affinity-1,
then each further node to `affinity` distinct earlier nodes, each drawn with
probability proportional to its degree. The cliques come from a greedy partition:
take the node of highest degree not yet placed, then its unplaced neighbours by
decreasing degree, each kept if it is adjacent to every node kept so far.
"""
from __future__ import annotations

import numpy as np

from ...model import Model
from ._common import build_model, numbered

SIZES = {"easy": {"n_nodes": 500}, "medium": {"n_nodes": 1000}, "hard": {"n_nodes": 1500}}
DEFAULTS = {"affinity": 4}


def barabasi_albert(n_nodes: int, affinity: int, rng: np.random.Generator) -> np.ndarray:
    """The edges (u, v), u < v, as an (E, 2) array in order of creation."""
    if not 1 <= affinity < n_nodes:
        raise ValueError(f"indset: affinity must be in 1..n_nodes-1, got {affinity} for {n_nodes} nodes")
    edges = np.empty((affinity * (n_nodes - affinity), 2), dtype=np.int64)
    # Each edge's two ends, so that a uniform entry is a node drawn in proportion to its degree.
    ends = edges.reshape(-1)
    edges[:affinity, 0] = np.arange(affinity)
    edges[:affinity, 1] = affinity
    count = affinity
    for new in range(affinity + 1, n_nodes):
        chosen: list[int] = []
        while len(chosen) < affinity:     # without replacement: draw again on a repeat
            for pick in rng.integers(2 * count, size=2 * affinity):
                node = int(ends[pick])
                if node not in chosen:
                    chosen.append(node)
                    if len(chosen) == affinity:
                        break
        edges[count:count + affinity, 0] = chosen
        edges[count:count + affinity, 1] = new
        count += affinity
    return edges


def greedy_cliques(n_nodes: int, edges: np.ndarray) -> np.ndarray:
    """The clique of each node (0, 1, ...) in a greedy partition of the graph into cliques."""
    neighbours: list[set[int]] = [set() for _ in range(n_nodes)]
    for u, v in edges.tolist():
        neighbours[u].add(v)
        neighbours[v].add(u)
    degree = np.array([len(s) for s in neighbours])
    clique_of = np.full(n_nodes, -1, dtype=np.int64)
    cliques = 0
    for centre in np.argsort(-degree, kind="stable").tolist():
        if clique_of[centre] >= 0:
            continue
        clique = [centre]
        for v in sorted((v for v in neighbours[centre] if clique_of[v] < 0), key=lambda v: (-degree[v], v)):
            if all(v in neighbours[u] for u in clique):
                clique.append(v)
        clique_of[clique] = cliques
        cliques += 1
    return clique_of


def build(rng: np.random.Generator, name: str, n_nodes: int, affinity: int) -> Model:
    edges = barabasi_albert(n_nodes, affinity, rng)
    clique_of = greedy_cliques(n_nodes, edges)
    size = np.bincount(clique_of)
    big = np.flatnonzero(size > 1)                    # a clique of one node gives no row
    clique_row = np.full(len(size), -1)
    clique_row[big] = np.arange(len(big))
    in_big = clique_row[clique_of] >= 0
    between = edges[clique_of[edges[:, 0]] != clique_of[edges[:, 1]]]   # edges no clique row covers
    covered = in_big.copy()
    covered[between.ravel()] = True
    alone = np.flatnonzero(~covered)                  # none in a BA graph; kept for any graph
    nodes = np.arange(n_nodes)
    n_edge_rows = len(between)
    rows = np.concatenate((clique_row[clique_of[in_big]],
                           len(big) + np.repeat(np.arange(n_edge_rows), 2),
                           len(big) + n_edge_rows + np.arange(len(alone))))
    cols = np.concatenate((nodes[in_big], between.ravel(), alone))
    n_rows = len(big) + n_edge_rows + len(alone)
    row_names = numbered("clique", len(big)) + numbered("edge", n_edge_rows) + numbered("node", len(alone))
    return build_model(name, np.ones(n_nodes), rows, cols, np.ones(len(rows)),
                       row_lower=np.full(n_rows, -np.inf), row_upper=np.ones(n_rows),
                       col_lower=np.zeros(n_nodes), col_upper=np.ones(n_nodes),
                       integer=np.ones(n_nodes, dtype=bool), sense=-1,
                       row_names=row_names, col_names=numbered("x", n_nodes))
