"""Collect strong-branching samples for imitation learning, as learn2branch does
(docs/learning.md, "Branching samples"):

    python -m satmip.learn.collect_samples --instances DIR --out DIR --samples N \\
        [--workers K] [--dask ADDRESS|local] [--rate 0.05] [--layout satmip|ecole]

An episode is one solve of one instance (``*.mps``/``*.mps.gz`` of --instances) with one
seed: at each branching node the expert (full strong branching) is queried with
probability --rate, its sample recorded and its choice followed; elsewhere the default
rule (pseudocost) branches. Cuts only at the root (satmip's cut loop runs only there;
--no-cuts drops them). Samples stream to OUT/samples/INSTANCE-sSEED.npz as they come
(satmip.learn.sample_files). Episodes run in rounds, round r giving every instance seed
--seed + r, until N samples are in OUT; they run on --workers processes or a Dask cluster
(the benchmark harness's executor), with its progress line on a terminal. A rerun resumes:
an episode whose file is complete is skipped, a partial one (``.part``) is redone, and
OUT/records.jsonl has a record per finished episode. --stop-after S starts no episode after
S seconds (the running ones finish; with --dask a round is submitted at once, so it stops
between rounds): a time slice of a longer collection, which a rerun extends.
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
import time
import traceback
from typing import Optional

from ..bench.execute import execute
from ..bench.progress import Progress
from ..bench.store import ResultStore
from .sample_files import LAYOUTS, SampleWriter, is_complete

MPS_PATTERNS = ("*.mps", "*.mps.gz", "*.MPS", "*.MPS.gz")


class _EpisodeFull(Exception):
    """Raised by the sink when an episode has its --per-episode samples: stops the solve."""


def instance_name(path: str) -> str:
    base = os.path.basename(path)
    for suffix in (".gz", ".mps", ".MPS"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    return base


def episode_key(instance: str, seed: int) -> str:
    return f"{instance}-s{seed}"


def sample_path(out: str, key: str) -> str:
    return os.path.join(out, "samples", key + ".npz")


def collect_episode(job: dict) -> dict:
    """The worker's job: one episode end to end; never raises (an ERROR record)."""
    from ..model import Model
    record = {k: job[k] for k in ("key", "instance", "seed")}
    record.update(solver="collect", status="ERROR")
    writer = None
    try:
        started, cpu_start = time.monotonic(), time.process_time()
        model = Model.from_mps(job["path"])
        writer = SampleWriter(job["file"], instance=job["instance"], seed=job["seed"], layout=job["layout"])
        cap = job["per_episode"]

        def sink(sample: dict) -> None:
            writer.add(sample)
            if cap is not None and writer.count >= cap:
                raise _EpisodeFull

        full = False
        try:
            result = model.solve(time_limit=job["time_limit"], seed=job["seed"], cuts=job["cuts"],
                                 record_samples=True, sample_rate=job["rate"], sample_follow_expert=True,
                                 on_sample=sink, strong_branching_iterations=job["sb_iterations"])
        except _EpisodeFull:
            full, result = True, None
        seconds, cpu = time.monotonic() - started, time.process_time() - cpu_start
        if result is not None and result.status == "interrupted":   # Ctrl-C: an unfinished episode
            writer.abort()
            record.update(status="INTERRUPTED", time=seconds)
            return record
        writer.close(time=seconds, rate=job["rate"], cuts=job["cuts"])
        record.update(status="DONE", samples=writer.count, time=seconds, cpu_time=cpu, episode_full=full)
        if result is not None:
            record.update(solve_status=result.status, nodes=result.nodes, expert_calls=result.expert_calls,
                          lp_iterations=result.lp_iterations, node_state_builds=result.node_state_builds,
                          node_state_time=result.node_state_time,
                          node_state_static_builds=result.node_state_static_builds)
    except Exception as exc:  # noqa: BLE001 - the job must become a record
        if writer is not None:
            writer.abort()
        record.update(status="ERROR", error=f"{type(exc).__name__}: {exc}\n" + traceback.format_exc(limit=4))
    return record


