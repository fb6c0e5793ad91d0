#!/usr/bin/env python3
"""B&B-style warm-start micro-benchmark of satmip's LP engine (issue 4).

For each instance the LP relaxation is solved cold, then K "branchings" follow, each
from the root bounds:

* pick a column from the current LP solution: the most fractional integer column not
  branched on yet (ties: lowest index). Branchings come in pairs on the same column and
  value v, as the two children of a B&B node: even ones down (x <= floor(v)), odd ones up
  (x >= ceil(v)). When no such column is left (an integral LP, a pure LP), a random
  column (integer ones first; seeded) with a finite value is taken and its value rounded:
  a fractional v branches at floor/ceil, an integral one one unit away (x <= v-1 /
  x >= v+1, the direction that stays within its bounds), so the current point is cut off;
* change that one bound and re-solve warm (dual simplex from the kept basis): "warm";
* restore the bound and re-solve warm again: "restore".

HiGHS (highspy; threads=1, solver=simplex, presolve off) runs the same sequence on a
model passed from the same arrays (changeColBounds, then run()). On every 5th branching a
fresh solver of each kind also solves the branched LP cold ("cold/branch"), for the
warm/cold iteration ratio (sum of warm iterations over those branchings / sum of their
cold iterations). Every step's status and objective are compared between satmip and
HiGHS (and between warm and cold solves), relative tolerance 1e-6; any disagreement is
printed loudly and makes the exit status 1. Times are wall-clock around solve()/run().

    python bench/lp_warmstart.py                       # MIP dev set relaxations, K = 50
    python bench/lp_warmstart.py --instances 'tests/data/mip/*.mps.gz' -k 6
    python bench/lp_warmstart.py --markdown bench/RESULTS.md   # section lp_warmstart

Exit status: 0; 1 when satmip and HiGHS (or warm and cold) disagree; 2 for bad
arguments or no instances.
"""
from __future__ import annotations

import argparse
import glob
import math
import os
import shlex
import statistics
import sys
import time
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

import numpy as np

import satmip
from satmip import _core
from satmip.bench.markdown import machine_description, write_section

REPO = Path(__file__).resolve().parents[1]
SECTION_BEGIN = "<!-- lp_warmstart: begin -->"
SECTION_END = "<!-- lp_warmstart: end -->"
COLD_EVERY = 5           # a cold re-solve on every 5th branching
REL_TOL = 1e-6           # objective agreement
FRAC_TOL = 1e-6          # integrality tolerance when picking a column
ITER_SHIFT = 10.0        # shifted geometric means of iterations
TIME_SHIFT_MS = 0.1      # ... and of times in ms


def default_instances() -> str:
    shared = os.environ.get("SATMIP_SHARED") or str(REPO.parent / "shared")
    return str(Path(shared) / "benchmarks" / "mip" / "*.mps.gz")


def expand(patterns: Iterable[str]) -> List[str]:
    """Globs, folders (their *.mps*) and files, sorted by name, duplicates dropped."""
    out: List[str] = []
    for pat in patterns:
        if os.path.isdir(pat):
            hits = sorted(glob.glob(os.path.join(pat, "*.mps*")))
        else:
            hits = sorted(glob.glob(pat)) or ([pat] if os.path.isfile(pat) else [])
        out += [h for h in hits if h not in out]
    return sorted(out, key=lambda p: os.path.basename(p))


def shifted_geometric_mean(values: Iterable[float], shift: float) -> Optional[float]:
    values = [max(float(v), 0.0) for v in values]
    if not values:
        return None
    return math.exp(sum(math.log(v + shift) for v in values) / len(values)) - shift


# --------------------------------------------------------------------------- solvers

class SatmipLp:
    name = "satmip"

    def __init__(self, d: dict, time_limit: float):
        self.s = _core.LpSolver(d, time_limit=time_limit)

    def solve(self):
        t = time.perf_counter()
        st = self.s.solve()
        wall = time.perf_counter() - t
        return st, self.s.objective, int(self.s.iterations), wall

    def change(self, j: int, lo: float, up: float) -> None:
        self.s.change_col_bounds(j, lo, up)

    @property
    def x(self) -> np.ndarray:
        return np.asarray(self.s.x)


