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


# ---------------------------------------------------------------------------
# Memory: every case below runs under an address-space limit
# ---------------------------------------------------------------------------

LIMIT_MB = 1024  # the bound of the issue: hostile files stay under 1 GB


def limited(limit_mb=LIMIT_MB):
    import resource

    def set_limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
    return set_limit


def run_cli_limited(*args, limit_mb=LIMIT_MB, timeout=120, **kw):
    return run_cli(*args, timeout=timeout, preexec_fn=limited(limit_mb), **kw)


def run_python_limited(code, limit_mb=LIMIT_MB, timeout=120):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=limited(limit_mb))


def test_huge_declared_variable_count_costs_nothing(tmp_path):
    # 22 bytes that used to need 14 GB: the solver is sized by the variables used.
    path = tmp_path / "big.cnf"
    path.write_text("p cnf 100000000 1\n1 0\n")
    r = run_cli_limited("solve", path)
    assert r.returncode == 10, r.stderr[-2000:]
    assert "s SATISFIABLE" in r.stdout and "v 1 0" in r.stdout


def test_huge_variable_index_is_refused_in_one_line(tmp_path):
    path = tmp_path / "big.cnf"
    path.write_text("p cnf 100000000 1\n100000000 0\n")
    assert_one_error_line(run_cli_limited("solve", path), "variable 100000000 exceeds the limit maxvar=")


def test_cli_out_of_memory_is_one_error_line(tmp_path):
    # Within maxvar, but 40M variables need ~6 GB: std::bad_alloc under the limit.
    path = tmp_path / "big.cnf"
    path.write_text("p cnf 40000000 1\n40000000 0\n")
    assert_one_error_line(run_cli_limited("solve", path), "out of memory")


def test_cli_python_memory_error_is_one_error_line(tmp_path):
    # A phases file read by Python: MemoryError from Python itself, not from C++.
    cnf, phases = tmp_path / "f.cnf", tmp_path / "phases.txt"
    cnf.write_text("p cnf 2 1\n1 2 0\n")
    with open(phases, "w") as f:
        f.write("1 " * (60 << 20))  # 120 MB on one line: readlines + split need far more than 300 MB
    r = run_cli_limited("solve", cnf, "--phases", phases, limit_mb=300)
    assert_one_error_line(r, "out of memory")


@pytest.mark.parametrize("call", [
    "s.add_clause([2**30 - 1])", "s.add_clause([-100_000_000])", "s.set_phases([10**8])",
    "s.reserve(10**8)", "s.solve([10**8])", "s.freeze(10**8)",
])
def test_python_api_refuses_a_huge_variable_index(call):
    code = ("from satmip.sat import Solver\ns = Solver()\ns.add_clause([1, 2])\n"
            f"try:\n    {call}\nexcept ValueError as e:\n    print('ValueError', e)\n"
            "print(s.nof_vars(), s.solve())\n")
    r = run_python_limited(code)
    assert r.returncode == 0, r.stderr[-2000:]
    first, second = r.stdout.strip().splitlines()
    assert first.startswith("ValueError variable ") and "exceeds the limit maxvar=50000000" in first
    assert second == "2 True"  # the solver is unchanged and usable


def test_python_api_out_of_memory_is_a_memory_error():
    code = ("from satmip.sat import Solver\ns = Solver()\n"
            "try:\n    s.add_clause([40_000_000])\nexcept MemoryError:\n    print('MemoryError')\n"
            "s.add_clause([1])\nprint(s.solve())\n")
    r = run_python_limited(code)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["MemoryError", "True"]


# ---------------------------------------------------------------------------
# Streaming readers: decompression bombs, endless devices
# ---------------------------------------------------------------------------

BOMB_MB = 256      # decompressed size of each bomb: enough that holding it fails below
BOMB_LIMIT_MB = 512  # the old readers held the whole text (and doubled it while growing)
CNF = b"p cnf 3 2\n1 -2 0\n2 3 0\n"
MPS = INFINITE_COEFFICIENT.format("1").replace("ENDATA\n", "").encode()


