"""Randomized cross-checks of satmip against PySAT's MiniSat.

Thousands of small random and structured formulas, solved with varied
configurations (including ones with tiny intervals so that restarts, mode
switches, rephasing, walks, reductions and inprocessing all run on small
inputs). Every model is checked against the formula; every UNSAT answer
comes with an LRAT proof checked by satmip's independent checker.
"""
from __future__ import annotations

import random

import pytest
from helpers import DATA_STATUS, shared_benchmarks
from pysat.solvers import Solver as PySolver

import satmip

# Tiny intervals: every scheduled technique fires on formulas with few conflicts.
STRESS = dict(reduceint=10, rephaseint=10, stabilizeinit=10, simplifyint=10,
              inprocessint=100, reluctant=4, restartint=1, emafast=4, emaslow=100)
CONFIGS = [
    ("default", {}), ("plain", {}), ("focused-only", {}), ("stable-only", {}),
    ("default", STRESS), ("stable-only", STRESS), ("focused-only", STRESS),
    ("default", dict(STRESS, minimize=0, vmtf=1)), ("sat", STRESS), ("unsat", STRESS),
    ("default", dict(STRESS, chrono=2)), ("focused-only", dict(STRESS, chrono=2, vmtf=1)),
    ("stable-only", dict(STRESS, chrono=1, chronolevels=0)),
]


def random_ksat(rng: random.Random) -> tuple[int, list[list[int]]]:
    n = rng.randint(3, 40)
    k = rng.choice([2, 3, 3, 3, 4, 5])
    ratio = {2: 1.0, 3: 4.26, 4: 9.9, 5: 21.1}[k] * rng.uniform(0.7, 1.3)
    m = max(1, int(n * ratio))
    clauses = []
    for _ in range(m):
        vs = rng.sample(range(1, n + 1), min(k, n))
        clauses.append([v if rng.random() < 0.5 else -v for v in vs])
    return n, clauses


def pigeonhole(p: int, h: int) -> tuple[int, list[list[int]]]:
    var = lambda i, j: i * h + j + 1
    clauses = [[var(i, j) for j in range(h)] for i in range(p)]
    for j in range(h):
        for a in range(p):
            for b in range(a + 1, p):
                clauses.append([-var(a, j), -var(b, j)])
    return p * h, clauses


def parity_chain(rng: random.Random) -> tuple[int, list[list[int]]]:
    """x1 xor ... xor xn = b twice with different orders and opposite b: UNSAT
    (or equal b: SAT), Tseitin-encoded through chains of auxiliaries."""
    n = rng.randint(3, 9)
    xs = list(range(1, n + 1))
    nxt = [n + 1]
    clauses = []

    def chain(order, parity):
        acc = order[0]
        for x in order[1:]:
            y = nxt[0]
            nxt[0] += 1
            clauses.extend([[-acc, -x, -y], [acc, x, -y], [acc, -x, y], [-acc, x, y]])
            acc = y
        clauses.append([acc] if parity else [-acc])

    b = rng.random() < 0.5
    chain(xs, b)
    other = xs[:]
    rng.shuffle(other)
    chain(other, b if rng.random() < 0.5 else not b)
    return nxt[0] - 1, clauses


def shuffled(rng, clauses):
    clauses = [c[:] for c in clauses]
    rng.shuffle(clauses)
    for c in clauses:
        rng.shuffle(c)
    return clauses


def reference(clauses, assumptions=()) -> bool:
    with PySolver(name="minisat22", bootstrap_with=clauses) as ref:
        return ref.solve(assumptions=list(assumptions))


def check_model(clauses, model):
    values = set(model)
    for c in clauses:
        assert any(l in values for l in c), f"model falsifies clause {c}"


def solve_checked(tmp_path, clauses, nvars, config, options, seed, tag):
    proof = tmp_path / f"{tag}.lrat"
    s = satmip.Solver(config=config, seed=seed, **options)
    s.trace_proof(proof, "lrat")
    s.reserve(nvars)
    s.append_formula(clauses)
    result = s.solve()
    s.close_proof()
    if result:
        model = s.get_model()
        assert len(model) == nvars
        check_model(clauses, model)
    else:
        check = satmip.check_lrat(clauses, proof)
        assert check["ok"], f"LRAT proof rejected ({config} {options}): {check['message']}"
    s.delete()
    proof.unlink()
    return result


@pytest.mark.parametrize("chunk", range(8))
def test_random_ksat_against_minisat(tmp_path, chunk):
    rng = random.Random(1000 + chunk)
    for i in range(250):
        n, clauses = random_ksat(rng)
        config, options = CONFIGS[i % len(CONFIGS)]
        expected = reference(clauses)
        got = solve_checked(tmp_path, clauses, n, config, options, seed=i, tag=f"r{chunk}_{i}")
        assert got == expected, f"instance {chunk}/{i} config {config}: satmip {got}, minisat {expected}"


def test_structured_against_minisat(tmp_path):
    rng = random.Random(7)
    cases = [pigeonhole(p, h) for p, h in [(3, 2), (4, 3), (5, 4), (6, 5), (4, 4), (5, 5)]]
    cases += [parity_chain(rng) for _ in range(60)]
    for i, (n, clauses) in enumerate(cases):
        for j, (config, options) in enumerate(CONFIGS[:6]):
            cl = shuffled(rng, clauses)
            assert solve_checked(tmp_path, cl, n, config, options, seed=j, tag=f"s{i}_{j}") == reference(cl)


