"""The dataset on disk (docs/learning.md, "The dataset"):

    DIR/instances/KEY.npz   one labelled formula (write_instance / read_instance)
    DIR/cnf/KEY.cnf.xz      the same formula as DIMACS, for solvers and `satmip bench`
    DIR/records.jsonl       one record per instance tried (labelled, dropped, ...)
    DIR/manifest.json       the labelled instances, each with its split

KEY = FAMILY-SIZE-SEED. The labels belong to the raw formula (the clauses as
generated, `satmip.incidence(..., kind="raw")`), the graph a model sees.
"""
from __future__ import annotations

import hashlib
import json
import lzma
import os
from typing import Iterator, NamedTuple, Optional

import numpy as np

from ..dimacs import Cnf

FORMAT = 1
SPLITS = ("train", "validation", "test")


class Instance(NamedTuple):
    cnf: Cnf
    backbone: np.ndarray   # int8 [nvars + 1]: +1 / -1 backbone phase, 0 not backbone
    majority: np.ndarray   # int8 [nvars + 1]: majority phase over a few models
    meta: dict


def instance_key(family: str, size: int, seed: int) -> str:
    return f"{family}-{size}-{seed}"


def _replace_atomically(path: str, write) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_instance(path: str, cnf: Cnf, backbone: np.ndarray, majority: np.ndarray,
                   meta: dict) -> None:
    meta = dict(meta, format=FORMAT, incidence="raw")

    def write(tmp):
        with open(tmp, "wb") as f:
            np.savez_compressed(f, lits=np.asarray(cnf.lits, np.int32), nvars=np.int64(cnf.nvars),
                                backbone=backbone.astype(np.int8), majority=majority.astype(np.int8),
                                meta=np.frombuffer(json.dumps(meta).encode(), np.uint8))
    _replace_atomically(path, write)


def read_instance(path: str) -> Instance:
    with np.load(path) as z:
        meta = json.loads(bytes(z["meta"]).decode())
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: dataset format {meta.get('format')}, this satmip reads {FORMAT}")
        lits = z["lits"]
        cnf = Cnf(int(z["nvars"]), lits, int((lits == 0).sum()))
        return Instance(cnf, z["backbone"], z["majority"], meta)


def load_manifest(out: str) -> dict:
    with open(os.path.join(out, "manifest.json")) as f:
        manifest = json.load(f)
    if manifest.get("format") != FORMAT:
        raise ValueError(f"{out}: dataset format {manifest.get('format')}, this satmip reads {FORMAT}")
    return manifest


def instances(out: str, split: Optional[str] = None) -> Iterator[tuple[dict, Instance]]:
    """(manifest entry, instance) of each labelled instance of DIR, in key order,
    only those of one split if given (train, validation, test, holdout)."""
    if split is not None and split not in SPLITS + ("holdout",):
        raise ValueError(f"split must be one of {', '.join(SPLITS + ('holdout',))}; got {split!r}")
    for entry in load_manifest(out)["instances"]:
        if split is None or entry["split"] == split:
            yield entry, read_instance(os.path.join(out, entry["npz"]))


def write_dimacs_xz(path: str, cnf: Cnf, comment: str = "") -> None:
    """DIMACS text, xz-compressed (satmip and the bench read it as is)."""
    lits = np.asarray(cnf.lits)
    ends = np.flatnonzero(lits == 0)
    starts = np.concatenate([[0], ends[:-1] + 1])
    lines = [f"c {comment}\n" if comment else "", f"p cnf {cnf.nvars} {cnf.nclauses}\n"]
    text = lits.astype(str)
    lines += [" ".join(text[a:b + 1]) + "\n" for a, b in zip(starts, ends)]

    def write(tmp):
        with lzma.open(tmp, "wt") as f:
            f.writelines(lines)
    _replace_atomically(path, write)


def split_of(key: str, family: str, holdout: Optional[str],
             fractions: tuple = (0.8, 0.1, 0.1)) -> str:
    """The split of an instance: "holdout" for every instance of the held-out
    family (never trained on: the transfer test), else train / validation / test
    by a hash of its key, so a split never changes when the dataset grows."""
    if family == holdout:
        return "holdout"
    u = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "little") / 2.0 ** 64
    edges = np.cumsum(fractions)
    for name, edge in zip(SPLITS, edges):
        if u < edge:
            return name
    return SPLITS[-1]


def write_manifest(out: str, records: list, holdout: Optional[str], settings: dict) -> dict:
    """manifest.json: the labelled instances and their splits, and counts per
    family and size of what was labelled, dropped over budget, UNSAT, failed."""
    instances: list = []
    counts: dict = {}
    for r in sorted(records, key=lambda r: r["key"]):
        c = counts.setdefault(f"{r['family']}-{r['size']}", {})
        c[r["status"]] = c.get(r["status"], 0) + 1
        if r["status"] != "SAT":
            continue
        instances.append({"key": r["key"], "family": r["family"], "size": r["size"],
                          "seed": r["seed"], "split": split_of(r["key"], r["family"], holdout),
                          "npz": f"instances/{r['key']}.npz", "cnf": f"cnf/{r['key']}.cnf.xz",
                          "nvars": r["nvars"], "nclauses": r["nclauses"],
                          "backbone": r["backbone"]})
    manifest = {"format": FORMAT, "incidence": "raw", "holdout": holdout, "settings": settings,
                "counts": counts, "instances": instances}

    def write(tmp):
        with open(tmp, "w") as f:
            json.dump(manifest, f, indent=1)
    _replace_atomically(os.path.join(out, "manifest.json"), write)
    return manifest


def dual(inst: Instance) -> Instance:
    """NeuroBack's dual formula (LEARNED.md A.3): every literal of a backbone
    variable negated. It is satisfiable, its backbone is the same variables with
    the opposite phases, and the other variables keep their values in the models
    (the flipped variables are constant), so one instance and its dual balance the
    backbone phases 50/50 for training at no labelling cost."""
    flip = inst.backbone != 0
    lits = np.array(inst.cnf.lits, copy=True)
    lits[flip[np.abs(lits)]] *= -1
    majority = np.where(flip, -inst.majority, inst.majority).astype(np.int8)
    meta = dict(inst.meta, dual=not inst.meta.get("dual", False))
    return Instance(Cnf(inst.cnf.nvars, lits, inst.cnf.nclauses), (-inst.backbone).astype(np.int8),
                    majority, meta)
