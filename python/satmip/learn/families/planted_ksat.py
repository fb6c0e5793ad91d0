"""Random 3-SAT with a planted solution: each clause draws 3 distinct variables
and random signs, redrawn while the hidden assignment falsifies it.
size = number of variables.

Ratio 5.0, above the uniform threshold (4.27), since planted formulas stay
satisfiable there and their backbone grows with the ratio: measured on 4 seeds,
ratio 4.2 gives no backbone at n = 200, ratio 5.0 gives 17-58%, with the most
conflicts per instance of the ratios 4.2-5.5 tried."""
from __future__ import annotations

import numpy as np

from ...dimacs import Cnf
from ._builder import Clauses

SIZES = {"tiny": 20, "small": 100, "medium": 200, "large": 300}
RATIO = 5.0


def generate(size: int, rng: np.random.Generator) -> Cnf:
    n = int(size)
    if n < 3:
        raise ValueError("planted_ksat needs at least 3 variables")
    hidden = rng.integers(0, 2, n + 1) * 2 - 1
    out = Clauses(n)
    while len(out) < round(RATIO * n):
        vs = rng.choice(np.arange(1, n + 1), 3, replace=False)
        lits = vs * (rng.integers(0, 2, 3) * 2 - 1)
        if np.any(np.sign(lits) == hidden[vs]):
            out.add(lits)
    return out.cnf()
