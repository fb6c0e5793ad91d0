"""Guidance hooks: on_restart, on_learned, on_decide, set_guidance; Python
exceptions and Ctrl-C raised while the C++ search runs."""
from __future__ import annotations

import os
import random
import signal
import threading
import time
import traceback

import numpy as np
import pytest
from pysat.solvers import Solver as PySolver

import satmip
from helpers import (
    check_model,
    pigeonhole,
    planted_ksat,
    random_ksat,
    reference_solve,
    reference_unsat_with_negation,
)

RESTART_KEYS = {"conflicts", "decisions", "propagations", "restarts", "learned",
                "glue_fast", "glue_slow", "trail", "time"}


class CallbackError(Exception):
    pass


# ---------------------------------------------------------------------------
# on_restart
# ---------------------------------------------------------------------------


def test_on_restart_info():
    got = []

    def cb(info):
        got.append(dict(info))
        return False

    with satmip.Solver(bootstrap_with=pigeonhole(8, 7)) as s:
        s.on_restart(cb)
        assert s.solve() is False
        stats = s.accum_stats()
    assert got, "php 8 into 7 needs restarts"
    for info in got:
        assert RESTART_KEYS <= set(info), set(info)
        for key in ("conflicts", "decisions", "propagations", "restarts", "learned", "trail"):
            assert isinstance(info[key], int) and info[key] >= 0
        for key in ("glue_fast", "glue_slow", "time"):
            assert isinstance(info[key], float) and info[key] >= 0
    conflicts = [i["conflicts"] for i in got]
    assert conflicts == sorted(conflicts)
    times = [i["time"] for i in got]
    assert times == sorted(times)
    assert got[-1]["conflicts"] <= stats["conflicts"]
    assert len(got) <= stats["restarts"] + 1


def test_on_restart_true_stops():
    calls = []

    def cb(info):
        calls.append(info["conflicts"])
        return len(calls) >= 3

    with satmip.Solver(bootstrap_with=pigeonhole(10, 9)) as s:
        s.on_restart(cb)
        assert s.solve() is None
        assert len(calls) == 3
        assert s.get_status() is None
        # Removed: solving under assumptions works again.
        s.on_restart(None)
        assert s.solve(assumptions=[1, 10]) is False


def test_on_restart_truthy_values():
    # The return value is interpreted by truth value (numpy bools included).
    # php(9, 8) needs thousands of conflicts, so restarts do happen.
    for value, stops in ((np.bool_(True), True), (1, True), (0, False), (None, False)):
        with satmip.Solver(bootstrap_with=pigeonhole(9, 8)) as s:
            s.on_restart(lambda info: value)
            assert s.solve() is (None if stops else False), value


# ---------------------------------------------------------------------------
# on_learned
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("max_size", [1, 3, 8])
def test_on_learned(max_size):
    clauses = pigeonhole(7, 6) + random_ksat(42, 60, seed=max_size)
    learned = []
    with satmip.Solver(bootstrap_with=clauses) as s:
        s.on_learned(lambda lits: learned.append(lits), max_size=max_size)
        expected = reference_solve(clauses)
        assert s.solve() is expected
    if max_size >= 3:
        assert learned
    for lits in learned:
        assert isinstance(lits, np.ndarray)
        assert lits.dtype == np.int32
        assert lits.ndim == 1
        assert 1 <= len(lits) <= max_size
        assert 0 not in lits
    rng = random.Random(max_size)
    for lits in rng.sample(learned, min(25, len(learned))):
        assert reference_unsat_with_negation(clauses, lits.tolist()), lits


def test_on_learned_sat_formula_implied():
    clauses = random_ksat(120, 500, seed=17)
    learned = []
    with satmip.Solver(bootstrap_with=clauses) as s:
        s.on_learned(lambda lits: learned.append(lits.copy()), max_size=6)
        expected = reference_solve(clauses)
        assert s.solve() is expected
    rng = random.Random(0)
    for lits in rng.sample(learned, min(30, len(learned))):
        assert len(lits) <= 6
        assert reference_unsat_with_negation(clauses, lits.tolist()), lits


def test_on_learned_removed():
    learned = []
    with satmip.Solver(bootstrap_with=pigeonhole(7, 6)) as s:
        s.on_learned(learned.append, max_size=4)
        s.on_learned(None)
        assert s.solve() is False
    assert learned == []