class HighsLp:
    name = "highs"
    _cumulative: Optional[bool] = None   # simplex_iteration_count: per run() (HiGHS 1.16) or a running total

    def __init__(self, d: dict, time_limit: float):
        import highspy
        self.hs = highspy
        self.h = h = highspy.Highs()
        for k, v in (("output_flag", False), ("threads", 1), ("solver", "simplex"), ("presolve", "off"),
                     ("time_limit", float(time_limit))):
            h.setOptionValue(k, v)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = int(d["num_cols"]), int(d["num_rows"])
        lp.col_cost_ = np.asarray(d["cost"], float)
        lp.col_lower_, lp.col_upper_ = np.asarray(d["col_lower"], float), np.asarray(d["col_upper"], float)
        lp.row_lower_, lp.row_upper_ = np.asarray(d["row_lower"], float), np.asarray(d["row_upper"], float)
        lp.offset_ = float(d.get("offset", 0.0) or 0.0)
        if d.get("sense", 1) == -1:
            lp.sense_ = highspy.ObjSense.kMaximize
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.asarray(d["A_start"], np.int32)
        lp.a_matrix_.index_ = np.asarray(d["A_index"], np.int32)
        lp.a_matrix_.value_ = np.asarray(d["A_value"], float)
        if h.passModel(lp) == highspy.HighsStatus.kError:
            raise RuntimeError("HiGHS rejected the model")
        self.count = 0   # the last reading of simplex_iteration_count

    def _run(self):
        t = time.perf_counter()
        self.h.run()
        wall = time.perf_counter() - t
        info = self.h.getInfo()
        return self._status(), float(info.objective_function_value), int(info.simplex_iteration_count), wall

    def solve(self):
        st, obj, count, wall = self._run()
        if HighsLp._cumulative is None and count > 0:
            # Probe once: run() again with nothing changed does no iteration; a running
            # total reads the same again, a per-run count reads 0.
            again = self._run()[2]
            HighsLp._cumulative = again == count
        its = count - self.count if HighsLp._cumulative else count
        self.count = count
        return st, obj, its, wall

    def change(self, j: int, lo: float, up: float) -> None:
        self.h.changeColBounds(int(j), float(lo), float(up))

    @property
    def x(self) -> np.ndarray:
        return np.asarray(self.h.getSolution().col_value)

    def _status(self) -> str:
        ms = self.hs.HighsModelStatus
        names = {ms.kOptimal: "optimal", ms.kInfeasible: "infeasible", ms.kUnbounded: "unbounded",
                 ms.kUnboundedOrInfeasible: "unbounded_or_infeasible", ms.kTimeLimit: "time_limit",
                 ms.kIterationLimit: "iteration_limit"}
        st = self.h.getModelStatus()
        return names.get(st, str(st))


LIMITS = ("time_limit", "iteration_limit", "interrupted")


def compare(ours, theirs) -> Optional[str]:
    """None when two (status, objective) answers agree; 'limit' when either stopped early;
    else a description."""
    (s1, o1), (s2, o2) = ours, theirs
    if s1 in LIMITS or s2 in LIMITS:
        return "limit"
    same = s1 == s2 or (s2 == "unbounded_or_infeasible" and s1 in ("infeasible", "unbounded")) \
        or (s1 == "unbounded_or_infeasible" and s2 in ("infeasible", "unbounded"))
    if not same:
        return f"status {s1} vs {s2}"
    if s1 == "optimal" and abs(o1 - o2) > REL_TOL * max(1.0, abs(o1), abs(o2)):
        return f"objective {o1:.12g} vs {o2:.12g}"
    return None


# --------------------------------------------------------------------------- branching

