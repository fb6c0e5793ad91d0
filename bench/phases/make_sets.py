"""Evaluation sets for learned phases (issue 13), outside git:

    python bench/phases/make_sets.py [--out DIR] [--workers 1]

DIR (default $PHASE_EVAL_DIR, else /work/data/phase-eval) gets two labelled sets,
each a `satmip.learn.make_dataset` folder plus what `satmip bench` needs:

    DIR/trained/   the trained families, unseen seeds (from 1,000,000; training uses
                   seeds from 0): a few per training size, more one size above training
    DIR/holdout/   the held-out family (planted_clique), the same way
    */manifest.csv              the harness's manifest: path, family, status (SAT by
                                construction), size, size_class (train / above), ...
    */cnf/KEY.cnf.xz.backbone   the oracle's phases: the backbone literals (non-backbone
                                variables absent: the engine's default there)
    */cnf/KEY.cnf.xz.jw         Jeroslow-Wang phases (a fallback for `--phase-model jw`)

An instance whose labelling runs over --time-limit is dropped (make_dataset counts
it; the summary printed at the end says how many). A rerun resumes. The SAT dev set
(../shared/benchmarks/sat) is used as it is, by bench/phases/sat-dev.toml.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys

import numpy as np

from satmip.learn import make_dataset
from satmip.learn.baselines import jeroslow_wang
from satmip.learn.dataset import load_manifest, read_instance

FIRST_SEED = 1_000_000   # training data uses seeds 0, 1, ...: no overlap

# family: (training sizes, the size above training). The training sizes are those of the
# dataset the shipped model was trained on (models/phase/README.md); at them the
# default solves in milliseconds, so the size above is the largest where it needs about
# 0.2-2 s (measured on the shared, busy 2-core machine, seeds 1,000,000-1,000,002) and
# satmip's labelling (backbone by assumptions: one UNSAT proof per backbone literal) still
# fits the budget: there inference and guidance can show in the time. Labelling decides
# two: planted 3-SAT at 325 (0.4-2.8 s) and latin squares of order 38 (0.3-1.7 s) ran out
# of 60 s on the first seed. circuit_preimage stays trivial at every size tried (up to
# 1,000 inputs: propagation alone), so its size above is just twice the largest.
TRAINED = {
    "planted_ksat": ((100, 150, 200, 250), 300),     # 0.02-0.24 s; labels 9 s
    "flat_colouring": ((50, 100, 150, 200), 500),    # 0.1-6.4 s (400: <= 0.1 s); labels 24 s
    "latin_square": ((10, 12, 15, 20), 35),          # 0.13-0.16 s; labels 26 s
    "factoring": ((8, 10, 11, 12), 17),              # 0.7-1.0 s (16: 0.14-0.4 s); labels 2 s
    "circuit_preimage": ((24, 48, 96, 128), 192),    # trivial at any size
    "grid_planning": ((5, 7), 12),                   # 0.13 s, 233k clauses (inference costs); labels 0.5 s
}
HOLDOUT = {"planted_clique": ((30, 50), 200)}     # 0.5-2.3 s (120: 0.1 s); labels 38 s
SETS = {"trained": TRAINED, "holdout": HOLDOUT}


def default_out() -> str:
    return os.environ.get("PHASE_EVAL_DIR", "/work/data/phase-eval")


def build_set(folder: str, families: dict, args) -> None:
    """Label every (family, size, seed) of one set with make_dataset (resumable)."""
    for family, (train_sizes, above) in families.items():
        for sizes, count in ((train_sizes, args.per_train_size), ((above,), args.above)):
            if count == 0:
                continue
            make_dataset.main([
                "--out", folder, "--families", family, "--sizes", ",".join(map(str, sizes)),
                "--count", str(count), "--seed", str(args.seed), "--holdout", "none",
                "--time-limit", str(args.time_limit), "--workers", str(args.workers),
                "--no-progress"])


def write_phase_file(path: str, phases: np.ndarray) -> None:
    """One literal per line for each variable with a phase (+1 / -1); 0 means none."""
    variables = np.flatnonzero(phases)
    literals = np.where(phases[variables] > 0, variables, -variables)
    with open(path, "w") as f:
        f.write("".join(f"{lit}\n" for lit in literals.tolist()))


def finish_set(folder: str, families: dict) -> dict:
    """The harness manifest and the per-instance phase files; returns the set's counts."""
    manifest = load_manifest(folder)
    above = {family: sizes[1] for family, sizes in families.items()}
    rows = []
    for entry in manifest["instances"]:
        inst = read_instance(os.path.join(folder, entry["npz"]))
        family, size = inst.meta["family"], int(inst.meta["size"])
        if family not in families:
            continue
        cnf_rel = os.path.join("cnf", entry["key"] + ".cnf.xz")
        cnf_path = os.path.join(folder, cnf_rel)
        write_phase_file(cnf_path + ".backbone", inst.backbone)
        write_phase_file(cnf_path + ".jw", jeroslow_wang(inst.cnf))
        rows.append({"path": cnf_rel, "family": family, "status": "SAT", "size": size,
                     "size_class": "above" if size == above[family] else "train",
                     "seed": inst.meta["seed"], "nvars": inst.cnf.nvars,
                     "nclauses": inst.cnf.nclauses, "backbone": int((inst.backbone != 0).sum()),
                     "label_time": round(float(inst.meta["label_time"]), 3)})
    rows.sort(key=lambda r: (r["family"], r["size"], r["seed"]))
    with open(os.path.join(folder, "manifest.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["path"])
        writer.writeheader()
        writer.writerows(rows)
    counts = {key: value for key, value in manifest["counts"].items()}
    summary = {"instances": len(rows), "counts": counts}
    with open(os.path.join(folder, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
    return summary


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python bench/phases/make_sets.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=default_out(), metavar="DIR",
                   help="where the sets go (default $PHASE_EVAL_DIR, else /work/data/phase-eval)")
    p.add_argument("--sets", default="trained,holdout", help="which sets (default trained,holdout)")
    p.add_argument("--per-train-size", type=int, default=2, metavar="N",
                   help="instances per family at each training size (default 2)")
    p.add_argument("--above", type=int, default=8, metavar="N",
                   help="instances per family one size above training (default 8)")
    p.add_argument("--seed", type=int, default=FIRST_SEED, help=f"first seed (default {FIRST_SEED})")
    p.add_argument("--time-limit", type=float, default=120.0, metavar="S",
                   help="labelling budget per instance; over it the instance is dropped (default 120)")
    p.add_argument("--workers", "-j", type=int, default=1, metavar="K", help="worker processes (default 1)")
    args = p.parse_args(argv)
    args.sets = [s for s in args.sets.split(",") if s]
    unknown = [s for s in args.sets if s not in SETS]
    if unknown:
        p.error(f"unknown set(s) {unknown}; known: {', '.join(SETS)}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    for name in args.sets:
        folder = os.path.join(args.out, name)
        build_set(folder, SETS[name], args)
        summary = finish_set(folder, SETS[name])
        dropped = sum(c.get("DROPPED", 0) for c in summary["counts"].values())
        failed = sum(c.get("UNSAT", 0) + c.get("ERROR", 0) for c in summary["counts"].values())
        print(f"{folder}: {summary['instances']} instance(s) in manifest.csv, {dropped} dropped "
              f"over the labelling budget, {failed} UNSAT or failed; counts per family and size "
              f"in summary.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
