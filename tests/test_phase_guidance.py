"""Phase predictions into the SAT engine: satmip.learn.predict_phases, Solver(phase_model=...)
and `satmip solve --phase-model` (docs/guide.md, "Learned models").

The engine-side checks use a model whose predictions the test fixes (a PhaseInference
subclass), so that what reaches the search is known; the file tests/data/learn/
phase_model_h16.npz (random weights) checks the path through a real model file."""
from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest

import satmip
from helpers import DATA_DIR
from satmip.cli import main
from satmip.learn import generate, predict_phases
from satmip.learn import predict as predict_module
from satmip.learn.baselines import jeroslow_wang, polarity
from satmip.learn.phase_infer import PhaseInference

MODEL = str(DATA_DIR.parent / "learn" / "phase_model_h16.npz")
QG = str(DATA_DIR / "qg3-08.cnf.xz")


class Fixed(PhaseInference):
    """A 'model' that predicts given probabilities, and notes the formula it was shown."""

    def __init__(self, probability):
        self.probability = np.asarray(probability, np.float32)
        self.seen = []

    def predict(self, formula):
        self.seen.append(formula)
        return self.probability


@pytest.fixture(scope="module")
def planted():
    """A planted 3-SAT formula that takes the default search over a thousand conflicts,
    and one of its models."""
    cnf = generate("planted_ksat", "medium", 0)
    with satmip.Solver() as s:
        s.append_formula(cnf)
        assert s.solve() is True
        conflicts = s.accum_stats()["conflicts"]
        model = s.model_values()
    assert conflicts > 200
    return cnf, model, conflicts


# ---- predict_phases ----

def test_threshold_is_neurobacks_cfd():
    p = [0.95, 0.9, 0.5, 0.1, 0.05, 0.11, 0.7]
    clauses = [[1, 2, 3, 4, 5, 6, 7]]
    pred = predict_phases(clauses, Fixed(p))
    assert pred.cfd == 0.9 and pred.nvars == 7
    assert pred.phases.tolist() == [0, 1, 1, 0, -1, -1, 0, 0]
    assert pred.npredicted == 4
    np.testing.assert_allclose(pred.probability, [0.5] + p, rtol=1e-6)
    np.testing.assert_allclose(pred.confidence, 2 * pred.probability - 1, rtol=1e-6)
    # scores: |2p - 1| of the variables given a phase, 0 for the others
    np.testing.assert_allclose(pred.scores, [0, 0.9, 0.8, 0, 0.8, 0.9, 0, 0], atol=1e-6)
    assert predict_phases(clauses, Fixed(p), confidence=0.6).phases.tolist() == [0, 1, 1, 0, -1, -1, -1, 1]
    assert predict_phases(clauses, Fixed(p), confidence=0.5).phases.tolist() == [0, 1, 1, 1, -1, -1, -1, 1]
    for bad in (0.4, 1.5, float("nan"), True, "0.9"):
        with pytest.raises(ValueError, match="confidence"):
            predict_phases(clauses, Fixed(p), confidence=bad)


def test_baselines_through_the_same_path_equal_satmip_learn_baselines():
    cnf = generate("latin_square", "small", 1)
    for name, baseline in (("jw", jeroslow_wang), ("polarity", polarity)):
        pred = predict_phases(cnf, name)
        assert pred.model == name and pred.cfd == 0.5 and pred.seconds >= 0
        assert np.array_equal(pred.phases, baseline(cnf))   # every variable, +1 on a tie
        assert pred.npredicted == pred.nvars == cnf.nvars
        # the confidence is the occurrence margin: a surer variable scores higher
        assert (pred.scores[1:] >= 0).all() and (pred.scores[1:] <= 1).all() and pred.scores[1:].std() > 0
    # x1: +1 in 3 clauses, -1 in 1: p = 1/2 + 1/2 * (3 - 1) / 4
    pred = predict_phases([[1, 2], [1, 3], [1, -2], [-1, 4]], "polarity")
    assert pred.probability[1] == pytest.approx(0.75)
    assert predict_phases([[1, 2], [1, 3], [1, -2], [-1, 4]], "polarity", confidence=0.8).phases[1] == 0


