"""Side-by-side SAT benchmark: satmip against PySAT's solvers on the dev set.

Every (solver, instance) run is a fresh child process (see _runner.py): parsing is
not timed, loading the clauses and solving are; the child is killed 1 s after the
limit; SAT models are checked against every clause of the file, and answers are
checked against the manifest's status. Prints solved counts, PAR-2, shifted
geometric means and their ratios; writes one JSONL record per run and,
optionally, a markdown report.

    python bench/sat_compare.py --solvers satmip,minisat22,cadical195 --time-limit 60 \
        --markdown bench/RESULTS.md

Exit status 1 if any satmip run gave a wrong answer.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import csv
import datetime as dt
import fnmatch
import json
import math
import os
import shlex
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import _runner

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOLVERS = "satmip,minisat22,glucose42,cadical195"
DEFAULT_OUT = REPO_ROOT / "bench" / "out" / "sat_compare.jsonl"
SOLVED = ("SAT", "UNSAT")
CELL = {"TIMEOUT": "TO", "UNKNOWN": "UNK", "CRASH": "CRASH", "WRONG": "WRONG!"}


@dataclass(frozen=True)
class Instance:
    name: str            # file name relative to the bench dir, e.g. "qwh-40-42-s1.cnf.xz"
    path: Path
    family: str
    expected: str | None  # "SAT", "UNSAT" or None when there is no manifest row


# --------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------

def default_bench_dir() -> Path:
    env = os.environ.get("SATMIP_BENCH_DIR")
    return Path(env) if env else (REPO_ROOT / ".." / "shared" / "benchmarks" / "sat").resolve()


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--solvers", default=DEFAULT_SOLVERS,
                   help="comma-separated: satmip, satmip:CONFIG, or any PySAT solver name "
                        f"(default {DEFAULT_SOLVERS})")
    p.add_argument("--satmip-config", nargs="+", default=[], metavar="NAME",
                   help="also run satmip:NAME for each NAME")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds per run (default 60)")
    p.add_argument("--jobs", type=int, default=1,
                   help="child processes at once (default 1; more share cores and skew times)")
    p.add_argument("--instances", metavar="GLOB",
                   help="comma-separated file-name patterns, e.g. 'qwh-*,bmc-*'")
    p.add_argument("--families", metavar="F1,F2", help="comma-separated manifest families")
    p.add_argument("--subset", type=int, metavar="N",
                   help="N instances, taken round-robin over families (deterministic)")
    p.add_argument("--bench-dir", type=Path, default=None,
                   help="benchmark folder (default $SATMIP_BENCH_DIR or ../shared/benchmarks/sat "
                        "relative to the repo root)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help=f"JSONL file, one record per run (default {DEFAULT_OUT.relative_to(REPO_ROOT)})")
    p.add_argument("--resume", action="store_true",
                   help="keep --out and skip runs already in it (same solver, instance, limit); "
                        "CRASH records are rerun")
    p.add_argument("--markdown", type=Path, metavar="FILE", help="also write a markdown report")
    args = p.parse_args(argv)
    args.bench_dir = args.bench_dir or default_bench_dir()
    args.solver_list = solver_list(args.solvers, args.satmip_config)
    for spec in args.solver_list:
        problem = check_solver_name(spec)
        if problem:
            p.error(problem)
    if args.jobs < 1 or args.time_limit <= 0:
        p.error("--jobs and --time-limit must be positive")
    return args


def solver_list(solvers: str, satmip_configs) -> list[str]:
    specs = [s.strip() for s in solvers.split(",") if s.strip()]
    specs += [f"satmip:{name}" for name in satmip_configs]
    return list(dict.fromkeys(specs))  # drop duplicates, keep order


def check_solver_name(spec: str) -> str | None:
    """Reject unknown PySAT names up front instead of crashing every run."""
    name, config = _runner.parse_solver(spec)
    if name == "satmip":
        return None
    if config is not None:
        return f"only satmip takes a configuration: {spec!r}"
    from pysat.solvers import SolverNames
    known = {alias for key, aliases in vars(SolverNames).items()
             if not key.startswith("_") for alias in aliases}
    return None if name in known else f"unknown PySAT solver {name!r}"


# --------------------------------------------------------------------------
# instances
# --------------------------------------------------------------------------

def load_instances(bench_dir: Path) -> list[Instance]:
    """Instances from manifest.csv, or every *.cnf[.xz] file when there is none."""
    manifest = bench_dir / "manifest.csv"
    if manifest.exists():
        with open(manifest, newline="") as f:
            return [Instance(row["path"], bench_dir / row["path"], row["family"], row["status"])
                    for row in csv.DictReader(f)]
    files = sorted(bench_dir.glob("*.cnf")) + sorted(bench_dir.glob("*.cnf.xz"))
    return [Instance(f.name, f, "-", None) for f in files]


def select_instances(instances: list[Instance], args) -> list[Instance]:
    if args.families:
        wanted = set(args.families.split(","))
        instances = [i for i in instances if i.family in wanted]
    if args.instances:
        patterns = args.instances.split(",")
        instances = [i for i in instances if any(fnmatch.fnmatch(i.name, p) for p in patterns)]
    if args.subset is not None:
        instances = round_robin(instances, args.subset)
    return instances


def round_robin(instances: list[Instance], n: int) -> list[Instance]:
    """First of each family, then second of each, ...: a small but varied subset."""
    by_family = defaultdict(list)
    for inst in instances:
        by_family[inst.family].append(inst)
    queues = [by_family[f] for f in sorted(by_family)]
    picked, depth = [], 0
    while len(picked) < n and any(depth < len(q) for q in queues):
        picked += [q[depth] for q in queues if depth < len(q)]
        depth += 1
    keep = {i.name for i in picked[:n]}
    return [i for i in instances if i.name in keep]


# --------------------------------------------------------------------------
# running
# --------------------------------------------------------------------------

def run_key(solver: str, instance: str, limit: float) -> tuple:
    return (solver, instance, float(limit))


def load_previous(path: Path) -> dict:
    """Records already in the JSONL file; the last one per key wins."""
    records = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip():
                r = json.loads(line)
                records[run_key(r["solver"], r["instance"], r["time_limit"])] = r
    return records


def plan_runs(solvers, instances, limit, previous) -> list[tuple[str, Instance]]:
    """(solver, instance) pairs still to run; CRASH records are retried (often a broken build)."""
    todo = []
    for inst in instances:
        for solver in solvers:
            old = previous.get(run_key(solver, inst.name, limit))
            if old is None or old["status"] == "CRASH":
                todo.append((solver, inst))
    return todo


def run_record(solver: str, inst: Instance, limit: float, jobs: int) -> dict:
    result = _runner.run_one(solver, str(inst.path), limit, inst.expected)
    return {"solver": solver, "instance": inst.name, "family": inst.family,
            "expected": inst.expected, "time_limit": float(limit), "jobs": jobs,
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), **result}


def execute(todo, limit: float, jobs: int, out_file) -> list[dict]:
    """Run everything with `jobs` children at once; append each record as it finishes."""
    records = []
    with cf.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_record, s, inst, limit, jobs) for s, inst in todo]
        try:
            for done, fut in enumerate(cf.as_completed(futures), 1):
                rec = fut.result()
                out_file.write(json.dumps(rec) + "\n")
                out_file.flush()  # so an interrupted benchmark can --resume
                records.append(rec)
                print_progress(done, len(todo), rec)
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            _runner.kill_all_children()
            raise
    return records


def print_progress(done: int, total: int, rec: dict) -> None:
    t = rec["time"] if rec["status"] in SOLVED else rec["wall_time"]
    shown = f"{t:8.2f}s" if t is not None else " " * 9
    killed = "  (killed)" if rec["killed"] else ""
    print(f"[{done:>{len(str(total))}}/{total}] {rec['solver']:<14} {rec['instance']:<38} "
          f"{rec['status']:<7} {shown}  {rec['peak_rss_mb']:7.1f} MB{killed}",
          file=sys.stderr, flush=True)
    if rec["status"] == "WRONG":
        print(f"!!! WRONG ANSWER: {rec['solver']} on {rec['instance']}: {rec['error']}",
              file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# metrics
# --------------------------------------------------------------------------

def solved_time(rec: dict | None) -> float | None:
    return rec["time"] if rec is not None and rec["status"] in SOLVED else None


def par2(recs: list, limit: float) -> float:
    """Mean time; anything unsolved (timeout, unknown, crash, wrong) counts as 2 x limit."""
    times = [solved_time(r) for r in recs]
    return sum(2 * limit if t is None else t for t in times) / len(times) if times else math.nan


def shifted_geomean(recs: list, limit: float, shift: float = 1.0) -> float:
    """exp(mean(log(t + shift))) - shift with unsolved runs at the limit."""
    times = [solved_time(r) for r in recs]
    if not times:
        return math.nan
    logs = [math.log(min(limit if t is None else t, limit) + shift) for t in times]
    return math.exp(sum(logs) / len(logs)) - shift


def count(recs: list, *statuses) -> int:
    return sum(1 for r in recs if r is not None and r["status"] in statuses)


def ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


# --------------------------------------------------------------------------
# report: a list of blocks rendered as plain text or markdown
# --------------------------------------------------------------------------

def fmt(x, digits=2) -> str:
    if isinstance(x, float):
        return "-" if math.isnan(x) else f"{x:.{digits}f}"
    return str(x)


def cell(rec: dict | None) -> str:
    if rec is None:
        return "-"
    return f"{rec['time']:.2f}" if rec["status"] in SOLVED else CELL[rec["status"]]


def summary_table(solvers, grid, instances, limit):
    headers = ["solver", "solved", "SAT", "UNSAT", "TO", "UNK", "CRASH", "WRONG",
               "PAR-2 (s)", "sgm (s)", "max RSS (MB)"]
    rows = []
    for s in solvers:
        recs = [grid[s, i.name] for i in instances]
        rss = max((r["peak_rss_mb"] for r in recs if r is not None), default=math.nan)
        rows.append([s, f"{count(recs, *SOLVED)}/{len(recs)}", count(recs, "SAT"),
                     count(recs, "UNSAT"), count(recs, "TIMEOUT"), count(recs, "UNKNOWN"),
                     count(recs, "CRASH"), count(recs, "WRONG"), fmt(par2(recs, limit)),
                     fmt(shifted_geomean(recs, limit)), fmt(rss, 0)])
    return headers, rows


def ratio_table(solvers, grid, instances, limit):
    """Each satmip variant against every other solver (first solver if no satmip)."""
    refs = [s for s in solvers if _runner.is_satmip(s)] or solvers[:1]
    headers = ["solver", "vs", "PAR-2 ratio", "sgm ratio", "solved diff"]
    rows = []
    for ref in refs:
        mine = [grid[ref, i.name] for i in instances]
        # refs compared among themselves once, not in both directions
        peers = [s for s in solvers if s != ref and (s not in refs or refs.index(s) > refs.index(ref))]
        for peer in peers:
            theirs = [grid[peer, i.name] for i in instances]
            diff = count(mine, *SOLVED) - count(theirs, *SOLVED)
            rows.append([ref, peer,
                         fmt(ratio(par2(mine, limit), par2(theirs, limit)), 3),
                         fmt(ratio(shifted_geomean(mine, limit), shifted_geomean(theirs, limit)), 3),
                         f"{diff:+d}"])
    return headers, rows


def family_table(solvers, grid, instances, limit):
    families = sorted({i.family for i in instances})
    headers = (["family", "n", "SAT/UNSAT"] + [f"{s} solved" for s in solvers]
               + [f"{s} PAR-2" for s in solvers])
    rows = []
    for fam in families:
        members = [i for i in instances if i.family == fam]
        kinds = f"{sum(i.expected == 'SAT' for i in members)}/{sum(i.expected == 'UNSAT' for i in members)}"
        per = {s: [grid[s, i.name] for i in members] for s in solvers}
        rows.append([fam, len(members), kinds]
                    + [count(per[s], *SOLVED) for s in solvers]
                    + [fmt(par2(per[s], limit), 1) for s in solvers])
    return headers, rows


def instance_table(solvers, grid, instances):
    headers = ["instance", "family", "expected"] + solvers
    rows = [[i.name, i.family, i.expected or "?"] + [cell(grid[s, i.name]) for s in solvers]
            for i in instances]
    return headers, rows


def problem_lines(solvers, grid, instances) -> list[str]:
    """Wrong answers one per line; crashes grouped by solver and first error line."""
    lines, crashes = [], defaultdict(list)
    for i in instances:
        for s in solvers:
            r = grid[s, i.name]
            if r is not None and r["status"] == "WRONG":
                lines.append(f"WRONG: {s} on {i.name}: {r['error']}")
            elif r is not None and r["status"] == "CRASH":
                first = (r["error"] or "").strip().splitlines()[:1] or ["?"]
                crashes[s, first[0]].append(i.name)
    for (s, err), names in crashes.items():
        more = f" (+{len(names) - 3} more)" if len(names) > 3 else ""
        lines.append(f"CRASH: {s} on {len(names)} run(s), e.g. {', '.join(names[:3])}{more}: {err}")
    return lines


def build_report(solvers, grid, instances, args) -> list[tuple]:
    limit = args.time_limit
    blocks = []
    wrong = [l for l in problem_lines(solvers, grid, instances) if l.startswith("WRONG")]
    if wrong:
        blocks.append(("heading", "!!! WRONG ANSWERS !!!"))
        blocks.append(("list", wrong))
    blocks.append(("heading", f"Summary ({len(instances)} instances, limit {fmt(limit, 0)} s)"))
    blocks.append(("table", *summary_table(solvers, grid, instances, limit)))
    blocks.append(("para", f"PAR-2: mean time, unsolved (timeout, unknown, crash, wrong) = "
                           f"{fmt(2 * limit, 0)} s. sgm: shifted geometric mean, shift 1 s, "
                           f"unsolved at {fmt(limit, 0)} s. Times cover loading + solving, not parsing."))
    if args.jobs > 1:
        blocks.append(("para", f"NOTE: --jobs {args.jobs}: runs shared the CPU cores, "
                               "so times are less reliable than with --jobs 1."))
    if len(solvers) > 1:
        blocks.append(("heading", "Ratios (< 1 means the first solver is faster)"))
        blocks.append(("table", *ratio_table(solvers, grid, instances, limit)))
    blocks.append(("heading", "Per family"))
    blocks.append(("table", *family_table(solvers, grid, instances, limit)))
    blocks.append(("heading", "Per instance (seconds; TO timeout, UNK unknown)"))
    blocks.append(("table", *instance_table(solvers, grid, instances)))
    problems = problem_lines(solvers, grid, instances)
    if problems:
        blocks.append(("heading", "Problems"))
        blocks.append(("list", problems))
    return blocks


def _is_number(text: str) -> bool:
    try:
        float(text.lstrip("+"))
        return True
    except ValueError:
        return False


def render_text(blocks) -> str:
    out = []
    for kind, *body in blocks:
        if kind == "heading":
            out += ["", body[0], "-" * len(body[0])]
        elif kind == "para":
            out += ["", body[0]]
        elif kind == "list":
            out += body[0]
        elif kind == "table":
            out += text_table(*body)
    return "\n".join(out) + "\n"


def text_table(headers, rows) -> list[str]:
    table = [list(map(str, headers))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[c]) for r in table) for c in range(len(headers))]
    def line(row):
        return "  ".join(c.rjust(w) if _is_number(c) else c.ljust(w)
                         for c, w in zip(row, widths)).rstrip()
    return [line(table[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in table[1:]]


def render_markdown(blocks, header_lines) -> str:
    out = ["# SAT benchmark: satmip vs PySAT", ""] + header_lines
    for kind, *body in blocks:
        if kind == "heading":
            out += ["", f"## {body[0]}", ""]
        elif kind == "para":
            out += ["", body[0]]
        elif kind == "list":
            out += [f"* {line}" for line in body[0]]
        elif kind == "table":
            headers, rows = body
            out.append("| " + " | ".join(map(str, headers)) + " |")
            out.append("|" + "|".join("---" for _ in headers) + "|")
            out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# environment description for the markdown header
# --------------------------------------------------------------------------

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def _quiet(cmd, timeout=60) -> tuple[int, str]:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT)
        return p.returncode, (p.stdout.strip() or p.stderr.strip())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 1, str(exc)


def git_revision() -> str:
    rc, rev = _quiet(["git", "rev-parse", "--short", "HEAD"])
    if rc != 0:
        return "no commit"
    _, dirty = _quiet(["git", "status", "--porcelain", "--untracked-files=no"])
    return rev + (" (uncommitted changes)" if dirty else "")


def satmip_version() -> str:
    # In a child process, so a broken build cannot take the benchmark down.
    rc, text = _quiet([sys.executable, "-c",
                       "import satmip; print(getattr(satmip, '__version__', 'unknown'))"])
    return text if rc == 0 else "not importable: " + (text.splitlines() or ["?"])[-1]


def pysat_version() -> str:
    import pysat
    return getattr(pysat, "__version__", "unknown")


def header_lines(args, n_instances: int) -> list[str]:
    command = shlex.join(["python"] + sys.argv)
    return [
        f"* command: `{command}`",
        f"* date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"* machine: {cpu_model()}, {os.cpu_count()} cores",
        f"* python-sat: {pysat_version()}",
        f"* satmip: {satmip_version()}, git {git_revision()}",
        f"* time limit: {fmt(args.time_limit, 0)} s per run, killed at limit + "
        f"{fmt(_runner.KILL_GRACE_S, 0)} s; jobs: {args.jobs}; instances: {n_instances} "
        f"from `{args.bench_dir}`",
    ]


# --------------------------------------------------------------------------

def main(argv=None) -> int:
    args = parse_args(argv)
    instances = select_instances(load_instances(args.bench_dir), args)
    if not instances:
        print(f"no instances selected in {args.bench_dir}", file=sys.stderr)
        return 2
    solvers, limit = args.solver_list, args.time_limit
    previous = load_previous(args.out) if args.resume else {}
    todo = plan_runs(solvers, instances, limit, previous)
    print(f"{len(instances)} instances x {len(solvers)} solvers, limit {fmt(limit, 0)} s, "
          f"{len(todo)} runs to do, jobs {args.jobs}; records -> {args.out}", file=sys.stderr)
    if args.jobs > 1:
        print("note: with --jobs > 1 the runs share cores, so times are less reliable",
              file=sys.stderr)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "a" if args.resume else "w") as out_file:
        try:
            new = execute(todo, limit, args.jobs, out_file)
        except KeyboardInterrupt:
            print("\ninterrupted; finished runs are in the JSONL (use --resume)", file=sys.stderr)
            return 130

    for rec in new:
        previous[run_key(rec["solver"], rec["instance"], limit)] = rec
    grid = {(s, i.name): previous.get(run_key(s, i.name, limit))
            for s in solvers for i in instances}
    blocks = build_report(solvers, grid, instances, args)
    print(render_text(blocks))
    if args.markdown:
        args.markdown.write_text(render_markdown(blocks, header_lines(args, len(instances))))
        print(f"markdown report written to {args.markdown}", file=sys.stderr)

    satmip_wrong = [k for k, r in grid.items() if _runner.is_satmip(k[0])
                    and r is not None and r["status"] == "WRONG"]
    return 1 if satmip_wrong else 0


if __name__ == "__main__":
    sys.exit(main())
