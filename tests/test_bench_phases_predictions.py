"""bench/phases/predictions.py: per family and size class, what a phase model and
Jeroslow-Wang give before the search, counted against make_sets.py's backbone labels."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from satmip.learn import make_dataset
from satmip.learn.dataset import read_instance
from satmip.learn.predict import predict_phases

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "tests" / "data" / "learn" / "phase_model_h16.npz"   # random weights


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "phases" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_counts_against_the_labels_and_writes_the_section(tmp_path):
    make_sets, predictions = load("make_sets"), load("predictions")
    folder = tmp_path / "trained"
    for size in (20, 30):
        assert make_dataset.main(["--out", str(folder), "--families", "planted_ksat", "--sizes", str(size),
                                  "--count", "2", "--seed", "1000000", "--holdout", "none",
                                  "--no-progress"]) == 0
    make_sets.finish_set(str(folder), {"planted_ksat": ((20,), 30)})
    items = predictions.measure(str(folder), str(MODEL))
    assert [it["key"] for it in items] == [f"planted_ksat-{n}-{s}" for n in (20, 30) for s in (1000000, 1000001)]
    for it in items:
        inst = read_instance(str(folder / "instances" / f"{it['key']}.npz"))
        on = inst.backbone != 0
        assert it["backbone"] == int(on.sum())
        for name in (str(MODEL), "jw"):
            pred = predict_phases(inst.cnf, model=name)
            given = pred.phases != 0
            got = it[name]
            assert got["predicted"] == int(given.sum())
            assert got["covered"] == int((given & on).sum())
            assert got["right"] == int(((pred.phases == inst.backbone) & given & on).sum())
        assert it["jw"]["covered"] == it["backbone"]          # jw gives every variable a phase
    md = tmp_path / "R.md"
    assert predictions.main(["--dir", str(tmp_path), "--sets", "trained", "--model", str(MODEL),
                             "--markdown", str(md)]) == 0
    text = md.read_text()
    assert text.count("<!-- phases-predictions: begin -->") == 1
    assert "| planted_ksat | 20 (train) | 2 |" in text and "| planted_ksat | 30 (above) | 2 |" in text
