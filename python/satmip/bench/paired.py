"""Paired comparison of configurations run under several seeds (LEARNED.md D: same
flags but one component, >= 3 seeds, paired per-instance ratios).

A results file of `satmip bench` whose solver labels are CONFIG-sSEED (e.g.
`default-s1`, `model-s1`, ...) is read as configurations x seeds x instances:

    python -m satmip.bench.paired bench/out/phases-trained.jsonl --baseline default \\
        [--manifest SET/manifest.csv --group size_class] [--markdown bench/RESULTS.md --name NAME]

What the harness's own report lacks, per configuration: seeds pooled (every run of
every seed) solved, SAT / UNSAT, PAR-k and shifted geometric mean, their ratios to the
baseline's; each seed alone; per instance the ratio of the configuration's mean PAR-k
time over the seeds to the baseline's (geometric mean, median, wins / losses beyond a
tie band, two-sided sign test); and the same per family, per known status and per any
manifest column. Only instances that every configuration ran under every seed count
(a cut-short run is reported on what finished, and says how many it left out).

MILP runs (records with node counts: `satmip bench --seeds` on MPS files) add the
shifted geometric mean of branch-and-bound nodes (shift 10, as Gasse et al.) and the
geometric mean of per-instance paired node ratios, both over the instances every
configuration solved under every seed; the answer columns are then OPTIMAL etc.
"""
from __future__ import annotations

import argparse
import csv
import math
import re
import statistics
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from .markdown import write_section
from .records import STATUS_ORDER, load_records, solved_time, status_of, time_limit_of
from .summary import shifted_geometric_mean

LABEL = re.compile(r"^(?P<config>.+)-s(?P<seed>\d+)$")
# Two per-instance mean times within 5% or 0.05 s are a tie: one process start of the
# command line varies by a few hundredths of a second, and seeds by more.
TIE_REL = 0.05
TIE_ABS = 0.05
NODE_SHIFT = 10.0


@dataclass
class Run:
    status: str
    answer: Optional[str]
    par_time: float          # time if solved, else par x limit
    capped_time: float       # time if solved, else the limit (for the shifted geometric mean)
    solved: bool
    nodes: Optional[float] = None   # branch-and-bound nodes (MILP runs)


@dataclass
class Grid:
    """runs[config][seed][instance]; configs and seeds in order of first appearance."""
    configs: List[str]
    seeds: List[int]
    instances: List[str]                      # complete ones: every config under every seed
    left_out: List[str]                       # instances some config or seed lacks
    runs: Dict[str, Dict[int, Dict[str, Run]]]
    family: Dict[str, Optional[str]]
    expected: Dict[str, Optional[str]]
    ignored_labels: List[str] = field(default_factory=list)
    partial_configs: List[str] = field(default_factory=list)   # not run under every seed: not compared


def split_label(label: str) -> Optional[Tuple[str, int]]:
    m = LABEL.match(label)
    return (m.group("config"), int(m.group("seed"))) if m else None


