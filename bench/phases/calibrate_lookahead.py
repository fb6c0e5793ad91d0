"""The lookahead's part of the "auto" delay (satmip.learn.predict.lookahead_budget),
measured: per formula, the features' lookahead (satmip.learn.features.lookahead, as
inference runs it) in clause visits and seconds, the estimate of its visits from a
sample of probes and what the estimate costs, the rest of the inference (graph,
features, forward) and the search's seconds per propagation on the same formula:

    python bench/phases/calibrate_lookahead.py [--families ...] [--repeats 3]

Formulas from the trained families' generators at seeds 9,000,000 on (never in the
training data, the test sets or the held-out family), at the sizes of the evaluation's
"above" class and larger. Prints one row per formula and the medians: propagations per
clause visit (PROPAGATIONS_PER_VISIT) and per literal for the rest of the inference
(PROPAGATIONS_PER_LITERAL["cpp"]).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

import satmip
from satmip.learn import generate
from satmip.learn.features import PROBE_WORK, TOTAL_WORK_MIN, TOTAL_WORK_PER_LITERAL
from satmip.learn.graph import clause_graph
from satmip.learn.predict import default_model_path, load_model, lookahead_visits, predict_phases
from satmip import _core

FORMULAS = [("planted_ksat", 300), ("planted_ksat", 2000), ("factoring", 17), ("factoring", 24),
            ("flat_colouring", 500), ("flat_colouring", 2000), ("latin_square", 35),
            ("circuit_preimage", 1000), ("grid_planning", 10)]
SEED = 9_000_000


def best(f, repeats):
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def search_seconds_per_propagation(cnf, propagations=2_000_000):
    s = satmip.Solver(seed=1)
    s.append_formula(cnf)
    s.prop_budget(propagations)
    t = time.perf_counter()
    s.solve_limited()
    seconds = time.perf_counter() - t
    return seconds / max(1, s.accum_stats()["propagations"]), s.accum_stats()["propagations"]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args(argv)
    model = load_model(default_model_path())
    print("| formula | literals | lookahead visits / literal | estimate / actual | estimate s / lookahead s "
          "| lookahead s | rest of inference s | search us / prop | props / visit | rest props / literal |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    per_visit, per_literal = [], []
    for family, size in FORMULAS:
        cnf = generate(family, size, SEED)
        literals = int(np.count_nonzero(np.asarray(cnf.lits)))
        g = clause_graph(cnf)
        indptr = np.zeros(g.nclauses + 1, dtype=np.int64)
        np.cumsum(np.bincount(g.edge_clause, minlength=g.nclauses), out=indptr[1:])

        def look():
            return _core.lookahead(g.nvars, indptr, g.edge_var, g.edge_sign, PROBE_WORK,
                                   max(TOTAL_WORK_MIN, TOTAL_WORK_PER_LITERAL * g.edge_var.size))
        look_s, result = best(look, args.repeats)
        est_s, estimate = best(lambda: lookahead_visits(cnf), args.repeats)
        total_s, _ = best(lambda: predict_phases(cnf, model), args.repeats)
        rest_s = max(total_s - look_s, 1e-9)
        prop_s, props = search_seconds_per_propagation(cnf)
        visits = int(result["work"])
        pv = look_s / max(visits, 1) / prop_s
        pl = rest_s / literals / prop_s
        per_visit.append(pv)
        per_literal.append(pl)
        print(f"| {family} {size} | {literals:,} | {visits / literals:.1f} | {estimate / max(visits, 1):.2f} "
              f"| {est_s / look_s:.2f} | {look_s:.4f} | {rest_s:.4f} | {prop_s * 1e6:.3f} | {pv:.3f} | {pl:.1f} |",
              flush=True)
    print(f"\nmedian propagations per clause visit {statistics.median(per_visit):.3f} "
          f"(range {min(per_visit):.3f}-{max(per_visit):.3f}); rest of inference per literal "
          f"{statistics.median(per_literal):.1f} (range {min(per_literal):.1f}-{max(per_literal):.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
