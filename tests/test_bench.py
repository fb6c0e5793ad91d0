"""The benchmark harness end to end: real solvers, a deliberately bad fake
solver, limits, resume, reports, plots, Dask."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import console_script

from satmip.bench import judge
from satmip.bench.cli import SECTION_BEGIN
from satmip.cli import main as satmip_main

DATA = Path(__file__).parent / "data"
FAKE = DATA / "bench" / "fake_solver.py"

SAT_CNF = "p cnf 3 3\n1 2 0\n-1 3 0\n-2 -3 0\n"
UNSAT_CNF = "p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n"


@pytest.fixture
def sat_set(tmp_path):
    """Four instances with a manifest: two tiny, two real, one missing, one unparsable."""
    root = tmp_path / "set"
    root.mkdir()
    (root / "tiny-sat.cnf").write_text(SAT_CNF)
    (root / "tiny-unsat.cnf").write_text(UNSAT_CNF)
    shutil.copy(DATA / "sat" / "2bitadd_12.cnf.xz", root)
    shutil.copy(DATA / "sat" / "hole8.cnf.xz", root)
    (root / "broken.cnf").write_text("p cnf 2 1\n1 x 0\n")
    (root / "manifest.csv").write_text(
        "path,family,status\n"
        "tiny-sat.cnf,tiny,SAT\ntiny-unsat.cnf,tiny,UNSAT\n"
        "2bitadd_12.cnf.xz,beijing,SAT\nhole8.cnf.xz,pigeon,UNSAT\n"
        "missing.cnf,tiny,SAT\nbroken.cnf,tiny,unknown\n")
    return root


def fake_toml(tmp_path, modes, extra="", instances=None, time_limit=10, memory=2048):
    """A configuration with satmip and one fake command solver per mode."""
    lines = ["[benchmark]", f"instances = [{json.dumps(str(instances or tmp_path / 'set'))}]",
             f"time_limit = {time_limit}", f"memory_limit_mb = {memory}",
             f"results = {json.dumps(str(tmp_path / 'results.jsonl'))}", extra, "",
             "[[solver]]", 'name = "satmip"']
    for mode in modes:
        lines += ["", "[[solver]]", f'name = "fake-{mode}"', 'kind = "command"',
                  f"command = [{json.dumps(sys.executable)}, {json.dumps(str(FAKE))}, "
                  f'"{mode}", "{{instance}}", {json.dumps(str(tmp_path / (mode + ".pid")))}]']
    path = tmp_path / "bench.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def records(path) -> dict:
    out = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            out[(r["solver"], r["instance"])] = r
    return out


def bench(*args) -> int:
    return satmip_main(["bench", "--no-progress", *map(str, args)])


# --------------------------------------------------------------------------
# verification: a wrong solver is caught, right answers are verified
# --------------------------------------------------------------------------

def test_wrong_solver_caught_and_right_answers_verified(tmp_path, sat_set, capsys):
    cfg = fake_toml(tmp_path, ["wrong-model", "always-unsat"])
    assert bench(cfg, "--proof", "lrat", "--jobs", "2") == 1
    out = capsys.readouterr().out
    assert "WRONG" in out and "DISAGREEMENT" in out.upper()
    recs = records(tmp_path / "results.jsonl")
    assert len(recs) == 3 * 6
    for name, status, verified in [("tiny-sat.cnf", "SAT", "model"), ("tiny-unsat.cnf", "UNSAT", "proof"),
                                   ("2bitadd_12.cnf.xz", "SAT", "model"), ("hole8.cnf.xz", "UNSAT", "proof")]:
        r = recs[("satmip", name)]
        assert (r["status"], r["verified"]) == (status, verified), r
        assert r["time"] is not None and r["cpu"] > 0 and r["peak_rss_mb"] > 1
        assert r["stats"]["conflicts"] >= 0
    # all-false is no model of these formulas; UNSAT on a known-SAT instance is wrong
    assert recs[("fake-wrong-model", "tiny-sat.cnf")]["status"] == "WRONG"
    assert "bad model" in recs[("fake-wrong-model", "tiny-sat.cnf")]["error"]
    assert recs[("fake-wrong-model", "tiny-unsat.cnf")]["status"] == "WRONG"
    assert recs[("fake-always-unsat", "2bitadd_12.cnf.xz")]["status"] == "WRONG"
    # UNSAT on an UNSAT instance without a proof: right, but only checked against the manifest
    assert recs[("fake-always-unsat", "hole8.cnf.xz")]["status"] == "UNSAT"
    assert recs[("fake-always-unsat", "hole8.cnf.xz")]["verified"] == "manifest"
    # a missing file and an unparsable one are recorded runs, not crashes of the harness
    for solver in ("satmip", "fake-wrong-model"):
        assert recs[(solver, "missing.cnf")]["status"] == "ERROR"
        assert "not found" in recs[(solver, "missing.cnf")]["error"]
    broken = recs[("satmip", "broken.cnf")]
    assert broken["status"] == "ERROR" and "broken.cnf:2" in broken["error"]


def test_disagreement_without_manifest_is_flagged(tmp_path, capsys):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "tiny-sat.cnf").write_text(SAT_CNF)   # no manifest: nothing known
    cfg = fake_toml(tmp_path, ["always-unsat"])
    assert bench(cfg) == 1
    out = capsys.readouterr().out
    assert "tiny-sat.cnf" in out and "DISAGREEMENT" in out.upper()


def test_honest_external_command_passes(tmp_path, capsys):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "a.cnf").write_text(SAT_CNF)
    (tmp_path / "set" / "b.cnf").write_text(UNSAT_CNF)
    cfg = fake_toml(tmp_path, ["honest"])
    assert bench(cfg) == 0
    recs = records(tmp_path / "results.jsonl")
    assert recs[("fake-honest", "a.cnf")]["status"] == "SAT"
    assert recs[("fake-honest", "a.cnf")]["verified"] == "model"
    assert recs[("fake-honest", "b.cnf")]["status"] == "UNSAT"


def test_satmip_cli_as_competition_command(tmp_path):
    (tmp_path / "set").mkdir()
    shutil.copy(DATA / "sat" / "hole8.cnf.xz", tmp_path / "set")
    (tmp_path / "set" / "a.cnf").write_text(SAT_CNF)
    satmip_exe = console_script("satmip")    # no activated venv or PATH needed
    cfg = tmp_path / "cmd.toml"
    cfg.write_text(f"""