def test_a_model_file_predicts_on_the_raw_formula(tmp_path):
    cnf = satmip.read_dimacs(QG)
    pred = predict_phases(QG, MODEL, confidence=0.5)
    want = PhaseInference.load(MODEL).predict(satmip.incidence(cnf, kind="raw"))
    np.testing.assert_array_equal(pred.probability[1:], want)
    assert pred.model == MODEL and pred.npredicted == cnf.nvars
    # the formula in any of satmip.incidence's forms
    clauses = cnf.clauses
    for formula in (cnf, clauses, satmip.incidence(cnf)):
        np.testing.assert_array_equal(predict_phases(formula, MODEL).probability, pred.probability)


# ---- Solver(phase_model=...) ----

def test_predicted_phases_reach_the_first_descent(planted):
    cnf, model, default_conflicts = planted
    oracle = Fixed((model[1:] > 0).astype(np.float32))
    with satmip.Solver(phase_model=oracle) as s:
        s.append_formula(cnf)
        assert s.solve() is True
        stats = s.accum_stats()
        assert stats["conflicts"] == 0, stats["conflicts"]
        assert stats["phase_model_vars"] == cnf.nvars and stats["time_phase_model"] >= 0
    # the inverse model misleads it: phases are used, not only accepted
    with satmip.Solver(phase_model=Fixed((model[1:] < 0).astype(np.float32))) as s:
        s.append_formula(cnf)
        assert s.solve() is True and s.accum_stats()["conflicts"] > 0
    # phase_initial=False: the prediction is made, the phases stay out
    with satmip.Solver(phase_model=Fixed((model[1:] > 0).astype(np.float32)), phase_initial=False) as s:
        s.append_formula(cnf)
        assert s.solve() is True and s.accum_stats()["conflicts"] == default_conflicts


def first_decision(solver) -> int:
    """The variable the solver decides first (the formula has no binary clauses, so the
    first decision assigns it alone)."""
    seen = []
    solver.on_decide(lambda values, scores: seen.append(values.copy()) or 0, every=1)
    assert solver.solve() is True
    (assigned,) = np.flatnonzero(seen[1])
    return int(assigned)


def test_scores_order_the_first_decisions(planted):
    cnf = planted[0]
    p = np.full(cnf.nvars, 0.5, np.float32)
    p[16], p[40] = 0.06, 0.96     # variables 17 and 41 (confidence 0.88, 0.92): 41 is surer
    with satmip.Solver(bootstrap_with=cnf, phase_model=Fixed(p), phase_scores=True) as s:
        assert first_decision(s) == 41
    with satmip.Solver(bootstrap_with=cnf, phase_model=Fixed(p)) as s:   # scores off by default
        assert first_decision(s) == 1
    p[16] = 0.01
    with satmip.Solver(bootstrap_with=cnf, phase_model=Fixed(p), phase_scores=True) as s:
        assert first_decision(s) == 17


def test_the_model_sees_the_clauses_as_added_once():
    model = Fixed(np.full(4, 0.5, np.float32))
    with satmip.Solver(phase_model=model) as s:
        s.add_clause([1, -2])
        s.add_clauses(np.array([2, 2, -3, 0, 1, -1, 0], np.int64))   # repeats, tautology: kept raw
        s.append_formula([[3, 4]])
        assert s.phase_prediction is None and "time_phase_model" not in s.accum_stats()
        assert s.solve() is True
        (seen,) = model.seen
        want = satmip.incidence([[1, -2], [2, 2, -3], [1, -1], [3, 4]], kind="raw")
        for got, expected in zip(satmip.incidence(seen, kind="raw"), want):
            np.testing.assert_array_equal(got, expected)
        s.add_clause([-4, -1])              # incremental: no second prediction
        assert s.solve() is True
        assert len(model.seen) == 1 and s.apply_phase_model() is s.phase_prediction


