"""Randomised cross-check of satmip's branch and cut against HiGHS, in two families:

- large: 15-50 columns, 8-60 rows; knapsack-like binary rows, general integer rows and
  fixed-charge models (x <= u y) that exercise the cuts with variable bounds;
- small: 0-10 rows, 1-12 columns with free, negative-only (upper < 0, no lower bound) and
  unbounded integer columns, equality rows with fractional coefficients, models infeasible
  only by integrality (parity, fractional coefficients), and unbounded ones.

Each model is solved by HiGHS (threads=1, gap 0) and by satmip (gap 0) under two settings
(defaults; reliability branching with best-estimate selection). satmip runs in a worker
process under a watchdog, so a search that ignores its time limit is reported, not waited
for. Checked for every solve:
- the status agrees with HiGHS's; an ambiguous HiGHS answer ("infeasible or unbounded",
  or "unbounded", which HiGHS may give for an unbounded relaxation) is settled by solving
  again without presolve and then without objective (infeasible, or feasible: unbounded);
  a status HiGHS leaves open is reported as skipped, never counted as agreement;
- an optimal value agrees with HiGHS's within 1e-6 relative;
- every point satmip returns satisfies the caller's model within 1e-6 absolute (bounds,
  rows, integrality: HiGHS's mip_feasibility_tolerance) and has the reported objective;
- no solve takes more than --max-seconds (wall time in the worker).
Prints each failure, each skipped model and a summary; exit status 1 if any failure.

    python bench/milp_crosscheck.py --family small --first-seed 500000 --count 10000 --workers 2
    python bench/milp_crosscheck.py --family large --first-seed 1000 --count 3000
"""
from __future__ import annotations

import argparse
import math
import multiprocessing
import sys
import time
from collections import Counter

import numpy as np

from satmip import Model

SETTINGS = (dict(), dict(branching="reliability", node_selection="best_estimate"))
TOLERANCE = 1e-6   # feasibility and integrality (absolute), optimum (relative)


def random_large_model(rng: np.random.Generator) -> Model:
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


def _small_columns(rng: np.random.Generator, n: int):
    """Bounds of each kind: [0,u], [l,u], free, negative-only (-inf, u<0), [l, inf), (-inf, u], fixed."""
    kinds = rng.choice(7, size=n, p=[0.3, 0.25, 0.1, 0.1, 0.12, 0.08, 0.05])
    lower, upper = np.empty(n), np.empty(n)
    for j, kind in enumerate(kinds):
        a, b = sorted(rng.integers(-10, 17, 2))
        lower[j], upper[j] = {0: (0, rng.integers(1, 17)), 1: (a, b), 2: (-np.inf, np.inf),
                              3: (-np.inf, -rng.integers(1, 10)), 4: (a, np.inf), 5: (-np.inf, b),
                              6: (a, a)}[int(kind)]
    return lower, upper


def random_small_model(rng: np.random.Generator) -> Model:
    n, m = int(rng.integers(1, 13)), int(rng.integers(0, 11))
    integer = rng.random(n) < rng.choice([0.3, 0.7, 1.0])
    lower, upper = _small_columns(rng, n)
    # Integer or 3-decimal fractional coefficients, some rows dense, some sparse.
    density = rng.uniform(0.15, 0.9)
    A = rng.integers(-9, 10, (m, n)).astype(float)
    fractional = rng.random((m, n)) < rng.choice([0.0, 0.3, 0.7])
    A[fractional] = np.round(rng.uniform(-9.5, 9.5, int(fractional.sum())), 3)
    A *= rng.random((m, n)) < density
    # Rows around a point within the bounds (infinite bounds: a point nearby), so
    # most models are feasible; a share of right-hand sides is random instead.
    centre_lower = np.where(np.isfinite(lower), lower, np.minimum(upper, 0) - 15)
    centre_upper = np.where(np.isfinite(upper), upper, np.maximum(lower, 0) + 15)
    point = rng.uniform(centre_lower, centre_upper)
    point[integer] = np.clip(np.round(point[integer]), np.ceil(lower[integer]), np.floor(upper[integer]))
    activity = A @ point
    if rng.random() < 0.5:
        activity = np.round(activity)   # integral right-hand sides: fractional rows may lose all points
    slack = rng.integers(0, 6, m) * (rng.random(m) < 0.6)
    kinds = rng.choice(5, size=m, p=[0.3, 0.2, 0.25, 0.2, 0.05])   # <=, >=, =, ranged, free
    row_lower = np.where(np.isin(kinds, (1, 2, 3)), activity - np.where(kinds == 2, 0, slack), -np.inf)
    row_upper = np.where(np.isin(kinds, (0, 2, 3)), activity + np.where(kinds == 2, 0, slack), np.inf)
    random_rows = rng.random(m) < 0.15
    row_lower[random_rows & np.isfinite(row_lower)] = rng.integers(-50, 50)
    row_upper[random_rows & np.isfinite(row_upper)] = np.maximum(
        row_lower[random_rows & np.isfinite(row_upper)], rng.integers(-50, 100))
    A, row_lower, row_upper = _integrality_rows(rng, A, row_lower, row_upper, integer)
    cost = np.round(rng.uniform(-3, 3, n), 3) if rng.random() < 0.5 else rng.integers(-9, 10, n).astype(float)
    cost *= rng.random(n) < 0.7
    model = Model.from_arrays(cost, A, row_lower, row_upper, lower, upper, integer)
    model.planted = point   # feasible unless a random or integrality row cuts it off
    return model


