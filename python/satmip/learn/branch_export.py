"""The branching GCNN's weights file and its reference outputs (GCNN_SPEC; needs torch).

`export_npz(model, path, ...)` writes the ``.npz`` that the engine's ``branching="gnn"``
reads: ``header`` (a 0-d unicode array holding JSON: format, version, emb, the feature
names of satmip.mip, family, command, metrics) and every entry of the module's
state_dict under its key, float32. `load_npz(path)` reads one back into a
`BranchGCNN` (refusing other formats with a ValueError naming the file).
`export_reference(model, graphs, path)` writes a few node states and the module's
logits for them, so that tests of the numpy and C++ forwards need no torch.
"""
from __future__ import annotations

import json
import os
from typing import Optional, Sequence

import numpy as np

try:
    import torch
except ImportError as err:  # pragma: no cover - the message is the point
    raise ImportError("satmip.learn.branch_export needs torch: pip install 'satmip[learn]'") from err

from ..mip import COL_FEATURES, EDGE_FEATURES, ROW_FEATURES
from .branch_model import BranchGCNN

FORMAT, VERSION = "satmip-branch-gcnn", 1
REFERENCE_FORMAT = "satmip-branch-gcnn-reference"


def header(model: BranchGCNN, family: str = "", command: str = "", metrics: Optional[dict] = None) -> dict:
    return {"format": FORMAT, "version": VERSION, "emb": model.emb, "row_features": list(ROW_FEATURES),
            "edge_features": list(EDGE_FEATURES), "col_features": list(COL_FEATURES), "family": family,
            "command": command, "metrics": metrics or {}}


def _save(path: str, arrays: dict) -> None:
    """np.savez_compressed to PATH exactly (no '.npz' appended), through a file renamed at the end."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        np.savez_compressed(f, **arrays)
    os.replace(tmp, path)


def export_npz(model: BranchGCNN, path: str, family: str = "", command: str = "",
               metrics: Optional[dict] = None) -> str:
    arrays = {"header": np.array(json.dumps(header(model, family, command, metrics)))}
    for key, value in model.state_dict().items():
        arrays[key] = value.detach().cpu().numpy().astype(np.float32)
    _save(path, arrays)
    return path


def read_header(path: str) -> dict:
    with np.load(path, allow_pickle=False) as f:
        if "header" not in f.files:
            raise ValueError(f"{path}: no header: not a {FORMAT} file")
        try:
            head = json.loads(str(f["header"][()]))
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}: the header is not JSON ({err})") from None
    if head.get("format") != FORMAT or head.get("version") != VERSION:
        raise ValueError(f"{path}: format {head.get('format')!r} version {head.get('version')!r}, "
                         f"not {FORMAT!r} version {VERSION}")
    for key, names in (("row_features", ROW_FEATURES), ("edge_features", EDGE_FEATURES),
                       ("col_features", COL_FEATURES)):
        if list(head.get(key, [])) != list(names):
            raise ValueError(f"{path}: {key} {head.get(key)} differ from the engine's {list(names)}")
    return head


def load_npz(path: str) -> BranchGCNN:
    """The module with the file's weights (eval mode); ValueError naming the file when it is
    not a version-1 satmip-branch-gcnn file, lacks an array or has one of another shape."""
    head = read_header(path)
    model = BranchGCNN(emb=int(head["emb"]))
    state = model.state_dict()
    with np.load(path, allow_pickle=False) as f:
        missing = [k for k in state if k not in f.files]
        if missing:
            raise ValueError(f"{path}: missing arrays {missing}")
        loaded = {}
        for key, value in state.items():
            array = f[key]
            if tuple(array.shape) != tuple(value.shape):
                raise ValueError(f"{path}: {key} has shape {array.shape}, expected {tuple(value.shape)}")
            loaded[key] = torch.from_numpy(array.astype(np.float32))
    model.load_state_dict(loaded)
    return model.eval()


def export_reference(model: BranchGCNN, states: Sequence[dict], path: str) -> str:
    """States (dicts with row_features, edge_row_ptr, edge_col, edge_values, col_features,
    candidates) and the module's logits, as ``state/K/NAME`` arrays plus ``state/K/logits``
    (float32, one per column) and ``state/K/choice`` (the candidate with the largest logit)."""
    from .branch_dataset import state_graph
    arrays: dict = {"format": np.array(REFERENCE_FORMAT), "states": np.array(len(states))}
    model.eval()
    with torch.no_grad():
        for k, s in enumerate(states):
            logits = model.forward_data(state_graph({n: s[n] for n in STATE_KEYS}))
            base = f"state/{k}/"
            for name in STATE_KEYS:
                arrays[base + name] = np.asarray(s[name])
            arrays[base + "logits"] = logits.numpy().astype(np.float32)
            arrays[base + "choice"] = np.array(choice(logits.numpy(), np.asarray(s["candidates"])))
    _save(path, arrays)
    return path


STATE_KEYS = ("row_features", "edge_row_ptr", "edge_col", "edge_values", "col_features", "candidates")


def choice(logits: np.ndarray, candidates: np.ndarray) -> int:
    """The policy's column: the candidate with the largest logit, the lowest column on ties."""
    candidates = np.sort(np.asarray(candidates))
    return int(candidates[int(np.argmax(logits[candidates]))])


def read_reference(path: str) -> list[dict]:
    with np.load(path, allow_pickle=False) as f:
        if str(f["format"][()]) != REFERENCE_FORMAT:
            raise ValueError(f"{path}: not a {REFERENCE_FORMAT} file")
        out = []
        for k in range(int(f["states"][()])):
            base = f"state/{k}/"
            out.append({n[len(base):]: f[n] for n in f.files if n.startswith(base)})
    return out
