"""Branching samples on disk: one compressed numpy file (``.npz``) per episode (a solve of
one instance with one seed), written sample by sample as the search makes them, so that
no more than one sample is in memory (docs/learning.md, "Branching samples").

    with SampleWriter("out/setcover_easy_0-s0.npz", instance="setcover_easy_0", seed=0) as w:
        model.solve(record_samples=True, sample_rate=0.05, sample_follow_expert=True, on_sample=w.add)
    for sample in SampleFile("out/setcover_easy_0-s0.npz"):
        ...

The file is a zip of ``.npy`` members (``np.load`` reads it): ``meta/*`` (0-d arrays:
instance, seed, layout, samples, and what the writer's caller adds), per static version v
``static/v/*`` (the edges and the column map, written once), per sample k
``sample/KKKKKK/*`` (the node's features, candidates, scores, gains and ``info``, int64:
`INFO_FIELDS`). It is written as ``PATH.part`` and renamed to PATH when closed, so a file
at PATH is complete; a ``.part`` left by a crash is not trusted (`SampleWriter` overwrites
it). Features and edge values are stored as float32.
"""
from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import Iterator, Optional

import numpy as np

from .ecole_layout import EcoleStatic, ecole_row_features, ecole_static, ecole_variable_features, has_incumbent

LAYOUTS = ("satmip", "ecole")
INFO_FIELDS = ("column", "expert_column", "node_id", "parent_id", "depth", "lp_iterations", "static_version")


class SampleWriter:
    """Streams samples (the dicts of ``on_sample`` / ``result.samples``) into PATH."""

    def __init__(self, path: str, instance: str, seed: int = 0, layout: str = "satmip"):
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
        self.path, self.layout = os.fspath(path), layout
        self.part = self.path + ".part"
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        self._zip: Optional[zipfile.ZipFile] = zipfile.ZipFile(self.part, "w", compression=zipfile.ZIP_DEFLATED)
        self.meta = {"instance": instance, "seed": int(seed), "layout": layout}
        self.count = 0
        self._static_version: Optional[int] = None
        self._ecole: Optional[EcoleStatic] = None

    def _put(self, name: str, array) -> None:
        assert self._zip is not None, "SampleWriter is closed"
        with self._zip.open(name + ".npy", "w", force_zip64=True) as f:
            np.lib.format.write_array(f, np.asarray(array), allow_pickle=False)

    def _write_static(self, sample: dict, version: int) -> None:
        base = f"static/{version}/"
        self._put(base + "columns", np.asarray(sample["columns"], dtype=np.int32))
        if self.layout == "ecole":
            self._ecole = static = ecole_static(sample)
            self._put(base + "edge_index", static.edge_index)
            self._put(base + "edge_values", static.edge_values.astype(np.float32))
        else:
            self._put(base + "edge_row_ptr", np.asarray(sample["edge_row_ptr"]))
            self._put(base + "edge_col", np.asarray(sample["edge_col"]))
            self._put(base + "edge_values", np.asarray(sample["edge_values"], dtype=np.float32))
        self._static_version = version

    def add(self, sample: dict) -> None:
        """Writes one sample now (the static part only when its version is new)."""
        version = int(sample["static_version"])
        if version != self._static_version:
            self._write_static(sample, version)
        base = f"sample/{self.count:06d}/"
        if self.layout == "ecole":
            assert self._ecole is not None   # written with the first sample
            self._put(base + "row_features",
                      ecole_row_features(self._ecole, sample["row_features"]).astype(np.float32))
            self._put(base + "variable_features",
                      ecole_variable_features(sample["col_features"], has_incumbent(sample)).astype(np.float32))
        else:
            self._put(base + "row_features", np.asarray(sample["row_features"], dtype=np.float32))
            self._put(base + "col_features", np.asarray(sample["col_features"], dtype=np.float32))
        for name in ("candidates", "scores", "down_gains", "up_gains"):
            self._put(base + name, sample[name])
        info = [sample["column"], sample["expert_column"], sample["node_id"], sample["parent_id"],
                sample["depth"], sample["lp_iterations"], version]
        self._put(base + "info", np.asarray(info, dtype=np.int64))
        self.count += 1

    def close(self, **meta) -> str:
        """Writes the meta data (these keys added), closes, renames to the final path."""
        if self._zip is None:
            return self.path
        self.meta.update(meta, samples=self.count)
        for key, value in self.meta.items():
            self._put("meta/" + key, np.asarray(value))
        self._zip.close()
        self._zip = None
        os.replace(self.part, self.path)
        return self.path

    def abort(self) -> None:
        """Drops the partial file."""
        if self._zip is not None:
            self._zip.close()
            self._zip = None
        if os.path.exists(self.part):
            os.remove(self.part)

    def __enter__(self) -> "SampleWriter":
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


