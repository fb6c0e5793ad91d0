"""A clause builder shared by the generators: fresh variables, clauses, and the
usual encodings (exactly-one, Tseitin gates, a sequential counter)."""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from ...dimacs import Cnf


class Clauses:
    """Collects clauses over variables 1..nvars; `cnf()` gives the engine's format."""

    def __init__(self, nvars: int = 0):
        self.nvars = nvars
        self._clauses: list[Sequence[int]] = []

    def new_var(self) -> int:
        self.nvars += 1
        return self.nvars

    def new_vars(self, count: int) -> list[int]:
        first = self.nvars + 1
        self.nvars += count
        return list(range(first, first + count))

    def add(self, clause: Iterable[int]) -> None:
        self._clauses.append(tuple(int(x) for x in clause))

    def __len__(self) -> int:
        return len(self._clauses)

    # ---- cardinality ----
    def at_most_one(self, lits: Sequence[int]) -> None:
        """Pairwise: the encoding of the classic benchmark families."""
        for i in range(len(lits)):
            for j in range(i + 1, len(lits)):
                self.add((-lits[i], -lits[j]))

    def exactly_one(self, lits: Sequence[int]) -> None:
        self.add(lits)
        self.at_most_one(lits)

    def at_least_k(self, lits: Sequence[int], k: int) -> None:
        """Sinz's sequential counter on the negations: at most n - k of lits false."""
        self.at_most_k([-x for x in lits], len(lits) - k)

    def at_most_k(self, lits: Sequence[int], k: int) -> None:
        n = len(lits)
        if k >= n:
            return
        if k == 0:
            for x in lits:
                self.add((-x,))
            return
        # s[i][j]: at least j+1 of lits[0..i] are true.
        s = [self.new_vars(k) for _ in range(n - 1)]
        self.add((-lits[0], s[0][0]))
        for j in range(1, k):
            self.add((-s[0][j],))
        for i in range(1, n - 1):
            self.add((-lits[i], s[i][0]))
            self.add((-s[i - 1][0], s[i][0]))
            for j in range(1, k):
                self.add((-lits[i], -s[i - 1][j - 1], s[i][j]))
                self.add((-s[i - 1][j], s[i][j]))
            self.add((-lits[i], -s[i - 1][k - 1]))
        self.add((-lits[n - 1], -s[n - 2][k - 1]))

    # ---- Tseitin gates (the output is a fresh variable) ----
    def and_gate(self, a: int, b: int) -> int:
        y = self.new_var()
        self.add((-y, a))
        self.add((-y, b))
        self.add((y, -a, -b))
        return y

    def xor_gate(self, a: int, b: int) -> int:
        y = self.new_var()
        self.add((-y, a, b))
        self.add((-y, -a, -b))
        self.add((y, -a, b))
        self.add((y, a, -b))
        return y

    def or_gate(self, a: int, b: int) -> int:
        return -self.and_gate(-a, -b)

    def full_adder(self, a: int, b: int, c: int) -> tuple[int, int]:
        """(sum, carry) of three bits."""
        ab = self.xor_gate(a, b)
        total = self.xor_gate(ab, c)
        carry = self.or_gate(self.and_gate(a, b), self.and_gate(ab, c))
        return total, carry

    def cnf(self) -> Cnf:
        lengths = np.fromiter((len(c) + 1 for c in self._clauses), dtype=np.int64,
                              count=len(self._clauses))
        lits = np.zeros(int(lengths.sum()), dtype=np.int32)
        ends = np.cumsum(lengths) - 1
        body = np.ones(lits.size, dtype=bool)
        body[ends] = False
        lits[body] = np.fromiter((x for c in self._clauses for x in c), dtype=np.int32,
                                 count=int(body.sum()))
        return Cnf(self.nvars, lits, len(self._clauses))
