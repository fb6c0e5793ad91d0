"""Branching samples as learn2branch collects them: the expert's sampling rate and
following it, streaming to on_sample, what each sample carries, the static part of the
state built once, Ecole's NodeBipartite layout, the sample files and the resumable
collector (satmip.learn.collect_samples)."""
import os
from pathlib import Path

import numpy as np
import pytest

from satmip import Model
from satmip.learn import collect_samples
from satmip.learn.ecole_layout import ROW_FEATURES as ECOLE_ROW
from satmip.learn.ecole_layout import VARIABLE_FEATURES as ECOLE_VAR
from satmip.learn.ecole_layout import ecole_static, to_ecole
from satmip.learn.sample_files import SampleFile, SampleWriter, is_complete
from satmip.mip import COL_FEATURES, ROW_FEATURES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "mip"
TREE = dict(presolve=False, cuts=False, gap=0)
R = {name: k for k, name in enumerate(ROW_FEATURES)}
C = {name: k for k, name in enumerate(COL_FEATURES)}


def p0033() -> Model:
    return Model.from_mps(DATA / "p0033.mps.gz")


# ---------------------------------------------------------------- sampling rate and rule
def test_rate_zero_queries_no_expert_and_leaves_the_tree_alone():
    model = p0033()
    plain = model.solve(**TREE)
    r = model.solve(**TREE, record_samples=True, sample_rate=0.0)
    assert r.expert_calls == 0 and r.samples == []
    assert r.node_state_builds > 0   # branching nodes there were
    # No probe ran: the search is the plain one.
    assert (r.nodes, r.lp_iterations) == (plain.nodes, plain.lp_iterations)


def test_rate_one_queries_every_branching_node():
    r = p0033().solve(**TREE, record_samples=True, sample_rate=1.0)
    assert r.expert_calls == r.node_state_builds == len(r.samples) > 1


def test_partial_rate_is_seeded():
    model = p0033()
    a = model.solve(**TREE, record_samples=True, sample_rate=0.4, seed=1)
    b = model.solve(**TREE, record_samples=True, sample_rate=0.4, seed=1)
    assert 0 < a.expert_calls < a.node_state_builds
    assert a.expert_calls == b.expert_calls == len(a.samples)
    assert [s["node_id"] for s in a.samples] == [s["node_id"] for s in b.samples]
    others = {tuple(s["node_id"] for s in model.solve(**TREE, record_samples=True, sample_rate=0.4,
                                                        seed=seed).samples) for seed in (2, 3, 4)}
    assert len(others | {tuple(s["node_id"] for s in a.samples)}) > 1


def test_follow_expert_branches_on_the_experts_column():
    model = p0033()
    followed = model.solve(**TREE, record_samples=True, sample_follow_expert=True)
    assert followed.status == "optimal" and followed.objective == pytest.approx(3089.0)
    assert followed.samples and all(s["column"] == s["expert_column"] for s in followed.samples)
    # Without following, the rule (most fractional here) decides and differs somewhere.
    ruled = model.solve(**TREE, record_samples=True, branching="most_fractional")
    assert any(s["column"] != s["expert_column"] for s in ruled.samples)


def test_bad_rate_is_refused():
    with pytest.raises(ValueError, match="sample_rate"):
        p0033().solve(**TREE, record_samples=True, sample_rate=1.5)


# ---------------------------------------------------------------- streaming and contents
def test_on_sample_streams_each_sample_with_its_ids():
    model = p0033()
    kept = model.solve(**TREE, record_samples=True)
    streamed = []
    r = model.solve(**TREE, record_samples=True, on_sample=streamed.append)
    assert r.samples == [] and len(streamed) == r.expert_calls == len(kept.samples)
    ids = [s["node_id"] for s in streamed]
    assert len(set(ids)) == len(ids)
    for s, k in zip(streamed, kept.samples):
        np.testing.assert_array_equal(s["col_features"], k["col_features"])
        assert (s["node_id"], s["parent_id"], s["depth"]) == (k["node_id"], k["parent_id"], k["depth"])
        assert (s["parent_id"] == -1) == (s["depth"] == 0) and s["depth"] == s["facts"]["depth"]
        np.testing.assert_array_equal(s["columns"], np.arange(model.num_cols))
    assert streamed[0]["depth"] == 0
    # At rate 1 every branching node is sampled, and a node's parent branched: so every
    # parent is an earlier sample (the root's is -1).
    position = {}
    for k, s in enumerate(streamed):
        assert s["parent_id"] == -1 or position[s["parent_id"]] < k
        position[s["node_id"]] = k
    iterations = [s["lp_iterations"] for s in streamed]
    assert iterations == sorted(iterations) and iterations[-1] <= r.lp_iterations


