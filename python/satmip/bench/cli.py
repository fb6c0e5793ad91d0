"""`satmip bench`: run a benchmark (or resume one), verify, report, plot."""
from __future__ import annotations

import argparse
import fnmatch
import os
import shlex
import sys
from datetime import datetime, timezone

from . import config as bench_config
from .config import BenchConfig
from .errors import BenchConfigError
from .execute import execute
from .instances import collect, select
from .limits import address_space_cap
from .markdown import machine_description, write_section
from .progress import Progress
from .store import ResultStore, run_key

EXIT_OK, EXIT_WRONG, EXIT_CONFIG, EXIT_INTERRUPTED = 0, 1, 2, 130


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("config", nargs="?", help="benchmark configuration (TOML), e.g. bench/sat-dev.toml")
    g = p.add_argument_group("what to run (override the configuration)")
    g.add_argument("--instances", "-i", action="append", metavar="SRC",
                   help="folder, glob, file or manifest .csv (repeatable)")
    g.add_argument("--solvers", "-s", metavar="LIST",
                   help="comma-separated: satmip, satmip:CONFIG, highs, scip, or a PySAT name")
    g.add_argument("--labels", action="append", metavar="GLOB",
                   help="keep the configured solvers whose name matches (repeatable), e.g. '*-s1' for "
                        "one seed of every configuration: a long comparison run seed by seed")
    g.add_argument("--seeds", metavar="LIST",
                   help="run every solver under each of these seeds (comma-separated), labelled "
                        "LABEL-sSEED for python -m satmip.bench.paired; with --labels '*-s1', one seed at a time")
    g.add_argument("--include", action="append", metavar="GLOB", help="keep instances whose name matches")
    g.add_argument("--families", metavar="LIST", help="keep these families (comma-separated)")
    g.add_argument("--subset", type=int, metavar="N", help="at most N instances, round-robin over families")
    g.add_argument("--time-limit", "-t", type=float, metavar="S", help="seconds per run (default 60)")
    g.add_argument("--memory-limit", type=int, metavar="MIB", help="MiB per run, 0 for none (default 8192)")
    g.add_argument("--output-limit", type=int, metavar="MIB",
                   help="a run's output (stdout + stderr) kept at most; over it the run is the solver's "
                        "ERROR (default 1024)")
    g.add_argument("--proof", choices=("lrat", "drat", "lrat-binary", "drat-binary"),
                   help="ask satmip (and commands with {proof}) for UNSAT proofs and check them")
    g = p.add_argument_group("how")
    g.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="runs at a time (default 1; timings want at most one run per core)")
    g.add_argument("--dask", metavar="ADDRESS", help="run on a Dask cluster at ADDRESS, or 'local' for a LocalCluster")
    g.add_argument("--results", "-o", metavar="FILE",
                   help="JSON Lines results file, resumed if it exists (default: the configuration's "
                        f"`results`, relative to its TOML file; without one {BenchConfig.results} "
                        "under the current folder)")
    g.add_argument("--retry-errors", action="store_true", help="run again what ended in ERROR")
    g.add_argument("--report-only", action="store_true", help="run nothing; report what the results file holds")
    g.add_argument("--no-progress", action="store_true", help="no progress output")
    g = p.add_argument_group("reports")
    g.add_argument("--markdown", metavar="FILE", help="write the Markdown report (into its section if FILE has one)")
    g.add_argument("--csv", metavar="FILE", help="per-solver summary as CSV")
    g.add_argument("--runs-csv", metavar="FILE", help="one CSV row per run")
    g.add_argument("--plots", metavar="DIR", help="cactus and scatter plots (PNG)")
    g.add_argument("--baseline", metavar="SOLVER", help="solver the ratios and scatter plots compare against")


