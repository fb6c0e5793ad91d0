"""The satmip command line: `satmip solve FILE` (DIMACS CNF or MPS, plain or compressed),
`satmip options`, `satmip bench`.

Output follows the SAT competition rules: 'c' comment lines, one 's' line,
'v' lines ending with 0; exit code 10 (SAT), 20 (UNSAT), 0 (unknown), 1 (error).
"""
from __future__ import annotations

import argparse
import contextlib
import math
import os
import signal
import sys
import threading
import time

from . import __version__
from .cli_log import FIRST_LINE_S, SatStatusLog
from .sat import Solver, presets

EXIT_SAT, EXIT_UNSAT, EXIT_UNKNOWN, EXIT_ERROR = 10, 20, 0, 1


def _out(text: str) -> None:
    """Writes a line to stdout. A reader that stops early (`| head`) must not
    change the answer or the exit code: stdout then goes to /dev/null."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def search_over() -> None:
    """The answer is known: from here on Ctrl-C is ignored, so that it cannot cut the 'v'
    lines short or add a second 's' line (main() puts the handler back)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _comment(quiet: bool, text: str) -> None:
    if not quiet:
        _out(f"c {text}")


def _read_phases(path: str, nvars: int, used: int):
    """One literal per variable (whitespace separated; 0s are ignored). Literals up to the
    header's nvars are accepted; those beyond the last variable used (`used`) are ignored."""
    import numpy as np
    phases = np.zeros(used + 1, dtype=np.int8)
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):  # a line at a time, not the whole file
            try:
                line = raw.decode("ascii")
            except UnicodeDecodeError:   # a binary file: its line, not the codec's words
                raise ValueError(f"{path}:{lineno}: not a text file of literals (a byte that is not ASCII)") from None
            _read_phase_line(path, lineno, line, nvars, used, phases)
    return phases


def _read_phase_line(path, lineno, line, nvars, used, phases) -> None:
    if not line.startswith("c"):
        for token in line.split():
            try:
                lit = int(token)
            except ValueError:
                raise ValueError(f"{path}:{lineno}: phase '{token}' is not an integer") from None
            if lit == 0:
                continue
            if abs(lit) > nvars:
                raise ValueError(f"{path}:{lineno}: phase literal {lit} exceeds the {nvars} variables")
            if abs(lit) <= used:
                phases[abs(lit)] = 1 if lit > 0 else -1


def _print_model(model: list[int]) -> None:
    out, line = [], "v"
    for lit in model + [0]:
        token = f" {lit}"
        if len(line) + len(token) > 78:
            out.append(line)
            line = "v"
        line += token
    out.append(line)
    _out("\n".join(out))


