"""Write a family's instances as compressed MPS, with a manifest:

    python -m satmip.learn.instances FAMILY --size easy|medium|hard --count N --seed S --out DIR

Instance k (k = 0..N-1) is generate(FAMILY, SIZE, S + k), written to
DIR/FAMILY_SIZE_SEED.mps.gz; DIR/manifest.csv has one row per file (path, family,
size, seed, rows, cols, nnz: the benchmark harness's manifest, so `satmip bench -i DIR`
runs the folder by family and `satmip.bench.paired --group size` groups by size). A rerun skips the files already there (an interrupted run
leaves no partial file: each is written aside and renamed), so it resumes, and a larger
--count or another family or size extends the folder.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from typing import Optional

from ...mps import read_mps
from . import FAMILIES, SIZES, generate, write_mps

MANIFEST = "manifest.csv"
COLUMNS = ("path", "family", "size", "seed", "rows", "cols", "nnz")


def file_name(family: str, size: str, seed: int) -> str:
    return f"{family}_{size}_{seed}.mps.gz"


def read_manifest(out: str) -> dict[str, dict]:
    """The manifest's rows by name, those whose file is still there."""
    try:
        with open(os.path.join(out, MANIFEST), newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        return {}
    return {r["path"]: r for r in rows if os.path.exists(os.path.join(out, r["path"]))}


def write_manifest(out: str, rows: dict[str, dict]) -> None:
    ordered = sorted(rows.values(), key=lambda r: (r["family"], r["size"], int(r["seed"])))
    partial = os.path.join(out, MANIFEST + ".partial")
    with open(partial, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({k: r[k] for k in COLUMNS} for r in ordered)
    os.replace(partial, os.path.join(out, MANIFEST))


def manifest_row(name: str, family: str, size: str, seed: int, rows: int, cols: int, nnz: int) -> dict:
    return {"path": name, "family": family, "size": size, "seed": seed, "rows": rows, "cols": cols, "nnz": nnz}


def build(family: str, size: str, count: int, seed: int, out: str, progress: bool = False) -> dict:
    """Generate what DIR lacks; returns {"written": n, "skipped": n, "seconds": s}."""
    os.makedirs(out, exist_ok=True)
    rows = read_manifest(out)
    written = skipped = 0
    started = time.monotonic()
    try:
        for k, s in enumerate(range(seed, seed + count)):
            name = file_name(family, size, s)
            path = os.path.join(out, name)
            if os.path.exists(path):
                skipped += 1
                if name not in rows:   # written by a run stopped before its manifest
                    data = read_mps(path)
                    rows[name] = manifest_row(name, family, size, s, data.num_rows, data.num_cols,
                                              data.num_nonzeros)
                continue
            model = generate(family, size, s)
            write_mps(model, path)
            rows[name] = manifest_row(name, family, size, s, model.num_rows, model.num_cols,
                                      model.num_nonzeros)
            written += 1
            if progress:
                print(f"\r[{k + 1}/{count}] {name}", end="", file=sys.stderr, flush=True)
    finally:
        if progress and written:
            print(file=sys.stderr)
        write_manifest(out, rows)
    return {"written": written, "skipped": skipped, "seconds": time.monotonic() - started}


def parse_args(argv: Optional[list] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m satmip.learn.instances", description=__doc__.split("\n\n")[0])
    p.add_argument("family", choices=list(FAMILIES), help="instance family")
    p.add_argument("--size", choices=SIZES, default="easy", help="the paper's size (default easy)")
    p.add_argument("--count", type=int, default=10, metavar="N", help="instances (default 10)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seeds S .. S+N-1 (default 0)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder (created; resumed if it exists)")
    p.add_argument("--no-progress", action="store_true", help="no progress line on a terminal")
    args = p.parse_args(argv)
    if args.count < 1 or args.seed < 0:
        p.error("--count must be at least 1 and --seed at least 0")
    return args


def main(argv: Optional[list] = None) -> int:
    args = parse_args(argv)
    done = build(args.family, args.size, args.count, args.seed, args.out,
                 progress=not args.no_progress and sys.stderr.isatty())
    print(f"{args.out}: {done['written']} {args.family} {args.size} instance(s) written, "
          f"{done['skipped']} already there, {done['seconds']:.1f} s; {MANIFEST} updated")
    return 0
