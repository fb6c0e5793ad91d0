"""The `satmip` command line, run as a subprocess.

Output rules (SAT competition): comment lines start with "c ", exactly one
"s " line, "v " lines end with " 0", lines of at most 80 characters; exit
codes 10 (SAT), 20 (UNSAT), 0 (unknown), 1 (error).
"""
from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time

import pytest

import satmip
from helpers import (
    DATA_DIR,
    check_model,
    console_script,
    planted_ksat,
    random_ksat,
    reference_solve,
    write_dimacs,
)

SAT_DATA = DATA_DIR / "qg3-08.cnf.xz"
UNSAT_DATA = DATA_DIR / "bf2670-001.cnf.xz"
HOLE8 = DATA_DIR / "hole8.cnf.xz"
PRESETS = [name for name, _ in satmip.presets()]


def run_cli(*args, timeout=60, **kw):
    return subprocess.run([sys.executable, "-m", "satmip", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, **kw)


def parse_output(stdout, max_width=80):
    """Checks the output format; returns (status word, model literals or None)."""
    lines = stdout.splitlines()
    s_lines = [l for l in lines if l.startswith("s ")]
    v_lines = [l for l in lines if l.startswith("v ") or l == "v"]
    assert len(s_lines) == 1, stdout
    for line in lines:
        assert line.startswith(("c ", "s ", "v ")) or line in ("c", "v"), repr(line)
    for line in s_lines + v_lines:
        assert len(line) <= max_width, repr(line)
    status = s_lines[0][2:].strip()
    assert status in ("SATISFIABLE", "UNSATISFIABLE", "UNKNOWN"), status
    if not v_lines:
        return status, None
    assert status == "SATISFIABLE"
    # v lines come after the s line, consecutively
    first = lines.index(v_lines[0])
    assert lines[first:first + len(v_lines)] == v_lines
    assert lines.index(s_lines[0]) < first
    assert v_lines[-1].endswith(" 0")
    tokens = [int(t) for l in v_lines for t in l[1:].split()]
    assert tokens[-1] == 0 and 0 not in tokens[:-1]
    return status, tokens[:-1]


def read_clauses(path):
    return satmip.read_dimacs(path, strict=False).clauses


# ---------------------------------------------------------------------------
# Answers and output format
# ---------------------------------------------------------------------------


def test_sat_output_and_model(sat_small_file):
    path, clauses = sat_small_file
    r = run_cli("solve", path)
    assert r.returncode == 10, r.stderr
    status, model = parse_output(r.stdout)
    assert status == "SATISFIABLE"
    assert sorted(abs(l) for l in model) == list(range(1, 41))
    assert check_model(clauses, model)
    assert any(l.startswith("c ") for l in r.stdout.splitlines())
    assert r.stderr == ""


def test_sat_data_file_model_multiline():
    r = run_cli("solve", SAT_DATA)
    assert r.returncode == 10, r.stderr
    status, model = parse_output(r.stdout)
    assert len([l for l in r.stdout.splitlines() if l.startswith("v ")]) > 1
    assert len(model) == 512
    assert check_model(read_clauses(SAT_DATA), model)


def test_all_lines_fit_80_columns():
    # The spec caps every output line, comments included, at 80 characters.
    r = run_cli("solve", "--stats", SAT_DATA)
    assert r.returncode == 10
    for line in r.stdout.splitlines():
        assert len(line) <= 80, repr(line)


def test_unsat_output(unsat_small_file):
    path, _ = unsat_small_file
    r = run_cli("solve", path)
    assert r.returncode == 20, r.stderr
    status, model = parse_output(r.stdout)
    assert status == "UNSATISFIABLE" and model is None
    r = run_cli("solve", UNSAT_DATA)
    assert r.returncode == 20
    assert parse_output(r.stdout)[0] == "UNSATISFIABLE"


@pytest.mark.parametrize("seed", range(4))
def test_random_formulas_match_minisat(tmp_path, seed):
    clauses = random_ksat(50, 213, seed=100 + seed)
    path = write_dimacs(tmp_path / "r.cnf", clauses, nvars=50)
    r = run_cli("solve", path, "--seed", seed)
    expected = reference_solve(clauses)
    assert r.returncode == (10 if expected else 20)
    status, model = parse_output(r.stdout)
    if expected:
        assert check_model(clauses, model)


def test_conflict_limit_unknown():
    r = run_cli("solve", "--conflict-limit", "1", HOLE8)
    assert r.returncode == 0, r.stderr
    assert parse_output(r.stdout) == ("UNKNOWN", None)


def test_time_limit_unknown(php_hard_file):
    r = run_cli("solve", "--time-limit", "0.2", php_hard_file)   # php 13 into 12: only the limit ends it
    assert r.returncode == 0, r.stderr
    assert parse_output(r.stdout) == ("UNKNOWN", None)


def test_quiet(sat_small_file, unsat_small_file):
    r = run_cli("solve", "--quiet", sat_small_file[0])
    assert r.returncode == 10
    assert not any(l.startswith("c") for l in r.stdout.splitlines())
    status, model = parse_output(r.stdout)
    assert check_model(sat_small_file[1], model)
    r = run_cli("solve", "-q", unsat_small_file[0])
    assert r.returncode == 20
    assert r.stdout.splitlines() == ["s UNSATISFIABLE"]


def test_stats(unsat_small_file):
    r = run_cli("solve", "--stats", unsat_small_file[0])
    assert r.returncode == 20
    parse_output(r.stdout)
    stats = {}
    for line in r.stdout.splitlines():
        parts = line.split()
        if line.startswith("c ") and len(parts) == 3:
            stats[parts[1]] = parts[2]
    for key in ("conflicts", "decisions", "propagations", "restarts"):
        assert key in stats, r.stdout
        assert int(stats[key]) >= 0
    assert int(stats["conflicts"]) > 0


def test_no_model(sat_small_file):
    r = run_cli("solve", "--no-model", sat_small_file[0])
    assert r.returncode == 10
    assert parse_output(r.stdout) == ("SATISFIABLE", None)
    assert not any(l.startswith("v") for l in r.stdout.splitlines())


@pytest.mark.parametrize("preset", PRESETS)
def test_config_presets(preset, sat_small_file, unsat_small_file):
    r = run_cli("solve", "--config", preset, sat_small_file[0])
    assert r.returncode == 10, r.stderr
    assert check_model(sat_small_file[1], parse_output(r.stdout)[1])
    r = run_cli("solve", "--config", preset, "-q", unsat_small_file[0])
    assert r.returncode == 20, r.stderr
    assert parse_output(r.stdout)[0] == "UNSATISFIABLE"


def test_bad_config(sat_small_file):
    r = run_cli("solve", "--config", "no-such-config", sat_small_file[0])
    assert r.returncode == 1
    assert "s " not in "".join(l[:2] for l in r.stdout.splitlines())
    assert "no-such-config" in r.stderr


def test_option(sat_small_file, unsat_small_file):
    r = run_cli("solve", "--option", "stable=0", "-O", "walk=0", "--option", "vsidsdecay=900",
                sat_small_file[0])
    assert r.returncode == 10, r.stderr
    assert check_model(sat_small_file[1], parse_output(r.stdout)[1])
    r = run_cli("solve", "-O", "chrono=2", unsat_small_file[0])
    assert r.returncode == 20, r.stderr


def test_option_seed(sat_small_file):
    # 'seed' is an engine option listed by `satmip options`; -O seed=N must work
    # like --seed N (it crashed with "got multiple values for keyword argument 'seed'").
    r = run_cli("solve", "-O", "seed=3", sat_small_file[0])
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == 10, r.stderr
    assert check_model(sat_small_file[1], parse_output(r.stdout)[1])


@pytest.mark.parametrize("option", ["no_such_option=1", "stable=99", "phases=1"])
def test_bad_option(option, sat_small_file):
    r = run_cli("solve", "--option", option, sat_small_file[0])
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert not any(l.startswith("s ") for l in r.stdout.splitlines())
    assert option.split("=")[0] in r.stderr
    assert len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr


def test_options_command():
    r = run_cli("options")
    assert r.returncode == 0
    for name in PRESETS:
        assert re.search(rf"^\s+{re.escape(name)}\s", r.stdout, re.M), name
    for name, *_ in satmip.options():
        assert re.search(rf"^\s+{re.escape(name)}\s", r.stdout, re.M), name


def test_version_and_usage():
    r = run_cli("--version")
    assert r.returncode == 0
    assert satmip.__version__ in r.stdout + r.stderr
    r = run_cli()
    assert r.returncode != 0 and r.returncode not in (10, 20)


def test_console_script(sat_small_file, unsat_small_file):
    exe = console_script("satmip")
    r = subprocess.run([exe, "solve", sat_small_file[0]], capture_output=True, text=True, timeout=60)
    assert r.returncode == 10, r.stderr
    assert check_model(sat_small_file[1], parse_output(r.stdout)[1])
    r = subprocess.run([exe, "solve", "--quiet", unsat_small_file[0]], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 20
    assert r.stdout.splitlines() == ["s UNSATISFIABLE"]
    r = subprocess.run([exe, "options"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "default" in r.stdout


# ---------------------------------------------------------------------------
# Proofs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("flags,lrat,binary", [
    ([], False, False),
    (["--binary-proof"], False, True),
    (["--lrat"], True, False),
    (["--lrat", "--binary-proof"], True, True),
])
def test_proof_formats(tmp_path, unsat_small_file, flags, lrat, binary):
    path, clauses = unsat_small_file
    proof = tmp_path / "proof.out"
    r = run_cli("solve", path, "--proof", proof, *flags)
    assert r.returncode == 20, r.stderr
    data = proof.read_bytes()
    assert data
    if binary:
        assert data[:1] in (b"a", b"d")
    else:
        data.decode("ascii")  # text
        assert data.rstrip().endswith(b"0")
    check = satmip.check_lrat if lrat else satmip.check_drat
    res = check(clauses, proof)
    assert res["ok"], res["message"]


def test_proof_hole8(tmp_path):
    proof = tmp_path / "hole8.lrat"
    r = run_cli("solve", HOLE8, "--proof", proof, "--lrat", "--binary-proof", "-q")
    assert r.returncode == 20
    res = satmip.check_lrat(satmip.read_dimacs(HOLE8), proof)
    assert res["ok"], res["message"]


def test_proof_flags_without_proof(sat_small_file):
    r = run_cli("solve", "--lrat", sat_small_file[0])
    assert r.returncode == 1
    assert not any(l.startswith("s ") for l in r.stdout.splitlines())


# ---------------------------------------------------------------------------
# Phases
# ---------------------------------------------------------------------------


def test_phases_file(tmp_path):
    # One clause over 6 variables: any phase vector except all-false is a model,
    # so the answer is exactly the phase vector.
    cnf = write_dimacs(tmp_path / "f.cnf", [[1, 2, 3, 4, 5, 6]])
    phases = [-1, 2, -3, 4, -5, 6]
    pf = tmp_path / "phases.txt"
    pf.write_text("c preferred phases\n-1 2 -3\n4 -5 6 0\n")
    r = run_cli("solve", cnf, "--phases", pf)
    assert r.returncode == 10, r.stderr
    assert parse_output(r.stdout)[1] == phases


def test_phases_file_random_planted(tmp_path):
    clauses, hidden = planted_ksat(50, 200, seed=7)
    cnf = write_dimacs(tmp_path / "f.cnf", clauses, nvars=50)
    pf = tmp_path / "phases.txt"
    pf.write_text(" ".join(map(str, hidden)) + "\n")
    r = run_cli("solve", cnf, "--phases", pf)
    assert r.returncode == 10, r.stderr
    assert check_model(clauses, parse_output(r.stdout)[1])


@pytest.mark.parametrize("content", ["1 x 3\n", "1 2 99\n", "1.5\n", b"\xff\xfe\x00\x01\n"],
                         ids=["token", "range", "float", "binary"])
def test_malformed_phases_file(tmp_path, sat_small_file, content):
    pf = tmp_path / "badphases.txt"
    if isinstance(content, bytes):
        pf.write_bytes(content)
    else:
        pf.write_text(content)
    r = run_cli("solve", sat_small_file[0], "--phases", pf)
    assert r.returncode == 1, r.stdout
    assert not any(l.startswith("s ") for l in r.stdout.splitlines())
    err = r.stderr.strip().splitlines()
    assert len(err) == 1, r.stderr
    assert "badphases.txt" in err[0], err[0]


def test_missing_phases_file(tmp_path, sat_small_file):
    r = run_cli("solve", sat_small_file[0], "--phases", tmp_path / "nophases.txt")
    assert r.returncode == 1
    assert "nophases.txt" in r.stderr


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

BAD_INPUTS = {
    # name: (content, line number expected in the message or None)
    "missing_header": ("c a comment\n1 2 0\n-1 0\n", 2),
    "dnf_header": ("c a comment\np dnf 3 2\n1 2 0\n-1 0\n", 2),
    "bad_header_count": ("c a comment\np cnf x 3\n1 2 0\n", 2),
    "literal_beyond": ("p cnf 2 3\n1 2 0\n-1 2 0\n-1 3 0\n", 4),
    "non_numeric": ("p cnf 3 3\n1 2 0\n-1 -2 0\nc ok\n-1 a 0\n", 5),
    "unterminated": ("p cnf 3 2\n1 2 0\n-1 3", 3),
    "empty": ("", None),
    "garbage": (bytes(random.Random(1).randrange(256) for _ in range(400)) + b"\x00\x00\x00", None),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input(tmp_path, name):
    content, lineno = BAD_INPUTS[name]
    path = tmp_path / f"bad_{name}.cnf"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    check_error(run_cli("solve", path), path.name, lineno)


def check_error(r, fname, lineno=None):
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert not any(l.startswith("s ") for l in r.stdout.splitlines()), r.stdout
    err = r.stderr.splitlines()
    assert len(err) == 1, r.stderr
    assert fname in err[0], err[0]
    if lineno is not None:
        assert f":{lineno}:" in err[0], err[0]
    assert "Traceback" not in r.stderr


def test_nonexistent_file(tmp_path):
    check_error(run_cli("solve", tmp_path / "does_not_exist.cnf"), "does_not_exist.cnf")


def test_directory(tmp_path):
    d = tmp_path / "a_directory.cnf"
    d.mkdir()
    check_error(run_cli("solve", d), "a_directory.cnf")


def test_clause_count_mismatch_strict_and_lenient(tmp_path):
    path = tmp_path / "count.cnf"
    path.write_text("p cnf 3 3\n1 2 0\n-1 3 0\n")
    check_error(run_cli("solve", path), "count.cnf")
    r = run_cli("solve", "--lenient", path)
    assert r.returncode == 10


def test_lenient_more_variables(tmp_path):
    clauses = [[1, 2], [-1, 5], [-5, -2], [4, 3]]
    path = tmp_path / "more_vars.cnf"
    path.write_text("p cnf 2 4\n" + "".join(" ".join(map(str, c)) + " 0\n" for c in clauses))
    check_error(run_cli("solve", path), "more_vars.cnf", 3)
    r = run_cli("solve", "--lenient", path)
    assert r.returncode == 10, r.stderr
    model = parse_output(r.stdout)[1]
    assert check_model(clauses, model)
    assert sorted(abs(l) for l in model) == [1, 2, 3, 4, 5]


def test_compressed_and_plain_inputs_agree(tmp_path):
    import lzma
    import gzip
    clauses = random_ksat(30, 126, seed=4)
    text = "p cnf 30 126\n" + "".join(" ".join(map(str, c)) + " 0\n" for c in clauses)
    expected = 10 if reference_solve(clauses) else 20
    for name, data in (("f.cnf", text.encode()), ("f.cnf.gz", gzip.compress(text.encode())),
                       ("f.cnf.xz", lzma.compress(text.encode()))):
        p = tmp_path / name
        p.write_bytes(data)
        r = run_cli("solve", "-q", p)
        assert r.returncode == expected, (name, r.stderr)


# ---------------------------------------------------------------------------
# Ctrl-C
# ---------------------------------------------------------------------------


def test_sigint_gives_unknown(php_hard_file):
    p = subprocess.Popen([sys.executable, "-m", "satmip", "solve", php_hard_file],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Wait until the file is read (the search is starting), then ~1 s.
        first = p.stdout.readline()
        assert first.startswith("c "), first
        second = p.stdout.readline()
        assert second.startswith("c read"), second
        time.sleep(0.8)
        assert p.poll() is None, "php 11 into 10 should not be solved this fast"
        p.send_signal(signal.SIGINT)     # no time limit: only the signal ends the search
        out, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 0, (p.returncode, err)
    assert parse_output(first + second + out) == ("UNKNOWN", None)
    assert "Traceback" not in err


def test_reader_closing_early_is_quiet(tmp_path):
    # A model far larger than a pipe buffer, read by a consumer that stops
    # after one line (like `| head -1`): the answer's exit code, no error.
    cnf = write_dimacs(tmp_path / "big.cnf", [[v] for v in range(1, 40001)])
    p = subprocess.Popen([sys.executable, "-m", "satmip", "solve", str(cnf)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = p.stdout.readline()
    p.stdout.close()
    stderr = p.stderr.read().decode()
    p.wait(timeout=30)
    assert first.startswith(b"c ")
    assert p.returncode == 10, stderr
    assert "error" not in stderr.lower() and "Traceback" not in stderr, stderr
