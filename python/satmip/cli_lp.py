"""`satmip solve FILE.mps`: LPs through satmip's dual simplex.

Output in the style of the SAT answers: 'c' comments, one 's' line (OPTIMAL,
INFEASIBLE, UNBOUNDED or UNKNOWN), an 'o' line with the objective when there is
one; exit code 0, or 1 for bad input. A MILP is refused until the MILP engine
exists, unless --relaxation asks for its LP relaxation.
"""
from __future__ import annotations

import os
import time

from . import __version__

_S_LINES = {"optimal": "s OPTIMAL", "infeasible": "s INFEASIBLE", "unbounded": "s UNBOUNDED"}


def is_mps_file(path: str) -> bool:
    """By name: .mps (or .qps/.lp is not supported) optionally compressed."""
    name = path.lower()
    for suffix in (".gz", ".xz", ".bz2"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name.endswith(".mps")


def solve_mps(args, out) -> int:
    from .model import Model
    for flag in ("proof", "phases"):
        if getattr(args, flag):
            raise ValueError(f"--{flag} applies to CNF files only")
    comment = (lambda text: None) if args.quiet else (lambda text: out(f"c {text}"))
    comment(f"satmip {__version__} dual simplex LP solver")
    start = time.perf_counter()
    model = Model.from_mps(args.file)
    comment(f"read {os.path.basename(args.file)}: {model.num_rows} rows, {model.num_cols} columns, "
            f"{model.num_nonzeros} nonzeros, {model.num_integers} integer in {time.perf_counter() - start:.2f} s")
    for warning in model.data.warnings[:5]:
        comment(f"warning: {warning}")
    if model.is_mip and not args.relaxation:
        raise ValueError(f"{args.file} has {model.num_integers} integer columns: the MILP engine is not "
                         f"available yet (--relaxation solves the LP relaxation)")
    if model.is_mip:
        comment("solving the LP relaxation (integrality dropped)")
    options = {}
    if args.time_limit is not None:
        options["time_limit"] = args.time_limit
    if args.iteration_limit is not None:
        options["iteration_limit"] = args.iteration_limit
    solver = model.lp_solver(**options)
    try:
        solver.solve()
    except KeyboardInterrupt:
        comment("interrupted")
    comment(f"status {solver.status}, {solver.iterations} iterations, solve time {solver.time:.3f} s, "
            f"total {time.perf_counter() - start:.2f} s")
    out(_S_LINES.get(solver.status, "s UNKNOWN"))
    if solver.status == "optimal":
        out(f"o {solver.objective!r}")
        if args.solution:
            _write_solution(args.solution, model.data.col_names, solver.x, solver.objective)
    return 0


def _write_solution(path: str, names, values, objective: float) -> None:
    """One 'name value' line per column, headed by the objective (full precision)."""
    with open(path, "w") as f:
        f.write(f"# objective {objective!r}\n")
        for name, value in zip(names, values):
            f.write(f"{name} {float(value)!r}\n")
