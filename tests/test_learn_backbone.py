"""Backbone labels (satmip.learn.backbone) against brute-force enumeration."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import brute_force_models, planted_ksat, random_mixed
from satmip.dimacs import Cnf, flatten
from satmip.learn.backbone import Budget, extract, flippable, clause_rows


def _cnf(clauses, nvars):
    return Cnf(nvars, flatten(clauses), len(clauses))


def _expected_backbone(clauses, nvars):
    models = brute_force_models(clauses, nvars)
    if not models:
        return None
    values = np.array([[0] + [1 if lit > 0 else -1 for lit in m] for m in models])
    out = np.zeros(nvars + 1, dtype=np.int8)
    out[(values == 1).all(axis=0)] = 1
    out[(values == -1).all(axis=0)] = -1
    out[0] = 0
    return out, values


def _formulas():
    """Small formulas of every shape: near-threshold 3-SAT, mixed sizes with units,
    planted ones (many backbones), repeated literals, tautologies, unused variables."""
    for seed in range(40):
        n = 6 + seed % 9
        yield f"mixed{seed}", random_mixed(n, int(n * 2.2), seed=seed), n
    for seed in range(20):
        n = 10 + seed % 5
        clauses, _ = planted_ksat(n, int(n * 4.5), seed=seed)
        yield f"planted{seed}", clauses, n
    yield "repeats", [[1, 1, 2], [-2, -2], [2, 3, 3, -1], [1, -3, -3]], 4
    yield "tautology", [[1, -1, 2], [-2, 3], [-3, -2, 4], [2, -2]], 6
    yield "unused", [[1, 2], [-1, 2]], 9


@pytest.mark.parametrize("name,clauses,nvars", list(_formulas()), ids=lambda x: x if isinstance(x, str) else "")
def test_backbone_matches_brute_force(name, clauses, nvars):
    expected = _expected_backbone(clauses, nvars)
    labels = extract(_cnf(clauses, nvars), models=3, seed=1)
    if expected is None:
        assert labels.status == "unsat"
        return
    backbone, models = expected
    assert labels.status == "sat"
    assert labels.backbone.tolist() == backbone.tolist()
    # Majority phases: +-1 everywhere, the backbone's phase on backbone variables,
    # and each a value some model takes.
    assert set(labels.majority[1:].tolist()) <= {-1, 1}
    on = backbone != 0
    assert (labels.majority[on] == backbone[on]).all()
    for v in range(1, nvars + 1):
        assert (models[:, v] == labels.majority[v]).any()


def test_flippable_counts_a_repeated_literal_once():
    # Model x1 = x2 = true: (x1 x1) holds only by x1, so x1 cannot flip; x2 can.
    cnf = _cnf([[1, 1], [1, 2]], 2)
    rows, lits = clause_rows(cnf)
    flips = flippable(np.array([0, 1, 1]), rows, lits, cnf.nclauses)
    assert flips[1:].tolist() == [False, True]


def test_zero_budget_drops_the_instance():
    clauses, _ = planted_ksat(12, 50, seed=3)
    labels = extract(_cnf(clauses, 12), Budget(seconds=0.0))
    assert labels.status == "budget" and labels.backbone.size == 1


def test_conflict_budget_is_reached_on_a_hard_formula():
    from conftest import pigeonhole
    clauses = pigeonhole(9, 8)
    labels = extract(_cnf(clauses, max(abs(x) for c in clauses for x in c)),
                     Budget(seconds=None, conflicts=200))
    assert labels.status == "budget"
    assert labels.conflicts <= 400
