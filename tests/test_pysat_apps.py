"""PySAT's own applications (RC2, MUSX, LBX, MCSls) with satmip.Solver swapped in.

Each example module does `from pysat.solvers import Solver, SolverNames` and
builds its oracle with `Solver(name=..., bootstrap_with=..., use_timer=...)`:
the module's `Solver` name is monkeypatched with a factory that returns a
satmip.Solver (ignoring `name`). Answers are compared with the same
application on PySAT's own backends. A method satmip.Solver lacks shows up as
an AttributeError, i.e. a failing test.
"""
from __future__ import annotations

import itertools
import random

import pytest
from pysat.formula import CNF, WCNF
from pysat.solvers import Solver as PySolver

import pysat.examples.lbx as lbx_mod
import pysat.examples.mcsls as mcsls_mod
import pysat.examples.musx as musx_mod
import pysat.examples.rc2 as rc2_mod
import satmip
from helpers import pigeonhole, random_ksat


class SatmipFactory:
    """Stands in for pysat.solvers.Solver: builds satmip solvers, counts them."""

    def __init__(self):
        self.created = []

    def __call__(self, name=None, bootstrap_with=None, use_timer=False, **kwargs):
        s = satmip.Solver(bootstrap_with=bootstrap_with, use_timer=use_timer, **kwargs)
        self.created.append(s)
        return s


@pytest.fixture
def satmip_in(monkeypatch):
    """satmip_in(module): swaps satmip in as `module.Solver`; returns the factory."""
    def patch(module):
        assert hasattr(module, "Solver"), module.__name__
        factory = SatmipFactory()
        monkeypatch.setattr(module, "Solver", factory)
        return factory
    return patch


def random_wcnf(seed, nvars=14, nhard=25, nsoft=30, max_weight=9, hard_k=3, soft_sizes=(1, 1, 2, 2, 3)):
    """Random weighted partial MaxSAT; the hard part is satisfiable (checked)."""
    rng = random.Random(seed)
    while True:
        hard = random_ksat(nvars, nhard, hard_k, seed=rng.randrange(10**9))
        with PySolver(name="minisat22", bootstrap_with=hard) as s:
            if s.solve():
                break
    w = WCNF()
    for c in hard:
        w.append(c)
    for _ in range(nsoft):
        k = rng.choice(soft_sizes)
        c = [v if rng.random() < 0.5 else -v for v in rng.sample(range(1, nvars + 1), k)]
        w.append(c, weight=rng.randint(1, max_weight))
    return w


def soft_cost(wcnf, model):
    m = set(model)
    return sum(wt for c, wt in zip(wcnf.soft, wcnf.wght) if not any(l in m for l in c))


def hard_ok(wcnf, model):
    m = set(model)
    return all(any(l in m for l in c) for c in wcnf.hard)


# ---------------------------------------------------------------------------
# RC2
# ---------------------------------------------------------------------------

RC2_VARIANTS = [
    ("RC2", {}),
    ("RC2", {"adapt": True, "exhaust": True, "minz": True, "trim": 5}),
    ("RC2Stratified", {"blo": "div", "adapt": True, "minz": True}),
    ("RC2Stratified", {"blo": "cluster", "exhaust": True, "incr": True}),
]


def run_rc2(wcnf, cls, kwargs):
    with getattr(rc2_mod, cls)(wcnf.copy(), **kwargs) as rc2:
        model = rc2.compute()
        return model, rc2.cost


@pytest.mark.parametrize("variant", range(len(RC2_VARIANTS)))
def test_rc2_optimum_matches_pysat(satmip_in, monkeypatch, variant):
    cls, kwargs = RC2_VARIANTS[variant]
    instances = [random_wcnf(seed) for seed in range(3)]
    instances.append(random_wcnf(5, nvars=30, nhard=80, nsoft=60, max_weight=20))
    instances.append(random_wcnf(6, nvars=25, nhard=70, nsoft=60, max_weight=20))
    instances.append(random_wcnf(99, nvars=30, nhard=90, nsoft=80, max_weight=1))  # unweighted
    expected = [run_rc2(w, cls, kwargs)[1] for w in instances]
    factory = satmip_in(rc2_mod)
    for w, cost in zip(instances, expected):
        model, got = run_rc2(w, cls, kwargs)
        assert model is not None
        assert got == cost
        assert hard_ok(w, model)
        assert soft_cost(w, model) == cost
    assert factory.created, "RC2 did not build its oracle through the patched Solver"


def test_rc2_unsat_hard_part(satmip_in):
    w = WCNF()
    for c in pigeonhole(4, 3):
        w.append(c)
    w.append([1], weight=2)
    satmip_in(rc2_mod)
    with rc2_mod.RC2(w) as rc2:
        assert rc2.compute() is None


def test_rc2_enumerate_costs_match_pysat(satmip_in):
    w = random_wcnf(7, nvars=8, nhard=8, nsoft=14)

    def costs():
        with rc2_mod.RC2(w.copy()) as rc2:
            return [rc2.cost for _ in itertools.islice(rc2.enumerate(), 12)]

    expected = costs()
    satmip_in(rc2_mod)
    got = costs()
    assert got == expected
    assert got == sorted(got)


