"""bench/milp_crosscheck.py: a few of its random models agree with HiGHS, and the
script reports a disagreement (a wrong optimum) with exit status 1."""
import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("highspy")
ROOT = Path(__file__).resolve().parents[1]


def load():
    spec = importlib.util.spec_from_file_location("milp_crosscheck", ROOT / "bench" / "milp_crosscheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_crosscheck_agrees_with_highs(capsys):
    assert load().main(["--first-seed", "1713", "--count", "12"]) == 0   # 1713: once 1.3e-6 below HiGHS
    assert "0 disagreement(s)" in capsys.readouterr().out


def test_crosscheck_reports_a_disagreement(monkeypatch, capsys):
    module = load()

    class Off:   # a result 1% off HiGHS's optimum
        def __init__(self, r):
            self.status, self.objective = r.status, r.objective * 1.01 + 1.0

    solve = module.Model.solve
    monkeypatch.setattr(module.Model, "solve", lambda self, **kw: Off(solve(self, **kw)))
    assert module.main(["--first-seed", "0", "--count", "3"]) == 1
    assert "disagreement" in capsys.readouterr().out