def _integrality_rows(rng, A, row_lower, row_upper, integer):
    """Sometimes an equality row only integrality breaks: even coefficients with an odd
    right-hand side (2x + 2y = 1), or one fractional coefficient (4.876 x = 7)."""
    n = A.shape[1]
    integers = np.flatnonzero(integer)
    if len(integers) == 0 or rng.random() < 0.85:
        return A, row_lower, row_upper
    row = np.zeros(n)
    if rng.random() < 0.5:
        chosen = rng.choice(integers, size=min(len(integers), int(rng.integers(1, 4))), replace=False)
        row[chosen] = 2 * rng.integers(1, 4, len(chosen)) * rng.choice([-1, 1], len(chosen))
        rhs = float(2 * rng.integers(-5, 6) + 1)
    else:
        row[rng.choice(integers)] = np.round(rng.uniform(1.5, 9.5), 3)
        rhs = float(rng.integers(1, 20))
    return np.vstack([A, row]), np.append(row_lower, rhs), np.append(row_upper, rhs)


FAMILIES = {"large": random_large_model, "small": random_small_model}


# ---- the reference: HiGHS, SCIP where HiGHS leaves the answer open ----

REFERENCE_TIME_LIMIT = 10.0   # seconds per reference solve
DECIDED = ("optimal", "infeasible", "unbounded")