# ---------------------------------------------------------------------------
# on_decide
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("every", [1, 7, 50])
def test_on_decide_frequency_and_views(every):
    calls = []
    nvars = 56

    def cb(values, scores):
        assert isinstance(values, np.ndarray) and isinstance(scores, np.ndarray)
        assert values.dtype == np.int8 and scores.dtype == np.float64
        assert values.shape == (nvars + 1,) and scores.shape == (nvars + 1,)
        assert not values.flags.writeable and not scores.flags.writeable
        with pytest.raises(ValueError):
            values[1] = 1
        assert set(np.unique(values[1:]).tolist()) <= {-1, 0, 1}
        assert np.isfinite(scores).all()
        calls.append(int((values[1:] == 0).sum()))
        return None

    with satmip.Solver(bootstrap_with=pigeonhole(8, 7)) as s:
        s.on_decide(cb, every=every)
        assert s.solve() is False
        decisions = s.accum_stats()["decisions"]
    assert decisions > 100
    expected = decisions / every
    assert 0.5 * expected - 2 <= len(calls) <= 1.1 * expected + 2, (len(calls), decisions)
    assert any(c > 0 for c in calls)  # called while variables are unassigned


def test_on_decide_every_zero_rejected():
    with satmip.Solver(bootstrap_with=[[1, 2]]) as s:
        with pytest.raises(ValueError):
            s.on_decide(lambda v, sc: None, every=0)


@pytest.mark.parametrize("seed", range(3))
def test_on_decide_literal_honoured(seed):
    # Every decision is taken from the callback along a planted model: deciding
    # consistently with a model never conflicts, so the answer is that model.
    clauses, hidden = planted_ksat(80, 330, seed=seed)
    target = np.zeros(81, dtype=np.int64)
    for lit in hidden:
        target[abs(lit)] = lit
    calls = [0]

    def cb(values, scores):
        calls[0] += 1
        free = np.flatnonzero(values[1:] == 0)
        if len(free) == 0:
            return None
        return int(target[free[0] + 1])

    # Without inprocessing: eliminated variables are not decided, they take
    # their values from model reconstruction.
    with satmip.Solver(bootstrap_with=clauses, config="no-inprocessing") as s:
        s.on_decide(cb, every=1)
        assert s.solve() is True
        assert s.get_model() == hidden
        assert s.accum_stats()["conflicts"] == 0
    assert calls[0] > 0


def test_on_decide_fixed_literal_on_isolated_variable():
    # Variable 61 occurs in no clause: the solver's default phase is true, the
    # callback asks for -61 whenever it is unassigned.
    clauses, _ = planted_ksat(60, 250, seed=5)

    def cb(values, scores):
        return -61 if values[61] == 0 else None

    with satmip.Solver(bootstrap_with=clauses) as s:
        s.reserve(61)
        s.on_decide(cb, every=1)
        assert s.solve() is True
        model = s.get_model()
        assert check_model(clauses, model)
        assert model[60] == -61


@pytest.mark.parametrize("garbage", [None, 0, np.int64(0)], ids=repr)
def test_on_decide_garbage_is_fine(garbage):
    # The docstring: the callback returns a literal of an unassigned variable, or 0 / None.
    for clauses in (pigeonhole(7, 6), planted_ksat(60, 250, seed=2)[0]):
        with satmip.Solver(bootstrap_with=clauses) as s:
            s.on_decide(lambda v, sc: garbage, every=3)
            assert s.solve() is reference_solve(clauses)


def test_on_decide_assigned_or_unknown_literal_is_ignored():
    clauses, _ = planted_ksat(60, 250, seed=3)

    def assigned(values, scores):
        a = np.flatnonzero(values[1:] != 0)
        return int((a[0] + 1) * values[a[0] + 1]) if len(a) else None

    for cb in (assigned, lambda v, sc: 1000, lambda v, sc: -1000):
        with satmip.Solver(bootstrap_with=clauses) as s:
            s.on_decide(cb, every=1)
            assert s.solve() is True
            assert check_model(clauses, s.get_model())


