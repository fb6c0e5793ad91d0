"""The two ways to solve a pure LP agree: solve_lp() (the dual simplex alone) and
Model.solve() (presolve, domain propagation, the root LP, the incumbent check against
the original model), with and without presolve, and with HiGHS; bench/netlib_paths.py
runs the same comparison over a folder (all of Netlib, see bench/RESULTS.md).

tests/data/lp/wood1p_sub.mps.gz: 94 rows and 885 columns of Netlib's wood1p (rows picked
at random with row 3, the equality 0 = -1000 (x_22 + ... + x_35); columns of those rows;
bounds as the root's domain propagation leaves them, e.g. [0, 1e-9] for x_22..x_35).
The LP met its tolerances only in the scaled problem: three retries at 10x tighter
tolerances left row 3 off by 1.0000000000001e-6 unscaled, the MILP path's check
(1e-6) rejected the LP's point and Model.solve() answered "infeasible", as it did on
wood1p itself."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from helpers import assert_feasible, highs_lp, highs_status_name

from satmip import Model

highspy = pytest.importorskip("highspy")
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "lp"


def highs_optimum(model):
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.passModel(highs_lp(model.data.to_dict(), with_integrality=False))
    h.run()
    return highs_status_name(h.getModelStatus()), h.getInfo().objective_function_value


def test_lp_meets_its_tolerances_unscaled_on_the_wood1p_subset():
    model = Model.from_mps(DATA / "wood1p_sub.mps.gz")
    solver = model.lp_solver()
    assert solver.solve() == "optimal"
    assert solver.max_primal_infeasibility <= 1e-7
    assert solver.max_dual_infeasibility <= 1e-7
    assert_feasible(model, solver.x, tol=1e-7)


@pytest.mark.parametrize("name", ["wood1p_sub", "afiro", "sc50b", "kb2", "israel"])
def test_solve_and_solve_lp_agree(name):
    model = Model.from_mps(DATA / f"{name}.mps.gz")
    status, optimum = highs_optimum(model)
    assert status == "optimal"
    lp = model.solve_lp()
    assert lp.status == "optimal" and lp.objective == pytest.approx(optimum, rel=1e-7, abs=1e-7)
    for presolve in (True, False):
        r = model.solve(presolve=presolve)
        assert r.status == "optimal", presolve
        assert r.objective == pytest.approx(optimum, rel=1e-7, abs=1e-7)
        assert_feasible(model, r.x)


def test_netlib_paths_bench_script(capsys):
    spec = importlib.util.spec_from_file_location("netlib_paths", ROOT / "bench" / "netlib_paths.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main([str(DATA), "--time-limit", "20", "--only", "afiro", "sc50a", "wood1p_sub"]) == 0
    out = capsys.readouterr().out
    assert "3 instances; disagreements: 0" in out and "wood1p_sub" in out