def _highs(model: Model, integrality=True, presolve=True, objective=True):
    import highspy
    d = model.data
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = model.num_cols, model.num_rows
    lp.col_cost_ = np.asarray(d.cost) if objective else np.zeros(model.num_cols)
    lp.col_lower_, lp.col_upper_ = np.asarray(d.col_lower), np.asarray(d.col_upper)
    lp.row_lower_, lp.row_upper_ = np.asarray(d.row_lower), np.asarray(d.row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = np.asarray(d.A_start), np.asarray(d.A_index)
    lp.a_matrix_.value_ = np.asarray(d.A_value)
    if d.sense < 0:
        lp.sense_ = highspy.ObjSense.kMaximize
    if integrality:
        lp.integrality_ = [highspy.HighsVarType.kInteger if v else highspy.HighsVarType.kContinuous for v in d.integer]
    lp.offset_ = d.offset
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("time_limit", REFERENCE_TIME_LIMIT)
    h.setOptionValue("presolve", "on" if presolve else "off")
    h.passModel(lp)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    return {"Optimal": "optimal", "Infeasible": "infeasible", "Unbounded": "unbounded"}.get(status, status), \
        h.getInfo().objective_function_value


def _scip(model: Model):
    import pyscipopt
    d = model.data
    s = pyscipopt.Model()
    s.hideOutput()
    s.setParam("limits/time", REFERENCE_TIME_LIMIT)
    s.setParam("limits/gap", 0.0)
    inf = s.infinity()
    bound = lambda v: max(-inf, min(inf, float(v)))
    x = [s.addVar(lb=None if d.col_lower[j] == -np.inf else bound(d.col_lower[j]),
                  ub=None if d.col_upper[j] == np.inf else bound(d.col_upper[j]),
                  vtype="I" if d.integer[j] else "C", obj=float(d.cost[j])) for j in range(model.num_cols)]
    rows = [[] for _ in range(model.num_rows)]
    for j in range(model.num_cols):
        for k in range(d.A_start[j], d.A_start[j + 1]):
            rows[d.A_index[k]].append((float(d.A_value[k]), x[j]))
    for i, terms in enumerate(rows):
        expr = pyscipopt.quicksum(a * v for a, v in terms)
        lo, up = d.row_lower[i], d.row_upper[i]
        if lo > -np.inf:
            s.addCons(expr >= float(lo))
        if up < np.inf:
            s.addCons(expr <= float(up))
    s.setMinimize() if d.sense > 0 else s.setMaximize()
    s.optimize()
    status = s.getStatus()
    value = s.getObjVal() + d.offset if status == "optimal" else math.nan
    if status in ("optimal", "unbounded"):
        # SCIP's tolerances are relative: its point must pass the absolute check too
        # (on unbounded models it has offered points with entries of 1e19).
        best = s.getBestSol() if s.getNSols() else None
        violation = point_violation(model, [s.getSolVal(best, v) for v in x])[0] if best is not None else math.inf
        if violation > TOLERANCE:
            return f"{status}, point off by {violation:.2g}", value
    return {"inforunbd": "infeasible or unbounded"}.get(status, status), value


def reference_solve(model: Model):
    """The reference answer (optimal, infeasible, unbounded or the status left open), its
    optimum, and how it was reached when not by HiGHS's first answer (None)."""
    status, value = _highs(model)
    if status in ("optimal", "infeasible"):
        return status, value, None
    first = f"HiGHS {status}"
    if status not in ("unbounded", "Time limit reached"):
        status, value = _highs(model, presolve=False)
        if status in ("optimal", "infeasible"):
            return status, value, f"{first} -> {status} without presolve"
    # An unbounded relaxation: the MILP is unbounded if it has a point at all (rational data).
    relaxation, _ = _highs(model, integrality=False)
    if relaxation in ("unbounded", "Primal infeasible or unbounded"):
        feasibility, _ = _highs(model, objective=False)
        if feasibility == "optimal":
            return "unbounded", -math.inf * model.data.sense, f"{first} -> unbounded (a point, an unbounded relaxation)"
        if feasibility == "infeasible":
            return "infeasible", math.inf * model.data.sense, f"{first} -> infeasible (no point)"
    elif relaxation == "infeasible":
        return "infeasible", math.inf * model.data.sense, f"{first} -> infeasible (relaxation)"
    status, value = _scip(model)
    if status in DECIDED:
        return status, value, f"{first} -> SCIP {status}"
    return status, value, f"{first}, SCIP {status}: left open"


# ---- satmip under a watchdog ----

def _worker(connection):
    while True:
        job = connection.recv()
        if job is None:
            return
        model, settings = job
        begin, cpu = time.perf_counter(), time.process_time()
        r = model.solve(**settings)
        wall, cpu = time.perf_counter() - begin, time.process_time() - cpu
        x = None if r.x is None else np.asarray(r.x, dtype=float)
        effort = Effort.of(r, cpu).fields()   # plain values through the pipe
        connection.send((r.status, float(r.objective), x, wall, effort))


class Effort:
    """What a solve did (-1 where unknown): nodes, LP iterations, satmip's own seconds and
    the worker's CPU seconds (under load the wall time grows, the CPU time much less)."""

    def __init__(self, nodes=-1, lp_iterations=-1, seconds=math.nan, cpu=math.nan):
        self.nodes, self.lp_iterations, self.seconds, self.cpu = nodes, lp_iterations, seconds, cpu

    @classmethod
    def of(cls, r, cpu=math.nan):
        return cls(int(getattr(r, "nodes", -1)), int(getattr(r, "lp_iterations", -1)), float(getattr(r, "time", math.nan)),
                   cpu)

    def fields(self):
        return self.nodes, self.lp_iterations, self.seconds, self.cpu

    def __str__(self):
        return (f"{self.nodes} nodes, {self.lp_iterations} LP iterations, {self.seconds:.3f} s in satmip, "
                f"{self.cpu:.3f} s CPU")


class Watchdog:
    """satmip in a forked worker: solve() returns (status, objective, x, wall seconds, Effort),
    or status 'hang' (the worker killed and restarted) after `patience` seconds."""

    def __init__(self, patience: float):
        self.patience = patience
        self.process = None

    def _start(self):
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child,), daemon=True)
        self.process.start()

    def solve(self, model: Model, settings: dict):
        if self.process is None:
            self._start()
        begin = time.perf_counter()
        self.connection.send((model, settings))
        if self.connection.poll(self.patience):
            try:
                status, objective, x, wall, effort = self.connection.recv()
                return status, objective, x, wall, Effort(*effort)
            except EOFError:
                self.close()
                return "crash", math.nan, None, time.perf_counter() - begin, Effort()
        self.close()
        return "hang", math.nan, None, time.perf_counter() - begin, Effort()

    def close(self):
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.process = None