def build_config(args) -> BenchConfig:
    cfg = bench_config.load_toml(args.config) if args.config else BenchConfig()
    cwd = os.getcwd()
    if args.instances:
        cfg.instances = [bench_config.expand(s, cwd) for s in args.instances]
    if args.solvers:
        cfg.solvers = bench_config.solvers_from_names(args.solvers)
    if args.seeds:
        bench_config.with_seeds(cfg, args.seeds)
    if args.labels:
        _keep_labels(cfg, args.labels, baseline_given=args.baseline is not None)
    if args.include:
        cfg.include = args.include
    if args.families:
        cfg.families = [f.strip() for f in args.families.split(",") if f.strip()]
    for attr, value in (("subset", args.subset), ("time_limit", args.time_limit),
                        ("memory_limit_mb", args.memory_limit), ("jobs", args.jobs),
                        ("output_limit_mb", args.output_limit),
                        ("dask", args.dask), ("baseline", args.baseline)):
        if value is not None:
            setattr(cfg, attr, value)
    for attr in ("results", "markdown", "csv", "runs_csv", "plots"):
        value = getattr(args, attr)
        if value is not None:
            setattr(cfg, attr, bench_config.expand(value, cwd))
    if args.proof:
        for spec in cfg.solvers:
            if spec.kind == "satmip" or (spec.kind == "command" and
                                         any("{proof}" in a for a in spec.command or [])):
                spec.proof = args.proof
    cfg.retry_errors = args.retry_errors
    return bench_config.validate(cfg)


def _keep_labels(cfg: BenchConfig, patterns: list, baseline_given: bool) -> None:
    """Only the solvers whose label matches a pattern; a configured baseline left out
    gives way to the first one kept (one named on the command line must be kept)."""
    kept = [s for s in cfg.solvers if any(fnmatch.fnmatchcase(s.label, p) for p in patterns)]
    if not kept:
        raise BenchConfigError(f"--labels {' '.join(patterns)} matches no solver; the solvers are "
                               f"{', '.join(s.label for s in cfg.solvers) or 'none'}")
    cfg.solvers = kept
    if cfg.baseline is not None and not baseline_given and cfg.baseline not in {s.label for s in kept}:
        cfg.baseline = None


def plan(cfg: BenchConfig):
    """(instances, jobs in run order: instance by instance, solvers side by side)."""
    instances = select(collect(cfg.instances), cfg.include, cfg.families, cfg.subset)
    if not instances:
        raise BenchConfigError("the benchmark set is empty after filtering")
    jobs = []
    for inst in instances:
        for spec in cfg.solvers:
            if not spec.handles(inst.kind):
                continue
            jobs.append({
                "key": run_key(spec, inst, cfg.time_limit, cfg.memory_limit_mb),
                "spec": spec.to_dict(), "instance": inst.__dict__.copy(),
                "time_limit": cfg.time_limit, "memory_limit_mb": cfg.memory_limit_mb,
                "output_limit_mb": cfg.output_limit_mb, "grace_s": cfg.grace_s, "read_limit_s": cfg.read_limit_s,
                "proof_time_limit": cfg.proof_time_limit,
                "feasibility_tolerance": cfg.feasibility_tolerance,
                "objective_tolerance": cfg.objective_tolerance})
    if not jobs:
        kinds = sorted({i.kind for i in instances})
        raise BenchConfigError(f"no solver handles the instances ({', '.join(kinds)} problems)")
    return instances, jobs


def run_benchmark(cfg: BenchConfig, progress: bool = True, report_only: bool = False) -> list[dict]:
    """Run what the results file lacks; return this benchmark's records."""
    _instances, jobs = plan(cfg)
    store = ResultStore(cfg.results)
    if report_only:
        return _latest_by_run(jobs, store.records())
    done = {r["key"]: r for r in store.records()}
    if cfg.retry_errors:
        done = {k: r for k, r in done.items() if r["status"] != "ERROR"}
    todo = [j for j in jobs if j["key"] not in done]
    if len(todo) < len(jobs):
        print(f"resuming: {len(jobs) - len(todo)} run(s) already in {cfg.results}, "
              f"{len(todo)} to go", file=sys.stderr)
    _cap, note = address_space_cap(cfg.memory_limit_mb)
    if note and todo:
        print(f"satmip bench: {note}", file=sys.stderr)
    bar = Progress(len(todo), enabled=progress)

    def finished(record):
        store.append(record)
        done[record["key"]] = record
        bar.update(record)

    try:
        execute(todo, cfg.jobs, finished, cfg.dask)
    finally:
        bar.close()
    return [done[j["key"]] for j in jobs if j["key"] in done]


def _latest_by_run(jobs: list, records: list) -> list[dict]:
    """For --report-only: the latest record of each planned (solver, instance), whatever
    build or limits produced it, so a report survives a rebuild of the solver."""
    latest = {(r["solver"], r["instance"]): r for r in records}
    wanted = [(j["spec"]["label"], j["instance"]["name"]) for j in jobs]
    return [latest[w] for w in wanted if w in latest]