[benchmark]
instances = "{tmp_path / 'set'}"
time_limit = 20
results = "{tmp_path / 'r.jsonl'}"
[[solver]]
name = "satmip-cli"
kind = "command"
command = ["{satmip_exe}", "solve", "{{instance}}", "--lrat", "--proof", "{{proof}}"]
proof = "lrat"
""")
    assert bench(cfg) == 0
    recs = records(tmp_path / "r.jsonl")
    assert recs[("satmip-cli", "hole8.cnf.xz")]["verified"] == "proof"
    assert recs[("satmip-cli", "a.cnf")]["verified"] == "model"


def test_rejected_proof_is_wrong(tmp_path):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "u.cnf").write_text(UNSAT_CNF)
    liar = tmp_path / "liar.sh"
    # claims UNSAT and writes a "proof" that only deletes a clause
    liar.write_text('#!/bin/sh\necho "d 1 2 0" > "$2"\necho "s UNSATISFIABLE"\nexit 20\n')
    liar.chmod(0o755)
    cfg = tmp_path / "liar.toml"
    cfg.write_text(f"""
[benchmark]
instances = "{tmp_path / 'set'}"
time_limit = 5
results = "{tmp_path / 'r.jsonl'}"
[[solver]]
name = "liar"
kind = "command"
command = ["{liar}", "{{instance}}", "{{proof}}"]
proof = "drat"
""")
    assert bench(cfg) == 1
    r = records(tmp_path / "r.jsonl")[("liar", "u.cnf")]
    assert r["status"] == "WRONG" and "proof rejected" in r["error"]


# --------------------------------------------------------------------------
# faults: hangs, memory hogs, crashes, garbage
# --------------------------------------------------------------------------

def test_timeout_memout_crash_garbage(tmp_path, capsys):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "a.cnf").write_text(SAT_CNF)
    cfg = fake_toml(tmp_path, ["sleep", "hog", "crash", "garbage", "exit-mismatch"],
                    time_limit=1.5, memory=300)
    assert bench(cfg, "--jobs", "2") == 0   # nothing wrong was claimed
    recs = records(tmp_path / "results.jsonl")
    sleep = recs[("fake-sleep", "a.cnf")]
    assert sleep["status"] == "TIMEOUT"
    assert sleep["wall"] >= 1.5 and sleep["time"] is None   # ran to its limit, then killed
    hog = recs[("fake-hog", "a.cnf")]
    assert hog["status"] == "MEMOUT", hog
    assert hog["peak_rss_mb"] <= 300 + 200       # stopped near the limit, not after eating the machine
    crash = recs[("fake-crash", "a.cnf")]
    assert crash["status"] == "ERROR" and "SIGSEGV" in crash["error"]
    garbage = recs[("fake-garbage", "a.cnf")]
    assert garbage["status"] == "ERROR" and "'v' line holds a non-integer" in garbage["error"]
    mismatch = recs[("fake-exit-mismatch", "a.cnf")]
    assert mismatch["status"] == "ERROR" and "exit code 20" in mismatch["error"]
    assert recs[("satmip", "a.cnf")]["status"] == "SAT"
    # the sleeping and hogging processes are gone
    for mode in ("sleep", "hog"):
        pid = int((tmp_path / f"{mode}.pid").read_text())
        assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie counts as gone
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_python_child_memout(tmp_path):
    """satmip itself under a memory limit far too small for the formula."""
    (tmp_path / "set").mkdir()
    big = tmp_path / "set" / "big.cnf"
    n = 400_000
    with open(big, "w") as f:
        f.write(f"p cnf {n} {n}\n")
        for v in range(1, n + 1):
            f.write(f"{v} {-(v % n + 1)} {(v * 7) % n + 1} 0\n")
    assert bench("-i", tmp_path / "set", "-s", "satmip", "--memory-limit", "60",
                 "-t", "20", "-o", tmp_path / "r.jsonl") == 0
    r = records(tmp_path / "r.jsonl")[("satmip", "big.cnf")]
    assert r["status"] == "MEMOUT", r


# --------------------------------------------------------------------------
# resume
# --------------------------------------------------------------------------

def test_interrupted_run_resumes_without_rerunning(tmp_path, sat_set):
    cfg = fake_toml(tmp_path, ["sleep"], time_limit=1.0)
    results = tmp_path / "results.jsonl"
    cmd = [sys.executable, "-m", "satmip", "bench", str(cfg), "--no-progress"]
    # A shell that started us in the background may ignore SIGINT; the harness must not.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if results.exists() and len(results.read_text().splitlines()) >= 1:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert b"resume" in err
    first = [json.loads(line) for line in results.read_text().splitlines()]
    assert 1 <= len(first) < 12
    # a torn last line, as after a crash mid-write, is skipped
    with open(results, "a") as f:
        f.write('{"key": "torn", "solver"')
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"resuming: {len(first)} run(s)" in done.stderr
    final = [json.loads(line) for line in results.read_text().splitlines()
             if line.strip() and not line.startswith('{"key": "torn"')]
    keys = [r["key"] for r in final]
    assert len(keys) == len(set(keys)) == 12       # 2 solvers x 6 instances, each once
    assert keys[:len(first)] == [r["key"] for r in first]
    # nothing left running from the interrupted run
    assert not _alive(int((tmp_path / "sleep.pid").read_text()))


def test_retry_errors_reruns_only_errors(tmp_path, sat_set):
    cfg = fake_toml(tmp_path, [])
    assert bench(cfg) == 0
    n = len((tmp_path / "results.jsonl").read_text().splitlines())
    assert bench(cfg) == 0
    assert len((tmp_path / "results.jsonl").read_text().splitlines()) == n   # all skipped
    assert bench(cfg, "--retry-errors") == 0
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    assert len(lines) == n + 2          # missing.cnf and broken.cnf ran again


# --------------------------------------------------------------------------
# configuration errors fail fast
# --------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["-s", "satmip,nosuchsolver"], "unknown solver 'nosuchsolver'"),
    (["-s", "satmip:nosuchconfig"], "unknown satmip configuration"),
    (["-s", "minisat22:x"], "only satmip takes"),
    (["-s", "satmip", "-i", "/nonexistent/*.cnf"], "matches no CNF or MPS"),
    (["-s", "satmip", "-i", "/nonexistent/dir/x.txt"], "not a CNF or MPS file name"),
    (["-s", "satmip", "--baseline", "cadical195"], "baseline 'cadical195'"),
])
def test_bad_command_line_fails_fast(tmp_path, sat_set, capsys, args, message):
    if "-i" not in args:
        args = args + ["-i", str(sat_set)]
    assert bench(*args, "-o", tmp_path / "r.jsonl") == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r.jsonl").exists()


@pytest.mark.parametrize("body, message", [
    ("[benchmark]\ntime_limit = \n", "bench.toml"),
    ("[benchmark]\ntimelimit = 5\n", "unknown key 'timelimit'"),
    ("[benchmrk]\n", "unknown section [benchmrk]"),
    ("[benchmark]\ntime_limit = 'x'\n", "expected float"),
    ("[[solver]]\nname = 'satmip'\noptions = {nosuchoption = 1}\n", "unknown satmip option 'nosuchoption'"),
    ("[[solver]]\nname = 'a'\nkind = 'command'\ncommand = ['/no/such/program', '{instance}']\n", "not found"),
    ("[[solver]]\nname = 'a'\nkind = 'command'\ncommand = ['sh']\n", "{instance}"),
    ("[[solver]]\nname = 'a'\nkind = 'quantum'\n", "kind 'quantum'"),
    ("[[solver]]\nname = 'satmip'\n[[solver]]\nname = 'satmip'\n", "used twice"),
    ("[benchmark]\ninstances = '${NO_SUCH_VAR_FOR_SATMIP}/x'\n", "NO_SUCH_VAR_FOR_SATMIP"),
])
def test_malformed_configuration_fails_fast(tmp_path, sat_set, capsys, body, message):
    cfg = tmp_path / "bench.toml"
    cfg.write_text(body)
    args = [cfg, "-o", tmp_path / "r.jsonl"]
    if "instances" not in body:
        args += ["-i", sat_set]
    if "[[solver]]" not in body:
        args += ["-s", "satmip"]
    assert bench(*args) == 2
    assert message in capsys.readouterr().err


def test_env_default_in_paths(tmp_path, sat_set, monkeypatch):
    monkeypatch.delenv("SATMIP_TEST_SET", raising=False)
    cfg = tmp_path / "bench.toml"
    cfg.write_text(f"[benchmark]\ninstances = '${{SATMIP_TEST_SET:-{sat_set}}}'\n"
                   f"results = 'out/r.jsonl'\ninclude = ['tiny-*']\n[[solver]]\nname = 'satmip'\n")
    assert bench(cfg) == 0
    assert len((tmp_path / "out" / "r.jsonl").read_text().splitlines()) == 2   # relative to the TOML


# --------------------------------------------------------------------------
# MILP: HiGHS and SCIP, solutions checked against the MPS file and the optimum
# --------------------------------------------------------------------------

SMALL_MPS = ("egout.mps.gz", "flugpl.mps.gz", "p0033.mps.gz", "vpm1.mps.gz", "afiro.mps.gz")


def small_mps_set(tmp_path, names=SMALL_MPS) -> Path:
    """Quick MPS files of tests/data/mip with their manifest rows."""
    root = tmp_path / "mps"
    root.mkdir()
    lines = (DATA / "mip" / "manifest.csv").read_text().splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if line.split(",")[0] in names]
    (root / "manifest.csv").write_text("\n".join(kept) + "\n")
    for name in names:
        shutil.copy(DATA / "mip" / name, root)
    return root


def test_milp_highs_scip_verified(tmp_path, capsys):
    assert bench("-i", small_mps_set(tmp_path), "-s", "highs,scip", "-t", "30", "-j", "2",
                 "-o", tmp_path / "r.jsonl", "--csv", tmp_path / "s.csv") == 0
    recs = records(tmp_path / "r.jsonl")
    assert len(recs) == 10
    for r in recs.values():
        assert r["status"] == "OPTIMAL" and r["verified"] == "solution", r
        assert abs(r["objective"] - r["optimal_objective"]) <= 1e-6 * max(1, abs(r["optimal_objective"]))
        assert r["stats"]["nodes"] >= 0 and r["stats"]["lp_iterations"] > 0


def test_satmip_lp_and_milp_runs_verified(tmp_path):
    """satmip's own engines in the harness: the LP through the dual simplex, the
    MILPs through branch and bound; every point checked against the file."""
    cfg = tmp_path / "satmip-mps.toml"
    cfg.write_text(f"""
