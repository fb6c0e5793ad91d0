"""Independent proof checkers (C++, sharing no code with the solver)."""
from __future__ import annotations

import os
from typing import Union

import numpy as np

from . import _core
from .dimacs import Cnf, flatten


def _formula(formula) -> tuple[np.ndarray, int]:
    if isinstance(formula, Cnf):
        return formula.lits, formula.nvars
    if isinstance(formula, (str, os.PathLike)):
        cnf = _core.read_dimacs(os.fspath(formula), False)
        return cnf[1], cnf[0]
    flat = flatten(formula)
    return flat, int(np.abs(flat).max(initial=0))


def check_lrat(formula, proof_path: Union[str, os.PathLike]) -> dict:
    """Check an LRAT proof (text or binary) of the formula's unsatisfiability.

    formula: a Cnf, a DIMACS path, or a list of clauses. Returns a dict with
    ok (valid and the empty clause derived), message, lemmas, deletions.
    """
    lits, nvars = _formula(formula)
    return _core.check_lrat(lits, nvars, os.fspath(proof_path))


def check_drat(formula, proof_path: Union[str, os.PathLike]) -> dict:
    """Check a DRAT proof (text or binary) by forward RUP/RAT checking."""
    lits, nvars = _formula(formula)
    return _core.check_drat(lits, nvars, os.fspath(proof_path))
