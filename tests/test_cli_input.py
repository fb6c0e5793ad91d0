"""`satmip solve -` reads standard input (plain or compressed), and the kind of input (CNF or
MPS) is told by content, whatever the file's name."""
from __future__ import annotations

import bz2
import gzip
import lzma
import signal
import subprocess
import sys

import pytest

from helpers import DATA_DIR
from satmip.cli import main
from satmip.cli_input import content_kind

DATA = DATA_DIR.parent
P0033 = DATA / "mip" / "p0033.mps.gz"
CNF_TEXT = "c a comment\np cnf 3 3\n1 2 0\n-1 0\n-2 3 0\n"
COMPRESS = {"plain": lambda b: b, "gz": gzip.compress, "xz": lzma.compress, "bz2": bz2.compress}


def run_stdin(data: bytes, *args):
    return subprocess.run([sys.executable, "-m", "satmip", "solve", "-", *map(str, args)], input=data,
                          capture_output=True, timeout=60,
                          preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_DFL))


@pytest.mark.parametrize("compression", list(COMPRESS))
def test_stdin_mps_any_compression(compression):
    r = run_stdin(COMPRESS[compression](gzip.decompress(P0033.read_bytes())), "-q")
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().splitlines() == ["s OPTIMAL", "o 3089.0"]


@pytest.mark.parametrize("compression", ["plain", "xz"])
def test_stdin_cnf(compression):
    r = run_stdin(COMPRESS[compression](CNF_TEXT.encode()))
    assert r.returncode == 10, r.stderr
    lines = r.stdout.decode().splitlines()
    assert "c read <stdin>: 3 variables, 3 clauses" in " ".join(lines) and "v -1 2 3 0" in lines


def test_stdin_errors_name_stdin_and_line():
    r = run_stdin(b"p cnf 2 1\n1 3 0\n")
    assert r.returncode == 1
    assert r.stderr.decode().splitlines() == [
        "satmip: error: <stdin>:2: literal 3 exceeds the 2 variables declared in the 'p cnf' header"]
    r = run_stdin(b"NAME x\nROWS\n Q r1\n")
    assert r.stderr.decode().splitlines() == ["satmip: error: <stdin>:3: unknown row type 'Q' for row 'r1'"]


def test_stdin_redirected_from_a_file(tmp_path):
    with open(P0033, "rb") as f:
        r = subprocess.run([sys.executable, "-m", "satmip", "solve", "-", "-q"], stdin=f, capture_output=True,
                           text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.splitlines() == ["s OPTIMAL", "o 3089.0"], r.stderr


@pytest.mark.parametrize("name", ["model.txt", "model", "model.cnf.gz"])
def test_mps_content_under_another_name(capsys, tmp_path, name):
    path = tmp_path / name
    text = gzip.decompress(P0033.read_bytes())
    path.write_bytes(gzip.compress(text) if name.endswith(".gz") else text)
    assert main(["solve", str(path), "-q"]) == 0
    assert capsys.readouterr().out.splitlines() == ["s OPTIMAL", "o 3089.0"]


def test_cnf_content_named_mps(capsys, tmp_path):
    path = tmp_path / "f.mps"
    path.write_text(CNF_TEXT)
    assert main(["solve", str(path), "-q"]) == 10


@pytest.mark.parametrize("text, kind", [
    ("* comment\n\nNAME x\n", "mps"), ("ROWS\n N obj\n", "mps"), ("objsense\n  max\n", "mps"),
    ("c hello\np cnf 1 1\n", "cnf"), ("p cnf 1 1\n1 0\n", "cnf"), ("1 -2 0\n", "cnf"), ("-1 0\n", "cnf"),
    ("\n\n", None), ("hello world\n", None),
])
def test_content_kind(text, kind):
    assert content_kind(text.encode()) == kind
