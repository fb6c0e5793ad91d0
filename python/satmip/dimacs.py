"""DIMACS CNF files, read by the C++ reader (plain, .gz, .xz, .bz2)."""
from __future__ import annotations

import os
from typing import NamedTuple, Union

import numpy as np

from . import _core


class Cnf(NamedTuple):
    """A formula as flat 0-terminated clauses (numpy int32)."""
    nvars: int
    lits: np.ndarray
    nclauses: int

    @property
    def max_var(self) -> int:
        """The largest variable that a clause uses (0 for none): what a solver must hold.
        nvars, the header's count, may be far larger."""
        if self.lits.size == 0:
            return 0
        return int(max(self.lits.max(), -int(self.lits.min())))

    @property
    def clauses(self) -> list[list[int]]:
        """The clauses as lists of ints (slow for large formulas)."""
        out, cur = [], []
        for x in self.lits.tolist():
            if x == 0:
                out.append(cur)
                cur = []
            else:
                cur.append(x)
        return out


def read_dimacs(path: Union[str, os.PathLike], strict: bool = True, max_var: int = 0) -> Cnf:
    """Read a DIMACS CNF file, compressed or not (detected by content).

    strict=True rejects literals beyond the header's variable count and a
    clause count that differs from the header; strict=False accepts both and
    grows the variable count. max_var > 0 refuses a variable above it (a
    solver's limit, such as its option maxvar) at its line. Raises ValueError
    (malformed, with file:line) or OSError (cannot read).
    """
    nvars, lits, nclauses = _core.read_dimacs(os.fspath(path), strict, max_var)
    return Cnf(nvars, lits, nclauses)


def parse_dimacs(text: Union[str, bytes], name: str = "<string>", strict: bool = True) -> Cnf:
    """Parse DIMACS text held in memory."""
    nvars, lits, nclauses = _core.parse_dimacs(text, name, strict)
    return Cnf(nvars, lits, nclauses)


def flatten(clauses) -> np.ndarray:
    """Lists of literals -> flat 0-terminated int32 array."""
    flat = []
    for c in clauses:
        flat.extend(c)
        flat.append(0)
    return np.asarray(flat, dtype=np.int32)
