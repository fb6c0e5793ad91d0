"""satmip.Model (from MPS files and arrays) and `satmip solve FILE.mps`."""
from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

import dataclasses

import numpy as np
import pytest
from helpers import assert_feasible

import satmip
from satmip import Model

DATA = Path(__file__).parent / "data"
INF = math.inf


def manifest(folder: Path) -> dict:
    with open(folder / "manifest.csv", newline="") as f:
        return {row["path"]: float(row["optimal_objective"]) for row in csv.DictReader(f)}


def close(a: float, b: float, tol: float = 1e-6) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(b))


# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------

SMALL = dict(c=[-1.0, -1.0], row_lower=[-INF, -INF], row_upper=[4.0, 6.0],
             col_lower=[0.0, 0.0], col_upper=[INF, INF])
DENSE = [[1.0, 2.0], [3.0, 1.0]]          # optimum x = (1.6, 1.2), objective -2.8


def test_from_arrays_dense_sparse_and_csc_agree():
    scipy_sparse = pytest.importorskip("scipy.sparse")
    forms = [DENSE, scipy_sparse.csr_matrix(DENSE), scipy_sparse.coo_matrix(DENSE),
             (np.array([0, 2, 4]), np.array([0, 1, 0, 1]), np.array([1.0, 3.0, 2.0, 1.0]))]
    for A in forms:
        r = Model.from_arrays(A=A, **SMALL).solve_lp()
        assert r.status == "optimal"
        assert close(r.objective, -2.8, 1e-9)
        assert np.allclose(r.x, [1.6, 1.2])
        assert np.allclose(r.row_activity, [4.0, 6.0])


def test_from_arrays_sense_offset_integrality_names():
    m = Model.from_arrays(A=DENSE, sense=-1, offset=10.0, integrality=[True, False],
                          row_names=["a", "b"], col_names=["x", "y"],
                          **{**SMALL, "c": [1.0, 1.0]})
    assert m.is_mip and m.num_integers == 1 and "MILP" in repr(m)
    r = m.solve_lp()                   # max x + y + 10 over the same polytope
    assert close(r.objective, 12.8, 1e-9)


@pytest.mark.parametrize("change, message", [
    ({"row_upper": [4.0]}, "row_upper has 1 entries"),
    ({"c": [1.0, 2.0, 3.0]}, "expected (2, 3)"),
    ({"col_lower": [0.0, float("nan")]}, "NaN"),
    ({"integrality": [True]}, "integrality"),
    ({"sense": 0}, "sense"),
    ({"A": [1.0, 2.0]}, "2-D"),
])
def test_from_arrays_rejects_bad_shapes(change, message):
    kwargs = {**SMALL, "A": DENSE, **change}
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Model.from_arrays(**kwargs)


def test_from_mps_and_write_round_trip(tmp_path):
    m = Model.from_mps(DATA / "lp" / "afiro.mps.gz")
    assert (m.num_rows, m.num_cols, m.num_nonzeros, m.is_mip) == (27, 32, 83, False)
    m.write_mps(tmp_path / "afiro.mps")
    again = Model.from_mps(tmp_path / "afiro.mps")
    assert close(again.solve_lp().objective, m.solve_lp().objective, 1e-12)


def test_netlib_files_reach_manifest_optimum():
    known = manifest(DATA / "lp")
    for name, optimum in known.items():
        r = Model.from_mps(DATA / "lp" / name).solve_lp()
        assert r.status == "optimal", name
        assert close(r.objective, optimum), (name, r.objective, optimum)


def test_lp_solver_warm_start_from_model():
    m = Model.from_mps(DATA / "mip" / "p0033.mps.gz")
    s = m.lp_solver()
    s.solve()
    cold = s.iterations
    j = int(np.argmax(np.abs(s.x - np.round(s.x))))     # a fractional column: branch on it
    s.change_col_bounds(j, 0.0, math.floor(s.x[j]))
    s.solve()
    assert s.status == "optimal" and s.iterations < cold + 20


# --------------------------------------------------------------------------
# satmip solve FILE.mps
# --------------------------------------------------------------------------

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "satmip", "solve", *map(str, args)],
                          capture_output=True, text=True, timeout=60)


def test_cli_lp_status_objective():
    done = run_cli(DATA / "lp" / "afiro.mps.gz")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "s OPTIMAL" in lines
    objective = float(next(line for line in lines if line.startswith("o "))[2:])
    assert close(objective, manifest(DATA / "lp")["afiro.mps.gz"])
    assert any("iterations" in line for line in lines if line.startswith("c "))