def _branching_on(j: int, v: float, lo: float, up: float):
    """(down bounds, up bounds) of branching column j at value v within [lo, up]; None
    for a branch that does not exist."""
    fl, ce = math.floor(v), math.ceil(v)
    if fl == ce:  # integral: one unit away
        fl, ce = v - 1.0, v + 1.0
    down = (lo, fl) if fl >= lo else None
    upb = (ce, up) if ce <= up else None
    return down, upb


class Brancher:
    """Picks the branchings: pairs (down, up) on the most fractional unused integer
    column, else on a random column (seeded) whose value is rounded."""

    def __init__(self, d: dict, rng: np.random.Generator):
        self.lo0 = np.asarray(d["col_lower"], float)
        self.up0 = np.asarray(d["col_upper"], float)
        integer = d.get("integer")
        self.integer = np.zeros(len(self.lo0), bool) if integer is None else np.asarray(integer, bool)
        self.used = np.zeros(len(self.lo0), bool)
        self.rng = rng
        self.pending: List[tuple] = []

    def next(self, x: np.ndarray):
        """(column, value, direction, new lower, new upper, how picked) or None."""
        if self.pending:
            return self.pending.pop(0)
        x = np.asarray(x, float)
        frac = np.abs(x - np.floor(x + 0.5))
        ok = self.integer & ~self.used & np.isfinite(x) & (frac > FRAC_TOL) \
            & (np.floor(x) >= self.lo0) & (np.ceil(x) <= self.up0)
        cand = np.nonzero(ok)[0]
        if len(cand):
            j = int(cand[np.argmax(frac[cand])])   # argmax: the first (lowest index) on ties
            how = "fractional"
        else:
            pool = [p for p in (self.integer & ~self.used, ~self.integer & ~self.used,
                                self.integer, np.ones_like(self.used)) if p.any()]
            j = None
            for p in pool:
                idx = np.nonzero(p & np.isfinite(x))[0]
                idx = idx[[any(b is not None for b in _branching_on(int(k), float(x[k]), self.lo0[k],
                                                                    self.up0[k])) for k in idx]] \
                    if len(idx) else idx
                if len(idx):
                    j = int(self.rng.choice(idx))
                    break
            if j is None:
                return None
            how = "random"
        v = float(x[j])
        self.used[j] = True
        down, up = _branching_on(j, v, self.lo0[j], self.up0[j])
        steps = [(j, v, "down", *down, how)] if down else []
        steps += [(j, v, "up", *up, how)] if up else []
        self.pending = steps[1:]
        return steps[0]


# --------------------------------------------------------------------------- one instance

