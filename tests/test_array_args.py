"""Array arguments of the bindings: wrong dtypes, lengths, out-of-range
integers and NaN raise ValueError naming the argument, never a silent cast
(numpy's forcecast would turn 2**32 + 1 into 1, 1.7 into 1, 0.7 into 0)."""
from __future__ import annotations

import numpy as np
import pytest

import satmip
from satmip import _core
from helpers import check_model


# ---------------------------------------------------------------------------
# SAT: add_clauses
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("flat", [
    np.array([2**32 + 1, 0], dtype=np.int64),
    np.array([-(2**32) - 1, 0], dtype=np.int64),
    np.array([2**63 + 5, 0], dtype=np.uint64),
    np.array([1.0, 0.0]),
    np.array([1.7, 0.0]),
    np.array([True, False]),
    [1.5, 0],
    np.array([[1, 0], [2, 0]], dtype=np.int32),
    np.array(["1", "0"]),
])
def test_add_clauses_refuses_what_add_clause_refuses(flat):
    with satmip.Solver() as s:
        with pytest.raises(ValueError):
            s.add_clauses(flat)
        assert s.nof_clauses() == 0 and s.nof_vars() == 0


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint16, np.uint64, ">i4"])
def test_add_clauses_accepts_integer_dtypes(dtype):
    clauses = [[1, 2], [2, 3], [3]]
    flat = np.array([1, 2, 0, 2, 3, 0, 3, 0], dtype=dtype)
    if np.dtype(dtype).kind == "u":
        flat = np.array([1, 2, 0, 2, 3, 0, 3, 0], dtype=dtype)   # positive literals only
    with satmip.Solver() as s:
        s.add_clauses(flat)
        assert s.nof_clauses() == 3 and s.solve() is True and check_model(clauses, s.get_model())
    with satmip.Solver() as s:
        s.add_clauses(np.array([-1, 0, 1, 2, 0], dtype=np.int64) if np.dtype(dtype).kind == "i" else [1, 0])
        assert s.solve() is True


def test_add_clauses_list_and_empty():
    with satmip.Solver() as s:
        s.add_clauses([])
        s.add_clauses([1, -2, 0, 2, 0])
        assert s.solve() is True and s.get_model()[:2] == [1, 2]


# ---------------------------------------------------------------------------
# SAT: set_guidance
# ---------------------------------------------------------------------------


def _free_solver(n=20):
    s = satmip.Solver(bootstrap_with=[[1, 2]])
    s.reserve(n)
    return s


@pytest.mark.parametrize("length", [0, 20, 22, 40])
def test_set_guidance_wrong_length(length):
    with _free_solver() as s:
        with pytest.raises(ValueError, match="expected nof_vars"):
            s.set_guidance(phases=np.ones(length, dtype=np.int8))
        with pytest.raises(ValueError, match="expected nof_vars"):
            s.set_guidance(scores=np.ones(length))
        assert s.nof_vars() == 20                   # a longer array creates no variables
        assert s.solve() is True


@pytest.mark.parametrize("phases, scores", [
    (np.full(21, 2, dtype=np.int8), None),
    (np.full(21, -3, dtype=np.int64), None),
    (np.full(21, 1.5), None),
    (np.full(21, np.nan), None),
    (np.ones(21, dtype=bool), None),
    (None, np.full(21, np.nan)),
    (None, np.full(21, np.inf)),
    (None, np.array(["a"] * 21)),
])
def test_set_guidance_bad_values(phases, scores):
    with _free_solver() as s:
        with pytest.raises(ValueError):
            s.set_guidance(phases=phases, scores=scores)
        assert s.solve() is True


@pytest.mark.parametrize("confidence", [0.7, -0.7, 0.01, -1.0])
def test_set_guidance_float_confidences_give_their_sign(confidence):
    with _free_solver() as s:
        s.set_guidance(phases=np.full(21, confidence), scores=np.linspace(0, 1, 21))
        assert s.solve() is True
        model = s.get_model()
        sign = 1 if confidence > 0 else -1
        assert all(lit * sign > 0 for lit in model[2:]), model   # 3..20 are free: they take the phase


def test_set_guidance_integer_phases_any_integer_dtype():
    with _free_solver() as s:
        s.set_guidance(phases=[0] + [-1] * 20)
        assert s.solve() is True and all(lit < 0 for lit in s.get_model()[2:])


# ---------------------------------------------------------------------------
# MILP: start solutions and on_branch scores
# ---------------------------------------------------------------------------


