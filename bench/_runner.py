"""Run one (solver, instance) pair in a fresh child process and judge its answer.

Two halves live here because they share one small message protocol:

* the child (``python bench/_runner.py --worker SOLVER PATH LIMIT FD``) reads the
  file, times loading + solving only, verifies a model, and reports each phase
  as one JSON line on the pipe FD ("parsed", "solved", "done" or "error");
* the parent (``run_one``) starts the child, kills it when a phase overruns its
  allowance, and turns the messages, exit status and rusage into one record.

A separate pipe is used instead of stdout so that solver chatter on stdout or
stderr can never corrupt the protocol.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

# The parent kills a child this long after the time limit (CaDiCaL and Kissat in
# PySAT ignore interrupt(), so the kill is their only stop).
KILL_GRACE_S = 1.0
# Importing the solver and parsing the file are not timed, but must not hang.
PARSE_ALLOWANCE_S = 60.0
# Checking a model is not timed either; large files need a few seconds.
VERIFY_ALLOWANCE_S = 120.0
# A solver that gives up (returns None) this close to the limit timed out.
TIMEOUT_TOLERANCE = 0.99

STATUSES = ("SAT", "UNSAT", "UNKNOWN", "TIMEOUT", "CRASH", "WRONG")


# --------------------------------------------------------------------------
# solver names
# --------------------------------------------------------------------------

def parse_solver(spec: str) -> tuple[str, str | None]:
    """'satmip:fast' -> ('satmip', 'fast'); 'minisat22' -> ('minisat22', None)."""
    name, _, config = spec.partition(":")
    return name, (config or None)


def is_satmip(spec: str) -> bool:
    return parse_solver(spec)[0] == "satmip"


# --------------------------------------------------------------------------
# child side
# --------------------------------------------------------------------------

class PysatBackend:
    """Any PySAT solver; MiniSat-like ones are stopped with interrupt()."""

    def __init__(self, name: str):
        self.name = name

    def read(self, path: str):
        from pysat.formula import CNF
        return CNF(from_file=path)

    def solve(self, cnf, limit: float):
        from pysat.solvers import Solver
        t0 = time.perf_counter()
        solver = Solver(name=self.name, bootstrap_with=cnf.clauses)
        remaining = limit - (time.perf_counter() - t0)
        if remaining <= 0:
            return None, time.perf_counter() - t0, None
        timer = threading.Timer(remaining, _interrupt_quietly, args=(solver,))
        timer.daemon = True
        timer.start()
        answer = solver.solve_limited(expect_interrupt=True)
        elapsed = time.perf_counter() - t0
        timer.cancel()
        model = solver.get_model() if answer is True else None
        return answer, elapsed, model


def _interrupt_quietly(solver) -> None:
    # CaDiCaL/Kissat raise NotImplementedError here; the parent's kill stops them.
    try:
        solver.interrupt()
    except NotImplementedError:
        pass


class SatmipBackend:
    """satmip's own reader and solver, configured by name."""

    def __init__(self, config: str | None):
        import satmip  # an ImportError here is reported as CRASH by the parent
        self.satmip = satmip
        self.config = config

    def read(self, path: str):
        import numpy as np
        reader = getattr(self.satmip, "read_dimacs", None)
        if reader is not None:
            formula = reader(path)
            if hasattr(formula, "nvars") and hasattr(formula, "lits"):
                return formula.nvars, np.asarray(formula.lits, dtype=np.int32)
        # The attribute API may not exist yet; the raw binding returns a tuple.
        nvars, lits, _nclauses = self.satmip._core.read_dimacs(path)
        return nvars, np.asarray(lits, dtype=np.int32)

    def solve(self, formula, limit: float):
        _nvars, lits = formula
        kwargs = {"seed": 0}
        if self.config is not None:
            kwargs["config"] = self.config
        t0 = time.perf_counter()
        solver = self.satmip.Solver(**kwargs)
        solver.add_clauses(lits)
        remaining = limit - (time.perf_counter() - t0)
        if remaining <= 0:
            return None, time.perf_counter() - t0, None
        answer = solver.solve_limited(time_limit=remaining, expect_interrupt=True)
        elapsed = time.perf_counter() - t0
        model = list(solver.get_model()) if answer is True else None
        return answer, elapsed, model


