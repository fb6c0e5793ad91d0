"""Run records: status classes, small helpers over records, and loading a results file.

A record is a dict, one per (solver, instance) run (see SCHEMA.md). Nothing
here runs a solver or needs satmip's compiled core.
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

SOLVED = frozenset({"SAT", "UNSAT", "OPTIMAL", "INFEASIBLE", "UNBOUNDED"})
UNSOLVED = frozenset({"FEASIBLE", "UNKNOWN", "TIMEOUT", "MEMOUT", "ERROR", "WRONG"})
# Column order of the status counts (solved first, then the ways to fail).
STATUS_ORDER = ("SAT", "UNSAT", "OPTIMAL", "INFEASIBLE", "UNBOUNDED",
                "FEASIBLE", "UNKNOWN", "TIMEOUT", "MEMOUT", "ERROR", "WRONG")

# What each claim says about the instance; see incompatible_claims().
_CLAIM_CLASS = {"SAT": "feasible", "FEASIBLE": "feasible", "OPTIMAL": "bounded",
                "UNBOUNDED": "unbounded", "UNSAT": "infeasible", "INFEASIBLE": "infeasible"}

# Two times within 1% or 0.01 s of each other are a tie (timer noise).
TIE_REL = 0.01
TIE_ABS = 0.01
# Shift of the geometric mean of LP iterations (an LP takes tens to thousands).
LP_ITERATION_SHIFT = 10.0

RunKey = Tuple[str, str]  # (solver, instance)


# ---------------------------------------------------------------------------
# Small record helpers (shared with plots.py)
# ---------------------------------------------------------------------------


def status_of(record: dict) -> str:
    return record.get("status") or "UNKNOWN"


def is_solved(record: Optional[dict]) -> bool:
    return record is not None and status_of(record) in SOLVED


def time_limit_of(record: dict) -> float:
    limit = record.get("time_limit")
    if limit is None:
        raise ValueError(f"record without time_limit: {record.get('key') or record}")
    return float(limit)


def solved_time(record: Optional[dict]) -> Optional[float]:
    """Solver time of a solved run, None for unsolved and missing runs."""
    if not is_solved(record):
        return None
    t = record.get("time")
    if t is None:  # should not happen for a solved run; wall time is the honest fallback
        t = record.get("wall")
    return float(t) if t is not None else time_limit_of(record)


def is_tie(a: float, b: float) -> bool:
    return abs(a - b) <= max(TIE_ABS, TIE_REL * min(a, b))


def solver_order(records: Sequence[dict], solvers: Optional[Sequence[str]] = None) -> List[str]:
    """The given solvers, else the solvers in order of first appearance."""
    if solvers is not None:
        return list(dict.fromkeys(solvers))
    return list(dict.fromkeys(r["solver"] for r in records))


def latest_runs(records: Iterable[dict], solvers: Optional[Sequence[str]] = None
                ) -> Tuple[Dict[RunKey, dict], int]:
    """{(solver, instance): record}, the last record winning; also how many were replaced.

    Records of solvers not in `solvers` (when given) are left out."""
    wanted = None if solvers is None else set(solvers)
    runs: Dict[RunKey, dict] = {}
    replaced = 0
    for record in records:
        if wanted is not None and record["solver"] not in wanted:
            continue
        key = (record["solver"], record["instance"])
        replaced += key in runs
        runs[key] = record
    return runs, replaced


def instance_limits(runs: Dict[RunKey, dict]) -> Dict[str, float]:
    """Each instance's time limit: the largest among its runs (used for missing runs)."""
    limits: Dict[str, float] = {}
    for (_, instance), record in runs.items():
        limits[instance] = max(limits.get(instance, 0.0), time_limit_of(record))
    return limits


def incompatible_claims(a: str, b: str) -> bool:
    """True when two answers cannot both be right about the same instance.

    A solution found contradicts infeasibility; a proven optimum contradicts
    unboundedness. SAT/FEASIBLE only say a solution exists."""
    ca, cb = _CLAIM_CLASS.get(a), _CLAIM_CLASS.get(b)
    if ca is None or cb is None:
        return False
    if (ca == "infeasible") != (cb == "infeasible"):
        return True
    return {ca, cb} == {"bounded", "unbounded"}


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def load_records(path: Union[str, Path]) -> List[dict]:
    """Records of a JSON Lines results file.

    A line that is not valid JSON is a run cut off mid-write by a crash and is
    skipped with a warning when it is the last line, or when it starts like a
    record ("{"): after a crash the store starts the next record on a fresh
    line, so a torn record can sit in the middle. Anything else is corruption:
    ValueError. When a key appears more than once the last record wins (a
    rerun), kept at the position of the first so the solver order stays stable."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    by_key: Dict[object, dict] = {}
    for position, (lineno, line) in enumerate(numbered):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            if position == len(numbered) - 1 or line.lstrip().startswith("{"):
                warnings.warn(f"{path}:{lineno}: skipping a truncated record, "
                              f"a run cut off by a crash ({err})", stacklevel=2)
                continue
            raise ValueError(f"{path}:{lineno}: not valid JSON ({err})") from None
        if not isinstance(record, dict):
            raise ValueError(f"{path}:{lineno}: a record must be a JSON object")
        # Records without a key cannot be recognised as reruns: keep them all.
        key = record.get("key")
        by_key[key if key is not None else ("line", lineno)] = record
    return list(by_key.values())