[benchmark]
instances = "{small_mps_set(tmp_path, [n for n in SMALL_MPS if n != "vpm1.mps.gz"])}"
time_limit = 30
results = "r.jsonl"
[[solver]]
name = "satmip"
mip_options = {{ gap = 0.0 }}
""")
    assert bench(cfg) == 0
    recs = records(tmp_path / "r.jsonl")
    assert len(recs) == 4      # vpm1 takes satmip's first branch and bound ~50 s
    for r in recs.values():
        assert (r["status"], r["verified"]) == ("OPTIMAL", "solution"), r
        assert r["stats"]["lp_iterations"] >= 0
    assert recs[("satmip", "p0033.mps.gz")]["stats"]["nodes"] >= 1
    cfg.write_text(cfg.read_text().replace("gap = 0.0", "no_such_option = 1"))
    assert bench(cfg) == 2          # the engine's own option check, before any run


def test_optimal_answer_unverifiable_by_the_harness_is_not_solved(tmp_path):
    """When the harness's own MPS reader fails on the instance, a claimed optimum is
    unverified: an ERROR (the solver not blamed), never counted as solved."""
    from satmip.bench.records import is_solved
    from satmip.bench.runner import _base_record
    bad = tmp_path / "odd.mps"
    bad.write_text("NAME odd\nROWS\n N obj\nCOLUMNS\n x obj 1 what\nENDATA\n")
    (tmp_path / "solution.json").write_text(json.dumps({"names": ["x"], "values": [0.0]}))
    job = {"key": "k", "spec": {"label": "s", "version": "v", "kind": "highs", "proof": None},
           "instance": {"name": "odd.mps", "family": None, "kind": "mip", "expected": "OPTIMAL",
                        "optimal_objective": 0.0, "path": str(bad)},
           "time_limit": 10, "memory_limit_mb": None, "feasibility_tolerance": 1e-6,
           "objective_tolerance": 1e-6}
    record = _base_record(job)
    record.update(answer="OPTIMAL", time=0.1, objective=0.0)
    judge._verify_and_time(job, record, str(tmp_path))
    assert record["status"] == "ERROR" and "MPS reader failed" in record["error"], record
    assert record["verified"] == "none" and not is_solved(record)


def test_milp_wrong_known_optimum_flags_solvers(tmp_path, capsys):
    root = tmp_path / "mip"
    root.mkdir()
    shutil.copy(DATA / "mip" / "p0033.mps.gz", root)
    (root / "manifest.csv").write_text("path,status,optimal_objective\np0033.mps.gz,optimal,3000\n")
    assert bench("-i", root, "-s", "highs", "-o", tmp_path / "r.jsonl") == 1
    r = records(tmp_path / "r.jsonl")[("highs", "p0033.mps.gz")]
    assert r["status"] == "WRONG" and "known optimum 3000" in r["error"]
    assert r["verified"] == "solution"     # the point itself was feasible


# --------------------------------------------------------------------------
# reports, plots, Dask
# --------------------------------------------------------------------------

def test_reports_and_plots_written(tmp_path, sat_set, capsys):
    md = tmp_path / "RESULTS.md"
    md.write_text("# Results\n\nintro\n")
    args = ["-i", sat_set, "-s", "satmip,minisat22", "-o", tmp_path / "r.jsonl",
            "--markdown", md, "--csv", tmp_path / "s.csv", "--runs-csv", tmp_path / "runs.csv",
            "--plots", tmp_path / "plots"]
    assert bench(*args) == 0
    text = md.read_text()
    assert text.startswith("# Results\n\nintro\n")
    assert "Command: `satmip bench" in text and "minisat22" in text
    assert bench(*args, "--report-only") == 0          # same section replaced, not appended
    assert bench(*args, "--report-only", "-t", "7") == 0   # other limits: latest records still reported
    assert "| satmip | 6 |" in md.read_text()
    assert md.read_text().count(SECTION_BEGIN.format(name="bench")) == 1
    assert (tmp_path / "s.csv").read_text().count("\n") >= 3
    import csv
    with open(tmp_path / "runs.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == 12
    pngs = sorted(p.name for p in (tmp_path / "plots").glob("*.png"))
    assert pngs == ["cactus.png", "scatter_satmip_vs_minisat22.png"]
    for p in (tmp_path / "plots").glob("*.png"):
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_dask_local_cluster_gives_same_results(tmp_path, sat_set):
    base = ["-i", sat_set, "-s", "satmip,minisat22", "--include", "tiny-*", "--include", "hole8*"]
    assert bench(*base, "-o", tmp_path / "local.jsonl") == 0
    assert bench(*base, "-o", tmp_path / "dask.jsonl", "--dask", "local", "-j", "2") == 0
    local, dask = records(tmp_path / "local.jsonl"), records(tmp_path / "dask.jsonl")
    assert local.keys() == dask.keys() and len(local) == 6
    for k in local:
        assert (local[k]["status"], local[k]["verified"]) == (dask[k]["status"], dask[k]["verified"])
        assert local[k]["key"] == dask[k]["key"]


# --------------------------------------------------------------------------
# small parts
# --------------------------------------------------------------------------

def test_competition_output_parser(tmp_path, monkeypatch):
    from satmip.bench import competition

    def parse(text, nvars=3):
        p = tmp_path / "out.txt"
        p.write_text(text)
        answer, model = judge.parse_competition_output(str(p), nvars)
        return answer, None if model is None else model.tolist()

    assert parse("c hi\ns SATISFIABLE\nv 1 -2\nv 3 0\n") == ("SAT", [1, -2, 3, 0])
    assert parse("  s SATISFIABLE\n  v 3 -2 1 1 0") == ("SAT", [1, -2, 3, 0])   # by variable, once each
    assert parse("s SATISFIABLE\nv 1 -1 0\n") == ("SAT", [1, -1, 0])          # left for the model check
    assert parse("s UNSATISFIABLE\n") == ("UNSAT", None)
    assert parse("s UNKNOWN\n") == (None, None)
    for bad, why in [("", "no 's' line"), ("s SATISFIABLE\n", "without a complete"),
                     ("s SATISFIABLE\nv 1 2\n", "without a complete"),
                     ("s MAYBE\n", "unknown answer"), ("s SATISFIABLE\nv 1 a 0\n", "line 2: .*non-integer 'a'"),
                     ("s SATISFIABLE\nv 1 - 2 0\n", "non-integer '-'"),
                     (f"s SATISFIABLE\nv 1 {2 ** 70} 0\n", f"beyond 64 bits \\({2 ** 70}\\)"),
                     (f"s SATISFIABLE\nv 1 -{2 ** 64} 0\n", "beyond 64 bits"),
                     ("s SATISFIABLE\nv 1 -4 0\n", "names variable 4, the instance has 3"),
                     ("s SATISFIABLE\nv 1 0\ns UNSATISFIABLE\n", "conflicting")]:
        with pytest.raises(ValueError, match=why):
            parse(bad)
    # lines longer than the pieces the parser reads: tokens cut at a piece boundary are joined
    monkeypatch.setattr(competition, "PIECE", 16)
    assert parse("s SATISFIABLE\nv 1 -2 3 -12345 123456 0\n", 200_000) == \
        ("SAT", [1, -2, 3, -12345, 123456, 0])
    with pytest.raises(ValueError, match="beyond 64 bits"):
        parse(f"s SATISFIABLE\nv 1 {2 ** 70}", 5)
    with pytest.raises(ValueError, match="line 1: an 's' line of over 16 bytes"):
        parse("s SATISFIABLE" + " " * 20 + "\n")


def test_bad_literals_are_the_solvers_error(tmp_path):
    """A literal beyond 64 bits or beyond the instance: the run is the solver's ERROR
    with the reason, never an error of the harness."""
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "a.cnf").write_text(SAT_CNF)
    assert bench(fake_toml(tmp_path, ["huge-literal", "beyond-vars"])) == 0
    recs = records(tmp_path / "results.jsonl")
    huge, beyond = recs[("fake-huge-literal", "a.cnf")], recs[("fake-beyond-vars", "a.cnf")]
    assert huge["status"] == "ERROR" and "literal beyond 64 bits" in huge["error"], huge
    assert beyond["status"] == "ERROR" and "names variable 4, the instance has 3" in beyond["error"], beyond
    assert "harness" not in huge["error"] + beyond["error"]


def test_output_over_its_cap_is_the_solvers_error(tmp_path):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "a.cnf").write_text(SAT_CNF)
    cfg = fake_toml(tmp_path, ["flood"], extra="output_limit_mb = 5")
    assert bench(cfg) == 0
    r = records(tmp_path / "results.jsonl")[("fake-flood", "a.cnf")]
    assert r["status"] == "ERROR" and "output passed 5 MiB" in r["error"], r
    assert not _alive(int((tmp_path / "flood.pid").read_text()))


_HARNESS_PEAK = """
import sys
from satmip.cli import main

