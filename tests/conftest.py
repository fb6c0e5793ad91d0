"""Shared fixtures; the generic helpers live in tests/helpers.py (re-exported here)."""
from __future__ import annotations

import os
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