def test_columns_map_to_the_original_model_after_presolve():
    model = p0033()
    r = model.solve(gap=0, cuts=False, record_samples=True)
    s = r.samples[0]
    cols = s["columns"]
    assert cols.size == s["col_features"].shape[0] <= model.num_cols
    assert np.all(np.diff(cols) > 0) and cols[-1] < model.num_cols


def test_exception_in_on_sample_stops_the_search():
    class Enough(Exception):
        pass

    def sink(sample):
        raise Enough

    with pytest.raises(Enough):
        p0033().solve(**TREE, record_samples=True, on_sample=sink)


# ---------------------------------------------------------------- static part once
def test_static_part_built_once_per_solve_and_shared():
    for model, cuts in ((p0033(), False), (small_auction(), True)):
        r = model.solve(gap=0, presolve=False, cuts=cuts, record_samples=True)
        assert r.node_state_builds > 1 and r.node_state_static_builds == 1
        assert (r.cuts["rows"] > 0) == cuts   # the cut rows are in the static part
        versions = {s["static_version"] for s in r.samples}
        assert versions == {1}
        pointers = {s["edge_col"].__array_interface__["data"][0] for s in r.samples}
        assert len(pointers) == 1   # one buffer, shared by every sample
    # Without recording, no state at all.
    assert p0033().solve(**TREE).node_state_static_builds == 0


# ---------------------------------------------------------------- Ecole's layout
def tiny_model() -> Model:
    """Rows: 0 equality, 1 ranged, 2 <=, 3 >=; a binary, an integer and a continuous column."""
    A = [[1, 2, 0], [0, 3, -1], [4, 0, 1], [1, 1, 1]]
    return Model.from_arrays(c=[-3, -2, 1], A=A, row_lower=[2, -1, -np.inf, 1], row_upper=[2, 5, 6, np.inf],
                             col_lower=[0, 0, 0], col_upper=[1, 4, 3], integrality=[1, 1, 0])


def test_ecole_layout_shape_and_order_on_a_tiny_model():
    model = tiny_model()
    states = []
    model.solve(presolve=False, cuts=False, heuristics=False, propagation=False,
                on_branch=lambda s: states.append({k: (v.copy() if isinstance(v, np.ndarray) else v)
                                                   for k, v in s.items()}))
    s = states[0]
    e = to_ecole(s)
    # Ecole rows: the equality's lower then upper side, the ranged row's two, the <= row's
    # upper, the >= row's lower: six.
    st = ecole_static(s)
    np.testing.assert_array_equal(st.row_of, [0, 0, 1, 1, 2, 3])
    np.testing.assert_array_equal(st.sign, [-1, 1, -1, 1, 1, -1])
    assert e["row_features"].shape == (6, len(ECOLE_ROW)) == (6, 5)
    assert e["variable_features"].shape == (3, len(ECOLE_VAR)) == (3, 19)
    nnz = 2 + 2 + 2 + 2 + 2 + 3
    assert e["edge_index"].shape == (2, nnz) and e["edge_values"].shape == (nnz,)
    dense = np.zeros((6, 3))
    dense[tuple(e["edge_index"])] = e["edge_values"]
    A = np.array([[1, 2, 0], [0, 3, -1], [4, 0, 1], [1, 1, 1]], dtype=float)
    norms = np.linalg.norm(A, axis=1)
    expect = np.array([-A[0], A[0], -A[1], A[1], A[2], -A[3]]) / norms[[0, 0, 1, 1, 2, 3], None]
    np.testing.assert_allclose(dense, expect)
    bias = e["row_features"][:, ECOLE_ROW.index("bias")]
    np.testing.assert_allclose(bias, np.array([-2, 2, 1, 5, 6, -1]) / norms[[0, 0, 1, 1, 2, 3]])
    cos = e["row_features"][:, ECOLE_ROW.index("objective_cosine_similarity")]
    c = np.array([-3, -2, 1.0])
    np.testing.assert_allclose(cos, (expect @ c) / np.linalg.norm(c))
    dual = e["row_features"][:, ECOLE_ROW.index("dual_solution_value")]
    rf = s["row_features"]
    np.testing.assert_allclose(dual, [-rf[0, R["dual_normalized"]], rf[0, R["dual_normalized"]],
                                      -rf[1, R["dual_normalized"]], rf[1, R["dual_normalized"]],
                                      rf[2, R["dual_normalized"]], -rf[3, R["dual_normalized"]]])
    tight = e["row_features"][:, ECOLE_ROW.index("is_tight")]
    np.testing.assert_array_equal(tight[[0, 2, 5]], rf[[0, 1, 3], R["is_tight_lower"]])
    np.testing.assert_array_equal(tight[[1, 3, 4]], rf[[0, 1, 2], R["is_tight_upper"]])
    v = e["variable_features"]
    np.testing.assert_array_equal(v[:, 1:5], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]])   # type one-hot
    x = s["col_features"][:, C["lp_value"]]
    np.testing.assert_allclose(v[:, ECOLE_VAR.index("solution_value")], x)
    frac = v[:, ECOLE_VAR.index("solution_frac")]
    np.testing.assert_allclose(frac[:2], x[:2] - np.floor(x[:2] + 1e-6))
    assert frac[2] == 0 and 0 < frac[1] < 1   # the fractional column branched on
    has_incumbent = np.isfinite(s["facts"]["primal_bound"])
    assert np.isnan(v[:, ECOLE_VAR.index("incumbent_value")]).all() == (not has_incumbent)


