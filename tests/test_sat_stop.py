"""A stop request (interrupt(), a time limit) ends the SAT engine's preprocessing steps
midway, not only its search: each long loop counts its work and checks for a stop every
few thousand units. The step stopped leaves an equivalent formula: a later solve() of the
same solver answers, with a model of the original clauses.

Behaviour only: the hook runs at interval 0 (every check reports), interrupts at a chosen
step, and the statistics show that step cut short and the steps after it skipped."""
from __future__ import annotations

import numpy as np
import pytest

import satmip
from satmip.proof import check_drat, check_lrat

from helpers import random_ksat

NVARS, NCLAUSES = 10000, 30000


def planted_3sat(nvars: int, nclauses: int, seed: int = 1) -> np.ndarray:
    """(nclauses, 3) literals satisfied by a hidden assignment: easy at ratio 3."""
    rng = np.random.default_rng(seed)
    hidden = rng.random(nvars + 1) < 0.5
    variables = rng.integers(1, nvars + 1, (nclauses, 3))
    lits = np.where(rng.random((nclauses, 3)) < 0.5, -variables, variables)
    satisfied = ((lits > 0) == hidden[variables]).any(axis=1)
    lits[~satisfied, 0] *= -1
    return lits


# Each clause twice: subsumption has one deletion per clause to do, and elimination
# many candidates after it (ratio 3: ~9 occurrences per variable).
LITS = planted_3sat(NVARS, NCLAUSES)
FLAT = np.concatenate([np.repeat(LITS, 2, axis=0), np.zeros((2 * NCLAUSES, 1), LITS.dtype)], axis=1)
FLAT = FLAT.ravel().astype(np.int32)


def _solver() -> satmip.Solver:
    s = satmip.Solver()
    s.add_clauses(FLAT)
    return s


def _satisfies_the_formula(model: list[int]) -> bool:
    values = np.zeros(NVARS + 1, dtype=bool)
    m = np.asarray(model)
    values[np.abs(m)] = m > 0
    return bool(((LITS > 0) == values[np.abs(LITS)]).any(axis=1).all())


@pytest.fixture(scope="module")
def full_preprocessing() -> dict:
    """What an uninterrupted preprocessing round does on the formula."""
    s = _solver()
    s.conf_budget(1)
    s.solve_limited()
    return s.accum_stats()


def _interrupt_at(phase: str, eliminated_at_least: int = 0):
    """Solves, calling interrupt() from the progress hook at the first report of `phase`
    (with at least that many variables eliminated); the phases reported, the stats."""
    s = _solver()
    seen = []

    def hook(info):
        seen.append(info["phase"])
        if info["phase"] == phase and info["eliminated"] >= eliminated_at_least:
            s.interrupt()

    s.on_progress(hook, interval=0)
    answer = s.solve_limited(expect_interrupt=True)
    return s, answer, seen, s.accum_stats()


def test_interrupt_during_subsumption_ends_it_and_skips_the_steps_after(full_preprocessing):
    s, answer, seen, stats = _interrupt_at("subsume")
    assert answer is None
    assert full_preprocessing["subsumed"] >= NCLAUSES - 10  # each duplicate, uninterrupted
    assert stats["subsumed"] < full_preprocessing["subsumed"] // 2, "subsumption ran on after interrupt()"
    assert "elim" not in seen and "vivify" not in seen and stats["eliminated"] == 0
    s.clear_interrupt()
    assert s.solve() is True and _satisfies_the_formula(s.get_model())


def test_interrupt_during_elimination_leaves_no_half_eliminated_variable(full_preprocessing):
    s, answer, seen, stats = _interrupt_at("elim", eliminated_at_least=1)
    assert answer is None
    assert full_preprocessing["eliminated"] > 100
    assert 0 < stats["eliminated"] < full_preprocessing["eliminated"] // 2, "elimination ran on after interrupt()"
    assert "vivify" not in seen
    # The variables eliminated get their values back from their clauses in the model.
    s.clear_interrupt()
    assert s.solve() is True and _satisfies_the_formula(s.get_model())


def test_time_limit_already_spent_skips_preprocessing(full_preprocessing):
    s = _solver()
    assert s.solve(time_limit=0.0) is None
    stats = s.accum_stats()
    assert full_preprocessing["subsumed"] > 0 and full_preprocessing["eliminated"] > 0
    assert stats["subsumed"] == 0 and stats["eliminated"] == 0, "preprocessing ran past the time limit"
    assert s.solve() is True and _satisfies_the_formula(s.get_model())


@pytest.mark.parametrize("phase", ["subsume", "elim"])
@pytest.mark.parametrize("fmt", ["lrat", "drat"])
def test_a_step_stopped_midway_keeps_the_proof_valid(tmp_path, phase, fmt):
    # Unsatisfiable random 3-SAT (ratio 6), each clause twice; the resumed solve refutes it
    # and the proof covers the strengthenings and eliminations done before the stop.
    clauses = [list(c) for c in random_ksat(120, 720, seed=3) for _ in range(2)]
    proof = tmp_path / f"proof.{fmt}"
    s = satmip.Solver()
    s.trace_proof(str(proof), fmt)
    s.append_formula(clauses)
    seen = []

    def hook(info):
        seen.append(info["phase"])
        if info["phase"] == phase and (phase != "elim" or info["eliminated"] > 0):
            s.interrupt()

    s.on_progress(hook, interval=0)
    assert s.solve_limited(expect_interrupt=True) is None
    assert phase in seen and "vivify" not in seen
    assert (s.accum_stats()["eliminated"] > 0) == (phase == "elim")
    s.clear_interrupt()
    assert s.solve() is False
    s.close_proof()
    result = (check_lrat if fmt == "lrat" else check_drat)(clauses, proof)
    assert result["ok"], result["message"]


@pytest.mark.parametrize("seed", [0, 1])
def test_elimination_stopped_at_any_point_keeps_the_formula_equivalent(seed):
    # Planted 3-SAT at ratio 4.25: interrupt() at the k-th check inside elimination, for
    # each k the step lasts; the resumed solve's model (eliminated variables rebuilt from
    # their clauses) satisfies every clause. A variable left with only part of its
    # resolvents would let the model break one of its clauses.
    lits = planted_3sat(400, 1700, seed=seed)
    flat = np.concatenate([lits, np.zeros((len(lits), 1), lits.dtype)], axis=1).ravel().astype(np.int32)
    values = np.zeros(401, dtype=bool)
    for k in range(1, 30):
        s = satmip.Solver()
        s.add_clauses(flat)
        checks = [0]

        def hook(info, k=k, s=s, checks=checks):
            if info["phase"] == "elim":
                checks[0] += 1
                if checks[0] == k:
                    s.interrupt()

        s.on_progress(hook, interval=0)
        answer = s.solve_limited(expect_interrupt=True)
        if checks[0] < k:
            break  # elimination ended before its k-th check
        assert answer is None
        s.clear_interrupt()
        assert s.solve() is True
        model = np.asarray(s.get_model())
        values[np.abs(model)] = model > 0
        assert ((lits > 0) == values[np.abs(lits)]).any(axis=1).all(), f"interrupted at check {k}"
    assert k > 5, "elimination had only a few checks to stop at"
