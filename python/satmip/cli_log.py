"""The progress log of `satmip solve`: periodic status lines of a SAT solve and of a long
LP solve, and a MILP solve's log in the order things happen (presolve, root LP, root cut
rounds, the branch-and-bound table, a final row).

All periodic lines (SAT status lines, table rows, LP lines) follow one cadence (`Cadence`):
a first line after a second, then at gaps that double up to ten seconds (1, 2, 4, 8, 16,
26, 36 ... s). A short run shows how its numbers move at the start; a run of an hour
prints about 360 lines, not thousands.
"""
from __future__ import annotations

import math
import time

FIRST_LINE_S = 1.0   # the first status line, and the first gap
MAX_GAP_S = 10.0     # the gaps between lines double up to this


class Cadence:
    """When the next periodic line is due: at `first` seconds, then at gaps that double
    from `first` up to `cap`. first=0: every time it is asked."""

    def __init__(self, first: float = FIRST_LINE_S, cap: float = MAX_GAP_S):
        self.gap, self.cap, self.next = first, max(cap, first), first

    def due(self, seconds: float) -> bool:
        if seconds < self.next:
            return False
        self.next = seconds + self.gap
        self.gap = min(2 * self.gap, self.cap)
        return True


class SatStatusLog:
    """Status lines of a SAT solve from `Solver.on_progress` (CaDiCaL / Kissat style): a
    header naming the columns, then lines on the cadence and a final line marked '*'. The
    first column marks what the engine was doing: 'f' focused or 's' stable search, 'p'
    probing, 'u' subsumption, 'e' elimination, 'v' vivification."""

    # Columns: seconds, MB (the engine's clauses, watches and variable arrays), conflicts,
    # restarts, learned clauses kept (redundant), clauses of the formula (irredundant),
    # variables fixed at the root, eliminated, and remaining (neither). 80 columns at most.
    HEADER = (f"  {'seconds':>7} {'MB':>5} {'conflicts':>9} {'restarts':>8} {'learned':>8} {'clauses':>9} "
              f"{'fixed':>7} {'elim':>7} {'vars':>8}")
    MARKS = {"probe": "p", "subsume": "u", "elim": "e", "vivify": "v", "done": "*"}

    def __init__(self, comment, first: float = FIRST_LINE_S):
        self.comment, self.cadence, self.header_done = comment, Cadence(first), False

    def attach(self, solver) -> None:
        """Registers the log with a `satmip.Solver` (the hook at the first line's interval)."""
        solver.on_progress(self.on_progress, interval=self.cadence.next)

    def on_progress(self, info: dict) -> None:
        if info["phase"] == "done" or self.cadence.due(info["time"]):
            self.line(info)

    def line(self, info: dict) -> None:
        if not self.header_done:
            self.comment(self.HEADER)
            self.header_done = True
        phase = info["phase"]
        mark = self.MARKS.get(phase, "s" if info["stable"] else "f")
        remaining = info["variables"] - info["fixed"] - info["eliminated"]
        self.comment(f"{mark} {info['time']:>7.2f} {info['memory_bytes'] / 2**20:>5.1f} {info['conflicts']:>9} "
                     f"{info['restarts']:>8} {info['redundant']:>8} {info['irredundant']:>9} {info['fixed']:>7} "
                     f"{info['eliminated']:>7} {remaining:>8}")


class BranchAndBoundLog:
    """The branch-and-bound table: a row at each new incumbent ('H') and on the cadence,
    and a final row ('*') from the result. The header comes with the first row, after
    the presolve and root cut lines (`MipLog`)."""

    HEADER = (f"{'':1} {'nodes':>9} {'open':>8} {'depth':>5} {'primal bound':>16} {'dual bound':>16} {'gap':>8} "
              f"{'time':>7}")

    def __init__(self, comment, first: float = FIRST_LINE_S, clock=time.perf_counter):
        self.comment, self.clock, self.t0 = comment, clock, clock()
        self.cadence, self.incumbent, self.header_done = Cadence(first), False, False

    def on_incumbent(self, x, objective):
        self.incumbent = True

    def on_node(self, facts):
        now = self.clock()
        if self.incumbent or self.cadence.due(now - self.t0):
            self.row("H" if self.incumbent else " ", facts["nodes"], facts["open_nodes"], facts["depth"],
                     facts["primal_bound"], facts["dual_bound"], now)
            self.incumbent = False

    def final(self, result) -> None:
        """The last row, marked '*', with the result's numbers."""
        primal = result.objective if len(result.x) else math.nan
        self.row("*", result.nodes, result.open_nodes, "-", primal, result.dual_bound, self.clock())

    def row(self, mark, nodes, open_nodes, depth, primal, dual, now):
        if not self.header_done:
            self.comment(self.HEADER)
            self.header_done = True
        self.comment(f"{mark:1} {nodes:>9} {open_nodes:>8} {depth:>5} {format_bound(primal):>16} "
                     f"{format_bound(dual):>16} {format_gap(primal, dual):>8} {now - self.t0:>6.1f}s")