def _small_mip():
    return satmip.Model.from_arrays(c=[-1, -2, -1], A=[[1, 1, 1], [2, 1, 0]], row_lower=[-np.inf, -np.inf],
                                    row_upper=[2.5, 3], col_lower=[0, 0, 0], col_upper=[1, 1, 1],
                                    integrality=[1, 1, 1])


@pytest.mark.parametrize("start", [[0.0, np.nan, 1.0], [0.0, np.inf, 1.0], [0.0, 1.0], [[0, 1, 1]],
                                   ["a", "b", "c"]])
def test_mip_start_checked(start):
    with pytest.raises(ValueError, match="start"):
        _small_mip().solve(start=start)


def test_mip_start_accepted_when_right():
    r = _small_mip().solve(start=np.array([0, 1, 1], dtype=np.int64))
    assert r.status == "optimal" and r.start_accepted and r.objective == pytest.approx(-3)


@pytest.mark.parametrize("scores", [lambda n: np.full(n, np.nan), lambda n: np.ones(n + 1),
                                    lambda n: np.ones((n, 1)), lambda n: np.array(["x"] * n)])
def test_on_branch_bad_scores_raise(scores):
    m = satmip.Model.from_arrays(c=-np.arange(1, 9, dtype=float), A=[np.arange(2, 10)], row_lower=[-np.inf],
                                 row_upper=[11.5], col_lower=np.zeros(8), col_upper=np.ones(8),
                                 integrality=np.ones(8))
    with pytest.raises(ValueError):
        m.solve(on_branch=lambda state: scores(len(state["candidates"])), presolve=False, cuts=False,
                heuristics=False)


# ---------------------------------------------------------------------------
# LP: index and status arrays
# ---------------------------------------------------------------------------


def _lp():
    m = satmip.Model.from_arrays(c=[-1, -1], A=[[1, 2], [3, 1]], row_lower=[-np.inf, -np.inf],
                                 row_upper=[4, 6], col_lower=[0, 0], col_upper=[np.inf, np.inf])
    return m.lp_solver()


@pytest.mark.parametrize("call", [
    lambda lp: lp.add_rows([-np.inf], [1.0], [0, 2], np.array([0.0, 1.0]), [1.0, 1.0]),
    lambda lp: lp.add_rows([-np.inf], [1.0], [0, 2], np.array([0, 2**32], dtype=np.int64), [1.0, 1.0]),
    lambda lp: lp.add_rows([-np.inf], [1.0], [0.0, 2.0], [0, 1], [1.0, 1.0]),
    lambda lp: lp.add_rows([-np.inf], [1.0], [0, 2], [0, 1], [1.0, np.nan]),
    lambda lp: lp.add_rows([np.nan], [1.0], [0, 2], [0, 1], [1.0, 1.0]),
    lambda lp: lp.delete_rows(np.array([0.0])),
    lambda lp: lp.set_basis(np.array([300, 1]), np.array([0, 0])),
    lambda lp: lp.set_basis(np.array([1.0, 1.0]), np.array([0, 0])),
])
def test_lp_array_arguments_checked(call):
    lp = _lp()
    assert lp.solve() == "optimal"
    with pytest.raises(ValueError):
        call(lp)
    assert lp.num_rows == 2
    assert lp.solve() == "optimal" and lp.objective == pytest.approx(-2.8)


def test_lp_add_rows_with_integer_arrays_of_any_width():
    lp = _lp()
    lp.add_rows([-np.inf], [1.0], np.array([0, 2], dtype=np.int32), np.array([0, 1], dtype=np.int64), [1.0, 1.0])
    assert lp.solve() == "optimal" and lp.objective == pytest.approx(-1.0)


# ---------------------------------------------------------------------------
# Proof checkers: the formula array
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("formula", [np.array([2**32 + 1, 0, -1, 0], dtype=np.int64),
                                     np.array([1.0, 0.0, -1.0, 0.0]), np.array([1.7, 0, -1, 0])])
@pytest.mark.parametrize("checker", [_core.check_lrat, _core.check_drat])
def test_proof_checkers_refuse_formulas_they_would_have_cast(checker, formula, tmp_path):
    proof = tmp_path / "proof"
    proof.write_text("0\n" if checker is _core.check_drat else "3 0 1 2 0\n")
    # Cast to int32, each of these would become the UNSAT formula [1] [-1] and the proof would check.
    with pytest.raises(ValueError, match="formula"):
        checker(formula, 2, str(proof))
    assert checker(np.array([1, 0, -1, 0], dtype=np.int64), 2, str(proof))["ok"]
