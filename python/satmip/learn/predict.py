"""Phase predictions for the SAT engine's guidance: one call from a formula to the
arrays `Solver.set_guidance` takes, for the shipped model, a model file, or the
cheap non-learned baselines, with the time it took (docs/guide.md, "Learned models").

`predict_phases(formula, model="default")` returns a `PhasePrediction`; every array
has nvars + 1 entries, index 0 unused, as the engine's per-variable arrays do.
"""
from __future__ import annotations

import errno
import json
import numbers
import os
import time
import zipfile
from pathlib import Path
from typing import NamedTuple, Optional, Union

import numpy as np

from ..dimacs import Cnf, read_dimacs
from ..sat import Incidence, Solver, _cnf_of_clauses, incidence
from .baselines import occurrences
from .model_files import cached_load, require_npz_file, shipped_candidates
from .phase_infer import PhaseInference, cpp_forward_available, phases as threshold_phases

BASELINES = ("jw", "polarity")
DEFAULT = "default"
# NeuroBack's cfd for a learned model (LEARNED.md A.5); the baselines keep every
# variable whose sign they know, as satmip.learn.baselines does (+1 on a tie).
LEARNED_CONFIDENCE, BASELINE_CONFIDENCE = 0.9, 0.5
_SHIPPED = Path("models") / "phase" / "default.npz"


class PhasePrediction(NamedTuple):
    """A model's predictions for one formula, each array [nvars + 1] (index 0 unused).

    probability: float32, P(variable true) (0.5 at index 0); confidence: float32 2p - 1
    in [-1, 1], signed; phases: int8 +1 / -1 where p >= cfd or p <= 1 - cfd, 0 elsewhere;
    scores: float64 |2p - 1| where phases is not 0, 0 elsewhere (an initial activity:
    the surest variables first); cfd: the threshold used; seconds: wall time of the
    prediction (building the graph, the forward pass, and reading the model file when
    this process had not read it yet); model: "jw", "polarity" or the model file's path."""
    model: str
    probability: np.ndarray
    confidence: np.ndarray
    phases: np.ndarray
    scores: np.ndarray
    cfd: float
    seconds: float

    @property
    def nvars(self) -> int:
        return len(self.phases) - 1

    @property
    def npredicted(self) -> int:
        """Variables given a phase (the others have confidence below cfd)."""
        return int(np.count_nonzero(self.phases))


def default_model_path() -> Path:
    """The phase model shipped with satmip: models/phase/default.npz of the source tree
    (an editable install), else satmip/models/phase/default.npz in the installed package.
    FileNotFoundError when there is none (a build without a trained model)."""
    for path in _default_candidates():
        if path.is_file():
            return path
    raise FileNotFoundError(errno.ENOENT, "no default phase model is installed with this satmip; "
                            "name a model file instead", str(_SHIPPED))


def _default_candidates() -> list:
    """Where the shipped phase model may be (model_files.shipped_candidates)."""
    return shipped_candidates(_SHIPPED.relative_to("models"))


def resolve_model(model: Union[str, os.PathLike]) -> str:
    """"default" -> the shipped file, "jw" / "polarity" as they are, a path as given
    (a file named jw is ./jw)."""
    if isinstance(model, str) and model in BASELINES:
        return model
    if isinstance(model, str) and model == DEFAULT:
        return str(default_model_path())
    return os.fspath(model)


_loaded: dict = {}


def load_model(path: Union[str, os.PathLike]) -> PhaseInference:
    """A phase model file, checked: FileNotFoundError if missing, ValueError naming the
    file if it is not an .npz of a phase model this satmip reads (format, weights'
    names and shapes, finite weights, a forward pass that gives probabilities).
    Files are cached by path, size and modification time."""
    return cached_load(_loaded, path, _checked, capacity=1)   # one model at a time is what a run uses


def _checked(path: str) -> PhaseInference:
    require_npz_file(path, "phase model")
    try:
        model = PhaseInference.load(path)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: not a phase model this satmip reads (its header: {err})") from None
    except ValueError as err:
        message = str(err)
        raise ValueError(message if message.startswith(path) else f"{path}: {message}") from None
    except (KeyError, TypeError, IndexError, AttributeError, zipfile.BadZipFile, EOFError, OSError) as err:
        raise ValueError(f"{path}: not a phase model this satmip reads ({type(err).__name__}: {err})") from None
    for name, weight in getattr(model, "w", {}).items():
        if not np.isfinite(weight).all():
            raise ValueError(f"{path}: phase model weight {name!r} is not finite (NaN or inf)")
    try:    # a wrong feature set or a format that load accepts but cannot run
        p = np.asarray(model.predict([[1, -2], [2, 3], [-1, -3]]))
    except (ValueError, KeyError, TypeError, IndexError) as err:
        raise ValueError(f"{path}: the phase model does not run on this satmip's graph "
                         f"({type(err).__name__}: {err})") from None
    if p.shape != (3,) or not (np.isfinite(p).all() and (p >= 0).all() and (p <= 1).all()):
        raise ValueError(f"{path}: the phase model does not give one probability per variable")
    return model


