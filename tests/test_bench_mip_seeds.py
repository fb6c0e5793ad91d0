"""`satmip bench` on MPS files with a seed axis and hooks (issue 14, Evaluation): `seeds`
in a solver table and `--seeds` expand a solver into LABEL-sSEED runs; each backend
hands the seed to its solver; a satmip hook returns solve options (a branching
callback) inside the timed region; satmip.bench.paired adds nodes for MILP runs."""
from __future__ import annotations

import json
import math
import os

import pytest

from satmip.bench import paired
from satmip.bench.child import HighsBackend, SatmipMpsBackend, ScipBackend
from satmip.bench.config import load_toml, validate
from satmip.bench.errors import BenchConfigError
from satmip.cli import main as satmip_main
from satmip.learn.instances import generate, write_mps


def bench(*args) -> int:
    return satmip_main(["bench", "--no-progress", *map(str, args)])


def records(path) -> dict:
    with open(path) as f:
        return {(r["solver"], r["instance"]): r for r in map(json.loads, f)}


@pytest.fixture
def mip_set(tmp_path):
    """Two small independent-set MILPs with an integrality gap (satmip branches on them)."""
    folder = tmp_path / "set"
    folder.mkdir()
    for seed in (0, 1):
        write_mps(generate("indset", seed=seed, n_nodes=80), folder / f"indset_{seed}.mps.gz")
    return folder


def spec_dict(kind: str, seed: int, **extra) -> dict:
    spec = {"label": kind, "kind": kind, "name": None, "config": None, "options": {}, "lp_options": {},
            "mip_options": {}, "seed": seed, "command": None, "problem": "mip", "proof": None,
            "hook": None, "version": None}
    spec.update(extra)
    return spec


# ---- the seed axis in configurations ----

def write_toml(tmp_path, solvers: str, report: str = ""):
    path = tmp_path / "b.toml"
    path.write_text(f'[benchmark]\ninstances = "set"\n{report}\n{solvers}')
    return str(path)


def test_seeds_expand_a_table_into_labelled_runs(tmp_path):
    cfg = load_toml(write_toml(tmp_path, '[[solver]]\nname = "satmip"\nseeds = [1, 2, 3]\n'
                                         'mip_options = { branching = "strong" }\n'
                                         '[[solver]]\nname = "scip"\nseeds = [1, 2, 3]\n',
                               '[report]\nbaseline = "satmip"'))
    assert [(s.label, s.seed) for s in cfg.solvers] == [
        ("satmip-s1", 1), ("satmip-s2", 2), ("satmip-s3", 3), ("scip-s1", 1), ("scip-s2", 2), ("scip-s3", 3)]
    assert all(s.mip_options == {"branching": "strong"} for s in cfg.solvers[:3])
    assert cfg.solvers[0].fingerprint() != cfg.solvers[1].fingerprint()   # separate resume keys
    cfg.instances = ["x"]
    assert validate(cfg).baseline == "satmip-s1"                          # the configuration's first seed


@pytest.mark.parametrize("table, message", [
    ('name = "satmip"\nseed = 1\nseeds = [1, 2]', "seed or seeds, not both"),
    ('name = "satmip"\nseeds = []', "non-empty list"),
    ('name = "satmip"\nseeds = [1, -2]', "integers >= 0"),
    ('name = "satmip"\nseeds = [1, 1]', "repeat a seed"),
    ('name = "satmip-s1"\nkind = "satmip"\nseeds = [1, 2]', "already names a seed"),
    ('name = "satmip"\nmip_options = { seed = 3 }', "solver's seed"),
])
def test_bad_seeds_are_configuration_errors(tmp_path, table, message):
    with pytest.raises(BenchConfigError, match=message):
        cfg = load_toml(write_toml(tmp_path, "[[solver]]\n" + table + "\n"))
        cfg.instances = ["x"]
        validate(cfg)


# ---- each backend gives the seed to its solver ----

