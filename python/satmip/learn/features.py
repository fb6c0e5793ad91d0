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

and what failed-literal lookahead (satmip._core.lookahead, C++) says of it: every
open variable's two literals are assumed in turn and unit-propagated from the
root; a literal that fails has its negation fixed at the root (a backbone fact):

    fixed sign                                    +1 / -1 fixed by root unit propagation
                                                  or a failed literal, else 0
    log1p(literals implied by x), log1p(by -x)    0 for a fixed variable or a probe
                                                  cut off by the work budget

Clauses: log1p(length), 1 / length (0 when empty), the balance of positive and
negative literals (pos - neg) / length; after the lookahead's fixed variables,
whether the clause is satisfied and the share of its literals still open. An
unused variable's features are all 0.

Flipping a variable's sign everywhere (the dual formulas of training) swaps its
counts and negates its balances: the features follow the formula, not the labels.
"""
from __future__ import annotations

import weakref

import numpy as np

from .. import _core
from .graph import ClauseGraph

VARIABLE_FEATURES = ("log_pos", "log_neg", "balance", "jw_balance", "jw_mass", "unit_sign",
                     "fixed_sign", "log_implied_pos", "log_implied_neg")
CLAUSE_FEATURES = ("log_length", "inverse_length", "sign_balance", "satisfied", "open_share")

# The lookahead's work (clause visits) per probe and in all, per literal
# occurrence of the formula: linear in its size; probes past the total are not made.
PROBE_WORK = 100_000
TOTAL_WORK_PER_LITERAL = 200
TOTAL_WORK_MIN = 100_000


# The last graph's lookahead: variable_features and clause_features of one graph
# share it (weak references to the graph's arrays, so the cache keeps no graph alive).
_last: tuple = ()


def lookahead(g: ClauseGraph) -> dict:
    """satmip._core.lookahead on the graph's clauses (see there): value (int8
    [nvars], fixed signs) and implied (int32 [2 nvars]: +v at 2v, -v at 2v + 1)."""
    global _last
    arrays = (g.edge_var, g.edge_clause, g.edge_sign)
    if _last and _last[0] == (g.nvars, g.nclauses) and all(r() is a for r, a in zip(_last[1], arrays)):
        return _last[2]
    indptr = np.zeros(g.nclauses + 1, dtype=np.int64)
    np.cumsum(np.bincount(g.edge_clause, minlength=g.nclauses), out=indptr[1:])
    result = _core.lookahead(g.nvars, indptr, g.edge_var, g.edge_sign, PROBE_WORK,
                             max(TOTAL_WORK_MIN, TOTAL_WORK_PER_LITERAL * g.edge_var.size))
    _last = ((g.nvars, g.nclauses), tuple(weakref.ref(a) for a in arrays), result)
    return result


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
    probe = lookahead(g)
    implied = probe["implied"].astype(np.float64).reshape(g.nvars, 2)
    implied[probe["value"] != 0] = 0   # +v's count stands when -v fails after it: a fixed variable has none
    columns = (np.log1p(pos), np.log1p(neg), _balance(pos, neg), _balance(jw_pos, jw_neg),
               np.log2(1.0 + 8.0 * (jw_pos + jw_neg)), np.sign(unit_sign),
               probe["value"].astype(np.float64), np.log1p(implied[:, 0]), np.log1p(implied[:, 1]))
    return np.stack(columns, axis=1).astype(np.float32).reshape(g.nvars, len(VARIABLE_FEATURES))


def clause_features(g: ClauseGraph) -> np.ndarray:
    """float32 [nclauses, len(CLAUSE_FEATURES)]."""
    length = np.bincount(g.edge_clause, minlength=g.nclauses).astype(np.float64)
    signs = np.bincount(g.edge_clause, weights=g.edge_sign.astype(np.float64),
                        minlength=g.nclauses).astype(np.float64)
    inverse = np.divide(1.0, length, out=np.zeros_like(length), where=length > 0)
    literal = lookahead(g)["value"][g.edge_var] * g.edge_sign   # +1 true, -1 false, 0 open
    satisfied = np.bincount(g.edge_clause[literal > 0], minlength=g.nclauses) > 0
    open_count = np.bincount(g.edge_clause[literal == 0], minlength=g.nclauses).astype(np.float64)
    columns = (np.log1p(length), inverse, signs * inverse, satisfied.astype(np.float64), open_count * inverse)
    return np.stack(columns, axis=1).astype(np.float32).reshape(g.nclauses, len(CLAUSE_FEATURES))
