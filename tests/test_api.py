"""The PySAT-compatible surface of satmip.Solver (and the module-level helpers).

PySAT's minisat22 is the reference wherever an answer can be compared.
"""
from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from pysat.formula import CNF
from pysat.solvers import Solver as PySolver

import satmip
from helpers import (
    DATA_DIR,
    brute_force_count,
    brute_force_models,
    brute_force_sat,
    check_model,
    dimacs_text,
    nvars_of,
    pigeonhole,
    planted_ksat,
    random_ksat,
    random_mixed,
    reference_solve,
)

SMALL = [[1, 2], [-1, 2], [-2, 3]]
SAT_FILE = DATA_DIR / "qg3-08.cnf.xz"  # SAT, 512 variables
SAT_FILE2 = DATA_DIR / "2bitadd_12.cnf.xz"  # SAT, 708 variables
UNSAT_FILE = DATA_DIR / "bf2670-001.cnf.xz"  # UNSAT, 1393 variables, fast


def random_formulas(count, seed=0, nmin=8, nmax=30):
    """Random 3-SAT near the threshold (a mix of SAT and UNSAT)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        n = rng.randint(nmin, nmax)
        m = int(n * rng.uniform(3.6, 5.0))
        out.append(random_ksat(n, m, 3, seed=seed * 1000 + i))
    return out


# ---------------------------------------------------------------------------
# Adding clauses
# ---------------------------------------------------------------------------


def test_add_clause_and_solve():
    s = satmip.Solver()
    for c in SMALL:
        s.add_clause(c)
    assert s.solve() is True
    assert check_model(SMALL, s.get_model())
    s.add_clause([-3])
    assert s.solve() is False
    s.delete()


def test_add_clause_accepts_iterables_and_numpy_ints():
    s = satmip.Solver()
    s.add_clause((1, 2))
    s.add_clause(x for x in [-1, 2])
    s.add_clause([np.int32(-2), np.int64(3)])
    s.add_clause(range(3, 5))
    assert s.nof_clauses() == 4
    assert s.solve() is True
    assert check_model([[1, 2], [-1, 2], [-2, 3], [3, 4]], s.get_model())


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_add_clause_numpy_array(dtype):
    # A 1-D numpy array is an iterable of integers (PySAT accepts it).
    s = satmip.Solver()
    s.add_clause(np.array([1, 2], dtype=dtype))
    s.append_formula([np.array([-1, 2], dtype=dtype), np.array([-2], dtype=dtype)])
    assert s.nof_clauses() == 3
    assert s.solve() is False
    t = satmip.Solver(bootstrap_with=np.array([[1, 2], [-1, 2]], dtype=dtype))
    assert t.solve(assumptions=np.array([-2], dtype=dtype)) is False


def test_add_clause_no_return():
    s = satmip.Solver()
    assert s.add_clause([1, 2]) is None
    assert s.add_clause([-1], no_return=False) is True
    assert s.add_clause([-2], no_return=False) is False


@pytest.mark.parametrize("seed", range(3))
def test_append_formula_list_and_pysat_cnf(seed):
    clauses = random_ksat(40, 170, seed=seed)
    expected = reference_solve(clauses)
    with satmip.Solver() as a, satmip.Solver() as b:
        a.append_formula(clauses)
        b.append_formula(CNF(from_clauses=clauses))
        assert a.nof_clauses() == b.nof_clauses() == len(clauses)
        for s in (a, b):
            assert s.solve() is expected
            if expected:
                assert check_model(clauses, s.get_model())


def test_append_formula_no_return():
    s = satmip.Solver()
    assert s.append_formula([[1, 2], [-1]], no_return=False) is True
    assert s.append_formula([[-2]], no_return=False) is False


def test_bootstrap_with_pysat_cnf():
    cnf = CNF(from_clauses=pigeonhole(4, 3))
    with satmip.Solver(name="minisat22", bootstrap_with=cnf) as s:
        assert s.solve() is False


@pytest.mark.parametrize("path,expected", [(SAT_FILE, True), (UNSAT_FILE, False)])
def test_append_formula_satmip_cnf(path, expected):
    cnf = satmip.read_dimacs(path)
    assert isinstance(cnf, satmip.Cnf)
    with satmip.Solver() as s:
        s.append_formula(cnf)
        assert s.nof_vars() == cnf.nvars
        assert s.solve() is expected
        if expected:
            assert check_model(cnf.clauses, s.get_model())


def test_append_formula_cnf_declares_unused_variables():
    cnf = satmip.parse_dimacs("p cnf 5 1\n1 -2 0\n")
    with satmip.Solver(bootstrap_with=cnf) as s:
        assert s.nof_vars() == 5
        assert s.solve() is True
        assert len(s.get_model()) == 5


def test_empty_clause_makes_unsat():
    with satmip.Solver(bootstrap_with=[[1, 2]]) as s:
        s.add_clause([])
        assert s.solve() is False
        assert s.get_core() == []


def test_duplicate_and_tautological_literals():
    clauses = [[1, 1, -2], [1, -1], [2, 2], [3, -3, 4]]
    with satmip.Solver() as s:
        s.reserve(4)
        s.append_formula(clauses)
        assert s.solve() is True
        assert check_model(clauses, s.get_model())
        assert len(list(s.enum_models())) == brute_force_count(clauses, 4) == 4


def run_incremental_against_minisat(solver, n, steps, clauses_per_step, nassume, seed, clause_seed):
    """Clauses arrive between solves under random assumptions; every answer
    agrees with minisat22, models are checked, cores are failed assumptions
    that minisat22 confirms."""
    rng = random.Random(seed)
    added = []
    with solver as s, PySolver(name="minisat22") as ref:
        for step in range(steps):
            for c in random_ksat(n, clauses_per_step, seed=clause_seed + step):
                s.add_clause(c)
                ref.add_clause(c)
                added.append(c)
            assumptions = [v * rng.choice((1, -1)) for v in rng.sample(range(1, n + 1), nassume)]
            got = s.solve(assumptions=assumptions)
            assert got is ref.solve(assumptions=assumptions), (seed, step)
            if got:
                assert check_model(added, s.get_model())
                assert set(assumptions) <= set(s.get_model())
            else:
                assert set(s.get_core()) <= set(assumptions)
                assert ref.solve(assumptions=s.get_core()) is False


def test_incremental_matches_minisat():
    for seed in range(12):
        run_incremental_against_minisat(satmip.Solver(), 25, 10, 12, 3, seed, seed * 100)


# ---------------------------------------------------------------------------
# Solving with assumptions, cores
# ---------------------------------------------------------------------------


def test_solve_with_assumptions_matches_minisat():
    rng = random.Random(5)
    for i, clauses in enumerate(random_formulas(15, seed=1)):
        n = nvars_of(clauses)
        with satmip.Solver(bootstrap_with=clauses) as s, \
                PySolver(name="minisat22", bootstrap_with=clauses) as ref:
            for _ in range(6):
                assumptions = [v if rng.random() < 0.5 else -v
                               for v in rng.sample(range(1, n + 1), rng.randint(0, 4))]
                expected = ref.solve(assumptions=assumptions)
                got = s.solve(assumptions=assumptions)
                assert got is expected, (i, assumptions)
                if got:
                    model = s.get_model()
                    assert check_model(clauses, model)
                    assert set(assumptions) <= set(model)
                got = s.solve_limited(assumptions=assumptions)
                assert got is expected, (i, assumptions)


def test_get_core_is_subset_and_unsat():
    rng = random.Random(9)
    checked = 0
    for clauses in random_formulas(25, seed=2, nmin=15, nmax=30):
        n = nvars_of(clauses)
        if not reference_solve(clauses):
            continue
        with satmip.Solver(bootstrap_with=clauses) as s:
            for _ in range(8):
                assumptions = [v if rng.random() < 0.5 else -v
                               for v in rng.sample(range(1, n + 1), min(n, 8))]
                if s.solve(assumptions=assumptions) is not False:
                    continue
                core = s.get_core()
                assert core is not None
                assert set(core) <= set(assumptions), (core, assumptions)
                assert core, "a satisfiable formula needs a non-empty core"
                assert s.solve(assumptions=core) is False
                assert reference_solve(clauses, core) is False
                checked += 1
    assert checked >= 10


def test_get_core_contradictory_assumptions():
    with satmip.Solver(bootstrap_with=[[1, 2]]) as s:
        assert s.solve(assumptions=[3, 1, -1]) is False
        assert sorted(s.get_core()) == [-1, 1]


def test_get_core_none_when_not_unsat():
    with satmip.Solver(bootstrap_with=SMALL) as s:
        assert s.get_core() is None
        assert s.solve(assumptions=[1]) is True
        assert s.get_core() is None


def test_get_core_formula_unsat_without_assumptions():
    with satmip.Solver(bootstrap_with=pigeonhole(4, 3)) as s:
        assert s.solve(assumptions=[1, 5]) is False
        core = s.get_core()
        assert set(core) <= {1, 5}


# ---------------------------------------------------------------------------
# Budgets, time limits, interrupts
# ---------------------------------------------------------------------------


def test_conf_budget(php_hard):
    with satmip.Solver(bootstrap_with=php_hard) as s:
        s.conf_budget(200)
        before = s.accum_stats()["conflicts"]
        assert s.solve_limited() is None
        assert s.get_status() is None
        used = s.accum_stats()["conflicts"] - before
        assert 0 < used <= 1000
        # Reusable: an assumption set that makes the formula trivially UNSAT.
        pigeon0 = [-(j + 1) for j in range(12)]
        assert s.solve_limited(assumptions=pigeon0) is False
        assert set(s.get_core()) <= set(pigeon0)
        s.conf_budget(-1)
        assert s.solve(assumptions=[1, 13]) is False  # pigeons 0 and 1 both in hole 0


def test_prop_budget(php_hard):
    with satmip.Solver(bootstrap_with=php_hard) as s:
        s.prop_budget(2000)
        assert s.solve_limited() is None
        s.prop_budget(-1)
        assert s.solve(assumptions=[1, 13]) is False


def test_budget_applies_to_solve_limited_only():
    clauses = pigeonhole(7, 6)
    with satmip.Solver(bootstrap_with=clauses) as s:
        s.conf_budget(5)
        assert s.solve_limited() is None
        assert s.solve() is False  # the budget does not apply to solve()


def test_budget_reusable_then_sat():
    clauses, hidden = planted_ksat(100, 420, seed=3)
    with satmip.Solver(bootstrap_with=clauses) as s:
        s.conf_budget(1)
        s.solve_limited()
        s.conf_budget(-1)
        assert s.solve_limited() is True
        assert check_model(clauses, s.get_model())


def test_time_limit(php_hard):
    with satmip.Solver(bootstrap_with=php_hard) as s:
        assert s.solve(time_limit=0.5) is None          # php 13 into 12: only the limit ends it
        searched = s.accum_stats()["conflicts"]
        assert searched > 0
        assert s.solve_limited(time_limit=0.3) is None
        # time_limit=0: stop at once, before any conflict
        before = s.accum_stats()["conflicts"]
        assert s.solve(time_limit=0) is None
        assert s.accum_stats()["conflicts"] == before
        with pytest.raises(ValueError):
            s.solve(time_limit=-1)
        assert s.solve(assumptions=[1, 13], time_limit=5) is False


def test_interrupt_from_timer(php_hard):
    with satmip.Solver(bootstrap_with=php_hard) as s:
        timer = threading.Timer(0.3, s.interrupt)
        timer.start()
        try:
            assert s.solve() is None      # no limit: only the interrupt ends it
        finally:
            timer.cancel()
        # The interrupt stays in force until cleared.
        assert s.solve_limited(expect_interrupt=True) is None
        s.clear_interrupt()
        assert s.solve(assumptions=[1, 13]) is False
    with satmip.Solver(bootstrap_with=pigeonhole(10, 9)) as s:
        s.interrupt()
        s.clear_interrupt()
        assert s.solve(assumptions=[-(j + 1) for j in range(9)]) is False


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


def test_get_model_and_model_views():
    clauses, _ = planted_ksat(50, 200, seed=4)
    with satmip.Solver(bootstrap_with=clauses) as s:
        s.reserve(55)  # variables 51..55 occur in no clause
        assert s.get_model() is None and s.model is None and s.model_values() is None
        assert s.solve() is True
        model = s.get_model()
        assert isinstance(model, list) and all(type(l) is int for l in model)
        assert [abs(l) for l in model] == list(range(1, 56))
        assert check_model(clauses, model)
        arr = s.model
        assert isinstance(arr, np.ndarray) and arr.dtype == np.int32
        assert arr.tolist() == model
        vals = s.model_values()
        assert isinstance(vals, np.ndarray) and vals.dtype == np.int8
        assert len(vals) == 56
        assert set(np.unique(vals[1:]).tolist()) <= {-1, 1}
        assert (vals[1:] * np.arange(1, 56)).tolist() == model


def test_model_none_after_unsat():
    with satmip.Solver(bootstrap_with=pigeonhole(4, 3)) as s:
        assert s.solve() is False
        assert s.get_model() is None
        assert s.model is None
        assert s.model_values() is None


def test_get_status(php_hard):
    with satmip.Solver(bootstrap_with=php_hard) as s:
        assert s.get_status() is None
        assert s.solve(assumptions=[-(j + 1) for j in range(12)]) is False
        assert s.get_status() is False
        s.conf_budget(10)
        assert s.solve_limited() is None
        assert s.get_status() is None
    with satmip.Solver(bootstrap_with=SMALL) as s:
        assert s.solve() is True
        assert s.get_status() is True


def test_nof_vars_and_clauses():
    with satmip.Solver() as s:
        assert s.nof_vars() == 0 and s.nof_clauses() == 0
        s.add_clause([1, -7])
        s.add_clause([2, 3, -4])
        assert s.nof_vars() == 7
        assert s.nof_clauses() == 2
        s.reserve(12)
        assert s.nof_vars() == 12
        s.append_formula([[5, 6], [-5, -6], [8, 9, 10]])
        assert s.nof_clauses() == 5
        assert s.nof_vars() == 12
    clauses = random_ksat(30, 100, seed=1)
    with satmip.Solver(bootstrap_with=clauses) as s, \
            PySolver(name="minisat22", bootstrap_with=clauses) as ref:
        assert s.nof_vars() == ref.nof_vars()
        assert s.nof_clauses() == ref.nof_clauses()


def test_accum_stats():
    with satmip.Solver(bootstrap_with=pigeonhole(6, 5)) as s:
        assert s.solve() is False
        st = s.accum_stats()
        for key in ("conflicts", "decisions", "propagations", "restarts"):
            assert key in st
            assert isinstance(st[key], int)
            assert st[key] >= 0
        assert st["conflicts"] > 0 and st["decisions"] > 0 and st["propagations"] > 0
        c0 = st["conflicts"]
        s.solve()
        assert s.accum_stats()["conflicts"] >= c0
    assert s.time() >= 0 and s.time_accum() >= s.time()


def test_use_timer_time():
    with satmip.Solver(bootstrap_with=pigeonhole(6, 5), use_timer=True) as s:
        s.solve()
        assert s.time() > 0
        assert s.time_accum() >= s.time()


@pytest.mark.parametrize("seed", range(3))
def test_set_phases_honoured(seed):
    # PySAT semantics: the phases are always used when deciding. They form a
    # model here, and deciding along a model never conflicts (propagation
    # agrees with it), so the answer is exactly the preferred assignment.
    clauses, hidden = planted_ksat(60, 240, seed=seed)
    with satmip.Solver(bootstrap_with=clauses) as s:
        s.set_phases(hidden)
        assert s.solve() is True
        assert s.get_model() == hidden
        # a second preferred model (flip the variables that may be flipped)
        flipped = list(hidden)
        for i in range(60):
            flipped[i] = -flipped[i]
            if not check_model(clauses, flipped):
                flipped[i] = -flipped[i]
        s.set_phases(flipped)
        assert s.solve() is True
        assert s.get_model() == flipped


def test_set_phases_free_variables():
    with satmip.Solver(bootstrap_with=[[1, 2, 3, 4, 5, 6]]) as s:
        s.set_phases([-1, 2, -3, 4, -5, 6])
        assert s.solve() is True
        assert s.get_model() == [-1, 2, -3, 4, -5, 6]
        s.set_phases([1, -2, 3, -4, 5, -6])
        assert s.solve() is True
        assert s.get_model() == [1, -2, 3, -4, 5, -6]


def test_phases_option_in_constructor():
    with satmip.Solver(bootstrap_with=[[1, 2, 3]], phases=[-1, -2, 3]) as s:
        assert s.solve() is True
        assert s.get_model() == [-1, -2, 3]


# ---------------------------------------------------------------------------
# Life cycle
# ---------------------------------------------------------------------------


def test_delete_and_context_manager():
    s = satmip.Solver(bootstrap_with=SMALL)
    assert s.solve() is True
    s.delete()
    with pytest.raises(RuntimeError):
        s.solve()
    with pytest.raises(RuntimeError):
        s.add_clause([1])
    s.delete()  # twice is fine
    s.new(bootstrap_with=[[1], [-1, 2]])
    assert s.solve() is True and s.get_model() == [1, 2]
    s.delete()

    with satmip.Solver(bootstrap_with=SMALL) as t:
        assert t.solve() is True
    with pytest.raises(RuntimeError):
        t.nof_vars()


def test_context_manager_deletes_on_exception():
    with pytest.raises(KeyError):
        with satmip.Solver(bootstrap_with=SMALL) as s:
            raise KeyError("x")
    with pytest.raises(RuntimeError):
        s.solve()


# ---------------------------------------------------------------------------
# Model enumeration, propagation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_enum_models_count(seed):
    rng = random.Random(seed)
    n = rng.randint(4, 10)
    clauses = random_mixed(n, rng.randint(n, 3 * n), seed=seed, sizes=(2, 3, 3, 4))
    expected = brute_force_models(clauses, n)
    with satmip.Solver() as s:
        s.reserve(n)
        s.append_formula(clauses)
        models = list(s.enum_models())
    assert len(models) == len(expected)
    assert len({tuple(m) for m in models}) == len(models)
    assert sorted(map(sorted, models)) == sorted(map(sorted, expected))


def test_tiny_formulas_match_brute_force():
    for seed in range(60):
        rng = random.Random(seed)
        n = rng.randint(1, 12)
        clauses = random_mixed(n, rng.randint(1, 5 * n), seed=seed)
        expected = brute_force_sat(clauses, n)
        with satmip.Solver(bootstrap_with=clauses) as s:
            assert s.solve() is expected, seed
            if expected:
                assert check_model(clauses, s.get_model())


def test_enum_models_with_assumptions():
    clauses = [[1, 2, 3], [-1, -2]]
    with satmip.Solver() as s:
        s.append_formula(clauses)
        models = list(s.enum_models(assumptions=[3]))
    expected = [m for m in brute_force_models(clauses, 3) if 3 in m]
    assert sorted(map(sorted, models)) == sorted(map(sorted, expected))


def _propagate_cases():
    formulas = [
        [[1, 2], [-2, 3], [-3, 4], [-4, -5], [5, 6, 7]],
        [[-1, 2], [-1, 3], [-2, -3, 4], [-4, 5], [-5, -6], [6, 7]],
        [[-1, 2], [-2, 3], [-3, -1]],  # 1 fails
    ]
    formulas += [random_mixed(12, 20, seed=s, sizes=(2, 2, 2, 3)) for s in range(8)]
    return formulas


def test_propagate_matches_minisat():
    rng = random.Random(3)
    compared = 0
    for clauses in _propagate_cases():
        n = nvars_of(clauses)
        with satmip.Solver(bootstrap_with=clauses) as s, \
                PySolver(name="minisat22", bootstrap_with=clauses) as ref:
            ref_root_ok, _ = ref.propagate(assumptions=[])
            for k in range(12):
                if k < n:
                    assumptions = [rng.choice((1, -1)) * (k + 1)]
                else:
                    assumptions = [v if rng.random() < 0.5 else -v
                                   for v in rng.sample(range(1, n + 1), rng.randint(1, 3))]
                ok, implied = s.propagate(assumptions=assumptions)
                rok, rimplied = ref.propagate(assumptions=assumptions)
                assert isinstance(ok, bool) and isinstance(implied, list)
                assert ok == rok, (clauses, assumptions)
                if ok:
                    assert set(implied) == set(rimplied), (clauses, assumptions)
                compared += 1
    assert compared > 50


def test_propagate_root_conflict():
    clauses = [[1], [-1, 2], [-2]]
    with satmip.Solver(bootstrap_with=clauses) as s, \
            PySolver(name="minisat22", bootstrap_with=clauses) as ref:
        ok, _ = s.propagate([3])
        assert ok is False and ok == ref.propagate([3])[0]


def test_propagate_does_not_change_answers():
    clauses = random_ksat(20, 85, seed=4)
    expected = reference_solve(clauses)
    with satmip.Solver(bootstrap_with=clauses) as s:
        for v in range(1, 21):
            s.propagate([v])
            s.propagate([-v], phase_saving=2)
        assert s.solve() is expected


# ---------------------------------------------------------------------------
# Proofs
# ---------------------------------------------------------------------------


def test_with_proof_get_proof_drat(tmp_path):
    clauses = pigeonhole(6, 5)
    with satmip.Solver(bootstrap_with=clauses, with_proof=True) as s:
        assert s.solve() is False
        proof = s.get_proof()
    assert isinstance(proof, list) and proof
    assert all(isinstance(line, str) for line in proof)
    assert proof[-1].split()[-1] == "0"
    path = tmp_path / "proof.drat"
    path.write_text("\n".join(proof) + "\n")
    res = satmip.check_drat(clauses, path)
    assert res["ok"], res["message"]


def test_with_proof_temp_file_removed_on_delete():
    import os
    s = satmip.Solver(bootstrap_with=pigeonhole(4, 3), with_proof=True)
    assert s.solve() is False
    assert s.get_proof()
    paths = [v for v in vars(s).values() if isinstance(v, str) and os.path.exists(v)]
    s.delete()
    assert s.get_proof() is None
    for path in paths:
        assert not os.path.exists(path)


def test_get_proof_none_without_proof():
    with satmip.Solver(bootstrap_with=SMALL) as s:
        s.solve()
        assert s.get_proof() is None


@pytest.mark.parametrize("fmt", ["lrat", "lrat-binary", "drat", "drat-binary"])
def test_trace_proof(tmp_path, fmt):
    clauses = pigeonhole(6, 5) + random_ksat(30, 40, seed=1)
    path = tmp_path / f"proof.{fmt}"
    s = satmip.Solver()
    s.trace_proof(path, fmt)
    s.append_formula(clauses)
    assert s.solve() is False
    s.close_proof()
    s.delete()
    check = satmip.check_lrat if fmt.startswith("lrat") else satmip.check_drat
    res = check(clauses, path)
    assert res["ok"], res["message"]
    assert res["lemmas"] > 0


def test_trace_proof_on_data_file(tmp_path):
    path = tmp_path / "bf.lrat"
    cnf = satmip.read_dimacs(UNSAT_FILE)
    s = satmip.Solver()
    s.trace_proof(str(path), "lrat")
    s.append_formula(cnf)
    assert s.solve() is False
    s.close_proof()
    res = satmip.check_lrat(cnf, path)
    assert res["ok"], res["message"]


@pytest.mark.parametrize("fmt", ["drat", "lrat-binary"])
def test_from_dimacs_writes_a_proof_of_the_whole_file(tmp_path, fmt):
    """proof= opens the proof before the clauses go in (a late trace_proof raises)."""
    path = tmp_path / f"bf.{fmt}"
    with satmip.Solver.from_dimacs(UNSAT_FILE, proof=path, proof_format=fmt) as s:
        assert s.solve() is False
    check = satmip.check_lrat if fmt.startswith("lrat") else satmip.check_drat
    res = check(UNSAT_FILE, path)
    assert res["ok"], res["message"]
    assert res["lemmas"] > 0


def test_from_dimacs_proof_refuses_bad_combinations(tmp_path):
    with pytest.raises(ValueError, match="not both"):
        satmip.Solver.from_dimacs(UNSAT_FILE, proof=tmp_path / "p", with_proof=True)
    with pytest.raises(ValueError):
        satmip.Solver.from_dimacs(UNSAT_FILE, proof=tmp_path / "p", proof_format="tracecheck")
    with pytest.raises(RuntimeError, match="before the first clause"):   # clauses first: refused
        satmip.Solver.from_dimacs(UNSAT_FILE, proof=tmp_path / "p", bootstrap_with=SMALL)


def test_trace_proof_after_clauses_raises(tmp_path):
    s = satmip.Solver(bootstrap_with=SMALL)
    with pytest.raises((RuntimeError, ValueError)):
        s.trace_proof(tmp_path / "late.lrat", "lrat")
    # the solver still works
    assert s.solve() is True


def test_unwritable_proof_path_raises_oserror(tmp_path):
    # As for every file the API opens (README: "unreadable files OSError"), not RuntimeError.
    missing = tmp_path / "no" / "such" / "dir" / "p.drat"
    with pytest.raises(OSError, match="cannot open proof file"):
        satmip.Solver().trace_proof(missing, "drat")
    with pytest.raises(OSError, match=str(missing)):
        satmip.Solver.from_dimacs(UNSAT_FILE, proof=missing)


def test_trace_proof_bad_format(tmp_path):
    with pytest.raises(ValueError):
        satmip.Solver().trace_proof(tmp_path / "x", "tracecheck")


# ---------------------------------------------------------------------------
# Invalid input
# ---------------------------------------------------------------------------

BAD_LITERALS = [0, 1.5, "a", None, 2**40, True, False, -(2**40), 2**31, [1]]


@pytest.mark.parametrize("bad", BAD_LITERALS, ids=repr)
def test_invalid_literal_in_clause(bad):
    s = satmip.Solver()
    with pytest.raises(ValueError):
        s.add_clause([1, bad])
    # nothing was added
    assert s.nof_clauses() == 0
    with pytest.raises(ValueError):
        s.append_formula([[1, 2], [bad]])
    with pytest.raises(ValueError):
        satmip.Solver(bootstrap_with=[[bad, 1]])


@pytest.mark.parametrize("bad", [0, 1.5, "a", None, 2**40, True], ids=repr)
def test_invalid_literal_in_assumptions(bad):
    with satmip.Solver(bootstrap_with=SMALL) as s:
        with pytest.raises(ValueError):
            s.solve(assumptions=[1, bad])
        with pytest.raises(ValueError):
            s.propagate(assumptions=[bad])
        assert s.solve() is True


def test_clause_not_iterable():
    s = satmip.Solver()
    with pytest.raises((ValueError, TypeError)):
        s.add_clause(5)


def test_unknown_option_raises():
    with pytest.raises(ValueError):
        satmip.Solver(no_such_option=1)
    with pytest.raises(ValueError):
        satmip.Solver(config="no-such-config")
    with pytest.raises(ValueError):
        satmip.Solver(stable=99)  # out of range


def test_known_options_accepted():
    with satmip.Solver(bootstrap_with=SMALL, stable=0, seed=7, walk=0, incr=True) as s:
        assert s.get_option("stable") == 0
        assert s.get_option("seed") == 7
        s.set_option("chrono", 0)
        assert s.get_option("chrono") == 0
        s.configure({"walk": 1})
        assert s.get_option("walk") == 1
        assert s.solve() is True


def test_options_and_presets_lists():
    opts = satmip.options()
    assert opts and all(len(o) == 5 for o in opts)
    names = {o[0] for o in opts}
    assert {"seed", "stable"} <= names
    for name, default, lo, hi, text in opts:
        assert lo <= default <= hi
    presets = satmip.presets()
    assert "default" in {p[0] for p in presets}


@pytest.mark.parametrize("preset", [p[0] for p in satmip.presets()])
def test_every_preset(preset):
    sat_clauses, _ = planted_ksat(60, 255, seed=21)
    unsat_clauses = pigeonhole(6, 5)
    rnd = random_ksat(40, 190, seed=8)  # UNSAT or SAT, checked against minisat
    with satmip.Solver(config=preset, bootstrap_with=sat_clauses) as s:
        assert s.solve() is True
        assert check_model(sat_clauses, s.get_model())
    with satmip.Solver(config=preset, bootstrap_with=unsat_clauses) as s:
        assert s.solve() is False
    with satmip.Solver(config=preset, bootstrap_with=rnd) as s:
        assert s.solve() is reference_solve(rnd)
    with satmip.Solver(bootstrap_with=sat_clauses) as s:
        s.configure(preset)
        assert s.solve() is True


# Options that make every periodic procedure (inprocessing, clean-ups,
# reductions, rephasing, mode switches) run far more often than by default.
STRESS = dict(inprocessint=100, simplifyint=10, reduceint=10, rephaseint=10,
              stabilizeinit=50, chrono=2, chronolevels=0, elimbound=8)


@pytest.mark.parametrize("preset", [p[0] for p in satmip.presets()])
def test_stress_options_answers_and_proofs(preset, tmp_path):
    formulas = [random_ksat(n, int(n * 4.26), seed=6000 + i)
                for i, n in enumerate((120, 120, 150, 170))]
    formulas.append(pigeonhole(7, 6) + random_ksat(42, 30, seed=3))
    for i, clauses in enumerate(formulas):
        expected = reference_solve(clauses)
        path = tmp_path / f"p{i}.lrat"
        s = satmip.Solver(config=preset, **STRESS)
        s.trace_proof(path, "lrat")
        s.append_formula(clauses)
        got = s.solve()
        s.close_proof()
        assert got is expected, (preset, i)
        if got:
            assert check_model(clauses, s.get_model())
        else:
            res = satmip.check_lrat(clauses, path)
            assert res["ok"], (preset, i, res["message"])
        s.delete()


def test_stress_options_incremental_assumptions():
    # Inprocessing between incremental calls must not eliminate or fix away
    # variables that later assumptions or clauses mention.
    for seed in range(8):
        run_incremental_against_minisat(satmip.Solver(**STRESS), 50, 8, 25, 4, seed, 7000 + seed * 10)


# ---------------------------------------------------------------------------
# DIMACS, incidence
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path,expected", [(SAT_FILE2, True), (UNSAT_FILE, False)])
def test_from_dimacs_xz(path, expected):
    s = satmip.Solver.from_dimacs(path)
    cnf = satmip.read_dimacs(path)
    assert s.nof_vars() == cnf.nvars
    assert s.solve() is expected
    if expected:
        assert check_model(cnf.clauses, s.get_model())
    s.delete()


def test_from_dimacs_kwargs_and_lenient(tmp_path):
    p = tmp_path / "f.cnf"
    p.write_text("p cnf 2 1\n1 3 0\n")
    with pytest.raises(ValueError):
        satmip.Solver.from_dimacs(p)
    with satmip.Solver.from_dimacs(p, strict=False, config="plain") as s:
        assert s.nof_vars() == 3
        assert s.solve() is True


def _check_csr(inc, clauses, nvars):
    indptr, indices, signs = inc.indptr, inc.indices, inc.signs
    assert inc.nvars == nvars
    assert len(indptr) == len(clauses) + 1
    assert indptr[0] == 0 and indptr[-1] == len(indices) == len(signs)
    rows = []
    for i in range(len(clauses)):
        a, b = indptr[i], indptr[i + 1]
        rows.append(sorted(int((ix + 1) * sg) for ix, sg in zip(indices[a:b], signs[a:b])))
    assert sorted(rows) == sorted(sorted(c) for c in clauses)
    assert set(np.unique(signs).tolist()) <= {-1, 1}
    assert indices.min() >= 0 and indices.max() < nvars


def test_incidence_method():
    clauses = random_ksat(20, 60, seed=3) + [[1, -2], [4, 5, -6, 7]]
    with satmip.Solver(bootstrap_with=clauses) as s:
        inc = s.incidence()
        _check_csr(inc, clauses, 20)
        # Row i is clause i (literal order within a row is not specified).
        for i, c in enumerate(clauses):
            a, b = inc.indptr[i], inc.indptr[i + 1]
            row = [(int(x) + 1) * int(g) for x, g in zip(inc.indices[a:b], inc.signs[a:b])]
            assert sorted(row) == sorted(c), i


def test_incidence_function():
    clauses = [[1, -3], [2, 3, -4], [-1, -2]]
    inc = satmip.incidence(clauses)
    assert inc.indptr.tolist() == [0, 2, 5, 7]
    assert inc.indices.tolist() == [0, 2, 1, 2, 3, 0, 1]
    assert inc.signs.tolist() == [1, -1, 1, 1, -1, -1, -1]
    assert inc.nvars == 4
    _check_csr(satmip.incidence(CNF(from_clauses=clauses)), clauses, 4)


def test_incidence_of_file_and_cnf(tmp_path):
    clauses = random_ksat(15, 40, seed=2)
    p = tmp_path / "f.cnf"
    p.write_text(dimacs_text(clauses, 16))
    _check_csr(satmip.incidence(str(p)), clauses, 16)
    _check_csr(satmip.incidence(satmip.read_dimacs(p)), clauses, 16)
    with satmip.Solver(bootstrap_with=clauses) as s:
        _check_csr(satmip.incidence(s, kind="simplified"), clauses, 15)
        with pytest.raises(ValueError, match="only its simplified formula"):
            satmip.incidence(s)


def _rows(inc):
    return [[(int(x) + 1) * int(g) for x, g in zip(inc.indices[a:b], inc.signs[a:b])]
            for a, b in zip(inc.indptr[:-1], inc.indptr[1:])]


def test_raw_incidence_is_the_file_as_written(tmp_path):
    # Units, a repeated literal, a tautology, a clause the units satisfy and one
    # they shorten: raw keeps all of them in order, simplified does not.
    clauses = [[1], [-2], [3, 3, -4], [2, -2, 5], [1, 4], [2, 4, 5], [-3, 6, -5]]
    p = tmp_path / "f.cnf"
    p.write_text(dimacs_text(clauses, 7))
    for formula in (str(p), satmip.read_dimacs(p), CNF(from_clauses=clauses)):
        raw = satmip.incidence(formula)
        assert _rows(raw) == clauses
        assert raw.indptr.dtype == np.int64 and raw.indices.dtype == np.int32 and raw.signs.dtype == np.int8
    assert satmip.incidence(str(p)).nvars == 7 and satmip.incidence(clauses).nvars == 6
    simplified = _rows(satmip.incidence(clauses, kind="simplified"))
    assert sorted(map(sorted, simplified)) == sorted([[-2], [1], [-5, -3, 6], [-4, 3], [4, 5]])
    with pytest.raises(ValueError, match="kind must be one of"):
        satmip.incidence(clauses, kind="root")


def test_raw_incidence_of_qg3_08_has_every_clause():
    path = str(DATA_DIR / "qg3-08.cnf.xz")
    cnf = satmip.read_dimacs(path)
    raw = satmip.incidence(path)
    assert len(raw.indptr) - 1 == cnf.nclauses == 10469
    assert raw.indptr[0] == 0 and raw.indptr[-1] == raw.indices.size and (np.diff(raw.indptr) >= 0).all()
    flat = (raw.indices.astype(np.int64) + 1) * raw.signs
    assert np.array_equal(flat, cnf.lits[cnf.lits != 0])
    assert len(satmip.incidence(path, kind="simplified").indptr) - 1 < cnf.nclauses


@pytest.mark.parametrize("proof", [None, "drat", "lrat"])
def test_simplified_incidence_holds_clauses_waiting_for_an_lrat_proof(tmp_path, proof):
    # With LRAT, a clause with a root-false literal waits for the next solve; it is
    # part of the formula all the same.
    with satmip.Solver() as s:
        if proof:
            s.trace_proof(str(tmp_path / "p.proof"), proof)
        clauses = [[1], [-1, 2, 3], [1, 4], [-1, -2], [-3, 4, -1]]
        s.append_formula(clauses)
        assert brute_force_models(_rows(s.incidence()), 4) == brute_force_models(clauses, 4)


@pytest.mark.parametrize("clauses,message", [
    ([[1, 0, 2]], "literal 0"), ([[1.5]], "integers"), ([[True]], "integers"), ([[1 << 31]], "out of range")])
def test_raw_incidence_checks_literals_as_add_clause_does(clauses, message):
    with pytest.raises(ValueError, match=message):
        satmip.incidence(clauses)


def test_incidence_to_scipy():
    sp = pytest.importorskip("scipy.sparse")
    clauses = [[1, -3], [2, 3, -4], [-1, -2]]
    m = satmip.incidence(clauses).to_scipy()
    assert m.shape == (3, 4)
    assert m.toarray().tolist() == [[1, 0, -1, 0], [0, 1, 1, -1], [-1, -1, 0, 0]]


# ---------------------------------------------------------------------------
# Threads
# ---------------------------------------------------------------------------


def _job(args):
    kind, seed = args
    if kind == "php":
        clauses = pigeonhole(7 + seed % 2, 6 + seed % 2)
        expected = False
    else:
        clauses = random_ksat(60, 255, seed=seed)
        expected = None
    with satmip.Solver(bootstrap_with=clauses, seed=seed) as s:
        res = s.solve()
        model = s.get_model() if res else None
    return clauses, expected, res, model


def test_parallel_solvers_thread_pool():
    jobs = [("php", i) for i in range(8)] + [("rnd", i) for i in range(24)]
    with ThreadPoolExecutor(4) as ex:
        results = list(ex.map(_job, jobs))
    for clauses, expected, res, model in results:
        if expected is None:
            expected = reference_solve(clauses)
        assert res is expected
        if res:
            assert check_model(clauses, model)


def test_gil_released_during_solve(php_hard):
    counter = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            counter[0] += 1

    t = threading.Thread(target=spin)
    with satmip.Solver(bootstrap_with=php_hard) as s:
        t.start()
        try:
            time.sleep(0.05)
            before = counter[0]
            assert s.solve(time_limit=0.5) is None
            during = counter[0] - before
        finally:
            stop.set()
            t.join()
    # With the GIL held for 0.5 s the other thread could not count at all.
    assert during > 10000, during