# The cost-aware policy (Solver(phase_delay="auto")): search first for as many
# propagations as the model's inference costs, then run it if the formula is still open
# (ski rental: never more than twice the better of "never" and "at once", plus what the
# delay loses). Calibrated on this project's 2-core machine (bench/RESULTS.md, issue
# 13), the shipped model (hidden 32, 4 layers), 13 formulas of 0.8k-854k literals:
# predict_phases (graph, features and the forward) against the search's propagations
# per second gave 3-35 propagations per literal of the formula, median 10.5 with the C++
# forward, 8-23 (median 12) with numpy's on one BLAS thread. A machine twice as fast
# does both twice as fast: the ratio, not seconds, is the constant.
PROPAGATIONS_PER_LITERAL = {"cpp": 12.0, "numpy": 20.0}
PROPAGATIONS_FIXED = 20_000          # building the graph and features: ~3 ms at least
_CALIBRATED_SIZE = (32, 4)           # (hidden, layers) of the model the constants were measured on


def inference_budget(literals: int, model) -> int:
    """Propagations of search worth one forward pass of `model` on a formula of
    `literals` literals (Solver(phase_delay="auto")): 0 for the baselines ("jw",
    "polarity": a pass over the clauses) and for a PhaseInference whose forward this
    satmip does not run (a subclass with its own predict: cost unknown, so not delayed);
    else PROPAGATIONS_FIXED + PROPAGATIONS_PER_LITERAL[forward] * literals for the
    forward that runs (C++ where the extension has it, else numpy), scaled by the
    model's layers x hidden x (hidden + 16) against the calibrated model's."""
    if isinstance(model, str) and model in BASELINES:
        return 0
    net = model if isinstance(model, PhaseInference) else load_model(model)
    if type(net).predict is not PhaseInference.predict or not hasattr(net, "hidden"):
        return 0
    def size(hidden, layers):
        return layers * hidden * (hidden + 16)
    scale = size(net.hidden, net.nlayers) / size(*_CALIBRATED_SIZE)
    per_literal = PROPAGATIONS_PER_LITERAL["cpp" if cpp_forward_available() else "numpy"]
    return int(scale * (PROPAGATIONS_FIXED + per_literal * max(0, int(literals))))


# The failed-literal lookahead of the model's features (satmip.learn.features.lookahead)
# costs what its propagation does: from 2 clause visits per literal of the formula
# (random 3-SAT: nothing propagates) to its cap of 200 (features.TOTAL_WORK_PER_LITERAL;
# grid_planning 10: 197), so it is estimated per formula, from a sample of probes, and
# converted at PROPAGATIONS_PER_VISIT: the lookahead's seconds per clause visit against
# the search's per propagation on the same formula, median 0.016 (0.008-0.044) over 9
# formulas of the trained families (bench/phases/calibrate_lookahead.py; bench/RESULTS.md,
# issue 13): at most about 3 propagations per literal, beside PROPAGATIONS_PER_LITERAL.
PROPAGATIONS_PER_VISIT = 0.016
LOOKAHEAD_SAMPLE_PER_LITERAL = 1.0   # the sample's clause visits per literal of the formula
LOOKAHEAD_SAMPLE_MIN = 20_000


def reads_lookahead(model) -> bool:
    """Whether the model's inference runs the failed-literal lookahead: a PhaseInference
    of this satmip's forward (its features include it); not the baselines, nor a subclass
    with its own predict (cost unknown, as in inference_budget)."""
    if isinstance(model, str) and model in BASELINES:
        return False
    net = model if isinstance(model, PhaseInference) else load_model(model)
    return type(net).predict is PhaseInference.predict and hasattr(net, "hidden")


