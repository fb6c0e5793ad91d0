"""`satmip solve FILE.mps`: LPs through the dual simplex, MILPs through branch and bound.

Output in the style of the SAT answers: 'c' comments (for a MILP, the familiar
branch-and-bound log table), one 's' line (OPTIMAL, FEASIBLE when a limit stopped
the search with a solution, INFEASIBLE, UNBOUNDED or UNKNOWN), an 'o' line with
the objective when there is a solution; exit code 0, or 1 for bad input.
`--solution FILE` writes the solution in the MIPLIB .sol format; `--start FILE`
reads one in that format to start a MILP's search from. Ctrl-C stops the search and
reports what was found, as a time limit does ('c interrupted').
"""
from __future__ import annotations

import math
import os
import time

from . import __version__
from .cli import search_over, time_left
from .cli_log import LpLog, MipLog, format_bound, format_gap

_S_LINES = {"optimal": "s OPTIMAL", "infeasible": "s INFEASIBLE", "unbounded": "s UNBOUNDED"}
MILP_ONLY = ("node_limit", "gap", "start", "no_presolve", "no_cuts", "branching", "branching_model")
LP_ONLY = ("iteration_limit",)


def solve_mps(args, source, out) -> int:
    from .cli import CNF_ONLY, flag_name, given_flags
    from . import _core
    from .model import Model
    label = source.label
    refused = given_flags(args, CNF_ONLY)
    if refused:
        raise ValueError(f"{label}: {refused[0]} applies to CNF files only (this is an MPS file)")
    if args.solution:
        from .cli import check_not_the_input
        check_not_the_input(args.solution, source, "--solution")
        check_writable(args.solution)
    if args.start:
        from .cli import check_readable
        check_readable(args.start)
    comment = (lambda text: None) if args.quiet else (lambda text: out(f"c {text}"))
    start = time.perf_counter()
    model = source.read(Model.from_mps)
    try:   # the engines' own check (lp::check_model), made here so that the error names the file
        _core.check_model(model.data.to_dict(), label)
    except ValueError as exc:
        raise ValueError(f"{exc} (in MPS, a bound or right-hand side of magnitude 1e30 or more "
                         "is infinite)") from None
    milp = model.is_mip and not args.relaxation
    for dest in (LP_ONLY if milp else MILP_ONLY):
        if getattr(args, dest) not in (None, False):
            what = "the branch and bound of a MILP" if dest in MILP_ONLY else "LPs and --relaxation"
            raise ValueError(f"{label}: {flag_name(dest)} applies to {what} only (this is "
                             f"{'a MILP' if milp else 'solved as an LP'})")
    from .cli_options import parse_engine_options, set_twin
    engine_options = parse_engine_options(args.option or [], "milp" if milp else "lp", label)
    if args.seed is not None:
        set_twin(engine_options, "seed", args.seed, "--seed", label)
    if milp and args.gap is not None:
        set_twin(engine_options, "gap", args.gap, "--gap", label)
    if milp and args.no_presolve:
        set_twin(engine_options, "presolve", False, "--no-presolve", label)
    if milp and args.no_cuts:
        set_twin(engine_options, "cuts", False, "--no-cuts", label)
    if milp and args.branching is not None:
        from .mip import BRANCHING_RULES
        if args.branching not in BRANCHING_RULES:
            raise ValueError(f"{label}: --branching {args.branching}: expected one of {', '.join(BRANCHING_RULES)}")
        set_twin(engine_options, "branching", args.branching, "--branching", label)
    branching_model = _branching_model(args, engine_options) if milp else None
    comment(f"satmip {__version__} {'branch and bound' if milp else 'dual simplex'}")
    comment(f"read {source.name}: {model.num_rows} rows, {model.num_cols} columns, "
            f"{model.num_nonzeros} nonzeros, {model.num_integers} integer in {time.perf_counter() - start:.2f} s")
    for warning in model.data.warnings[:5]:
        comment(f"warning: {source.relabel(warning)}")
    if milp:
        return _solve_mip(model, args, engine_options, out, comment, start, branching_model)
    if model.is_mip:
        comment("solving the LP relaxation (integrality dropped)")
    return _solve_lp(model, args, engine_options, out, comment, start, label)


def _solve_lp(model, args, options, out, comment, start, label) -> int:
    if args.time_limit is not None:
        options["time_limit"] = time_left(args.time_limit, start)
    if args.iteration_limit is not None:
        options["iteration_limit"] = args.iteration_limit
    options.update(LpLog(comment, args.progress_interval).options())
    try:
        solver = model.lp_solver(**options)
    except ValueError as exc:   # the engine's model check (lp::check_model)
        raise ValueError(f"{label}: {exc}") from None
    solver.solve()   # Ctrl-C stops it: status interrupted
    search_over()
    if solver.status == "interrupted":
        comment("interrupted")
    comment(f"status {solver.status}, {solver.iterations} iterations, solve time {solver.time:.3f} s, "
            f"total {time.perf_counter() - start:.2f} s")
    out(_S_LINES.get(solver.status, "s UNKNOWN"))
    if solver.status == "optimal":
        out(f"o {format_value(solver.objective)}")
        if args.solution:
            write_sol(args.solution, model.data.col_names, solver.x, solver.objective)
    return 0


