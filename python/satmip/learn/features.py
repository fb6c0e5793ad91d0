"""Input features of the phase model's nodes, from a ClauseGraph in numpy
(shared by satmip.learn.pyg for training and satmip.learn.phase_infer, so both
read the same float32 arrays).

Variables: the literal counts and Jeroslow-Wang weights of each sign, so the
model starts where the polarity baseline is and can learn where it is wrong:

    log1p(positive occurrences), log1p(negative occurrences),
    (pos - neg) / (pos + neg)                     polarity balance in [-1, 1],
    (jw_pos - jw_neg) / (jw_pos + jw_neg)         JW balance, jw = sum 2^-len,
    log2(1 + 8 * (jw_pos + jw_neg))               JW mass (a unit clause gives 0.5),
    unit sign                                     +1 / -1 in a unit clause, else 0

Clauses: log1p(length), 1 / length (0 when empty), the balance of positive and
negative literals (pos - neg) / length. An unused variable's features are all 0.

Flipping a variable's sign everywhere (the dual formulas of training) swaps its
counts and negates its balances: the features follow the formula, not the labels.
"""
from __future__ import annotations

import numpy as np

from .graph import ClauseGraph

VARIABLE_FEATURES = ("log_pos", "log_neg", "balance", "jw_balance", "jw_mass", "unit_sign")
CLAUSE_FEATURES = ("log_length", "inverse_length", "sign_balance")


def _balance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    total = a + b   # float64 (np.bincount of no edges gives int64: the callers cast)
    return np.divide(a - b, total, out=np.zeros_like(total), where=total > 0)


def variable_features(g: ClauseGraph) -> np.ndarray:
    """float32 [nvars, len(VARIABLE_FEATURES)]."""
    length = np.bincount(g.edge_clause, minlength=g.nclauses).astype(np.float64)
    positive = g.edge_sign > 0
    weight = np.exp2(-length[g.edge_clause])
    pos = np.bincount(g.edge_var[positive], minlength=g.nvars).astype(np.float64)
    neg = np.bincount(g.edge_var[~positive], minlength=g.nvars).astype(np.float64)
    jw_pos = np.bincount(g.edge_var[positive], weights=weight[positive], minlength=g.nvars).astype(np.float64)
    jw_neg = np.bincount(g.edge_var[~positive], weights=weight[~positive], minlength=g.nvars).astype(np.float64)
    unit = length[g.edge_clause] == 1
    unit_sign = np.zeros(g.nvars)
    np.add.at(unit_sign, g.edge_var[unit], g.edge_sign[unit].astype(np.float64))
    columns = (np.log1p(pos), np.log1p(neg), _balance(pos, neg), _balance(jw_pos, jw_neg),
               np.log2(1.0 + 8.0 * (jw_pos + jw_neg)), np.sign(unit_sign))
    return np.stack(columns, axis=1).astype(np.float32).reshape(g.nvars, len(VARIABLE_FEATURES))


def clause_features(g: ClauseGraph) -> np.ndarray:
    """float32 [nclauses, len(CLAUSE_FEATURES)]."""
    length = np.bincount(g.edge_clause, minlength=g.nclauses).astype(np.float64)
    signs = np.bincount(g.edge_clause, weights=g.edge_sign.astype(np.float64),
                        minlength=g.nclauses).astype(np.float64)
    inverse = np.divide(1.0, length, out=np.zeros_like(length), where=length > 0)
    columns = (np.log1p(length), inverse, signs * inverse)
    return np.stack(columns, axis=1).astype(np.float32).reshape(g.nclauses, len(CLAUSE_FEATURES))
