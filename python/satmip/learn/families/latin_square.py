"""Quasigroup with holes (Achlioptas et al.'s QWH): a random latin square of
order n, 42% of its cells punched out (the hard region), to be completed.
Variables only for a hole and a symbol its row and column still allow; each
hole takes exactly one symbol, each missing symbol of a row (column) sits in
exactly one of its holes. The square itself is the planted completion.
size = order n."""
from __future__ import annotations

import numpy as np

from ...dimacs import Cnf
from ._builder import Clauses

SIZES = {"tiny": 5, "small": 10, "medium": 15, "large": 20}
HOLES = 0.42


def random_latin_square(n: int, rng: np.random.Generator, shuffles: int = 0) -> np.ndarray:
    """The cyclic square with rows, columns and symbols permuted, then mixed by
    swapping symbols along random row-pair cycles (each swap keeps it latin)."""
    square = (np.arange(n)[:, None] + np.arange(n)[None, :]) % n
    square = rng.permutation(n)[square][rng.permutation(n)][:, rng.permutation(n)]
    for _ in range(shuffles or 4 * n):
        r1, r2 = rng.choice(n, 2, replace=False)
        # Columns where rows r1, r2 form a cycle through column c: swap along it.
        c = int(rng.integers(n))
        cols = [c]
        while True:
            nxt = int(np.flatnonzero(square[r1] == square[r2, cols[-1]])[0])
            if nxt == c:
                break
            cols.append(nxt)
        a = square[r1, cols].copy()
        square[r1, cols] = square[r2, cols]
        square[r2, cols] = a
    return square


def generate(size: int, rng: np.random.Generator) -> Cnf:
    n = int(size)
    if n < 2:
        raise ValueError("latin_square needs order at least 2")
    square = random_latin_square(n, rng)
    holes = rng.random((n, n)) < HOLES
    out = Clauses()
    var: dict[tuple[int, int, int], int] = {}
    for r in range(n):
        for c in range(n):
            if not holes[r, c]:
                continue
            row_used = set(square[r][~holes[r]].tolist())
            col_used = set(square[:, c][~holes[:, c]].tolist())
            allowed = [s for s in range(n) if s not in row_used and s not in col_used]
            lits = [var.setdefault((r, c, s), out.new_var()) for s in allowed]
            out.exactly_one(lits)
    for r in range(n):
        for s in range(n):
            cells = [var[(r, c, s)] for c in range(n) if (r, c, s) in var]
            if cells:
                out.exactly_one(cells)
            rows = [var[(q, r, s)] for q in range(n) if (q, r, s) in var]
            if rows:
                out.exactly_one(rows)
    return out.cnf()
