"""Benchmark sets: folders, globs, single files and manifest CSVs become Instances.

A manifest (such as ``shared/benchmarks/sat/manifest.csv``) names files relative to
its own folder and may carry what is known about each: ``status`` (SAT / UNSAT /
optimal / infeasible), ``family`` and ``optimal_objective``. Files it names that
do not exist stay in the set: running them records an ERROR, which is what a
benchmark organiser wants to see rather than a silently shorter table.
"""
from __future__ import annotations

import csv
import fnmatch
import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .errors import BenchConfigError

SAT_SUFFIXES = (".cnf", ".dimacs")
MIP_SUFFIXES = (".mps", ".qps", ".lp")
COMPRESSION_SUFFIXES = (".gz", ".xz", ".bz2", ".lzma")

# Manifest spellings of known statuses -> the harness's vocabulary.
_STATUS_WORDS = {
    "sat": "SAT", "satisfiable": "SAT", "10": "SAT",
    "unsat": "UNSAT", "unsatisfiable": "UNSAT", "20": "UNSAT",
    "optimal": "OPTIMAL", "infeasible": "INFEASIBLE", "unbounded": "UNBOUNDED",
    "": None, "unknown": None, "-": None, "?": None,
}


@dataclass(frozen=True)
class Instance:
    path: str                       # absolute path of the file
    name: str                       # path relative to the set's root: the id in results
    kind: str                       # "sat" or "mip"
    family: Optional[str] = None
    expected: Optional[str] = None  # known status, harness vocabulary
    optimal_objective: Optional[float] = None


def kind_of(path: str) -> Optional[str]:
    """'sat' for DIMACS, 'mip' for MPS/LP files (compressed or not), else None."""
    name = path.lower()
    for suffix in COMPRESSION_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name.endswith(SAT_SUFFIXES):
        return "sat"
    if name.endswith(MIP_SUFFIXES):
        return "mip"
    return None


def normalize_status(word: str, where: str) -> Optional[str]:
    key = (word or "").strip().lower()
    if key not in _STATUS_WORDS:
        raise BenchConfigError(f"{where}: unknown status '{word}' "
                               f"(expected one of SAT, UNSAT, optimal, infeasible, unknown)")
    return _STATUS_WORDS[key]


def read_manifest(path: str) -> list[Instance]:
    root = Path(path).resolve().parent
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise BenchConfigError(f"cannot read manifest {path}: {exc.strerror}") from None
    if not rows:
        return []
    if "path" not in rows[0]:
        raise BenchConfigError(f"{path}: a manifest needs a 'path' column")
    instances = []
    for lineno, row in enumerate(rows, start=2):
        where = f"{path}:{lineno}"
        name = (row.get("path") or "").strip()
        if not name:
            raise BenchConfigError(f"{where}: empty path")
        kind = kind_of(name)
        if kind is None:
            raise BenchConfigError(f"{where}: '{name}' is neither a CNF nor an MPS file")
        instances.append(Instance(
            path=str(root / name), name=name, kind=kind,
            family=(row.get("family") or "").strip() or None,
            expected=normalize_status(row.get("status", ""), where),
            optimal_objective=_parse_float(row.get("optimal_objective"), where)))
    return instances


def _parse_float(text: Optional[str], where: str) -> Optional[float]:
    if text is None or not text.strip() or text.strip() in ("-", "?"):
        return None
    try:
        return float(text)
    except ValueError:
        raise BenchConfigError(f"{where}: optimal_objective '{text}' is not a number") from None


def _files_below(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and kind_of(p.name))


def _from_folder(folder: Path) -> list[Instance]:
    manifest = folder / "manifest.csv"
    if manifest.is_file():
        return read_manifest(str(manifest))
    return [Instance(path=str(p), name=str(p.relative_to(folder)), kind=kind_of(p.name))
            for p in _files_below(folder)]


def _is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def collect(sources: Iterable[str]) -> list[Instance]:
    """Instances from each source, in order, without duplicates (first one wins).

    A source is a manifest (``*.csv``), a folder (its manifest.csv if it has one,
    else every CNF/MPS file below it), a glob, or one file. A folder or glob that
    matches nothing is a configuration error; a single file that is missing stays
    in the set and its runs are recorded as errors.
    """
    seen: dict[str, Instance] = {}
    for source in sources:
        for inst in _from_source(str(source)):
            seen.setdefault(inst.path, inst)
    return list(seen.values())


def _from_source(source: str) -> list[Instance]:
    if source.lower().endswith(".csv"):
        return read_manifest(source)
    if os.path.isdir(source):
        found = _from_folder(Path(source).resolve())
        if not found:
            raise BenchConfigError(f"no CNF or MPS files in folder {source}")
        return found
    if _is_glob(source):
        paths = sorted(p for p in glob.glob(source, recursive=True)
                       if os.path.isfile(p) and kind_of(p))
        if not paths:
            raise BenchConfigError(f"the pattern {source} matches no CNF or MPS file")
        return [Instance(path=os.path.abspath(p), name=os.path.basename(p), kind=kind_of(p))
                for p in paths]
    kind = kind_of(source)
    if kind is None:
        raise BenchConfigError(f"{source}: not a CNF or MPS file name (.cnf, .mps, "
                               f"optionally .gz/.xz/.bz2), a folder, a glob or a manifest .csv")
    return [Instance(path=os.path.abspath(source), name=os.path.basename(source), kind=kind)]


def select(instances: list[Instance], patterns: Iterable[str] = (),
           families: Iterable[str] = (), subset: Optional[int] = None) -> list[Instance]:
    """Keep instances whose name matches any pattern and whose family is listed;
    then at most `subset` of them, taken round-robin over families so that a
    small subset still covers every family."""
    patterns, families = list(patterns), set(families)
    kept = [i for i in instances
            if (not patterns or any(fnmatch.fnmatch(i.name, p) for p in patterns))
            and (not families or i.family in families)]
    if families and not kept:
        raise BenchConfigError(f"no instance in families {sorted(families)}")
    if subset is None or subset >= len(kept):
        return kept
    by_family: dict[Optional[str], list[Instance]] = {}
    for inst in kept:
        by_family.setdefault(inst.family, []).append(inst)
    queues, picked = list(by_family.values()), []
    while len(picked) < subset:
        for queue in queues:
            if queue and len(picked) < subset:
                picked.append(queue.pop(0))
    return picked
