"""Solve a CNF and an MPS file with an installed satmip and check the answers.

    python tools/wheel_smoke.py [DATA_DIR]      (DATA_DIR: the repository's tests/data)

Run by tools/check_wheel.sh in a fresh environment without a compiler, and by
cibuildwheel's test-command (pyproject.toml) in its test environment. It needs only
the installed wheel and numpy: the compressed inputs (.xz, .gz) must be read by the
linked zlib/liblzma, since check_wheel.sh leaves no decompressor program on PATH.
Exit status 0 when every answer is right, 1 with the reason otherwise.
"""
from __future__ import annotations

import csv
import gzip
import math
import sys
from pathlib import Path

import satmip

DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "tests" / "data"


def clauses_of(cnf) -> list[list[int]]:
    out, clause = [], []
    for lit in cnf.lits.tolist():
        if lit:
            clause.append(lit)
        else:
            out.append(clause)
            clause = []
    return out


def check_cnf(name: str, expected: bool) -> None:
    cnf = satmip.read_dimacs(DATA / "sat" / name)
    with satmip.Solver.from_dimacs(DATA / "sat" / name) as s:
        answer = s.solve()
        if answer is not expected:
            raise SystemExit(f"{name}: answered {answer}, expected {expected}")
        if answer:
            true = set(s.get_model())
            unsat = [c for c in clauses_of(cnf) if not true.intersection(c)]
            if unsat:
                raise SystemExit(f"{name}: the model falsifies {len(unsat)} clauses, e.g. {unsat[0]}")
    print(f"{name}: {'SAT, model checked' if expected else 'UNSAT'}")


def known_optimum(folder: str, name: str) -> float:
    with open(DATA / folder / "manifest.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["path"] == name:
                return float(row["optimal_objective"])
    raise SystemExit(f"{name}: not in {folder}/manifest.csv")


def check_mps(folder: str, name: str) -> None:
    path = DATA / folder / name
    with gzip.open(path, "rt") as f:   # the file must be there and be gzip
        f.read(1)
    model = satmip.Model.from_mps(path)
    r = model.solve() if model.is_mip else model.solve_lp()
    optimum = known_optimum(folder, name)
    if r.status != "optimal" or not math.isclose(r.objective, optimum, rel_tol=1e-6, abs_tol=1e-6):
        raise SystemExit(f"{name}: {r.status} {r.objective}, expected optimal {optimum}")
    print(f"{name}: optimal {r.objective:.6g} (known {optimum:.6g})")


if __name__ == "__main__":
    print(f"satmip {satmip.__version__} from {Path(satmip.__file__).parent}")
    check_cnf("qg3-08.cnf.xz", True)
    check_cnf("hole8.cnf.xz", False)
    check_mps("lp", "afiro.mps.gz")
    check_mps("mip", "p0033.mps.gz")
    print("wheel smoke test passed")
