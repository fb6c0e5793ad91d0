"""Random 3-SAT with a hidden solution, q-hidden (Jia, Moore, Strain, "Generating
hard satisfiable formulas by hiding solutions deceptively", AAAI 2005): a clause
of 3 distinct variables and random signs with t literals true under the hidden
assignment is kept with probability q^(t-1), q = (sqrt 5 - 1) / 2 (t = 0 never),
so each variable occurs as often in its hidden phase as in the other and literal
counts give nothing away. Plain rejection of falsified clauses (t >= 1 kept
alike) biases every literal towards its hidden phase: there the polarity count
predicted 81% of the backbone phases; here about 50%. size = number of variables.

Ratio 4.5: measured on 3-4 seeds, q-hidden at 4.2 has a 0-16% backbone and is
over a 20 s labelling budget at n = 300; at 4.5 the backbone is 40-96% and n = 300
labels in 3-10 s."""
from __future__ import annotations

import numpy as np

from ...dimacs import Cnf
from ._builder import Clauses

SIZES = {"tiny": 20, "small": 100, "medium": 200, "large": 300}
RATIO = 4.5
Q = (5 ** 0.5 - 1) / 2  # q + q^2 = 1: literal occurrences balance out


def generate(size: int, rng: np.random.Generator) -> Cnf:
    n = int(size)
    if n < 3:
        raise ValueError("planted_ksat needs at least 3 variables")
    hidden = rng.integers(0, 2, n + 1) * 2 - 1
    out = Clauses(n)
    while len(out) < round(RATIO * n):
        vs = rng.choice(np.arange(1, n + 1), 3, replace=False)
        lits = vs * (rng.integers(0, 2, 3) * 2 - 1)
        true = int(np.sum(np.sign(lits) == hidden[vs]))
        if true and rng.random() < Q ** (true - 1):
            out.add(lits)
    return out.cnf()