def run_instance(path: str, branchings: int, seed: int, time_limit: float,
                 max_cold_time: float = 3.0, cold_every: int = COLD_EVERY) -> dict:
    name = os.path.basename(path)
    d = satmip.read_mps(path).to_dict()
    row = dict(instance=name, rows=int(d["num_rows"]), cols=int(d["num_cols"]), skipped=None,
               disagreements=[], limits=0, steps=[])
    sat, hig = SatmipLp(d, time_limit), HighsLp(d, time_limit)
    st, obj, its, wall = sat.solve()
    hst, hobj, hits, hwall = hig.solve()
    row.update(status=st, objective=obj, cold_iterations=its, cold_ms=1e3 * wall,
               highs_cold_iterations=hits, highs_cold_ms=1e3 * hwall)
    why = compare((st, obj), (hst, hobj))
    if why and why != "limit":
        row["disagreements"].append(f"{name} root: satmip {st} {obj:.12g} vs HiGHS {hst} {hobj:.12g} ({why})")
    if wall > max_cold_time:
        row["skipped"] = f"cold LP takes {wall:.2f} s > {max_cold_time:g} s"
        return row
    if st != "optimal":
        row["skipped"] = f"root LP {st}"
        return row

    rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
    brancher = Brancher(d, rng)
    lo0, up0 = np.asarray(d["col_lower"], float), np.asarray(d["col_upper"], float)
    x = sat.x
    for k in range(branchings):
        pick = brancher.next(x)
        if pick is None:
            break
        j, v, direction, lo, up, how = pick
        step = dict(k=k, col=j, value=v, dir=direction, lower=lo, upper=up, how=how)
        for phase, bounds in (("warm", (lo, up)), ("restore", (lo0[j], up0[j]))):
            sat.change(j, *bounds)
            hig.change(j, *bounds)
            a = sat.solve()
            b = hig.solve()
            step[phase] = dict(status=a[0], objective=a[1], iterations=a[2], ms=1e3 * a[3],
                               highs_status=b[0], highs_objective=b[1], highs_iterations=b[2], highs_ms=1e3 * b[3])
            why = compare(a[:2], b[:2])
            if why == "limit":
                row["limits"] += 1
            elif why:
                row["disagreements"].append(
                    f"{name} branching {k} ({direction} x{j} {'<=' if direction == 'down' else '>='} "
                    f"{up if direction == 'down' else lo:g}) {phase}: satmip {a[0]} {a[1]:.12g} vs "
                    f"HiGHS {b[0]} {b[1]:.12g} ({why})")
            if phase == "warm" and k % cold_every == 0:
                dd = dict(d, col_lower=lo0.copy(), col_upper=up0.copy())
                dd["col_lower"][j], dd["col_upper"][j] = lo, up
                c = SatmipLp(dd, time_limit).solve()
                hc = HighsLp(dd, time_limit).solve()
                step["cold"] = dict(status=c[0], objective=c[1], iterations=c[2], ms=1e3 * c[3],
                                    highs_status=hc[0], highs_objective=hc[1], highs_iterations=hc[2],
                                    highs_ms=1e3 * hc[3])
                for who, warm_ans, cold_ans in (("satmip", a, c), ("HiGHS", b, hc)):
                    why = compare(warm_ans[:2], cold_ans[:2])
                    if why == "limit":
                        row["limits"] += 1
                    elif why:
                        row["disagreements"].append(
                            f"{name} branching {k}: {who} warm {warm_ans[0]} {warm_ans[1]:.12g} vs cold "
                            f"{cold_ans[0]} {cold_ans[1]:.12g} ({why})")
        row["steps"].append(step)
        x = sat.x
    _summarize(row)
    return row


def _summarize(row: dict) -> None:
    steps = row["steps"]
    row["branchings"] = len(steps)
    if not steps:
        return
    for pre, key in (("", "iterations"), ("highs_", "highs_iterations")):
        warm = [s["warm"][key] for s in steps]
        restore = [s["restore"][key] for s in steps]
        row[pre + "warm_mean"] = statistics.fmean(warm)
        row[pre + "warm_median"] = statistics.median(warm)
        row[pre + "warm_max"] = max(warm)
        row[pre + "restore_mean"] = statistics.fmean(restore)
        sampled = [s for s in steps if "cold" in s]
        cold_sum = sum(s["cold"][key] for s in sampled)
        row[pre + "cold_branch_mean"] = cold_sum / len(sampled) if sampled else None
        row[pre + "warm_cold_ratio"] = (sum(s["warm"][key] for s in sampled) / cold_sum) if cold_sum else None
    for pre, key in (("", "ms"), ("highs_", "highs_ms")):
        row[pre + "warm_ms"] = statistics.fmean(s["warm"][key] for s in steps)
        row[pre + "restore_ms"] = statistics.fmean(s["restore"][key] for s in steps)
    row["infeasible_children"] = sum(s["warm"]["status"] == "infeasible" for s in steps)
    row["random_picks"] = sum(s["how"] == "random" for s in steps)


def run(instances: Sequence[str], branchings: int = 50, seed: int = 0, time_limit: float = 60.0,
        max_cold_time: float = 3.0, progress=None) -> List[dict]:
    """One result dict per instance (see run_instance); `instances` are paths."""
    rows = []
    for i, path in enumerate(instances):
        t = time.perf_counter()
        row = run_instance(path, branchings, seed, time_limit, max_cold_time)
        row["wall_s"] = time.perf_counter() - t
        rows.append(row)
        if progress:
            progress(i, len(instances), row)
    return rows