def find_instances(folder: str) -> list[str]:
    paths = sorted({p for pattern in MPS_PATTERNS for p in glob.glob(os.path.join(folder, pattern))})
    if not paths:
        raise SystemExit(f"collect_samples: no MPS files (*.mps, *.mps.gz) in {folder}")
    return paths


def episode_jobs(args, instances: list[str], seed: int) -> list[dict]:
    out = os.path.abspath(args.out)
    jobs = []
    for path in instances:
        name = instance_name(path)
        key = episode_key(name, seed)
        jobs.append({"key": key, "instance": name, "seed": seed, "path": os.path.abspath(path),
                     "file": sample_path(out, key), "layout": args.layout, "rate": args.rate,
                     "cuts": args.cuts, "time_limit": args.time_limit, "per_episode": args.per_episode,
                     "sb_iterations": args.strong_branching_iterations})
    return jobs


class SampleProgress(Progress):
    """The harness's progress line, counting samples instead of solved runs."""

    def __init__(self, target: int, have: int, **kw):
        super().__init__(target, **kw)
        self.samples = have

    def update(self, record: dict) -> None:
        self.samples += record.get("samples", 0) if record["status"] == "DONE" else 0
        if self.enabled and not self.tty:   # a log: one line per episode
            self.done += 1
            self.failed += record["status"] == "ERROR"
            self.stream.write(f"[{self.samples}/{self.total} samples] {record['key']} {record['status']} "
                              f"{record.get('samples', 0)} samples {record.get('time', 0.0):.1f} s\n")
            self.stream.flush()
            return
        super().update(record)

    def _bar(self, width: int = 24) -> str:
        frac = min(self.samples / self.total, 1.0) if self.total else 1.0
        filled = int(round(frac * width))
        elapsed = time.monotonic() - self.t0
        return (f"[{'#' * filled}{'.' * (width - filled)}] {self.samples}/{self.total} samples, "
                f"{self.done} episodes, {self.failed} errors, {elapsed:.0f} s")


def _until(jobs: list, deadline: Optional[float]):
    """The jobs, lazily, none once the clock passes deadline (executors submit as slots free)."""
    for job in jobs:
        if deadline is not None and time.monotonic() >= deadline:
            return
        yield job


def collect(args, progress: bool = True) -> dict:
    """Runs rounds of episodes until OUT holds --samples samples (or --max-rounds, or
    --stop-after); returns {"samples", "episodes", "new_samples", "seconds", "errors", "stopped"}."""
    instances = find_instances(args.instances)
    store = ResultStore(os.path.join(args.out, "records.jsonl"))
    recorded = {r["key"]: r for r in store.records() if r.get("status") == "DONE"}
    have, episodes, errors, new = 0, 0, 0, 0
    started = time.monotonic()
    deadline = None if args.stop_after is None else started + args.stop_after
    stopped = False
    bar: Optional[SampleProgress] = None
    for round_ in range(args.max_rounds):
        jobs = episode_jobs(args, instances, args.seed + round_)
        todo = []
        for job in jobs:
            if job["key"] in recorded and is_complete(job["file"]):
                have += recorded[job["key"]]["samples"]
                episodes += 1
            else:
                todo.append(job)
        if have >= args.samples:
            break
        if bar is None:
            if episodes:
                print(f"resuming: {episodes} episode(s) with {have} samples already in {args.out}", file=sys.stderr)
            bar = SampleProgress(args.samples, have, enabled=progress)

        def finished(record: dict) -> None:
            nonlocal have, new, episodes, errors
            store.append(record)
            bar.update(record)
            if record["status"] == "DONE":
                have += record["samples"]
                new += record["samples"]
                episodes += 1
            else:
                errors += 1
                print(f"\n{record['key']}: {record['status']} {record.get('error', '').splitlines()[:1]}",
                      file=sys.stderr)

        before = have
        try:
            if todo and deadline is not None and time.monotonic() >= deadline:
                stopped = True
            else:
                execute(_until(todo, deadline), args.workers, finished, args.dask, run=collect_episode,
                        processes=True)
        finally:
            stopped = stopped or (deadline is not None and time.monotonic() >= deadline)
            stalled = bool(todo) and have == before and not stopped
            if have >= args.samples or round_ + 1 == args.max_rounds or stalled or stopped:
                bar.close()
        if have >= args.samples or stopped:
            break
        if stalled:
            print(f"collect_samples: round {round_} gave no sample (errors, or instances solved without "
                  "branching): stopping", file=sys.stderr)
            break
    return {"samples": have, "episodes": episodes, "new_samples": new, "errors": errors,
            "seconds": time.monotonic() - started, "stopped": stopped}


