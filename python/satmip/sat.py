"""PySAT-compatible SAT solver on satmip's C++ CDCL engine.

`Solver` offers the surface of `pysat.solvers.Solver` (so PySAT code can swap
it in) plus numpy bulk input and output, time limits, and guidance hooks.
"""
from __future__ import annotations

import enum
import os
import tempfile
import time as _time
from typing import Callable, Iterable, NamedTuple, Optional

import numpy as np

from . import _core
from .dimacs import Cnf, read_dimacs


class SolverStatus(enum.IntEnum):
    UNKNOWN = 0
    SAT = 10
    UNSAT = 20


def options() -> list[tuple]:
    """The engine's options: (name, default, low, high, help)."""
    return list(_core.sat_options())


def presets() -> list[tuple[str, str]]:
    """Named configurations: (name, description)."""
    return list(_core.sat_presets())


_OPTION_NAMES = frozenset(o[0] for o in _core.sat_options())


class Incidence(NamedTuple):
    """Clause-variable incidence graph in CSR form.

    Row i is clause i; indices are 0-based variable indices (variable v is
    column v - 1); signs are +1 / -1 for positive / negative occurrences.
    """
    indptr: np.ndarray
    indices: np.ndarray
    signs: np.ndarray
    nvars: int

    def to_scipy(self):
        import scipy.sparse as sp
        return sp.csr_matrix((self.signs, self.indices, self.indptr),
                             shape=(len(self.indptr) - 1, self.nvars))


INCIDENCE_KINDS = ("raw", "simplified")


def incidence(formula, kind: str = "raw") -> Incidence:
    """Incidence graph of a formula (Cnf, DIMACS path, list of clauses, PySAT CNF
    or Solver) as CSR.

    kind="raw" (the default): exactly the formula's clauses, row i = clause i,
    literals in their order, repeats, tautologies and units kept; built in numpy
    without a solver. kind="simplified": the formula as satmip's engine holds it
    after adding it, which drops satisfied clauses, tautologies, repeated and
    root-false literals, and adds one unit row per literal fixed at the root
    (`Solver.incidence()`); qg3-08: 10,469 raw rows, 5,657 simplified. Learned
    models name the kind they were trained on (satmip.learn: raw). A Solver holds
    only its simplified formula: kind="raw" of a Solver raises ValueError."""
    if kind not in INCIDENCE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(INCIDENCE_KINDS)}; got {kind!r}")
    if isinstance(formula, Solver):
        if kind == "raw":
            raise ValueError("a Solver holds only its simplified formula: pass the formula "
                             "itself for kind='raw', or kind='simplified'")
        return formula.incidence()
    if isinstance(formula, (str, os.PathLike)):
        formula = read_dimacs(formula)
    if not isinstance(formula, Cnf):
        formula = _cnf_of_clauses(getattr(formula, "clauses", formula), getattr(formula, "nv", 0))
    if kind == "raw":
        return raw_incidence(formula.lits, formula.nvars)
    with Solver(config="plain") as s:
        s.reserve(formula.nvars)
        s.add_clauses(formula.lits)
        return s.incidence()


def _cnf_of_clauses(clauses, nvars: int) -> Cnf:
    """A list of clauses as a Cnf, with add_clause's checks: integer literals, none
    0 and every |literal| < 2^30 (the raw path never meets the engine's checks)."""
    clauses = [list(c) for c in clauses]
    flat = np.asarray([x for c in clauses for x in (*c, 0)], dtype=object)
    if not all(isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)) for x in flat):
        raise ValueError("literals must be integers")
    flat = flat.astype(np.int64)
    if int((flat == 0).sum()) != len(clauses):
        raise ValueError("literal 0 is not allowed inside a clause")
    if flat.size and int(np.abs(flat).max()) >= 1 << 30:
        raise ValueError("a literal is out of range (|lit| < 2^30)")
    return Cnf(max(int(nvars), int(np.abs(flat).max(initial=0))), flat.astype(np.int32), len(clauses))


