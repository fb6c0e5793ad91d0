"""The progress log of `satmip solve`: the branch-and-bound table of a MILP solve."""
from __future__ import annotations

import math
import time

LOG_INTERVAL_S = 1.0


class BranchAndBoundLog:
    """The branch-and-bound table: a line per second and per new incumbent."""

    HEADER = (f"{'':1} {'nodes':>9} {'open':>8} {'depth':>5} {'primal bound':>16} {'dual bound':>16} {'gap':>8} "
              f"{'time':>7}")

    def __init__(self, comment):
        self.comment, self.t0, self.last = comment, time.perf_counter(), -math.inf
        self.incumbent = False
        comment(self.HEADER)

    def on_incumbent(self, x, objective):
        self.incumbent = True

    def on_node(self, facts):
        now = time.perf_counter()
        if self.incumbent or now - self.last >= LOG_INTERVAL_S:
            self.line("H" if self.incumbent else " ", facts, now)
            self.incumbent, self.last = False, now

    def line(self, mark, facts, now):
        primal, dual = facts["primal_bound"], facts["dual_bound"]
        gap = format_gap(primal, dual)
        self.comment(f"{mark:1} {facts['nodes']:>9} {facts['open_nodes']:>8} {facts['depth']:>5} {format_bound(primal):>16} "
                     f"{format_bound(dual):>16} {gap:>8} {now - self.t0:>6.1f}s")


def format_bound(value: float) -> str:
    return "-" if not math.isfinite(value) else f"{value:.9g}"


def format_gap(primal: float, dual: float) -> str:
    if not (math.isfinite(primal) and math.isfinite(dual)):
        return "inf"
    scale = max(abs(primal), abs(dual))
    return f"{100 * abs(primal - dual) / scale:.2f}%" if scale > 0 else "0.00%"
