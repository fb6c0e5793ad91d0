"""`satmip solve FILE.mps`: LPs through the dual simplex, MILPs through branch and bound.

Output in the style of the SAT answers: 'c' comments (for a MILP, the familiar
branch-and-bound log table), one 's' line (OPTIMAL, FEASIBLE when a limit stopped
the search with a solution, INFEASIBLE, UNBOUNDED or UNKNOWN), an 'o' line with
the objective when there is a solution; exit code 0, or 1 for bad input.
`--solution FILE` writes the solution in the MIPLIB .sol format; `--start FILE`
reads one in that format to start a MILP's search from.
"""
from __future__ import annotations

import math
import os
import time

from . import __version__
from .cli_log import LpLog, MipLog, format_bound, format_gap

_S_LINES = {"optimal": "s OPTIMAL", "infeasible": "s INFEASIBLE", "unbounded": "s UNBOUNDED"}


def is_mps_file(path: str) -> bool:
    """By name: .mps, optionally compressed (.gz, .xz, .bz2)."""
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
    start = time.perf_counter()
    model = Model.from_mps(args.file)
    comment(f"satmip {__version__} {'branch and bound' if model.is_mip and not args.relaxation else 'dual simplex'}")
    comment(f"read {os.path.basename(args.file)}: {model.num_rows} rows, {model.num_cols} columns, "
            f"{model.num_nonzeros} nonzeros, {model.num_integers} integer in {time.perf_counter() - start:.2f} s")
    for warning in model.data.warnings[:5]:
        comment(f"warning: {warning}")
    if model.is_mip and not args.relaxation:
        return _solve_mip(model, args, out, comment, start)
    if model.is_mip:
        comment("solving the LP relaxation (integrality dropped)")
    return _solve_lp(model, args, out, comment, start)


def _solve_lp(model, args, out, comment, start) -> int:
    options = {}
    if args.time_limit is not None:
        options["time_limit"] = args.time_limit
    if args.iteration_limit is not None:
        options["iteration_limit"] = args.iteration_limit
    options.update(LpLog(comment, args.progress_interval).options())
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
            write_sol(args.solution, model.data.col_names, solver.x, solver.objective)
    return 0


def _solve_mip(model, args, out, comment, start) -> int:
    log = MipLog(comment, args.progress_interval)
    options = log.callbacks()
    if args.time_limit is not None:
        options["time_limit"] = args.time_limit
    if args.node_limit is not None:
        options["node_limit"] = args.node_limit
    if args.gap is not None:
        options["gap"] = args.gap
    if args.start:
        options["start"] = read_sol(args.start, model.data.col_names)
    options["presolve"] = not args.no_presolve
    options["cuts"] = not args.no_cuts
    result = model.solve(**options)
    log.finish(result)
    if args.start:
        comment(f"start solution {'accepted' if result.start_accepted else 'rejected (infeasible)'}")
    comment("time: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.times.items()))
    comment(f"status {result.status}, {result.nodes} nodes, {result.lp_iterations} LP iterations, "
            f"dual bound {format_bound(result.dual_bound)}, gap {format_gap(result.objective, result.dual_bound)}, "
            f"solve time {result.time:.2f} s, total {time.perf_counter() - start:.2f} s")
    has_solution = len(result.x) == model.num_cols
    s_line = _S_LINES.get(result.status, "s FEASIBLE" if has_solution else "s UNKNOWN")
    out(s_line)
    if has_solution:
        out(f"o {result.objective!r}")
        if args.solution:
            write_sol(args.solution, model.data.col_names, result.x, result.objective)
    return 0


def read_sol(path: str, names) -> list:
    """A MIPLIB .sol file ('=obj= VALUE' and 'NAME VALUE' lines; '#' comments) as one value
    per column; columns it does not name are 0. Unknown names and bad or non-finite numbers raise
    ValueError with the file and line."""
    index = {name: j for j, name in enumerate(names)}
    values = [0.0] * len(names)
    with open(path) as f:
        for number, line in enumerate(f, 1):
            fields = line.split("#", 1)[0].split()
            if not fields or fields[0] == "=obj=":
                continue
            where = f"{path}:{number}"
            if len(fields) != 2:
                raise ValueError(f"{where}: expected 'NAME VALUE', got {line.strip()!r}")
            if fields[0] not in index:
                raise ValueError(f"{where}: no column named {fields[0]!r} in the model")
            try:
                value = float(fields[1])
            except ValueError:
                raise ValueError(f"{where}: {fields[1]!r} is not a number") from None
            if not math.isfinite(value):
                raise ValueError(f"{where}: {fields[1]!r} is not a finite number")
            values[index[fields[0]]] = value
    return values


def write_sol(path: str, names, values, objective: float) -> None:
    """MIPLIB .sol format: '=obj= VALUE', then 'NAME VALUE' per column (full precision)."""
    with open(path, "w") as f:
        f.write(f"=obj= {objective!r}\n")
        for name, value in zip(names, values):
            f.write(f"{name} {float(value)!r}\n")
