"""Generic helpers shared by the test files (generators, checkers, references).

Import them with `from helpers import ...` (pytest puts tests/ on sys.path,
see conftest.py) or use the fixtures that conftest.py builds on them.

Everything here is deterministic: generators take an explicit seed.
"""
from __future__ import annotations

import itertools
import os
import random
import sys
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data" / "sat"
REPO = Path(__file__).resolve().parents[1]


def shared_benchmarks(kind: str = "") -> Path:
    """The shared benchmark folder (or its `sat`, `lp`, `mip` part): the one way
    tests find it. $SATMIP_SHARED names the shared folder, else <repo>/../shared;
    tests that need it skip when it is absent (see README, Testing)."""
    shared = os.environ.get("SATMIP_SHARED")
    root = Path(shared) if shared else REPO.parent / "shared"
    return root / "benchmarks" / kind


def missing_shared(path: Path) -> str:
    """The skip reason of a test that needs the shared benchmark folder: the file or
    folder it lacks, and how to point to the folder."""
    return (f"needs the shared benchmark folder, not part of the repository: {path} is missing "
            f"(set SATMIP_SHARED to the folder holding benchmarks/; README, Testing)")


def console_script(name: str = "satmip") -> Path:
    """An installed console script: next to the running interpreter (a venv's bin/),
    so tests need no activated venv and no PATH; AssertionError when it is missing."""
    script = Path(sys.executable).parent / name
    assert script.is_file(), f"no {name} console script next to {sys.executable} (pip install .)"
    return script


# Known statuses of the bundled instances (see shared_benchmarks("sat") / "manifest.csv").
DATA_STATUS = {
    "2bitadd_12.cnf.xz": True,
    "bf2670-001.cnf.xz": False,
    "hole8.cnf.xz": False,
    "logistics.a.cnf.xz": True,
    "qg3-08.cnf.xz": True,
    "qg7-09.cnf.xz": True,
    "tseitin-24-4-s1.cnf.xz": False,
}


# ---------------------------------------------------------------------------
# Generators
# ---------------------------------------------------------------------------


def random_ksat(nvars: int, nclauses: int, k: int = 3, seed: int = 0) -> list[list[int]]:
    """Uniform random k-SAT: each clause has k distinct variables, random signs."""
    rng = random.Random(seed)
    k = min(k, nvars)
    return [[v if rng.random() < 0.5 else -v for v in rng.sample(range(1, nvars + 1), k)]
            for _ in range(nclauses)]


def random_mixed(nvars: int, nclauses: int, seed: int = 0, sizes=(1, 2, 2, 3, 3, 3, 4)) -> list[list[int]]:
    """Random clauses of mixed sizes (units and binaries included)."""
    rng = random.Random(seed)
    out = []
    for _ in range(nclauses):
        k = min(rng.choice(sizes), nvars)
        out.append([v if rng.random() < 0.5 else -v for v in rng.sample(range(1, nvars + 1), k)])
    return out


def planted_ksat(nvars: int, nclauses: int, k: int = 3, seed: int = 0):
    """Random k-SAT satisfied by a hidden assignment: (clauses, assignment as signed literals)."""
    rng = random.Random(seed)
    hidden = [v if rng.random() < 0.5 else -v for v in range(1, nvars + 1)]
    truth = set(hidden)
    clauses = []
    while len(clauses) < nclauses:
        c = [v if rng.random() < 0.5 else -v for v in rng.sample(range(1, nvars + 1), k)]
        if any(l in truth for l in c):
            clauses.append(c)
    return clauses, hidden


def pigeonhole(pigeons: int, holes: int) -> list[list[int]]:
    """PHP: variable i*holes + j + 1 means pigeon i sits in hole j.
    Unsatisfiable iff pigeons > holes (and hard for CDCL from about 10 into 9)."""
    var = lambda i, j: i * holes + j + 1
    clauses = [[var(i, j) for j in range(holes)] for i in range(pigeons)]
    for j in range(holes):
        for a, b in itertools.combinations(range(pigeons), 2):
            clauses.append([-var(a, j), -var(b, j)])
    return clauses


def nvars_of(clauses: Iterable[Sequence[int]]) -> int:
    return max((abs(l) for c in clauses for l in c), default=0)


# ---------------------------------------------------------------------------
# Checkers and references
# ---------------------------------------------------------------------------


def check_model(clauses: Iterable[Sequence[int]], model) -> bool:
    """True iff `model` (signed literals: list or numpy array) is consistent
    (no variable with both signs) and satisfies every clause."""
    lits = set(int(l) for l in model)
    if 0 in lits or any(-l in lits for l in lits):
        return False
    return all(any(l in lits for l in c) for c in clauses)


def _assignments(nvars: int) -> np.ndarray:
    """All 2**nvars assignments: boolean matrix (rows: assignments, cols: variables)."""
    idx = np.arange(1 << nvars, dtype=np.int64)[:, None]
    return ((idx >> np.arange(nvars, dtype=np.int64)[None, :]) & 1).astype(bool)


