"""Scores of phase predictions against the dataset's labels, torch-free: the
training script's per-epoch metrics and `train_phases --evaluate`, which runs an
exported model (satmip.learn.phase_infer, numpy, as a solver would) on the
validation and test splits and the held-out family.

Per family, per family and size, and pooled over all formulas of a split (the
pooled numbers weigh each variable once, so families with many variables
dominate them): backbone-phase accuracy and F1 (positive phase as the positive
class), accuracy on all variables against their majority phases, each for the
model and for the polarity and Jeroslow-Wang baselines on the same variables;
for the model also its coverage and accuracy at NeuroBack's confidence rule; and
all three on the backbone variables that root propagation leaves unfixed (the
ones whose phase a solver decides: in circuit_preimage and latin_square nearly
the whole backbone is fixed by unit propagation).
"""
from __future__ import annotations

import time
from typing import Optional

import numpy as np

from .baselines import jeroslow_wang, polarity, root_fixed
from .dataset import instances

SPLITS = ("validation", "test", "holdout")
CONFIDENCE = 0.9


def _accuracy(a: np.ndarray, b: np.ndarray) -> Optional[float]:
    return float(np.mean(a == b)) if a.size else None


def _f1(p: np.ndarray, b: np.ndarray) -> float:
    """F1 on the backbone variables, positive phase as the positive class."""
    tp = np.sum((p == 1) & (b == 1))
    fp, fn = np.sum((p == 1) & (b == -1)), np.sum((p == -1) & (b == 1))
    return float(2 * tp / max(2 * tp + fp + fn, 1))


def scores(p: np.ndarray, b: np.ndarray, m: np.ndarray, q: np.ndarray, j: np.ndarray,
           probability: Optional[np.ndarray] = None, fixed: Optional[np.ndarray] = None) -> dict:
    """The model's phases p (+1 / -1) against backbone phases b (0: not backbone)
    and majority phases m, beside the polarity (q) and Jeroslow-Wang (j) phases
    on the same variables; with the model's probabilities also the share of
    backbone variables it is CONFIDENCE-sure of and its accuracy on those; with
    the root-fixed phases (baselines.root_fixed) also the backbone accuracies on
    the backbone variables that root propagation does not fix ("unfixed")."""
    on = b != 0
    out: dict = {"formulas": None, "variables": int(p.size), "backbone_vars": int(on.sum())}
    free = on & (fixed == 0) if fixed is not None else None
    if free is not None:
        out["unfixed_backbone_vars"] = int(free.sum())
    for name, phases in (("", p), ("polarity_", q), ("jw_", j)):
        out[name + "backbone_accuracy"] = _accuracy(phases[on], b[on])
        out[name + "backbone_f1"] = _f1(phases[on], b[on])
        out[name + "all_accuracy_vs_majority"] = _accuracy(phases, m)
        if free is not None:
            out[name + "unfixed_backbone_accuracy"] = _accuracy(phases[free], b[free])
    if probability is not None:
        sure = on & ((probability >= CONFIDENCE) | (probability <= 1 - CONFIDENCE))
        out["confident_backbone_share"] = float(sure.sum() / max(on.sum(), 1))
        out["confident_backbone_accuracy"] = _accuracy(p[sure], b[sure])
    return out


def summarise(rows: dict) -> dict:
    """{group: [(p, b, m, q, j[, probability[, fixed]]) per formula]} with group (family,
    size) or a family name: pooled, per family, and per family and size."""
    def pooled(group):
        columns = [np.concatenate([r[k] for r in group]) for k in range(len(group[0]))]
        out = scores(*columns)
        out["formulas"] = len(group)
        return out
    by_family: dict = {}
    for key, group in rows.items():
        by_family.setdefault(key[0] if isinstance(key, tuple) else key, []).extend(group)
    result = pooled([r for group in rows.values() for r in group])
    result["families"] = {family: pooled(group) for family, group in sorted(by_family.items())}
    sizes = {f"{k[0]}-{k[1]}": pooled(g) for k, g in sorted(rows.items()) if isinstance(k, tuple)}
    if sizes:
        result["sizes"] = sizes
    return result


def evaluate_model(model, data_dir: str, splits=SPLITS) -> dict:
    """{split: summarise(...)} of a PhaseInference on the dataset's splits (a
    split without formulas: None; "all": every labelled instance, e.g. of a
    dataset built only for evaluation), and the inference time (graph included)."""
    out: dict = {}
    seconds, clauses = 0.0, 0
    for split in splits:
        rows: dict = {}
        for entry, inst in instances(data_dir, None if split == "all" else split):
            started = time.perf_counter()
            probability = model.predict(inst.cnf)
            seconds += time.perf_counter() - started
            clauses += inst.cnf.nclauses
            row = (np.where(probability >= 0.5, 1, -1), inst.backbone[1:], inst.majority[1:],
                   polarity(inst.cnf)[1:], jeroslow_wang(inst.cnf)[1:], probability,
                   root_fixed(inst.cnf)[1:])
            rows.setdefault((entry["family"], entry["size"]), []).append(row)
        out[split] = summarise(rows) if rows else None
    out["inference"] = {"seconds": seconds, "clauses": clauses,
                        "seconds_per_100k_clauses": seconds / max(clauses, 1) * 1e5}
    return out


def table(result: dict) -> str:
    """A split's result as a markdown table: per family, then pooled."""
    head = ("| family | formulas | backbone vars | backbone acc | polarity | JW | F1 | polarity F1 "
            "| all-var acc | polarity all-var | unfixed backbone vars | unfixed acc | unfixed polarity |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")

    def row(name, r):
        def f(x):
            return "-" if x is None else f"{x:.3f}"

        def count(n):
            return "-" if n is None else f"{n:,}"
        return (f"| {name} | {r['formulas']} | {r['backbone_vars']:,} | {f(r['backbone_accuracy'])} "
                f"| {f(r['polarity_backbone_accuracy'])} | {f(r['jw_backbone_accuracy'])} "
                f"| {f(r['backbone_f1'])} | {f(r['polarity_backbone_f1'])} "
                f"| {f(r['all_accuracy_vs_majority'])} | {f(r['polarity_all_accuracy_vs_majority'])} "
                f"| {count(r.get('unfixed_backbone_vars'))} | {f(r.get('unfixed_backbone_accuracy'))} "
                f"| {f(r.get('polarity_unfixed_backbone_accuracy'))} |\n")
    lines = [row(family, r) for family, r in result["families"].items()]
    return head + "".join(lines) + row("**pooled**", result)