def _parse_option(text: str) -> tuple[str, str]:
    """NAME=VALUE; the value is parsed by the option's type once the file's engine is known."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"--option expects NAME=VALUE, got '{text}'")
    return name.strip(), value.strip()


# Flags that one kind of file only uses (argparse dest names).
CNF_ONLY = ("proof", "lrat", "binary_proof", "phases", "lenient", "conflict_limit", "config", "stats", "no_model",
            "phase_model", "phase_confidence", "phase_scores", "phase_initial", "phase_delay")
MPS_ONLY = ("relaxation", "solution", "start", "iteration_limit", "node_limit", "gap", "no_presolve", "no_cuts",
            "branching", "branching_model")


def flag_name(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def given_flags(args, dests) -> list[str]:
    """The flags among `dests` that the command line sets (a --no-X switch too: its
    dest defaults to None). A number 0 is set (`0 in (None, False)` would say not)."""
    given = []
    for d in dests:
        value = getattr(args, d)
        if value is False and d in SWITCHES:
            given.append("--no-" + flag_name(d)[2:])
        elif value is not None and value is not False:
            given.append(flag_name(d))
    return given


# --X / --no-X switches (dest None when neither is given).
SWITCHES = ("phase_scores", "phase_initial")


def phase_model_arguments(args) -> dict:
    """Solver keywords of --phase-model and its companions; these need --phase-model, and
    --phases FILE gives initial phases too, so the two are not taken together."""
    companions = given_flags(args, ("phase_confidence", "phase_scores", "phase_initial", "phase_delay"))
    if args.phase_model is None:
        if companions:
            raise ValueError(f"{companions[0]} needs --phase-model")
        return {}
    if args.phases:
        raise ValueError("--phases FILE and --phase-model both give initial phases: give one of them")
    if args.phase_confidence is not None and not 0.5 <= args.phase_confidence <= 1:
        raise ValueError(f"--phase-confidence must be a number in [0.5, 1], got {args.phase_confidence}")
    return {"phase_model": args.phase_model, "phase_confidence": args.phase_confidence,
            "phase_initial": args.phase_initial is not False, "phase_scores": bool(args.phase_scores),
            "phase_delay": args.phase_delay}


def _phase_delay(text: str):
    """--phase-delay: 'auto' or a number of propagations >= 0."""
    if text == "auto":
        return text
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expects 'auto' or a number of propagations >= 0, got '{text}'")
    return value


def _check_limits(args) -> None:
    """Limits must be numbers a search can stop by: no NaN, nothing negative."""
    if args.time_limit is not None and not args.time_limit >= 0:
        raise ValueError(f"--time-limit must be a number of seconds >= 0 (inf: none), got {args.time_limit}")
    for dest in ("conflict_limit", "node_limit", "iteration_limit"):
        value = getattr(args, dest)
        if value is not None and value < 0:
            raise ValueError(f"{flag_name(dest)} must be >= 0, got {value}")
    if args.gap is not None and not args.gap >= 0:
        raise ValueError(f"--gap must be a number >= 0, got {args.gap}")
    if not (args.progress_interval >= 0 and math.isfinite(args.progress_interval)):
        raise ValueError(f"--progress-interval must be a finite number of seconds >= 0, got {args.progress_interval}")


def time_left(limit, start: float):
    """What is left of --time-limit (None: no limit) after the time since `start` (the
    reading and loading of the file): the limit is on the whole run, as a harness sees it."""
    if limit is None:
        return None
    return max(0.0, limit - (time.perf_counter() - start))


def _solve_command(args) -> int:
    from .cli_input import opened_input
    _check_limits(args)
    with opened_input(args.file) as source:
        if source.kind == "mps":
            from .cli_mps import solve_mps
            return solve_mps(args, source, _out)
        return _solve_cnf(args, source)


def _solve_cnf(args, source) -> int:
    from .cli_options import parse_engine_options, set_twin
    label = source.label
    refused = given_flags(args, MPS_ONLY)
    if refused:
        raise ValueError(f"{label}: {refused[0]} applies to MPS files only (this is a CNF file)")
    quiet = args.quiet
    proof_format = None
    if args.proof:
        proof_format = ("lrat" if args.lrat else "drat") + ("-binary" if args.binary_proof else "")
    elif args.lrat or args.binary_proof:
        raise ValueError("--lrat and --binary-proof need --proof FILE")
    engine_options = parse_engine_options(args.option or [], "sat", label)
    if args.seed is not None:
        set_twin(engine_options, "seed", args.seed, "--seed", label)
    solver = Solver(config=args.config or "default", **phase_model_arguments(args), **engine_options)
    if args.proof:
        check_not_the_input(args.proof, source, "--proof")
    if proof_format:   # before the clauses go in, and before a long read
        solver.trace_proof(args.proof, proof_format)
    if args.phases:
        check_readable(args.phases)
    _comment(quiet, f"satmip {__version__} CDCL SAT solver")
    start = time.perf_counter()
    from .dimacs import read_dimacs
    # Variables beyond what the solver takes (its option maxvar) are refused at their line.
    cnf = source.read(lambda path: read_dimacs(path, strict=not args.lenient, max_var=solver.get_option("maxvar")))
    _comment(quiet, f"read {source.name}: {cnf.nvars} variables, "
                    f"{cnf.nclauses} clauses in {time.perf_counter() - start:.2f} s")
    # Sized by the variables the clauses use, not by the header: "p cnf 100000000 1"
    # with the clause "1 0" needs one variable. The 'v' lines list variables 1..max_var.
    solver.add_clauses(cnf.lits)
    if args.phases:
        solver.set_guidance(phases=_read_phases(args.phases, cnf.nvars, cnf.max_var))
    if args.phase_model is not None and solver.phase_delay == 0:
        _comment(quiet, _phase_model_line(args, solver.apply_phase_model()))
    if not quiet:
        SatStatusLog(lambda text: _out(f"c {text}"), args.progress_interval).attach(solver)
    stops: list[int] = []
    try:
        with ctrl_c_interrupts(solver, stops):
            # Not conf_budget(): as in PySAT it takes 0 for "no budget"; --conflict-limit 0
            # stops at once, as --node-limit 0 and --iteration-limit 0 do.
            conflicts = -1 if args.conflict_limit is None else args.conflict_limit
            result = solver._solve((), time_left(args.time_limit, start), conflicts, -1)
    except KeyboardInterrupt:   # a handler of the caller's own raised it
        result = None
        stops.append(signal.SIGINT)
    interrupted = bool(stops)
    search_over()
    solver.close_proof()
    elapsed = time.perf_counter() - start
    if interrupted:
        _comment(quiet, "interrupted")
    if args.phase_model is not None and solver.phase_delay != 0:
        _comment(quiet, _delayed_phase_model_line(args, solver))
    if args.stats:
        for key, value in solver.accum_stats().items():
            _out(f"c {key:<22} {value:.3f}" if isinstance(value, float) else f"c {key:<22} {value}")
    code = {True: EXIT_SAT, False: EXIT_UNSAT}.get(result, EXIT_UNKNOWN)
    _comment(quiet, f"total time {elapsed:.2f} s")
    _out({EXIT_SAT: "s SATISFIABLE", EXIT_UNSAT: "s UNSATISFIABLE"}.get(code, "s UNKNOWN"))
    if code == EXIT_SAT and not args.no_model:
        _print_model(solver.get_model())
    return code


def _phase_model_line(args, prediction) -> str:
    used = "phases" if args.phase_initial is not False else ""
    if args.phase_scores:
        used += (" and " if used else "") + "scores"
    return (f"phase model {prediction.model}: {prediction.npredicted} of {prediction.nvars} variables "
            f"at confidence {prediction.cfd:g} ({used or 'not used'}) in {prediction.seconds:.2f} s")


def _delayed_phase_model_line(args, solver) -> str:
    searched = solver.accum_stats()["phase_model_delay"]
    if solver.phase_prediction is None:
        return (f"phase model {args.phase_model}: not run, the search ended within its delay "
                f"({searched} propagations)")
    line = _phase_model_line(args, solver.phase_prediction)
    return line + f", after {searched} propagations of search" if searched else line


@contextlib.contextmanager
def ctrl_c_interrupts(solver, stops: list):
    """During the solve, Ctrl-C calls solver.interrupt() (and notes it in `stops`) instead
    of raising KeyboardInterrupt: the engine stops as for a limit and its last status
    line ('*') still comes. Only where Python's own handler is in place (not under a
    handler of the caller's, nor where SIGINT is ignored) and on the main thread."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return

    def stop(signum, frame):
        stops.append(signum)
        solver.interrupt()
    signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def check_not_the_input(path: str, source, flag: str) -> None:
    """An output file (--proof, --solution) must not be the input: writing it would destroy
    the file being solved (a --proof is opened, and truncated, before the read)."""
    try:
        same = os.path.samefile(path, source.path)
    except OSError:   # one of them does not exist (or is standard input's pipe)
        return
    if same:
        raise ValueError(f"{path}: {flag} names the input file, which it would overwrite")


