"""Turn what a run did into a status: crashes, limits, then the answer checked.

Order matters: a wrong answer is WRONG even if it came late; a verified
answer that came after the limit is still a TIMEOUT.
"""
from __future__ import annotations

import json
import os
import re
from typing import Optional

import numpy as np

from . import verify
from .competition import parse_competition_output
from .limits import exit_reason

# What the harness keeps of a run's output (stdout and stderr) by default.
DEFAULT_OUTPUT_LIMIT_MB = 1024
# A solver that gives up this close to its limit ran out of time.
TIMEOUT_FRACTION = 0.99
_MEMORY_SIGNS = re.compile(r"MemoryError|bad_alloc|[Cc]annot allocate memory|[Oo]ut of memory")


def _tail(path: str, lines: int = 6, max_bytes: int = 1 << 16) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - max_bytes))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


def judge(job, record, watch, proc_info, workdir) -> None:
    if job["spec"]["kind"] == "command":
        _judge_command(job, record, watch, proc_info, workdir)
    else:
        _judge_child(job, record, watch, proc_info, workdir)


def job_output_limit_mb(job) -> int:
    """The job's cap on the solver's output (jobs written before the cap have none)."""
    return job.get("output_limit_mb") or DEFAULT_OUTPUT_LIMIT_MB


def _limit_status(job, record, watch, proc_info) -> bool:
    """Set MEMOUT / TIMEOUT for a run the parent killed; True if it did."""
    if watch.killed_for == "memout":
        record.update(status="MEMOUT", error=f"resident memory over {job['memory_limit_mb']} MiB")
    elif watch.killed_for == "output":
        record.update(status="ERROR", error=f"the solver's output passed {job_output_limit_mb(job)} MiB "
                                            f"(the harness keeps no more)")
    elif watch.killed_for == "read":
        record.update(status="TIMEOUT", error=f"reading the instance took over {job['read_limit_s']:g} s")
    elif watch.killed_for == "timeout" and watch.killed_in in ("parsed", "start"):
        record.update(status="TIMEOUT")
    elif watch.killed_for == "timeout":
        record.update(status="ERROR", error="writing the answer overran its allowance")
    else:
        return False
    return True


def _crash(job, record, proc_info, text: str) -> None:
    log = _tail(proc_info["log_path"])
    memory = job["memory_limit_mb"] and _MEMORY_SIGNS.search(text + "\n" + log)
    record.update(status="MEMOUT" if memory else "ERROR", error=f"{text}\n{log}".strip())


def _judge_child(job, record, watch, proc_info, workdir) -> None:
    msgs = watch.msgs
    if "error" in msgs:
        err = msgs["error"]
        if err.get("type") == "MemoryError":
            record.update(status="MEMOUT", error=err["error"])
        else:
            _crash(job, record, proc_info, err["error"] + "\n" + err.get("traceback", ""))
        return
    if _limit_status(job, record, watch, proc_info):
        return
    if "solved" not in msgs:
        _crash(job, record, proc_info, f"{exit_reason(proc_info['returncode'])} while solving")
        return
    solved = msgs["solved"]
    record.update(answer=solved.get("answer"), time=round(solved["time"], 4),
                  stats=solved.get("stats", {}), objective=solved.get("objective"),
                  dual_bound=solved.get("dual_bound"))
    if solved.get("detail"):
        record["detail"] = solved["detail"]
    if "done" not in msgs:
        _crash(job, record, proc_info, f"{exit_reason(proc_info['returncode'])} after solving")
        return
    _verify_and_time(job, record, workdir)


def _judge_command(job, record, watch, proc_info, workdir) -> None:
    if _limit_status(job, record, watch, proc_info):
        return
    code = proc_info["returncode"]
    record["time"] = record["wall"]
    try:
        nvars = verify.cnf_num_vars(job["instance"]["path"])
    except (OSError, ValueError, EOFError) as exc:
        record.update(status="ERROR", error=f"harness cannot read the instance's header: {exc}")
        return
    try:
        answer, model = parse_competition_output(proc_info["log_path"], nvars)
    except ValueError as exc:
        if code < 0 or code not in (0, 10, 20):
            _crash(job, record, proc_info, f"{exit_reason(code)}; {exc}")
        else:
            record.update(status="ERROR", error=f"{exc}\n{_tail(proc_info['log_path'])}".strip())
        return
    expected_code = {"SAT": 10, "UNSAT": 20}.get(answer)
    if expected_code is not None and code != expected_code:
        record.update(status="ERROR", answer=answer,
                      error=f"exit code {code} contradicts 's {answer}' (competition: 10 SAT, 20 UNSAT)")
        return
    record["answer"] = answer
    if model is not None:
        np.save(os.path.join(workdir, "model.npy"), model)
    _verify_and_time(job, record, workdir)