def build_grid(records: Sequence[dict], par: float = 2.0, only_seeds: Optional[Sequence[int]] = None) -> Grid:
    """The runs of CONFIG-sSEED labels (of the seeds in `only_seeds`, if given)."""
    runs: Dict[str, Dict[int, Dict[str, Run]]] = {}
    seeds: List[int] = []
    family: Dict[str, Optional[str]] = {}
    expected: Dict[str, Optional[str]] = {}
    ignored: List[str] = []
    for record in records:   # load_records already kept the last record of each key
        parts = split_label(record["solver"])
        if parts is None:
            if record["solver"] not in ignored:
                ignored.append(record["solver"])
            continue
        config, seed = parts
        if only_seeds is not None and seed not in only_seeds:
            continue
        if seed not in seeds:
            seeds.append(seed)
        limit = time_limit_of(record)
        t = solved_time(record)
        nodes = (record.get("stats") or {}).get("nodes")
        run = Run(status=status_of(record), answer=record.get("answer"), solved=t is not None,
                  par_time=t if t is not None else par * limit,
                  capped_time=t if t is not None else limit,
                  nodes=float(nodes) if nodes is not None else None)
        runs.setdefault(config, {}).setdefault(seed, {})[record["instance"]] = run
        family.setdefault(record["instance"], record.get("family"))
        expected.setdefault(record["instance"], record.get("expected"))
    # A configuration run under only some of the seeds (a costly one under seed 1, say)
    # cannot be paired over the seeds: it is set aside, not allowed to empty the grid.
    partial = [c for c in runs if any(s not in runs[c] for s in seeds)]
    configs = [c for c in runs if c not in partial]
    every = list(family)
    complete = [i for i in every
                if all(i in runs[c].get(s, {}) for c in configs for s in seeds)]
    left_out = [i for i in every if i not in complete]
    return Grid(configs, seeds, complete, left_out, runs, family, expected, ignored, partial)


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact binomial p-value of wins vs losses at p = 1/2 (ties dropped)."""
    n = wins + losses
    if n == 0:
        return 1.0
    k = min(wins, losses)
    tail = sum(math.comb(n, j) for j in range(k + 1)) / 2.0 ** n
    return min(1.0, 2.0 * tail)


def _is_tie(a: float, b: float) -> bool:
    return abs(a - b) <= max(TIE_ABS, TIE_REL * min(a, b))


@dataclass
class Row:
    config: str
    runs: int
    solved: int
    sat: int
    unsat: int
    par: float
    sgm: Optional[float]                   # None: no runs
    par_ratio: Optional[float] = None
    sgm_ratio: Optional[float] = None
    gm_ratio: Optional[float] = None       # per-instance paired ratios (seed means)
    median_ratio: Optional[float] = None
    wins: int = 0
    losses: int = 0
    ties: int = 0
    p_sign: Optional[float] = None
    answers: Dict[str, int] = field(default_factory=dict)   # solved runs by answer
    nodes_sgm: Optional[float] = None      # over instances every configuration solved under every seed
    nodes_instances: int = 0
    nodes_gm_ratio: Optional[float] = None  # per-instance paired ratios of seed-mean nodes (shifted)


def _runs_of(grid: Grid, config: str, seeds: Sequence[int], instances: Sequence[str]) -> List[Run]:
    return [grid.runs[config][s][i] for s in seeds for i in instances]


def _seed_mean(grid: Grid, config: str, seeds: Sequence[int], instance: str) -> float:
    return statistics.fmean(grid.runs[config][s][instance].par_time for s in seeds)


def rows(grid: Grid, baseline: str, instances: Optional[Sequence[str]] = None,
         seeds: Optional[Sequence[int]] = None, shift: float = 1.0,
         node_shift: float = NODE_SHIFT) -> List[Row]:
    """One row per configuration over the given instances and seeds (default: all)."""
    instances = grid.instances if instances is None else list(instances)
    seeds = grid.seeds if seeds is None else list(seeds)
    out = []
    for config in grid.configs:
        runs = _runs_of(grid, config, seeds, instances)
        if not runs:
            continue
        answers: Dict[str, int] = {}
        for r in runs:
            if r.solved and r.answer:
                answers[r.answer] = answers.get(r.answer, 0) + 1
        out.append(Row(config=config, runs=len(runs), solved=sum(r.solved for r in runs),
                       sat=answers.get("SAT", 0), unsat=answers.get("UNSAT", 0), answers=answers,
                       par=statistics.fmean(r.par_time for r in runs),
                       sgm=shifted_geometric_mean((r.capped_time for r in runs), shift)))
    _add_nodes(grid, out, baseline, instances, seeds, node_shift)
    out.sort(key=lambda r: (r.config != baseline, r.config))   # the baseline first
    base = next((r for r in out if r.config == baseline), None)
    if base is None:
        return out
    for row in out:
        row.par_ratio = _ratio(row.par, base.par)
        row.sgm_ratio = _ratio(row.sgm, base.sgm)
        _add_paired(grid, row, baseline, instances, seeds)
    return out


def solved_by_all(grid: Grid, instances: Sequence[str], seeds: Sequence[int]) -> List[str]:
    """The instances every configuration solved under every seed, each run with a node count."""
    return [i for i in instances
            if all(grid.runs[c][s][i].solved and grid.runs[c][s][i].nodes is not None
                   for c in grid.configs for s in seeds)]


def _add_nodes(grid: Grid, out: List[Row], baseline: str, instances, seeds, node_shift: float) -> None:
    common = solved_by_all(grid, instances, seeds)
    if not common:
        return

    def nodes_of(config: str, seed: int, instance: str) -> float:
        return grid.runs[config][seed][instance].nodes or 0.0   # never None on a common instance

    mean_nodes = {(row.config, i): statistics.fmean(nodes_of(row.config, s, i) for s in seeds)
                  for row in out for i in common}
    for row in out:
        nodes = [nodes_of(row.config, s, i) for s in seeds for i in common]
        row.nodes_sgm = shifted_geometric_mean(nodes, node_shift)
        row.nodes_instances = len(common)
        if any(r.config == baseline for r in out):
            ratios = [(mean_nodes[row.config, i] + node_shift) / (mean_nodes[baseline, i] + node_shift)
                      for i in common]
            row.nodes_gm_ratio = math.exp(statistics.fmean(math.log(r) for r in ratios))


def _ratio(value: Optional[float], base: Optional[float]) -> Optional[float]:
    return value / base if value is not None and base is not None and base > 0 else None


def _add_paired(grid: Grid, row: Row, baseline: str, instances, seeds) -> None:
    ratios = []
    for inst in instances:
        mine, base = _seed_mean(grid, row.config, seeds, inst), _seed_mean(grid, baseline, seeds, inst)
        ratios.append(mine / base if base > 0 else 1.0)
        if _is_tie(mine, base):
            row.ties += 1
        elif mine < base:
            row.wins += 1
        else:
            row.losses += 1
    if ratios:
        row.gm_ratio = math.exp(statistics.fmean(math.log(max(r, 1e-12)) for r in ratios))
        row.median_ratio = statistics.median(ratios)
        row.p_sign = sign_test(row.wins, row.losses)


# ---------------------------------------------------------------------------
# Groups and tables
# ---------------------------------------------------------------------------


def read_columns(manifest: str, columns: Sequence[str]) -> Dict[str, Dict[str, str]]:
    """{instance name: {column: value}} from a harness manifest (names = its 'path')."""
    with open(manifest, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{manifest}: no column(s) {missing}; it has {reader.fieldnames}")
        return {row["path"].strip(): {c: row[c] for c in columns} for row in reader}


def groups(grid: Grid, extra: Optional[Dict[str, Dict[str, str]]] = None,
           columns: Sequence[str] = ()) -> List[Tuple[str, str, List[str]]]:
    """(grouping, value, instances): by known status (when mixed), by family, by each
    manifest column, and by family x column."""
    out = []

    def add(name, key):
        values: Dict[str, List[str]] = {}
        for inst in grid.instances:
            values.setdefault(key(inst), []).append(inst)
        for value in sorted(values):
            out.append((name, value, values[value]))

    if len({grid.expected[i] for i in grid.instances}) > 1:
        add("status", lambda i: str(grid.expected[i] or "unknown"))
    add("family", lambda i: str(grid.family[i] or "-"))
    for column in columns:
        add(column, lambda i, c=column: (extra or {}).get(i, {}).get(c, "-"))
        add(f"family x {column}", lambda i, c=column: f"{grid.family[i] or '-'} / "
                                                          f"{(extra or {}).get(i, {}).get(c, '-')}")
    return out


def _num(value: Optional[float], digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _p(value: Optional[float]) -> str:
    return "-" if value is None else (f"{value:.3f}" if value >= 0.001 else "<0.001")


def answer_columns(table: List[Row]) -> List[str]:
    """SAT and UNSAT for SAT runs; the MILP answers that occur (OPTIMAL, ...) otherwise."""
    seen = {a for r in table for a in r.answers}
    if not seen or seen & {"SAT", "UNSAT"}:
        return ["SAT", "UNSAT"]
    return [a for a in STATUS_ORDER if a in seen]


def pooled_table(table: List[Row], par_label: str) -> List[str]:
    answers = answer_columns(table)
    with_nodes = any(r.nodes_sgm is not None for r in table)
    node_head = " nodes sgm | nodes gm paired ratio |" if with_nodes else ""
    lines = [f"| config | runs | solved | {' | '.join(answers)} | {par_label} (s) | sgm (s) | {par_label} ratio | "
             f"sgm ratio | gm paired ratio | median ratio | wins | losses | ties | sign p |{node_head}",
             "|---|---:|---:|" + "---:|" * len(answers) + "---:|" * 10 + "---:|" * (2 * with_nodes)]
    for r in table:
        counts = " | ".join(str(r.answers.get(a, 0)) for a in answers)
        nodes = f" {_num(r.nodes_sgm, 1)} | {_num(r.nodes_gm_ratio, 3)} |" if with_nodes else ""
        lines.append(f"| {r.config} | {r.runs} | {r.solved} | {counts} | {_num(r.par)} | "
                     f"{_num(r.sgm)} | {_num(r.par_ratio, 3)} | {_num(r.sgm_ratio, 3)} | "
                     f"{_num(r.gm_ratio, 3)} | {_num(r.median_ratio, 3)} | {r.wins} | {r.losses} | "
                     f"{r.ties} | {_p(r.p_sign)} |{nodes}")
    return lines


def seed_table(grid: Grid, baseline: str, par_label: str) -> List[str]:
    per_seed = {s: {r.config: r for r in rows(grid, baseline, seeds=[s])} for s in grid.seeds}
    head = "| config | " + " | ".join(f"seed {s}: solved, {par_label} (ratio)" for s in grid.seeds) + " |"
    lines = [head, "|---|" + "---:|" * len(grid.seeds)]
    for config in sorted(grid.configs, key=lambda c: (c != baseline, c)):
        cells = []
        for s in grid.seeds:
            r = per_seed[s][config]
            cells.append(f"{r.solved}/{r.runs}, {_num(r.par)} ({_num(r.par_ratio, 3)})")
        lines.append(f"| {config} | " + " | ".join(cells) + " |")
    return lines


def group_table(grid: Grid, baseline: str, par_label: str, grouped) -> List[str]:
    others = sorted(c for c in grid.configs if c != baseline)
    lines = [f"| grouping | value | instances | {baseline}: solved, {par_label} | "
             + " | ".join(f"{c}: solved, {par_label} (ratio), gm paired" for c in others) + " |",
             "|---|---|---:|---:|" + "---:|" * len(others)]
    for name, value, instances in grouped:
        by = {r.config: r for r in rows(grid, baseline, instances=instances)}
        base = by[baseline]
        cells = [f"{by[c].solved}/{by[c].runs}, {_num(by[c].par)} ({_num(by[c].par_ratio, 3)}), "
                 f"{_num(by[c].gm_ratio, 3)}" for c in others]
        lines.append(f"| {name} | {value} | {len(instances)} | {base.solved}/{base.runs}, "
                     f"{_num(base.par)} | " + " | ".join(cells) + " |")
    return lines


def report(grid: Grid, baseline: str, par: float = 2.0, extra=None, columns: Sequence[str] = (),
           header: Sequence[str] = (), node_shift: float = NODE_SHIFT) -> str:
    if baseline not in grid.configs:
        raise ValueError(f"baseline '{baseline}' is not among the configurations {grid.configs}")
    par_label = f"PAR-{par:g}"
    out = list(header)
    out.append(f"{len(grid.configs)} configuration(s) x {len(grid.seeds)} seed(s) "
               f"({', '.join(map(str, grid.seeds))}) x {len(grid.instances)} instance(s)"
               + (f"; {len(grid.left_out)} instance(s) left out, not run by every configuration "
                  f"under every seed" if grid.left_out else "") + ".")
    if grid.partial_configs:
        out.append("Not run under every seed, not compared: " + ", ".join(
            f"{c} (seeds {', '.join(str(s) for s in grid.runs[c])})" for c in grid.partial_configs) + ".")
    if grid.ignored_labels:
        out.append(f"Solvers without a -sSEED label, not compared: {', '.join(grid.ignored_labels)}.")
    out += ["", f"### Seeds pooled (vs {baseline})", ""]
    table = rows(grid, baseline, node_shift=node_shift)
    out += pooled_table(table, par_label)
    out += ["", f"runs = instances x seeds; {par_label}: mean over runs of the time, {par:g} x limit if "
            "unsolved; sgm: shifted geometric mean (shift 1 s), unsolved at the limit. Ratios < 1: "
            f"faster than {baseline}. Paired: per instance, the configuration's mean {par_label} time "
            f"over the seeds divided by {baseline}'s; gm = geometric mean of those ratios; wins / "
            f"losses: faster / slower beyond {TIE_REL:.0%} or {TIE_ABS:g} s (else a tie); sign p: "
            "two-sided sign test of wins vs losses."]
    if any(r.nodes_sgm is not None for r in table):
        out[-1] += (f" Nodes: over the {table[0].nodes_instances} instance(s) every configuration solved "
                    f"under every seed; sgm with shift {node_shift:g}; paired: per instance, "
                    f"(seed-mean nodes + {node_shift:g}) over {baseline}'s, geometric mean.")
    out += ["", "### Per seed", ""]
    out += seed_table(grid, baseline, par_label)
    grouped = groups(grid, extra, columns)
    if grouped:
        out += ["", "### Per group", "", "Cells: solved/runs, " + par_label
                + f" (ratio to {baseline}), gm of the paired per-instance ratios.", ""]
        out += group_table(grid, baseline, par_label, grouped)
    return "\n".join(out) + "\n"


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m satmip.bench.paired", description=__doc__.split("\n\n")[0])
    p.add_argument("results", help="a satmip bench results file (JSON Lines), labels CONFIG-sSEED")
    p.add_argument("--baseline", default="default", help="the configuration ratios are against")
    p.add_argument("--par", type=float, default=2.0, help="PAR-k (default 2)")
    p.add_argument("--node-shift", type=float, default=NODE_SHIFT,
                   help=f"shift of the nodes' geometric means and paired ratios (default {NODE_SHIFT:g})")
    p.add_argument("--seeds", metavar="LIST", help="only these seeds (comma-separated), e.g. those every "
                   "configuration finished")
    p.add_argument("--manifest", help="the set's manifest.csv, for --group columns")
    p.add_argument("--group", action="append", default=[], metavar="COLUMN",
                   help="also group by this manifest column (repeatable)")
    p.add_argument("--markdown", metavar="FILE", help="write the report into FILE's section NAME")
    p.add_argument("--name", default=None, help="the section's name (default: the results file's stem)")
    p.add_argument("--header", action="append", default=[], metavar="LINE",
                   help="a line above the tables (the command, the build; repeatable)")
    args = p.parse_args(argv)
    if args.group and not args.manifest:
        p.error("--group needs --manifest")
    seeds = [int(x) for x in args.seeds.split(",") if x.strip()] if args.seeds else None
    grid = build_grid(load_records(args.results), par=args.par, only_seeds=seeds)
    extra = read_columns(args.manifest, args.group) if args.manifest else None
    header = args.header + ([""] if args.header else [])
    text = report(grid, args.baseline, args.par, extra, args.group, header, node_shift=args.node_shift)
    print(text)
    if args.markdown:
        import os
        name = args.name or os.path.basename(args.results).split(".")[0]
        write_section(args.markdown, f"<!-- satmip bench {name} paired: begin -->",
                      f"<!-- satmip bench {name} paired: end -->", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
