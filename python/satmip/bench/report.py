"""Summaries of benchmark runs: tables (terminal, Markdown, CSV) and cross-checks.

    records = load_records("results.jsonl")
    summary = summarize(records)
    print(summary.to_terminal())

A facade over three modules, each with one concern:
  * records.py: status classes, small helpers over run records, load_records;
  * summary.py: the computations (summarize -> Summary, disagreements);
  * tables.py: the formatting (terminal, Markdown, CSV; write_runs_csv).
"""
from __future__ import annotations

from .records import (
    SOLVED,
    STATUS_ORDER,
    TIE_ABS,
    TIE_REL,
    UNSOLVED,
    RunKey,
    incompatible_claims,
    instance_limits,
    is_solved,
    is_tie,
    latest_runs,
    load_records,
    solved_time,
    solver_order,
    status_of,
    time_limit_of,
)
from .summary import (
    NO_FAMILY,
    FamilyCell,
    InstanceCell,
    InstanceRow,
    SolverRow,
    Summary,
    VbsRow,
    disagreements,
    shifted_geometric_mean,
    summarize,
)
from .tables import (
    RUN_FIELDS,
    TERMINAL_LABELS,
    TERMINAL_WIDTH,
    banner,
    render_markdown,
    render_terminal,
    write_runs_csv,
    write_summary_csv,
)

__all__ = [
    # records
    "SOLVED", "UNSOLVED", "STATUS_ORDER", "TIE_REL", "TIE_ABS", "RunKey",
    "status_of", "is_solved", "time_limit_of", "solved_time", "is_tie", "solver_order",
    "latest_runs", "instance_limits", "incompatible_claims", "load_records",
    # summary
    "shifted_geometric_mean", "disagreements", "summarize", "Summary", "SolverRow", "VbsRow",
    "FamilyCell", "InstanceCell", "InstanceRow", "NO_FAMILY",
    # tables
    "TERMINAL_LABELS", "TERMINAL_WIDTH", "RUN_FIELDS", "banner", "render_terminal",
    "render_markdown", "write_summary_csv", "write_runs_csv",
]