def make_backend(spec: str):
    name, config = parse_solver(spec)
    if name == "satmip":
        return SatmipBackend(config)
    if config is not None:
        raise ValueError(f"only satmip takes a configuration: {spec!r}")
    return PysatBackend(name)


def flat_clauses(clauses):
    """PySAT clause lists -> one int64 array of 0-terminated clauses."""
    import itertools
    import numpy as np
    chained = itertools.chain.from_iterable(itertools.chain(c, (0,)) for c in clauses)
    return np.fromiter(chained, dtype=np.int64)


def check_model(lits, model) -> str | None:
    """None if `model` satisfies every 0-terminated clause in `lits`, else why not.

    An unassigned variable satisfies no literal, so a partial model that leaves
    a clause undecided is rejected too.
    """
    import numpy as np
    lits = np.asarray(lits, dtype=np.int64)
    if lits.size == 0:
        return None
    if lits[-1] != 0:
        lits = np.append(lits, 0)
    m = np.asarray(model, dtype=np.int64)
    m = m[m != 0]
    size = int(max(np.abs(lits).max(), np.abs(m).max() if m.size else 0)) + 1
    value = np.zeros(size, dtype=np.int8)  # 0 unassigned, +1 true, -1 false
    value[np.abs(m)] = np.sign(m)
    if np.any(value[np.abs(m)] != np.sign(m)):
        return "model assigns some variable both true and false"
    lit_true = (value[np.abs(lits)] * np.sign(lits)) > 0
    ends = np.flatnonzero(lits == 0)
    starts = np.concatenate(([0], ends[:-1] + 1))
    # reduceat over [start, end]: the terminator (never true) keeps empty clauses false.
    satisfied = np.maximum.reduceat(lit_true.astype(np.int8), starts)
    bad = np.flatnonzero(satisfied == 0)
    if bad.size:
        i = int(bad[0])
        clause = lits[starts[i]:ends[i]].tolist()
        return f"{bad.size} clause(s) falsified, first is clause #{i + 1}: {clause[:20]}"
    return None


def verify_against_file(path: str, model, parsed=None) -> str | None:
    """Check a model against the file as read by PySAT's reader.

    Using PySAT's parser (not satmip's) keeps the check independent of the
    reader under test.
    """
    from pysat.formula import CNF
    cnf = parsed if parsed is not None else CNF(from_file=path)
    return check_model(flat_clauses(cnf.clauses), model)


def child_main(solver_spec: str, path: str, limit: float, fd: int) -> int:
    out = os.fdopen(fd, "w", buffering=1)

    def send(phase: str, **fields) -> None:
        out.write(json.dumps({"phase": phase, **fields}) + "\n")
        out.flush()

    try:
        backend = make_backend(solver_spec)
        t0 = time.perf_counter()
        formula = backend.read(path)
        send("parsed", parse_time=time.perf_counter() - t0)
        answer, elapsed, model = backend.solve(formula, limit)
        send("solved", answer=answer, time=elapsed)
        problem = None
        t1 = time.perf_counter()
        if answer is True:
            if model is None:
                problem = "solver said SAT but returned no model"
            else:
                parsed = formula if isinstance(backend, PysatBackend) else None
                problem = verify_against_file(path, model, parsed)
        send("done", model_problem=problem, verify_time=time.perf_counter() - t1)
        return 0
    except BaseException as exc:  # report anything, including KeyboardInterrupt
        lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
        send("error", error=f"{type(exc).__name__}: {exc}", traceback="".join(lines[-6:]))
        return 1


# --------------------------------------------------------------------------
# parent side
# --------------------------------------------------------------------------

class _Live:
    """Children currently running, so Ctrl-C in the parent can kill them all."""

    lock = threading.Lock()
    procs: set = set()

    @classmethod
    def add(cls, proc):
        with cls.lock:
            cls.procs.add(proc)

    @classmethod
    def discard(cls, proc):
        with cls.lock:
            cls.procs.discard(proc)

    @classmethod
    def kill_all(cls):
        with cls.lock:
            for proc in list(cls.procs):
                try:
                    proc.kill()
                except OSError:
                    pass


kill_all_children = _Live.kill_all


