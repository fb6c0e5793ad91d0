"""Shared fixtures; the generic helpers live in tests/helpers.py (re-exported here)."""
from __future__ import annotations

import os
import signal
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from helpers import (  # noqa: E402,F401  (re-exported for `from conftest import ...`)
    DATA_DIR,
    DATA_STATUS,
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
    reference_unsat_with_negation,
    write_dimacs,
)


# What `pip install ".[test]"` installs (pyproject.toml): tests may rely on it, so
# a missing one stops the run here instead of letting importorskip skip its tests.
TEST_EXTRAS = {"pysat": "python-sat", "highspy": "highspy", "pyscipopt": "pyscipopt",
               "matplotlib": "matplotlib", "distributed": "dask[distributed]", "scipy": "scipy",
               "mypy": "mypy", "cmake": "cmake", "ninja": "ninja", "pybind11": "pybind11"}


def pytest_sessionstart(session):
    # A shell that starts the suite in the background (`cmd &`, nohup) leaves SIGINT
    # ignored, and children inherit that: the Ctrl-C tests would then test nothing and
    # fail. A Python handler here is reset to the default in every child at exec.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    import importlib.util
    missing = [pkg for module, pkg in TEST_EXTRAS.items() if importlib.util.find_spec(module) is None]
    if missing:
        pytest.exit(f"the test extras are not installed ({', '.join(missing)}): "
                    f"pip install '.[test]'", returncode=4)


@pytest.fixture(scope="session")
def data_dir():
    return DATA_DIR


@pytest.fixture
def php_hard():
    """Pigeonhole 13 into 12: far beyond seconds for CDCL, so budgets and
    limits bite (10 into 9 now takes satmip well under a second).
    Variable i*12 + j + 1 puts pigeon i in hole j."""
    return pigeonhole(13, 12)


@pytest.fixture
def php_hard_file(tmp_path):
    """Pigeonhole 13 into 12 written as DIMACS (far beyond a few seconds)."""
    return write_dimacs(tmp_path / "php13.cnf", pigeonhole(13, 12), comment="php 13 into 12")


@pytest.fixture
def unsat_small_file(tmp_path):
    """A small UNSAT instance (pigeonhole 6 into 5) as DIMACS, with its clauses."""
    clauses = pigeonhole(6, 5)
    return write_dimacs(tmp_path / "php6.cnf", clauses), clauses


@pytest.fixture
def sat_small_file(tmp_path):
    """A small satisfiable random 3-SAT instance (planted) as DIMACS, with its clauses."""
    clauses, _ = planted_ksat(40, 160, seed=11)
    return write_dimacs(tmp_path / "sat40.cnf", clauses, nvars=40), clauses


# ---------------------------------------------------------------------------
# Every UNSAT answer is certified: each engine made in a test writes an LRAT
# proof from its start; when its first solve answers UNSAT without
# assumptions, the proof is checked with satmip's independent checker against
# the clauses the test added. Later solves of an incremental sequence are not
# checked here (LRAT numbers only the clauses given before the proof's empty
# clause); test_crosscheck.py covers those with its own proofs and cores.
# ---------------------------------------------------------------------------


class _CertifyingEngine:
    """Wraps satmip._core.SatSolver: records clauses, checks the first UNSAT."""

    checked = 0

    def __init__(self, engine_class, config="default", *, proof_dir):
        self._engine = engine_class(config)
        self._clauses = []
        self._proof = os.path.join(proof_dir, f"auto-{id(self)}.lrat")
        self._engine.trace_proof(self._proof, "lrat")
        self._certify = True   # until the test asks for its own proof or the sequence is incremental
        self._solved = False

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def trace_proof(self, path, fmt):
        self._engine.trace_proof(path, fmt)
        self._certify = False

    def add_clause(self, lits):
        self._engine.add_clause(lits)
        self._record([int(x) for x in lits])

    def add_clauses(self, flat):
        self._engine.add_clauses(flat)
        clause = []
        for x in flat.tolist():
            if x == 0:
                self._record(clause)
                clause = []
            else:
                clause.append(x)

    def _record(self, clause):
        if self._solved:
            self._certify = False  # clauses after a solve: incremental, not certified here
        self._clauses.append(clause)

    def solve(self, assumptions, *args, **kwargs):
        first = not self._solved
        self._solved = True
        result = self._engine.solve(assumptions, *args, **kwargs)
        if result == 20 and first and self._certify and not list(assumptions):
            import satmip
            self._engine.close_proof()
            self._certify = False
            check = satmip.check_lrat(self._clauses, self._proof)
            assert check["ok"], f"LRAT proof of an UNSAT answer rejected: {check['message']}"
            _CertifyingEngine.checked += 1
        return result


@pytest.fixture(autouse=True)
def certify_unsat_answers(monkeypatch, tmp_path_factory):
    import satmip
    from satmip import _core
    original = _core.SatSolver
    proof_dir = str(tmp_path_factory.mktemp("proofs"))

    def make(config="default"):
        return _CertifyingEngine(original, config, proof_dir=proof_dir)

    monkeypatch.setattr(satmip.sat._core, "SatSolver", make)
    yield


def pytest_terminal_summary(terminalreporter):
    if _CertifyingEngine.checked:
        terminalreporter.write_line(
            f"satmip: {_CertifyingEngine.checked} UNSAT answers of first solves certified by LRAT")
