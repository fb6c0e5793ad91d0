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
    inc = _csr(formula)
    score = np.bincount(inc.indices, weights=inc.signs, minlength=inc.nvars)
    return _phases(score)


def jeroslow_wang(formula) -> np.ndarray:
    """Two-sided Jeroslow-Wang: occurrences weighted by 2^-(clause length), the
    heavier sign wins (+1 on a tie)."""
    inc = _csr(formula)
    weight = np.repeat(np.exp2(-np.diff(inc.indptr).astype(np.float64)), np.diff(inc.indptr))
    score = np.bincount(inc.indices, weights=weight * inc.signs, minlength=inc.nvars)
    return _phases(score)


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