class MipLog:
    """A MILP solve's log in the order things happen: presolve, the root LP (with 'LP:'
    lines while a long one runs), each root cut round and the cut loop's summary (from
    `Model.solve`'s on_event), then the table."""

    def __init__(self, comment, first: float = FIRST_LINE_S):
        self.comment, self.table, self.first = comment, BranchAndBoundLog(comment, first), first

    def callbacks(self) -> dict:
        """The keyword arguments that connect the log to `Model.solve`."""
        return {"on_node": self.table.on_node, "on_incumbent": self.table.on_incumbent, "on_event": self.on_event,
                "progress_interval": self.first}

    def on_event(self, kind: str, info: dict) -> None:
        if kind == "presolve":
            if info["status"] != "reduced":
                self.comment(f"presolve: {info['status'].replace('_', ' ')} in {info['seconds']:.2f} s")
            else:
                self.comment(f"presolved: {info['rows']} rows, {info['cols']} columns (from {info['original_rows']} "
                             f"rows, {info['original_cols']} columns) in {info['seconds']:.2f} s")
        elif kind == "root_lp":
            self.comment(f"root LP: {info['status']}, bound {format_bound(info['bound'])}, "
                         f"{info['iterations']} iterations, {info['seconds']:.2f} s")
        elif kind == "cut_round":
            self.comment(f"cut round {info['round']:>2}: {info['added']:>4} added, {info['cut_rows']:>5} cut rows, "
                         f"bound {format_bound(info['bound'])}, {info['seconds']:.2f} s")
        elif kind == "lp":
            self.comment("LP: " + lp_progress_text(info["iterations"], info))
        elif kind == "root_cuts":
            self.comment(f"root cuts: {info['added']} added in {info['rounds']} rounds, {info['cut_rows']} kept, "
                         f"bound {format_bound(info['bound'])}, {info['seconds']:.2f} s")

    def finish(self, result) -> None:
        """The table's final row."""
        self.table.final(result)


class LpLog:
    """Lines of a long LP solve from the LP solver's on_progress, on the cadence."""

    def __init__(self, comment, first: float = FIRST_LINE_S):
        self.comment, self.cadence = comment, Cadence(first)

    def options(self) -> dict:
        """The keyword arguments that connect the log to `Model.lp_solver`."""
        return {"on_progress": self.on_progress, "progress_interval": self.cadence.next}

    def on_progress(self, info: dict) -> None:
        if self.cadence.due(info["time"]):
            self.comment("LP: " + lp_progress_text(info["iterations"], info))


def lp_progress_text(iterations: int, info: dict) -> str:
    """Iterations, objective, primal and dual infeasibility (sums), seconds."""
    seconds = info.get("time", info.get("seconds"))
    return (f"{iterations} iterations, obj {info['objective'] + 0.0:.9g}, pinf {info['primal_infeasibility']:.1e}, "
            f"dinf {info['dual_infeasibility']:.1e}, {seconds:.2f} s")


def format_bound(value: float) -> str:
    return "-" if not math.isfinite(value) else f"{value + 0.0:.9g}"   # + 0.0: never "-0"


def format_gap(primal: float, dual: float) -> str:
    if not (math.isfinite(primal) and math.isfinite(dual)):
        return "inf"
    scale = max(abs(primal), abs(dual))
    return f"{100 * abs(primal - dual) / scale:.2f}%" if scale > 0 else "0.00%"
