"""The "auto" phase_delay counts the model's failed-literal lookahead (satmip.learn.
predict.lookahead_budget): its clause visits estimated from a sample of probes, added
to the delay once the search has outlasted the rest of the inference's estimate."""
from __future__ import annotations

import numpy as np
import pytest

import satmip
from helpers import DATA_DIR
from satmip.learn import generate
from satmip.learn import predict as predict_module
from satmip.learn.features import lookahead
from satmip.learn.graph import clause_graph
from satmip.learn.phase_infer import PhaseInference

MODEL = str(DATA_DIR.parent / "learn" / "phase_model_h16.npz")
HOLE = str(DATA_DIR / "hole8.cnf.xz")


def actual_visits(cnf) -> int:
    return int(lookahead(clause_graph(cnf))["work"])


def test_estimate_is_the_lookaheads_work_when_the_sample_covers_every_probe():
    cnf = generate("planted_ksat", 100, 3)          # no failed literal: order does not matter
    assert predict_module.lookahead_visits(cnf) == actual_visits(cnf) > 0


@pytest.mark.parametrize("family, size", [("factoring", 24), ("circuit_preimage", 400), ("latin_square", 25)])
def test_estimate_from_a_sample_is_near_the_lookaheads_work(monkeypatch, family, size):
    cnf = generate(family, size, 5)
    literals = int(np.count_nonzero(cnf.lits))
    monkeypatch.setattr(predict_module, "LOOKAHEAD_SAMPLE_MIN", 1000)
    monkeypatch.setattr(predict_module, "LOOKAHEAD_SAMPLE_PER_LITERAL", 0.5)
    actual = actual_visits(cnf)
    assert actual > 2 * literals               # the sample is a part of it
    estimate = predict_module.lookahead_visits(cnf)
    assert 0.6 * actual <= estimate <= 1.6 * actual


def test_lookahead_budget_only_for_models_that_run_it():
    cnf = generate("factoring", 10, 0)
    assert predict_module.lookahead_budget(cnf, MODEL) == int(
        predict_module.PROPAGATIONS_PER_VISIT * predict_module.lookahead_visits(cnf)) > 0
    for model in ("jw", "polarity", Fixed()):
        assert predict_module.lookahead_budget(cnf, model) == 0


class Fixed(PhaseInference):
    def __init__(self):
        pass

    def predict(self, formula):
        return np.full(formula.nvars, 0.5, np.float32)


def test_auto_delay_includes_the_lookahead(monkeypatch):
    monkeypatch.setattr(predict_module, "PROPAGATIONS_PER_VISIT", 5.0)   # a part the search cannot overshoot
    hard = satmip.read_dimacs(HOLE)
    literals = int(np.count_nonzero(hard.lits))
    forward = predict_module.inference_budget(literals, MODEL)
    look = predict_module.lookahead_budget(hard, MODEL)
    assert forward > 0 and look > 0
    with satmip.Solver(phase_model=MODEL) as s:
        s.append_formula(hard)
        assert s.solve() is False and s.phase_prediction is not None
        assert s.accum_stats()["phase_model_delay"] >= forward + look


def test_auto_delay_estimates_the_lookahead_only_after_the_rest_of_the_inference(monkeypatch):
    """A formula solved within the forward's estimate never pays for the sample."""
    def refuse(formula):
        raise AssertionError("the lookahead was estimated on a formula solved before its turn")
    monkeypatch.setattr(predict_module, "lookahead_visits", refuse)
    with satmip.Solver(phase_model=MODEL) as s:
        s.append_formula(generate("factoring", 8, 0))
        assert s.solve() is True and s.phase_prediction is None
