"""bench/milp_crosscheck.py: random models of both families agree with HiGHS (a fast
subset of the small family's 10,000), and the script reports what it must: a wrong
optimum, a wrong status, a point off a row; HiGHS's ambiguous answers are settled."""
import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("highspy")
ROOT = Path(__file__).resolve().parents[1]
inf = math.inf


def load():
    spec = importlib.util.spec_from_file_location("milp_crosscheck", ROOT / "bench" / "milp_crosscheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_crosscheck_agrees_with_highs(capsys):
    assert load().main(["--first-seed", "1713", "--count", "12"]) == 0   # 1713: once 1.3e-6 below HiGHS
    assert "0 disagreement(s)" in capsys.readouterr().out


def test_small_models_agree_with_highs(capsys):
    # 100 of the small family (of the 10,000 in bench/RESULTS.md): free, negative-only and unbounded integer columns, equality
    # rows with fractional coefficients, infeasible by parity, unbounded.
    assert load().main(["--family", "small", "--first-seed", "103100", "--count", "100", "--time-limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "100 models x 2 settings: 0 disagreement(s)" in out
    statuses = dict(part.rsplit(" ", 1) for part in out.split("reference statuses: ")[1].splitlines()[0].split(", "))
    assert {"optimal", "infeasible", "unbounded"} <= set(statuses)


class Changed:
    """satmip's result with some fields replaced."""

    def __init__(self, r, **fields):
        self.status, self.objective, self.x = r.status, r.objective, r.x
        self.__dict__.update(fields)


def patched_main(monkeypatch, change, argv):
    module = load()
    solve = module.Model.solve
    monkeypatch.setattr(module.Model, "solve", lambda self, **kw: change(solve(self, **kw)))
    return module.main(argv)


def test_crosscheck_reports_a_wrong_optimum(monkeypatch, capsys):
    off = lambda r: Changed(r, objective=r.objective * 1.01 + 1.0)   # 1% off its own point's value
    assert patched_main(monkeypatch, off, ["--first-seed", "0", "--count", "3"]) == 1
    assert "disagreement" in capsys.readouterr().out


def test_crosscheck_reports_an_optimum_without_a_point(monkeypatch, capsys):
    bare = lambda r: Changed(r, x=np.array([]))
    assert patched_main(monkeypatch, bare, ["--first-seed", "0", "--count", "3"]) == 1
    assert "optimal without a point" in capsys.readouterr().out


def test_crosscheck_reports_a_wrong_status(monkeypatch, capsys):
    # Every answer 'infeasible': the optimal and unbounded models disagree.
    infeasible = lambda r: Changed(r, status="infeasible", objective=math.nan, x=np.array([]))
    assert patched_main(monkeypatch, infeasible, ["--family", "small", "--first-seed", "0", "--count", "6"]) == 1
    out = capsys.readouterr().out
    assert "satmip infeasible nan: status infeasible" in out


def test_crosscheck_reports_a_point_off_a_row(monkeypatch, capsys):
    # The optimum's point moved by 1e-5 in its first column: off a row or bound, or c.x no longer the objective.
    def nudge(r):
        x = np.array(r.x, dtype=float)
        if len(x):
            x[0] += 1e-5
        return Changed(r, x=x)
    assert patched_main(monkeypatch, nudge, ["--first-seed", "0", "--count", "3"]) == 1
    out = capsys.readouterr().out
    assert "point violates" in out or "but c.x" in out


def test_ambiguous_highs_answers_are_settled():
    module = load()
    Model = module.Model
    # Unbounded: x integer, free of rows below, cost -1; HiGHS says 'unbounded' or 'infeasible or unbounded'.
    unbounded = Model.from_arrays([-1, 0], [[1, -1]], [-inf], [0.5], [0, 0], [inf, inf], [1, 1])
    assert module.reference_solve(unbounded)[0] == "unbounded"
    # Infeasible by parity with an unbounded relaxation: 2x - 2y = 1 and min -x.
    parity = Model.from_arrays([-1, 0], [[2, -2]], [1], [1], [0, 0], [inf, inf], [1, 1])
    assert module.reference_solve(parity)[0] == "infeasible"