# --------------------------------------------------------------------------- reports

def _f(v, fmt="{:.1f}") -> str:
    return "-" if v is None else fmt.format(v)


COLUMNS = ["instance", "rows", "cols", "cold it", "cold it/branch", "warm it mean", "warm it median",
           "restore it mean", "warm/cold", "warm ms", "HiGHS cold it", "HiGHS cold it/branch",
           "HiGHS warm it mean", "HiGHS warm it median", "HiGHS restore it mean", "HiGHS warm/cold",
           "HiGHS warm ms"]


def table_rows(rows: Sequence[dict]) -> List[List[str]]:
    out = []
    for r in rows:
        if r.get("skipped") or not r.get("branchings"):
            continue
        out.append([r["instance"], str(r["rows"]), str(r["cols"]), str(r["cold_iterations"]),
                    _f(r["cold_branch_mean"]), _f(r["warm_mean"]), _f(r["warm_median"]), _f(r["restore_mean"]),
                    _f(r["warm_cold_ratio"], "{:.3f}"), _f(r["warm_ms"], "{:.3f}"),
                    str(r["highs_cold_iterations"]), _f(r["highs_cold_branch_mean"]), _f(r["highs_warm_mean"]),
                    _f(r["highs_warm_median"]), _f(r["highs_restore_mean"]),
                    _f(r["highs_warm_cold_ratio"], "{:.3f}"), _f(r["highs_warm_ms"], "{:.3f}")])
    return out


def summary(rows: Sequence[dict]) -> dict:
    done = [r for r in rows if not r.get("skipped") and r.get("branchings")]
    s = dict(instances=len(done), skipped=[(r["instance"], r["skipped"]) for r in rows if r.get("skipped")],
             branchings=sum(r["branchings"] for r in done),
             disagreements=[m for r in rows for m in r["disagreements"]],
             limits=sum(r["limits"] for r in rows))
    for pre in ("", "highs_"):
        cold_key = "cold_iterations" if not pre else "highs_cold_iterations"
        s[pre + "cold_it"] = shifted_geometric_mean((r[cold_key] for r in done), ITER_SHIFT)
        s[pre + "cold_branch_it"] = shifted_geometric_mean(
            (r[pre + "cold_branch_mean"] for r in done if r[pre + "cold_branch_mean"] is not None), ITER_SHIFT)
        s[pre + "warm_it"] = shifted_geometric_mean((r[pre + "warm_mean"] for r in done), ITER_SHIFT)
        s[pre + "restore_it"] = shifted_geometric_mean((r[pre + "restore_mean"] for r in done), ITER_SHIFT)
        s[pre + "warm_ms"] = shifted_geometric_mean((r[pre + "warm_ms"] for r in done), TIME_SHIFT_MS)
        s[pre + "restore_ms"] = shifted_geometric_mean((r[pre + "restore_ms"] for r in done), TIME_SHIFT_MS)
        ratios = [r[pre + "warm_cold_ratio"] for r in done if r[pre + "warm_cold_ratio"]]
        s[pre + "ratio_gm"] = math.exp(statistics.fmean(math.log(x) for x in ratios)) if ratios else None
        warm = sum(x["warm"][pre + "iterations"] for r in done for x in r["steps"] if "cold" in x)
        cold = sum(x["cold"][pre + "iterations"] for r in done for x in r["steps"] if "cold" in x)
        s[pre + "ratio_total"] = warm / cold if cold else None
        s[pre + "warm_total"] = sum(x["warm"][pre + "iterations"] for r in done for x in r["steps"])
    return s