def write_bomb(path, compress, head, filler, tail=b""):
    """head, then BOMB_MB of filler, then tail: concatenated compressed members (which
    the readers decode as one text), the filler's member compressed once and repeated."""
    block = compress(filler * ((16 << 20) // len(filler)))
    with open(path, "wb") as f:
        f.write(compress(head))
        for _ in range(BOMB_MB // 16):
            f.write(block)
        if tail:
            f.write(compress(tail))
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    import bz2
    import gzip
    import lzma
    d = tmp_path_factory.mktemp("bombs")
    gz = lambda data: gzip.compress(data, 1)  # noqa: E731
    xz = lambda data: lzma.compress(data, preset=0)  # noqa: E731
    return {
        "cnf-xz-blanks": write_bomb(d / "blanks.cnf.xz", xz, CNF, b" "),
        "cnf-gz-lines": write_bomb(d / "lines.cnf.gz", gz, CNF, b"c comment\n \t\n"),
        "cnf-bz2-blanks": write_bomb(d / "blanks.cnf.bz2", lambda data: bz2.compress(data, 1), CNF, b" \n"),
        "cnf-gz-zeros": write_bomb(d / "zeros.cnf.gz", gz, CNF, b"\0"),
        "mps-gz-one-line": write_bomb(d / "line.mps.gz", gz, MPS + b"    ", b" ", b"\nENDATA\n"),
        "mps-xz-blank-lines": write_bomb(d / "lines.mps.xz", xz, MPS, b"  \t" * 20 + b"\n", b"ENDATA\n"),
        "mps-gz-zeros": write_bomb(d / "zeros.mps.gz", gz, MPS, b"\0"),
        "mps-gz-endless-name": write_bomb(d / "name.mps.gz", gz, MPS + b" x", b"x"),
        "cnf-plain-blanks": write_bomb(d / "blanks.cnf", lambda data: data, CNF, b" \n"),
        # after ENDATA: not read, except to tell UTF-8 from Latin-1 once a name had non-ASCII bytes
        "mps-gz-after-endata": write_bomb(d / "after.mps.gz", gz, MPS.replace(b"NAME t", b"NAME t\xc3\xa9")
                                          + b"ENDATA\n", b"\0\xc3\xa9", b"\xe9\n"),
    }


@pytest.mark.parametrize("key, code, line", [
    ("cnf-xz-blanks", 10, "s SATISFIABLE"),
    ("cnf-gz-lines", 10, "s SATISFIABLE"),
    ("cnf-bz2-blanks", 10, "s SATISFIABLE"),
    ("cnf-plain-blanks", 10, "s SATISFIABLE"),
    ("mps-gz-one-line", 0, "s OPTIMAL"),
    ("mps-xz-blank-lines", 0, "s OPTIMAL"),
])
def test_cli_reads_gigantic_blank_text_in_bounded_memory(bombs, key, code, line):
    r = run_cli_limited("solve", bombs[key], limit_mb=BOMB_LIMIT_MB)
    assert r.returncode == code, (r.stdout[-500:], r.stderr[-2000:])
    assert line in r.stdout.splitlines()
    if key.startswith("mps"):
        assert "o -4.0" in r.stdout  # x + y <= 4, maximise x + y


@pytest.mark.parametrize("key, words", [
    ("cnf-gz-zeros", ":4: unexpected character 0x00"),
    ("mps-gz-zeros", ":13: NUL byte in the line: not MPS text"),
    ("mps-gz-endless-name", ":13: line longer than 64 MiB: not MPS text"),
])
def test_cli_refuses_a_bomb_that_is_not_text_early(bombs, key, words):
    assert_one_error_line(run_cli_limited("solve", bombs[key], limit_mb=BOMB_LIMIT_MB), words)


@pytest.mark.parametrize("name, words", [
    ("zero.cnf", "zero.cnf:1: unexpected character 0x00"),
    ("zero.mps", "zero.mps:1: NUL byte in the line: not MPS text"),
])
def test_cli_refuses_a_link_to_dev_zero(tmp_path, name, words):
    (tmp_path / name).symlink_to("/dev/zero")
    assert_one_error_line(run_cli_limited("solve", tmp_path / name, timeout=60), words)


def test_python_readers_stream_too(bombs, tmp_path):
    (tmp_path / "zero.cnf").symlink_to("/dev/zero")
    code = f"""
from satmip.dimacs import read_dimacs
from satmip.mps import read_mps
cnf = read_dimacs({str(bombs["cnf-xz-blanks"])!r})
print(cnf.nvars, cnf.nclauses, cnf.lits.tolist())
print(read_mps({str(bombs["mps-gz-one-line"])!r}).num_cols)
for path, read in [({str(bombs["cnf-gz-zeros"])!r}, read_dimacs), ({str(tmp_path / "zero.cnf")!r}, read_dimacs),
                   ({str(bombs["mps-gz-zeros"])!r}, read_mps)]:
    try:
        read(path)
    except ValueError as e:
        print("ValueError", str(e).split(": ", 1)[1])
"""
    r = run_python_limited(code, limit_mb=BOMB_LIMIT_MB)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.splitlines() == [
        "3 2 [1, -2, 0, 2, 3, 0]", "2",
        "ValueError unexpected character 0x00", "ValueError unexpected character 0x00",
        "ValueError NUL byte in the line: not MPS text (a binary file?)"]


def test_mps_encoding_is_decided_by_the_whole_text_in_bounded_memory(bombs):
    # 256 MB after ENDATA, ending in a byte that is not UTF-8: the whole text is Latin-1,
    # as the reference reader (which decodes the whole file first) reads it.
    code = f"""
from satmip.mps import read_mps
print(ascii(read_mps({str(bombs["mps-gz-after-endata"])!r}).name))
"""
    r = run_python_limited(code, limit_mb=BOMB_LIMIT_MB)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == ascii("t\xc3\xa9")


@pytest.mark.parametrize("key, name, code, s_line", [
    ("cnf-xz-blanks", "/dev/stdin", 10, "s SATISFIABLE"), ("cnf-xz-blanks", "-", 10, "s SATISFIABLE"),
    ("mps-xz-blank-lines", "-", 0, "s OPTIMAL")])
def test_cli_streams_a_pipe_too(bombs, key, name, code, s_line):
    # A pipe: no size to go by, nothing to seek back to. `-` streams a CNF through and
    # copies an MPS file (read more than once) to a temporary file, not to memory.
    with subprocess.Popen(["cat", str(bombs[key])], stdout=subprocess.PIPE) as cat:
        r = run_cli_limited("solve", name, limit_mb=BOMB_LIMIT_MB, stdin=cat.stdout)
    assert r.returncode == code, r.stderr[-2000:]
    assert s_line in r.stdout.splitlines()


def test_python_api_with_a_huge_declared_count(tmp_path):
    path = tmp_path / "big.cnf"
    path.write_text("p cnf 100000000 1\n1 0\n")
    code = f"""
from satmip.dimacs import read_dimacs
from satmip.sat import Solver
cnf = read_dimacs({str(path)!r})
print(cnf.nvars, cnf.max_var)
try:
    Solver.from_dimacs({str(path)!r})  # declares the header's variables: refused, not allocated
except ValueError as e:
    print("ValueError", "maxvar" in str(e))
s = Solver()
s.add_clauses(cnf.lits)  # what the CLI does: only the variables used
print(s.nof_vars(), s.solve())
"""
    r = run_python_limited(code)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.splitlines() == ["100000000 1", "ValueError True", "1 True"]
