"""python -m satmip.learn.train_phases on a handful of tiny labelled formulas
(needs torch and torch-geometric: skipped without them)."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training needs torch (pip install 'satmip[learn]')")
pytest.importorskip("torch_geometric", reason="training needs torch-geometric")

from satmip.learn import make_dataset  # noqa: E402
from satmip.learn.phase_infer import PhaseInference  # noqa: E402

ARGS = ["--lr", "3e-3", "--hidden", "16", "--layers", "2", "--batch", "4"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("phases"))
    assert make_dataset.main(["--out", out, "--families", "planted_ksat,circuit_preimage,factoring", "--sizes",
                              "tiny", "--count", "5", "--holdout", "factoring", "--no-progress"]) == 0
    return out


def run(data, out, *extra):
    from satmip.learn import train_phases
    return train_phases.main(["--data", data, "--out", out] + ARGS + list(extra))


def train_loss(data, state_dict):
    """The masked loss over the whole training split (duals included) of a model state."""
    from satmip.learn.phase_model import PhaseModel
    from satmip.learn.train_phases import graphs, masked_loss
    from torch_geometric.data import Batch
    model = PhaseModel(hidden=16, layers=2)
    model.load_state_dict(state_dict)
    batch = Batch.from_data_list(graphs(data, "train", duals=True))
    with torch.no_grad():
        return float(masked_loss(model(batch), batch))


def test_training_lowers_the_loss_and_exports_the_numpy_model(data, tmp_path):
    from satmip.learn.phase_model import PhaseModel
    run_dir = str(tmp_path / "run")
    assert run(data, run_dir, "--epochs", "2") == 0
    metrics = json.load(open(os.path.join(run_dir, "metrics.json")))
    assert [e["epoch"] for e in metrics["epochs"]] == [1, 2]
    last = metrics["epochs"][-1]
    held = last["holdout"]   # every factoring formula, none trained on
    assert list(held["families"]) == ["factoring"] and held["backbone_vars"] > 0
    v = last["validation"]
    assert v is not None and set(v["families"]) <= {"planted_ksat", "circuit_preimage"}
    assert v["backbone_vars"] == sum(f["backbone_vars"] for f in v["families"].values())
    for scores in [held, v] + list(v["families"].values()):
        assert 0 <= scores["backbone_accuracy"] <= 1 and 0 <= scores["polarity_backbone_accuracy"] <= 1
    state = torch.load(os.path.join(run_dir, "checkpoint.pt"), weights_only=False)
    before = train_loss(data, PhaseModel(hidden=16, layers=2, seed=0).state_dict())
    after = train_loss(data, state["model"])
    assert after < before - 0.01, (before, after)
    # The exported model is the best epoch's, and the numpy forward runs it.
    best = PhaseModel(hidden=16, layers=2)
    best.load_state_dict(state["best"]["model"])
    from satmip.learn.dataset import instances
    from satmip.learn import to_pyg
    _, inst = next(instances(data, "train"))
    with torch.no_grad():
        want = best(to_pyg(inst.cnf)).numpy()
    got = PhaseInference.load(os.path.join(run_dir, "phase_model.npz")).logits(inst.cnf)
    assert np.abs(got - want).max() <= 1e-5
    with pytest.raises(SystemExit, match="--resume"):
        run(data, run_dir, "--epochs", "3")
    check_evaluate(data, run_dir)


def check_evaluate(data, run_dir):
    """--evaluate runs the exported numpy model on every split; its numbers are
    those computed here from the instances directly."""
    from satmip.learn.baselines import polarity
    from satmip.learn.dataset import instances
    assert run(data, run_dir, "--evaluate") == 0
    result = json.load(open(os.path.join(run_dir, "evaluation.json")))
    model = PhaseInference.load(os.path.join(run_dir, "phase_model.npz"))
    for split in ("validation", "test", "holdout"):
        items = list(instances(data, split))
        if not items:
            assert result[split] is None
            continue
        b = np.concatenate([inst.backbone[1:] for _, inst in items])
        p = np.concatenate([np.where(model.predict(inst.cnf) >= 0.5, 1, -1) for _, inst in items])
        q = np.concatenate([polarity(inst.cnf)[1:] for _, inst in items])
        on = b != 0
        r = result[split]
        assert r["formulas"] == len(items) and r["backbone_vars"] == int(on.sum())
        assert r["backbone_accuracy"] == pytest.approx(np.mean(p[on] == b[on]))
        assert r["polarity_backbone_accuracy"] == pytest.approx(np.mean(q[on] == b[on]))
        families = {e["family"] for e, _ in items}
        assert set(r["families"]) == families
        assert sum(f["formulas"] for f in r["families"].values()) == len(items)
    assert list(result["holdout"]["families"]) == ["factoring"]
    assert result["inference"]["clauses"] > 0
    assert run(data, run_dir, "--evaluate", "--splits", "all") == 0
    everything = json.load(open(os.path.join(run_dir, "evaluation.json")))
    assert list(everything) == ["model", "data", "all", "inference"]
    assert everything["all"]["formulas"] == len(list(instances(data)))
    assert set(everything["all"]["families"]) == {"planted_ksat", "circuit_preimage", "factoring"}


def test_resume_goes_on_exactly_as_one_run(data, tmp_path):
    straight, resumed = str(tmp_path / "straight"), str(tmp_path / "resumed")
    assert run(data, straight, "--epochs", "3") == 0
    assert run(data, resumed, "--epochs", "2") == 0
    assert run(data, resumed, "--epochs", "3", "--resume") == 0
    a = json.load(open(os.path.join(straight, "metrics.json")))
    b = json.load(open(os.path.join(resumed, "metrics.json")))
    for epoch in a["epochs"] + b["epochs"]:
        assert epoch.pop("seconds") > 0   # wall time: the one thing that differs
    assert a == b and len(a["epochs"]) == 3
    sa = torch.load(os.path.join(straight, "checkpoint.pt"), weights_only=False)["model"]
    sb = torch.load(os.path.join(resumed, "checkpoint.pt"), weights_only=False)["model"]
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    # A lower learning rate for the last epochs: the resumed optimiser takes it.
    assert run(data, resumed, "--epochs", "4", "--resume", "--lr", "1e-4") == 0
    c = json.load(open(os.path.join(resumed, "metrics.json")))
    assert [e["lr"] for e in c["epochs"]] == [3e-3, 3e-3, 3e-3, 1e-4]
    with pytest.raises(SystemExit, match="hidden 16 / layers 2"):
        from satmip.learn import train_phases
        train_phases.main(["--data", data, "--out", resumed, "--epochs", "5", "--resume", "--layers", "3"])


def test_loss_sees_only_backbone_variables_and_balances_the_phases():
    from satmip.learn.train_phases import masked_loss
    from satmip.learn import to_pyg
    from satmip.dimacs import Cnf, flatten
    backbone = np.array([0, 1, 1, 1, -1, 0, 0], np.int8)   # 3 positive, 1 negative, 2 free
    g = to_pyg(Cnf(6, flatten([[1, 2, 3], [-4, 5, 6]]), 2), backbone=backbone)
    logits = torch.tensor([2.0, 2.0, 2.0, -1.0, 5.0, -7.0])
    base = float(masked_loss(logits, g))
    moved = logits.clone()
    moved[4:] = torch.tensor([-3.0, 9.0])   # the free variables: no effect
    assert float(masked_loss(moved, g)) == base
    # w_c = n / (2 (n_c + 1)): positives 4 / 8 each, the negative 4 / 4.
    sp = torch.nn.functional.softplus
    want = (3 * 0.5 * float(sp(torch.tensor(-2.0))) + 1.0 * float(sp(torch.tensor(-1.0)))) / 4
    assert abs(base - want) < 1e-6
