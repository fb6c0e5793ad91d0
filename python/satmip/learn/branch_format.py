"""The branching GCNN's weights file (the contract of GCNN_SPEC, docs/mip-engine.md,
"Learned branching"): reading and checking it, a numpy forward on the `state` dict that
``on_branch`` receives (the research route), and the model names the solver takes.

    >>> model = load(resolve("setcover"))                              # doctest: +SKIP
    >>> logits = model.logits(state)   # one per column                # doctest: +SKIP

The file is an .npz: ``header`` (a 0-d unicode array holding JSON: format
"satmip-branch-gcnn", version 1, emb, the feature names, family, command, metrics) and
every parameter and buffer of the PyG module's state_dict, float32. Needs numpy only.
"""
from __future__ import annotations

import errno
import json
import os
import zipfile
from pathlib import Path
from typing import Optional, Union

import numpy as np

from .model_files import cached_load, require_npz_file, shipped_candidates

FORMAT = "satmip-branch-gcnn"
VERSION = 1
FAMILIES = ("setcover", "cauctions", "facilities", "indset")   # models/branching/<family>.npz
EPS = 1e-5                                                      # the LayerNorms'
_SHIPPED = Path("models") / "branching"


def feature_names() -> dict:
    """The engine's feature names a model must be trained on: {"row": ..., "edge": ..., "col": ...}."""
    from ..mip import COL_FEATURES, EDGE_FEATURES, ROW_FEATURES
    return {"row": ROW_FEATURES, "edge": EDGE_FEATURES, "col": COL_FEATURES}


def expected_shapes(emb: int, rows: int, edges: int, cols: int) -> dict:
    """{state_dict key: shape} of the GCNN with embedding size emb on rows / edges / cols
    input features (GCNN_SPEC): the arrays a weights file holds besides its header."""
    shapes: dict[str, tuple[int, ...]] = {}
    for name, width in (("row", rows), ("edge", edges), ("col", cols)):
        shapes[f"{name}_norm.shift"] = shapes[f"{name}_norm.scale"] = (width,)
    for name, width in (("row", rows), ("col", cols)):
        shapes.update({f"{name}_embed.0.weight": (emb, width), f"{name}_embed.0.bias": (emb,),
                       f"{name}_embed.2.weight": (emb, emb), f"{name}_embed.2.bias": (emb,)})
    for conv in ("conv_col_to_row", "conv_row_to_col"):
        shapes.update({f"{conv}.target.weight": (emb, emb), f"{conv}.target.bias": (emb,),
                       f"{conv}.edge.weight": (emb, edges), f"{conv}.source.weight": (emb, emb),
                       f"{conv}.message_norm.weight": (emb,), f"{conv}.message_norm.bias": (emb,),
                       f"{conv}.message.weight": (emb, emb), f"{conv}.message.bias": (emb,),
                       f"{conv}.post_norm.weight": (emb,), f"{conv}.post_norm.bias": (emb,),
                       f"{conv}.out.0.weight": (emb, 2 * emb), f"{conv}.out.0.bias": (emb,),
                       f"{conv}.out.2.weight": (emb, emb), f"{conv}.out.2.bias": (emb,)})
    shapes.update({"head.0.weight": (emb, emb), "head.0.bias": (emb,), "head.2.weight": (1, emb)})
    return shapes


