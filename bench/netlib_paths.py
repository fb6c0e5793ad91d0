"""Both of satmip's ways to solve a pure LP must agree: solve_lp() (the dual simplex)
and Model.solve() (the MILP path: presolve, then the root LP), with and without
presolve, and with HiGHS (threads=1). Runs every *.mps[.gz] in a folder, e.g. the whole
Netlib collection, prints one line per instance and a summary; exit status 1 if a
status or an optimal value (1e-6 relative) disagrees.

    python bench/netlib_paths.py /tmp/netlib --time-limit 60
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from satmip import Model


def highs_optimum(model: Model, time_limit: float):
    import highspy
    d = model.data
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = model.num_cols, model.num_rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.asarray(d.cost), np.asarray(d.col_lower), np.asarray(d.col_upper)
    lp.row_lower_, lp.row_upper_ = np.asarray(d.row_lower), np.asarray(d.row_upper)
    lp.offset_ = float(d.offset)
    if d.sense == -1:
        lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(d.A_start, np.int32)
    lp.a_matrix_.index_ = np.asarray(d.A_index, np.int32)
    lp.a_matrix_.value_ = np.asarray(d.A_value, float)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", time_limit)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    name = {highspy.HighsModelStatus.kOptimal: "optimal", highspy.HighsModelStatus.kInfeasible: "infeasible",
            highspy.HighsModelStatus.kUnbounded: "unbounded"}.get(status, str(status))
    return name, h.getInfo().objective_function_value


def agree(a, b) -> bool:
    (status_a, value_a), (status_b, value_b) = a, b
    if status_a != status_b:
        return False
    return status_a != "optimal" or abs(value_a - value_b) <= 1e-6 * max(1.0, abs(value_a), abs(value_b))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve")
    parser.add_argument("--only", nargs="*", help="instance names (without .mps.gz)")
    args = parser.parse_args(argv)
    files = sorted(p for p in args.folder.iterdir() if p.name.endswith((".mps", ".mps.gz")))
    if args.only:
        files = [p for p in files if p.name.split(".mps")[0] in args.only]
    print(f"{'instance':12} {'HiGHS':>24} {'solve_lp':>24} {'solve':>24} {'solve(presolve=False)':>24}  agree")
    disagreements, limits = [], []
    for path in files:
        name = path.name.split(".mps")[0]
        model = Model.from_mps(path)
        answers = {"highs": highs_optimum(model, args.time_limit)}
        lp = model.solve_lp(time_limit=args.time_limit)
        answers["solve_lp"] = (lp.status, lp.objective)
        for key, presolve in (("solve", True), ("solve_nopre", False)):
            r = model.solve(time_limit=args.time_limit, gap=0, presolve=presolve)
            answers[key] = (r.status, r.objective)
        solved = {k: v for k, v in answers.items() if v[0] not in ("time_limit", "iteration_limit")}
        limits += [f"{name}:{k}" for k in answers if k not in solved]
        ok = all(agree(v, solved["highs"]) for v in solved.values()) if "highs" in solved else True
        cells = " ".join(f"{v[0][:10]:>10} {v[1]:>13.6g}" for v in answers.values())
        print(f"{name:12} {cells}  {'yes' if ok else 'NO'}", flush=True)
        if not ok:
            disagreements.append(name)
    print(f"{len(files)} instances; disagreements: {len(disagreements)} {' '.join(disagreements)}; "
          f"limits reached: {len(limits)} {' '.join(limits)}")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