def test_declared_but_unused_variables_and_an_empty_formula():
    with satmip.Solver(phase_model="polarity") as s:
        s.reserve(6)
        s.add_clause([-2])
        assert s.solve() is True and s.phase_prediction.nvars == 6
        assert s.phase_prediction.phases.tolist() == [0, 1, -1, 1, 1, 1, 1]
    with satmip.Solver(phase_model=MODEL, phase_delay=0) as s:
        assert s.solve() is True and s.phase_prediction.nvars == 0


class Slow(Fixed):
    def predict(self, formula):
        time.sleep(0.2)
        return super().predict(formula)


def test_inference_counts_against_the_time_limit():
    with satmip.Solver(bootstrap_with=[[1, 2, 3]], phase_model=Slow(np.full(3, 0.5))) as s:
        assert s.solve(time_limit=0.1) is None    # the prediction used the whole limit
        assert s.phase_prediction is not None


# ---- phase_delay: the model runs only once the search has spent what it costs ----

def test_auto_delay_never_runs_the_model_on_a_formula_solved_within_its_cost():
    with satmip.Solver(phase_model=MODEL) as s:       # the default delay is "auto"
        s.append_formula(satmip.read_dimacs(QG))
        assert s.phase_delay == "auto" and s.solve() is True
        stats = s.accum_stats()
        assert s.phase_prediction is None and "time_phase_model" not in stats
        budget = predict_module.inference_budget(25869, MODEL)    # qg3-08's literals
        assert 0 < stats["phase_model_delay"] == stats["propagations"] < budget
    with satmip.Solver(phase_model=MODEL, phase_delay=0) as s:    # 0: before the search
        s.append_formula(satmip.read_dimacs(QG))
        assert s.solve() is True and s.phase_prediction.nvars == 512
        assert "time_phase_model" in s.accum_stats() and "phase_model_delay" not in s.accum_stats()


def test_auto_delay_runs_the_model_once_the_search_spent_its_cost(planted):
    cnf, model, _ = planted
    literals = int(np.count_nonzero(cnf.lits))
    budget = predict_module.inference_budget(literals, MODEL)
    assert budget > 0
    with satmip.Solver(phase_model=MODEL, phase_delay=10) as s:
        s.append_formula(cnf)
        assert s.solve() is True and s.phase_prediction is not None
        assert s.accum_stats()["phase_model_delay"] >= 10 and s.accum_stats()["solves"] == 2
    # a formula that needs more search than the model costs: auto runs it after `budget`
    hard = satmip.read_dimacs(str(DATA_DIR / "hole8.cnf.xz"))
    with satmip.Solver(phase_model=MODEL) as s:
        s.append_formula(hard)
        assert s.solve() is False and s.phase_prediction is not None
        delay = s.accum_stats()["phase_model_delay"]
        assert delay >= predict_module.inference_budget(int(np.count_nonzero(hard.lits)), MODEL) > 0


def test_auto_delay_is_none_for_the_baselines_and_models_of_unknown_cost():
    assert predict_module.inference_budget(10**6, "jw") == predict_module.inference_budget(10**6, "polarity") == 0
    assert predict_module.inference_budget(10**6, Fixed([0.5])) == 0
    small, large = (predict_module.inference_budget(n, MODEL) for n in (1000, 100_000))
    assert 0 < small < large
    with satmip.Solver(bootstrap_with=[[1, 2], [-1, 2]], phase_model="jw") as s:
        assert s.solve() is True and s.phase_prediction is not None
        assert s.accum_stats()["phase_model_delay"] == 0


@pytest.mark.parametrize("delay", [5000, 20000, 40000])
def test_phases_given_after_a_delay_guide_the_search_at_once(planted, delay):
    """Guidance between solves (after the delay's search, in either search mode) reaches
    the decisions at once: oracle phases then finish the search in about the propagations
    they need from the start (a rephase later would take thousands more)."""
    cnf, model, _ = planted
    oracle = Fixed((model[1:] > 0).astype(np.float32))
    with satmip.Solver(phase_model=oracle, phase_delay=0) as s:
        s.append_formula(cnf)
        assert s.solve() is True
        eager = s.accum_stats()["propagations"]
    with satmip.Solver(phase_model=oracle, phase_delay=delay) as s:
        s.append_formula(cnf)
        assert s.solve() is True and s.phase_prediction is not None
        stats = s.accum_stats()
        assert stats["propagations"] - stats["phase_model_delay"] <= 2 * eager + 100, stats


