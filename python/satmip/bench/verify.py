"""Judging answers: SAT models, UNSAT proofs, MILP solutions, known statuses.

The CNF reader here is deliberately separate from satmip's C++ reader (pure
Python + numpy), so a reader bug cannot hide a wrong model; proofs are
checked against the formula as this reader sees it.
"""
from __future__ import annotations

import bz2
import gzip
import json
import lzma
import re
import subprocess
import sys
import threading
from collections import OrderedDict
from typing import Optional

import numpy as np

_MAGIC = ((b"\x1f\x8b", gzip.decompress), (b"\xfd7zXZ\x00", lzma.decompress),
          (b"BZh", bz2.decompress), (b"\x5d\x00\x00", lzma.decompress))


def read_bytes(path: str) -> bytes:
    """A file's content, decompressed by its magic bytes."""
    with open(path, "rb") as f:
        data = f.read()
    for magic, decompress in _MAGIC:
        if data.startswith(magic):
            return decompress(data)
    return data


_OPENERS = ((b"\x1f\x8b", gzip.open), (b"\xfd7zXZ\x00", lzma.open), (b"BZh", bz2.open),
            (b"\x5d\x00\x00", lzma.open))


def cnf_num_vars(path: str) -> int:
    """The variable count of a CNF file's 'p cnf' header, reading only up to it."""
    with open(path, "rb") as f:
        magic = f.read(6)
    opener = next((op for m, op in _OPENERS if magic.startswith(m)), open)
    with opener(path, "rb") as f:
        for raw in f:
            line = raw.strip()
            if line.startswith(b"p"):
                header = _HEADER.match(line)
                if header is None:
                    break
                return int(header.group(1))
            if line and not line.startswith(b"c"):
                break
    raise ValueError(f"{path}: no 'p cnf' header before the clauses")


_COMMENT = re.compile(rb"^\s*c.*$", re.M)
_HEADER = re.compile(rb"^\s*p\s+cnf\s+(\d+)\s+(\d+)\s*$", re.M)


def read_cnf(path: str) -> tuple[int, np.ndarray]:
    """(header variable count, flat 0-terminated clauses as int32)."""
    text = _COMMENT.sub(b"", read_bytes(path))
    header = _HEADER.search(text)
    if header is None:
        raise ValueError(f"{path}: no 'p cnf' header")
    body = text[header.end():]
    # SATLIB files may end with '%' and a stray 0; nothing after '%' is a clause.
    body = body.split(b"%", 1)[0]
    lits = np.array(body.split(), dtype=np.int64)
    if lits.size and lits[-1] != 0:
        lits = np.append(lits, 0)
    return int(header.group(1)), lits.astype(np.int32)


def check_model(lits: np.ndarray, model) -> Optional[str]:
    """None if `model` (DIMACS literals) satisfies every clause, else why not.

    An unassigned variable satisfies no literal, so a partial model that
    leaves a clause undecided is rejected too.
    """
    lits = np.asarray(lits, dtype=np.int64)
    m = np.asarray(model, dtype=np.int64)
    m = m[m != 0]
    if lits.size == 0:
        return None
    size = int(max(np.abs(lits).max(), np.abs(m).max() if m.size else 0)) + 1
    value = np.zeros(size, dtype=np.int8)  # 0 unassigned, +1 true, -1 false
    value[np.abs(m)] = np.sign(m)
    if np.any(value[np.abs(m)] != np.sign(m)):
        return "the model assigns some variable both true and false"
    lit_true = (value[np.abs(lits)] * np.sign(lits)) > 0
    ends = np.flatnonzero(lits == 0)
    starts = np.concatenate(([0], ends[:-1] + 1))
    # reduceat over [start, end]: the terminator (never true) keeps empty clauses false.
    satisfied = np.maximum.reduceat(lit_true.astype(np.int8), starts)
    bad = np.flatnonzero(satisfied == 0)
    if bad.size:
        i = int(bad[0])
        clause = lits[starts[i]:ends[i]].tolist()
        return f"{bad.size} clause(s) falsified, the first is clause {i + 1}: {clause[:12]}"
    return None


def check_proof(cnf_path: str, proof_path: str, fmt: str, time_limit: float) -> tuple[Optional[bool], str]:
    """(True, msg) valid, (False, msg) rejected, (None, msg) could not decide.

    The checker runs in its own process so a huge proof can be stopped."""
    cmd = [sys.executable, "-m", "satmip.bench.verify", fmt, cnf_path, proof_path]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=time_limit)
    except subprocess.TimeoutExpired:
        return None, f"proof check took over {time_limit:.0f} s"
    try:
        result = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return None, f"proof checker failed: {done.stderr.strip()[-300:]}"
    return bool(result["ok"]), result["message"]


def _check_proof_here(fmt: str, cnf_path: str, proof_path: str) -> dict:
    import satmip
    nvars, lits = read_cnf(cnf_path)
    cnf = satmip.Cnf(nvars, lits, int(np.count_nonzero(lits == 0)))
    checker = satmip.check_lrat if fmt.startswith("lrat") else satmip.check_drat
    result = checker(cnf, proof_path)
    return {"ok": bool(result["ok"]), "message": str(result.get("message", ""))}


class _ProblemCache:
    """The last few parsed MPS files: runs of one instance come one after another."""

    def __init__(self, size: int = 3):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, path: str):
        from .mps import read_mps
        with self.lock:
            if path in self.items:
                self.items.move_to_end(path)
                return self.items[path]
        problem = read_mps(path)
        with self.lock:
            self.items[path] = problem
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return problem


_problems = _ProblemCache()


def check_milp_solution(path: str, names: list, values: list, reported: Optional[float],
                        tol: float) -> tuple[Optional[str], Optional[float]]:
    """(problem text or None, recomputed objective) for a solution given by column name."""
    from .milp_check import check_solution
    problem = _problems.get(path)
    index = {name: i for i, name in enumerate(problem.col_names)}
    # SCIP writes spaces in (fixed-MPS) names as '_'; match those when unambiguous.
    relaxed = {}
    for i, name in enumerate(problem.col_names):
        relaxed.setdefault(name.replace(" ", "_"), []).append(i)
    x = np.full(len(problem.col_names), np.nan)
    for name, value in zip(names, values):
        i = index.get(name)
        if i is None and len(relaxed.get(name, ())) == 1:
            i = relaxed[name][0]
        if i is None:
            return f"the solution names an unknown column '{name}'", None
        x[i] = value
    missing = np.flatnonzero(np.isnan(x))
    if missing.size:
        return f"the solution misses {missing.size} column(s), e.g. '{problem.col_names[missing[0]]}'", None
    check = check_solution(problem, x, reported_objective=reported, tol=tol, obj_tol=tol)
    return (None if check.ok else "; ".join(check.problems[:3])), check.objective


if __name__ == "__main__":
    # python -m satmip.bench.verify FORMAT CNF PROOF  -> one JSON line
    print(json.dumps(_check_proof_here(*sys.argv[1:4])))
