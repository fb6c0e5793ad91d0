"""Summaries of benchmark runs: per-solver totals, VBS, families, per instance,
and the cross-checks that flag wrong answers.

Pure functions over run records (see records.py); the tables are written by
tables.py (Summary.to_terminal / to_markdown / to_csv delegate there).

Conventions used by every table:
  * the instances are the union of the instances of the summarized records; a
    solver without a record for an instance has a *missing* run, counted as
    unsolved at that instance's time limit (and listed in the notes);
  * PAR-k is the mean over instances of (time if solved else k x time limit);
  * sgm is the shifted geometric mean exp(mean(log(t + s))) - s, unsolved runs
    counting at the time limit;
  * WRONG answers are never solved, not even for the virtual best solver.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Dict, Iterable, List, Optional, Sequence, Union

from . import tables
from .records import (
    _CLAIM_CLASS,
    LP_ITERATION_SHIFT,
    RunKey,
    incompatible_claims,
    instance_limits,
    is_solved,
    is_tie,
    latest_runs,
    solved_time,
    solver_order,
    status_of,
    time_limit_of,
)


# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------


def shifted_geometric_mean(values: Iterable[float], shift: float) -> Optional[float]:
    """exp(mean(log(v + shift))) - shift; None for no values."""
    values = list(values)
    if not values:
        return None
    logs = [math.log(max(max(v, 0.0) + shift, 1e-12)) for v in values]
    return math.exp(sum(logs) / len(logs)) - shift


# ---------------------------------------------------------------------------
# Disagreements
# ---------------------------------------------------------------------------


def disagreements(records: Iterable[dict], obj_tol: float = 1e-6) -> List[str]:
    """Loud one-line descriptions of everything that suggests a wrong answer.

    WRONG records first, then per instance (sorted): conflicting answers,
    OPTIMAL objectives that differ, answers contradicting the manifest. WRONG
    records take no part in the per-instance checks: their line says it all."""
    records = list(records)
    lines = [_wrong_line(r) for r in records if status_of(r) == "WRONG"]
    by_instance: Dict[str, List[dict]] = {}
    for record in records:
        if status_of(record) != "WRONG":
            by_instance.setdefault(record["instance"], []).append(record)
    for instance in sorted(by_instance):
        accepted = by_instance[instance]
        lines += _conflict_lines(instance, accepted)
        lines += _objective_mismatch_lines(instance, accepted, obj_tol)
        lines += _expected_contradiction_lines(instance, accepted, obj_tol)
    return lines


def _wrong_line(record: dict) -> str:
    claim = f" claimed {record['answer']}" if record.get("answer") else ""
    expected = f" (expected {record['expected']})" if record.get("expected") else ""
    error = record.get("error") or "no reason given"
    return f"WRONG ANSWER: {record['solver']} on {record['instance']}{claim}{expected}: {error}"


def _conflict_lines(instance: str, records: List[dict]) -> List[str]:
    claims = list(dict.fromkeys((r["solver"], status_of(r)) for r in records
                                if status_of(r) in _CLAIM_CLASS))
    clash = any(incompatible_claims(a[1], b[1]) for a in claims for b in claims)
    if not clash:
        return []
    said = ", ".join(f"{solver} says {status}" for solver, status in claims)
    return [f"CONFLICT on {instance}: {said}"]


def _objectives_differ(a: float, b: float, obj_tol: float) -> bool:
    return abs(a - b) > obj_tol * max(1.0, abs(a), abs(b))


def _objective_mismatch_lines(instance: str, records: List[dict], obj_tol: float) -> List[str]:
    optima = [(r["solver"], float(r["objective"])) for r in records
              if status_of(r) == "OPTIMAL" and r.get("objective") is not None]
    if len(optima) < 2:
        return []
    values = [v for _, v in optima]
    if not _objectives_differ(min(values), max(values), obj_tol):
        return []
    said = ", ".join(f"{solver}={value:.10g}" for solver, value in optima)
    return [f"OBJECTIVE MISMATCH on {instance}: all OPTIMAL but {said} (tol {obj_tol:g} relative)"]


def _expected_contradiction_lines(instance: str, records: List[dict], obj_tol: float) -> List[str]:
    lines = []
    for r in records:
        status, expected = status_of(r), r.get("expected")
        if expected and incompatible_claims(status, expected):
            lines.append(f"CONTRADICTS EXPECTED: {r['solver']} says {status} on {instance}, "
                         f"the manifest says {expected}")
        known, found = r.get("optimal_objective"), r.get("objective")
        if (status == "OPTIMAL" and known is not None and found is not None
                and _objectives_differ(float(found), float(known), obj_tol)):
            lines.append(f"CONTRADICTS KNOWN OPTIMUM: {r['solver']} says OPTIMAL {found:.10g} "
                         f"on {instance}, the manifest says {known:.10g}")
    return lines


# ---------------------------------------------------------------------------
# Summary data
# ---------------------------------------------------------------------------


@dataclass
class SolverRow:
    """Per-solver totals over all instances of the summary."""
    solver: str
    runs: int                       # records present
    solved: int
    status_counts: Dict[str, int]   # every status seen (solved or not); missing runs not included
    missing: int                    # instances without a record, counted unsolved
    par_score: float                # PAR-k: mean seconds, unsolved at k x time limit
    sgm_time: float                 # shifted geometric mean time, unsolved at the time limit
    sgm_nodes: Optional[float]      # over instances all solvers solved; None without node counts
    sgm_nodes_instances: int        # how many instances sgm_nodes covers
    cpu_total: Optional[float]
    peak_rss_max: Optional[float]
    par_ratio: Optional[float] = None   # vs the first solver (< 1: better)
    sgm_lp_iterations: Optional[float] = None   # like sgm_nodes, for simplex iterations
    sgm_lp_iterations_instances: int = 0
    sgm_ratio: Optional[float] = None
    wins: int = 0                   # instances where it is the unique fastest
    tied_wins: int = 0              # instances where it ties for fastest with others

    def count(self, status: str) -> int:
        return self.status_counts.get(status, 0)


@dataclass
class VbsRow:
    """Virtual best solver: per instance the fastest correct solved run."""
    solved: int
    par_score: float
    sgm_time: float
    times: Dict[str, Optional[float]]   # instance -> VBS time (None: nobody solved it)


@dataclass
class FamilyCell:
    solved: int
    total: int
    par_score: float


@dataclass
class InstanceCell:
    status: Optional[str]       # None: missing run
    time: Optional[float]
    answer: Optional[str] = None

    @property
    def wrong(self) -> bool:
        return self.status == "WRONG"


@dataclass
class InstanceRow:
    instance: str
    family: Optional[str]
    expected: Optional[str]
    cells: Dict[str, InstanceCell]


@dataclass
class Summary:
    solvers: List[str]
    instances: List[str]
    par: float
    time_shift: float
    node_shift: float
    rows: Dict[str, SolverRow]
    vbs: VbsRow
    families: Dict[str, Dict[str, FamilyCell]]   # family -> solver (and "VBS") -> cell; {} without families
    per_instance: List[InstanceRow]
    disagreements: List[str]
    notes: List[str] = field(default_factory=list)
    time_limits: List[float] = field(default_factory=list)   # distinct limits, sorted

    @property
    def par_label(self) -> str:
        return f"PAR-{self.par:g}"

    def to_terminal(self, per_instance: bool = False) -> str:
        return tables.render_terminal(self, per_instance)

    def to_markdown(self, header_lines: Sequence[str] = ()) -> str:
        return tables.render_markdown(self, header_lines)

    def to_csv(self, path_or_file: Union[str, Path, IO[str]]) -> None:
        tables.write_summary_csv(self, path_or_file)


# ---------------------------------------------------------------------------
# Computing the summary
# ---------------------------------------------------------------------------


def summarize(records: Iterable[dict], solvers: Optional[Sequence[str]] = None,
              par: float = 2.0, time_shift: float = 1.0, node_shift: float = 100.0,
              obj_tol: float = 1e-6) -> Summary:
    """Summary of runs; `solvers` picks and orders the columns (default: first appearance)."""
    records = list(records)
    solvers = solver_order(records, solvers)
    runs, replaced = latest_runs(records, solvers)
    instances = sorted({instance for _, instance in runs})
    limits = instance_limits(runs)
    ctx = _Context(solvers, instances, runs, limits, par)

    rows = {s: _solver_row(ctx, s, time_shift) for s in solvers}
    _add_node_sgm(ctx, rows, node_shift)
    _add_ratios(rows, solvers)
    _add_wins(ctx, rows)
    vbs = _vbs_row(ctx, time_shift)
    notes = _notes(ctx, rows, replaced, len(records) - replaced - len(runs))
    return Summary(
        solvers=solvers, instances=instances, par=par, time_shift=time_shift,
        node_shift=node_shift, rows=rows, vbs=vbs, families=_family_table(ctx, vbs),
        per_instance=_instance_rows(ctx), disagreements=disagreements(runs.values(), obj_tol),
        notes=notes, time_limits=sorted(set(limits.values())))


@dataclass
class _Context:
    solvers: List[str]
    instances: List[str]
    runs: Dict[RunKey, dict]
    limits: Dict[str, float]
    par: float

    def run(self, solver: str, instance: str) -> Optional[dict]:
        return self.runs.get((solver, instance))

    def limit(self, solver: str, instance: str) -> float:
        record = self.run(solver, instance)
        return time_limit_of(record) if record is not None else self.limits[instance]

    def par_time(self, solver: str, instance: str) -> float:
        t = solved_time(self.run(solver, instance))
        return t if t is not None else self.par * self.limit(solver, instance)

    def capped_time(self, solver: str, instance: str) -> float:
        """The time the sgm uses: unsolved runs count at the limit."""
        t = solved_time(self.run(solver, instance))
        return t if t is not None else self.limit(solver, instance)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _solver_row(ctx: _Context, solver: str, time_shift: float) -> SolverRow:
    present = [r for r in (ctx.run(solver, i) for i in ctx.instances) if r is not None]
    counts: Dict[str, int] = {}
    for record in present:
        counts[status_of(record)] = counts.get(status_of(record), 0) + 1
    cpu = [float(r["cpu"]) for r in present if r.get("cpu") is not None]
    rss = [float(r["peak_rss_mb"]) for r in present if r.get("peak_rss_mb") is not None]
    return SolverRow(
        solver=solver, runs=len(present), solved=sum(map(is_solved, present)),
        status_counts=counts, missing=len(ctx.instances) - len(present),
        par_score=_mean([ctx.par_time(solver, i) for i in ctx.instances]),
        sgm_time=shifted_geometric_mean([ctx.capped_time(solver, i) for i in ctx.instances],
                                        time_shift) or 0.0,
        sgm_nodes=None, sgm_nodes_instances=0,
        cpu_total=sum(cpu) if cpu else None, peak_rss_max=max(rss) if rss else None)


def _stat_of(record: Optional[dict], name: str) -> Optional[float]:
    value = ((record or {}).get("stats") or {}).get(name)
    return float(value) if value is not None else None


def _add_node_sgm(ctx: _Context, rows: Dict[str, SolverRow], node_shift: float) -> None:
    """sgm of B&B nodes and of LP iterations per solver."""
    # Only instances every solver solved: otherwise a solver that gives up
    # early on hard instances would look cheap.
    common = [i for i in ctx.instances if all(is_solved(ctx.run(s, i)) for s in ctx.solvers)]
    for solver, row in rows.items():
        nodes = [n for n in (_stat_of(ctx.run(solver, i), "nodes") for i in common) if n is not None]
        row.sgm_nodes = shifted_geometric_mean(nodes, node_shift)
        row.sgm_nodes_instances = len(nodes)
        iters = [n for n in (_stat_of(ctx.run(solver, i), "lp_iterations") for i in common)
                 if n is not None]
        row.sgm_lp_iterations = shifted_geometric_mean(iters, LP_ITERATION_SHIFT)
        row.sgm_lp_iterations_instances = len(iters)


def _ratio(value: Optional[float], base: Optional[float]) -> Optional[float]:
    if value is None or not base:
        return None
    return value / base


def _add_ratios(rows: Dict[str, SolverRow], solvers: List[str]) -> None:
    if not solvers:
        return
    first = rows[solvers[0]]
    for row in rows.values():
        row.par_ratio = _ratio(row.par_score, first.par_score)
        row.sgm_ratio = _ratio(row.sgm_time, first.sgm_time)


def _fastest(times: Dict[str, float]) -> List[str]:
    """Solvers tied for the fastest time (one name: a unique win)."""
    if not times:
        return []
    best = min(times.values())
    return [s for s, t in times.items() if is_tie(t, best)]


def _add_wins(ctx: _Context, rows: Dict[str, SolverRow]) -> None:
    for instance in ctx.instances:
        times = {s: solved_time(ctx.run(s, instance)) for s in ctx.solvers}
        fastest = _fastest({s: t for s, t in times.items() if t is not None})
        for solver in fastest:
            if len(fastest) == 1:
                rows[solver].wins += 1
            else:
                rows[solver].tied_wins += 1


def _vbs_time(ctx: _Context, instance: str) -> Optional[float]:
    times = [solved_time(ctx.run(s, instance)) for s in ctx.solvers]
    solved = [t for t in times if t is not None]
    return min(solved) if solved else None


def _vbs_row(ctx: _Context, time_shift: float) -> VbsRow:
    times = {i: _vbs_time(ctx, i) for i in ctx.instances}
    par_times = [t if t is not None else ctx.par * ctx.limits[i] for i, t in times.items()]
    capped = [t if t is not None else ctx.limits[i] for i, t in times.items()]
    return VbsRow(solved=sum(t is not None for t in times.values()),
                  par_score=_mean(par_times),
                  sgm_time=shifted_geometric_mean(capped, time_shift) or 0.0, times=times)


def _instance_family(ctx: _Context, instance: str) -> Optional[str]:
    for solver in ctx.solvers:
        record = ctx.run(solver, instance)
        if record is not None and record.get("family") is not None:
            return str(record["family"])
    return None


def _instance_expected(ctx: _Context, instance: str) -> Optional[str]:
    for solver in ctx.solvers:
        record = ctx.run(solver, instance)
        if record is not None and record.get("expected"):
            return record["expected"]
    return None


NO_FAMILY = "(none)"


def _family_table(ctx: _Context, vbs: VbsRow) -> Dict[str, Dict[str, FamilyCell]]:
    family_of = {i: _instance_family(ctx, i) for i in ctx.instances}
    if all(f is None for f in family_of.values()):
        return {}
    members: Dict[str, List[str]] = {}
    for instance, family in family_of.items():
        members.setdefault(family if family is not None else NO_FAMILY, []).append(instance)
    table = {}
    for family in sorted(members):
        insts = members[family]
        cells = {s: FamilyCell(solved=sum(is_solved(ctx.run(s, i)) for i in insts),
                               total=len(insts),
                               par_score=_mean([ctx.par_time(s, i) for i in insts]))
                 for s in ctx.solvers}
        vbs_par = [vbs.times[i] if vbs.times[i] is not None else ctx.par * ctx.limits[i]
                   for i in insts]
        cells["VBS"] = FamilyCell(solved=sum(vbs.times[i] is not None for i in insts),
                                  total=len(insts), par_score=_mean(vbs_par))
        table[family] = cells
    return table


def _instance_rows(ctx: _Context) -> List[InstanceRow]:
    rows = []
    for instance in ctx.instances:
        cells = {}
        for solver in ctx.solvers:
            record = ctx.run(solver, instance)
            cells[solver] = (InstanceCell(None, None) if record is None else
                             InstanceCell(status_of(record), record.get("time"),
                                          record.get("answer")))
        rows.append(InstanceRow(instance, _instance_family(ctx, instance),
                                _instance_expected(ctx, instance), cells))
    return rows


def _name_list(names: List[str], shown: int = 5) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _notes(ctx: _Context, rows: Dict[str, SolverRow], replaced: int, ignored: int) -> List[str]:
    notes = []
    for solver, row in rows.items():
        if row.missing:
            absent = [i for i in ctx.instances if ctx.run(solver, i) is None]
            notes.append(f"MISSING: {solver} has no record for {row.missing} instance(s), "
                         f"counted unsolved at the time limit: {_name_list(absent)}")
    if replaced:
        notes.append(f"{replaced} record(s) repeated a (solver, instance) pair: the last one was used")
    if ignored:
        notes.append(f"{ignored} record(s) of solvers not in the table were left out")
    return notes
