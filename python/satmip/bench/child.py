"""The solver side of one run, in its own process (``python -m satmip.bench.child``).

It reads the instance (not timed), loads and solves it (timed), and reports
each phase as one JSON line on a pipe the parent passed in, so solver chatter
on stdout/stderr can never corrupt the protocol. Models and MILP solutions go
to files in the run's work folder; the parent verifies them, never this
process: a solver is not trusted to judge itself.

Messages: {"phase": "parsed", "parse_time"} then {"phase": "solved", "answer",
"time", "stats", "objective", "dual_bound"} then {"phase": "done"}; or
{"phase": "error", "error", "type", "traceback"} at any point.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback

from satmip.bench.hooks import load_hook

SAT_STATS = ("conflicts", "decisions", "propagations", "restarts")


class Backend:
    """read(path) -> problem (untimed); solve(problem, limit, workdir) -> result dict."""

    def __init__(self, spec: dict):
        self.spec = spec


class SatmipBackend(Backend):
    def read(self, path):
        import satmip
        return satmip.read_dimacs(path)

    def solve(self, cnf, limit, workdir):
        import numpy as np
        import satmip
        spec = self.spec
        kwargs = dict(spec["options"])
        if spec["config"]:
            kwargs["config"] = spec["config"]
        hook = load_hook(spec["hook"]) if spec["hook"] else None  # imports untimed
        t0 = time.perf_counter()
        solver = satmip.Solver(seed=spec["seed"], **kwargs)
        if spec["proof"]:
            solver.trace_proof(os.path.join(workdir, "proof"), spec["proof"])
        solver.reserve(cnf.nvars)   # the header's variables, so a hook's per-variable arrays fit
        solver.add_clauses(cnf.lits)
        if hook is not None:
            hook(solver, cnf)  # e.g. a phase model's inference: timed
        remaining = max(limit - (time.perf_counter() - t0), 1e-3)
        answer = solver.solve_limited(time_limit=remaining, expect_interrupt=True)
        elapsed = time.perf_counter() - t0
        if spec["proof"]:
            solver.close_proof()
        if answer is True:
            np.save(os.path.join(workdir, "model.npy"), np.asarray(solver.get_model(), dtype=np.int32))
        stats = solver.accum_stats()
        return {"answer": _sat_word(answer), "time": elapsed,
                "stats": {k: stats[k] for k in SAT_STATS if k in stats}}


def _sat_word(answer):
    return {True: "SAT", False: "UNSAT"}.get(answer)


class PysatBackend(Backend):
    def read(self, path):
        from pysat.formula import CNF
        return CNF(from_file=path)

    def solve(self, cnf, limit, workdir):
        import numpy as np
        from pysat.solvers import Solver
        with_proof = self.spec["proof"] == "drat"
        t0 = time.perf_counter()
        solver = Solver(name=self.spec["name"], bootstrap_with=cnf.clauses, with_proof=with_proof)
        remaining = max(limit - (time.perf_counter() - t0), 1e-3)
        # MiniSat-like solvers stop on interrupt(); CaDiCaL and Kissat ignore it
        # and are stopped by the parent's kill instead.
        timer = threading.Timer(remaining, _interrupt_quietly, args=(solver,))
        timer.daemon = True
        timer.start()
        answer = solver.solve_limited(expect_interrupt=True)
        elapsed = time.perf_counter() - t0
        timer.cancel()
        if answer is True:
            np.save(os.path.join(workdir, "model.npy"), np.asarray(solver.get_model(), dtype=np.int32))
        if answer is False and with_proof:
            with open(os.path.join(workdir, "proof"), "w") as f:
                f.writelines(line + "\n" for line in solver.get_proof())
        try:
            stats = solver.accum_stats() or {}
        except NotImplementedError:
            stats = {}
        return {"answer": _sat_word(answer), "time": elapsed,
                "stats": {k: stats[k] for k in SAT_STATS if k in stats}}


def _interrupt_quietly(solver):
    try:
        solver.interrupt()
    except NotImplementedError:
        pass


def _save_solution(workdir, names, values):
    with open(os.path.join(workdir, "solution.json"), "w") as f:
        json.dump({"names": list(names), "values": [float(v) for v in values]}, f)


class HighsBackend(Backend):
    def read(self, path):
        import highspy
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        if h.readModel(path) == highspy.HighsStatus.kError:
            raise ValueError(f"HiGHS cannot read {path}")
        return h

    def solve(self, h, limit, workdir):
        import highspy
        h.setOptionValue("random_seed", int(self.spec["seed"]))   # the seed axis; options may override
        for name, value in self.spec["options"].items():
            h.setOptionValue(name, value)
        h.setOptionValue("time_limit", float(limit))
        t0 = time.perf_counter()
        h.run()
        elapsed = time.perf_counter() - t0
        status = h.getModelStatus()
        info = h.getInfo()
        M = highspy.HighsModelStatus
        has_point = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
        answer = {M.kOptimal: "OPTIMAL", M.kInfeasible: "INFEASIBLE",
                  M.kUnbounded: "UNBOUNDED"}.get(status, "FEASIBLE" if has_point else None)
        result = {"answer": answer, "time": elapsed, "detail": h.modelStatusToString(status),
                  "stats": {"nodes": int(info.mip_node_count) if info.mip_node_count >= 0 else 0,
                            "lp_iterations": int(info.simplex_iteration_count)}}
        if has_point:
            lp = h.getLp()
            _save_solution(workdir, lp.col_names_, h.getSolution().col_value)
            result["objective"] = float(info.objective_function_value)
            result["dual_bound"] = float(info.mip_dual_bound) if lp.integrality_ else result["objective"]
        return result


class ScipBackend(Backend):
    def read(self, path):
        import pyscipopt
        model = pyscipopt.Model()
        model.hideOutput()
        model.readProblem(path)
        return model

    def solve(self, model, limit, workdir):
        model.setParam("randomization/randomseedshift", int(self.spec["seed"]))  # options may override
        for name, value in self.spec["options"].items():
            model.setParam(name, value)
        model.setParam("limits/time", float(limit))
        t0 = time.perf_counter()
        model.optimize()
        elapsed = time.perf_counter() - t0
        status = model.getStatus()
        answer = {"optimal": "OPTIMAL", "infeasible": "INFEASIBLE",
                  "unbounded": "UNBOUNDED"}.get(status)
        has_point = model.getNSols() > 0
        if answer is None and has_point:
            answer = "FEASIBLE"
        result = {"answer": answer, "time": elapsed, "detail": status,
                  "stats": {"nodes": int(model.getNTotalNodes()),
                            "lp_iterations": int(model.getNLPIterations())}}
        if has_point and answer != "UNBOUNDED":
            sol = model.getBestSol()
            variables = model.getVars()
            _save_solution(workdir, [v.name for v in variables],
                           [model.getSolVal(sol, v) for v in variables])
            result["objective"] = float(model.getSolObjVal(sol))
            result["dual_bound"] = float(model.getDualbound())
        return result


class SatmipMpsBackend(Backend):
    """satmip on MPS files: its dual simplex for LPs, its branch and bound for MILPs.

    A hook is function(model) -> dict or None, given the satmip.Model read from the
    file and run inside the timed region: the options it returns (a branching
    callback such as on_branch, a learned model's settings) join the spec's
    mip_options (lp_options for an LP), over them where both name one."""

    def read(self, path):
        import satmip
        return satmip.read_mps(path)

    def solve(self, data, limit, workdir):
        hook = load_hook(self.spec["hook"]) if self.spec.get("hook") else None  # imports untimed
        if data.integer.any():
            return self._solve_mip(data, limit, workdir, hook)
        return self._solve_lp(data, limit, workdir, hook)

    def _options(self, key, data, hook, t0, limit):
        """The engine's options with the hook's, and the time left after the hook."""
        options = dict(self.spec[key])
        if hook is not None:
            from satmip import Model
            extra = hook(Model(data))
            if extra is not None and not isinstance(extra, dict):
                raise TypeError(f"hook {self.spec['hook']} returned {type(extra).__name__}, "
                                f"not a dict of solve options (or None)")
            taken = sorted({"time_limit", "seed"} & set(extra or {}))
            if taken:
                raise ValueError(f"hook {self.spec['hook']} may not set {', '.join(taken)}: "
                                 f"the run's limit and the solver's seed hold")
            options.update(extra or {})
        return options, max(limit - (time.perf_counter() - t0), 1e-3)

    def _solve_lp(self, data, limit, workdir, hook):
        from satmip import _core
        t0 = time.perf_counter()
        options, remaining = self._options("lp_options", data, hook, t0, limit)
        solver = _core.LpSolver(data.to_dict(), time_limit=float(remaining), **options)
        solver.solve()
        elapsed = time.perf_counter() - t0
        answer = _MPS_ANSWERS.get(solver.status)
        result = {"answer": answer, "time": elapsed, "detail": solver.status,
                  "stats": {"lp_iterations": int(solver.iterations)}}
        if answer == "OPTIMAL":
            _save_solution(workdir, data.col_names, solver.x)
            result["objective"] = result["dual_bound"] = float(solver.objective)
        return result

    def _solve_mip(self, data, limit, workdir, hook):
        from satmip.mip import solve_mip
        t0 = time.perf_counter()
        options, remaining = self._options("mip_options", data, hook, t0, limit)
        r = solve_mip(data.to_dict(), time_limit=float(remaining), seed=self.spec["seed"], **options)
        elapsed = time.perf_counter() - t0
        has_point = len(r.x) == data.num_cols
        answer = _MPS_ANSWERS.get(r.status, "FEASIBLE" if has_point else None)
        result = {"answer": answer, "time": elapsed, "detail": r.status,
                  "stats": {"nodes": int(r.nodes), "lp_iterations": int(r.lp_iterations)}}
        if r.branching_model_calls:   # a learned branching model: its forwards and their seconds
            result["stats"]["branching_model_calls"] = int(r.branching_model_calls)
            result["stats"]["branching_model_seconds"] = float(r.times.get("branching_model", 0.0))
        if has_point:
            _save_solution(workdir, data.col_names, r.x)
            result["objective"] = float(r.objective)
        result["dual_bound"] = float(r.dual_bound)
        return result


_MPS_ANSWERS = {"optimal": "OPTIMAL", "infeasible": "INFEASIBLE", "unbounded": "UNBOUNDED"}


BACKENDS = {("satmip", "sat"): SatmipBackend, ("satmip", "mip"): SatmipMpsBackend,
            ("pysat", "sat"): PysatBackend, ("highs", "mip"): HighsBackend,
            ("scip", "mip"): ScipBackend}


def _own_peak_rss_mb():
    """VmHWM of this process (ru_maxrss would include the harness's size from before exec)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        pass
    return None


def run(job: dict, send) -> None:
    backend = BACKENDS[job["spec"]["kind"], job["kind"]](job["spec"])
    t0 = time.perf_counter()
    problem = backend.read(job["path"])
    send("parsed", parse_time=time.perf_counter() - t0)
    result = backend.solve(problem, job["time_limit"], job["workdir"])
    send("solved", **result)


def main(argv) -> int:
    job_file, fd = argv[1], int(argv[2])
    with open(job_file) as f:
        job = json.load(f)
    out = os.fdopen(fd, "w", buffering=1)

    def send(phase, **fields):
        out.write(json.dumps({"phase": phase, **fields}) + "\n")
        out.flush()

    try:
        run(job, send)
        send("done", peak_rss_mb=_own_peak_rss_mb())
        return 0
    except BaseException as exc:  # anything, KeyboardInterrupt and MemoryError included
        lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
        send("error", error=f"{type(exc).__name__}: {exc}", type=type(exc).__name__,
             traceback="".join(lines[-6:]))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