def test_delay_keeps_the_callers_limits_and_the_model_runs_once():
    hard = satmip.read_dimacs(str(DATA_DIR / "hole8.cnf.xz"))
    model = Fixed(np.full(hard.nvars, 0.5, np.float32))
    with satmip.Solver(phase_model=model, phase_delay=2000) as s:
        s.append_formula(hard)
        s.prop_budget(1000)                   # the caller's budget ends first: no model
        assert s.solve_limited() is None and s.phase_prediction is None and not model.seen
        assert 1000 <= s.accum_stats()["phase_model_delay"] < 2000
        s.prop_budget(5000)                   # the delay's rest, the model, then the budget's rest
        assert s.solve_limited() is None and len(model.seen) == 1
        searched = s.accum_stats()["phase_model_delay"]
        assert 2000 <= searched < 2000 + 1000
        assert s.solve() is False and len(model.seen) == 1
        assert s.accum_stats()["phase_model_delay"] == searched


@pytest.mark.parametrize("delay", [-1, 1.5, "soon", True])
def test_bad_delays(delay):
    with pytest.raises(ValueError, match="phase_delay must be 'auto' or a number of propagations"):
        satmip.Solver(phase_model="jw", phase_delay=delay)


def test_companion_options_need_a_phase_model():
    with pytest.raises(ValueError, match="need a phase_model"):
        satmip.Solver(phase_delay=0)
    for kwargs in ({"phase_confidence": 0.8}, {"phase_scores": True}, {"phase_initial": False}):
        with pytest.raises(ValueError, match="need a phase_model"):
            satmip.Solver(**kwargs)
    with pytest.raises(ValueError, match="confidence"):
        satmip.Solver(phase_model="jw", phase_confidence=0.2)


class Spy(satmip.Solver):
    """A Solver that notes the guidance it is given."""

    def set_guidance(self, phases=None, scores=None):
        self.guided = (phases, scores)
        super().set_guidance(phases, scores)


@pytest.fixture(scope="module")
def confident_model(tmp_path_factory):
    """The test model with its last layer scaled up: sure of most variables, both ways."""
    arrays = _arrays()
    arrays["head_w2"] = arrays["head_w2"] * 200
    path = tmp_path_factory.mktemp("model") / "confident.npz"
    np.savez(path, **arrays)
    return str(path)


def test_bench_hooks_guide_as_the_solver_keywords_do(monkeypatch, confident_model):
    cnf = generate("planted_clique", "small", 0)    # clauses of several lengths: JW is not polarity
    monkeypatch.setattr(predict_module, "_default_candidates", lambda: [predict_module.Path(confident_model)])

    def guidance(solver, hook=None):
        with solver:
            solver.reserve(cnf.nvars)        # as the harness's satmip backend loads a formula
            solver.add_clauses(cnf.lits)
            if hook is not None:
                hook(solver, cnf)
            else:
                solver.apply_phase_model()
            return solver.guided

    for hook, model, scores in ((predict_module.hook_jw_phases, "jw", False),
                                (predict_module.hook_polarity_phases, "polarity", False),
                                (predict_module.hook_model_phases, "default", False),
                                (predict_module.hook_model_phases_scores, "default", True)):
        want = guidance(Spy(phase_model=model, phase_scores=scores))
        got = guidance(Spy(), hook)
        prediction = predict_phases(cnf, model)
        assert np.array_equal(got[0], prediction.phases) and np.array_equal(want[0], got[0]), hook.__name__
        assert (got[1] is None) == (not scores) and (want[1] is None) == (not scores)
        if scores:
            assert np.array_equal(got[1], prediction.scores) and np.array_equal(want[1], got[1])
            assert prediction.npredicted > 0 and prediction.scores[1:].std() > 0
    assert not np.array_equal(predict_phases(cnf, "jw").phases, predict_phases(cnf, "polarity").phases)


