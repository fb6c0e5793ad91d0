"""Ways to use the same phase predictions, compared on validation instances only
(issue 13, "What was tried for search gain" in models/phase/README.md):

    python bench/phases/tune.py --data /work/data/phases --split validation \
        --families factoring,flat_colouring,planted_ksat --seeds 1,2,3 \
        --configs default,model,oracle -o bench/out/tune/validation.jsonl
    python bench/phases/tune.py --report bench/out/tune/validation.jsonl [--baseline default]

One process, in-process `satmip.Solver` runs (no Python start, no file reading), so
that what differs between configurations is the guidance and the search. The measure
is the engine's work, not seconds: propagations to the answer (deterministic for a
seed; seconds on the shared, loaded 2-core machine are not), and for a configuration
that runs the model, its inference counted in the policy's own currency
(`inference_budget` + `lookahead_budget`: the propagations the model is estimated to
cost; measure "cost"); "total_seconds" adds the guidance's own seconds (the model's
prediction, the spectral phases) to the search's where it ran. Each instance's
prediction is computed once and cut at each threshold. "cost_measured" converts the
guidance's measured seconds to propagations at the instance's own search speed (the
baseline's seconds per propagation on it, same process): the estimate checked.

Configurations (NAME, with @C the confidence threshold, default 0.9; xK a factor on the
policy's delay):
  default            no guidance
  model[@C]          the shipped model's phases before the search (phase_delay 0)
  auto[@C][xK]       the policy: search K x the estimated inference cost first, the model
                     only if still open (K 1: phase_delay "auto")
  autotrue[@C][xK]   the same, but only the "true" phases given after the delay ("false" is
                     the engine's default phase, so before a search those change nothing,
                     and after one they overwrite the phases it saved)
  oracle             the backbone phases (the labels) before the search: the upper bound
  oracle-covered     the backbone phases on the variables the model is >= 0.9 sure of only
  oracle-uncovered   the backbone phases on the other backbone variables only
  oracle-auto        the backbone phases after the policy's delay (does the delay lose the gain?)
  jw                 two-sided Jeroslow-Wang phases on every variable
  spectral           the second-order (pair-sign) spectral phases of `spectral_phases`
Resumes: a (key, config, seed) already in the output is not run again.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from collections import defaultdict

import numpy as np

import satmip
from satmip.learn.dataset import instances
from satmip.learn.predict import (default_model_path, inference_budget, load_model, lookahead_budget,
                                  predict_phases)
from satmip.learn.phase_infer import phases as threshold

CONFIG = re.compile(r"^(?P<kind>default|model|autotrue|auto|oracle|oracle-covered|oracle-uncovered|oracle-auto|jw|spectral)"
                    r"(@(?P<cfd>[0-9.]+))?(x(?P<factor>[0-9.]+))?$")


def spectral_phases(cnf) -> np.ndarray:
    """int8 [nvars]: phases from the clauses' second-order statistics. Each pair of
    literals in a clause adds -s_i s_j to A[i, j] (two literals of one clause tend not
    to be true together under a satisfying assignment: in q-hidden 3-SAT they are both
    true with probability 0.19, not 0.25); the phases are the signs of A's top
    eigenvector (power iteration, A applied per clause in numpy), oriented so that fewer
    clauses have every literal false than every literal true."""
    lits = np.asarray(cnf.lits)
    ends = np.flatnonzero(lits == 0)
    length = np.diff(np.concatenate([[-1], ends])) - 1
    clause = np.repeat(np.arange(length.size), length)
    body = lits[lits != 0]
    var, sign = np.abs(body) - 1, np.sign(body).astype(np.float64)
    n = int(cnf.nvars)
    occurrences = np.bincount(var, minlength=n).astype(np.float64)
    pairs = np.bincount(var, weights=(length[clause] - 1).astype(np.float64), minlength=n)
    shift = float(pairs.max(initial=0)) + 1.0   # >= A's spectral radius: the top eigenvalue stays on top

    def apply(x):   # (A + shift I) x with A = -sum over clauses of the pairs' sign products
        y = np.bincount(clause, weights=sign * x[var], minlength=length.size)
        ax = -np.bincount(var, weights=sign * y[clause], minlength=n) + occurrences * x
        # occurrences * x removes each literal's own term s_i^2 x_i from its clauses' sums
        return ax + shift * x
    x = np.random.default_rng(0).standard_normal(n)
    for _ in range(300):
        x = apply(x)
        x /= np.linalg.norm(x) or 1.0
    phases = np.where(x >= 0, 1, -1).astype(np.int8)
    value = phases[var] * sign
    true_all = np.bincount(clause, weights=(value > 0).astype(float), minlength=length.size) == length
    false_all = np.bincount(clause, weights=(value < 0).astype(float), minlength=length.size) == length
    return phases if false_all.sum() <= true_all.sum() else -phases


def parse(name: str) -> dict:
    m = CONFIG.match(name)
    if not m:
        raise ValueError(f"unknown configuration {name!r}")
    return {"kind": m["kind"], "cfd": float(m["cfd"] or 0.9), "factor": float(m["factor"] or 1.0)}


def guidance(kind: str, cfd: float, inst, probability: np.ndarray, spectral) -> np.ndarray:
    """int8 [nvars + 1] phases for a configuration (0: no phase)."""
    n = inst.cnf.nvars
    out = np.zeros(n + 1, np.int8)
    backbone = inst.backbone[: n + 1]
    covered = np.zeros(n + 1, bool)
    covered[1:] = threshold(probability, 0.9) != 0
    if kind in ("model", "auto"):
        out[1:] = threshold(probability, cfd)
    elif kind == "autotrue":      # the "true" phases only: "false" is the engine's own default
        out[1:] = np.maximum(threshold(probability, cfd), 0)
    elif kind in ("oracle", "oracle-auto"):
        out[:] = backbone
    elif kind == "oracle-covered":
        out[covered] = backbone[covered]
    elif kind == "oracle-uncovered":
        out[~covered] = backbone[~covered]
    elif kind == "jw":
        out[1:] = np.where(predict_phases(inst.cnf, "jw").probability[1:] >= 0.5, 1, -1)
    elif kind == "spectral":
        out[1:] = spectral()
    out[0] = 0
    return out


def run_one(inst, config: dict, seed: int, probability, budget: int, spectral) -> dict:
    kind, factor = config["kind"], config["factor"]
    solver = satmip.Solver(seed=seed)
    solver.append_formula(inst.cnf)
    phases = None if kind == "default" else guidance(kind, config["cfd"], inst, probability, spectral)
    delayed = kind in ("auto", "autotrue", "oracle-auto")
    delay = int(round(factor * budget)) if delayed else 0
    ran = False
    start = time.perf_counter()
    if phases is not None and not delayed:
        solver.set_guidance(phases=phases)
        ran = True
    if delayed:
        solver.prop_budget(delay)
        status = solver.solve_limited()
        if status is None:
            solver.set_guidance(phases=phases)
            ran = True
            solver.prop_budget(-1)
            status = solver.solve_limited()
    else:
        status = solver.solve()
    seconds = time.perf_counter() - start
    stats = solver.accum_stats()
    if status is not True:
        raise RuntimeError(f"{inst.meta.get('key')}: expected SAT, got {status}")
    model_cost = budget if ran and kind in ("model", "auto", "autotrue") else 0
    return {"propagations": int(stats["propagations"]), "conflicts": int(stats["conflicts"]),
            "decisions": int(stats["decisions"]), "seconds": seconds, "model_ran": ran,
            "delay": delay, "inference_propagations": model_cost,
            "cost": int(stats["propagations"]) + model_cost,
            "given": int(np.count_nonzero(phases)) if phases is not None else 0}


def run(args) -> None:
    configs = {name: parse(name) for name in args.configs.split(",")}
    seeds = [int(s) for s in args.seeds.split(",")]
    families = set(args.families.split(",")) if args.families else None
    done = set()
    if os.path.exists(args.output):
        with open(args.output) as f:
            for line in f:
                r = json.loads(line)
                done.add((r["key"], r["config"], r["seed"]))
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    model = load_model(default_model_path())
    with open(args.output, "a") as out:
        for entry, inst in instances(args.data, None if args.split == "all" else args.split):
            if families and entry["family"] not in families:
                continue
            if args.sizes and str(entry["size"]) not in args.sizes.split(","):
                continue
            todo = [(c, s) for c in configs for s in seeds if (entry["key"], c, s) not in done]
            if not todo:
                continue
            pred = predict_phases(inst.cnf, model)
            probability = pred.probability[1:]
            literals = int(np.count_nonzero(np.asarray(inst.cnf.lits)))
            budget = inference_budget(literals, model) + lookahead_budget(inst.cnf, model)   # the auto delay
            cache = {}

            def spectral():
                if "s" not in cache:
                    started = time.perf_counter()
                    cache["s"] = spectral_phases(inst.cnf)
                    cache["seconds"] = time.perf_counter() - started
                return cache["s"]
            for name, seed in todo:
                r = run_one(inst, configs[name], seed, probability, budget, spectral)
                kind = configs[name]["kind"]
                if kind in ("model", "auto", "autotrue"):
                    guide_seconds = pred.seconds
                elif kind == "spectral":
                    guide_seconds = cache.get("seconds", 0.0)
                else:
                    guide_seconds = 0.0     # the oracle and JW: read or counted, not computed here
                r.update(key=entry["key"], family=entry["family"], size=entry["size"], config=name,
                         seed=seed, inference_seconds=pred.seconds, budget=budget, literals=literals,
                         total_seconds=r["seconds"] + (guide_seconds if r["model_ran"] else 0.0))
                out.write(json.dumps(r) + "\n")
                out.flush()


def report(path: str, baseline: str, measure: str, by_size: bool = False) -> str:
    """Per family and pooled: for each configuration, the ratio of summed cost to the
    baseline's (the PAR-2 analogue: big instances weigh most), the geometric mean of the
    per-instance ratios (each instance's mean over seeds), wins / losses (beyond 5%)."""
    rows = [json.loads(line) for line in open(path)]
    if measure == "cost_measured":   # inference at its measured seconds, in the instance's search speed
        speed = defaultdict(list)
        for r in rows:
            if r["config"] == baseline and r["propagations"] > 0:
                speed[r["key"]].append(r["seconds"] / r["propagations"])
        for r in rows:
            per_prop = float(np.mean(speed[r["key"]])) if speed[r["key"]] else 1e-6
            extra = r["total_seconds"] - r["seconds"]
            r[measure] = r["propagations"] + extra / max(per_prop, 1e-9)
    cost = defaultdict(lambda: defaultdict(list))   # (config, key) -> values over seeds
    family_of = {}
    seeds = defaultdict(set)
    for r in rows:
        cost[r["config"]][r["key"]].append(r[measure])
        family_of[r["key"]] = f"{r['family']} {r['size']}" if by_size else r["family"]
        seeds[r["config"]].add(r["seed"])
    base = cost[baseline]
    configs = [c for c in cost if c != baseline]
    groups = sorted(set(family_of.values())) + ["pooled"]
    lines = [f"measure: {measure}; baseline {baseline}; cells: sum ratio / gm paired ratio / wins-losses "
             f"(instances with every seed in both)", "",
             "| config | " + " | ".join(groups) + " |", "|---|" + "---:|" * len(groups)]
    for c in [baseline] + configs:
        cells = []
        for g in groups:
            keys = [k for k in base if (g == "pooled" or family_of[k] == g) and k in cost[c]
                    and len(cost[c][k]) == len(base[k])]
            if not keys:
                cells.append("-")
                continue
            a = np.array([np.mean(cost[c][k]) for k in keys])
            b = np.array([np.mean(base[k]) for k in keys])
            ratio = np.where(b > 0, a / np.where(b > 0, b, 1), 1.0)   # 0 / 0: a tie
            gm = math.exp(float(np.mean(np.log(np.maximum(ratio, 1e-9)))))
            wins, losses = int(np.sum(ratio < 0.95)), int(np.sum(ratio > 1.05))
            cells.append(f"{a.sum() / b.sum():.3f} / {gm:.3f} / {wins}-{losses} (n {len(keys)})")
        lines.append(f"| {c} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="/work/data/phases")
    p.add_argument("--split", default="validation", help="validation (never test) or all (a tuning set)")
    p.add_argument("--families", default="")
    p.add_argument("--sizes", default="")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--configs", default="default,model,auto,oracle")
    p.add_argument("-o", "--output", default="bench/out/tune/validation.jsonl")
    p.add_argument("--report", metavar="JSONL")
    p.add_argument("--baseline", default="default")
    p.add_argument("--by-size", action="store_true", help="report per family and size")
    p.add_argument("--measure", default="cost", choices=("cost", "cost_measured", "propagations", "conflicts", "seconds",
                                                   "total_seconds"))
    args = p.parse_args(argv)
    if args.report:
        print(report(args.report, args.baseline, args.measure, args.by_size))
        return 0
    if args.split == "test":
        sys.exit("tune.py tunes on validation instances only: --split test is refused")
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
