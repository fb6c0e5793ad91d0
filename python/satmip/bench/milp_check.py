"""Check a MILP/LP point against a problem read by `satmip.bench.mps`.

Feasibility rule (the same scale as HiGHS's and SCIP's default 1e-6 tolerances):

* a row or column bound is met when its violation v (how far the activity or value
  lies outside the bound) satisfies ``v <= tol * max(1, |bound|)``; the scaled
  violation ``v / max(1, |bound|)`` is what `MilpCheck.max_violation` reports;
* an integer column x is integral when ``|x - round(x)| <= tol`` (absolute, like
  HiGHS's ``mip_feasibility_tolerance``);
* the objective ``c.x + constant`` (in the file's sense) matches a reported value
  when ``|objective - reported| <= obj_tol * max(1, |reported|)``.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from .mps import MpsProblem

__all__ = ["MilpCheck", "check_solution", "compare_objective"]

# Enough to see what is wrong without flooding a results file.
MAX_PROBLEMS_LISTED = 10


@dataclass
class MilpCheck:
    ok: bool  # feasible within tolerance and objective consistent
    max_violation: float  # largest scaled violation over rows, bounds and integrality
    objective: float  # c.x + constant recomputed, in the file's sense (nan if x is unusable)
    problems: list[str] = field(default_factory=list)  # human-readable, worst violations first, objective last


@dataclass
class _Violation:
    scaled: float
    text: str


def compare_objective(found, known, tol: float = 1e-6) -> bool:
    """True when |found - known| <= tol * max(1, |known|); False for None or NaN."""
    if found is None or known is None:
        return False
    found, known = float(found), float(known)
    if math.isnan(found) or math.isnan(known):
        return False
    if math.isinf(found) or math.isinf(known):
        return found == known
    return abs(found - known) <= tol * max(1.0, abs(known))


def check_solution(
    problem: MpsProblem,
    x,
    reported_objective: Optional[float] = None,
    tol: float = 1e-6,
    obj_tol: float = 1e-6,
) -> MilpCheck:
    """Check point x (a sequence of num_cols values in column order, or a mapping
    column name -> value where missing columns are 0) for feasibility and, if
    `reported_objective` is given, objective consistency. See the module docstring
    for the tolerance rule."""
    values, input_problem = _as_point(problem, x)
    if input_problem is not None:
        return MilpCheck(ok=False, max_violation=math.inf, objective=math.nan, problems=[input_problem])
    checks = (
        _column_bound_violations(problem, values, tol),
        _row_violations(problem, values, tol),
        _integrality_violations(problem, values, tol),
    )
    max_violation = max(largest for largest, _ in checks)
    problems = _summarise([found for _, found in checks])
    objective = problem.objective_value(values)
    if reported_objective is not None and not compare_objective(objective, reported_objective, obj_tol):
        problems.append(f"objective {_fmt(objective)} differs from reported {_fmt(reported_objective)}")
    return MilpCheck(ok=not problems, max_violation=max_violation, objective=objective, problems=problems)


def _as_point(problem: MpsProblem, x) -> tuple:
    """(values as float64 array, None) or (None, why x cannot be checked)."""
    if isinstance(x, Mapping):
        return _point_from_mapping(problem, x)
    try:
        values = np.asarray(x, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError) as error:
        return None, f"solution is not a vector of numbers: {error}"
    if values.size != problem.num_cols:
        return None, f"solution has {values.size} values, the problem has {problem.num_cols} columns"
    not_finite = np.flatnonzero(~np.isfinite(values))
    if not_finite.size:
        j = int(not_finite[0])
        return None, f"column {problem.col_names[j]} is {values[j]} ({not_finite.size} values are not finite)"
    return values, None


def _point_from_mapping(problem: MpsProblem, x: Mapping) -> tuple:
    index = {name: j for j, name in enumerate(problem.col_names)}
    unknown = [name for name in x if name not in index]
    if unknown:
        return None, f"solution names {len(unknown)} unknown column(s), e.g. {unknown[0]!r}"
    values = np.zeros(problem.num_cols)
    for name, value in x.items():
        values[index[name]] = value
    return _as_point(problem, values)


def _bound_scale(bound: np.ndarray) -> np.ndarray:
    return np.maximum(1.0, np.abs(bound))


def _side_violations(values, lower, upper, tol, describe) -> tuple:
    """(largest scaled violation, violations above tol) of lower <= values <= upper;
    each violation is scaled by max(1, |bound|)."""
    with np.errstate(invalid="ignore"):  # inf / inf on infinite bounds, zeroed just below
        below = (lower - values) / _bound_scale(lower)
        above = (values - upper) / _bound_scale(upper)
    below[~np.isfinite(lower)] = 0.0  # infinite bounds cannot be violated by finite values
    above[~np.isfinite(upper)] = 0.0
    found = [
        _Violation(float(below[i]), describe(i, values[i], "<", "lower", lower[i])) for i in np.flatnonzero(below > tol)
    ]
    found += [
        _Violation(float(above[i]), describe(i, values[i], ">", "upper", upper[i])) for i in np.flatnonzero(above > tol)
    ]
    largest = float(max(below.max(initial=0.0), above.max(initial=0.0)))
    return largest, found


def _column_bound_violations(problem: MpsProblem, values, tol) -> tuple:
    def describe(j, value, relation, side, bound):
        gap = _fmt(value - bound, signed=True)
        return f"column {problem.col_names[j]}: value {_fmt(value)} {relation} {side} {_fmt(bound)} ({gap})"

    return _side_violations(values, problem.col_lower, problem.col_upper, tol, describe)


def _row_violations(problem: MpsProblem, values, tol) -> tuple:
    def describe(i, activity, relation, side, bound):
        gap = _fmt(activity - bound, signed=True)
        return f"row {problem.row_names[i]}: activity {_fmt(activity)} {relation} {side} {_fmt(bound)} ({gap})"

    return _side_violations(problem.row_activity(values), problem.row_lower, problem.row_upper, tol, describe)


def _integrality_violations(problem: MpsProblem, values, tol) -> tuple:
    fractionality = np.abs(values - np.round(values))
    fractionality[~problem.integer] = 0.0
    found = [
        _Violation(float(fractionality[j]), f"column {problem.col_names[j]} must be integer, is {_fmt(values[j])}")
        for j in np.flatnonzero(fractionality > tol)
    ]
    return float(fractionality.max(initial=0.0)), found


def _summarise(found_by_kind: list) -> list:
    """The worst violations first, always including the worst of each kind
    (bounds, rows, integrality) so that one kind cannot hide another."""
    by_severity = [sorted(found, key=lambda v: -v.scaled) for found in found_by_kind]
    shown = [found[0] for found in by_severity if found]
    rest = sorted((v for found in by_severity for v in found[1:]), key=lambda v: -v.scaled)
    shown += rest[: max(0, MAX_PROBLEMS_LISTED - len(shown))]
    shown.sort(key=lambda v: -v.scaled)
    texts = [violation.text for violation in shown]
    hidden = sum(len(found) for found in by_severity) - len(shown)
    if hidden:
        texts.append(f"... and {hidden} more violations")
    return texts


def _fmt(value, signed: bool = False) -> str:
    return format(float(value), "+.10g" if signed else ".10g")