def parse_args(argv: Optional[list] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m satmip.learn.collect_samples", description=__doc__.split("\n\n")[0])
    p.add_argument("--instances", required=True, metavar="DIR", help="folder of MPS files (*.mps, *.mps.gz)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created; resumed if it exists)")
    p.add_argument("--samples", type=int, required=True, metavar="N", help="samples to collect in all")
    p.add_argument("--rate", type=float, default=0.05, help="probability of querying the expert at a node (0.05)")
    p.add_argument("--layout", choices=LAYOUTS, default="satmip",
                   help="satmip's state or Ecole's NodeBipartite layout (default satmip)")
    p.add_argument("--seed", type=int, default=0, help="round r's episodes use seed SEED + r (default 0)")
    p.add_argument("--no-cuts", dest="cuts", action="store_false", help="no root cuts either")
    p.add_argument("--time-limit", type=float, default=600.0, metavar="S", help="per episode (default 600)")
    p.add_argument("--per-episode", type=int, default=None, metavar="K",
                   help="stop an episode after K samples (default: the solve's end)")
    p.add_argument("--strong-branching-iterations", type=int, default=100, metavar="K",
                   help="LP iteration cap per strong-branching child (default 100)")
    p.add_argument("--stop-after", type=float, default=None, metavar="S",
                   help="start no episode after S seconds (a time slice; a rerun goes on)")
    p.add_argument("--max-rounds", type=int, default=1000, metavar="R", help="rounds of episodes at most (1000)")
    p.add_argument("--workers", "-j", type=int, default=1, metavar="K", help="worker processes (default 1)")
    p.add_argument("--dask", metavar="ADDRESS", help="run on a Dask cluster at ADDRESS, or 'local'")
    p.add_argument("--no-progress", action="store_true", help="no progress output")
    args = p.parse_args(argv)
    if not 0 < args.rate <= 1:
        p.error("--rate must be within (0, 1]")
    if args.samples < 1 or args.workers < 1 or args.max_rounds < 1:
        p.error("--samples, --workers and --max-rounds must be at least 1")
    if args.stop_after is not None and args.stop_after < 0:
        p.error("--stop-after must be at least 0")
    if args.per_episode is not None and args.per_episode < 1:
        p.error("--per-episode must be at least 1")
    return args


def main(argv: Optional[list] = None) -> int:
    args = parse_args(argv)
    summary = collect(args, progress=not args.no_progress)
    rate = summary["new_samples"] / summary["seconds"] if summary["seconds"] > 0 else 0.0
    print(f"{args.out}: {summary['samples']} samples in {summary['episodes']} episodes "
          f"({summary['new_samples']} new in {summary['seconds']:.1f} s, {rate:.2f} samples/s"
          f"{', ' + str(summary['errors']) + ' errors' if summary['errors'] else ''}"
          f"{', stopped by --stop-after' if summary['stopped'] else ''})")
    return 0 if summary["samples"] >= args.samples else 1


if __name__ == "__main__":
    sys.exit(main())
