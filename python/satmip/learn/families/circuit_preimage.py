"""Circuit preimage (BMC-like): a random and-inverter graph over `size` inputs,
4 * size gates in layers, each gate ANDing two earlier signals with random
inversions; a random input vector is simulated and every output (the gates no
other gate reads) is fixed to its value, so that input is a planted model.
Tseitin encoding. size = number of inputs."""
from __future__ import annotations

import numpy as np

from ...dimacs import Cnf
from ._builder import Clauses

SIZES = {"tiny": 8, "small": 24, "medium": 48, "large": 96}
GATES_PER_INPUT = 4
WINDOW = 3  # a gate reads signals among the last WINDOW * size ones: depth grows


def generate(size: int, rng: np.random.Generator) -> Cnf:
    n = int(size)
    if n < 2:
        raise ValueError("circuit_preimage needs at least 2 inputs")
    out = Clauses()
    signals = out.new_vars(n)
    value = {v: bool(b) for v, b in zip(signals, rng.integers(0, 2, n))}
    read: set[int] = set()
    for _ in range(GATES_PER_INPUT * n):
        lo = max(0, len(signals) - WINDOW * n)
        i, j = rng.choice(np.arange(lo, len(signals)), 2, replace=False)
        a, b = signals[i], signals[j]
        read.update((a, b))
        a, b = (a if rng.random() < 0.5 else -a), (b if rng.random() < 0.5 else -b)
        y = out.and_gate(a, b)
        value[y] = (value[abs(a)] == (a > 0)) and (value[abs(b)] == (b > 0))
        signals.append(y)
    for y in signals[n:]:
        if y not in read:
            out.add((y if value[y] else -y,))
    return out.cnf()
