"""Progress on long runs: the SAT engine's on_progress hook, the MILP engine's on_event
(presolve, root LP, root cut rounds as they happen), and the command line's logs built on
them (status lines, the branch-and-bound table's cadence and final row, the log's order).
Behaviour only: intervals of 0 make every check report, so no test waits for a clock."""
from __future__ import annotations

import gc
import math
import weakref

import pytest

import satmip
from satmip import Model
from satmip.cli import main
from satmip.cli_log import BranchAndBoundLog, Cadence, MipLog, SatStatusLog

from helpers import DATA_DIR, REPO, pigeonhole

PROGRESS_KEYS = {"phase", "time", "stable", "conflicts", "decisions", "propagations", "restarts", "reductions",
                 "learned", "redundant", "irredundant", "variables", "fixed", "eliminated", "memory_bytes"}
PHASES = {"search", "probe", "subsume", "elim", "vivify", "done"}
MONOTONE = ("time", "conflicts", "decisions", "propagations", "restarts", "reductions", "learned", "fixed",
            "eliminated")
MIP_DATA = REPO / "tests" / "data" / "mip"
UNSAT_CNF = DATA_DIR / "hole8.cnf.xz"


class HookError(Exception):
    pass


def _reports(formula, interval=0.0, **options):
    calls = []
    with satmip.Solver(bootstrap_with=formula, **options) as s:
        s.on_progress(calls.append, interval=interval)
        answer = s.solve()
        stats = s.accum_stats()
    return answer, calls, stats


# ---------------------------------------------------------------------------
# Solver.on_progress
# ---------------------------------------------------------------------------


def test_progress_reports_documented_keys_monotone_counts_and_a_last_done():
    answer, calls, stats = _reports(pigeonhole(8, 7))
    assert answer is False
    assert len(calls) >= 3, "interval 0: a report at every check of a search of thousands of conflicts"
    for info in calls:
        assert set(info) == PROGRESS_KEYS
        assert info["phase"] in PHASES
        assert info["fixed"] + info["eliminated"] <= info["variables"] == 56
        assert info["memory_bytes"] > 0 and info["irredundant"] > 0
    for key in MONOTONE:
        values = [info[key] for info in calls]
        assert values == sorted(values), key
    assert [info["phase"] for info in calls].count("done") == 1 and calls[-1]["phase"] == "done"
    for key in ("conflicts", "decisions", "propagations", "restarts", "learned"):
        assert calls[-1][key] == stats[key], key
    assert any(info["phase"] == "search" and 0 < info["conflicts"] < stats["conflicts"] for info in calls)


def test_progress_reports_during_preprocessing_steps():
    # The first solve preprocesses (probe, subsume, elim, vivify): each step reports.
    _, calls, _ = _reports(pigeonhole(7, 6))
    phases = {info["phase"] for info in calls}
    assert {"probe", "subsume", "elim", "vivify"} <= phases, phases


def test_progress_interval_limits_the_reports():
    # A long interval: no report during the search, only the one when the solve ends.
    _, calls, stats = _reports(pigeonhole(8, 7), interval=1e9)
    assert stats["conflicts"] > 1000
    assert [info["phase"] for info in calls] == ["done"]


def test_progress_hook_does_not_change_the_search():
    _, _, with_hook = _reports(pigeonhole(8, 7), seed=3)
    with satmip.Solver(bootstrap_with=pigeonhole(8, 7), seed=3) as s:
        assert s.solve() is False
        without = s.accum_stats()
    for key in ("conflicts", "decisions", "propagations", "restarts"):
        assert with_hook[key] == without[key], key


def test_progress_each_solve_call_reports_its_own_done():
    calls = []
    with satmip.Solver(bootstrap_with=pigeonhole(6, 5)) as s:
        s.on_progress(calls.append, interval=0)
        assert s.solve(assumptions=[1]) is False
        first = len(calls)
        assert s.solve() is False
        s.on_progress(None)
        assert s.solve() is False
    assert [c["phase"] for c in calls].count("done") == 2
    assert calls[first - 1]["phase"] == "done" and calls[-1]["phase"] == "done"
    assert calls[first]["time"] < calls[first - 1]["time"] or calls[first]["time"] < 1e-2   # time restarts