def high_water_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024

import satmip.bench.cli, satmip.bench.runner, numpy  # everything the harness loads, before the mark
start = high_water_mb()
code = main(["bench", "--no-progress", *sys.argv[1:]])
print("HARNESS-GREW-MB", code, high_water_mb() - start)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_huge_model_output_keeps_harness_memory_bounded(tmp_path):
    """~200 MB of 'v' lines (25 M literals; the harness once held them as a list,
    1.8 GB for 600 MB): the harness's peak memory grows by far less than the output.
    Takes ~6 s: the output must be large for the bound to mean anything."""
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "wide.cnf").write_text("p cnf 1000000 3\n1 2 0\n-1 3 0\n-2 -3 0\n")
    cfg = fake_toml(tmp_path, ["big-model"], time_limit=60)
    cfg.write_text(cfg.read_text().replace('[[solver]]\nname = "satmip"\n', ""))
    env = dict(os.environ, SATISFIER_MB="200")
    done = subprocess.run([sys.executable, "-c", _HARNESS_PEAK, str(cfg)], capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    code, grown = done.stdout.split("HARNESS-GREW-MB")[-1].split()
    r = records(tmp_path / "results.jsonl")[("fake-big-model", "wide.cnf")]
    assert (r["status"], r["verified"]) == ("SAT", "model"), r
    assert int(code) == 0
    print(f"harness grew by {grown} MiB")
    assert float(grown) < 100, f"the harness grew by {grown} MiB reading ~200 MB of output"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS")
def test_hard_address_space_limit_is_clamped_not_an_error(tmp_path):
    """Under `ulimit -v` lower than the cap the memory limit wants, runs get the hard
    limit (and the harness says so) instead of failing at their start."""
    import resource
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "a.cnf").write_text(SAT_CNF)
    (tmp_path / "set" / "b.cnf").write_text(UNSAT_CNF)
    cfg = fake_toml(tmp_path, ["honest"], memory=8192)     # wants 17 GiB of address space
    hard = 6 << 30

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))

    done = subprocess.run([sys.executable, "-m", "satmip", "bench", str(cfg), "--no-progress"],
                          capture_output=True, text=True, preexec_fn=limit, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    recs = records(tmp_path / "results.jsonl")
    assert {k: r["status"] for k, r in recs.items()} == {
        ("satmip", "a.cnf"): "SAT", ("satmip", "b.cnf"): "UNSAT",
        ("fake-honest", "a.cnf"): "SAT", ("fake-honest", "b.cnf"): "UNSAT"}
    assert "clamped to the hard limit of 6144 MiB" in done.stderr


def test_instance_selection(tmp_path, sat_set):
    from satmip.bench.instances import collect, kind_of, select
    assert kind_of("a.cnf.xz") == "sat" and kind_of("b.mps.gz") == "mip" and kind_of("c.txt") is None
    insts = collect([str(sat_set)])
    assert [i.name for i in insts][:2] == ["tiny-sat.cnf", "tiny-unsat.cnf"]
    assert insts[0].expected == "SAT" and insts[0].family == "tiny"
    picked = select(insts, subset=3)
    assert len({i.family for i in picked}) == 3      # round-robin over families
    assert [i.name for i in select(insts, families=["pigeon"])] == ["hole8.cnf.xz"]


def test_satmip_hook_runs_before_search(tmp_path, monkeypatch):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "a.cnf").write_text(SAT_CNF)
    shutil.copy(DATA / "bench" / "phase_hook.py", tmp_path / "phase_hook.py")
    mark = tmp_path / "mark.txt"
    monkeypatch.setenv("SATMIP_TEST_HOOK_MARK", str(mark))
    cfg = tmp_path / "hook.toml"
    cfg.write_text(f"""
[benchmark]
instances = "set"
results = "r.jsonl"
[[solver]]
name = "satmip-guided"
kind = "satmip"
hook = "phase_hook.py:all_true"
""")
    assert bench(cfg) == 0
    r = records(tmp_path / "r.jsonl")[("satmip-guided", "a.cnf")]
    assert r["status"] == "SAT" and "hook" in r["version"]
    assert mark.read_text() == "3\n"
    cfg.write_text(cfg.read_text().replace("all_true", "no_such_function"))
    assert bench(cfg) == 2