def check_readable(path: str) -> None:
    """An input file named by a flag (--phases, --start) opens: checked before the solve."""
    with open(path, "rb"):
        pass


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="satmip", description="satmip: SAT, LP and MILP solver")
    parser.add_argument("--version", action="version", version=f"satmip {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    configs = ", ".join(name for name, _ in presets())
    from .learn.branch_format import FAMILIES as BRANCHING_FAMILIES
    from .mip import BRANCHING_RULES
    s = sub.add_parser("solve", help="solve a DIMACS CNF file or an MPS LP/MILP (plain, .gz, .xz, .bz2)",
                       description="Solve a DIMACS CNF file (exit code 10 SAT, 20 UNSAT, 0 unknown) or an "
                                   "LP/MILP in MPS format ('s' status line, 'o' objective line; exit code 0). "
                                   "Bad input: exit code 1 and one 'satmip: error:' line; a command line that "
                                   "does not parse: the usage and exit code 2. The kind of file is told by its "
                                   "content (compressed or not), else by its name. Flags marked CNF or MPS are "
                                   "refused for the other kind.")
    s.add_argument("file", help="DIMACS CNF or MPS file, plain or compressed; - for standard input")
    s.add_argument("--time-limit", type=float, default=None,
                   help="wall-clock limit in seconds, reading the file included (inf: none)")
    s.add_argument("--conflict-limit", type=int, default=None, help="CNF: stop after this many conflicts")
    s.add_argument("--seed", type=int, default=None, help="random seed (every engine)")
    s.add_argument("--config", default=None, help=f"CNF: named configuration: {configs}")
    s.add_argument("--option", "-O", action="append", type=_parse_option, metavar="NAME=VALUE",
                   help="set an option of the file's engine (SAT, LP or MILP; see 'satmip options'); "
                        "given with its twin flag (--seed, --gap, --no-presolve, --no-cuts), the two must agree")
    s.add_argument("--proof", metavar="FILE", help="CNF: write a proof of unsatisfiability (DRAT by default)")
    s.add_argument("--lrat", action="store_true", help="CNF: write the proof in LRAT instead of DRAT")
    s.add_argument("--binary-proof", action="store_true", help="CNF: write the proof in binary format")
    s.add_argument("--phases", metavar="FILE", help="CNF: initial phases: one literal per variable")
    s.add_argument("--phase-model", metavar="MODEL",
                   help="CNF: initial phases predicted from the formula (see --phase-delay for when): 'default' (the "
                        "model shipped with satmip), a model file (.npz), or the baselines 'jw' "
                        "(Jeroslow-Wang) and 'polarity' (occurrence counts); its time is part of the run's")
    s.add_argument("--phase-confidence", type=float, metavar="CFD",
                   help="CNF: only variables the model is at least CFD sure of (in [0.5, 1]) get a phase "
                        "(NeuroBack's cfd; default 0.9 for a model, 0.5 for jw and polarity)")
    s.add_argument("--phase-scores", action=argparse.BooleanOptionalAction, default=None,
                   help="CNF: the model's confidence |2p - 1| as initial activity, the surest variables "
                        "decided first (default: no)")
    s.add_argument("--phase-initial", action=argparse.BooleanOptionalAction, default=None,
                   help="CNF: the predicted phases as initial phases and target of the 'original' rephase "
                        "(default: yes)")
    s.add_argument("--phase-delay", type=_phase_delay, default=None, metavar="auto|N",
                   help="CNF: search N propagations before the model runs, and run it only if the formula "
                        "is still open then; 'auto' (default): as many as its inference is estimated to cost "
                        "(0 for jw and polarity); 0: before the search")
    s.add_argument("--lenient", action="store_true",
                   help="CNF: accept more variables or clauses than the header declares")
    s.add_argument("--stats", action="store_true", help="CNF: print statistics as 'c' lines")
    s.add_argument("--quiet", "-q", action="store_true",
                   help="print only the answer: the 's' line and the 'v' or 'o' lines")
    s.add_argument("--progress-interval", type=float, default=FIRST_LINE_S, metavar="SECONDS",
                   help="first status line (table row) after SECONDS, then at gaps doubling up to 10 s; "
                        "0: at every check (default %(default)s)")
    s.add_argument("--no-model", action="store_true", help="CNF: do not print the 'v' lines")
    s.add_argument("--iteration-limit", type=int, default=None, help="MPS, LP: stop after this many simplex iterations")
    s.add_argument("--relaxation", action="store_true", help="MPS: solve a MILP's LP relaxation")
    s.add_argument("--node-limit", type=int, default=None, help="MPS, MILP: stop branch and bound after N nodes")
    s.add_argument("--gap", type=float, default=None, help="MPS, MILP: relative gap to stop at (default 1e-4)")
    s.add_argument("--solution", metavar="FILE",
                   help="MPS: write the solution (MIPLIB .sol format; checked before solving, "
                        "written only when there is a solution)")
    s.add_argument("--start", metavar="FILE", help="MPS, MILP: a solution to start from (MIPLIB .sol format)")
    s.add_argument("--no-presolve", action="store_true", help="MPS, MILP: search the model as given (-O presolve=0)")
    s.add_argument("--no-cuts", action="store_true", help="MPS, MILP: no cutting planes at the root (-O cuts=0)")
    s.add_argument("--branching", metavar="RULE", default=None,
                   help="MPS, MILP: branching rule (-O branching=RULE): " + ", ".join(BRANCHING_RULES) +
                        " (gnn: the learned GCNN of --branching-model)")
    s.add_argument("--branching-model", metavar="MODEL", default=None,
                   help="MPS, MILP, --branching gnn: the GCNN's weights: a family's shipped model (" +
                        ", ".join(BRANCHING_FAMILIES) + ") or an .npz file; -O gnn_max_depth=N: the GCNN "
                        "down to depth N, the pseudocost rule deeper")
    lst = sub.add_parser("options", help="list the SAT, LP and MILP options and the SAT configurations")
    lst.set_defaults(command="options")
    b = sub.add_parser("bench", help="run solvers side by side on a benchmark set, verify, report",
                       description="Run solvers side by side on a benchmark set, verify every answer, "
                                   "report tables and plots. Resumes from the results file. Exit code 0, "
                                   "1 when an answer is wrong or solvers disagree, 2 for a bad configuration.")
    from .bench.cli import add_arguments
    add_arguments(b)
    return parser


def _list_options() -> int:
    from .cli_options import listing
    for line in listing(presets()):
        _out(line)
    return 0


def _error_line(text: str) -> None:
    """One 'satmip: error:' line, written without allocating much: after a MemoryError
    an f-string or print() may fail again."""
    try:
        sys.stderr.write("satmip: error: " + text + "\n")
        sys.stderr.flush()
    except MemoryError:
        os.write(2, b"satmip: error: out of memory\n")


def _one_line(exc: Exception) -> str:
    """An error as one line: 'FILE: reason' for an OSError about a file (not Python's
    "[Errno 2] No such file or directory: 'x'"), the message otherwise."""
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        text = f"{exc.filename}: {exc.strerror}"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split("\n"))