def test_rc2_add_clause_on_the_fly(satmip_in):
    satmip_in(rc2_mod)
    with rc2_mod.RC2(WCNF()) as rc2:
        rc2.add_clause([-1, -2])
        rc2.add_clause([-1, -3])
        rc2.add_clause([-2, -3])
        rc2.add_clause([1], weight=1)
        rc2.add_clause([2], weight=1)
        rc2.add_clause([3], weight=1)
        model = rc2.compute()
        assert rc2.cost == 2
        assert sum(1 for l in model if l > 0) == 1


# ---------------------------------------------------------------------------
# MUSX
# ---------------------------------------------------------------------------


def is_sat(clauses):
    with PySolver(name="minisat22", bootstrap_with=clauses) as s:
        return s.solve()


def unsat_formulas():
    out = []
    seed = 0
    while len(out) < 3:
        clauses = random_ksat(12, 80, seed=3000 + seed)
        seed += 1
        if not is_sat(clauses):
            out.append(clauses)
    return out


@pytest.mark.parametrize("idx", range(3))
def test_musx_minimal_unsat_subset(satmip_in, idx):
    clauses = unsat_formulas()[idx]
    wcnf = CNF(from_clauses=clauses).weighted()
    reference = musx_mod.MUSX(wcnf, verbosity=0).compute()
    factory = satmip_in(musx_mod)
    mus_ids = musx_mod.MUSX(wcnf, verbosity=0).compute()
    assert factory.created
    assert mus_ids, "a MUS of an UNSAT formula is non-empty"
    assert all(1 <= i <= len(clauses) for i in mus_ids)
    mus = [clauses[i - 1] for i in mus_ids]
    assert not is_sat(mus), "MUS must be unsatisfiable"
    for k in range(len(mus)):
        assert is_sat(mus[:k] + mus[k + 1:]), f"clause {mus_ids[k]} is redundant"
    assert len(reference) > 0  # the PySAT run found one too


def test_musx_pigeonhole_whole_formula(satmip_in):
    clauses = pigeonhole(4, 3)  # minimally unsatisfiable as a whole
    satmip_in(musx_mod)
    mus = musx_mod.MUSX(CNF(from_clauses=clauses), verbosity=0).compute()
    assert sorted(mus) == list(range(1, len(clauses) + 1))


def test_musx_with_hard_clauses(satmip_in):
    w = WCNF()
    w.append([1, 2])            # hard
    w.append([-1, 3])           # hard
    w.append([-2], weight=1)    # 1
    w.append([-3], weight=1)    # 2
    w.append([4], weight=1)     # 3 (irrelevant)
    w.append([-2, -3], weight=1)  # 4
    satmip_in(musx_mod)
    mus = musx_mod.MUSX(w, verbosity=0).compute()
    assert sorted(mus) == [1, 2]


# ---------------------------------------------------------------------------
# LBX / MCSls
# ---------------------------------------------------------------------------


def enumerate_mcses(module, cls, wcnf, **kwargs):
    tool = getattr(module, cls)(wcnf, **kwargs)
    try:
        out = []
        for mcs in tool.enumerate():
            out.append(frozenset(mcs))
            tool.block(mcs)
            assert len(out) < 2000
        return out
    finally:
        tool.delete()


def mcs_instances():
    out = []
    for seed in range(3):
        # No unit soft clauses: MCSls uses a unit soft clause's own literal as
        # its selector, and then (on any backend) reports sets that are not
        # correction sets when such a literal also occurs elsewhere.
        w = random_wcnf(50 + seed, nvars=6, nhard=4, nsoft=36, max_weight=1, hard_k=3,
                        soft_sizes=(2, 2, 3))
        out.append(w)
    w = WCNF()  # all soft, pigeonhole: every single clause is an MCS
    for c in pigeonhole(4, 3):
        w.append(c, weight=1)
    out.append(w)
    return out


@pytest.mark.parametrize("module,cls", [(lbx_mod, "LBX"), (mcsls_mod, "MCSls")])
@pytest.mark.parametrize("use_cld", [False, True])
def test_mcs_enumeration_matches_pysat(satmip_in, module, cls, use_cld):
    instances = mcs_instances()
    expected = [enumerate_mcses(module, cls, w, use_cld=use_cld, solver_name="m22") for w in instances]
    factory = satmip_in(module)
    for w, exp in zip(instances, expected):
        got = enumerate_mcses(module, cls, w, use_cld=use_cld, solver_name="m22")
        assert len(set(got)) == len(got), "an MCS was reported twice"
        assert set(got) == set(exp)
        # each MCS is a correction set (removing it leaves hard + other softs
        # satisfiable) and minimal (putting back any of its clauses is UNSAT)
        for mcs in got[:15]:
            rest = w.hard + [c for i, c in enumerate(w.soft, 1) if i not in mcs]
            assert is_sat(rest), sorted(mcs)
            for i in mcs:
                assert not is_sat(rest + [w.soft[i - 1]]), (sorted(mcs), i)
    assert factory.created
    assert all(len(e) > 5 for e in expected)
    assert len(expected[-1]) == len(pigeonhole(4, 3))