def test_a_solver_is_not_a_raw_formula():
    with satmip.Solver(bootstrap_with=[[1, 2]]) as s:
        with pytest.raises(ValueError, match="raw"):
            predict_phases(s, "jw")


# ---- bad model files ----

def _arrays():
    with np.load(MODEL) as z:
        return {k: z[k] for k in z.files}


def _with_header(arrays, **changes):
    header = json.loads(bytes(arrays["header"]).decode())
    return dict(arrays, header=np.frombuffer(json.dumps(dict(header, **changes)).encode(), np.uint8))


def _without_key(arrays, key):
    header = json.loads(bytes(arrays["header"]).decode())
    del header[key]
    return dict(arrays, header=np.frombuffer(json.dumps(header).encode(), np.uint8))


def bad_models():
    good = _arrays()
    nan = dict(good, head_b2=np.array([np.nan], np.float32))
    inf = dict(good, **{"layers.0.w_self": np.where(np.eye(16) > 0, np.inf, good["layers.0.w_self"])})
    return {
        "format": (_with_header(good, format=99), "format 99"),
        "features": (_with_header(good, relations=["var_clause_pos"]), "relations"),
        "shape": (dict(good, head_w1=good["head_w1"][:, :15]), "shape"),
        "nan": (nan, "'head_b2' is not finite"),
        "inf": (inf, "'layers.0.w_self' is not finite"),
        "no-header": ({k: v for k, v in good.items() if k != "header"}, "no header"),
        "header-key": (_without_key(good, "hidden"), "not a phase model this satmip reads"),
        "header-json": (dict(good, header=np.frombuffer(b"{not json", np.uint8)), "not a phase model"),
    }


@pytest.mark.parametrize("case", sorted(bad_models()))
def test_bad_model_files_are_value_errors_naming_the_file(tmp_path, case, capsys):
    arrays, words = bad_models()[case]
    path = str(tmp_path / f"{case}.npz")
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=words) as err:
        satmip.Solver(phase_model=path)
    assert str(err.value).startswith(path)
    with pytest.raises(ValueError, match=words):
        predict_phases([[1, 2]], path)
    assert cli_error(capsys, "--phase-model", path).startswith(path + ": ")


def test_missing_and_non_npz_files(tmp_path, capsys):
    missing = str(tmp_path / "none.npz")
    with pytest.raises(FileNotFoundError):
        satmip.Solver(phase_model=missing)
    assert cli_error(capsys, "--phase-model", missing) == f"{missing}: No such file or directory"
    text = tmp_path / "model.npz"
    text.write_text("not a model\n")
    assert cli_error(capsys, "--phase-model", text) == f"{text}: not a phase model (not an .npz file)"
    np.save(tmp_path / "array.npy", np.zeros(3))
    assert cli_error(capsys, "--phase-model", tmp_path / "array.npy").endswith("not an .npz file)")
    assert cli_error(capsys, "--phase-model", tmp_path).startswith(f"{tmp_path}: ")


def test_default_is_the_shipped_model_or_a_clear_error(tmp_path, monkeypatch, capsys):
    shipped = tmp_path / "satmip" / "models" / "phase" / "default.npz"
    monkeypatch.setattr(predict_module, "_default_candidates", lambda: [shipped])
    with pytest.raises(FileNotFoundError, match="no default phase model"):
        predict_phases([[1]], "default")
    assert cli_error(capsys, "--phase-model", "default").startswith("models/phase/default.npz: no default phase model")
    shipped.parent.mkdir(parents=True)
    shipped.write_bytes(open(MODEL, "rb").read())
    assert predict_phases([[1]], "default").model == str(shipped)


# ---- the command line ----