def test_cli_milp_log_and_miplib_solution(tmp_path):
    path = DATA / "mip" / "p0033.mps.gz"
    sol = tmp_path / "p0033.sol"
    done = run_cli(path, "--gap", "0", "--solution", sol)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any("primal bound" in line and "dual bound" in line for line in lines)   # the B&B table
    assert "s OPTIMAL" in lines
    objective = float(next(line for line in lines if line.startswith("o "))[2:])
    assert close(objective, manifest(DATA / "mip")["p0033.mps.gz"])
    first, *rest = sol.read_text().splitlines()
    assert first.split() == ["=obj=", repr(objective)]
    data = satmip.read_mps(path)
    x = solution_values(rest, data)
    assert_feasible(Model(data), x)      # bounds, rows and integrality of the model read again
    assert close(float(data.cost @ x + data.offset), objective)


def solution_values(lines, data):
    """The values of a solution file's 'NAME VALUE' lines, one for every column, no other."""
    values = dict(line.split() for line in lines)
    assert sorted(values) == sorted(data.col_names)
    return np.array([float(values[name]) for name in data.col_names])


def test_cli_relaxation_of_a_milp(tmp_path):
    highspy = pytest.importorskip("highspy")
    path = DATA / "mip" / "p0033.mps.gz"
    done = run_cli(path, "--relaxation", "--solution", tmp_path / "x.sol", "-q")
    assert done.returncode == 0 and done.stdout.splitlines()[0] == "s OPTIMAL"
    objective = float(done.stdout.splitlines()[1][2:])
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)   # HiGHS's thread pool is global: every test must agree on it
    h.readModel(str(path))
    lp = h.getLp()
    lp.integrality_ = []
    h.passModel(lp)
    h.run()
    assert close(objective, h.getInfo().objective_function_value)
    # the written solution is that point: recompute its objective from the file
    data = satmip.read_mps(path)
    x = solution_values((tmp_path / "x.sol").read_text().splitlines()[1:], data)
    relaxation = dataclasses.replace(data, integer=np.zeros(data.num_cols, dtype=bool))
    assert_feasible(Model(relaxation), x)   # bounds and rows; integrality dropped
    assert not np.allclose(x[data.integer], np.round(x[data.integer]), atol=1e-6)   # p0033's LP optimum is fractional
    assert close(float(data.cost @ x + data.offset), objective)


def test_cli_infeasible_lp(tmp_path):
    f = tmp_path / "infeasible.mps"
    f.write_text("NAME bad\nROWS\n N obj\n G r1\n L r2\nCOLUMNS\n x obj 1 r1 1\n x r2 1\n"
                 "RHS\n rhs r1 2 r2 1\nENDATA\n")
    done = run_cli(f)
    assert done.returncode == 0 and "s INFEASIBLE" in done.stdout and "\no " not in done.stdout


def test_cli_start_solution_round_trip(tmp_path):
    path = DATA / "mip" / "p0033.mps.gz"
    sol = tmp_path / "p0033.sol"
    assert run_cli(path, "--gap", "0", "--solution", sol, "-q").returncode == 0
    done = run_cli(path, "--gap", "0", "--start", sol, "--no-presolve", "--no-cuts")
    assert done.returncode == 0, done.stderr
    assert "c start solution accepted" in done.stdout.splitlines() and "s OPTIMAL" in done.stdout
    # the start is the only incumbent: every 'H' line of the log has the optimum as its primal bound
    found = [line.split() for line in done.stdout.splitlines() if line.split()[1:2] == ["H"]]
    assert len(found) == 1 and float(found[0][5]) == 3089.0


@pytest.mark.parametrize("args, message", [
    (["{mps}", "--proof", "p.drat"], "--proof applies to CNF files only"),
    (["{cnf}", "--start", "x.sol"], "--start applies to MPS files only"),
    (["{p0033}", "--start", "{badsol}"], "bad.sol:2: no column named 'nonsense'"),
    (["{p0033}", "--start", "{badnum}"], "num.sol:1: 'one' is not a number"),
    (["{cnf}", "--relaxation"], "--relaxation applies to MPS files only"),
    (["{cnf}", "--node-limit", "5"], "--node-limit applies to MPS files only"),
    (["{bad}"], "bad.mps:3:"),
])
def test_cli_mps_bad_input(tmp_path, args, message):
    (tmp_path / "bad.mps").write_text("NAME x\nROWS\n Q r1\n")
    (tmp_path / "f.cnf").write_text("p cnf 1 1\n1 0\n")
    (tmp_path / "bad.sol").write_text("=obj= 3\nnonsense 1\n")
    (tmp_path / "num.sol").write_text("C157 one\n")
    paths = {"{mps}": DATA / "lp" / "afiro.mps.gz", "{cnf}": tmp_path / "f.cnf", "{bad}": tmp_path / "bad.mps",
             "{p0033}": DATA / "mip" / "p0033.mps.gz", "{badsol}": tmp_path / "bad.sol", "{badnum}": tmp_path / "num.sol"}
    done = run_cli(*[paths.get(a, a) for a in args])
    assert done.returncode == 1
    assert message in done.stderr