def lookahead_visits(formula) -> int:
    """Clause visits the features' lookahead (satmip.learn.features.lookahead) will spend
    on the raw formula, estimated: root propagation as it is, then the probes of a sample
    of LOOKAHEAD_SAMPLE_PER_LITERAL visits per literal, in a random (seeded) order of the
    variables, scaled to all open variables' two probes; at most the lookahead's own cap.
    Exact (but for failed literals met later) when the sample probes every variable."""
    from .. import _core
    from .features import PROBE_WORK, TOTAL_WORK_MIN, TOTAL_WORK_PER_LITERAL
    raw = raw_formula(formula)
    inc = raw if isinstance(raw, Incidence) else incidence(raw, kind="raw")
    nvars, indptr = int(inc.nvars), np.asarray(inc.indptr, dtype=np.int64)
    literals = int(indptr[-1])
    cap = max(TOTAL_WORK_MIN, TOTAL_WORK_PER_LITERAL * literals)
    if nvars == 0 or literals == 0:
        return 0
    order = np.random.default_rng(0).permutation(nvars)        # probe in random order
    var = order[np.asarray(inc.indices, dtype=np.int64)]
    signs = np.asarray(inc.signs)
    root = _core.lookahead(nvars, indptr, var, signs, PROBE_WORK, 0)
    if root["root_conflict"]:
        return int(root["work"])
    spent = int(root["work"])
    sample = max(LOOKAHEAD_SAMPLE_MIN, int(LOOKAHEAD_SAMPLE_PER_LITERAL * literals))
    probed = _core.lookahead(nvars, indptr, var, signs, PROBE_WORK, spent + sample)
    work, probes = int(probed["work"]), int(np.count_nonzero(probed["probed"]))
    if work < spent + sample:       # every probe made: the whole lookahead's work
        return min(work, cap)
    open_vars = int(np.count_nonzero(root["value"] == 0))
    return int(min(cap, spent + (work - spent) / max(probes, 1) * 2 * open_vars))


def lookahead_budget(formula, model) -> int:
    """Propagations of search worth the features' lookahead on this formula (0 for a
    model that does not run it): lookahead_visits x PROPAGATIONS_PER_VISIT. The
    Solver's "auto" delay adds it to inference_budget once the search has outlasted
    that: the sample's own cost (about one clause visit per literal) is then small
    beside the search already done."""
    if not reads_lookahead(model):
        return 0
    return int(PROPAGATIONS_PER_VISIT * lookahead_visits(formula))


def check_confidence(confidence) -> None:
    """None (the model's default) or a number in [0.5, 1], else ValueError."""
    if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, numbers.Real)
                                   or not 0.5 <= float(confidence) <= 1):
        raise ValueError(f"phase confidence must be a number in [0.5, 1], got {confidence!r}")


def predict_phases(formula, model: Union[str, os.PathLike, PhaseInference] = DEFAULT,
                   confidence: Optional[float] = None) -> PhasePrediction:
    """Phase predictions for a formula: a Cnf, a DIMACS path, a list of clauses, a PySAT
    CNF or an Incidence, read raw (`satmip.incidence(formula, kind="raw")`: the clauses as
    given, what the models are trained on).

    model: "default" (the shipped model), a model file's path, a loaded PhaseInference,
    or a baseline: "jw" (two-sided Jeroslow-Wang) or "polarity" (occurrence counts),
    whose probability is 1/2 + 1/2 (pos - neg) / (pos + neg) of the (weighted)
    occurrences. confidence: NeuroBack's cfd in [0.5, 1] (default 0.9 for a learned
    model, 0.5 for a baseline: every variable, +1 on a tie, as satmip.learn.baselines)."""
    check_confidence(confidence)
    name = model if isinstance(model, PhaseInference) else resolve_model(model)
    raw = raw_formula(formula)
    start = time.perf_counter()     # the prediction's time, not the reading of a file
    if isinstance(name, str) and name in BASELINES:
        inc = raw if isinstance(raw, Incidence) else incidence(raw, kind="raw")
        p = _baseline_probability(inc, jeroslow_wang=name == "jw")
        cfd = BASELINE_CONFIDENCE if confidence is None else float(confidence)
        label = name
    else:
        net = name if isinstance(name, PhaseInference) else load_model(name)
        p = np.asarray(net.predict(raw), dtype=np.float32)
        nvars = _nvars(raw)
        if p.shape != (nvars,) or not np.isfinite(p).all():
            raise ValueError(f"the phase model gave {p.shape} predictions, not {nvars} finite ones")
        cfd = LEARNED_CONFIDENCE if confidence is None else float(confidence)
        label = "<PhaseInference>" if isinstance(name, PhaseInference) else name
    return _prediction(label, p, cfd, start)