def test_progress_exception_stops_the_solve_and_propagates():
    calls = []

    def hook(info):
        calls.append(info)
        if info["phase"] == "search" and info["conflicts"] > 0:
            raise HookError("stop here")

    with satmip.Solver(bootstrap_with=pigeonhole(9, 8)) as s:
        s.on_progress(hook, interval=0)
        with pytest.raises(HookError, match="stop here"):
            s.solve()
        assert calls[-1]["phase"] == "search", "no call after the error, not even 'done'"
        assert s.accum_stats()["conflicts"] < 100000
        s.on_progress(None)
        assert s.solve(assumptions=[1, 2]) is not None


def test_progress_callback_may_read_but_not_change_the_solver():
    seen = []
    with satmip.Solver(bootstrap_with=pigeonhole(7, 6)) as s:
        def reader(info):
            seen.append((s.nof_vars(), s.accum_stats()["conflicts"], s.get_option("seed")))

        s.on_progress(reader, interval=0)
        assert s.solve() is False
        assert seen and all(n == 42 for n, _, _ in seen)

    with satmip.Solver(bootstrap_with=pigeonhole(7, 6)) as s:
        def writer(info):
            s.add_clause([1, 2])

        s.on_progress(writer, interval=0)
        with pytest.raises(RuntimeError, match="add_clause"):
            s.solve()
        # A solve that ends before searching (the formula is already refuted) reports too.
        s.on_progress(seen.append, interval=1e9)
        s.add_clause([1])
        s.add_clause([-1])
        assert s.solve() is False
        assert seen[-1]["phase"] == "done"


@pytest.mark.parametrize("interval", [-1.0, math.nan, math.inf])
def test_progress_interval_must_be_finite_and_not_negative(interval):
    with satmip.Solver() as s:
        with pytest.raises(ValueError, match="interval"):
            s.on_progress(print, interval=interval)


# ---------------------------------------------------------------------------
# The cadence of the command line's tables
# ---------------------------------------------------------------------------


def test_cadence_doubles_its_gaps_up_to_the_cap():
    cadence = Cadence(first=1.0, cap=10.0)
    due = [t / 10 for t in range(0, 600) if cadence.due(t / 10)]
    assert due == [1.0, 2.0, 4.0, 8.0, 16.0, 26.0, 36.0, 46.0, 56.0]
    assert all(Cadence(first=0).due(t) for t in (0.0, 0.0, 1e-9))


def test_branch_and_bound_table_rows_on_cadence_incumbents_and_a_final_row():
    lines, now = [], [0.0]
    table = BranchAndBoundLog(lines.append, clock=lambda: now[0])
    facts = {"nodes": 1, "open_nodes": 0, "depth": 0, "primal_bound": math.inf, "dual_bound": 1.0}
    table.on_node(facts)                      # 0 s: nothing yet, not even the header
    assert lines == []
    table.on_incumbent([0.0], 5.0)
    table.on_node(dict(facts, nodes=2, primal_bound=5.0))
    assert lines[0] == BranchAndBoundLog.HEADER and lines[1].startswith("H ")
    now[0] = 0.5
    table.on_node(dict(facts, nodes=3))
    assert len(lines) == 2                    # before the first second: no periodic row
    now[0] = 1.2
    table.on_node(dict(facts, nodes=4))
    assert len(lines) == 3 and lines[2].startswith("  ")
    result = Model.from_mps(MIP_DATA / "p0033.mps.gz").solve()
    table.final(result)
    assert lines[-1].startswith("*") and "3089" in lines[-1] and "0.00%" in lines[-1]


# ---------------------------------------------------------------------------
# Model.solve(on_event=...)
# ---------------------------------------------------------------------------


def _events(path, **options):
    events = []
    result = Model.from_mps(path).solve(on_event=lambda kind, info: events.append((kind, dict(info))), **options)
    return result, events


def test_mip_events_in_the_order_they_happen_with_their_keys():
    result, events = _events(MIP_DATA / "p0033.mps.gz")
    events = [(kind, info) for kind, info in events if kind != "lp"]   # a slow machine's LP reports
    kinds = [kind for kind, _ in events]
    rounds = kinds.count("cut_round")
    assert kinds == ["presolve", "root_lp"] + ["cut_round"] * rounds + ["root_cuts"]
    assert rounds == result.cuts["rounds"] >= 1
    info = dict(events)
    assert set(info["presolve"]) == {"status", "rows", "cols", "original_rows", "original_cols", "rounds", "seconds"}
    assert (info["presolve"]["rows"], info["presolve"]["cols"]) == result.presolved_size
    assert (info["presolve"]["original_rows"], info["presolve"]["original_cols"]) == (16, 33)
    assert set(info["root_lp"]) == {"status", "iterations", "bound", "seconds"}
    assert info["root_lp"]["status"] == "optimal"
    cut_rounds = [i for kind, i in events if kind == "cut_round"]
    assert [i["round"] for i in cut_rounds] == list(range(1, rounds + 1))
    assert all(set(i) == {"round", "added", "cut_rows", "iterations", "bound", "seconds"} for i in cut_rounds)
    assert sum(i["added"] for i in cut_rounds) == info["root_cuts"]["added"] == result.cuts["added"]
    assert info["root_cuts"]["cut_rows"] == result.cuts["rows"]
    # Minimisation: cuts only raise the root bound, which stays below the optimum.
    bounds = [info["root_lp"]["bound"]] + [i["bound"] for i in cut_rounds]
    assert bounds == sorted(bounds) and bounds[-1] <= result.objective + 1e-6