def run(capsys, *args):
    code = main(["solve", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def cli_error(capsys, *args, file=QG):
    code, out, err = run(capsys, file, *args)
    assert code == 1, (out, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("satmip: error: "), err
    return lines[0][len("satmip: error: "):]


def test_cli_phase_model_reports_its_prediction(capsys):
    code, out, _ = run(capsys, QG, "--phase-model", "jw", "--stats", "--no-model")
    assert code == 10
    assert "c phase model jw: 512 of 512 variables at confidence 0.5 (phases) in " in out
    assert "c time_phase_model" in out and "c phase_model_vars       512" in out
    code, out, _ = run(capsys, QG, "--phase-model", MODEL, "--phase-confidence", "0.5",
                       "--phase-scores", "--no-phase-initial", "--no-model", "--phase-delay", "0")
    assert code == 10 and f"c phase model {MODEL}: 512 of 512 variables at confidence 0.5 (scores) in " in out


def test_cli_phase_delay(capsys):
    code, out, _ = run(capsys, QG, "--phase-model", MODEL, "--stats", "--no-model")   # auto
    assert code == 10 and f"c phase model {MODEL}: not run, the search ended within its delay (" in out
    assert "c phase_model_delay" in out and "c time_phase_model" not in out
    code, out, _ = run(capsys, QG, "--phase-model", MODEL, "--phase-delay", "50", "--no-model")
    assert code == 10 and f"c phase model {MODEL}: " in out
    assert " of 512 variables at confidence 0.9 (phases) in " in out and " s, after " in out and " propagations of search\n" in out


def test_cli_phase_model_guides_the_search(tmp_path, planted, capsys):
    cnf, model, _ = planted
    path = tmp_path / "planted.cnf"
    path.write_text(f"p cnf {cnf.nvars} {cnf.nclauses}\n" + "".join(
        " ".join(map(str, c)) + " 0\n" for c in cnf.clauses))
    # the flags make the Solver that these keywords make: the same search
    code, out, _ = run(capsys, path, "--phase-model", "polarity", "--stats", "--no-model")
    with satmip.Solver(phase_model="polarity") as s:
        s.append_formula(cnf)
        s.solve()
        want = s.accum_stats()["conflicts"]
    assert code == 10 and f"c conflicts              {want}\n" in out
    code, out, _ = run(capsys, path, "--phase-model", "polarity", "--phase-scores", "--stats", "--no-model")
    with satmip.Solver(phase_model="polarity", phase_scores=True) as s:
        s.append_formula(cnf)
        s.solve()
        want_scores = s.accum_stats()["conflicts"]
    assert want_scores != want and f"c conflicts              {want_scores}\n" in out


@pytest.mark.parametrize("args, words", [
    (["--phase-model", "jw", "--phases", QG], "--phases FILE and --phase-model both give initial phases"),
    (["--phase-scores"], "--phase-scores needs --phase-model"),
    (["--no-phase-initial"], "--no-phase-initial needs --phase-model"),
    (["--phase-confidence", "0.9"], "--phase-confidence needs --phase-model"),
    (["--phase-delay", "0"], "--phase-delay needs --phase-model"),
    (["--phase-model", "jw", "--phase-confidence", "0.3"], "--phase-confidence must be a number in [0.5, 1]"),
    (["--phase-model", "jw", "--phase-confidence", "nan"], "--phase-confidence must be a number in [0.5, 1]"),
])
def test_cli_refused_combinations(capsys, args, words):
    assert words in cli_error(capsys, *args)


@pytest.mark.parametrize("flag", [["--phase-model", "jw"], ["--no-phase-scores"], ["--phase-confidence", "0.8"]])
def test_cli_phase_flags_are_refused_for_mps(capsys, flag):
    afiro = str(DATA_DIR.parent / "lp" / "afiro.mps.gz")
    assert cli_error(capsys, *flag, file=afiro).endswith(
        f"{flag[0]} applies to CNF files only (this is an MPS file)")


def test_help_names_the_models(capsys):
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for words in ("--phase-model MODEL", "'default'", "'jw'", "'polarity'", "--phase-confidence CFD",
                  "--phase-scores, --no-phase-scores", "--phase-initial, --no-phase-initial",
                  "--phase-delay auto|N"):
        assert words in out, words


assert os.path.exists(MODEL)
