"""Calls into a solver while it searches: from each of its callbacks and from
another thread, for the SAT Solver, the MILP solver and the LP solver.

The rule (README.md, "Calls during a search"): a call that changes the solver
or reads what the search changes raises RuntimeError naming the call; only
interrupt() / clear_interrupt() (any thread) and, from a SAT callback, the
read-only queries nof_vars(), nof_clauses(), accum_stats(), get_option() are
allowed. After any of these the solver answers right and stays reusable.

The matrix also runs under AddressSanitizer: tests/asan.sh.
"""
from __future__ import annotations

import gc
import re
import threading
import weakref

import numpy as np
import pytest

import satmip
from satmip import _core
from helpers import check_model, pigeonhole, planted_ksat

# A satisfiable formula (planted model) on which every SAT callback fires.
CLAUSES, HIDDEN = planted_ksat(250, int(4.3 * 250), seed=2)
BUSY = "is not allowed while solve() runs"


def _solver():
    s = satmip.Solver(bootstrap_with=CLAUSES)
    s.reserve(250)
    return s


def _other_solver_answer(_s):
    with satmip.Solver(bootstrap_with=CLAUSES) as other:
        return other.solve()


# call name -> (what the callback does with the solver s, expected: "busy" or a check of the result)
SAT_FORBIDDEN = {
    "add_clause": lambda s: s.add_clause([HIDDEN[0], HIDDEN[1]]),
    "add_clauses": lambda s: s.add_clauses(np.array([HIDDEN[2], 0], dtype=np.int32)),
    "append_formula": lambda s: s.append_formula([[HIDDEN[3]]]),   # RuntimeError names add_clause
    "solve": lambda s: s.solve(),
    "solve_limited": lambda s: s.solve_limited(),
    "enum_models": lambda s: next(s.enum_models()),
    "propagate": lambda s: s.propagate([HIDDEN[0]]),
    "set_phases": lambda s: s.set_phases([HIDDEN[0]]),
    "set_guidance": lambda s: s.set_guidance(phases=np.zeros(251, dtype=np.int8)),
    "reserve": lambda s: s.reserve(300),
    "freeze": lambda s: s.freeze(1),
    "melt": lambda s: s.melt(1),
    "set_option": lambda s: s.set_option("seed", 3),
    "configure": lambda s: s.configure("default"),
    "on_restart": lambda s: s.on_restart(None),
    "on_learned": lambda s: s.on_learned(None),
    "on_decide": lambda s: s.on_decide(None),
    "on_progress": lambda s: s.on_progress(None),
    "get_model": lambda s: s.get_model(),
    "model_values": lambda s: s.model_values(),
    "incidence": lambda s: s.incidence(),
    "trace_proof": lambda s: s.trace_proof("/nonexistent/proof.drat"),
    "close_proof": lambda s: s.close_proof(),
    "delete": lambda s: s.delete(),
}
SAT_ALLOWED = {
    "nof_vars": (lambda s: s.nof_vars(), lambda r: r == 250),
    "nof_clauses": (lambda s: s.nof_clauses(), lambda r: r == len(CLAUSES)),
    "accum_stats": (lambda s: s.accum_stats(), lambda r: r["conflicts"] >= 0),
    "get_option": (lambda s: s.get_option("seed"), lambda r: r == 0),
    "clear_interrupt": (lambda s: s.clear_interrupt(), lambda r: r is None),
    "solve another solver": (_other_solver_answer, lambda r: r is True),
}


def _install(kind, s, action):
    """A callback of `kind` that runs action(s) at its first call and records
    the outcome; it returns the engine-neutral answer (None / False)."""
    outcome = {}

    def once():
        if not outcome:
            try:
                outcome["result"] = action(s)
            except Exception as exc:   # noqa: BLE001 - the test inspects it
                outcome["error"] = exc

    if kind == "on_restart":
        s.on_restart(lambda info: once() or False)
    elif kind == "on_learned":
        s.on_learned(lambda lits: once(), max_size=100)
    elif kind == "on_progress":
        s.on_progress(lambda info: once(), interval=0)
    else:
        s.on_decide(lambda values, scores: once(), every=3)
    return outcome