def test_satmip_mps_backend_passes_the_seed_and_the_hooks_options(tmp_path, monkeypatch):
    import satmip.mip
    seen = {}

    def fake_solve_mip(model, **kwargs):
        seen.update(kwargs)
        raise RuntimeError("stop here")

    monkeypatch.setattr(satmip.mip, "solve_mip", fake_solve_mip)
    hook = tmp_path / "h.py"
    hook.write_text("def options(model):\n    return {'branching': 'strong', 'node_limit': model.num_cols}\n")
    path = tmp_path / "m.mps"
    write_mps(generate("indset", n_nodes=30), path)
    backend = SatmipMpsBackend(spec_dict("satmip", 7, hook=f"{hook}:options",
                                         mip_options={"branching": "pseudocost", "gap": 0.0}))
    with pytest.raises(RuntimeError, match="stop here"):
        backend.solve(backend.read(str(path)), 10.0, str(tmp_path))
    assert seen["seed"] == 7 and seen["gap"] == 0.0
    assert seen["branching"] == "strong" and seen["node_limit"] == 30      # the hook's over mip_options
    assert 0 < seen["time_limit"] <= 10.0


@pytest.mark.parametrize("body, message", [("return 3", "returned int, not a dict"),
                                           ("return {'time_limit': 1}", "may not set time_limit"),
                                           ("return {'seed': 1}", "may not set seed")])
def test_a_hook_that_returns_nonsense_is_an_error(tmp_path, body, message):
    hook = tmp_path / "h.py"
    hook.write_text(f"def options(model):\n    {body}\n")
    path = tmp_path / "m.mps"
    write_mps(generate("indset", n_nodes=30), path)
    backend = SatmipMpsBackend(spec_dict("satmip", 0, hook=f"{hook}:options"))
    with pytest.raises((TypeError, ValueError), match=message):
        backend.solve(backend.read(str(path)), 10.0, str(tmp_path))


def test_highs_and_scip_backends_take_the_seed(tmp_path):
    path = tmp_path / "m.mps"
    write_mps(generate("indset", n_nodes=30), path)
    highs = HighsBackend(spec_dict("highs", 5, options={"threads": 1}))
    h = highs.read(str(path))
    assert highs.solve(h, 10.0, str(tmp_path))["answer"] == "OPTIMAL"
    value = h.getOptionValue("random_seed")          # (status, value) in recent highspy
    assert (value[1] if isinstance(value, tuple) else value) == 5
    scip = ScipBackend(spec_dict("scip", 4))
    model = scip.read(str(path))
    assert scip.solve(model, 10.0, str(tmp_path))["answer"] == "OPTIMAL"
    assert model.getParam("randomization/randomseedshift") == 4


# ---- end to end: satmip bench on MPS files ----

