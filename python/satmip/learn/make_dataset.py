"""Build the phase dataset: generate, label, store (docs/learning.md).

    python -m satmip.learn.make_dataset --out DIR --families planted_ksat,factoring \\
        --sizes small,medium --count 100 --seed 0 --workers 2 [--dask local|ADDRESS]

Each (family, size, seed) is one job on a worker process (or a Dask worker):
generate, label with one incremental satmip Solver under a budget, write
DIR/instances/KEY.npz and DIR/cnf/KEY.cnf.xz, and return a record that the
parent appends to DIR/records.jsonl (the bench harness's store, progress line
and executor). A rerun skips every key already recorded (labelled, dropped over
budget or UNSAT; failures are retried) and rewrites DIR/manifest.json.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from typing import Optional

from ..bench.execute import execute
from ..bench.progress import Progress
from ..bench.store import ResultStore
from . import dataset
from .backbone import Budget, extract
from .families import FAMILIES, TIERS, generate, resolve_size

DONE = ("SAT", "UNSAT", "DROPPED")  # statuses a rerun does not try again


def label_instance(job: dict) -> dict:
    """The worker's job: one instance end to end; never raises (an ERROR record)."""
    record = {k: job[k] for k in ("key", "family", "size", "seed")}
    record.update(solver=job["family"], instance=job["key"])
    try:
        started = time.monotonic()
        cnf = generate(job["family"], job["size"], job["seed"])
        generated = time.monotonic()
        labels = extract(cnf, Budget(job["time_limit"], job["conflict_limit"]),
                         models=job["models"], seed=job["seed"])
        record.update(nvars=cnf.nvars, nclauses=cnf.nclauses, gen_time=generated - started,
                      label_time=labels.seconds, solves=labels.solves, conflicts=labels.conflicts,
                      time=generated - started + labels.seconds)
        status = {"sat": "SAT", "unsat": "UNSAT", "budget": "DROPPED"}[labels.status]
        record["status"] = status
        if status != "SAT":
            return record
        record["backbone"] = int((labels.backbone != 0).sum())
        meta = {k: record[k] for k in ("key", "family", "size", "seed", "gen_time", "label_time",
                                       "solves", "conflicts")}
        meta.update(models=labels.models, time_limit=job["time_limit"],
                    conflict_limit=job["conflict_limit"])
        out = job["out"]
        dataset.write_dimacs_xz(os.path.join(out, "cnf", job["key"] + ".cnf.xz"), cnf,
                                comment=f"satmip.learn {job['key']}")
        dataset.write_instance(os.path.join(out, "instances", job["key"] + ".npz"), cnf,
                               labels.backbone, labels.majority, meta)
    except Exception as exc:  # noqa: BLE001 - the job must become a record
        record.update(status="ERROR", error=f"{type(exc).__name__}: {exc}\n"
                                            + traceback.format_exc(limit=4))
    return record


def plan(args) -> list[dict]:
    jobs = []
    for family in args.families:
        for tier in args.sizes:
            size = resolve_size(family, tier)
            for seed in range(args.seed, args.seed + args.count):
                jobs.append({"key": dataset.instance_key(family, size, seed), "family": family,
                             "size": size, "seed": seed, "out": os.path.abspath(args.out),
                             "time_limit": args.time_limit, "conflict_limit": args.conflict_limit,
                             "models": args.models})
    return jobs


def _done(records: list, out: str) -> dict:
    """Recorded keys that need no rerun (a labelled one only with its file)."""
    keep = {}
    for r in records:
        if r.get("status") not in DONE:
            continue
        if r["status"] == "SAT" and not os.path.exists(os.path.join(out, "instances", r["key"] + ".npz")):
            continue
        keep[r["key"]] = r
    return keep


