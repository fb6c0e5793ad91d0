"""What the four MILP families share: the random stream of an instance, the
model built from coordinate lists, and the byte-reproducible .mps.gz writer."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from typing import Optional, Sequence, Union

import numpy as np

from ...model import Model
from ...mps import format_mps


def instance_rng(family: str, params: dict, seed: int) -> np.random.Generator:
    """One PCG64 stream per (family, parameters, seed): the same instance on every
    machine and in any order of generation, and unrelated streams for the sizes of
    one seed (easy seed 3 shares no draws with medium seed 3)."""
    key = f"{family}/{json.dumps(params, sort_keys=True)}/{int(seed)}"
    digest = hashlib.sha256(key.encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def build_model(name: str, cost, rows, cols, values, row_lower, row_upper, col_lower, col_upper,
                integer, sense: int = 1, row_names: Optional[Sequence[str]] = None,
                col_names: Optional[Sequence[str]] = None) -> Model:
    """A Model from the entries (rows[k], cols[k], values[k]) of A: no duplicates; zeros
    are left out (a facility whose capacity truncates to 0)."""
    cost = np.asarray(cost, dtype=np.float64)
    n = len(cost)
    values = np.asarray(values, dtype=np.float64)
    keep = values != 0
    rows = np.asarray(rows, dtype=np.int64)[keep]
    cols = np.asarray(cols, dtype=np.int64)[keep]
    order = np.lexsort((rows, cols))            # by column, rows ascending within one
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(cols, minlength=n), out=start[1:])
    return Model.from_arrays(c=cost, A=(start, rows[order], values[keep][order]),
                             row_lower=row_lower, row_upper=row_upper, col_lower=col_lower,
                             col_upper=col_upper, integrality=integer, sense=sense, name=name,
                             row_names=row_names, col_names=col_names)


def numbered(prefix: str, count: int, first: int = 1) -> list[str]:
    return [f"{prefix}{k}" for k in range(first, first + count)]


def write_mps(model: Model, path: Union[str, os.PathLike]) -> None:
    """Free MPS, gzip-compressed when the path ends in .gz. The gzip header carries
    neither a time nor a file name, so one model gives the same bytes wherever and
    whenever it is written; the file appears whole (written aside, then renamed), so an
    interrupted run leaves no truncated instance for a resume to skip."""
    path = os.fspath(path)
    data = format_mps(model.data).encode()
    if path.endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    partial = f"{path}.partial"
    with open(partial, "wb") as f:
        f.write(data)
    os.replace(partial, path)
