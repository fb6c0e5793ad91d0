"""Flat 3-colouring (Culberson's "flat" graphs, simplified): vertices split into
three near-equal colour classes, edges drawn only between classes, average
degree 4.6 (near the 3-colouring threshold), so the planted colouring is proper.
Direct encoding: one variable per (vertex, colour), exactly one colour per
vertex, and the two ends of an edge differ. The colours are symmetric, so
without more every variable would be free of backbone: the two ends of one edge
get colours 0 and 1 (units), which leaves no colour permutation but the
identity. size = number of vertices."""
from __future__ import annotations

import numpy as np

from ...dimacs import Cnf
from ._builder import Clauses

SIZES = {"tiny": 12, "small": 50, "medium": 100, "large": 200}
COLOURS = 3
DEGREE = 4.6


def generate(size: int, rng: np.random.Generator) -> Cnf:
    n = int(size)
    if n < COLOURS:
        raise ValueError("flat_colouring needs at least 3 vertices")
    colour = rng.permutation(np.arange(n) % COLOURS)
    target = int(round(DEGREE * n / 2))
    edges: set[tuple[int, int]] = set()
    possible = sum(1 for u in range(n) for w in range(u + 1, n) if colour[u] != colour[w])
    target = min(target, possible)
    while len(edges) < target:
        u, w = sorted(rng.choice(n, 2, replace=False).tolist())
        if colour[u] != colour[w]:
            edges.add((u, w))
    out = Clauses(n * COLOURS)

    def x(v: int, c: int) -> int:
        return v * COLOURS + c + 1

    for v in range(n):
        out.exactly_one([x(v, c) for c in range(COLOURS)])
    for u, w in sorted(edges):
        for c in range(COLOURS):
            out.add((-x(u, c), -x(w, c)))
    u, w = min(edges)
    # Rename the planted colours so that u has 0 and w has 1: the units hold in it.
    rename = {int(colour[u]): 0, int(colour[w]): 1}
    rename[({0, 1, 2} - set(rename)).pop()] = 2
    out.add((x(u, rename[int(colour[u])]),))
    out.add((x(w, rename[int(colour[w])]),))
    return out.cnf()