def brute_force_models(clauses, nvars: Optional[int] = None) -> list[list[int]]:
    """All models over variables 1..nvars (<= 16), as sorted signed literal lists."""
    nvars = nvars_of(clauses) if nvars is None else nvars
    assert nvars <= 16, "brute force is for tiny formulas"
    A = _assignments(nvars)
    ok = np.ones(len(A), dtype=bool)
    for c in clauses:
        sat = np.zeros(len(A), dtype=bool)
        for l in c:
            col = A[:, abs(l) - 1]
            sat |= col if l > 0 else ~col
        ok &= sat
    models = []
    for row in A[ok]:
        models.append([v if row[v - 1] else -v for v in range(1, nvars + 1)])
    return models


def brute_force_count(clauses, nvars: Optional[int] = None) -> int:
    return len(brute_force_models(clauses, nvars))


def brute_force_sat(clauses, nvars: Optional[int] = None) -> bool:
    """Satisfiability by enumeration (for <= 16 variables)."""
    return brute_force_count(clauses, nvars) > 0


def reference_solve(clauses, assumptions=()) -> bool:
    """The answer of PySAT's minisat22 (the reference solver)."""
    from pysat.solvers import Solver as PySolver
    with PySolver(name="minisat22", bootstrap_with=clauses) as s:
        return s.solve(assumptions=list(assumptions))


def reference_unsat_with_negation(clauses, clause) -> bool:
    """True iff clauses + the negation of `clause` (as units) is UNSAT,
    i.e. `clause` is implied by `clauses` (checked with minisat22)."""
    from pysat.solvers import Solver as PySolver
    with PySolver(name="minisat22", bootstrap_with=clauses) as s:
        return s.solve(assumptions=[-int(l) for l in clause]) is False


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def dimacs_text(clauses, nvars: Optional[int] = None, comment: str = "") -> str:
    nvars = nvars_of(clauses) if nvars is None else nvars
    lines = [f"c {comment}"] if comment else []
    lines.append(f"p cnf {nvars} {len(clauses)}")
    lines += [" ".join(map(str, c)) + " 0" for c in clauses]
    return "\n".join(lines) + "\n"


def write_dimacs(path, clauses, nvars: Optional[int] = None, comment: str = "") -> str:
    """Writes a DIMACS CNF file and returns its path as a string."""
    path = os.fspath(path)
    with open(path, "w") as f:
        f.write(dimacs_text(clauses, nvars, comment))
    return path


def highs_lp(model: dict, with_integrality: bool):
    """The model dict of satmip._core.read_mps (or MpsData.to_dict()) as a highspy
    HighsLp, for cross-checks; integrality only when asked (LP relaxations)."""
    import highspy
    d = model
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(d["cost"]), len(d["row_lower"])
    lp.col_cost_ = np.asarray(d["cost"], float)
    lp.col_lower_, lp.col_upper_ = np.asarray(d["col_lower"], float), np.asarray(d["col_upper"], float)
    lp.row_lower_, lp.row_upper_ = np.asarray(d["row_lower"], float), np.asarray(d["row_upper"], float)
    lp.offset_ = float(d.get("offset", 0.0))
    if d.get("sense", 1) == -1:
        lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(d["A_start"], np.int32)
    lp.a_matrix_.index_ = np.asarray(d["A_index"], np.int32)
    lp.a_matrix_.value_ = np.asarray(d["A_value"], float)
    integer = np.asarray(d.get("integer", np.zeros(lp.num_col_, bool)), bool)
    if with_integrality and integer.any():
        lp.integrality_ = [highspy.HighsVarType.kInteger if v else highspy.HighsVarType.kContinuous
                           for v in integer]
    return lp


def highs_status_name(status) -> str:
    """HiGHS's model status in the words satmip's LP/MILP statuses use."""
    import highspy
    names = {highspy.HighsModelStatus.kOptimal: "optimal", highspy.HighsModelStatus.kInfeasible: "infeasible",
             highspy.HighsModelStatus.kUnbounded: "unbounded",
             highspy.HighsModelStatus.kUnboundedOrInfeasible: "unbounded_or_infeasible"}
    return names.get(status, str(status))


def assert_feasible(model, x, tol=1e-6):
    """x satisfies a satmip.Model: bounds, rows and integrality, each within
    tol * max(1, |bound|) (the engine's own acceptance rule, checked independently)."""
    d = model.data
    x = np.asarray(x, float)
    assert x.shape == (model.num_cols,)
    scale = lambda b: tol * np.maximum(1.0, np.abs(np.where(np.isfinite(b), b, 0.0)))
    assert np.all(x >= d.col_lower - scale(d.col_lower))
    assert np.all(x <= d.col_upper + scale(d.col_upper))
    ints = np.asarray(d.integer, bool)
    assert np.all(np.abs(x[ints] - np.round(x[ints])) <= tol)
    activity = np.zeros(model.num_rows)
    for j in range(model.num_cols):
        lo, hi = d.A_start[j], d.A_start[j + 1]
        activity[d.A_index[lo:hi]] += d.A_value[lo:hi] * x[j]
    assert np.all(activity >= d.row_lower - scale(d.row_lower))
    assert np.all(activity <= d.row_upper + scale(d.row_upper))


def objective_of(model, x) -> float:
    """c . x + offset of a satmip.Model, in its own sense."""
    return float(model.data.offset + np.dot(model.data.cost, x))