def raw_formula(formula) -> Union[Cnf, Incidence]:
    """The formula as given, in a form every model's predict takes: a Cnf or an Incidence
    as they are, a DIMACS path read, clauses (a list, a PySAT CNF) as a Cnf, with
    satmip.incidence's checks (a Solver holds no raw formula: ValueError)."""
    if isinstance(formula, (Cnf, Incidence)):
        return formula
    if isinstance(formula, Solver):
        incidence(formula, kind="raw")       # raises its ValueError
    if isinstance(formula, (str, os.PathLike)):
        return read_dimacs(formula)
    return _cnf_of_clauses(getattr(formula, "clauses", formula), getattr(formula, "nv", 0))


def _nvars(raw: Union[Cnf, Incidence]) -> int:
    """Variables of the raw formula: the declared ones and any beyond that a clause uses."""
    if isinstance(raw, Incidence):
        return int(raw.nvars)
    return max(int(raw.nvars), int(np.abs(raw.lits).max(initial=0)))


def _baseline_probability(inc: Incidence, jeroslow_wang: bool) -> np.ndarray:
    """(pos - neg) / (pos + neg) of the occurrences (JW: each weighted by 2^-length),
    mapped to [0, 1]; the signed sum is satmip.learn.baselines', so the signs, ties
    included, are its phases."""
    signed, total = occurrences(inc, jeroslow_wang)
    margin = np.divide(signed, total, out=np.zeros(inc.nvars), where=total > 0)
    return (0.5 + 0.5 * margin).astype(np.float32)


def _prediction(label: str, p: np.ndarray, cfd: float, start: float) -> PhasePrediction:
    probability = np.empty(p.size + 1, np.float32)
    probability[0] = 0.5
    probability[1:] = p
    confidence = 2 * probability - 1
    phases = np.zeros(p.size + 1, np.int8)
    phases[1:] = threshold_phases(p, cfd)
    scores = np.where(phases != 0, np.abs(confidence), 0.0).astype(np.float64)
    return PhasePrediction(label, probability, confidence, phases, scores, cfd,
                           time.perf_counter() - start)


def fit(prediction: PhasePrediction, nvars: int) -> PhasePrediction:
    """The prediction for a solver of nvars variables: cut (variables the header
    declares but no clause uses) or padded with no preference."""
    def sized(a, fill):
        out = np.full(nvars + 1, fill, a.dtype)
        n = min(a.size, nvars + 1)
        out[:n] = a[:n]
        return out
    return prediction._replace(probability=sized(prediction.probability, 0.5),
                               confidence=sized(prediction.confidence, 0),
                               phases=sized(prediction.phases, 0), scores=sized(prediction.scores, 0))


# ---- `satmip bench` hooks (hook = "satmip.learn.predict:NAME" in a solver's table): each
# predicts on the formula as read and hands the guidance to the loaded solver, inside the
# timed region, as Solver(phase_model=...) does before its first search.

def _guide(solver, cnf, model, scores: bool) -> None:
    prediction = fit(predict_phases(cnf, model), solver.nof_vars())
    solver.set_guidance(phases=prediction.phases, scores=prediction.scores if scores else None)


def hook_model_phases(solver, cnf) -> None:
    """The shipped model's phases (cfd 0.9)."""
    _guide(solver, cnf, DEFAULT, scores=False)


def hook_model_phases_scores(solver, cnf) -> None:
    """The shipped model's phases and |2p - 1| as initial activity."""
    _guide(solver, cnf, DEFAULT, scores=True)


def hook_jw_phases(solver, cnf) -> None:
    """Two-sided Jeroslow-Wang phases, every variable."""
    _guide(solver, cnf, "jw", scores=False)


def hook_polarity_phases(solver, cnf) -> None:
    """Occurrence-count phases, every variable."""
    _guide(solver, cnf, "polarity", scores=False)


__all__ = ["PhasePrediction", "predict_phases", "load_model", "default_model_path", "resolve_model",
           "inference_budget", "PROPAGATIONS_PER_LITERAL", "PROPAGATIONS_FIXED", "lookahead_budget",
           "lookahead_visits", "PROPAGATIONS_PER_VISIT",
           "BASELINES", "check_confidence", "fit", "raw_formula", "hook_model_phases",
           "hook_model_phases_scores", "hook_jw_phases", "hook_polarity_phases"]
