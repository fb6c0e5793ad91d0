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
from .limits import exit_reason

# A solver that gives up this close to its limit ran out of time.
TIMEOUT_FRACTION = 0.99
_MEMORY_SIGNS = re.compile(r"MemoryError|bad_alloc|[Cc]annot allocate memory|[Oo]ut of memory")
_S_WORDS = {"SATISFIABLE": "SAT", "UNSATISFIABLE": "UNSAT", "UNKNOWN": None}


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


def _limit_status(job, record, watch, proc_info) -> bool:
    """Set MEMOUT / TIMEOUT for a run the parent killed; True if it did."""
    if watch.killed_for == "memout":
        record.update(status="MEMOUT", error=f"resident memory over {job['memory_limit_mb']} MiB")
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
        answer, model = parse_competition_output(proc_info["log_path"])
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
        np.save(os.path.join(workdir, "model.npy"), np.asarray(model, dtype=np.int32))
    _verify_and_time(job, record, workdir)


def parse_competition_output(path: str) -> tuple[Optional[str], Optional[list]]:
    """('SAT' | 'UNSAT' | None, model literals or None); ValueError for garbage."""
    words, lits = set(), []
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith("s "):
                word = line[2:].strip()
                if word not in _S_WORDS:
                    raise ValueError(f"line {lineno}: unknown answer 's {word[:40]}'")
                words.add(word)
            elif line.startswith("v ") or line == "v":
                try:
                    lits.extend(int(tok) for tok in line[1:].split())
                except ValueError:
                    raise ValueError(f"line {lineno}: a 'v' line holds a non-integer") from None
    if not words:
        raise ValueError("no 's' line in the output")
    if len(words) > 1:
        raise ValueError(f"conflicting 's' lines: {sorted(words)}")
    answer = _S_WORDS[words.pop()]
    if answer == "SAT":
        if not lits or lits[-1] != 0:
            raise ValueError("'s SATISFIABLE' without a complete 'v' model ending in 0")
        return answer, lits
    return answer, None


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
    except ValueError as exc:  # our own MPS reader failed: do not blame the solver
        return _note(record, f"could not verify the solution: {exc}")
    if problem:
        return _wrong(record, f"bad solution: {problem}")
    record["verified"] = "solution"
    if answer == "OPTIMAL" and known is not None:
        from .milp_check import compare_objective
        if not compare_objective(objective, known, job["objective_tolerance"]):
            _wrong(record, f"claimed optimal with objective {objective!r}, known optimum {known!r}")
    if expected == "INFEASIBLE":
        _note(record, "solution verified, but the manifest says infeasible")