def test_dask_existing_cluster_by_address(tmp_path, sat_set):
    import distributed
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        assert bench("-i", sat_set, "-s", "satmip", "--include", "tiny-*",
                     "-o", tmp_path / "r.jsonl", "--dask", cluster.scheduler_address) == 0
    recs = records(tmp_path / "r.jsonl")
    assert {r["status"] for r in recs.values()} == {"SAT", "UNSAT"}


def test_killed_harness_leaves_no_solver_running(tmp_path, sat_set):
    cfg = fake_toml(tmp_path, ["sleep"], time_limit=30)
    pidfile = tmp_path / "sleep.pid"
    proc = subprocess.Popen([sys.executable, "-m", "satmip", "bench", str(cfg), "--no-progress",
                             "--include", "tiny-sat*"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    pid = int(pidfile.read_text())
    assert _alive(pid)
    proc.kill()              # no chance to clean up: the kernel must take the run down
    proc.wait()
    deadline = time.monotonic() + 60      # a wait, not a window: it ends once the run is gone
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def test_binary_lrat_and_pysat_drat_proofs_checked(tmp_path, sat_set):
    cfg = tmp_path / "proofs.toml"
    cfg.write_text(f"""
[benchmark]
instances = "{sat_set}"
include = ["tiny-unsat*", "hole8*"]
results = "r.jsonl"
[[solver]]
name = "satmip-lrat-binary"
kind = "satmip"
proof = "lrat-binary"
[[solver]]
name = "glucose42"
proof = "drat"
""")
    assert bench(cfg) == 0
    recs = records(tmp_path / "r.jsonl")
    assert len(recs) == 4
    for r in recs.values():
        assert (r["status"], r["verified"]) == ("UNSAT", "proof"), r
    cfg.write_text(cfg.read_text().replace('proof = "drat"', 'proof = "lrat"'))
    assert bench(cfg) == 2      # PySAT gives DRAT only: refused before running


def test_progress_bar_on_a_terminal():
    import io
    from satmip.bench.progress import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    out = Tty()
    bar = Progress(4, stream=out)
    for status in ("SAT", "WRONG", "TIMEOUT", "ERROR"):
        bar.update({"status": status, "solver": "s", "instance": "i", "time": 1.0})
    bar.close()
    last = out.getvalue().split("\r")[-1]
    assert last.startswith("[" + "#" * 24 + "] 4/4 runs, 1 solved, 1 WRONG, 1 errors")
    assert "ETA 0:00" in last and last.endswith("\n")
    assert out.getvalue().count("\r") == 4


def test_fingerprint_ignores_later_fields_while_empty():
    """Results files written before lp_options/mip_options existed keep their keys."""
    import hashlib
    from dataclasses import asdict
    from satmip.bench.solvers import SolverSpec

    spec = SolverSpec(label="highs", kind="highs", options={"threads": 1}, version="highspy 1.16.0")
    before = {k: v for k, v in asdict(spec).items() if k not in ("lp_options", "mip_options")}
    text = json.dumps(before, sort_keys=True, default=str)
    assert spec.fingerprint() == hashlib.sha1(text.encode()).hexdigest()[:16]
    spec.mip_options = {"gap": 0.0}
    assert spec.fingerprint() != hashlib.sha1(text.encode()).hexdigest()[:16]
