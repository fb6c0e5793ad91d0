"""bench/phases/tune.py, the validation-only comparison of ways to use phase
predictions: its spectral phases find a q-hidden planted assignment that literal
counts cannot, each configuration hands the search the phases it names, the
report's ratios, and the test split is refused."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from satmip.learn import generate
from satmip.learn.baselines import polarity
from satmip.learn.dataset import Instance

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tune():
    spec = importlib.util.spec_from_file_location("tune", ROOT / "bench" / "phases" / "tune.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def planted_assignment(size: int, seed: int) -> np.ndarray:
    """The q-hidden generator's hidden assignment: its first draw from the same rng."""
    from satmip.learn.families import instance_rng
    rng = instance_rng("planted_ksat", size, seed)
    return rng.integers(0, 2, size + 1)[1:] * 2 - 1


def test_spectral_phases_find_the_hidden_assignment_counts_miss(tune):
    agree_spectral, agree_polarity = [], []
    for seed in range(4):
        cnf = generate("planted_ksat", 150, seed)
        hidden = planted_assignment(150, seed)
        s = tune.spectral_phases(cnf)
        assert s.shape == (150,) and set(np.unique(s)) <= {-1, 1}
        agree_spectral.append(max(np.mean(s == hidden), np.mean(s == -hidden)))   # up to the global sign
        agree_polarity.append(np.mean(polarity(cnf)[1:] == hidden))
    assert np.mean(agree_polarity) < 0.6          # q-hidden: literal counts are balanced
    assert np.mean(agree_spectral) > 0.7          # second order is not


def test_configurations_parse_and_give_their_phases(tune):
    cnf = generate("factoring", 8, 0)
    n = cnf.nvars
    backbone = np.zeros(n + 1, np.int8)
    backbone[1:4] = (1, -1, 1)
    inst = Instance(cnf, backbone, backbone, {"key": "k"})
    p = np.full(n, 0.5, np.float32)
    p[0], p[1], p[4], p[5] = 0.95, 0.05, 0.85, 0.99     # variables 1, 2, 5, 6
    assert tune.parse("auto@0.8x2") == {"kind": "auto", "cfd": 0.8, "factor": 2.0}
    with pytest.raises(ValueError):
        tune.parse("modle")
    def given(name):
        c = tune.parse(name)
        return tune.guidance(c["kind"], c["cfd"], inst, p, lambda: np.ones(n, np.int8))
    assert list(np.flatnonzero(given("model"))) == [1, 2, 6]
    assert list(np.flatnonzero(given("model@0.8"))) == [1, 2, 5, 6]
    assert list(np.flatnonzero(given("autotrue"))) == [1, 6] and given("autotrue").min() == 0
    assert list(given("oracle")[:5]) == [0, 1, -1, 1, 0]
    assert list(np.flatnonzero(given("oracle-covered"))) == [1, 2]     # covered and backbone
    assert list(np.flatnonzero(given("oracle-uncovered"))) == [3]
    assert given("spectral")[0] == 0 and (given("spectral")[1:] == 1).all()


def test_run_one_solves_and_counts_the_model_only_where_it_ran(tune):
    cnf = generate("factoring", 8, 1)
    inst = Instance(cnf, np.zeros(cnf.nvars + 1, np.int8), np.zeros(cnf.nvars + 1, np.int8), {"key": "k"})
    p = np.full(cnf.nvars, 0.99, np.float32)
    eager = tune.run_one(inst, tune.parse("model"), 1, p, 1000, None)
    assert eager["model_ran"] and eager["cost"] == eager["propagations"] + 1000
    late = tune.run_one(inst, tune.parse("auto"), 1, p, 10**9, None)    # solved within the delay
    assert not late["model_ran"] and late["cost"] == late["propagations"]
    plain = tune.run_one(inst, tune.parse("default"), 1, p, 1000, None)
    assert plain["cost"] == plain["propagations"] and plain["given"] == 0


def test_report_ratios(tune, tmp_path):
    rows = []
    for key, fam, base, other in (("a", "f", 100, 50), ("b", "f", 300, 300), ("c", "g", 10, 40)):
        for seed in (1, 2):
            rows.append({"key": key, "family": fam, "size": 1, "config": "default", "seed": seed, "cost": base})
            rows.append({"key": key, "family": fam, "size": 1, "config": "x", "seed": seed, "cost": other})
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    text = tune.report(str(path), "default", "cost")
    line = next(row for row in text.splitlines() if row.startswith("| x |"))
    cells = [c.strip() for c in line.split("|")[2:-1]]
    assert cells[0].startswith("0.875 / 0.707 / 1-0")           # f: 350 / 400; gm sqrt(0.5 * 1)
    assert cells[1].startswith("4.000 / 4.000 / 0-1")           # g
    assert cells[2].startswith(f"{390 / 410:.3f} / {(0.5 * 4) ** (1 / 3):.3f} / 1-1")


def test_the_test_split_is_refused(tune):
    with pytest.raises(SystemExit) as err:
        tune.main(["--split", "test", "-o", "/dev/null"])
    assert "validation" in str(err.value)
