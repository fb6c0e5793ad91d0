"""Clique: a random graph G(n, 1/2) with a planted clique of size k = 1.5 log2 n,
near the natural clique number (about 2 log2 n - 2 log2 log2 n), so that other
k-cliques may exist: with k = 2 log2 n the planted clique was the only one and
every variable was backbone. One variable
per vertex, no two non-adjacent vertices chosen, at least k chosen (Sinz's
sequential counter). size = number of vertices n."""
from __future__ import annotations

import math

import numpy as np

from ...dimacs import Cnf
from ._builder import Clauses

SIZES = {"tiny": 12, "small": 30, "medium": 50, "large": 80}
DENSITY = 0.5


def clique_size(n: int) -> int:
    return max(3, int(round(1.5 * math.log2(n))))


def generate(size: int, rng: np.random.Generator) -> Cnf:
    n = int(size)
    k = clique_size(n)
    if n < k:
        raise ValueError(f"planted_clique needs at least {k} vertices")
    adjacent = np.triu(rng.random((n, n)) < DENSITY, 1)
    planted = rng.choice(n, k, replace=False)
    adjacent[np.ix_(planted, planted)] = True
    adjacent = np.triu(adjacent, 1)
    out = Clauses(n)
    for u, w in zip(*np.nonzero(np.triu(~adjacent, 1))):
        out.add((-(int(u) + 1), -(int(w) + 1)))
    out.at_least_k(list(range(1, n + 1)), k)
    return out.cnf()
