"""Hostile input files given to the readers and the command line: non-finite
numbers, decompression bombs, endless devices, huge declared sizes and out
of memory. Each must end in an answer or one clear error line (exit code 1
from the CLI), never a traceback, a crash, a hang or a wrong answer; and in
bounded memory (these run under an address-space limit in a subprocess)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from satmip.cli_mps import read_sol


def run_cli(*args, timeout=120, **kw):
    return subprocess.run([sys.executable, "-m", "satmip", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, **kw)


def assert_one_error_line(r, *words):
    assert r.returncode == 1, (r.returncode, r.stdout[-1000:], r.stderr[-2000:])
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("satmip: error: "), r.stderr[-2000:]
    for w in words:
        assert w in lines[0], lines[0]
    assert "Traceback" not in r.stderr


# ---------------------------------------------------------------------------
# Non-finite numbers in MPS
# ---------------------------------------------------------------------------

INFINITE_COEFFICIENT = ("NAME t\nROWS\n N obj\n L r\nCOLUMNS\n x obj -1 r {}\n y obj -1 r 1\n"
                        "RHS\n RHS r 4\nBOUNDS\n UP B x 10\n UP B y 10\nENDATA\n")


@pytest.mark.parametrize("number, flags", [
    ("1e400", []), ("1e400", ["--no-presolve"]), ("inf", ["--relaxation"]), ("-Infinity", []),
    ("nan", ["--no-presolve"])])
def test_cli_refuses_a_non_finite_coefficient_on_every_path(tmp_path, flags, number):
    # Was: 's OPTIMAL' with a point breaking x + y <= 4 (1e400 read as inf, dropped by presolve).
    path = tmp_path / "inf.mps"
    path.write_text(INFINITE_COEFFICIENT.format(number))
    r = run_cli("solve", path, *flags)
    assert_one_error_line(r, f"{path}:6: ", repr(number))
    assert "s OPTIMAL" not in r.stdout


def test_start_solution_with_a_non_finite_value_is_refused(tmp_path):
    sol = tmp_path / "x.sol"
    for text in ["x inf\n", "=obj= 3\nx nan\n", "x -1e400\n"]:
        sol.write_text(text)
        with pytest.raises(ValueError, match=rf"x\.sol:{text.count(chr(10))}: .* is not a finite number"):
            read_sol(str(sol), ["x", "y"])
