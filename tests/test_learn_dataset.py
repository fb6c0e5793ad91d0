"""The phase dataset builder (python -m satmip.learn.make_dataset) end to end."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

import satmip
from satmip.learn import make_dataset
from satmip.learn.backbone import extract
from satmip.learn.dataset import instances, read_instance, split_of
from satmip.learn.families import generate


def _run(out, *extra):
    return make_dataset.main(["--out", str(out), "--families", "factoring,latin_square",
                              "--sizes", "tiny", "--count", "2", "--no-progress", *extra])


def _lines(path):
    with open(path) as f:
        return f.read().splitlines()


def test_build_then_resume_does_nothing(tmp_path, capsys):
    assert _run(tmp_path) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["holdout"] == "latin_square" and manifest["incidence"] == "raw"
    keys = sorted(i["key"] for i in manifest["instances"])
    assert keys == ["factoring-4-0", "factoring-4-1", "latin_square-5-0", "latin_square-5-1"]
    for inst in manifest["instances"]:
        held = inst["family"] == "latin_square"
        assert (inst["split"] == "holdout") is held
        assert inst["split"] in ("train", "validation", "test", "holdout")
        stored = read_instance(str(tmp_path / inst["npz"]))
        cnf = generate(inst["family"], inst["size"], inst["seed"])
        assert np.array_equal(stored.cnf.lits, cnf.lits)
        assert np.array_equal(satmip.read_dimacs(tmp_path / inst["cnf"]).lits, cnf.lits)
        assert stored.backbone.tolist() == extract(cnf).backbone.tolist()
        assert inst["backbone"] == int((stored.backbone != 0).sum())
        assert set(stored.majority[1:].tolist()) <= {-1, 1}
        assert stored.meta["family"] == inst["family"] and stored.meta["label_time"] >= 0
    records = _lines(tmp_path / "records.jsonl")
    assert len(records) == 4
    held = [entry["key"] for entry, inst in instances(str(tmp_path), "holdout")]
    assert held == ["latin_square-5-0", "latin_square-5-1"]
    assert len(list(instances(str(tmp_path)))) == 4
    with pytest.raises(ValueError, match="split must be one of"):
        next(instances(str(tmp_path), "training"))
    stamp = {p: os.stat(tmp_path / "instances" / p).st_mtime_ns for p in os.listdir(tmp_path / "instances")}
    capsys.readouterr()

    assert _run(tmp_path) == 0
    assert "4 instance(s) already in" in capsys.readouterr().err
    assert _lines(tmp_path / "records.jsonl") == records
    assert {p: os.stat(tmp_path / "instances" / p).st_mtime_ns
            for p in os.listdir(tmp_path / "instances")} == stamp


def test_over_budget_instances_are_dropped_counted_and_not_retried(tmp_path):
    _run(tmp_path, "--time-limit", "0")
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["instances"] == []
    assert manifest["counts"] == {"factoring-4": {"DROPPED": 2}, "latin_square-5": {"DROPPED": 2}}
    assert not (tmp_path / "instances").exists()
    before = _lines(tmp_path / "records.jsonl")
    _run(tmp_path)  # a larger budget does not revisit them: the dataset stays as it was labelled
    assert _lines(tmp_path / "records.jsonl") == before


def test_failed_and_missing_instances_are_redone(tmp_path):
    _run(tmp_path)
    (tmp_path / "instances" / "factoring-4-0.npz").unlink()
    with open(tmp_path / "records.jsonl", "a") as f:
        f.write(json.dumps({"key": "factoring-4-1", "family": "factoring", "size": 4, "seed": 1,
                            "status": "ERROR", "error": "x"}) + "\n")
    _run(tmp_path)
    redone = [json.loads(x)["key"] for x in _lines(tmp_path / "records.jsonl")[5:]]
    assert sorted(redone) == ["factoring-4-0", "factoring-4-1"]
    assert (tmp_path / "instances" / "factoring-4-0.npz").exists()


def test_a_rerun_keeps_the_held_out_family(tmp_path):
    _run(tmp_path)
    make_dataset.main(["--out", str(tmp_path), "--families", "planted_ksat,factoring", "--sizes", "tiny",
                       "--count", "1", "--no-progress"])
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["holdout"] == "latin_square"
    assert {i["family"] for i in manifest["instances"] if i["split"] == "holdout"} == {"latin_square"}


def test_split_is_stable_and_roughly_80_10_10():
    keys = [f"planted_ksat-100-{s}" for s in range(3000)]
    splits = [split_of(k, "planted_ksat", "factoring") for k in keys]
    assert splits == [split_of(k, "planted_ksat", "factoring") for k in keys]
    share = {s: splits.count(s) / len(keys) for s in ("train", "validation", "test")}
    assert 0.77 < share["train"] < 0.83 and 0.08 < share["validation"] < 0.12 and 0.08 < share["test"] < 0.12
    assert split_of("factoring-4-0", "factoring", "factoring") == "holdout"


@pytest.mark.parametrize("argv,message", [
    (["--families", "sudoku"], "unknown family"),
    (["--sizes", "huge"], "unknown size"),
    (["--holdout", "sudoku"], "unknown --holdout"),
    (["--count", "0"], "at least 1"),
])
def test_bad_arguments_are_named(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit):
        make_dataset.main(["--out", str(tmp_path), *argv])
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("family", ["factoring", "latin_square", "planted_ksat"])
def test_dual_formula_has_the_opposite_backbone(family):
    from satmip.learn.dataset import Instance, dual
    cnf = generate(family, "tiny", 2)
    labels = extract(cnf)
    inst = Instance(cnf, labels.backbone, labels.majority, {"family": family})
    flipped = dual(inst)
    assert (flipped.backbone != 0).any()
    assert extract(flipped.cnf).backbone.tolist() == (-labels.backbone).tolist()
    assert flipped.meta["dual"] is True
    twice = dual(flipped)
    assert np.array_equal(twice.cnf.lits, cnf.lits) and np.array_equal(twice.majority, labels.majority)
    # Off the backbone the models are those of the original: majority phases kept there.
    off = labels.backbone == 0
    assert np.array_equal(flipped.majority[off], labels.majority[off])


def test_dask_local_cluster_builds_the_same_dataset(tmp_path):
    pytest.importorskip("distributed")
    _run(tmp_path / "local", "--count", "1")
    _run(tmp_path / "dask", "--count", "1", "--dask", "local")
    for name in ("factoring-4-0", "latin_square-5-0"):
        a = read_instance(str(tmp_path / "local" / "instances" / f"{name}.npz"))
        b = read_instance(str(tmp_path / "dask" / "instances" / f"{name}.npz"))
        assert np.array_equal(a.cnf.lits, b.cnf.lits) and np.array_equal(a.backbone, b.backbone)
        assert np.array_equal(a.majority, b.majority)