# ---------------------------------------------------------------- files
def test_sample_file_round_trip_both_layouts(tmp_path):
    model = p0033()
    for layout in ("satmip", "ecole"):
        path = tmp_path / f"p0033-{layout}.npz"
        kept = []
        with SampleWriter(path, instance="p0033", seed=0, layout=layout) as w:
            def sink(sample):
                kept.append({k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in sample.items()})
                w.add(sample)
            model.solve(**TREE, record_samples=True, sample_rate=0.5, sample_follow_expert=True, on_sample=sink)
            assert not path.exists()   # only .part until closed
        f = SampleFile(path)
        assert len(f) == len(kept) > 0 and f.layout == layout and is_complete(path)
        for k, s in enumerate(f):
            ref = kept[k]
            assert (s["node_id"], s["parent_id"], s["depth"], s["column"], s["expert_column"]) == \
                (ref["node_id"], ref["parent_id"], ref["depth"], ref["column"], ref["expert_column"])
            assert s["instance"] == "p0033"
            np.testing.assert_array_equal(s["scores"], ref["scores"])
            if layout == "satmip":
                np.testing.assert_allclose(s["col_features"], ref["col_features"], rtol=1e-6)
                np.testing.assert_array_equal(s["edge_col"], ref["edge_col"])
            else:
                np.testing.assert_allclose(s["variable_features"], to_ecole(ref)["variable_features"], rtol=1e-6)
        if layout == "ecole":
            obs, action, action_set, scores = f.ecole_tuple(0)
            assert obs.edge_features.indices.shape[0] == 2 and obs.variable_features.shape[1] == 19
            assert action == kept[0]["expert_column"] and action == action_set[np.nanargmax(scores[action_set])]
        # the static part is stored once
        assert sum(1 for name in f._npz.files if name.endswith("edge_values")) == 1


def test_aborted_writer_leaves_no_file(tmp_path):
    path = tmp_path / "x.npz"
    with pytest.raises(RuntimeError):
        with SampleWriter(path, instance="x"):
            raise RuntimeError("boom")
    assert not path.exists() and not Path(str(path) + ".part").exists()


# ---------------------------------------------------------------- the collector
def small_auction(seed: int = 0) -> Model:
    """20 items x 60 bids: seeds 0, 4 and 5 branch (with cuts, tens of nodes in 0.1 s)."""
    from satmip.learn.instances import generate
    return generate("cauctions", seed=seed, n_items=20, n_bids=60)


def small_instances(folder: Path, count: int = 2) -> Path:
    from satmip.learn.instances import write_mps
    folder.mkdir()
    for seed in (0, 4)[:count]:
        write_mps(small_auction(seed), folder / f"ca_{seed}.mps.gz")
    return folder