@pytest.mark.parametrize("bad", ["x", 1.5, True], ids=repr)
def test_on_decide_non_integer_return(bad):
    # Not a literal: either ignored, or a ValueError / TypeError (the error
    # the same value gives in add_clause), not some other exception type.
    with satmip.Solver(bootstrap_with=pigeonhole(6, 5)) as s:
        s.on_decide(lambda v, sc: bad, every=2)
        try:
            res = s.solve()
        except (ValueError, TypeError):
            pass
        else:
            assert res is False
        s.on_decide(None)
        assert s.solve() is False


# ---------------------------------------------------------------------------
# Adversarial guidance keeps answers correct
# ---------------------------------------------------------------------------


def _guidance_modes(n, rng):
    nrng = np.random.default_rng(rng.randrange(2**32))

    def random_decider(values, scores):
        free = np.flatnonzero(values[1:] == 0)
        if len(free) == 0:
            return None
        v = int(free[nrng.integers(len(free))]) + 1
        return v if nrng.random() < 0.5 else -v

    def set_true(s):
        s.set_guidance(phases=np.ones(n + 1, dtype=np.int8))

    def set_false(s):
        s.set_guidance(phases=-np.ones(n + 1, dtype=np.int8))

    def set_random(s):
        phases = np.array([0] + [rng.choice((-1, 0, 1)) for _ in range(n)], dtype=np.int8)
        scores = np.array([rng.random() * 1e3 for _ in range(n + 1)])
        s.set_guidance(phases=phases, scores=scores)

    def set_scores(s):
        s.set_guidance(scores=np.array([rng.expovariate(1e-3) for _ in range(n + 1)]))

    def decide(s):
        s.on_decide(random_decider, every=1)

    def decide_and_phases(s):
        set_random(s)
        s.set_phases([v if rng.random() < 0.5 else -v for v in range(1, n + 1)])
        s.on_decide(random_decider, every=5)

    return [set_true, set_false, set_random, set_scores, decide, decide_and_phases]


def test_adversarial_guidance_50_formulas():
    rng = random.Random(2024)
    mismatches = []
    for i in range(50):
        n = 50 + (i * 7) % 50  # random decisions at every step: keep them small
        clauses = random_ksat(n, int(n * 4.26), seed=700 + i)
        with PySolver(name="minisat22", bootstrap_with=clauses) as ref:
            expected = ref.solve()
        modes = _guidance_modes(n, rng)
        for mode in (modes[i % len(modes)], modes[(i + 3) % len(modes)]):
            with satmip.Solver(bootstrap_with=clauses, seed=i) as s:
                mode(s)
                got = s.solve()
                if got is not expected or (got and not check_model(clauses, s.get_model())):
                    mismatches.append((i, mode.__name__, got, expected))
    assert not mismatches, mismatches


def test_guidance_with_assumptions_and_cores():
    rng = random.Random(4)
    for i in range(10):
        n = 50
        clauses = random_ksat(n, 200, seed=900 + i)
        with satmip.Solver(bootstrap_with=clauses) as s, \
                PySolver(name="minisat22", bootstrap_with=clauses) as ref:
            _guidance_modes(n, rng)[i % 6](s)
            for _ in range(4):
                assumptions = [v if rng.random() < 0.5 else -v for v in rng.sample(range(1, n + 1), 6)]
                got = s.solve(assumptions=assumptions)
                assert got is ref.solve(assumptions=assumptions)
                if got:
                    assert check_model(clauses, s.get_model())
                else:
                    core = s.get_core()
                    assert set(core) <= set(assumptions)
                    assert ref.solve(assumptions=core) is False


def test_set_guidance_bad_shape():
    with satmip.Solver(bootstrap_with=[[1, 2]]) as s:
        with pytest.raises(ValueError):
            s.set_guidance(phases=np.ones((2, 3), dtype=np.int8))
        with pytest.raises(ValueError):
            s.set_guidance(scores=np.ones((2, 3)))
        assert s.solve() is True


# ---------------------------------------------------------------------------
# Exceptions raised by callbacks
# ---------------------------------------------------------------------------


def _raise_restart(info):
    raise CallbackError("from on_restart")


def _raise_learned(lits):
    raise CallbackError("from on_learned")


def _raise_decide(values, scores):
    raise CallbackError("from on_decide")


