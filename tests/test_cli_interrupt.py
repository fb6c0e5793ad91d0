"""Ctrl-C (SIGINT) during a MILP or LP solve: the search stops and what it found survives,
as with a time limit: Model.solve() returns status "interrupted" with the incumbent;
`satmip solve` prints 'c interrupted', 's FEASIBLE', the 'o' line and writes --solution.
(SAT: test_cli.py::test_sigint_gives_unknown and test_callbacks.py.)"""
from __future__ import annotations

import math
import os
import random
import signal
import subprocess
import sys
import threading

import numpy as np
import pytest

import satmip
from helpers import DATA_DIR

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def knapsack_mps(path, n=60, m=5, seed=1):
    """A multidimensional 0/1 knapsack: heuristics find incumbents at once, and branch and
    bound needs minutes to prove the optimum (about 500 s on one core)."""
    rng = random.Random(seed)
    w = [[rng.randint(1, 1000) for _ in range(n)] for _ in range(m)]
    p = [sum(w[i][j] for i in range(m)) // m + rng.randint(0, 50) for j in range(n)]
    lines = ["NAME knapsack", "ROWS", " N obj"] + [f" L c{i}" for i in range(m)]
    lines += ["COLUMNS", "    M1 'MARKER' 'INTORG'"]
    for j in range(n):
        lines += [f"    x{j} obj {-p[j]}"] + [f"    x{j} c{i} {w[i][j]}" for i in range(m)]
    lines += ["    M2 'MARKER' 'INTEND'", "RHS"] + [f"    rhs c{i} {sum(w[i]) // 2}" for i in range(m)]
    lines += ["BOUNDS"] + [f" UP bnd x{j} 1" for j in range(n)] + ["ENDATA"]
    path.write_text("\n".join(lines) + "\n")
    return path


def sigint_after(seconds):
    """SIGINT to this process from a timer thread (Python runs its handler on the main thread)."""
    timer = threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    return timer


@pytest.mark.parametrize("with_callback", [False, True])
def test_milp_ctrl_c_returns_the_incumbent(tmp_path, with_callback):
    model = satmip.Model.from_mps(knapsack_mps(tmp_path / "k.mps"))
    nodes = []
    options = {"on_node": lambda facts: nodes.append(facts["nodes"])} if with_callback else {}
    # x = 0 is feasible: an incumbent from the start, whenever the signal comes.
    timer = sigint_after(0.3)
    try:
        result = model.solve(time_limit=30, start=np.zeros(model.num_cols), **options)
    finally:
        timer.cancel()
    assert result.status == "interrupted"   # not time_limit: the signal stopped it
    assert result.x.shape == (model.num_cols,) and math.isfinite(result.objective)
    assert result.objective == pytest.approx(float(model.data.cost @ result.x))
    assert not with_callback or nodes


def test_lp_ctrl_c_stops_the_simplex():
    rng = np.random.default_rng(0)
    m, n = 1200, 2400   # about 4 s of dual simplex
    A = rng.uniform(0, 1, (m, n)) * (rng.uniform(0, 1, (m, n)) < 0.3)
    model = satmip.Model.from_arrays(c=-rng.uniform(0.5, 1.5, n), A=A, row_lower=np.full(m, -np.inf),
                                     row_upper=rng.uniform(10, 20, m), col_lower=np.zeros(n),
                                     col_upper=np.full(n, np.inf))
    solver = model.lp_solver(time_limit=60)
    timer = sigint_after(0.2)
    try:
        status = solver.solve()
    finally:
        timer.cancel()
    assert status == "interrupted"


def test_ctrl_c_with_a_handler_of_ones_own_is_left_to_it(tmp_path):
    # A SIGINT handler of the caller's own decides what Ctrl-C means: the search goes on.
    model = satmip.Model.from_mps(knapsack_mps(tmp_path / "k.mps", n=30))
    seen = []
    previous = signal.signal(signal.SIGINT, lambda *_: seen.append(1))
    try:
        timer = sigint_after(0.1)
        result = model.solve(node_limit=3000)
        timer.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert result.status in ("node_limit", "optimal") and seen == [1]


def test_cli_ctrl_c_on_a_milp_keeps_the_solution(tmp_path):
    path = knapsack_mps(tmp_path / "k.mps")
    sol = tmp_path / "k.sol"
    # A shell that started us in the background may ignore SIGINT; the child must not.
    p = subprocess.Popen([sys.executable, "-m", "satmip", "solve", str(path), "--solution", str(sol)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        lines = []
        while not any(line.split()[1:2] == ["H"] for line in lines):   # a new incumbent in the table
            line = p.stdout.readline()
            assert line, (lines, p.stderr.read())
            lines.append(line)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    out = "".join(lines) + out
    assert p.returncode == 0, err
    assert "Traceback" not in err
    out_lines = out.splitlines()
    assert "c interrupted" in out_lines
    assert "s FEASIBLE" in out_lines
    objective = float(next(line for line in out_lines if line.startswith("o "))[2:])
    first, *rest = sol.read_text().splitlines()
    assert first == f"=obj= {objective!r}" and len(rest) == 60
    x = np.array([float(line.split()[1]) for line in rest])
    data = satmip.read_mps(path)
    assert float(data.cost @ x) == pytest.approx(objective)


def test_cli_ctrl_c_on_an_lp_stops_the_simplex(tmp_path):
    rng = np.random.default_rng(1)
    m, n = 800, 1600   # about 1.5 s of dual simplex
    A = rng.uniform(0, 1, (m, n)) * (rng.uniform(0, 1, (m, n)) < 0.3)
    model = satmip.Model.from_arrays(c=-rng.uniform(0.5, 1.5, n), A=A, row_lower=np.full(m, -np.inf),
                                     row_upper=rng.uniform(10, 20, m), col_lower=np.zeros(n),
                                     col_upper=np.full(n, np.inf))
    model.write_mps(tmp_path / "lp.mps")
    p = subprocess.Popen([sys.executable, "-m", "satmip", "solve", str(tmp_path / "lp.mps")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        lines = [p.stdout.readline(), p.stdout.readline()]
        assert lines[1].startswith("c read"), (lines, p.stderr.read())
        p.send_signal(signal.SIGINT)     # the simplex has just started
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    out_lines = "".join(lines + [out]).splitlines()
    assert p.returncode == 0 and "Traceback" not in err, err
    assert "c interrupted" in out_lines and out_lines[-1] == "s UNKNOWN"


@pytest.mark.parametrize("kind", ["cnf", "milp", "lp"])
def test_ctrl_c_while_the_answer_is_printed_is_ignored(capsys, monkeypatch, tmp_path, kind):
    # A second Ctrl-C as the 's' line goes out: one 's' line, the answer's exit code.
    import satmip.cli as cli
    real_out, sent = cli._out, []

    def out(text):
        if text.startswith("s ") and not sent:
            sent.append(text)
            os.kill(os.getpid(), signal.SIGINT)
        real_out(text)

    monkeypatch.setattr(cli, "_out", out)
    cnf = tmp_path / "f.cnf"
    cnf.write_text("p cnf 2 2\n1 2 0\n-1 0\n")
    data = DATA_DIR.parent
    path = {"cnf": cnf, "milp": data / "mip" / "p0033.mps.gz", "lp": data / "lp" / "afiro.mps.gz"}[kind]
    code = cli.main(["solve", str(path)])
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if line.startswith("s ")] == ["s SATISFIABLE" if kind == "cnf" else "s OPTIMAL"]
    assert code == (10 if kind == "cnf" else 0) and "c interrupted" not in lines
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler   # main() put it back


def test_cli_ctrl_c_on_a_cnf_ends_the_status_log(capsys, tmp_path):
    # Ctrl-C stops the engine as interrupt() does, so its last status line ('*') still
    # comes, as after a time limit; then 'c interrupted' and 's UNKNOWN'.
    import satmip.cli as cli
    from helpers import pigeonhole
    path = tmp_path / "php.cnf"
    clauses = pigeonhole(12, 11)   # minutes of search
    path.write_text(f"p cnf {max(abs(l) for c in clauses for l in c)} {len(clauses)}\n" +
                    "".join(" ".join(map(str, c)) + " 0\n" for c in clauses))
    timer = sigint_after(0.5)
    try:
        code = cli.main(["solve", str(path), "--progress-interval", "0.1"])
    finally:
        timer.cancel()
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and lines[-1] == "s UNKNOWN"
    assert lines.index("c interrupted") > max(k for k, line in enumerate(lines) if line.startswith("c * "))
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