def summary_lines(s: dict) -> List[str]:
    lines = [
        f"{s['instances']} instance(s), {s['branchings']} branchings. Shifted geometric means over "
        f"instances (iterations shift {ITER_SHIFT:g}, times shift {TIME_SHIFT_MS:g} ms) of the per-instance "
        f"means; warm/cold: geometric mean of the per-instance ratios (total over all sampled branchings in "
        f"brackets).",
    ]
    for label, pre in (("satmip", ""), ("HiGHS", "highs_")):
        lines.append(
            f"{label}: cold (root) {_f(s[pre + 'cold_it'])} it, cold/branch {_f(s[pre + 'cold_branch_it'])} it, "
            f"warm/branch {_f(s[pre + 'warm_it'], '{:.2f}')} it ({_f(s[pre + 'warm_ms'], '{:.3f}')} ms), "
            f"restore {_f(s[pre + 'restore_it'], '{:.2f}')} it ({_f(s[pre + 'restore_ms'], '{:.3f}')} ms), "
            f"warm/cold {_f(s[pre + 'ratio_gm'], '{:.3f}')} ({_f(s[pre + 'ratio_total'], '{:.3f}')}); "
            f"total warm iterations {s[pre + 'warm_total']}.")
    if s["highs_warm_it"] is not None and s["warm_it"] is not None:
        tot = s["warm_total"] / s["highs_warm_total"] if s["highs_warm_total"] else None
        lines.append(f"satmip/HiGHS: warm iterations {s['warm_it'] / s['highs_warm_it']:.2f} (sgm), "
                     f"{_f(tot, '{:.2f}')} (totals); warm time {s['warm_ms'] / s['highs_warm_ms']:.2f} (sgm).")
    lines.append(f"Disagreements: {len(s['disagreements'])}; solves stopped at a limit: {s['limits']}; skipped "
                 f"instances: {len(s['skipped'])}.")
    return lines


def to_terminal(rows: Sequence[dict], s: dict) -> str:
    body = table_rows(rows)
    head = ["instance", "rows", "cols", "cold", "cold/br", "warm", "med", "restore", "w/c", "ms",
            "H cold", "H cold/br", "H warm", "H med", "H restore", "H w/c", "H ms"]
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(head)]
    fmt = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    out = [fmt(head), fmt(["-" * w for w in widths])] + [fmt(b) for b in body]
    out += ["", "cold: root LP iterations; cold/br: cold re-solve of every 5th branched LP; warm/med: mean/median "
            "iterations of the warm re-solve after one bound change; restore: after undoing it; w/c: warm/cold "
            "over the sampled branchings; ms: mean warm re-solve wall time; H: HiGHS", ""]
    out += [f"skipped {n}: {why}" for n, why in s["skipped"]] or ["skipped: none"]
    out += summary_lines(s)
    if s["disagreements"]:
        out += ["", "!" * 72, f"!!! {len(s['disagreements'])} DISAGREEMENT(S)"] + \
               [f"!!! {m}" for m in s["disagreements"]] + ["!" * 72]
    return "\n".join(out)


def to_markdown(rows: Sequence[dict], s: dict, header: Sequence[str]) -> str:
    out = list(header) + [""]
    if s["disagreements"]:
        out += [f"**{len(s['disagreements'])} DISAGREEMENT(S):**", ""] + [f"* {m}" for m in s["disagreements"]] + [""]
    out += ["| " + " | ".join(COLUMNS) + " |", "|---|" + "---:|" * (len(COLUMNS) - 1)]
    out += ["| `" + b[0] + "` | " + " | ".join(b[1:]) + " |" for b in table_rows(rows)]
    out += ["", "cold it: iterations of the cold root LP; cold it/branch: mean iterations of a cold solve of the "
            "branched LP (every 5th branching); warm it: iterations of the warm re-solve after one bound change; "
            "restore it: of the warm re-solve after undoing it; warm/cold: warm over cold iterations summed over "
            "the sampled branchings; warm ms: mean wall time of a warm re-solve.", ""]
    out += ["Skipped: " + ("; ".join(f"`{n}` ({why})" for n, why in s["skipped"]) if s["skipped"] else "none") + ".", ""]
    out += ["**Summary.** " + " ".join(summary_lines(s))]
    return "\n".join(out)