def test_mip_lp_events_during_the_root_lp_and_cut_rounds_only():
    result, events = _events(MIP_DATA / "p0201.mps.gz", progress_interval=0)
    kinds = [kind for kind, _ in events]
    assert kinds.index("lp") < kinds.index("root_lp") < kinds.index("root_cuts")
    assert "lp" in kinds[kinds.index("root_lp"):kinds.index("root_cuts")], "cut rounds re-solve the LP"
    assert "lp" not in kinds[kinds.index("root_cuts"):], "no reports from the tree's LPs"
    for kind, info in events:
        if kind == "lp":
            assert set(info) == {"iterations", "objective", "primal_infeasibility", "dual_infeasibility", "seconds"}
            assert info["iterations"] >= 0 and math.isfinite(info["objective"])


def test_mip_events_follow_the_options():
    _, events = _events(MIP_DATA / "p0033.mps.gz", presolve=False, cuts=False)
    assert [kind for kind, _ in events] == ["root_lp"]


def test_mip_event_exception_stops_the_solve_and_propagates():
    def hook(kind, info):
        if kind == "cut_round":
            raise HookError(kind)

    with pytest.raises(HookError, match="cut_round"):
        Model.from_mps(MIP_DATA / "p0033.mps.gz").solve(on_event=hook)
    with pytest.raises(HookError, match="presolve"):
        Model.from_mps(MIP_DATA / "p0033.mps.gz").solve(on_event=lambda kind, info: (_ for _ in ()).throw(HookError(kind)))


def test_mip_result_open_nodes():
    model = Model.from_mps(MIP_DATA / "p0201.mps.gz")
    assert model.solve(node_limit=5).open_nodes > 0
    assert model.solve(time_limit=60).open_nodes == 0


# ---------------------------------------------------------------------------
# LpSolver(on_progress=...)
# ---------------------------------------------------------------------------

LP_DATA = REPO / "tests" / "data" / "lp"


def test_lp_progress_reports_with_documented_keys():
    calls = []
    solver = Model.from_mps(LP_DATA / "share1b.mps.gz").lp_solver(on_progress=calls.append, progress_interval=0)
    assert solver.solve() == "optimal"
    assert len(calls) >= 2
    assert all(set(c) == {"iterations", "objective", "primal_infeasibility", "dual_infeasibility", "time"}
               for c in calls)
    iterations = [c["iterations"] for c in calls]
    assert iterations == sorted(iterations) and iterations[-1] <= solver.iterations
    # No hook: the same solve.
    again = Model.from_mps(LP_DATA / "share1b.mps.gz").lp_solver()
    assert again.solve() == "optimal" and again.iterations == solver.iterations


def test_lp_progress_exception_stops_the_solve_and_propagates():
    def hook(info):
        if info["iterations"] >= 16:
            raise HookError("lp")

    solver = Model.from_mps(LP_DATA / "share1b.mps.gz").lp_solver(on_progress=hook, progress_interval=0)
    with pytest.raises(HookError, match="lp"):
        solver.solve()
    assert solver.status == "interrupted"
    solver.set_options(on_progress=None)
    assert solver.solve() == "optimal"
    with pytest.raises(ValueError, match="progress_interval"):
        solver.set_options(progress_interval=-1)


def test_lp_solver_in_a_cycle_through_its_progress_hook_is_collected():
    # The hook reaches the solver through its default argument, so that deleting the
    # local names leaves the cycle solver -> hook -> holder -> solver in place.
    holder = {}
    solver = Model.from_mps(LP_DATA / "share1b.mps.gz").lp_solver(
        on_progress=lambda info, holder=holder: holder["s"].solving, progress_interval=0)
    holder["s"] = solver
    assert solver.solve() == "optimal"
    ref = weakref.ref(solver)
    del solver, holder
    gc.collect()
    assert ref() is None


