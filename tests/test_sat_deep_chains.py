"""Inputs whose structure is deep rather than large: long implication chains.

Clause minimisation follows chains of reasons; it must not use the thread's
stack for that (a recursive version crashed at minimizedepth=100000 and, on
a 64 KB thread stack, at the default depth). Each case runs in a subprocess,
so that a crash fails the test instead of killing pytest.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# x1 -> x2 -> ... -> xn, then a conflict on (y, x1, xn): the learned clause
# (-y -x1 -xn) minimises to (-y -x1) only by walking the whole chain back from xn.
CHAIN = textwrap.dedent("""
    import sys, threading
    from satmip.sat import Solver
    n, depth, stack = map(int, sys.argv[1:])
    def run():
        s = Solver(inprocessing=0, minimizedepth=depth)
        for i in range(1, n):
            s.add_clause([-i, i + 1])
        y, z = n + 1, n + 2
        s.add_clause([-y, -1, -n, z])
        s.add_clause([-y, -1, -n, -z])
        print(s.solve([1, y]), s.accum_stats()["minimized_literals"])
    if stack:
        threading.stack_size(stack)
        t = threading.Thread(target=run)
        t.start()
        t.join()
    else:
        run()
""")


def run_chain(n, depth, stack=0):
    return subprocess.run([sys.executable, "-c", CHAIN, str(n), str(depth), str(stack)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("n, depth, stack", [
    (99_000, 100_000, 0),   # deepest documented depth, main thread
    (990, 1000, 64 * 1024),  # default depth, small thread stack
])
def test_minimisation_walks_long_chains_without_recursion(n, depth, stack):
    r = run_chain(n, depth, stack)
    assert r.returncode == 0, r.stderr[-2000:]
    # UNSAT under the assumptions, and xn was removed from the learned clause.
    assert r.stdout.split() == ["False", "1"]


def test_minimisation_depth_limit_still_applies():
    # A chain longer than minimizedepth is not followed to its end: nothing is removed.
    r = run_chain(3000, 1000, 0)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["False", "0"]