def point_violation(model: Model, x) -> tuple[float, str]:
    """The largest absolute violation of the caller's model by x (bounds, rows, integrality) and where."""
    d = model.data
    x = np.asarray(x, dtype=float)
    if x.shape != (model.num_cols,) or not np.isfinite(x).all():
        return math.inf, "no finite point of the right size"
    worst = (0.0, "")
    for what, v in (("column", np.maximum(np.asarray(d.col_lower) - x, x - np.asarray(d.col_upper))),
                    ("row", _row_violation(d, x)),
                    ("integrality", np.where(np.asarray(d.integer, dtype=bool), np.abs(x - np.round(x)), 0.0))):
        if v.size and v.max() > worst[0]:
            worst = (float(v.max()), f"{what} {int(v.argmax())}")
    return worst


def _row_violation(d, x):
    activity = np.zeros(len(d.row_lower))
    start, index, value = np.asarray(d.A_start), np.asarray(d.A_index), np.asarray(d.A_value)
    for j in range(len(x)):
        activity[index[start[j]:start[j + 1]]] += value[start[j]:start[j + 1]] * x[j]
    return np.maximum(np.asarray(d.row_lower) - activity, activity - np.asarray(d.row_upper))


def judge(model: Model, theirs: str, value: float, status: str, objective: float, x) -> str | None:
    """Why satmip's answer is wrong (None: it agrees with HiGHS and its point is a solution)."""
    if status in ("optimal", "time_limit", "node_limit", "interrupted") and x is not None and len(x):
        violation, where = point_violation(model, x)
        if violation > TOLERANCE:
            return f"point violates {where} by {violation:.3g}"
        d = model.data
        own = float(np.dot(d.cost, x) + d.offset)
        if abs(own - objective) > TOLERANCE * max(1.0, abs(own)):
            return f"objective {objective!r} but c.x = {own!r}"
    elif status == "optimal":
        return "optimal without a point"
    planted = getattr(model, "planted", None)
    if status == "infeasible" and planted is not None and point_violation(model, planted)[0] <= 1e-9:
        return "infeasible, but the generator's point is feasible"
    if theirs not in DECIDED:
        return None   # the references left it open: counted as skipped by the caller
    if status != theirs:
        return f"status {status}"
    if status == "optimal" and abs(objective - value) > TOLERANCE * max(1.0, abs(value)):
        return f"optimum {objective!r}"
    return None


class Tally:
    """Counts of one run (or one worker's slice of it)."""

    def __init__(self):
        self.failures = self.slow = self.skipped = self.slow_reference = 0
        self.statuses, self.ambiguous = Counter(), Counter()
        self.max_wall, self.max_wall_seed = 0.0, None

    def merge(self, other: "Tally"):
        self.failures += other.failures
        self.slow += other.slow
        self.skipped += other.skipped
        self.slow_reference += other.slow_reference
        self.statuses.update(other.statuses)
        self.ambiguous.update(other.ambiguous)
        if other.max_wall > self.max_wall:
            self.max_wall, self.max_wall_seed = other.max_wall, other.max_wall_seed


