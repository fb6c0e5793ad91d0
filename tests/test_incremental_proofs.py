"""Proofs of a solver used incrementally: clauses added between solves.

The checker is given every input clause, numbered 1..M in the order they
were added; LRAT ids of derived clauses must not collide with them (they
did: the second solve's input clauses got ids of earlier lemmas), and
clauses that variable elimination removed must still be in the proof when a
later clause brings them back (DRAT rejected the restored clauses).
"""
from __future__ import annotations

import pytest

from helpers import random_ksat
from satmip.proof import check_drat, check_lrat
from satmip.sat import Solver


def solve_in_stages(proof, fmt, seed, **options):
    """Three batches of a random 3-SAT formula with solves between them, then
    blocking clauses until UNSAT. Returns all input clauses in the order added,
    and what the solver did."""
    clauses = random_ksat(60, 240, 3, seed=seed)
    s = Solver(**options)
    s.trace_proof(str(proof), fmt)
    added = []

    def add(batch):
        for c in batch:
            s.add_clause(c)
            added.append(c)
    add(clauses[:150])
    answers = [s.solve()]
    add(clauses[150:195])
    answers.append(s.solve())
    add(clauses[195:])
    while s.solve():
        add([[-lit for lit in s.get_model()[:12]]])  # block the model on 12 variables
    s.close_proof()
    return added, answers, s.accum_stats()


@pytest.mark.parametrize("fmt", ["lrat", "lrat-binary"])
@pytest.mark.parametrize("seed", [3, 4, 5])
def test_lrat_checks_after_clauses_added_between_solves(tmp_path, fmt, seed):
    proof = tmp_path / "proof"
    added, answers, stats = solve_in_stages(proof, fmt, seed)
    assert answers[0] is True  # so that lemmas exist before the later clauses
    result = check_lrat(added, proof)
    assert result["ok"], result["message"]


@pytest.mark.parametrize("fmt", ["drat", "drat-binary"])
@pytest.mark.parametrize("seed", [3, 4, 5])
def test_drat_checks_after_clauses_added_between_solves(tmp_path, fmt, seed):
    proof = tmp_path / "proof"
    added, _, stats = solve_in_stages(proof, fmt, seed)
    assert stats["eliminated"] > 0  # the case where later clauses restore eliminated ones
    result = check_drat(added, proof)
    assert result["ok"], result["message"]


def test_lrat_ids_unchanged_when_all_clauses_come_first(tmp_path):
    # The usual case needs no renumbering: the file is written once, ids 1..M are inputs.
    clauses = random_ksat(40, 200, 3, seed=1)
    proof = tmp_path / "proof.lrat"
    s = Solver()
    s.trace_proof(str(proof), "lrat")
    for c in clauses:
        s.add_clause(c)
    assert s.solve() is False
    s.close_proof()
    first_ids = [int(line.split()[0]) for line in proof.read_text().splitlines() if " d " not in line]
    assert first_ids[0] == len(clauses) + 1 and first_ids == sorted(first_ids)
    assert check_lrat(clauses, proof)["ok"]