def _header_lines(cfg: BenchConfig, records: list[dict], argv) -> list[str]:
    versions = {}
    for r in records:
        versions.setdefault(r["solver"], r.get("version"))
    where = f"Dask ({cfg.dask})" if cfg.dask else f"{cfg.jobs} local worker(s)"
    memory = f"{cfg.memory_limit_mb} MiB" if cfg.memory_limit_mb else "none"
    runs = [a for a in argv if a != "--report-only"]
    again = " (this report regenerated from its results with `--report-only`)" if len(runs) < len(argv) else ""
    return [
        f"Command: `{' '.join(shlex.quote(a) for a in runs)}`{again}",
        "",
        f"Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; machine: {machine_description()}; "
        f"{where}; time limit {cfg.time_limit:g} s; memory limit {memory}; "
        f"PAR-{cfg.par:g} and shifted geometric means (shift {cfg.time_shift:g} s) count unsolved runs "
        f"at {cfg.par:g}x and 1x the limit.",
        "",
        "Solvers: " + "; ".join(f"`{k}` = {v}" for k, v in versions.items()),
        ""]


SECTION_BEGIN = "<!-- satmip bench {name}: begin -->"
SECTION_END = "<!-- satmip bench {name}: end -->"


def write_markdown(path: str, name: str, text: str) -> None:
    """Replace this benchmark's section of the file, append one, or create the file."""
    write_section(path, SECTION_BEGIN.format(name=name), SECTION_END.format(name=name), text)


def report(cfg: BenchConfig, records: list[dict], argv) -> int:
    from . import report as rep
    labels = [s.label for s in cfg.solvers]
    if cfg.baseline:
        labels = [cfg.baseline] + [x for x in labels if x != cfg.baseline]
    present = [x for x in labels if any(r["solver"] == x for r in records)]
    if not records:
        print("no results yet", file=sys.stderr)
        return EXIT_OK
    summary = rep.summarize(records, solvers=present, par=cfg.par, time_shift=cfg.time_shift,
                            node_shift=cfg.node_shift, obj_tol=cfg.objective_tolerance)
    print(summary.to_terminal())
    if cfg.markdown:
        write_markdown(cfg.markdown, cfg.name, summary.to_markdown(header_lines=_header_lines(cfg, records, argv)))
    if cfg.csv:
        summary.to_csv(cfg.csv)
    if cfg.runs_csv:
        rep.write_runs_csv(records, cfg.runs_csv)
    if cfg.plots:
        from .plots import plot_all
        for path in plot_all(records, cfg.plots, solvers=present, baseline=present[0]):
            print(f"plot: {path}")
    problems = rep.disagreements(records, obj_tol=cfg.objective_tolerance)
    return EXIT_WRONG if problems else EXIT_OK


def _shared_folder_hint(config_path) -> str:
    """A configuration that reads the shared benchmark folder (not part of the repository)
    and misses some of its instances: say where that folder is looked for (on the error's line)."""
    try:
        with open(config_path, encoding="utf-8") as f:
            uses_shared = "SATMIP_SHARED" in f.read()
        sources = bench_config.load_toml(config_path).instances
    except (TypeError, OSError, BenchConfigError):
        return ""
    if not uses_shared or all(os.path.exists(s) or any(c in s for c in "*?[") for s in sources):
        return ""
    where = os.environ.get("SATMIP_SHARED")
    return ("; the configuration reads the shared benchmark folder, which is not part of the repository: "
            "set SATMIP_SHARED to the folder holding benchmarks/ "
            + (f"(now {where})" if where else "(unset, so ../shared beside the repository is used)"))


def main(args, argv=None) -> int:
    argv = ["satmip", "bench"] + list(argv if argv is not None else sys.argv[2:])
    try:
        cfg = build_config(args)
        records = run_benchmark(cfg, progress=not args.no_progress, report_only=args.report_only)
    except BenchConfigError as exc:
        print(f"satmip bench: error: {exc}{_shared_folder_hint(args.config)}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        print("\nsatmip bench: interrupted; finished runs are in the results file, "
              "run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    return report(cfg, records, argv)