def check_seeds(seeds, family: str, time_limit: float, max_seconds: float) -> Tally:
    """Solves each seed's model by the references and satmip; prints each failure and skip."""
    generate = FAMILIES[family]
    watchdog = Watchdog(patience=time_limit + 20.0)
    t = Tally()
    try:
        for seed in seeds:
            model = generate(np.random.default_rng(seed))
            begin = time.perf_counter()
            theirs, value, settled = reference_solve(model)
            reference_wall = time.perf_counter() - begin
            t.slow_reference += reference_wall > 1.0
            t.statuses[theirs] += 1
            if settled:
                t.ambiguous[settled] += 1
            for settings in SETTINGS:
                options = dict(gap=0, time_limit=time_limit, **settings)
                status, objective, x, wall, effort = watchdog.solve(model, options)
                if wall > t.max_wall:
                    t.max_wall, t.max_wall_seed = wall, seed
                why = judge(model, theirs, value, status, objective, x)
                if why is None and theirs in DECIDED and wall > max_seconds:
                    t.slow += 1
                    why = f"{wall:.2f} s"
                if why is None and theirs not in DECIDED:
                    t.skipped += 1
                    print(f"seed {seed} {settings}: skipped, reference {theirs} ({settled}); satmip {status} "
                          f"({wall:.2f} s; {effort})", flush=True)   # the time, though not judged
                elif why is not None:
                    t.failures += 1
                    print(f"seed {seed} {settings}: reference {theirs} {value!r} ({reference_wall:.2f} s), "
                          f"satmip {status} {objective!r}: {why} ({wall:.2f} s; {effort}){alone(model, options)}",
                          flush=True)
    finally:
        watchdog.close()
    return t


def alone(model: Model, options: dict) -> str:
    """A failed solve again in a fresh worker: whether the long-lived worker's history (or
    the load of the moment) made it fail."""
    fresh = Watchdog(patience=options["time_limit"] + 20.0)
    try:
        status, _, _, wall, effort = fresh.solve(model, options)
    finally:
        fresh.close()
    return f"; alone in a fresh worker: {status}, {wall:.2f} s, {effort}"


def _check_slice(queue, seeds, job):
    queue.put(check_seeds(seeds, *job))


def main(argv=None) -> int:
    global REFERENCE_TIME_LIMIT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=sorted(FAMILIES), default="large")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--time-limit", type=float, default=None,
                        help="satmip's limit per solve (default: 5 s small, 30 s large)")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="slower solves are failures (default: 1 s small, none large)")
    parser.add_argument("--reference-time-limit", type=float, default=REFERENCE_TIME_LIMIT,
                        help="HiGHS's and SCIP's limit per solve; past it a model counts as skipped")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes sharing the seeds (interleaved); each solve's wall time is still its own")
    args = parser.parse_args(argv)
    REFERENCE_TIME_LIMIT = args.reference_time_limit
    small = args.family == "small"
    time_limit = args.time_limit if args.time_limit is not None else (5.0 if small else 30.0)
    max_seconds = args.max_seconds if args.max_seconds is not None else (1.0 if small else math.inf)
    seeds = range(args.first_seed, args.first_seed + args.count)
    job = (args.family, time_limit, max_seconds)
    if args.workers <= 1:
        tally = check_seeds(seeds, *job)
    else:   # interleaved slices in forked processes, each with its own watchdog
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        workers = [context.Process(target=_check_slice, args=(queue, seeds[w::args.workers], job))
                   for w in range(args.workers)]
        for w in workers:
            w.start()
        tally = Tally()
        for _ in workers:
            tally.merge(queue.get())
        for w in workers:
            w.join()
    failures, slow, skipped = tally.failures, tally.slow, tally.skipped
    statuses, ambiguous = tally.statuses, tally.ambiguous
    max_wall, max_wall_seed, slow_reference = tally.max_wall, tally.max_wall_seed, tally.slow_reference
    print(f"{args.family}: {args.count} models x {len(SETTINGS)} settings: {failures} disagreement(s) with HiGHS "
          f"({slow} over {max_seconds:g} s), {skipped} skipped")
    print("reference statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print(f"answers not HiGHS's first: {sum(ambiguous.values())}" +
          "".join(f"\n  {v} x {k}" for k, v in sorted(ambiguous.items())))
    print(f"max satmip wall time {max_wall:.3f} s (seed {max_wall_seed}); "
          f"{slow_reference} model(s) took the references over 1 s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
