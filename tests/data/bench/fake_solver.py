#!/usr/bin/env python3
"""A deliberately bad SAT solver for the harness tests (SAT competition output).

usage: fake_solver.py MODE INSTANCE [PIDFILE]
  wrong-model    claims SAT with an all-false model (wrong on most formulas)
  always-unsat   claims UNSAT
  sleep          never answers
  hog            allocates memory until stopped
  garbage        prints nonsense
  crash          dies of SIGSEGV
  exit-mismatch  prints 's SATISFIABLE' with a model but exits 20
  honest         answers correctly by brute force (tiny formulas only)
  big-model      honest on the first 3 variables, then SATISFIER_MB (default 200) MB of
                 'v' lines setting the other variables false, many times over
  flood          prints 'v' lines without end
  huge-literal   claims SAT with a literal beyond 64 bits
  beyond-vars    claims SAT with a literal beyond the instance's variables
"""
import itertools
import lzma
import os
import signal
import sys
import time


def read_cnf(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xfd7zXZ"):
        data = lzma.decompress(data)
    nvars, clauses, cur = 0, [], []
    for line in data.decode().splitlines():
        if line.startswith("c") or not line.strip():
            continue
        if line.startswith("p"):
            nvars = int(line.split()[2])
            continue
        for tok in line.split():
            lit = int(tok)
            if lit == 0:
                clauses.append(cur)
                cur = []
            else:
                cur.append(lit)
    return nvars, clauses


def print_model(lits):
    print("v " + " ".join(map(str, lits)) + " 0")


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w") as f:
            f.write(str(os.getpid()))
    sys.stdout.flush()
    if mode == "sleep":
        while True:
            time.sleep(1)
    if mode == "hog":
        hoard = []
        while True:
            hoard.append(bytearray(16 << 20))
            for i in range(0, len(hoard[-1]), 4096):  # touch the pages: resident, not just reserved
                hoard[-1][i] = 1
    if mode == "garbage":
        print("hello, I am not a SAT solver\nv 1 2 x 0")
        return 0
    if mode == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    nvars, clauses = read_cnf(path)
    if mode == "always-unsat":
        print("s UNSATISFIABLE")
        return 20
    if mode == "wrong-model":
        print("s SATISFIABLE")
        print_model([-v for v in range(1, nvars + 1)])
        return 10
    if mode == "exit-mismatch":
        print("s SATISFIABLE")
        print_model([-v for v in range(1, nvars + 1)])
        return 20
    if mode == "honest":
        for bits in itertools.product((False, True), repeat=nvars):
            if all(any(bits[abs(l) - 1] == (l > 0) for l in c) for c in clauses):
                print("s SATISFIABLE")
                print_model([v if bits[v - 1] else -v for v in range(1, nvars + 1)])
                return 10
        print("s UNSATISFIABLE")
        return 20
    if mode == "big-model":
        small = [[l for l in c if abs(l) <= 3] for c in clauses]
        for bits in itertools.product((False, True), repeat=3):
            if all(any(bits[abs(l) - 1] == (l > 0) for l in c) for c in small):
                break
        print("s SATISFIABLE")
        print("v " + " ".join(str(v if bits[v - 1] else -v) for v in range(1, 4)))
        rest = "v " + " ".join(str(-v) for v in range(4, nvars + 1)) + "\n"
        for _ in range(int(os.environ.get("SATISFIER_MB", "200")) * (1 << 20) // len(rest) + 1):
            sys.stdout.write(rest)
        print("v 0")
        return 10
    if mode == "flood":
        line = "v " + " ".join(str(-v) for v in range(1, nvars + 1)) + "\n"
        while True:
            sys.stdout.write(line)
    if mode == "huge-literal":
        print("s SATISFIABLE")
        print_model([1, -2, 3, 2 ** 70])
        return 10
    if mode == "beyond-vars":
        print("s SATISFIABLE")
        print_model([1, -2, 3, nvars + 1])
        return 10
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    sys.exit(main())
