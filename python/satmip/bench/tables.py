"""Benchmark tables: a Summary written for the terminal, as Markdown or as CSV,
and the raw runs as CSV.

Formatting only: the numbers come from summary.py.
"""
from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path
from typing import IO, TYPE_CHECKING, Dict, Iterable, List, Optional, Sequence, Union

from .records import LP_ITERATION_SHIFT, STATUS_ORDER, TIE_ABS, TIE_REL

if TYPE_CHECKING:
    from .summary import FamilyCell, InstanceCell, SolverRow, Summary

# Short column labels for the terminal, where width is scarce.
TERMINAL_LABELS = {"OPTIMAL": "OPT", "INFEASIBLE": "INFEAS", "UNBOUNDED": "UNBND",
                   "FEASIBLE": "FEAS", "UNKNOWN": "UNKN", "TIMEOUT": "T/O",
                   "MEMOUT": "M/O", "ERROR": "ERR"}


# ---------------------------------------------------------------------------
# Formatting helpers
# ---------------------------------------------------------------------------


def _num(value: Optional[float], digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _nodes_cell(row: SolverRow) -> str:
    if row.sgm_nodes is None:
        return "-"
    return f"{row.sgm_nodes:.2f} (n={row.sgm_nodes_instances})"


def _iterations_cell(row: SolverRow) -> str:
    if row.sgm_lp_iterations is None:
        return "-"
    return f"{row.sgm_lp_iterations:.1f} (n={row.sgm_lp_iterations_instances})"


def _has_iterations(summary: Summary) -> bool:
    return any(row.sgm_lp_iterations is not None for row in summary.rows.values())


def _shown_statuses(summary: Summary) -> List[str]:
    """Statuses with a nonzero count somewhere (WRONG always: a 0 there is news too)."""
    seen = set()
    for row in summary.rows.values():
        seen.update(s for s, n in row.status_counts.items() if n)
    known = [s for s in STATUS_ORDER if s in seen or s == "WRONG"]
    return known + sorted(seen - set(STATUS_ORDER))


def _any_missing(summary: Summary) -> bool:
    return any(row.missing for row in summary.rows.values())


def _limit_text(summary: Summary) -> str:
    limits = summary.time_limits
    if not limits:
        return "no time limit"
    if len(limits) == 1:
        return f"time limit {limits[0]:g} s"
    return f"time limits {limits[0]:g}-{limits[-1]:g} s"


def _par_header(summary: Summary) -> str:
    return f"{summary.par_label} (mean s)"


class _Table:
    """Headers, rows of strings, and which columns are numbers (right-aligned)."""

    def __init__(self, headers: List[str], numeric: Sequence[bool]):
        self.headers = headers
        self.numeric = list(numeric)
        self.rows: List[List[str]] = []
        self.separators: List[int] = []   # row indices preceded by a rule (terminal)

    def add(self, cells: Sequence[object], rule_before: bool = False) -> None:
        if rule_before:
            self.separators.append(len(self.rows))
        self.rows.append([str(c) for c in cells])


def _main_table(summary: Summary, terse: bool) -> _Table:
    """terse (terminal): short status labels, the sgm shift left to the legend."""
    labels = TERMINAL_LABELS if terse else {}
    sgm_header = "sgm time (s)" if terse else f"sgm time (s, shift {summary.time_shift:g})"
    statuses = _shown_statuses(summary)
    missing = _any_missing(summary)
    headers = (["solver", "runs", "solved"] + [labels.get(s, s) for s in statuses]
               + (["missing"] if missing else []) + [_par_header(summary), sgm_header])
    table = _Table(headers, [False] + [True] * (len(headers) - 1))
    for row in summary.rows.values():
        table.add([row.solver, row.runs, row.solved] + [row.count(s) for s in statuses]
                  + ([row.missing] if missing else [])
                  + [_num(row.par_score), _num(row.sgm_time)])
    vbs = summary.vbs
    table.add(["VBS (virtual best)", "", vbs.solved] + [""] * len(statuses)
              + ([""] if missing else []) + [_num(vbs.par_score), _num(vbs.sgm_time)],
              rule_before=True)
    return table


def _ratio_table(summary: Summary) -> _Table:
    iterations = _has_iterations(summary)
    headers = ["solver", f"{summary.par_label} ratio", "sgm ratio", "wins", "tied fastest",
               f"sgm nodes (shift {summary.node_shift:g})"]
    headers += [f"sgm LP iterations (shift {LP_ITERATION_SHIFT:g})"] if iterations else []
    headers += ["CPU total (s)", "peak RSS (MiB)"]
    table = _Table(headers, [False] + [True] * (len(headers) - 1))
    for row in summary.rows.values():
        cells = [row.solver, _num(row.par_ratio), _num(row.sgm_ratio), row.wins,
                 row.tied_wins, _nodes_cell(row)]
        cells += [_iterations_cell(row)] if iterations else []
        table.add(cells + [_num(row.cpu_total), _num(row.peak_rss_max, 1)])
    return table


def _family_cell_text(cell: FamilyCell) -> str:
    return f"{cell.solved}/{cell.total}  {cell.par_score:.2f}"


def _family_table_view(summary: Summary) -> _Table:
    columns = summary.solvers + ["VBS"]
    table = _Table(["family", "instances"] + columns, [False] + [True] * (len(columns) + 1))
    for family, cells in summary.families.items():
        table.add([family, cells["VBS"].total] + [_family_cell_text(cells[c]) for c in columns])
    return table


def _instance_cell_text(cell: InstanceCell, wrong_flag: str) -> str:
    if cell.status is None:
        return "missing"
    time = f" {cell.time:.2f}" if cell.time is not None else ""
    if cell.wrong:
        claim = f" (claimed {cell.answer})" if cell.answer else ""
        return f"{wrong_flag}{claim}{time}"
    return f"{cell.status}{time}"


def _instance_table(summary: Summary, wrong_flag: str, name=lambda s: s) -> _Table:
    with_family = any(r.family is not None for r in summary.per_instance)
    headers = (["instance"] + (["family"] if with_family else []) + ["expected"]
               + summary.solvers)
    table = _Table(headers, [False] * len(headers))
    for row in summary.per_instance:
        table.add([name(row.instance)] + ([row.family or ""] if with_family else [])
                  + [row.expected or ""]
                  + [_instance_cell_text(row.cells[s], wrong_flag) for s in summary.solvers])
    return table


def _legend_lines(summary: Summary, labels: Dict[str, str]) -> List[str]:
    lines = [f"{summary.par_label} (mean s): mean over {len(summary.instances)} instances of the "
             f"time if solved, else {summary.par:g} x time limit; sgm: exp(mean(log(t + "
             f"{summary.time_shift:g}))) - {summary.time_shift:g}, unsolved at the time limit.",
             "WRONG answers and missing runs count as unsolved; VBS = fastest correct "
             "answer per instance."]
    used = [f"{short}={status}" for status, short in labels.items()
            if status in _shown_statuses(summary)]
    if used:
        lines.append("Columns: " + ", ".join(used) + ".")
    return lines


def _ratio_legend(summary: Summary) -> str:
    first = summary.solvers[0] if summary.solvers else "-"
    return (f"Ratios vs {first} (< 1: better). wins: unique fastest correct answer; ties "
            f"within {TIE_REL:.0%} or {TIE_ABS:g} s are 'tied fastest'. sgm nodes: over the "
            f"instances every solver solved (n = those with node counts); the same for LP "
            f"iterations where reported.")


# ---------------------------------------------------------------------------
# Terminal
# ---------------------------------------------------------------------------


def _text_table(table: _Table) -> List[str]:
    widths = [max([len(h)] + [len(r[c]) for r in table.rows])
              for c, h in enumerate(table.headers)]

    def line(cells):
        parts = [cell.rjust(w) if numeric else cell.ljust(w)
                 for cell, w, numeric in zip(cells, widths, table.numeric)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [line(table.headers), rule]
    for index, row in enumerate(table.rows):
        if index in table.separators:
            out.append(rule)
        out.append(line(row))
    return out


def banner(count: int) -> str:
    return f"!!! {count} DISAGREEMENT(S) / WRONG ANSWER(S) !!!"


def _terminal_banner(summary: Summary) -> List[str]:
    if not summary.disagreements:
        return []
    text = banner(len(summary.disagreements))
    bar = "!" * len(text)
    lines = [wrapped for line in summary.disagreements for wrapped in _wrap(line, "  ")]
    return [bar, text, bar] + lines + [bar, ""]


TERMINAL_WIDTH = 120


def _wrap(text: str, indent: str = "") -> List[str]:
    """Prose lines folded to the terminal width (tables are not folded)."""
    return textwrap.wrap(text, TERMINAL_WIDTH, initial_indent=indent,
                         subsequent_indent=indent + "    ", break_long_words=False,
                         break_on_hyphens=False) or [""]


def render_terminal(summary: Summary, per_instance: bool = False) -> str:
    if not summary.solvers:
        return "No records.\n"
    out = _terminal_banner(summary)
    out.append(f"{len(summary.solvers)} solver(s) x {len(summary.instances)} instance(s), "
               f"{_limit_text(summary)}")
    out.append("")
    out += _text_table(_main_table(summary, terse=True))
    for line in _legend_lines(summary, TERMINAL_LABELS):
        out += _wrap(line)
    out += [""] + _wrap(_ratio_legend(summary))
    out += _text_table(_ratio_table(summary))
    if summary.families:
        out += ["", f"Per family (cells: solved/total  {_par_header(summary)})"]
        out += _text_table(_family_table_view(summary))
    if per_instance:
        out += [""] + _text_table(_instance_table(summary, "!!WRONG!!"))
    if summary.notes:
        out.append("")
        for note in summary.notes:
            out += _wrap(f"NOTE: {note}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _md_code(text: str) -> str:
    # Code spans keep names like a_b_c.cnf from turning into emphasis.
    return f"`{text}`" if "`" not in text else _md_escape(text)


def _markdown_table(table: _Table) -> List[str]:
    out = ["| " + " | ".join(_md_escape(h) for h in table.headers) + " |",
           "|" + "|".join("---:" if n else "---" for n in table.numeric) + "|"]
    for row in table.rows:
        out.append("| " + " | ".join(_md_escape(c) for c in row) + " |")
    return out


def _markdown_banner(summary: Summary) -> List[str]:
    if not summary.disagreements:
        return []
    out = [f"> **{banner(len(summary.disagreements))}**", ">"]
    out += [f"> - {_md_escape(line)}" for line in summary.disagreements]
    return out + [""]


def render_markdown(summary: Summary, header_lines: Sequence[str] = ()) -> str:
    out = list(header_lines)
    if out:
        out.append("")
    if not summary.solvers:
        return "\n".join(out + ["No records."]) + "\n"
    out += _markdown_banner(summary)
    out += [f"{len(summary.solvers)} solver(s) x {len(summary.instances)} instance(s), "
            f"{_limit_text(summary)}.", ""]
    out += _markdown_table(_main_table(summary, terse=False)) + [""]
    out += [" ".join(_legend_lines(summary, {})), ""]
    out += ["### Ratios vs first solver", "", _ratio_legend(summary), ""]
    out += _markdown_table(_ratio_table(summary)) + [""]
    if summary.families:
        out += ["### Per family", "", f"Cells: solved/total  {_par_header(summary)}.", ""]
        out += _markdown_table(_family_table_view(summary)) + [""]
    out += ["### Per instance", ""]
    out += _markdown_table(_instance_table(summary, "**!! WRONG !!**", name=_md_code)) + [""]
    if summary.notes:
        out += ["Notes:", ""] + [f"- {_md_escape(note)}" for note in summary.notes] + [""]
    return "\n".join(out)


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return value


def _write_csv(path_or_file, header: List[str], rows: Iterable[Sequence[object]]) -> None:
    def write(f):
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])

    if hasattr(path_or_file, "write"):
        write(path_or_file)
    else:
        with open(path_or_file, "w", newline="", encoding="utf-8") as f:
            write(f)


def _summary_csv_header(summary: Summary) -> List[str]:
    par = f"par{summary.par:g}".replace(".", "_")
    return (["solver", "runs", "solved"] + [s.lower() for s in STATUS_ORDER]
            + ["other_status", "missing", f"{par}_mean_s", "sgm_time_s", "sgm_nodes",
               "sgm_nodes_instances", "sgm_lp_iterations", "sgm_lp_iterations_instances", "cpu_total_s", "peak_rss_max_mb", f"{par}_ratio",
               "sgm_ratio", "wins", "tied_wins"])


def _summary_csv_rows(summary: Summary) -> Iterable[List[object]]:
    for row in summary.rows.values():
        other = sum(n for s, n in row.status_counts.items() if s not in STATUS_ORDER)
        yield ([row.solver, row.runs, row.solved] + [row.count(s) for s in STATUS_ORDER]
               + [other, row.missing, row.par_score, row.sgm_time, row.sgm_nodes,
                  row.sgm_nodes_instances, row.sgm_lp_iterations, row.sgm_lp_iterations_instances,
                  row.cpu_total, row.peak_rss_max, row.par_ratio,
                  row.sgm_ratio, row.wins, row.tied_wins])


def write_summary_csv(summary: Summary, path_or_file: Union[str, Path, IO[str]]) -> None:
    """The per-solver table of `summary` as CSV (one row per solver)."""
    _write_csv(path_or_file, _summary_csv_header(summary), _summary_csv_rows(summary))


# Schema order; unknown fields follow, sorted, then the flattened stats.
RUN_FIELDS = ("key", "solver", "instance", "family", "kind", "expected", "optimal_objective",
              "status", "answer", "time", "wall", "cpu", "peak_rss_mb", "time_limit",
              "memory_limit_mb", "objective", "dual_bound", "verified", "error", "host",
              "started", "version")


def write_runs_csv(records: Iterable[dict], path: Union[str, Path, IO[str]]) -> None:
    """One row per record; stats flattened to stats_<name> columns."""
    records = list(records)
    extra = sorted({k for r in records for k in r} - set(RUN_FIELDS) - {"stats"})
    stats = sorted({k for r in records for k in (r.get("stats") or {})})
    header = list(RUN_FIELDS) + extra + [f"stats_{k}" for k in stats]
    rows = ([r.get(k) for k in RUN_FIELDS] + [r.get(k) for k in extra]
            + [(r.get("stats") or {}).get(k) for k in stats] for r in records)
    _write_csv(path, header, rows)