def build(args, progress: bool = True) -> dict:
    """Run what DIR lacks, then rewrite the manifest; returns the manifest."""
    jobs = plan(args)
    store = ResultStore(os.path.join(args.out, "records.jsonl"))
    done = _done(store.records(), args.out)
    todo = [j for j in jobs if j["key"] not in done]
    if len(todo) < len(jobs):
        print(f"resuming: {len(jobs) - len(todo)} instance(s) already in {args.out}, "
              f"{len(todo)} to go", file=sys.stderr)
    bar = Progress(len(todo), enabled=progress)

    def finished(record):
        store.append(record)
        done[record["key"]] = record
        bar.update(record)

    try:
        execute(todo, args.workers, finished, args.dask, run=label_instance, processes=True)
    finally:
        bar.close()
    wanted = {j["key"] for j in jobs}
    # The manifest covers every instance of DIR, this run's and earlier runs'.
    everything = [r for r in _done(store.records(), args.out).values()]
    settings = {k: getattr(args, k) for k in ("seed", "time_limit", "conflict_limit", "models")}
    manifest = dataset.write_manifest(args.out, everything, args.holdout, settings)
    failed = [r for r in store.records() if r["key"] in wanted and r.get("status") == "ERROR"]
    for r in failed[:3]:
        print(f"{r['key']}: {r.get('error', '').splitlines()[0]}", file=sys.stderr)
    return manifest


def _list(text: str) -> list[str]:
    return [x for x in text.replace(",", " ").split() if x]


def _previous_holdout(out: str, default: str) -> str:
    """The held-out family of an existing dataset: a rerun that extends it with
    other families must not move that family's instances into training."""
    try:
        with open(os.path.join(out, "manifest.json")) as f:
            return json.load(f)["holdout"] or "none"
    except (OSError, ValueError, KeyError):
        return default


def parse_args(argv: Optional[list] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m satmip.learn.make_dataset", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, metavar="DIR", help="dataset folder (created; resumed if it exists)")
    p.add_argument("--families", type=_list, default=list(FAMILIES), metavar="LIST",
                   help=f"comma-separated (default all: {', '.join(FAMILIES)})")
    p.add_argument("--sizes", type=_list, default=["small"], metavar="LIST",
                   help=f"tiers ({', '.join(TIERS)}) or a family's own size parameter (default small)")
    p.add_argument("--count", type=int, default=10, metavar="N", help="instances per family and size (default 10)")
    p.add_argument("--seed", type=int, default=0, help="seeds SEED .. SEED+N-1 (default 0)")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                   help="labelling budget per instance in seconds; over it the instance is dropped (default 60)")
    p.add_argument("--conflict-limit", type=int, default=None, metavar="N",
                   help="labelling budget per instance in conflicts (default none)")
    p.add_argument("--models", type=int, default=4, metavar="K",
                   help="random-phase models for the majority phases, besides the first (default 4)")
    p.add_argument("--holdout", default=None, metavar="FAMILY",
                   help="family kept out of training: all its instances get split 'holdout' "
                        "(default: the dataset's, else the last of --families; 'none' for none)")
    p.add_argument("--workers", "-j", type=int, default=1, metavar="K", help="worker processes (default 1)")
    p.add_argument("--dask", metavar="ADDRESS", help="run on a Dask cluster at ADDRESS, or 'local'")
    p.add_argument("--no-progress", action="store_true", help="no progress output")
    args = p.parse_args(argv)
    for family in args.families:
        if family not in FAMILIES:
            p.error(f"unknown family '{family}'; known: {', '.join(FAMILIES)}")
    try:
        for family in args.families:
            for tier in args.sizes:
                resolve_size(family, tier)
    except ValueError as err:
        p.error(str(err))
    if args.holdout is None:
        args.holdout = _previous_holdout(args.out, default=args.families[-1] if len(args.families) > 1 else "none")
    if args.holdout == "none":
        args.holdout = None
    elif args.holdout not in FAMILIES:
        p.error(f"unknown --holdout family '{args.holdout}'; known: {', '.join(FAMILIES)}")
    if args.count < 1 or args.workers < 1 or args.models < 0:
        p.error("--count and --workers must be at least 1, --models at least 0")
    return args


def main(argv: Optional[list] = None) -> int:
    args = parse_args(argv)
    manifest = build(args, progress=not args.no_progress)
    splits: dict = {}
    for inst in manifest["instances"]:
        splits[inst["split"]] = splits.get(inst["split"], 0) + 1
    dropped = sum(c.get("DROPPED", 0) for c in manifest["counts"].values())
    print(f"{args.out}: {len(manifest['instances'])} labelled instance(s) "
          f"({', '.join(f'{k} {v}' for k, v in sorted(splits.items())) or 'none'}), "
          f"{dropped} dropped over budget; manifest.json written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