@dataclass
class EdgeFeatures:
    """Ecole's coo_matrix: indices (2 x nnz: row, column) and values (nnz)."""
    indices: np.ndarray
    values: np.ndarray


@dataclass
class NodeBipartiteObs:
    """The attributes of Ecole's NodeBipartiteObs that learn2branch/Ecole code reads."""
    row_features: np.ndarray
    edge_features: EdgeFeatures
    variable_features: np.ndarray


class SampleFile:
    """A complete sample file: ``len``, ``file[k]`` and iteration give dicts with the
    static arrays attached (and ``instance``, ``seed``); `ecole_tuple` gives Ecole's
    example's (observation, action, action_set, scores)."""

    def __init__(self, path: str):
        self.path = os.fspath(path)
        self._npz = np.load(self.path, allow_pickle=False)
        self.meta = {k[len("meta/"):]: self._npz[k][()] for k in self._npz.files if k.startswith("meta/")}
        self.layout = str(self.meta["layout"])

    def __len__(self) -> int:
        return int(self.meta["samples"])

    def static(self, version: int) -> dict:
        base = f"static/{version}/"
        return {k[len(base):]: self._npz[k] for k in self._npz.files if k.startswith(base)}

    def __getitem__(self, k: int) -> dict:
        if not 0 <= k < len(self):
            raise IndexError(f"sample {k} of {len(self)} in {self.path}")
        base = f"sample/{k:06d}/"
        sample = {k2[len(base):]: self._npz[k2] for k2 in self._npz.files if k2.startswith(base)}
        info = sample.pop("info")
        sample.update({name: int(v) for name, v in zip(INFO_FIELDS, info)})
        sample.update(self.static(sample["static_version"]))
        sample.update(instance=str(self.meta["instance"]), seed=int(self.meta["seed"]))
        return sample

    def __iter__(self) -> Iterator[dict]:
        return (self[k] for k in range(len(self)))

    def ecole_tuple(self, k: int) -> tuple:
        """Sample k as Ecole's branching-imitation example pickles it: (observation, action (the expert's column),
        action_set, scores), scores over all columns (NaN off the candidates). Needs a file
        written with layout "ecole"."""
        if self.layout != "ecole":
            raise ValueError(f"{self.path} has layout {self.layout!r}; write it with layout='ecole'")
        s = self[k]
        obs = NodeBipartiteObs(s["row_features"], EdgeFeatures(s["edge_index"], s["edge_values"]),
                               s["variable_features"])
        scores = np.full(s["variable_features"].shape[0], np.nan)
        scores[s["candidates"]] = s["scores"]
        return obs, s["expert_column"], s["candidates"].astype(np.int64), scores

    def close(self) -> None:
        self._npz.close()


def is_complete(path: str) -> bool:
    """A finished sample file (its meta written, the zip readable)."""
    try:
        with np.load(path, allow_pickle=False) as f:
            return "meta/samples.npy" in f.zip.namelist()
    except (OSError, ValueError, zipfile.BadZipFile, EOFError):
        return False