def raw_incidence(lits, nvars: int = 0) -> Incidence:
    """CSR of flat 0-terminated clauses as they are (one vectorised pass); nvars is
    raised to the largest variable used."""
    lits = np.asarray(lits)
    if lits.ndim != 1 or not np.issubdtype(lits.dtype, np.integer):
        raise ValueError("clauses must be a flat integer array of 0-terminated clauses")
    ends = lits == 0
    if lits.size and not ends[-1]:
        raise ValueError("the last clause is not terminated by 0")
    body = lits[~ends].astype(np.int64)
    closes = np.flatnonzero(ends)
    indptr = np.zeros(closes.size + 1, dtype=np.int64)
    indptr[1:] = closes - np.arange(closes.size)  # literals before each clause's 0
    indices = (np.abs(body) - 1).astype(np.int32)
    signs = np.sign(body).astype(np.int8)
    nvars = max(int(nvars), int(indices.max(initial=-1)) + 1)
    return Incidence(indptr, indices, signs, nvars)


class Solver:
    """CDCL SAT solver with the PySAT `Solver` interface.

    While solve() runs (in a callback or from another thread) only
    interrupt() / clear_interrupt() and, from a callback, nof_vars(),
    nof_clauses(), accum_stats() and get_option() may be called; every other
    method raises RuntimeError naming it (README.md, "Calls during a search").

    Solver(name=None, bootstrap_with=None, use_timer=False, with_proof=False,
           config="default", seed=0, phase_model=None, phase_confidence=None,
           phase_initial=True, phase_scores=False, phase_delay=None, **options)

    `name` is accepted for PySAT compatibility and ignored. `config` picks a
    preset (see `satmip.presets()`), keyword options set engine options by
    name (see `satmip.options()`). Call `solve()` / `solve_limited()` with
    `time_limit=` seconds for a wall-clock limit.

    phase_model: "default" (the model shipped with satmip), a model file, a loaded
    `satmip.learn.phase_infer.PhaseInference`, or a baseline "jw" / "polarity":
    before the first search (or at apply_phase_model()) it predicts the phases of
    the clauses added so far, as added (satmip.learn.predict_phases), and hands them
    to set_guidance: as initial phases and the "original" rephase's target
    (phase_initial) and, as a second signal, |2p - 1| as initial activity
    (phase_scores), each for the variables at least phase_confidence sure (NeuroBack's
    cfd; default 0.9 for a model, 0.5 for a baseline). Once only: clauses added
    later are not predicted. A bad model file raises here (FileNotFoundError,
    ValueError naming the file).
    """

    def __init__(self, name: Optional[str] = None, bootstrap_with=None, use_timer: bool = False,
                 with_proof: bool = False, config: str = "default", seed: int = 0,
                 warm_start: bool = False, phase_model=None, phase_confidence: Optional[float] = None,
                 phase_initial: bool = True, phase_scores: bool = False, phase_delay=None, **options):
        self._engine = None
        self.new(name=name, bootstrap_with=bootstrap_with, use_timer=use_timer,
                 with_proof=with_proof, config=config, seed=seed, phase_model=phase_model,
                 phase_confidence=phase_confidence, phase_initial=phase_initial,
                 phase_scores=phase_scores, phase_delay=phase_delay, **options)

    # ---- life cycle ----
    def new(self, name=None, bootstrap_with=None, use_timer=False, with_proof=False,
            config="default", seed=0, phase_model=None, phase_confidence=None,
            phase_initial=True, phase_scores=False, phase_delay=None, **options):
        if self._engine is not None:
            return
        self._phase = _PhaseGuidance.checked(phase_model, phase_confidence, phase_initial, phase_scores,
                                             phase_delay)
        self.phase_prediction = None
        unknown = set(options) - _OPTION_NAMES - {"incr", "warm_start", "phases", "process"}
        if unknown:
            raise ValueError(f"unknown solver option(s): {', '.join(sorted(unknown))}")
        self._engine = _core.SatSolver(config)
        self._engine.set_option("seed", int(seed))
        for key, value in options.items():
            if key in _OPTION_NAMES:
                self._engine.set_option(key, int(value))
        self._status: Optional[bool] = None
        self._use_timer = use_timer
        self._call_time = 0.0
        self._accu_time = 0.0
        self._conf_budget = -1
        self._prop_budget = -1
        self._proof_path = None
        if with_proof:
            fd, self._proof_path = tempfile.mkstemp(prefix="satmip-", suffix=".drat")
            os.close(fd)
            self._engine.trace_proof(self._proof_path, "drat")
        if bootstrap_with is not None:
            self.append_formula(bootstrap_with)
        if options.get("phases"):
            self.set_phases(options["phases"])

    def delete(self):
        """Free the engine (the object can be re-created with new())."""
        if self._engine is not None:
            self._engine.require_idle("delete")
            self._engine = None
        if self._proof_path and os.path.exists(self._proof_path):
            os.unlink(self._proof_path)
        self._proof_path = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.delete()

    def __del__(self):
        try:
            self.delete()
        except Exception:
            pass

    def _live(self):
        if self._engine is None:
            raise RuntimeError("the solver was deleted")
        return self._engine

    # ---- construction ----
    @classmethod
    def from_dimacs(cls, path, strict: bool = True, proof=None, proof_format: str = "drat",
                    **kwargs) -> "Solver":
        """A solver loaded with a DIMACS file (plain or compressed), read in C++.

        proof: a file to write a proof of unsatisfiability to, in proof_format (drat,
        drat-binary, lrat or lrat-binary); it is opened before the clauses are added, as
        trace_proof requires. The proof is complete once the solver is closed (delete(),
        the end of a with block) or close_proof() is called."""
        if proof is not None and kwargs.get("with_proof"):
            raise ValueError("from_dimacs: give proof= or with_proof=True, not both")
        cnf = read_dimacs(path, strict=strict)
        s = cls(**kwargs)
        if proof is not None:
            s.trace_proof(proof, proof_format)
        s.reserve(cnf.nvars)
        s.add_clauses(cnf.lits)
        return s

    def reserve(self, nvars: int) -> None:
        """Declare variables 1..nvars (they exist even if no clause uses them)."""
        self._live().reserve(int(nvars))

    def add_clause(self, clause: Iterable[int], no_return: bool = True):
        """Add a clause (iterable of non-zero ints). Returns False, unless
        no_return, if the formula is now unsatisfiable at the root."""
        if self._phase is not None and self._phase.recording:
            clause = list(clause)
            self._live().add_clause(clause)
            self._phase.record(np.asarray(clause + [0], dtype=np.int64))
        else:
            self._live().add_clause(clause)
        if not no_return:
            return self._live().status() != 20 and not self._root_inconsistent()

    def _root_inconsistent(self) -> bool:
        ok, _ = self._live().propagate([])
        return not ok

    def add_clauses(self, flat) -> None:
        """Add many clauses from a flat array of 0-terminated clauses: any
        integer dtype (int32 is used without a copy); literals beyond int32,
        floats and bools raise ValueError as in add_clause."""
        flat = np.asarray(flat)
        self._live().add_clauses(flat)
        if self._phase is not None and self._phase.recording:
            self._phase.record(flat)

    def append_formula(self, formula, no_return: bool = True):
        """Add a list of clauses, a satmip Cnf or a PySAT CNF (its .clauses)."""
        if isinstance(formula, Cnf):
            self.reserve(formula.nvars)
            self.add_clauses(formula.lits)
        else:
            clauses = getattr(formula, "clauses", formula)
            if self._phase is not None and self._phase.recording:
                for clause in clauses:
                    self.add_clause(clause)
            else:
                engine = self._live()
                for clause in clauses:
                    engine.add_clause(clause)
        if not no_return:
            return not self._root_inconsistent()

    def add_atmost(self, lits, k, no_return=True):
        raise NotImplementedError("satmip has no native cardinality constraints; encode them with pysat.card")

    def supports_atmost(self) -> bool:
        return False

    def add_xor_clause(self, lits, value=True):
        raise NotImplementedError("XOR clauses are not supported natively")

    # ---- solving ----
    def solve(self, assumptions: Iterable[int] = (), time_limit: Optional[float] = None) -> Optional[bool]:
        """Solve under assumptions. Returns True / False, or None if a time
        limit or interrupt() stopped the search (budgets set by conf_budget /
        prop_budget apply to solve_limited only). Ctrl-C stops it too and raises
        KeyboardInterrupt, as in PySAT; the solver stays usable."""
        return self._solve(assumptions, time_limit, -1, -1)

    def solve_limited(self, assumptions: Iterable[int] = (), expect_interrupt: bool = False,
                      time_limit: Optional[float] = None) -> Optional[bool]:
        """Solve within the conflict / propagation budgets; None if a budget,
        time limit or interrupt() stopped the search (Ctrl-C: KeyboardInterrupt,
        as for solve()). The GIL is always released, so expect_interrupt is
        accepted and not needed."""
        return self._solve(assumptions, time_limit, self._conf_budget, self._prop_budget)

    def _solve(self, assumptions, time_limit, conflicts, propagations):
        engine = self._live()
        start = _time.perf_counter()
        limit = -1.0 if time_limit is None else float(time_limit)
        if time_limit is not None and not limit >= 0:   # NaN too
            raise ValueError("time_limit must be >= 0")
        assumptions = list(assumptions) if assumptions is not None else []
        try:
            if self._phase is not None and self._phase.recording:
                res = self._solve_guided(engine, assumptions, start, limit, int(conflicts), int(propagations))
            else:
                res = engine.solve(assumptions, limit, int(conflicts), int(propagations))
        finally:
            self._call_time = _time.perf_counter() - start
            self._accu_time += self._call_time
        self._status = {10: True, 20: False}.get(res)
        return self._status

    def _solve_guided(self, engine, assumptions, start, limit, conflicts, propagations) -> int:
        """A solve while the phase_model has not run: first the search within what is left
        of phase_delay (its propagations; the caller's limits still apply), then, if the
        formula is still open and the caller's limits are not reached, the model's
        prediction handed to set_guidance and the search continued from there (learned
        clauses kept). The model's time counts against the time limit."""
        engine.require_idle("solve")
        delay = self._phase.delay_left()
        while delay > 0:       # "auto" may extend the delay once it is spent (delay_left)
            before = engine.stats()
            segment = delay if propagations < 0 else min(delay, propagations)
            res = engine.solve(assumptions, _time_left(limit, start), conflicts, segment)
            after = engine.stats()
            used = after["propagations"] - before["propagations"]
            self._phase.searched += used
            if res != 0 or used < delay:        # answered, or stopped by another limit
                return res
            conflicts = _left(conflicts, after["conflicts"] - before["conflicts"])
            propagations = _left(propagations, used)
            if conflicts == 0 or propagations == 0 or _time_left(limit, start) == 0.0:
                return res
            delay = self._phase.delay_left()
        self.apply_phase_model()
        return engine.solve(assumptions, _time_left(limit, start), conflicts, propagations)

    def _propagations(self) -> int:
        return int(self._live().stats()["propagations"])

    def conf_budget(self, budget: int = -1) -> None:
        """Conflict budget for the following solve_limited() calls (-1: none)."""
        self._conf_budget = int(budget) if budget and budget > 0 else -1

    def prop_budget(self, budget: int = -1) -> None:
        """Propagation budget for the following solve_limited() calls (-1: none)."""
        self._prop_budget = int(budget) if budget and budget > 0 else -1

    def dec_budget(self, budget: int = -1) -> None:
        raise NotImplementedError("decision budgets are not supported; use conf_budget or prop_budget")

    @property
    def solving(self) -> bool:
        """True while solve() (or add_clauses()) runs on this solver."""
        return self._engine is not None and self._engine.solving

    def interrupt(self) -> None:
        """Stop a running solve (thread-safe). Stays in force until clear_interrupt()."""
        self._live().interrupt()

    def clear_interrupt(self) -> None:
        self._live().clear_interrupt()

    def propagate(self, assumptions: Iterable[int] = (), phase_saving: int = 0):
        """Unit-propagate the assumptions: (no conflict?, implied literals)."""
        ok, implied = self._live().propagate(list(assumptions))
        return bool(ok), list(implied)

    def enum_models(self, assumptions: Iterable[int] = ()):
        """Yield every model (blocking each found one with a clause)."""
        assumptions = list(assumptions)
        while self.solve(assumptions=assumptions) is True:
            model = self.get_model()
            yield model
            self.add_clause([-lit for lit in model])

    # ---- results ----
    def get_status(self) -> Optional[bool]:
        return self._status

    def get_model(self) -> Optional[list[int]]:
        """The model of the last satisfiable answer as signed literals 1..nof_vars."""
        self._live().require_idle("get_model")
        if self._status is not True:
            return None
        return self._live().model()

    @property
    def model(self) -> Optional[np.ndarray]:
        """The model as a numpy int32 array of signed literals, or None."""
        self._live().require_idle("model")
        if self._status is not True:
            return None
        values = self._live().model_array()
        return (np.arange(len(values), dtype=np.int32) * values.astype(np.int32))[1:]

    def model_values(self) -> Optional[np.ndarray]:
        """Per-variable values (int8, +1 / -1, index 0 unused), or None."""
        self._live().require_idle("model_values")
        if self._status is not True:
            return None
        return self._live().model_array()

    def get_core(self) -> Optional[list[int]]:
        """Failed assumptions after an unsatisfiable answer under assumptions."""
        self._live().require_idle("get_core")
        if self._status is not False:
            return None
        return list(self._live().core())

    def get_proof(self) -> Optional[list[str]]:
        """DRAT proof lines (only with with_proof=True)."""
        if not self._proof_path:
            return None
        with open(self._proof_path) as f:
            return [line.rstrip("\n") for line in f]

    def time(self) -> float:
        return self._call_time

    def time_accum(self) -> float:
        return self._accu_time

    def nof_vars(self) -> int:
        return self._live().nof_vars()

    def nof_clauses(self) -> int:
        return self._live().nof_clauses()

    def accum_stats(self) -> dict:
        """Counters (conflicts, decisions, propagations, restarts, ...) and times; with a
        phase_model, once it ran: time_phase_model (seconds: graph and forward pass) and
        phase_model_vars (variables given a phase or score); with a phase_delay other than
        0: phase_model_delay (propagations searched before the model ran, or so far)."""
        stats = dict(self._live().stats())
        if self._phase is not None and self._phase.delay != 0:
            stats["phase_model_delay"] = self._phase.searched
        if self.phase_prediction is not None:
            stats["time_phase_model"] = float(self.phase_prediction.seconds)
            stats["phase_model_vars"] = self.phase_prediction.npredicted
        return stats

    def set_phases(self, literals: Iterable[int] = ()) -> None:
        """Preferred phases (PySAT semantics: always used when deciding the variable)."""
        self._live().set_phases(list(literals))

    def start_mode(self, warm: bool = False) -> None:
        """Accepted for PySAT compatibility (no effect)."""

    def configure(self, parameters) -> None:
        """Set engine options from a dict {name: value} or apply a preset name."""
        if isinstance(parameters, str):
            self._live().configure(parameters)
            return
        for key, value in dict(parameters).items():
            self._live().set_option(key, int(value))

    def set_option(self, name: str, value: int) -> None:
        self._live().set_option(name, int(value))

    def get_option(self, name: str) -> int:
        return self._live().get_option(name)

    # ---- guidance ----
    def set_guidance(self, phases=None, scores=None) -> None:
        """NeuroBack hook, before solving: soft initial phases and initial
        activity scores, each an array of nof_vars() + 1 entries (index 0
        unused). Phases are integers in {-1, 0, +1} or float confidences in
        [-1, 1] whose sign is the phase (0: no preference); scores are finite
        reals. Another length, NaN or a value out of range raises ValueError.
        Phases seed the saved and target phases and the 'original' rephase;
        scores order the first decisions."""
        self._live().set_guidance(phases, scores)

    @property
    def phase_delay(self):
        """The phase_model's delay: "auto" or propagations (0: before the search); None
        without a phase_model."""
        return None if self._phase is None else self._phase.delay

    def apply_phase_model(self):
        """Run the phase_model on the clauses added so far and hand its predictions to
        set_guidance now (solve() does it before the first search otherwise); returns
        the satmip.learn.PhasePrediction (also in self.phase_prediction), None without
        a phase_model. Once only: a second call returns the first prediction."""
        if self._phase is None or not self._phase.recording:
            return self.phase_prediction
        self._live().require_idle("apply_phase_model")
        prediction = self._phase.predict(self.nof_vars())
        self.set_guidance(phases=prediction.phases if self._phase.initial else None,
                          scores=prediction.scores if self._phase.scores else None)
        self.phase_prediction = prediction
        self._phase.done()
        return prediction

    def on_restart(self, callback: Optional[Callable[[dict], bool]]) -> None:
        """Call callback(stats) at each restart; returning True stops the solve."""
        self._live().on_restart(callback)

    def on_learned(self, callback: Optional[Callable[[np.ndarray], None]], max_size: int = 8) -> None:
        """Call callback(literals) for each learned clause of at most max_size literals."""
        self._live().on_learned(callback, int(max_size))

    def on_decide(self, callback: Optional[Callable[[np.ndarray, np.ndarray], Optional[int]]],
                  every: int = 1000) -> None:
        """Every `every` decisions call callback(values, scores) with read-only
        per-variable copies (int8 values -1 / 0 / +1 and float64 scores, index 0
        unused; they may be kept); it returns a literal of an unassigned
        variable to decide, or 0 / None. During a search only some calls into
        this solver are allowed (README.md, "Calls during a search")."""
        self._live().on_decide(callback, int(every))

    def on_progress(self, callback: Optional[Callable[[dict], None]], interval: float = 1.0) -> None:
        """Call callback(info) at most once per `interval` seconds of a solve (0: at every
        check: about every 50,000 propagations of the search, at each inprocessing step and every
        2048 units of work inside it), and once more with phase "done" when each solve() ends;
        None removes it. The engine reads the clock
        only where it already polls it, so the hook does not slow the search down. info keys:
        phase ("search"; "probe", "subsume", "elim" or "vivify" during or right after that
        inprocessing step; "done"), time (seconds since this solve() started), stable (search
        mode), conflicts, decisions, propagations, restarts, reductions, learned (clauses
        learned so far), redundant (learned clauses kept now), irredundant (clauses of the
        formula now), variables (largest index), fixed (assigned at the root), eliminated,
        memory_bytes (the engine's clauses, watches and per-variable arrays). An exception the
        callback raises stops the solve, which re-raises it; the calls allowed from it are
        those of any callback (README.md, "Calls during a search")."""
        self._live().on_progress(callback, float(interval))

    def incidence(self) -> Incidence:
        """Clause-variable graph of the formula as the engine holds it (CSR): the
        irredundant clauses after root simplification, preceded by one unit row
        per literal fixed at the root (satmip.incidence(..., kind="simplified")).
        The formula as given is satmip.incidence(formula) (kind="raw")."""
        indptr, indices, signs = self._live().incidence()
        return Incidence(indptr, indices, signs, self.nof_vars())

    def freeze(self, var: int) -> None:
        self._live().freeze(int(var))

    def melt(self, var: int) -> None:
        self._live().melt(int(var))

    def trace_proof(self, path, fmt: str = "drat") -> None:
        """Write a proof to path: fmt is drat, drat-binary, lrat or lrat-binary.
        Must be called before the first clause is added (else RuntimeError);
        Solver.from_dimacs(path, proof=...) does it in that order. A path that cannot be
        written raises OSError, as for any file."""
        try:
            self._live().trace_proof(os.fspath(path), fmt)
        except RuntimeError as exc:   # the engine's "PATH: cannot open proof file: REASON"
            if ": cannot open proof file: " in str(exc):
                raise OSError(str(exc)) from None
            raise

    def close_proof(self) -> None:
        self._live().close_proof()


