"""Cheap phase predictions that a learned model must beat (LEARNED.md A.7, the
ablations): each returns int8 [nvars + 1] phases (+1 / -1, index 0 unused),
from the raw CSR in one vectorised pass."""
from __future__ import annotations

import numpy as np

from ..sat import Incidence, incidence


def _csr(formula) -> Incidence:
    return formula if isinstance(formula, Incidence) else incidence(formula, kind="raw")


def polarity(formula) -> np.ndarray:
    """Majority occurrence: the sign a variable has more often (+1 on a tie)."""
    return _phases(occurrences(formula, jeroslow_wang=False)[0])


def jeroslow_wang(formula) -> np.ndarray:
    """Two-sided Jeroslow-Wang: occurrences weighted by 2^-(clause length), the
    heavier sign wins (+1 on a tie)."""
    return _phases(occurrences(formula, jeroslow_wang=True)[0])


def occurrences(formula, jeroslow_wang: bool) -> tuple:
    """float64 [nvars] each (variable i + 1 at i): the signed sum of a variable's
    occurrences (positive minus negative) and their total, each literal counting
    1, or 2^-(clause length) for Jeroslow-Wang. The baselines' phases are the
    signs of the first; satmip.learn.predict turns both into probabilities."""
    inc = _csr(formula)
    weight = None
    if jeroslow_wang:
        lengths = np.diff(inc.indptr)
        weight = np.repeat(np.exp2(-lengths.astype(np.float64)), lengths)
    signed = np.bincount(inc.indices, weights=inc.signs if weight is None else weight * inc.signs,
                         minlength=inc.nvars)
    total = np.bincount(inc.indices, weights=weight, minlength=inc.nvars).astype(np.float64)
    return signed, total


def root_fixed(formula) -> np.ndarray:
    """int8 [nvars + 1]: +1 / -1 for a variable that unit propagation from the
    formula's unit clauses fixes, 0 elsewhere (a satisfiable formula's: on a
    root conflict the result is some propagation order's). These are backbone
    variables whose phase a solver never decides, so the evaluation also scores
    without them. In numpy, one vectorised pass per propagation round: the
    engine's own root fixing depends on its configuration (proof tracing keeps
    clauses as added) and is not what is meant here."""
    inc = _csr(formula)
    clause = np.repeat(np.arange(len(inc.indptr) - 1), np.diff(inc.indptr))
    var, sign = inc.indices.astype(np.int64), inc.signs.astype(np.int8)
    value = np.zeros(inc.nvars, dtype=np.int8)
    while True:
        lit = value[var] * sign                      # +1 true, -1 false, 0 unassigned
        satisfied = np.bincount(clause[lit > 0], minlength=len(inc.indptr) - 1) > 0
        open_count = np.bincount(clause[lit == 0], minlength=len(inc.indptr) - 1)
        unit = (open_count == 1) & ~satisfied
        forced = unit[clause] & (lit == 0)
        if not forced.any():
            break
        value[var[forced]] = sign[forced]
    out = np.zeros(inc.nvars + 1, dtype=np.int8)
    out[1:] = value
    return out


def _phases(score: np.ndarray) -> np.ndarray:
    out = np.empty(score.size + 1, dtype=np.int8)
    out[0] = 0
    out[1:] = np.where(score >= 0, 1, -1)
    return out


def backbone_accuracy(phases: np.ndarray, backbone: np.ndarray) -> float:
    """Share of backbone variables whose predicted phase is their backbone phase
    (NeuroBack's metric: non-backbone variables do not count); nan without any."""
    on = backbone != 0
    return float((phases[on] == backbone[on]).mean()) if on.any() else float("nan")