def _assert_correct_and_reusable(s, first_answer):
    assert first_answer is True
    assert check_model(CLAUSES, s.get_model())
    s.on_restart(None)
    s.on_learned(None)
    s.on_decide(None)
    s.on_progress(None)
    s.add_clause([-HIDDEN[5], -HIDDEN[6], HIDDEN[7]])   # holds a literal of the hidden model
    assert s.solve(assumptions=[HIDDEN[8]]) is True
    model = s.get_model()
    assert check_model(CLAUSES + [[-HIDDEN[5], -HIDDEN[6], HIDDEN[7]]], model) and HIDDEN[8] in model


SAT_KINDS = ["on_restart", "on_learned", "on_decide", "on_progress"]


@pytest.mark.parametrize("call", sorted(SAT_FORBIDDEN))
@pytest.mark.parametrize("kind", SAT_KINDS)
def test_sat_callback_forbidden_call_raises(kind, call):
    with _solver() as s:
        outcome = _install(kind, s, SAT_FORBIDDEN[call])
        answer = s.solve()
        assert outcome, f"{kind} never fired"
        err = outcome.get("error")
        assert isinstance(err, RuntimeError), outcome
        named = {"solve_limited": "solve", "enum_models": "solve", "append_formula": "add_clause"}.get(call, call)
        assert BUSY in str(err) and f"Solver.{named}()" in str(err), err
        assert s.nof_vars() == 250 and s.nof_clauses() == len(CLAUSES)
        _assert_correct_and_reusable(s, answer)


@pytest.mark.parametrize("call", sorted(SAT_ALLOWED))
@pytest.mark.parametrize("kind", SAT_KINDS)
def test_sat_callback_allowed_call(kind, call):
    action, check = SAT_ALLOWED[call]
    with _solver() as s:
        outcome = _install(kind, s, action)
        answer = s.solve()
        assert "error" not in outcome, outcome
        assert check(outcome["result"]), outcome
        _assert_correct_and_reusable(s, answer)


@pytest.mark.parametrize("kind", SAT_KINDS)
def test_sat_callback_interrupt_stops_then_reusable(kind):
    with _solver() as s:
        outcome = _install(kind, s, lambda s: s.interrupt())
        assert s.solve() is None and "error" not in outcome
        s.clear_interrupt()
        _assert_correct_and_reusable(s, s.solve())


@pytest.mark.parametrize("kind", SAT_KINDS)
def test_sat_callback_uncaught_busy_error_propagates(kind):
    with _solver() as s:
        if kind == "on_restart":
            s.on_restart(lambda info: s.add_clause([HIDDEN[0]]))
        elif kind == "on_learned":
            s.on_learned(lambda lits: s.add_clause(lits), max_size=100)
        elif kind == "on_progress":
            s.on_progress(lambda info: s.add_clause([HIDDEN[0]]), interval=0)
        else:
            s.on_decide(lambda values, scores: s.solve(), every=3)
        with pytest.raises(RuntimeError, match=re.escape(BUSY)):
            s.solve()
        assert s.nof_clauses() == len(CLAUSES)
        s.on_restart(None)
        s.on_learned(None)
        s.on_decide(None)
        s.on_progress(None)
        _assert_correct_and_reusable(s, s.solve())


def test_sat_callbacks_mutating_a_different_solver_are_fine():
    with _solver() as s, satmip.Solver() as other:
        def learned(lits):
            other.add_clause(lits)
        s.on_learned(learned, max_size=4)
        assert s.solve() is True and check_model(CLAUSES, s.get_model())
        # Learned clauses are implied by the formula: the hidden model satisfies them.
        assert other.nof_clauses() > 0 and other.solve(assumptions=HIDDEN) is True


# ---------------------------------------------------------------------------
# Another thread during a SAT search
# ---------------------------------------------------------------------------


def test_sat_second_thread_is_refused_while_searching():
    started, proceed = threading.Event(), threading.Event()
    with _solver() as s:
        def pause(values, scores):
            started.set()
            assert proceed.wait(30)   # waits without the GIL

        s.on_decide(pause, every=1)
        result = {}
        worker = threading.Thread(target=lambda: result.setdefault("answer", s.solve()))
        worker.start()
        try:
            assert started.wait(30)
            assert s.solving
            for call in ("solve", "add_clause", "nof_vars", "accum_stats", "get_model", "on_decide"):
                with pytest.raises(RuntimeError, match=re.escape(BUSY)):
                    {"solve": lambda: s.solve(), "add_clause": lambda: s.add_clause([HIDDEN[0]]),
                     "nof_vars": s.nof_vars, "accum_stats": s.accum_stats, "get_model": s.get_model,
                     "on_decide": lambda: s.on_decide(None)}[call]()
            s.clear_interrupt()          # allowed from anywhere
        finally:
            proceed.set()
            worker.join(60)
        assert not s.solving
        _assert_correct_and_reusable(s, result["answer"])


