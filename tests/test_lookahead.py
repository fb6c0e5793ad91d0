"""satmip._core.lookahead (cpp/sat/lookahead.cpp), the failed-literal lookahead
behind the phase model's input features: against a direct computation of what
it documents, its work limits, and bad input as clear errors."""
from __future__ import annotations

import numpy as np
import pytest

from satmip import _core
from satmip.dimacs import Cnf, flatten
from satmip.learn import clause_graph, generate


def _cnf(nvars, clauses):
    return Cnf(nvars, flatten(clauses), len(clauses))


def _lookahead(g, probe_work, total_work):
    indptr = np.concatenate([[0], np.cumsum(np.bincount(g.edge_clause, minlength=g.nclauses))])
    return _core.lookahead(g.nvars, indptr, g.edge_var, g.edge_sign, probe_work, total_work)


def _closure(clauses, assigned: dict):
    """Unit propagation to its fixpoint by repeated passes over the clauses:
    (no conflict?, {variable: +1 / -1})."""
    assigned = dict(assigned)
    changed = True
    while changed:
        changed = False
        for clause in clauses:
            if any(assigned.get(abs(x)) == (1 if x > 0 else -1) for x in clause):
                continue
            open_ = [x for x in clause if abs(x) not in assigned]
            if not open_:
                return False, assigned
            if len(open_) == 1:
                assigned[abs(open_[0])] = 1 if open_[0] > 0 else -1
                changed = True
    return True, assigned


def _direct_lookahead(nvars, clauses):
    """The lookahead as documented, computed directly: root propagation, then per
    open variable in order +v, -v probed; a failed probe fixes the negation."""
    ok, root = _closure(clauses, {})
    assert ok
    implied = np.zeros(2 * nvars, np.int64)
    for v in range(1, nvars + 1):
        for k, lit in enumerate((v, -v)):
            if v in root:
                break
            ok, after = _closure(clauses, {**root, v: 1 if lit > 0 else -1})
            if ok:
                implied[2 * (v - 1) + k] = len(after) - len(root) - 1
                continue
            ok, root = _closure(clauses, {**root, v: -1 if lit > 0 else 1})
            assert ok
            break
    value = np.array([root.get(v, 0) for v in range(1, nvars + 1)], np.int8)
    return value, implied


@pytest.mark.parametrize("family,size", [("factoring", "tiny"), ("latin_square", 10), ("grid_planning", "tiny"),
                                         ("planted_clique", "tiny"), ("circuit_preimage", "tiny")])
def test_lookahead_equals_a_direct_computation(family, size):
    cnf = generate(family, size, 0)
    lits = np.asarray(cnf.lits)
    ends = np.flatnonzero(lits == 0)
    clauses = [list(map(int, c)) for c in np.split(lits, ends + 1)[:-1]]
    clauses = [c[:-1] for c in clauses]
    value, implied = _direct_lookahead(cnf.nvars, clauses)
    probe = _lookahead(clause_graph(cnf), 10 ** 6, 10 ** 9)
    assert probe["probed"].all() or (probe["value"] != 0).any()
    assert np.array_equal(probe["value"], value)
    assert np.array_equal(probe["implied"], implied)
    assert (implied > 0).any() and (value != 0).any()   # the formula exercises both


def test_lookahead_work_limits_and_bad_input():
    # a chain x1 -> x2 -> ... -> x30: probing x1 needs far more than 20 clause visits
    chain = [[-i, i + 1] for i in range(1, 30)]
    g = clause_graph(_cnf(30, chain))
    full = _lookahead(g, 10 ** 6, 10 ** 6)
    assert full["implied"][0] == 29 and full["probed"].all()
    cut = _lookahead(g, 20, 10 ** 6)
    assert cut["implied"][0] == 0 and cut["probed"][0] == 0 and cut["probed"][2 * 29] == 1   # +x30: no work
    none = _lookahead(g, 10 ** 6, 0)
    assert not none["probed"].any()
    with pytest.raises(ValueError, match="indices"):
        _core.lookahead(3, [0, 2], [0, 3], [1, 1], 10, 10)
    with pytest.raises(ValueError, match="signs"):
        _core.lookahead(3, [0, 2], [0, 1], [1, 0], 10, 10)
    with pytest.raises(ValueError, match="indptr"):
        _core.lookahead(3, [0, 3], [0, 1], [1, 1], 10, 10)
    with pytest.raises(ValueError, match="indptr must not decrease"):
        _core.lookahead(3, [0, 2, 1, 2], [0, 1], [1, 1], 10, 10)
