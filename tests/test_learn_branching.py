"""The branching GCNN (GCNN_SPEC): sample files as PyG graphs, the module against a
plain per-edge reading of the spec, the weights file's round trip and refusals, the
reference file, and train_branching's run, resume and export on a few tiny auctions
(needs torch and torch-geometric: skipped without them)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the GCNN needs torch (pip install 'satmip[learn]')")
pytest.importorskip("torch_geometric", reason="the GCNN needs torch-geometric")

from torch_geometric.data import Batch  # noqa: E402

from satmip.learn import branch_export, train_branching  # noqa: E402
from satmip.learn.branch_dataset import (feature_moments, fit_normalisation, load_graphs,  # noqa: E402
                                         state_graph)
from satmip.learn.branch_model import BranchGCNN  # noqa: E402
from satmip.learn.sample_files import SampleFile, SampleWriter  # noqa: E402
from satmip.mip import COL_FEATURES  # noqa: E402

SPLITS = {"train": (0, 4), "valid": (5,), "test": (11,)}   # seeds that branch


def auction(seed: int):
    from satmip.learn.instances import generate
    return generate("cauctions", seed=seed, n_items=20, n_bids=60)


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    """ROOT/ca/{train,valid,test}/samples/*.npz: every branching node of small auctions."""
    root = tmp_path_factory.mktemp("branching")
    for split, seeds in SPLITS.items():
        for seed in seeds:
            path = root / "ca" / split / "samples" / f"ca_{seed}-s0.npz"
            with SampleWriter(path, instance=f"ca_{seed}", seed=0) as w:
                auction(seed).solve(seed=0, record_samples=True, sample_rate=1.0, sample_follow_expert=True,
                                    on_sample=w.add, node_limit=40)
    return root


def first_sample(samples: Path) -> dict:
    path = sorted((samples / "ca" / "train" / "samples").glob("*.npz"))[0]
    return SampleFile(path)[0]


# ---------------------------------------------------------------- the graphs
def test_graph_holds_the_samples_state(samples):
    s = first_sample(samples)
    g = state_graph(s)
    m, n = s["row_features"].shape[0], s["col_features"].shape[0]
    assert g.row_x.shape == (m, 9) and g.col_x.shape == (n, len(COL_FEATURES)) and g.num_nodes == n
    dense = np.zeros((m, n))
    for r in range(m):   # the CSR, read directly
        for e in range(s["edge_row_ptr"][r], s["edge_row_ptr"][r + 1]):
            dense[r, s["edge_col"][e]] = s["edge_values"][e, 0]
    rebuilt = np.zeros((m, n))
    rows, cols = g.edge_index.numpy()
    rebuilt[rows, cols] = g.edge_attr.numpy()[:, 0]
    assert np.array_equal(dense, rebuilt) and g.edge_index.shape[1] == s["edge_col"].size
    assert int(g.candidates[g.target]) == s["expert_column"]
    assert np.array_equal(g.scores.numpy(), s["scores"]) and int(g.num_candidates) == s["candidates"].size


def test_batch_shifts_edges_and_candidates_but_not_the_target(samples):
    a, b = load_graphs(str(samples / "ca" / "train"), limit=2)
    batch = Batch.from_data_list([a, b])
    ea = a.edge_index.size(1)
    shift = torch.tensor([[a.row_x.size(0)], [a.col_x.size(0)]])
    assert torch.equal(batch.edge_index[:, ea:], b.edge_index + shift)
    assert torch.equal(batch.candidates, torch.cat([a.candidates, b.candidates + a.col_x.size(0)]))
    assert batch.target.tolist() == [int(a.target), int(b.target)]


def test_normalisation_is_fitted_on_the_given_graphs(samples):
    graphs = load_graphs(str(samples / "ca" / "train"))
    model = BranchGCNN(seed=0)
    fit_normalisation(model, graphs)
    cols = model.col_norm(torch.cat([g.col_x for g in graphs]))
    constant = torch.cat([g.col_x for g in graphs]).std(dim=0, unbiased=False) < 1e-8
    assert torch.allclose(cols.mean(dim=0), torch.zeros(cols.size(1)), atol=1e-4)
    assert torch.allclose(cols.std(dim=0, unbiased=False)[~constant], torch.ones(int((~constant).sum())), atol=1e-3)
    assert torch.equal(model.col_norm.scale[constant], torch.ones(int(constant.sum())))
    mean, std = feature_moments(graphs)["edge"]
    assert model.edge_norm.shift.item() == pytest.approx(mean[0], rel=1e-6)


# ---------------------------------------------------------------- the module
SPEC_KEYS = ["row_norm.shift", "row_norm.scale", "edge_norm.shift", "edge_norm.scale", "col_norm.shift",
             "col_norm.scale", "row_embed.0.weight", "row_embed.0.bias", "row_embed.2.weight", "row_embed.2.bias",
             "col_embed.0.weight", "col_embed.0.bias", "col_embed.2.weight", "col_embed.2.bias"]
for conv in ("conv_col_to_row", "conv_row_to_col"):
    SPEC_KEYS += [f"{conv}.{k}" for k in ("target.weight", "target.bias", "edge.weight", "source.weight",
                                          "message_norm.weight", "message_norm.bias", "message.weight",
                                          "message.bias", "post_norm.weight", "post_norm.bias", "out.0.weight",
                                          "out.0.bias", "out.2.weight", "out.2.bias")]
SPEC_KEYS += ["head.0.weight", "head.0.bias", "head.2.weight"]


def test_state_dict_has_exactly_the_specs_keys():
    assert sorted(BranchGCNN().state_dict()) == sorted(SPEC_KEYS)


def _layer_norm(x, w, b):
    mu, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-5) * w + b


def spec_forward(p: dict, row_x, edges, edge_x, col_x) -> np.ndarray:
    """GCNN_SPEC read literally, one edge at a time, in float64 numpy."""
    lin = lambda x, k, bias=True: x @ p[k + ".weight"].T + (p[k + ".bias"] if bias else 0)  # noqa: E731
    relu = lambda x: np.maximum(x, 0)  # noqa: E731
    rows = (row_x - p["row_norm.shift"]) * p["row_norm.scale"]
    cols = (col_x - p["col_norm.shift"]) * p["col_norm.scale"]
    e = (edge_x - p["edge_norm.shift"]) * p["edge_norm.scale"]
    rows = relu(lin(relu(lin(rows, "row_embed.0")), "row_embed.2"))
    cols = relu(lin(relu(lin(cols, "col_embed.0")), "col_embed.2"))

    def conv(name, h_target, h_source, pairs):
        agg = np.zeros_like(h_target)
        for k, (t, s) in enumerate(pairs):
            pre = (lin(h_target[t], name + ".target") + lin(e[k], name + ".edge", False)
                   + lin(h_source[s], name + ".source", False))
            n = _layer_norm(pre, p[name + ".message_norm.weight"], p[name + ".message_norm.bias"])
            agg[t] += lin(relu(n), name + ".message")
        z = np.concatenate([_layer_norm(agg, p[name + ".post_norm.weight"], p[name + ".post_norm.bias"]), h_target], -1)
        return lin(relu(lin(z, name + ".out.0")), name + ".out.2")

    rows = conv("conv_col_to_row", rows, cols, [(r, c) for r, c in edges])
    cols = conv("conv_row_to_col", cols, rows, [(c, r) for r, c in edges])
    return (relu(lin(cols, "head.0")) @ p["head.2.weight"].T)[:, 0]


def test_forward_equals_the_spec_read_edge_by_edge():
    rng = np.random.default_rng(3)
    m, n = 4, 6
    edges = [(0, 0), (0, 3), (1, 1), (1, 3), (1, 5), (2, 2)]   # row 3 and column 4 have no edge
    row_x, col_x = rng.normal(size=(m, 9)), rng.normal(size=(n, 22))
    edge_x = rng.normal(size=(len(edges), 1))
    model = BranchGCNN(emb=8, seed=1)
    with torch.no_grad():
        for p in model.parameters():   # LayerNorm's 1 and 0 would hide a swapped weight and bias
            p.copy_(torch.randn_like(p) * 0.5)
        model.row_norm.fit(rng.normal(size=9), rng.uniform(0.5, 2, size=9))
        model.col_norm.fit(rng.normal(size=22), rng.uniform(0.5, 2, size=22))
        model.edge_norm.fit([0.3], [1.5])
        got = model(torch.tensor(row_x, dtype=torch.float32), torch.tensor(edges).T,
                    torch.tensor(edge_x, dtype=torch.float32), torch.tensor(col_x, dtype=torch.float32))
    params = {k: v.double().numpy() for k, v in model.state_dict().items()}
    want = spec_forward(params, row_x, edges, edge_x, col_x)
    assert got.shape == (n,)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-4, atol=1e-4)


def test_seeded_models_are_equal_and_leave_the_global_stream_alone():
    torch.manual_seed(7)
    expected = torch.rand(1)
    torch.manual_seed(7)
    a, b = BranchGCNN(seed=5), BranchGCNN(seed=5)
    assert torch.rand(1) == expected
    assert all(torch.equal(a.state_dict()[k], b.state_dict()[k]) for k in SPEC_KEYS)


# ---------------------------------------------------------------- export
def trained_like(samples) -> BranchGCNN:
    model = BranchGCNN(seed=2)
    fit_normalisation(model, load_graphs(str(samples / "ca" / "train")))
    return model.eval()


def test_export_round_trip_gives_the_same_logits(samples, tmp_path):
    model = trained_like(samples)
    path = str(tmp_path / "m.npz")
    branch_export.export_npz(model, path, family="ca", command="x", metrics={"acc@1": 0.5})
    with np.load(path) as f:
        head = json.loads(str(f["header"][()]))
        assert sorted(k for k in f.files if k != "header") == sorted(SPEC_KEYS)
        assert all(f[k].dtype == np.float32 for k in SPEC_KEYS)
    assert head["format"] == "satmip-branch-gcnn" and head["version"] == 1 and head["emb"] == 64
    assert head["col_features"] == list(COL_FEATURES) and head["metrics"] == {"acc@1": 0.5}
    loaded = branch_export.load_npz(path)
    for g in load_graphs(str(samples / "ca" / "test")):
        with torch.no_grad():
            assert torch.equal(model.forward_data(g), loaded.forward_data(g))


def _rewrite(path, tmp_path, change) -> str:
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files}
    change(arrays)
    out = str(tmp_path / "bad.npz")
    np.savez(out, **arrays)
    return out


def _with_header(**fields):
    def change(arrays):
        head = json.loads(str(arrays["header"][()]))
        head.update(fields)
        arrays["header"] = np.array(json.dumps(head))
    return change


@pytest.mark.parametrize("change, message", [
    (_with_header(version=2), "version"),
    (_with_header(format="other"), "format"),
    (_with_header(col_features=list(COL_FEATURES)[::-1]), "col_features"),
    (lambda a: a.pop("head.2.weight"), "missing"),
    (lambda a: a.update({"conv_row_to_col.edge.weight": np.zeros((64, 2), np.float32)}), "shape"),
    (lambda a: a.pop("header"), "header"),
])
def test_loader_refuses_other_files_naming_them(samples, tmp_path, change, message):
    good = branch_export.export_npz(BranchGCNN(seed=0), str(tmp_path / "good.npz"))
    bad = _rewrite(good, tmp_path, change)
    with pytest.raises(ValueError, match=message) as err:
        branch_export.load_npz(bad)
    assert "bad.npz" in str(err.value)


def test_reference_file_holds_states_and_their_logits(samples, tmp_path):
    model = trained_like(samples)
    s = first_sample(samples)
    path = branch_export.export_reference(model, [s], str(tmp_path / "r.npz"))
    [ref] = branch_export.read_reference(path)
    for key in branch_export.STATE_KEYS:
        assert np.array_equal(ref[key], s[key])
    with torch.no_grad():
        logits = model.forward_data(state_graph(s)).numpy()
    assert np.array_equal(ref["logits"], logits)
    assert int(ref["choice"]) == branch_export.choice(logits, s["candidates"])
    assert int(ref["choice"]) in s["candidates"]


def test_choice_is_the_largest_logit_lowest_column_on_ties():
    logits = np.array([9.0, 1.0, 3.0, 3.0, 0.5])
    assert branch_export.choice(logits, np.array([3, 1, 2])) == 2


# ---------------------------------------------------------------- training
ARGS = ["--family", "ca", "--batch", "4", "--emb", "16", "--quiet"]


def run(samples, out, *extra) -> int:
    return train_branching.main(["--samples", str(samples), "--out", str(out)] + ARGS + list(extra))


def test_training_resumes_as_one_run_and_exports(samples, tmp_path):
    straight, stopped = tmp_path / "straight", tmp_path / "stopped"
    assert run(samples, straight, "--epochs", "3") == 0
    assert run(samples, stopped, "--epochs", "1") == 0
    with pytest.raises(SystemExit, match="--resume"):
        run(samples, stopped, "--epochs", "3")
    assert run(samples, stopped, "--epochs", "3", "--resume") == 0
    a = torch.load(straight / "checkpoint.pt", weights_only=False)
    b = torch.load(stopped / "checkpoint.pt", weights_only=False)
    assert [e["epoch"] for e in b["state"]["history"]] == [1, 2, 3]
    for key, value in a["model"].items():
        assert torch.equal(value, b["model"][key]), key
    assert [e["train_loss"] for e in a["state"]["history"]] == [e["train_loss"] for e in b["state"]["history"]]
    metrics = json.loads((stopped / "metrics.json").read_text())["final"]
    assert metrics["epochs"] == 3 and 1 <= metrics["best_epoch"] <= 3
    for split in ("validation", "test"):
        m = metrics[split]
        assert m["samples"] > 0 and 0 <= m["acc@1"] <= m["acc@5"] <= 1
    loaded = branch_export.load_npz(str(stopped / "ca.npz"))
    assert loaded.emb == 16 and branch_export.read_header(str(stopped / "ca.npz"))["metrics"]["test"] == metrics["test"]
    assert len(branch_export.read_reference(str(stopped / "ca.reference.npz"))) == 2


def test_training_lowers_the_training_loss(samples, tmp_path):
    assert run(samples, tmp_path / "r", "--epochs", "6", "--lr", "3e-3") == 0
    history = json.loads((tmp_path / "r" / "metrics.json").read_text())["epochs"]
    assert history[-1]["train_loss"] < history[0]["train_loss"]


def test_time_budget_stops_before_an_epoch_that_would_not_fit(samples, tmp_path):
    assert run(samples, tmp_path / "r", "--epochs", "50", "--time-budget", "0") == 0
    metrics = json.loads((tmp_path / "r" / "metrics.json").read_text())["final"]
    assert metrics["epochs"] == 1   # the first epoch has no time to go by; none after it