def forward(weights: dict, emb: int, state: dict, columns: Optional[np.ndarray] = None) -> np.ndarray:
    """The GCNN's logits (float64) of every column of `state` (the dict on_branch gets,
    or a recorded sample: row_features, edge_row_ptr, edge_col, edge_values,
    col_features), or of `columns` only; in float64, literally as GCNN_SPEC writes the
    PyG module (a message per edge, summed)."""
    w = {key: np.asarray(value, dtype=np.float64) for key, value in weights.items()}   # no copy if float64
    rows_x = np.asarray(state["row_features"], np.float64)
    cols_x = np.asarray(state["col_features"], np.float64)
    ptr = np.asarray(state["edge_row_ptr"], np.int64)
    edge_col = np.asarray(state["edge_col"], np.int64)
    m, n = rows_x.shape[0], cols_x.shape[0]
    edge_x = np.asarray(state["edge_values"], np.float64).reshape(edge_col.size, -1)
    edge_row = np.repeat(np.arange(m), np.diff(ptr))

    def linear(x, key, bias=True):
        y = x @ w[key + ".weight"].T
        return y + w[key + ".bias"] if bias else y

    def norm(x, key):
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(variance + EPS) * w[key + ".weight"] + w[key + ".bias"]

    def relu(x):
        return np.maximum(x, 0.0)

    def embed(x, name):
        x = (x - w[f"{name}_norm.shift"]) * w[f"{name}_norm.scale"]
        return relu(linear(relu(linear(x, f"{name}_embed.0")), f"{name}_embed.2"))

    h_row, h_col = embed(rows_x, "row"), embed(cols_x, "col")
    e = (edge_x - w["edge_norm.shift"]) * w["edge_norm.scale"]

    def conv(prefix, h_target, h_source, target, source):
        pre = linear(h_target, prefix + ".target")[target] + linear(e, prefix + ".edge", False) \
            + linear(h_source, prefix + ".source", False)[source]
        message = linear(relu(norm(pre, prefix + ".message_norm")), prefix + ".message")
        agg = _segment_sum(message, target, h_target.shape[0])
        hidden = relu(linear(np.concatenate([norm(agg, prefix + ".post_norm"), h_target], axis=1), prefix + ".out.0"))
        return linear(hidden, prefix + ".out.2")

    h_row = conv("conv_col_to_row", h_row, h_col, edge_row, edge_col)
    h_col = conv("conv_row_to_col", h_col, h_row, edge_col, edge_row)
    if n == 0:
        return np.zeros(0)
    logits = linear(relu(linear(h_col, "head.0")), "head.2", bias=False)[:, 0]
    return logits if columns is None else logits[np.asarray(columns, np.int64)]


def _segment_sum(values: np.ndarray, target: np.ndarray, count: int) -> np.ndarray:
    """out[t] = the sum of values[k] over k with target[k] == t (np.add.at, without its slowness)."""
    out = np.zeros((count, values.shape[1]))
    if target.size:
        order = np.argsort(target, kind="stable")
        t = target[order]
        starts = np.flatnonzero(np.r_[True, t[1:] != t[:-1]])
        out[t[starts]] = np.add.reduceat(values[order], starts, axis=0)
    return out


class BranchModel:
    """A checked weights file: path, header (dict), emb, weights ({key: float32 array})."""

    def __init__(self, path: str, header: dict, weights: dict):
        self.path, self.header, self.weights = path, header, weights
        self.emb = int(header["emb"])
        self._weights64 = {key: value.astype(np.float64) for key, value in weights.items()}
        self._native = None

    def logits(self, state: dict, columns: Optional[np.ndarray] = None, engine: str = "numpy") -> np.ndarray:
        """Logits (float64) of every column of state, or of `columns`: numpy's forward, or
        with engine="cpp" the engine's (the one branching="gnn" runs)."""
        if engine == "numpy":
            return forward(self._weights64, self.emb, state, columns)
        if engine == "cpp":
            return self.native().logits(_engine_arrays(state), None if columns is None else _int32(columns, "columns"))
        raise ValueError(f"engine must be 'numpy' or 'cpp', got {engine!r}")

    def choose(self, state: dict) -> int:
        """The column the policy branches on: the candidate with the largest logit (ties:
        the lowest column), as branching="gnn" chooses."""
        candidates = np.asarray(state["candidates"])
        return int(candidates[int(np.argmax(forward(self._weights64, self.emb, state, candidates)))])

    def native(self):
        """The engine's copy of the weights (satmip._core.BranchModel), made once."""
        if self._native is None:
            from .. import _core
            self._native = _core.BranchModel(self.weights, self.emb)
        return self._native


def _int32(values, what: str) -> np.ndarray:
    a = np.asarray(values)
    if a.size and (a.min() < 0 or a.max() > np.iinfo(np.int32).max):
        raise ValueError(f"{what}: an index outside [0, 2^31)")
    return np.ascontiguousarray(a, dtype=np.int32)


def _engine_arrays(state: dict) -> dict:
    """The state's arrays in the dtypes the engine's forward takes (on_branch's already
    are: then no copy); a sample file may store others."""
    out = {key: np.ascontiguousarray(state[key], dtype=np.float64)
           for key in ("row_features", "edge_values", "col_features")}
    out["edge_row_ptr"] = np.ascontiguousarray(state["edge_row_ptr"], dtype=np.int64)
    out["edge_col"] = _int32(state["edge_col"], "edge_col")
    return out


def default_candidates(name: str) -> list:
    """Where the shipped model of a family may be, as the phase model is found
    (model_files.shipped_candidates)."""
    return shipped_candidates(_SHIPPED.relative_to("models") / f"{name}.npz")