# ---------------------------------------------------------------------------
# satmip solve: the logs
# ---------------------------------------------------------------------------


def _cli(capsys, *args):
    code = main(["solve", *map(str, args)])
    return code, capsys.readouterr().out.splitlines()


def test_cli_sat_status_lines(capsys):
    code, lines = _cli(capsys, UNSAT_CNF, "--progress-interval", "0")
    assert code == 20
    header = lines.index("c " + SatStatusLog.HEADER)
    status = [line for line in lines[header + 1:] if line[:3] in {f"c {m}" for m in "fspuev*"}]
    assert len(status) >= 2 and status[-1].startswith("c * ")
    assert lines.index(status[-1]) < lines.index("s UNSATISFIABLE")
    assert all(len(line) <= 80 for line in lines)
    # The final line's conflicts column is the solve's count (4th field after 'c *').
    assert int(status[-1].split()[4]) > 0


def test_cli_sat_default_interval_still_prints_header_and_final_line(capsys):
    code, lines = _cli(capsys, DATA_DIR / "qg3-08.cnf.xz", "--no-model")
    assert code == 10
    assert "c " + SatStatusLog.HEADER in lines
    assert any(line.startswith("c * ") for line in lines)


def test_cli_quiet_prints_no_status_lines(capsys):
    code, lines = _cli(capsys, UNSAT_CNF, "--progress-interval", "0", "--quiet")
    assert code == 20
    assert lines == ["s UNSATISFIABLE"]
    code, lines = _cli(capsys, MIP_DATA / "p0033.mps.gz", "--quiet")
    assert lines == ["s OPTIMAL", "o 3089.0"]


def test_cli_milp_log_in_the_order_things_happen(capsys):
    code, lines = _cli(capsys, MIP_DATA / "p0033.mps.gz")
    assert code == 0

    def first(prefix):
        return next(k for k, line in enumerate(lines) if line.startswith(prefix))

    order = [first("c presolved: "), first("c root LP: "), first("c cut round  1: "), first("c root cuts: "),
             lines.index("c " + BranchAndBoundLog.HEADER), first("c * "), first("c status "), lines.index("s OPTIMAL")]
    assert order == sorted(order), lines
    final = lines[first("c * ")].split()
    assert final[2] == "1" and final[3] == "0" and final[5] == final[6] == "3089", final


def test_cli_lp_progress_lines(capsys):
    code, lines = _cli(capsys, LP_DATA / "share1b.mps.gz", "--progress-interval", "0")
    assert code == 0
    progress = [k for k, line in enumerate(lines) if line.startswith("c LP: ")]
    assert progress and progress[-1] < next(k for k, line in enumerate(lines) if line.startswith("c status "))
    assert all(len(line) <= 80 for line in lines)


def test_mip_log_prints_every_event_kind():
    lines = []
    log = MipLog(lines.append)
    result = Model.from_mps(MIP_DATA / "p0033.mps.gz").solve(**log.callbacks())
    log.finish(result)
    assert [line.split(":")[0] for line in lines[:2]] == ["presolved", "root LP"]
    assert lines[-1].startswith("*")


def test_mip_log_of_a_model_presolve_refutes():
    # x + y >= 3 with binary x, y: presolve proves infeasibility; the log says so and
    # the table still ends with its final row.
    model = Model.from_arrays(c=[1, 1], A=[[1, 1]], row_lower=[3], row_upper=[math.inf], col_lower=[0, 0],
                              col_upper=[1, 1], integrality=[1, 1])
    lines = []
    log = MipLog(lines.append)
    result = model.solve(**log.callbacks())
    log.finish(result)
    assert result.status == "infeasible"
    assert lines[0].startswith("presolve: infeasible in ")
    assert lines[1] == BranchAndBoundLog.HEADER and lines[2].split()[:5] == ["*", "0", "0", "-", "-"]


def test_log_numbers_never_say_minus_zero():
    # A bound or an LP objective of -0.0 (a maximisation's 0 negated) prints as 0.
    from satmip.cli_log import format_bound, lp_progress_text
    assert format_bound(-0.0) == "0" and format_bound(-2.5) == "-2.5"
    text = lp_progress_text(3, {"objective": -0.0, "primal_infeasibility": 0.0, "dual_infeasibility": 0.0,
                                "time": 0.0})
    assert "obj 0," in text
