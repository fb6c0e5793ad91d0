"""The phase model's input features (satmip.learn.features), by hand on small
formulas, and their behaviour under a dual formula's sign flip (the lookahead
itself: tests/test_lookahead.py)."""
from __future__ import annotations

import numpy as np

from satmip.dimacs import Cnf, flatten
from satmip.learn import clause_graph, generate
from satmip.learn.features import (CLAUSE_FEATURES, VARIABLE_FEATURES, clause_features, lookahead,
                                   variable_features)


def _cnf(nvars, clauses):
    return Cnf(nvars, flatten(clauses), len(clauses))


def test_features_by_hand():
    # x1: +1 in a binary and a ternary clause, -1 in a unit; x2: +1, -1; x3: -1; x4 unused.
    g = clause_graph(_cnf(4, [[1, 2], [1, -2, -3], [-1], []]))
    v = variable_features(g)
    assert v.shape == (4, len(VARIABLE_FEATURES)) and v.dtype == np.float32
    jw = {1: 2.0 ** -1, 2: 2.0 ** -2, 3: 2.0 ** -3}
    # The empty clause is a root conflict: the lookahead's columns are all 0.
    x1 = [np.log1p(2), np.log1p(1), (2 - 1) / 3, (jw[2] + jw[3] - jw[1]) / (jw[2] + jw[3] + jw[1]),
          np.log2(1 + 8 * (jw[2] + jw[3] + jw[1])), -1, 0, 0, 0]
    x2 = [np.log1p(1), np.log1p(1), 0, (jw[2] - jw[3]) / (jw[2] + jw[3]), np.log2(1 + 8 * (jw[2] + jw[3])),
          0, 0, 0, 0]
    x3 = [0, np.log1p(1), -1, -1, np.log2(1 + 8 * jw[3]), 0, 0, 0, 0]
    assert np.allclose(v, np.array([x1, x2, x3, [0] * 9], np.float32), atol=1e-6)
    c = clause_features(g)
    assert c.shape == (4, len(CLAUSE_FEATURES)) and c.dtype == np.float32
    want = [[np.log1p(2), 1 / 2, 1, 0, 1], [np.log1p(3), 1 / 3, -1 / 3, 0, 1], [np.log1p(1), 1, -1, 0, 1],
            [0, 0, 0, 0, 0]]
    assert np.allclose(c, np.array(want, np.float32), atol=1e-6)


def test_lookahead_features_by_hand():
    # (x1 | x2) (-x1 | x2) (-x2 | x3) (-x3 | -x2 | x4) (x5 | x6) (-x6): x6 false by a unit,
    # then x5 true; probing -x2 fails (x1 and -x1), so x2, x3, x4 are fixed; x7 unused.
    g = clause_graph(_cnf(7, [[1, 2], [-1, 2], [-2, 3], [-3, -2, 4], [5, 6], [-6]]))
    v = variable_features(g)[:, 6:]
    # x1: +x1 and -x1 each imply x2, x3, x4 (probed before x2 was fixed).
    want = [[0, np.log1p(3), np.log1p(3)], [1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [-1, 0, 0], [0, 0, 0]]
    assert np.allclose(v, np.array(want, np.float32), atol=1e-6)
    c = clause_features(g)[:, 3:]
    assert np.allclose(c, np.array([[1, 1 / 2], [1, 1 / 2], [1, 0], [1, 0], [1, 0], [1, 0]], np.float32))
    probe = lookahead(g)
    assert list(probe["root_value"]) == [0, 0, 0, 0, 1, -1, 0] and probe["failed_literals"] == 1


def test_no_clauses_and_no_variables():
    g = clause_graph(_cnf(3, []))
    assert variable_features(g).shape == (3, len(VARIABLE_FEATURES)) and not variable_features(g).any()
    assert clause_features(g).shape == (0, len(CLAUSE_FEATURES))


def test_flipping_a_variable_swaps_its_counts_and_negates_its_balances():
    cnf = generate("factoring", "tiny", 1)
    lits = np.asarray(cnf.lits)
    flip = np.zeros(cnf.nvars + 1, bool)
    flip[1::3] = True
    flipped = Cnf(cnf.nvars, np.where(flip[np.abs(lits)], -lits, lits).astype(lits.dtype), cnf.nclauses)
    a, b = variable_features(clause_graph(cnf)), variable_features(clause_graph(flipped))
    on = flip[1:]
    assert np.array_equal(a[~on], b[~on]) and not np.array_equal(a, b)
    assert np.array_equal(a[on][:, [1, 0, 8, 7]], b[on][:, [0, 1, 7, 8]])    # counts swap
    assert np.array_equal(a[on][:, [2, 3, 5, 6]], -b[on][:, [2, 3, 5, 6]])   # balances and signs negate
    assert (a[:, 6] != 0).any() and (a[:, 7] != a[:, 8]).any()
    assert np.array_equal(a[on][:, 4], b[on][:, 4])                    # JW mass stays


def test_lookahead_is_shared_by_one_graphs_features_only():
    a = clause_graph(_cnf(3, [[1], [-1, 2], [3, -2]]))
    b = clause_graph(_cnf(3, [[-1], [-1, 2], [3, -2]]))   # same sizes, another formula
    assert lookahead(a) is lookahead(a)
    assert list(lookahead(b)["value"]) == [-1, 0, 0] and list(lookahead(a)["value"]) == [1, 1, 1]
    assert list(variable_features(b)[:, 6]) == [-1, 0, 0]