def resolve(model: Union[str, os.PathLike]) -> str:
    """A family's name ("setcover", "cauctions", "facilities", "indset") -> the shipped
    model file (FileNotFoundError when this satmip has none); anything else is a path."""
    if isinstance(model, str) and model in FAMILIES:
        for path in default_candidates(model):
            if path.is_file():
                return str(path)
        raise FileNotFoundError(errno.ENOENT, f"no branching model for {model} is installed with this satmip; "
                                "name a model file instead", str(_SHIPPED / f"{model}.npz"))
    return os.fspath(model)


_loaded: dict = {}


def load(path: Union[str, os.PathLike]) -> BranchModel:
    """A weights file, checked: FileNotFoundError if missing; ValueError naming the file
    and the reason if it is not an .npz of this format and version, lacks an array or has
    one of another shape, dtype or with values that are not finite, holds arrays the model
    does not have, or was trained on other features than the engine's (satmip.mip's
    ROW_FEATURES, EDGE_FEATURES, COL_FEATURES). Cached by path, size and modification time."""
    return cached_load(_loaded, path, _checked, capacity=8)


def _checked(path: str) -> BranchModel:
    require_npz_file(path, "branching model")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {name: z[name] for name in z.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError, KeyError) as err:
        raise ValueError(f"{path}: not a branching model this satmip reads ({type(err).__name__}: {err})") from None
    header = _header(path, arrays.pop("header", None))
    names = feature_names()
    for kind, expected in names.items():
        got = header.get(f"{kind}_features")
        if not isinstance(got, list) or tuple(got) != tuple(expected):
            raise ValueError(f"{path}: the model's {kind} features {got!r} differ from the engine's "
                             f"{list(expected)!r} (satmip.mip.{kind.upper()}_FEATURES): retrain it on this satmip's states")
    shapes = expected_shapes(header["emb"], len(names["row"]), len(names["edge"]), len(names["col"]))
    for name, shape in shapes.items():
        if name not in arrays:
            raise ValueError(f"{path}: no array {name!r} (a branching GCNN of format {FORMAT} {VERSION} has it)")
        a = arrays[name]
        if a.shape != shape:
            raise ValueError(f"{path}: array {name!r} has shape {a.shape}, expected {shape} (emb {header['emb']})")
        if a.dtype != np.float32:
            raise ValueError(f"{path}: array {name!r} is {a.dtype}, expected float32")
        if not np.isfinite(a).all():
            raise ValueError(f"{path}: array {name!r} has values that are not finite (NaN or inf)")
    extra = sorted(set(arrays) - set(shapes))
    if extra:
        raise ValueError(f"{path}: arrays {extra} are not part of the branching GCNN of format {FORMAT} {VERSION}")
    return BranchModel(path, header, {name: arrays[name] for name in shapes})


def _header(path: str, header) -> dict:
    if header is None:
        raise ValueError(f"{path}: not a branching model (no 'header' array)")
    if header.shape != () or header.dtype.kind != "U":
        raise ValueError(f"{path}: not a branching model (its header is not a unicode string)")
    try:
        h = json.loads(str(header))
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: not a branching model (its header is not JSON: {err})") from None
    if not isinstance(h, dict) or h.get("format") != FORMAT:
        got = h.get("format") if isinstance(h, dict) else None
        raise ValueError(f"{path}: not a branching model (format {got!r}, expected {FORMAT!r})")
    if h.get("version") != VERSION:
        raise ValueError(f"{path}: branching model version {h.get('version')!r}; this satmip reads version {VERSION}")
    emb = h.get("emb")
    if isinstance(emb, bool) or not isinstance(emb, int) or not 1 <= emb <= 4096:
        raise ValueError(f"{path}: header emb {emb!r} is not an embedding size (an integer in [1, 4096])")
    return h


def model_of(model) -> BranchModel:
    """What branching_model= takes: a BranchModel as it is, a family's name or a path loaded."""
    if isinstance(model, BranchModel):
        return model
    if not isinstance(model, (str, os.PathLike)):
        raise TypeError(f"branching_model must be a family name ({', '.join(FAMILIES)}), a model file's path "
                        f"or a satmip.learn.branch_format.BranchModel; got {type(model).__name__}")
    return load(resolve(model))


__all__ = ["FORMAT", "VERSION", "FAMILIES", "BranchModel", "forward", "load", "resolve", "model_of",
           "expected_shapes", "feature_names", "default_candidates"]