def write_markdown(path: str, text: str) -> None:
    """Replace the lp_warmstart section of the file, append one, or create the file."""
    write_section(path, SECTION_BEGIN, SECTION_END, text)


def versions() -> str:
    from importlib.metadata import version
    build = getattr(_core, "__build__", "unknown")
    return f"satmip {satmip.__version__} ({build}); highspy {version('highspy')}; numpy {np.__version__}"


# --------------------------------------------------------------------------- command line

def parse_args(argv):
    p = argparse.ArgumentParser(prog="lp_warmstart.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--instances", "-i", nargs="+", default=None, metavar="GLOB",
                   help=f"MPS files, globs or folders (default: {default_instances()}; SATMIP_SHARED "
                        "overrides the shared folder)")
    p.add_argument("--branchings", "-k", type=int, default=50, help="branchings per instance (default 50)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random column picks (default 0)")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve (default 60)")
    p.add_argument("--max-cold-time", type=float, default=3.0,
                   help="skip instances whose cold LP (satmip) takes longer, in seconds (default 3)")
    p.add_argument("--markdown", metavar="FILE", help="write the report as the lp_warmstart section of FILE")
    p.add_argument("--quiet", "-q", action="store_true", help="no per-instance progress lines")
    return p.parse_args(argv)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    try:
        import highspy  # noqa: F401
    except ImportError:
        print("lp_warmstart.py: highspy is needed (pip install highspy)", file=sys.stderr)
        return 2
    if args.branchings < 0:
        print("lp_warmstart.py: --branchings must be >= 0", file=sys.stderr)
        return 2
    paths = expand(args.instances or [default_instances()])
    if not paths:
        print(f"lp_warmstart.py: no instances match {args.instances or [default_instances()]}", file=sys.stderr)
        return 2

    def progress(i, n, row):
        if args.quiet:
            return
        if row.get("skipped"):
            msg = f"skipped: {row['skipped']}"
        else:
            msg = (f"cold {row['cold_iterations']} it, warm mean {row.get('warm_mean', 0):.1f} it "
                   f"(HiGHS {row.get('highs_warm_mean', 0):.1f}), {row['wall_s']:.1f} s")
        bad = f"  {len(row['disagreements'])} DISAGREEMENT(S)" if row["disagreements"] else ""
        print(f"[{i + 1}/{n}] {row['instance']}: {msg}{bad}", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    rows = run(paths, args.branchings, args.seed, args.time_limit, args.max_cold_time, progress=progress)
    total = time.perf_counter() - t0
    s = summary(rows)
    print(to_terminal(rows, s))
    print(f"({total:.1f} s in all)")
    if args.markdown:
        script = os.path.relpath(__file__) if not os.path.relpath(__file__).startswith("..") else __file__
        header = [f"Command: `python {script}{' ' + shlex.join(argv) if argv else ''}`", "",
                  f"Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; machine: {machine_description()}; "
                  f"{versions()}. {len(paths)} instance(s) ({', '.join(sorted({os.path.relpath(Path(p).parent) for p in paths}))}), "
                  f"K = {args.branchings} branchings each, seed {args.seed}, time limit {args.time_limit:g} s per solve, "
                  f"instances whose cold LP takes over {args.max_cold_time:g} s skipped; {total:.0f} s in all. "
                  f"HiGHS: threads=1, solver=simplex, presolve off. Times are wall-clock around one solve()/run().",
                  "", "Each branching starts from the root bounds: pairs of children (down x <= floor(v), then up "
                  "x >= ceil(v)) on the most fractional integer column not branched on yet, else on a random column "
                  "(value rounded); one bound changed, re-solved warm, restored, re-solved warm."]
        write_markdown(args.markdown, to_markdown(rows, s, header))
        print(f"markdown: {args.markdown}")
    return 1 if s["disagreements"] else 0


if __name__ == "__main__":
    sys.exit(main())