def _verify_and_time(job, record, workdir) -> None:
    check = _verify_sat if record["kind"] == "sat" else _verify_mip
    check(job, record, workdir)
    if record["status"] == "WRONG" or record["status"] == "ERROR":
        return
    limit, answer, t = job["time_limit"], record["answer"], record["time"]
    if t is not None and t > limit:
        record["status"] = "TIMEOUT"
    elif answer is None:
        record["status"] = "TIMEOUT" if t is None or t >= TIMEOUT_FRACTION * limit else "UNKNOWN"
    elif answer == "FEASIBLE":
        record["status"] = "TIMEOUT" if t >= TIMEOUT_FRACTION * limit else "FEASIBLE"
    else:
        record["status"] = answer


def _wrong(record, why: str) -> None:
    record.update(status="WRONG", error=why)


def _note(record, text: str) -> None:
    record["error"] = text if not record["error"] else record["error"] + "; " + text


def _verify_sat(job, record, workdir) -> None:
    answer, expected, path = record["answer"], record["expected"], job["instance"]["path"]
    if answer == "SAT":
        model_file = os.path.join(workdir, "model.npy")
        if not os.path.exists(model_file):
            return _wrong(record, "said SAT but gave no model")
        _nvars, lits = verify.read_cnf(path)
        problem = verify.check_model(lits, np.load(model_file))
        if problem:
            return _wrong(record, f"bad model: {problem}")
        record["verified"] = "model"
        if expected == "UNSAT":
            _note(record, "model verified, but the manifest says UNSAT")
    elif answer == "UNSAT":
        if expected == "SAT":
            return _wrong(record, "said UNSAT on an instance the manifest knows is SAT")
        fmt = job["spec"]["proof"]
        if fmt:
            proof = os.path.join(workdir, "proof")
            if not os.path.exists(proof) or os.path.getsize(proof) == 0:
                record.update(status="ERROR", error=f"said UNSAT without the {fmt} proof asked for")
                return
            ok, message = verify.check_proof(path, proof, fmt, job["proof_time_limit"])
            if ok is False:
                return _wrong(record, f"{fmt} proof rejected: {message}")
            if ok:
                record["verified"] = "proof"
                return
            _note(record, message)
        if expected == "UNSAT":
            record["verified"] = "manifest"


def _verify_mip(job, record, workdir) -> None:
    answer, expected, known = record["answer"], record["expected"], record["optimal_objective"]
    if answer in ("INFEASIBLE", "UNBOUNDED"):
        if expected == "OPTIMAL":
            return _wrong(record, f"said {answer.lower()}, the manifest knows an optimum")
        if expected == answer:
            record["verified"] = "manifest"
        return
    if answer not in ("OPTIMAL", "FEASIBLE"):
        return
    solution_file = os.path.join(workdir, "solution.json")
    if not os.path.exists(solution_file):
        if answer == "OPTIMAL":
            _wrong(record, "said optimal but gave no solution")
        return
    with open(solution_file) as f:
        solution = json.load(f)
    tol = job["feasibility_tolerance"]
    try:
        problem, objective = verify.check_milp_solution(
            job["instance"]["path"], solution["names"], solution["values"], record["objective"], tol)
    except ValueError as exc:
        # Our own MPS reader failed: an unverified answer is not counted as solved,
        # and ERROR (not WRONG) says the solver is not to blame; --retry-errors reruns it.
        record.update(status="ERROR", error=f"harness could not verify the solution, "
                                            f"its MPS reader failed: {exc}")
        return
    if problem:
        return _wrong(record, f"bad solution: {problem}")
    record["verified"] = "solution"
    if answer == "OPTIMAL" and known is not None:
        from .milp_check import compare_objective
        if not compare_objective(objective, known, job["objective_tolerance"]):
            _wrong(record, f"claimed optimal with objective {objective!r}, known optimum {known!r}")
    if expected == "INFEASIBLE":
        _note(record, "solution verified, but the manifest says infeasible")