def test_benchmark_instances_with_proofs(tmp_path):
    """Small known-status instances from the dev set, copied to tests/data; where the
    shared set is present, each must be in its manifest, with the same status and size."""
    import csv
    from pathlib import Path
    data = Path(__file__).parent / "data" / "sat"
    manifest = shared_benchmarks("sat") / "manifest.csv"
    if manifest.exists():
        with open(manifest, newline="") as f:
            rows = {row["path"]: row for row in csv.DictReader(f)}
        for name, sat in DATA_STATUS.items():
            assert name in rows, f"{name} is missing from {manifest}"
            assert rows[name]["status"] == ("SAT" if sat else "UNSAT"), name
            cnf = satmip.read_dimacs(data / name)
            assert (cnf.nvars, len(cnf.clauses)) == (int(rows[name]["nvars"]), int(rows[name]["nclauses"])), name
    for name, sat in DATA_STATUS.items():
        cnf = satmip.read_dimacs(data / name)
        for config in ("default", "plain"):
            stem = name.replace(".cnf.xz", "")
            assert solve_checked(tmp_path, cnf.clauses, cnf.nvars, config, {}, 0, f"{stem}_{config}") == sat


def check_propagate(s, clauses, assumptions):
    """satmip's propagate() is sound, and at least as strong as plain unit
    propagation on the original clauses (a fresh MiniSat, nothing learned):
    learned clauses and root units may only add to it."""
    ok, implied = s.propagate(assumptions)
    with PySolver(name="minisat22", bootstrap_with=clauses) as fresh:
        rok, rimplied = fresh.propagate(assumptions)
    if not ok:
        assert reference(clauses, assumptions) is False, "propagate reported a false conflict"
        return
    assert rok, "plain unit propagation finds a conflict that satmip's propagate misses"
    for lit in implied:
        assert reference(clauses, list(assumptions) + [-lit]) is False, f"{lit} is not implied"
    for lit in set(rimplied) - set(implied):
        assert reference(clauses, [-lit]) is False, f"{lit} missing from satmip's propagation"


def test_incremental_sequences_against_minisat():
    """Model-based testing of the incremental API (in the spirit of mobical):
    random sequences of clause additions and solves under assumptions, each
    answer compared with MiniSat fed the same sequence; cores re-checked."""
    rng = random.Random(99)
    for trace in range(150):
        n = rng.randint(4, 25)
        config, options = CONFIGS[trace % len(CONFIGS)]
        s = satmip.Solver(config=config, seed=trace, **options)
        ref = PySolver(name="minisat22")
        clauses = []
        for step in range(rng.randint(3, 12)):
            for _ in range(rng.randint(1, 3 * n)):
                k = rng.choice([1, 2, 3, 3, 4]) if rng.random() < 0.95 else 1
                c = [v if rng.random() < 0.5 else -v for v in rng.sample(range(1, n + 1), min(k, n))]
                clauses.append(c)
                s.add_clause(c)
                ref.add_clause(c)
            assumptions = [v if rng.random() < 0.5 else -v
                           for v in rng.sample(range(1, n + 1), rng.randint(0, min(6, n)))]
            if rng.random() < 0.1 and assumptions:
                assumptions.append(-assumptions[0])  # contradictory assumptions
            got, want = s.solve(assumptions=assumptions), ref.solve(assumptions=assumptions)
            assert got == want, f"trace {trace} step {step}: satmip {got}, minisat {want}"
            if got:
                model = s.get_model()
                check_model(clauses, model)
                assert all(a in set(model) for a in assumptions)
            else:
                core = s.get_core()
                assert core is not None and set(core) <= set(assumptions)
                assert reference(clauses, core) is False, "core is not a reason for UNSAT"
                # The solver answers the same again with the core alone.
                assert s.solve(assumptions=core) is False
            if rng.random() < 0.3:
                check_propagate(s, clauses, assumptions)
        ref.delete()
        s.delete()


@pytest.mark.parametrize("fmt", ["drat", "drat-binary"])
def test_drat_proofs_with_inprocessing(tmp_path, fmt):
    """DRAT covers every technique: with inprocessing running often (probing,
    subsumption, elimination, vivification), every UNSAT answer's DRAT proof
    is checked by the independent forward checker."""
    rng = random.Random(4242 if fmt == "drat" else 4343)
    checked = 0
    for i in range(150):
        n, clauses = random_ksat(rng) if i % 3 else parity_chain(rng)
        config, options = CONFIGS[i % len(CONFIGS)]
        proof = tmp_path / f"p{i}.{fmt}"
        s = satmip.Solver(config=config, seed=i, **options)
        s.trace_proof(proof, fmt)
        s.append_formula(clauses)
        result = s.solve()
        s.close_proof()
        assert result == reference(clauses)
        if result:
            check_model(clauses, s.get_model())
        else:
            check = satmip.check_drat(clauses, proof)
            assert check["ok"], f"DRAT proof rejected ({config} {options}): {check['message']}"
            checked += 1
        s.delete()
        proof.unlink()
    assert checked > 20