def test_sat_concurrent_solves_on_one_solver_never_race():
    clauses = pigeonhole(8, 7)   # UNSAT, some 10^4 conflicts
    for _ in range(4):
        with satmip.Solver(bootstrap_with=clauses) as s:
            answers = []

            def run():
                try:
                    answers.append(s.solve())
                except RuntimeError as exc:
                    assert BUSY in str(exc)
                    answers.append("busy")

            threads = [threading.Thread(target=run) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert len(answers) == 2 and set(answers) <= {False, "busy"} and False in answers, answers


def test_sat_solve_refused_while_another_thread_adds_clauses():
    # add_clauses also runs without the GIL: a solve() meanwhile would race with it.
    rng = np.random.default_rng(0)
    lits = rng.integers(1, 5000, size=(300_000, 3)) * rng.choice([-1, 1], size=(300_000, 3))
    flat = np.concatenate([lits, np.zeros((300_000, 1), dtype=lits.dtype)], axis=1).ravel().astype(np.int32)
    seen_busy = False
    for _ in range(10):
        s = satmip.Solver()
        worker = threading.Thread(target=s.add_clauses, args=(flat,))
        worker.start()
        while worker.is_alive() and not seen_busy:
            if s.solving:
                try:
                    s.solve(assumptions=[1])
                except RuntimeError as exc:
                    assert "is not allowed while add_clauses() runs" in str(exc)
                    seen_busy = True
        worker.join()
        assert s.nof_clauses() == 300_000
        s.delete()
        if seen_busy:
            break
    assert seen_busy, "never caught add_clauses in flight"


def test_sat_interrupt_from_another_thread_while_paused_in_a_callback():
    started = threading.Event()
    with _solver() as s:
        def pause(values, scores):
            started.set()
            return None

        s.on_decide(pause, every=1)
        t = threading.Thread(target=lambda: (started.wait(30), s.interrupt()))
        t.start()
        answer = s.solve()
        t.join()
        assert answer in (None, True)
        s.clear_interrupt()
        s.on_decide(None)
        assert s.solve() is True and check_model(CLAUSES, s.get_model())


# ---------------------------------------------------------------------------
# Arrays handed to callbacks outlive the call
# ---------------------------------------------------------------------------


def test_on_decide_arrays_kept_after_the_call_keep_their_values():
    kept = []
    with _solver() as s:
        s.on_decide(lambda values, scores: kept.append((values, values.copy(), scores, scores.copy())), every=2)
        assert s.solve() is True
        s.add_clause([HIDDEN[0], 300])            # more variables: the engine's arrays grow and move
        s.on_decide(lambda values, scores: None, every=1)
        assert s.solve() is True
    gc.collect()
    assert len(kept) > 5
    for values, values_then, scores, scores_then in kept:
        # tobytes() reads through memcpy, which AddressSanitizer checks (tests/asan.sh).
        assert values.tobytes() == values_then.tobytes() and scores.tobytes() == scores_then.tobytes()
        assert not values.flags.writeable and not scores.flags.writeable


def test_on_learned_arrays_kept_after_the_call_keep_their_values():
    kept = []
    with _solver() as s:
        s.on_learned(lambda lits: kept.append((lits, lits.copy())), max_size=100)
        assert s.solve() is True
    assert len(kept) > 5
    for lits, then in kept:
        assert np.array_equal(lits, then)


# ---------------------------------------------------------------------------
# Reference cycles through callbacks are collected
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", SAT_KINDS)
def test_solver_in_a_cycle_through_its_callback_is_collected(kind):
    s = satmip.Solver(bootstrap_with=[[1, 2], [-1, 2]])
    s.reserve(5000)
    _install(kind, s, lambda solver: solver.nof_vars())   # the closure holds s
    assert s.solve() is True
    engine = weakref.ref(s._engine._engine if hasattr(s._engine, "_engine") else s._engine)
    wrapper = weakref.ref(s)
    del s
    gc.collect()
    assert wrapper() is None and engine() is None


def test_raw_engine_in_a_cycle_is_collected():
    engine = _core.SatSolver("default")
    # Held through a default argument: a closure over the local name would let `del engine`
    # empty its cell and break the cycle, and the test would pass without GC support.
    engine.on_learned(lambda lits, engine=engine: engine.nof_vars(), 8)
    ref = weakref.ref(engine)
    del engine
    gc.collect()
    assert ref() is None


# ---------------------------------------------------------------------------
# MILP: the same matrix over on_branch, on_node, on_incumbent
# ---------------------------------------------------------------------------


def _knapsack(n=14, seed=3):
    """max v.x s.t. w.x <= W (two rows), x binary: branches, several incumbents."""
    rng = np.random.default_rng(seed)
    w = rng.integers(10, 60, size=(2, n)).astype(float)
    v = rng.integers(10, 80, size=n).astype(float)
    return satmip.Model.from_arrays(c=-v, A=w, row_lower=[-np.inf, -np.inf], row_upper=w.sum(axis=1) / 2.5,
                                    col_lower=np.zeros(n), col_upper=np.ones(n), integrality=np.ones(n))


KNAPSACK = _knapsack()
MIP_OPTIONS = dict(presolve=False, cuts=False, heuristics=False, seed=0)


def _knapsack_optimum():
    import itertools
    d = KNAPSACK.data
    dense = np.zeros((KNAPSACK.num_rows, KNAPSACK.num_cols))
    for j in range(KNAPSACK.num_cols):
        dense[d.A_index[d.A_start[j]:d.A_start[j + 1]], j] = d.A_value[d.A_start[j]:d.A_start[j + 1]]
    xs = np.array(list(itertools.product((0, 1), repeat=KNAPSACK.num_cols)), dtype=float)
    feasible = (xs @ dense.T <= d.row_upper + 1e-9).all(axis=1)
    return float((xs[feasible] @ d.cost).min())


OPTIMUM = _knapsack_optimum()

MIP_FORBIDDEN = {
    "solve": lambda m: m.solve(),
    "set_options": lambda m: m.set_options(node_limit=5),
    "status": lambda m: m.status,
    "objective": lambda m: m.objective,
    "x": lambda m: m.x,
    "samples": lambda m: m.samples,
}
MIP_KINDS = ["on_branch", "on_node", "on_incumbent", "on_event"]
NO_MIP_CALLBACKS = dict(on_branch=None, on_node=None, on_incumbent=None, on_event=None)


def _mip_with(kind, action):
    holder, outcome = {}, {}

    def once(*_args):
        if not outcome:
            try:
                outcome["result"] = action(holder["m"])
            except Exception as exc:   # noqa: BLE001 - the test inspects it
                outcome["error"] = exc
        return None

    m = _core.MipSolver(KNAPSACK.data.to_dict(), **MIP_OPTIONS, **{kind: once})
    holder["m"] = m
    return m, outcome


def _assert_mip_optimal(m):
    assert m.status == "optimal"
    assert m.objective == pytest.approx(OPTIMUM, abs=1e-6)


@pytest.mark.parametrize("call", sorted(MIP_FORBIDDEN))
@pytest.mark.parametrize("kind", MIP_KINDS)
def test_mip_callback_forbidden_call_raises(kind, call):
    m, outcome = _mip_with(kind, MIP_FORBIDDEN[call])
    m.solve()
    assert outcome, f"{kind} never fired"
    err = outcome.get("error")
    assert isinstance(err, RuntimeError) and BUSY in str(err) and f"MipSolver.{call}()" in str(err), outcome
    _assert_mip_optimal(m)
    m.set_options(**NO_MIP_CALLBACKS)
    m.solve()                                   # reusable
    _assert_mip_optimal(m)


@pytest.mark.parametrize("kind", MIP_KINDS)
def test_mip_callback_interrupt_and_nested_solves(kind):
    m, outcome = _mip_with(kind, lambda m: m.interrupt())
    assert m.solve() == "interrupted" and "error" not in outcome
    m.set_options(**NO_MIP_CALLBACKS)
    m.solve()
    _assert_mip_optimal(m)
    # An independent solve (a new solver on the same Model) inside a callback is fine.
    m, outcome = _mip_with(kind, lambda _m: KNAPSACK.solve(**MIP_OPTIONS).objective)
    m.solve()
    assert outcome["result"] == pytest.approx(OPTIMUM, abs=1e-6)
    _assert_mip_optimal(m)


@pytest.mark.parametrize("kind", MIP_KINDS)
def test_mip_uncaught_busy_error_propagates(kind):
    holder = {}
    m = _core.MipSolver(KNAPSACK.data.to_dict(), **MIP_OPTIONS, **{kind: lambda *a: holder["m"].set_options(gap=0.5)})
    holder["m"] = m
    with pytest.raises(RuntimeError, match=re.escape(BUSY)):
        m.solve()
    m.set_options(**NO_MIP_CALLBACKS)
    m.solve()
    _assert_mip_optimal(m)


def test_model_changed_inside_a_callback_does_not_change_the_running_solve():
    model = _knapsack()

    def on_node(facts):
        model.data.row_upper[:] = 0.0          # would make x = 0 the only solution
        model.data.cost[:] = 0.0

    r = model.solve(on_node=on_node, **MIP_OPTIONS)
    assert r.status == "optimal" and r.objective == pytest.approx(OPTIMUM, abs=1e-6)


def test_mip_second_thread_is_refused_while_searching():
    started, proceed = threading.Event(), threading.Event()

    def pause(facts):
        started.set()
        assert proceed.wait(30)

    m = _core.MipSolver(KNAPSACK.data.to_dict(), **MIP_OPTIONS, on_node=pause)
    worker = threading.Thread(target=m.solve)
    worker.start()
    try:
        assert started.wait(30) and m.solving
        for action in (m.solve, lambda: m.set_options(gap=0.1), lambda: m.x, lambda: m.objective):
            with pytest.raises(RuntimeError, match=re.escape(BUSY)):
                action()
    finally:
        proceed.set()
        worker.join(60)
    assert not m.solving
    _assert_mip_optimal(m)


@pytest.mark.parametrize("kind", MIP_KINDS)
def test_mip_solver_in_a_cycle_through_its_callback_is_collected(kind):
    holder = {}   # bound as a default argument: `del holder` below must not break the cycle
    m = _core.MipSolver(KNAPSACK.data.to_dict(), **MIP_OPTIONS,
                        **{kind: lambda *a, holder=holder: (holder["m"].solving, None)[1]})
    holder["m"] = m
    m.solve()
    ref = weakref.ref(m)
    del m, holder
    gc.collect()
    assert ref() is None


def test_mip_callback_arrays_kept_after_the_call_keep_their_values():
    kept = []

    def on_branch(state):
        kept.append({k: (v, v.copy()) for k, v in state.items() if isinstance(v, np.ndarray)})

    def on_incumbent(x, objective):
        kept.append({"x": (x, x.copy())})

    r = KNAPSACK.solve(on_branch=on_branch, on_incumbent=on_incumbent, **MIP_OPTIONS)
    assert r.status == "optimal"
    gc.collect()
    assert len(kept) > 3
    for arrays in kept:
        for name, (array, then) in arrays.items():
            assert np.array_equal(array, then), name


# ---------------------------------------------------------------------------
# LP solver (no callbacks; solve() releases the GIL)
# ---------------------------------------------------------------------------


def test_lp_second_thread_is_refused_while_solving():
    rng = np.random.default_rng(0)
    n = 120
    A = rng.uniform(0, 1, size=(n, n))
    model = satmip.Model.from_arrays(c=-rng.uniform(1, 2, n), A=A, row_lower=np.full(n, -np.inf),
                                     row_upper=np.ones(n), col_lower=np.zeros(n), col_upper=np.full(n, np.inf))
    expected = model.solve_lp().objective
    seen_busy = False
    for _ in range(20):
        lp = model.lp_solver(perturb=False)
        worker = threading.Thread(target=lp.solve)
        worker.start()
        changed = False
        while worker.is_alive() and not seen_busy and not changed:
            if lp.solving:
                try:
                    lp.change_cost(0, 5.0)
                    changed = True            # the solve ended in between
                except RuntimeError as exc:
                    assert BUSY in str(exc) and "LpSolver.change_cost()" in str(exc)
                    seen_busy = True
        worker.join()
        if not changed:
            assert lp.status == "optimal" and lp.objective == pytest.approx(expected, rel=1e-7)
        if seen_busy:
            break
    assert seen_busy, "never caught the LP solve in flight"
    lp.change_cost(0, 5.0)                   # reusable
    assert lp.solve() == "optimal"