def test_bench_runs_every_solver_under_every_seed(tmp_path, mip_set, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "r.jsonl"
    run = ["-i", mip_set, "--include", "indset_1*", "-s", "satmip,highs", "--seeds", "1,2", "-o", out, "-t", 20]
    assert bench(*run, "--labels", "*-s2") == 0
    assert {k[0] for k in records(out)} == {"satmip-s2", "highs-s2"}         # one seed at a time
    assert bench(*run) == 0                                                  # resumes with seed 1
    recs = records(out)
    assert sorted(recs) == sorted((f"{s}-s{n}", "indset_1.mps.gz") for s in ("satmip", "highs") for n in (1, 2))
    assert {r["status"] for r in recs.values()} == {"OPTIMAL"}
    assert len({round(r["objective"], 6) for r in recs.values()}) == 1      # every run agrees
    grid = paired.build_grid(list(recs.values()))
    assert grid.configs == ["satmip", "highs"] and sorted(grid.seeds) == [1, 2]
    by = {r.config: r for r in paired.rows(grid, "satmip")}
    assert by["satmip"].answers == {"OPTIMAL": 2} and by["satmip"].nodes_instances == 1
    assert by["satmip"].nodes_gm_ratio == pytest.approx(1.0)


def test_bench_satmip_hook_branches_on_mps(tmp_path, mip_set, monkeypatch):
    """A hook's on_branch callback picks the branching column at every node: a model
    or callback per solver entry, run inside the timed region."""
    monkeypatch.chdir(tmp_path)
    mark = tmp_path / "mark.txt"
    (tmp_path / "branch_hook.py").write_text(f"""
import numpy as np

def first_candidate(model):
    calls = []

    def on_branch(state):
        calls.append(1)
        with open({str(mark)!r}, "a") as f:
            f.write("x")
        return int(state["candidates"][0])

    return {{"on_branch": on_branch}}
""")
    (tmp_path / "b.toml").write_text(f"""
[benchmark]
instances = "{mip_set}"
results = "r.jsonl"
time_limit = 20
[[solver]]
name = "satmip-callback"
kind = "satmip"
seeds = [1]
hook = "branch_hook.py:first_candidate"
mip_options = {{ gap = 0.0 }}
""")
    assert bench(tmp_path / "b.toml") == 0
    recs = records(tmp_path / "r.jsonl")
    assert {r["status"] for r in recs.values()} == {"OPTIMAL"}
    assert all("hook" in r["version"] for r in recs.values())
    assert len(mark.read_text()) >= 1     # the callback chose at least one branching


def test_a_failing_hook_is_the_runs_error(tmp_path, mip_set, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad_hook.py").write_text("def options(model):\n    return ['strong']\n")
    (tmp_path / "b.toml").write_text(f"""
[benchmark]
instances = "{mip_set}"
results = "r.jsonl"
[[solver]]
name = "satmip"
hook = "bad_hook.py:options"
""")
    bench(tmp_path / "b.toml")
    recs = records(tmp_path / "r.jsonl")
    assert {r["status"] for r in recs.values()} == {"ERROR"}
    assert all("not a dict of solve options" in r["error"] for r in recs.values())


# ---- paired statistics of MILP runs ----

def mip_rec(solver, instance, time, nodes, status="OPTIMAL", limit=10.0):
    solved = status == "OPTIMAL"
    return {"key": f"{solver}|{instance}", "solver": solver, "instance": instance, "family": "f",
            "expected": None, "status": status, "answer": status if solved else None,
            "time": time if solved else None, "wall": time, "time_limit": limit,
            "stats": {"nodes": nodes, "lp_iterations": 10}}


def test_paired_nodes_by_hand():
    """nodes, shift 10:
                  a       b       c
    base-s1       10      30      TIMEOUT (500)
    base-s2       30      30      50
    gnn-s1        0       10      5
    gnn-s2        10      10      5
    c is left out of the nodes (base did not solve it under seed 1)."""
    recs = [mip_rec("base-s1", "a", 1, 10), mip_rec("base-s1", "b", 1, 30),
            mip_rec("base-s1", "c", 10, 500, "TIMEOUT"),
            mip_rec("base-s2", "a", 1, 30), mip_rec("base-s2", "b", 1, 30), mip_rec("base-s2", "c", 2, 50),
            mip_rec("gnn-s1", "a", 1, 0), mip_rec("gnn-s1", "b", 1, 10), mip_rec("gnn-s1", "c", 1, 5),
            mip_rec("gnn-s2", "a", 1, 10), mip_rec("gnn-s2", "b", 1, 10), mip_rec("gnn-s2", "c", 1, 5)]
    grid = paired.build_grid(recs)
    by = {r.config: r for r in paired.rows(grid, "base")}
    base, gnn = by["base"], by["gnn"]
    assert base.nodes_instances == gnn.nodes_instances == 2
    assert base.nodes_sgm == pytest.approx(math.exp((math.log(20) + 3 * math.log(40)) / 4) - 10)
    assert gnn.nodes_sgm == pytest.approx(math.exp((math.log(10) + 3 * math.log(20)) / 4) - 10)
    # seed means: base a 20, b 30; gnn a 5, b 10 -> ratios (15/30, 20/40)
    assert gnn.nodes_gm_ratio == pytest.approx(0.5) and base.nodes_gm_ratio == pytest.approx(1.0)
    assert base.answers == {"OPTIMAL": 5} and gnn.answers == {"OPTIMAL": 6}
    text = paired.report(grid, "base")
    assert "| config | runs | solved | OPTIMAL | PAR-2 (s) |" in text and "nodes gm paired ratio" in text
    assert "| gnn | 6 | 6 | 6 | " in text
    gnn_line = next(line for line in text.splitlines() if line.startswith("| gnn | 6"))
    assert gnn_line.endswith(f" {gnn.nodes_sgm:.1f} | 0.500 |")
    assert "over the 2 instance(s) every configuration solved" in text


def test_paired_sat_tables_keep_their_columns():
    recs = [{"key": f"{s}|a", "solver": s, "instance": "a", "family": "f", "expected": "SAT",
             "status": "SAT", "answer": "SAT", "time": 1.0, "wall": 1.0, "time_limit": 10.0,
             "stats": {"conflicts": 3}} for s in ("default-s1", "model-s1")]
    text = paired.report(paired.build_grid(recs), "default")
    assert "| config | runs | solved | SAT | UNSAT |" in text and "nodes" not in text


def test_satmip_mps_backend_reports_the_branching_models_forwards(tmp_path):
    """With branching "gnn" the run's stats carry the GCNN's forward passes and their
    seconds (issue 14's inference time per node); without a model they are absent."""
    model_file = os.path.join(os.path.dirname(__file__), "data", "mip", "branch_gcnn_e16.npz")
    path = tmp_path / "m.mps"
    write_mps(generate("indset", seed=1, n_nodes=60), path)
    stats = {}
    for rule, options in (("gnn", {"branching_model": model_file}), ("pseudocost", {})):
        backend = SatmipMpsBackend(spec_dict("satmip", 0, mip_options={"branching": rule, "gap": 0.0, **options}))
        stats[rule] = backend.solve(backend.read(str(path)), 30.0, str(tmp_path))["stats"]
    assert stats["gnn"]["branching_model_calls"] > 0 and stats["gnn"]["branching_model_seconds"] > 0
    assert stats["gnn"]["branching_model_calls"] <= stats["gnn"]["nodes"]
    assert "branching_model_calls" not in stats["pseudocost"]


def test_branching_evaluation_config_and_its_hooks(tmp_path, monkeypatch):
    """bench/branching/eval.toml (issue 14's evaluation) loads with the family from the
    environment, and its hooks give the native rule the family's model and the Python
    route an on_branch that picks what branching="gnn" picks (the e16 test model)."""
    from satmip.bench.hooks import load_hook
    bench = os.path.join(os.path.dirname(__file__), "..", "bench", "branching")
    model_file = os.path.join(os.path.dirname(__file__), "data", "mip", "branch_gcnn_e16.npz")
    monkeypatch.setenv("BRANCH_FAMILY", "indset")
    monkeypatch.setenv("BRANCH_EVAL_DIR", str(tmp_path))
    cfg = load_toml(os.path.join(bench, "eval.toml"))
    assert all("/indset/" in path for path in cfg.instances)
    labels = [s.label for s in cfg.solvers]
    assert {"default-s1", "gnn-s3", "gnn-python-s2", "reliability-s1", "strong-s1", "scip-s3"} <= set(labels)
    assert load_hook(os.path.join(bench, "gnn_hooks.py:native"))(None) == {"branching": "gnn",
                                                                           "branching_model": "indset"}
    monkeypatch.setenv("BRANCH_MODEL", model_file)
    python_route = load_hook(os.path.join(bench, "gnn_hooks.py:python"))(None)
    model = generate("indset", seed=1, n_nodes=60)
    native = model.solve(gap=0.0, branching="gnn", branching_model=model_file)
    python = model.solve(gap=0.0, **python_route)
    assert native.status == python.status == "optimal" and native.nodes == python.nodes > 1