def _follow(proc, fd: int, limit: float):
    """Read phase messages until the child exits or a phase overruns; kill on overrun.

    Returns (messages by phase, arrival time by phase, phase killed in or None).
    """
    allowance = {"start": PARSE_ALLOWANCE_S, "parsed": limit + KILL_GRACE_S,
                 "solved": VERIFY_ALLOWANCE_S}
    msgs, arrived = {}, {"start": time.monotonic()}
    phase, buf = "start", b""
    while True:
        wait = arrived[phase] + allowance.get(phase, VERIFY_ALLOWANCE_S) - time.monotonic()
        if wait <= 0:
            proc.kill()
            return msgs, arrived, phase
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:  # pipe closed: the child has exited
            return msgs, arrived, None
        buf += chunk
        *lines, buf = buf.split(b"\n")
        for line in lines:
            msg = json.loads(line)
            phase = msg["phase"]
            msgs[phase] = msg
            arrived[phase] = time.monotonic()


def _reap(proc):
    """Wait for the child; its own rusage gives the peak RSS (Linux: KiB)."""
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024.0


def _log_tail(log, lines: int = 8) -> str:
    log.seek(0)
    text = log.read().decode("utf-8", "replace").strip().splitlines()
    return "\n".join(text[-lines:])


def _exit_reason(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


def classify(msgs, killed_in, returncode, limit, expected, log_tail) -> tuple[str, str | None]:
    """Status and error text for one run. Wrong answers win over timeouts."""
    if "error" in msgs:
        return "CRASH", msgs["error"]["error"] + "\n" + msgs["error"].get("traceback", "")
    if killed_in == "start":
        return "TIMEOUT", f"import/parse took over {PARSE_ALLOWANCE_S:.0f} s"
    if killed_in == "parsed":
        return "TIMEOUT", None
    if "done" not in msgs:
        where = "while verifying" if "solved" in msgs else "while solving"
        note = "verification overran" if killed_in else _exit_reason(returncode)
        return "CRASH", f"{note} {where}\n{log_tail}".strip()
    answer, elapsed = msgs["solved"]["answer"], msgs["solved"]["time"]
    problem = msgs["done"]["model_problem"]
    if answer is True and problem:
        return "WRONG", f"bad model: {problem}"
    if answer is True and expected == "UNSAT":
        return "WRONG", "said SAT on an UNSAT instance"
    if answer is False and expected == "SAT":
        return "WRONG", "said UNSAT on a SAT instance"
    if elapsed > limit or (answer is None and elapsed >= TIMEOUT_TOLERANCE * limit):
        return "TIMEOUT", None
    if answer is None:
        return "UNKNOWN", "solver gave up before the limit"
    return ("SAT" if answer else "UNSAT"), None


def run_one(solver: str, path: str, limit: float, expected: str | None) -> dict:
    """Run `solver` on `path` in a fresh process; return the judged record."""
    read_fd, write_fd = os.pipe()
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker",
           solver, str(path), repr(float(limit)), str(write_fd)]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, pass_fds=(write_fd,))
        os.close(write_fd)
        _Live.add(proc)
        try:
            msgs, arrived, killed_in = _follow(proc, read_fd, limit)
            ended = time.monotonic()
            returncode, rss_mb = _reap(proc)
        finally:
            _Live.discard(proc)
            os.close(read_fd)
        tail = _log_tail(log)
    status, error = classify(msgs, killed_in, returncode, limit, expected, tail)
    solved_at = arrived.get("solved", ended)
    return {
        "status": status,
        "time": msgs.get("solved", {}).get("time"),
        # wall clock seen by the parent from "parsed" to answer or kill
        "wall_time": round(solved_at - arrived["parsed"], 3) if "parsed" in arrived else None,
        "parse_time": msgs.get("parsed", {}).get("parse_time"),
        "verify_time": msgs.get("done", {}).get("verify_time"),
        "killed": killed_in is not None,
        "peak_rss_mb": round(rss_mb, 1),
        "error": error,
    }


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--worker":
        _, _, spec, file_path, time_limit, pipe_fd = sys.argv
        sys.exit(child_main(spec, file_path, float(time_limit), int(pipe_fd)))
    sys.exit("usage: _runner.py --worker SOLVER PATH LIMIT FD  (normally started by sat_compare.py)")