def _branching_model(args, options: dict):
    """The loaded GCNN of --branching-model (checked before the solve: a bad file is one
    error line), None without; each of --branching gnn and --branching-model needs the other."""
    gnn = options.get("branching") == "gnn"
    if args.branching_model is None:
        if gnn:
            raise ValueError("--branching gnn needs --branching-model NAME|FILE (a family's shipped model: "
                             "setcover, cauctions, facilities, indset; or a model file)")
        return None
    if not gnn:
        raise ValueError("--branching-model needs --branching gnn")
    from .learn.branch_format import model_of
    return model_of(args.branching_model)


def _solve_mip(model, args, options, out, comment, start, branching_model=None) -> int:
    if args.start:   # its errors before the log starts
        options["start"] = read_sol(args.start, model.data.col_names)
    if branching_model is not None:
        options["branching_model"] = branching_model
        depth = options.get("gnn_max_depth")
        comment(f"branching model {branching_model.path} (emb {branching_model.emb}"
                f"{', ' + branching_model.header['family'] if branching_model.header.get('family') else ''})"
                f"{f', at depth <= {depth}' if depth is not None else ''}")
    log = MipLog(comment, args.progress_interval)
    options.update(log.callbacks())
    if args.time_limit is not None:
        options["time_limit"] = time_left(args.time_limit, start)
    if args.node_limit is not None:
        options["node_limit"] = args.node_limit
    result = model.solve(**options)   # Ctrl-C stops it: status interrupted, with the incumbent
    search_over()
    log.finish(result)
    if result.status == "interrupted":
        comment("interrupted")
    if result.message:
        comment(f"error: {result.message}")
    if args.start:
        comment(f"start solution {'accepted' if result.start_accepted else 'rejected (infeasible)'}")
    comment("time: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.times.items()))
    if branching_model is not None:
        calls, seconds = result.branching_model_calls, result.times["branching_model"]
        each = f" ({1e6 * seconds / calls:.0f} us each)" if calls else ""
        comment(f"branching model: {calls} forward passes, {seconds:.3f} s{each}")
    comment(f"status {result.status}, {result.nodes} nodes, {result.lp_iterations} LP iterations, "
            f"dual bound {format_bound(result.dual_bound)}, gap {format_gap(result.objective, result.dual_bound)}, "
            f"solve time {result.time:.2f} s, total {time.perf_counter() - start:.2f} s")
    has_solution = len(result.x) == model.num_cols
    s_line = _S_LINES.get(result.status, "s FEASIBLE" if has_solution else "s UNKNOWN")
    out(s_line)
    if has_solution:
        out(f"o {format_value(result.objective)}")
        if args.solution:
            write_sol(args.solution, model.data.col_names, result.x, result.objective)
    return 0


def format_value(value: float) -> str:
    """A value at full precision (repr), with -0.0 written 0.0."""
    return repr(float(value) + 0.0)


def check_writable(path: str) -> None:
    """--solution is checked before the solve, without creating the file: a directory
    that exists and is writable, and no directory in the file's place. (It is written
    only when there is a solution; a file from an earlier run is otherwise left as is.)"""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ValueError(f"{path}: cannot write the solution: it is a directory")
    if not os.path.isdir(folder):
        raise ValueError(f"{path}: cannot write the solution: no directory {folder}")
    target = path if os.path.exists(path) else folder
    if not os.access(target, os.W_OK):
        raise ValueError(f"{path}: cannot write the solution: permission denied")


def read_sol(path: str, names) -> list:
    """A MIPLIB .sol file ('=obj= VALUE' and 'NAME VALUE' lines; '#' comments) as one value
    per column; columns it does not name are 0. Unknown names and bad or non-finite numbers raise
    ValueError with the file and line."""
    index = {name: j for j, name in enumerate(names)}
    values = [0.0] * len(names)
    with open(path, "rb") as f:   # decoded a line at a time: an error names its line
        for number, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:   # a binary file: its line, not the codec's words
                raise ValueError(f"{path}:{number}: not a text .sol file (a byte that is not UTF-8)") from None
            _read_sol_line(path, number, line, index, values)
    return values


def _read_sol_line(path: str, number: int, line: str, index: dict, values: list) -> None:
    fields = line.split("#", 1)[0].split()
    if not fields or fields[0] == "=obj=":
        return
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


def write_sol(path: str, names, values, objective: float) -> None:
    """MIPLIB .sol format: '=obj= VALUE', then 'NAME VALUE' per column (full precision, no -0.0)."""
    with open(path, "w") as f:
        f.write(f"=obj= {format_value(objective)}\n")
        for name, value in zip(names, values):
            f.write(f"{name} {format_value(value)}\n")
