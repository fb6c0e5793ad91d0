"""bench/phases/make_sets.py and the phase evaluation's configurations: a labelled set
becomes a harness manifest with one oracle (backbone) and one Jeroslow-Wang phase file
per instance, and a command solver reads each instance's own file through
`{instance}.backbone`."""
from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import numpy as np
from helpers import console_script

from satmip.cli import main as satmip_main
from satmip.learn import make_dataset
from satmip.learn.baselines import jeroslow_wang
from satmip.learn.dataset import read_instance

ROOT = Path(__file__).resolve().parents[1]


def load_make_sets():
    spec = importlib.util.spec_from_file_location("make_sets", ROOT / "bench" / "phases" / "make_sets.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def phase_file(path) -> np.ndarray:
    return np.array([int(line) for line in Path(path).read_text().split()], dtype=np.int64)


def literals(phases: np.ndarray) -> np.ndarray:
    v = np.flatnonzero(phases)
    return np.where(phases[v] > 0, v, -v)


def test_write_phase_file_skips_zero_phases(tmp_path):
    make_sets = load_make_sets()
    make_sets.write_phase_file(tmp_path / "p", np.array([0, 1, 0, -1, 1], dtype=np.int8))
    assert (tmp_path / "p").read_text() == "1\n-3\n4\n"


def labelled_set(tmp_path):
    """Two tiny planted 3-SAT formulas at size 20 ('train') and one at 30 ('above')."""
    folder = tmp_path / "trained"
    for size, count in ((20, 2), (30, 1)):
        assert make_dataset.main(["--out", str(folder), "--families", "planted_ksat", "--sizes", str(size),
                                  "--count", str(count), "--seed", "1000000", "--holdout", "none",
                                  "--no-progress"]) == 0
    return folder


def test_finish_set_writes_manifest_and_phase_files(tmp_path):
    make_sets = load_make_sets()
    folder = labelled_set(tmp_path)
    summary = make_sets.finish_set(str(folder), {"planted_ksat": ((20,), 30)})
    assert summary["instances"] == 3 and summary["counts"]["planted_ksat-20"] == {"SAT": 2}
    with open(folder / "manifest.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["size"], r["size_class"], r["seed"]) for r in rows] == [
        ("20", "train", "1000000"), ("20", "train", "1000001"), ("30", "above", "1000000")]
    for row in rows:
        assert row["family"] == "planted_ksat" and row["status"] == "SAT"
        inst = read_instance(str(folder / "instances" / (Path(row["path"]).name[:-len(".cnf.xz")] + ".npz")))
        assert int(row["backbone"]) == int((inst.backbone != 0).sum()) > 0
        cnf = folder / row["path"]
        assert cnf.is_file()
        assert np.array_equal(phase_file(str(cnf) + ".backbone"), literals(inst.backbone))
        assert np.array_equal(phase_file(str(cnf) + ".jw"), literals(jeroslow_wang(inst.cnf)))


def test_oracle_command_reads_each_instance_own_phase_file(tmp_path):
    make_sets = load_make_sets()
    folder = labelled_set(tmp_path)
    make_sets.finish_set(str(folder), {"planted_ksat": ((20,), 30)})
    # A phase file that the command line refuses (a literal beyond the variables) for one
    # instance only: its oracle run fails, the others are solved, so each run got its own file.
    bad = folder / "cnf" / "planted_ksat-20-1000001.cnf.xz.backbone"
    bad.write_text("99999\n")
    exe = console_script("satmip")
    config = tmp_path / "oracle.toml"
    config.write_text(f"""
[benchmark]
instances = "{folder / 'manifest.csv'}"
time_limit = 20
results = "{tmp_path / 'r.jsonl'}"
[[solver]]
name = "oracle-s1"
kind = "command"
seed = 1
command = ["{exe}", "solve", "{{instance}}", "--seed", "{{seed}}", "--quiet", "--phases", "{{instance}}.backbone"]
""")
    satmip_main(["bench", "--no-progress", str(config)])
    status = {}
    for line in (tmp_path / "r.jsonl").read_text().splitlines():
        r = json.loads(line)
        status[r["instance"]] = (r["status"], r["verified"])
    assert status == {"cnf/planted_ksat-20-1000000.cnf.xz": ("SAT", "model"),
                      "cnf/planted_ksat-20-1000001.cnf.xz": ("ERROR", "none"),
                      "cnf/planted_ksat-30-1000000.cnf.xz": ("SAT", "model")}


GUIDANCE = {"default": [], "model": ["--phase-model", "default", "--no-phase-scores", "--phase-delay", "0"],
            "model+scores": ["--phase-model", "default", "--phase-scores", "--phase-delay", "0"],
            "model-auto": ["--phase-model", "default", "--no-phase-scores", "--phase-delay", "auto"],
            "model-auto+scores": ["--phase-model", "default", "--phase-scores", "--phase-delay", "auto"],
            "jw": ["--phase-model", "jw"], "oracle": ["--phases", "{instance}.backbone"]}


def test_configurations_differ_only_in_the_guidance():
    from satmip.bench.config import load_toml
    from satmip.bench.paired import split_label
    for name, configs in (("trained", list(GUIDANCE)), ("holdout", list(GUIDANCE)),
                          ("sat-dev", ["default", "model-auto"])):
        cfg = load_toml(str(ROOT / "bench" / "phases" / f"{name}.toml"))
        seen = set()
        for spec in cfg.solvers:
            config, seed = split_label(spec.label)
            assert spec.kind == "command" and spec.seed == seed and seed in (1, 2, 3)
            launcher, *args = spec.command
            assert launcher == str(ROOT / "bench" / "phases" / "satmip_cli.py")
            common = ["solve", "{instance}", "--seed", "{seed}", "--time-limit", "{time_limit}", "--quiet"]
            assert args == common + GUIDANCE[config], spec.label
            seen.add((config, seed))
        assert seen == {(c, s) for c in configs for s in (1, 2, 3)}


def test_launcher_marks_editable_finders_rebuilt_and_runs_the_cli(tmp_path, monkeypatch):
    import subprocess
    import sys

    launcher = ROOT / "bench" / "phases" / "satmip_cli.py"
    spec = importlib.util.spec_from_file_location("satmip_cli", launcher)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)

    class Finder:       # the two attributes of scikit-build-core's editable finders
        rebuild_flag, rebuilt = True, False

    finder = Finder()
    monkeypatch.setattr(sys, "meta_path", [finder, *sys.meta_path])
    assert mod.skip_editable_rebuild() >= 1 and finder.rebuilt
    cnf = tmp_path / "a.cnf"
    cnf.write_text("p cnf 3 3\n1 2 0\n-1 3 0\n-2 -3 0\n")
    run = subprocess.run([sys.executable, str(launcher), "solve", str(cnf), "--quiet"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 10 and run.stdout.startswith("s SATISFIABLE\nv ")