def main(argv=None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    on_main_thread = threading.current_thread() is threading.main_thread()
    sigint_handler = signal.getsignal(signal.SIGINT) if on_main_thread else None
    try:
        return _main(args, argv)
    finally:
        if on_main_thread and sigint_handler is not None:   # search_over() ignored it
            signal.signal(signal.SIGINT, sigint_handler)


def _main(args, argv) -> int:
    try:
        if args.command == "options":
            return _list_options()
        if args.command == "bench":
            from .bench.cli import main as bench_main
            words = list(sys.argv[1:] if argv is None else argv)
            return bench_main(args, words[words.index("bench") + 1:])
        return _solve_command(args)
    except (ValueError, OSError, RuntimeError) as exc:
        _error_line(_one_line(exc))
        return EXIT_ERROR
    except MemoryError as exc:  # Python's own, or std::bad_alloc from the engines
        detail = str(exc)
        if not detail or detail == "std::bad_alloc":
            detail = "cannot allocate memory"
        _error_line(f"out of memory ({detail})")
        return EXIT_ERROR
    except KeyboardInterrupt:   # before or between the solves (reading, building)
        _comment(getattr(args, "quiet", False), "interrupted")
        _out("s UNKNOWN")
        return EXIT_UNKNOWN


if __name__ == "__main__":
    sys.exit(main())
