"""Randomised cross-check of satmip's branch and cut against HiGHS on MILPs larger than
the test suite's (15-50 columns, 8-60 rows): knapsack-like binary rows, general integer
rows, and fixed-charge models (x <= u y) that exercise the cuts with variable bounds.
Each model is solved by HiGHS (threads=1, gap 0) and by satmip under two settings
(defaults; reliability branching with best-estimate selection); statuses must agree and
optimal values agree within 1e-6 relative. Prints each disagreement; exit status 1 if any.

    python bench/milp_crosscheck.py --first-seed 1000 --count 3000
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

from satmip import Model

SETTINGS = (dict(), dict(branching="reliability", node_selection="best_estimate"))


def random_model(rng: np.random.Generator) -> Model:
    kind = int(rng.integers(0, 3))
    n, m = int(rng.integers(15, 50)), int(rng.integers(8, 30))
    integer = rng.random(n) < 0.6
    lower = np.zeros(n)
    upper = np.where(integer, rng.integers(1, 4, n), rng.uniform(1, 20, n)).astype(float)
    if kind == 0:     # knapsack-like rows over (mostly) binaries
        integer[:] = rng.random(n) < 0.9
        upper = np.where(integer, 1.0, upper)
        A = rng.integers(0, 30, (m, n)).astype(float) * (rng.random((m, n)) < 0.4)
    elif kind == 1:   # general integer rows
        A = rng.integers(-9, 10, (m, n)).astype(float) * (rng.random((m, n)) < 0.3)
    else:             # fixed charge: continuous x_j <= upper_j * y_k, y binary
        half = n // 2
        integer[:half], integer[half:] = False, True
        upper[half:] = 1
        A = rng.integers(-5, 6, (m, n)).astype(float) * (rng.random((m, n)) < 0.3)
        A[:, half:] = 0
        links = np.zeros((half, n))
        for j in range(half):
            links[j, j], links[j, half + j % (n - half)] = 1, -upper[j]
        A = np.vstack([A, links])
    rows = A.shape[0]
    point = np.where(integer, np.round(rng.uniform(lower, upper)), rng.uniform(lower, upper))
    activity = A @ point   # the rows admit this point (unless a link row cuts it off)
    row_lower = np.where(rng.random(rows) < 0.3, activity - rng.integers(0, 5, rows), -np.inf)
    row_upper = np.where(rng.random(rows) < 0.8, activity + rng.integers(0, 5, rows), np.inf)
    if kind == 2:
        row_lower[-(n // 2):], row_upper[-(n // 2):] = -np.inf, 0.0
    cost = rng.integers(-20, 21, n).astype(float) if rng.random() < 0.5 else rng.normal(size=n) * 10
    return Model.from_arrays(cost, A, row_lower, row_upper, lower, upper, integer)


def highs_solve(model: Model):
    import highspy
    d = model.data
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = model.num_cols, model.num_rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.asarray(d.cost), np.asarray(d.col_lower), np.asarray(d.col_upper)
    lp.row_lower_, lp.row_upper_ = np.asarray(d.row_lower), np.asarray(d.row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = np.asarray(d.A_start), np.asarray(d.A_index)
    lp.a_matrix_.value_ = np.asarray(d.A_value)
    lp.integrality_ = [highspy.HighsVarType.kInteger if v else highspy.HighsVarType.kContinuous for v in d.integer]
    lp.offset_ = d.offset
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.passModel(lp)
    h.run()
    return h.modelStatusToString(h.getModelStatus()), h.getInfo().objective_function_value


def agree(theirs: str, value: float, r) -> bool:
    if theirs == "Optimal":
        return r.status == "optimal" and abs(r.objective - value) <= 1e-6 * max(1.0, abs(value))
    if theirs == "Infeasible":
        return r.status == "infeasible"
    return True   # HiGHS undecided: nothing to compare


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--time-limit", type=float, default=30.0, help="satmip's limit per solve")
    args = parser.parse_args(argv)
    disagreements = 0
    for seed in range(args.first_seed, args.first_seed + args.count):
        model = random_model(np.random.default_rng(seed))
        theirs, value = highs_solve(model)
        for settings in SETTINGS:
            r = model.solve(gap=0, time_limit=args.time_limit, **settings)
            if not agree(theirs, value, r):
                disagreements += 1
                print(f"seed {seed} {settings}: HiGHS {theirs} {value!r}, satmip {r.status} {r.objective!r}", flush=True)
    print(f"{args.count} models x {len(SETTINGS)} settings: {disagreements} disagreement(s) with HiGHS")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