HOOKS = {
    "on_restart": (lambda s: s.on_restart(_raise_restart), lambda s: s.on_restart(None), "_raise_restart"),
    "on_learned": (lambda s: s.on_learned(_raise_learned, max_size=100), lambda s: s.on_learned(None),
                   "_raise_learned"),
    "on_decide": (lambda s: s.on_decide(_raise_decide, every=5), lambda s: s.on_decide(None),
                  "_raise_decide"),
}


@pytest.mark.parametrize("hook", list(HOOKS))
def test_callback_exception_propagates(hook):
    install, remove, frame = HOOKS[hook]
    clauses = pigeonhole(8, 7)
    with satmip.Solver(bootstrap_with=clauses) as s:
        install(s)
        with pytest.raises(CallbackError) as excinfo:
            s.solve()
        assert str(excinfo.value) == f"from {hook}"
        names = [f.name for f in traceback.extract_tb(excinfo.value.__traceback__)]
        assert frame in names, names
        # Still installed: raises again.
        with pytest.raises(CallbackError):
            s.solve_limited()
        remove(s)
        assert s.solve() is False
        assert s.get_status() is False
    with satmip.Solver(bootstrap_with=planted_ksat(60, 250, seed=1)[0]) as s:
        install(s)
        try:
            s.solve()
        except CallbackError:
            pass
        remove(s)
        assert s.solve() is True


def test_callback_exception_types_preserved():
    for exc in (KeyError("k"), ValueError("v"), ZeroDivisionError("z"), SystemExit(3)):
        def cb(info, exc=exc):
            raise exc

        with satmip.Solver(bootstrap_with=pigeonhole(8, 7)) as s:
            s.on_restart(cb)
            with pytest.raises(type(exc)) as excinfo:
                s.solve()
            assert excinfo.value is exc
            s.on_restart(None)
            assert s.solve() is False


# ---------------------------------------------------------------------------
# Ctrl-C in-process
# ---------------------------------------------------------------------------


def _sigint_during_solve(solver, send, delay=0.4, limit=120):
    """Sends SIGINT from a timer thread while the main thread solves without a time
    limit. Returns (raised by solve(), whether the signal stopped the search): a
    fallback interrupt() ends the search after `limit` s only if the signal did not.
    A KeyboardInterrupt that escapes later (the signal was not handled inside
    solve()) is caught here, so that it cannot abort the whole pytest session."""
    timer = threading.Timer(delay, send)
    fallback_fired = []
    fallback = threading.Timer(limit, lambda: (fallback_fired.append(True), solver.interrupt()))
    raised = False
    try:
        timer.start()
        fallback.start()
        try:
            solver.solve()
        except KeyboardInterrupt:
            raised = True
        fallback.cancel()
        timer.join()
        time.sleep(0.05)  # a pending, unhandled signal surfaces here
    except KeyboardInterrupt:
        pass
    finally:
        timer.cancel()
        fallback.cancel()
    return raised, not fallback_fired


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signals are delivered to the main thread")
@pytest.mark.parametrize("how", ["raise_signal", "os_kill"])
def test_sigint_raises_keyboard_interrupt(how):
    send = (lambda: signal.raise_signal(signal.SIGINT)) if how == "raise_signal" else \
        (lambda: os.kill(os.getpid(), signal.SIGINT))
    with satmip.Solver(bootstrap_with=pigeonhole(13, 12)) as s:
        raised, by_signal = _sigint_during_solve(s, send)
        assert raised, "solve() must raise KeyboardInterrupt on SIGINT"
        assert by_signal, "the signal did not stop the search"
        # usable afterwards
        assert s.solve(assumptions=[1, 13]) is False
        assert s.solve(time_limit=0.1) is None
    with satmip.Solver(bootstrap_with=pigeonhole(5, 4)) as t:
        assert t.solve() is False


def test_sigint_with_callbacks_installed():
    with satmip.Solver(bootstrap_with=pigeonhole(13, 12)) as s:
        s.on_restart(lambda info: False)
        s.on_learned(lambda lits: None, max_size=3)
        s.on_decide(lambda v, sc: None, every=100)
        raised, by_signal = _sigint_during_solve(s, lambda: signal.raise_signal(signal.SIGINT))
        assert raised and by_signal
        s.on_restart(None)
        s.on_learned(None)
        s.on_decide(None)
        assert s.solve(assumptions=[-(j + 1) for j in range(12)]) is False