def test_collector_collects_and_resumes(tmp_path):
    inst = small_instances(tmp_path / "inst")
    out = tmp_path / "out"
    argv = ["--instances", str(inst), "--out", str(out), "--samples", "6", "--rate", "0.5",
            "--no-progress", "--time-limit", "20"]
    assert collect_samples.main(argv) == 0
    files = sorted((out / "samples").glob("*.npz"))
    total = sum(len(SampleFile(p)) for p in files)
    assert total >= 6 and all(is_complete(p) for p in files)
    records = (out / "records.jsonl").read_text().splitlines()
    # A rerun has nothing to do.
    args = collect_samples.parse_args(argv)
    summary = collect_samples.collect(args, progress=False)
    assert summary["new_samples"] == 0 and summary["samples"] == total
    assert (out / "records.jsonl").read_text().splitlines() == records
    # A lost file and a partial one are redone, the others kept.
    lost, kept = files[0], files[1:]
    mtimes = [os.path.getmtime(p) for p in kept]
    lost.unlink()
    Path(str(lost) + ".part").write_bytes(b"PK\x03\x04 truncated")
    summary = collect_samples.collect(args, progress=False)
    assert summary["new_samples"] == len(SampleFile(lost)) > 0 and is_complete(lost)
    assert not Path(str(lost) + ".part").exists()
    assert [os.path.getmtime(p) for p in kept] == mtimes
    # A larger --samples extends the folder with the next round (seed 1) after the kept ones.
    more = collect_samples.parse_args(argv[:5] + [str(total + 1)] + argv[6:])
    summary = collect_samples.collect(more, progress=False)
    assert summary["samples"] > total and summary["new_samples"] == summary["samples"] - total
    assert sorted(p.name for p in (out / "samples").glob("*-s1.npz"))


def test_collector_per_episode_cap_and_ecole_layout(tmp_path):
    inst = small_instances(tmp_path / "inst", count=1)
    out = tmp_path / "out"
    argv = ["--instances", str(inst), "--out", str(out), "--samples", "4", "--rate", "1",
            "--per-episode", "2", "--layout", "ecole", "--no-progress"]
    assert collect_samples.main(argv) == 0
    files = sorted((out / "samples").glob("*.npz"))
    assert [len(SampleFile(p)) for p in files] == [2, 2]   # two rounds (seeds 0, 1) of one instance
    assert SampleFile(files[0]).ecole_tuple(0)[0].row_features.shape[1] == 5


def test_interrupted_episode_leaves_no_file(tmp_path, monkeypatch):
    from satmip import model as model_module
    inst = small_instances(tmp_path / "inst", count=1)
    real = model_module.Model.solve

    def interrupted(self, *args, **kw):   # as Ctrl-C in the worker: the solve returns early
        r = real(self, *args, **kw)
        r.status = "interrupted"
        return r

    monkeypatch.setattr(model_module.Model, "solve", interrupted)
    args = collect_samples.parse_args(["--instances", str(inst), "--out", str(tmp_path / "out"), "--samples", "2",
                                       "--rate", "1", "--no-progress"])
    job = collect_samples.episode_jobs(args, collect_samples.find_instances(str(inst)), 0)[0]
    record = collect_samples.collect_episode(job)
    assert record["status"] == "INTERRUPTED"
    assert not os.path.exists(job["file"]) and not os.path.exists(job["file"] + ".part")


def test_collector_stop_after_starts_no_episode_past_its_time_and_a_rerun_goes_on(tmp_path):
    inst = small_instances(tmp_path / "inst", count=1)
    out = tmp_path / "out"
    argv = ["--instances", str(inst), "--out", str(out), "--samples", "2", "--rate", "1", "--no-progress"]
    summary = collect_samples.collect(collect_samples.parse_args(argv + ["--stop-after", "0"]), progress=False)
    assert summary["stopped"] and summary["samples"] == summary["episodes"] == 0
    assert not list((out / "samples").glob("*")) if (out / "samples").exists() else True
    assert collect_samples.main(argv + ["--stop-after", "600"]) == 0   # time enough: as without it
    assert sum(len(SampleFile(p)) for p in (out / "samples").glob("*.npz")) >= 2