def _left(budget: int, used: int) -> int:
    """What is left of a conflict or propagation budget (-1: none) after `used`."""
    return budget if budget < 0 else max(0, budget - used)


def _time_left(limit: float, start: float) -> float:
    """What is left of a time limit (-1: none) since `start`."""
    return limit if limit < 0 else max(0.0, limit - (_time.perf_counter() - start))


PHASE_DELAY_AUTO = "auto"


class _PhaseGuidance:
    """A Solver's phase_model: the model (checked when the Solver is made), the clauses
    added until it runs (the raw formula it predicts from), and its delay: "auto" or
    propagations to search before it runs (`searched` so far)."""

    def __init__(self, model, confidence, initial: bool, scores: bool, delay):
        self.model, self.confidence = model, confidence
        self.initial, self.scores = bool(initial), bool(scores)
        self.delay = delay
        self.searched = 0
        self.lookahead: Optional[int] = None    # the lookahead's part of an "auto" delay, once estimated
        self.literals = 0
        self.clauses: Optional[list] = []

    @classmethod
    def checked(cls, model, confidence, initial, scores, delay=None) -> Optional["_PhaseGuidance"]:
        if model is None:
            if confidence is not None or scores or not initial or delay is not None:
                raise ValueError("phase_confidence, phase_scores, phase_initial and phase_delay need a phase_model")
            return None
        from .learn import predict
        if not isinstance(model, predict.PhaseInference):
            model = predict.resolve_model(model)
            if model not in predict.BASELINES:
                predict.load_model(model)    # checked now (and cached for the prediction)
        predict.check_confidence(confidence)
        return cls(model, confidence, initial, scores, checked_delay(delay))

    @property
    def recording(self) -> bool:
        return self.clauses is not None

    def record(self, flat: np.ndarray) -> None:
        assert self.clauses is not None, "recording ended at the prediction"
        copy = np.array(flat, dtype=np.int32)   # a copy: the caller may reuse its array
        self.clauses.append(copy)
        self.literals += int(np.count_nonzero(copy))

    def delay_left(self) -> int:
        """Propagations still to search before the model runs (0: run it now). "auto":
        the inference's estimated cost, in two parts: the graph, features and forward
        from the formula's size (predict.inference_budget), then, once the search has
        spent that and only then, the lookahead's, estimated from a sample of its probes
        on the formula (predict.lookahead_budget), so that formulas solved sooner never
        pay for the estimate."""
        if self.delay == PHASE_DELAY_AUTO:
            from .learn import predict
            budget = predict.inference_budget(self.literals, self.model)
            if self.searched >= budget and self.lookahead is None:
                self.lookahead = (predict.lookahead_budget(self.formula(None), self.model)
                                  if predict.reads_lookahead(self.model) else 0)
            budget += self.lookahead or 0
        else:
            budget = int(self.delay)
        return max(0, budget - self.searched)

    def formula(self, nvars: Optional[int]) -> Cnf:
        """The clauses added so far as a Cnf (nvars: None for those the clauses use)."""
        lits = np.concatenate(self.clauses) if self.clauses else np.zeros(0, np.int32)
        if nvars is None:
            nvars = int(np.abs(lits).max(initial=0))
        return Cnf(nvars, lits, int(np.count_nonzero(lits == 0)))

    def predict(self, nvars: int):
        from .learn import predict
        formula = self.formula(nvars)
        return predict.fit(predict.predict_phases(formula, self.model, self.confidence), nvars)

    def done(self) -> None:
        self.clauses = None


def checked_delay(delay):
    """phase_delay as given: None -> "auto"; "auto" or an integer >= 0, else ValueError."""
    if delay is None or (isinstance(delay, str) and delay == PHASE_DELAY_AUTO):
        return PHASE_DELAY_AUTO
    if isinstance(delay, (bool, np.bool_)) or not isinstance(delay, (int, np.integer)) or delay < 0:
        raise ValueError(f"phase_delay must be 'auto' or a number of propagations >= 0, got {delay!r}")
    return int(delay)
