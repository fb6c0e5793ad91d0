"""Labels by satmip itself: the backbone, and majority phases of a few models.

Backbone extraction follows CadiBack (Biere, Froleyks, Wang, "CadiBack:
Extracting Backbones with CaDiCaL", SAT 2023) in one incremental solver:
  1. a model gives the candidates (its literals);
  2. flipping: a candidate true in a clause only together with another true
     literal can flip its value in that model, so it is no backbone; every such
     candidate of each new model is dropped at once (vectorised over the CSR);
  3. for each remaining candidate l, solve under the assumption -l: UNSAT makes
     l backbone (added as a unit, which helps the later calls), SAT gives a new
     model, and every candidate it contradicts is dropped (model rotation).
Non-backbone variables get the majority phase over a few diverse models (random
preferred phases, distinct seeds) solved after the backbone units are in.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ..dimacs import Cnf
from ..sat import Solver


@dataclass
class Budget:
    """Per-instance limits over all solver calls; None = unlimited."""
    seconds: Optional[float] = 60.0
    conflicts: Optional[int] = None


@dataclass
class Labels:
    """status: "sat", "unsat" or "budget" (limits reached: no labels).
    backbone[v] (v = 1..nvars, index 0 unused): +1 / -1 for a positive / negative
    backbone variable, 0 otherwise. majority[v]: the sign of the sum of the
    models' values (+1 on a tie); backbone variables keep their phase."""
    status: str
    nvars: int
    backbone: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int8))
    majority: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int8))
    models: int = 0
    solves: int = 0
    conflicts: int = 0
    seconds: float = 0.0


class _Limits:
    def __init__(self, budget: Budget, solver: Solver):
        self.deadline = None if budget.seconds is None else time.monotonic() + budget.seconds
        self.conflicts = budget.conflicts
        self.solver = solver
        self.solves = 0

    def solve(self, assumptions=()) -> Optional[bool]:
        """One limited call; None when a limit stopped it or none is left."""
        time_left = None
        if self.deadline is not None:
            time_left = self.deadline - time.monotonic()
            if time_left <= 0:
                return None
        if self.conflicts is not None:
            left = self.conflicts - self.used_conflicts()
            if left <= 0:
                return None
            self.solver.conf_budget(left)
        self.solves += 1
        return self.solver.solve_limited(assumptions=assumptions, time_limit=time_left)

    def used_conflicts(self) -> int:
        return int(self.solver.accum_stats().get("conflicts", 0))


def clause_rows(cnf: Cnf) -> tuple[np.ndarray, np.ndarray]:
    """(clause index, literal) of each distinct literal of each clause of a Cnf's
    flat array: a literal repeated in a clause counts once (else it would seem to
    satisfy its clause twice and look flippable)."""
    lits = np.asarray(cnf.lits).astype(np.int64)
    ends = lits == 0
    row = (np.cumsum(ends) - ends)[~ends]  # the number of clauses closed before each position
    lits = lits[~ends]
    span = 2 * int(np.abs(lits).max(initial=0)) + 1
    keys = np.unique(row * span + (lits + span // 2))
    return keys // span, keys % span - span // 2


def flippable(values: np.ndarray, rows: np.ndarray, lits: np.ndarray, nclauses: int) -> np.ndarray:
    """Per variable: can its value flip in this model (values[v] = +1 / -1) with
    every clause still satisfied? (Each such variable alone; a set of them need
    not flip together.)"""
    true = values[np.abs(lits)] == np.sign(lits)
    count = np.bincount(rows[true], minlength=nclauses)
    critical = np.zeros(len(values), dtype=bool)
    only = true & (count[rows] == 1)
    critical[np.abs(lits[only])] = True
    return ~critical


def extract(cnf: Cnf, budget: Budget = Budget(), models: int = 5, seed: int = 0,
            config: str = "default") -> Labels:
    """Backbone and majority phases of cnf (see the module doc)."""
    nvars = max(int(cnf.nvars), cnf.max_var)
    started = time.monotonic()
    rows, lits = clause_rows(cnf)
    with Solver(config=config, seed=seed) as solver:
        solver.reserve(nvars)
        solver.add_clauses(cnf.lits)
        limits = _Limits(budget, solver)

        def finish(status, backbone=None, majority=None, count=0):
            labels = Labels(status, nvars, models=count, solves=limits.solves,
                            conflicts=limits.used_conflicts(),
                            seconds=time.monotonic() - started)
            if backbone is not None:
                labels.backbone, labels.majority = backbone, majority
            return labels

        first = limits.solve()
        if first is not True:
            return finish("unsat" if first is False else "budget")
        values = _model(solver)
        candidate = np.ones(nvars + 1, dtype=bool)
        candidate[0] = False
        seen = [values]
        candidate &= ~flippable(values, rows, lits, cnf.nclauses)
        backbone = np.zeros(nvars + 1, dtype=np.int8)
        reference = values.copy()  # the candidates' phases: those of the first model
        for v in np.flatnonzero(candidate):
            if not candidate[v]:
                continue  # dropped by a model found since the loop started
            lit = int(v) if reference[v] > 0 else -int(v)
            answer = limits.solve([-lit])
            if answer is None:
                return finish("budget")
            candidate[v] = False
            if answer is False:
                backbone[v] = reference[v]
                solver.add_clause([lit])
                continue
            values = _model(solver)
            seen.append(values)
            candidate &= (values == reference) & ~flippable(values, rows, lits, cnf.nclauses)
        majority = _majority(solver, limits, nvars, models, seed, seen[:1])
        if majority is None:
            return finish("budget")
        majority[backbone != 0] = backbone[backbone != 0]
        return finish("sat", backbone, majority, len(seen) + models)


def _model(solver: Solver) -> np.ndarray:
    values = solver.model_values()
    assert values is not None  # called after a True answer only
    return values


def _majority(solver: Solver, limits: _Limits, nvars: int, models: int, seed: int,
              first: list) -> Optional[np.ndarray]:
    """Majority phase over the first model and `models` more, each solved with
    random preferred phases (the backbone units are in: they hold in all)."""
    rng = np.random.default_rng(seed)
    total = first[0][: nvars + 1].astype(np.int64)
    for _ in range(models):
        signs = rng.integers(0, 2, nvars) * 2 - 1
        solver.set_phases((np.arange(1, nvars + 1) * signs).tolist())
        answer = limits.solve()
        if answer is not True:
            return None
        total += _model(solver)[: nvars + 1]
    majority = np.where(total >= 0, 1, -1).astype(np.int8)
    majority[0] = 0
    return majority

