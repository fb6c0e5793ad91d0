"""MPS files (fixed and free format) read and written by the C++ engine.

The reader follows the dialect of the reference reader `satmip.bench.mps` (its
docstring lists the conventions: objective row, dropped N rows, RHS on the
objective, RANGES, BOUNDS types, MARKER integers, 1e30 as infinity, ...) and
raises the same errors at the same lines. Files may be compressed with gzip,
xz or bzip2. The writer produces free MPS that reads back as the same model.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Union

import numpy as np

from . import _core

__all__ = ["MpsData", "read_mps", "parse_mps", "write_mps", "format_mps"]

_ARRAY_TYPES = {
    "cost": np.float64, "col_lower": np.float64, "col_upper": np.float64,
    "row_lower": np.float64, "row_upper": np.float64, "integer": bool,
    "A_start": np.int64, "A_index": np.int32, "A_value": np.float64,
}


@dataclass
class MpsData:
    """min (sense=1) or max (sense=-1) cost.x + offset subject to
    row_lower <= A x <= row_upper, col_lower <= x <= col_upper, x[integer] integral.

    A is stored by columns (CSC): the entries of column j are rows
    ``A_index[A_start[j]:A_start[j+1]]`` with values ``A_value[...]``. Infinite
    bounds are +-inf; objective_name is "" when the file has no N row.
    """

    name: str
    objective_name: str
    sense: int
    offset: float
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    integer: np.ndarray
    A_start: np.ndarray
    A_index: np.ndarray
    A_value: np.ndarray
    row_names: list = field(default_factory=list)
    col_names: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # anomalies read past, as FILE:LINE: text

    @property
    def num_rows(self) -> int:
        return len(self.row_lower)

    @property
    def num_cols(self) -> int:
        return len(self.cost)

    @property
    def num_nonzeros(self) -> int:
        return len(self.A_value)

    def matrix_csr(self) -> tuple:
        """(indptr, indices, data): A by rows, columns ascending within each row."""
        rows = np.asarray(self.A_index, dtype=np.int64)
        cols = np.repeat(np.arange(self.num_cols, dtype=np.int64), np.diff(self.A_start))
        order = np.argsort(rows, kind="stable")  # entries are by column, so columns stay sorted
        indptr = np.zeros(self.num_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=self.num_rows), out=indptr[1:])
        return indptr, cols[order], np.asarray(self.A_value)[order]

    def to_dict(self) -> dict:
        """The dict shape that satmip._core's MPS functions take and return."""
        d = {key: getattr(self, key) for key in ("name", "objective_name", "sense", "offset", "row_names",
                                                  "col_names", "warnings")}
        d.update({key: np.ascontiguousarray(getattr(self, key), dtype=dtype) for key, dtype in _ARRAY_TYPES.items()})
        d["num_rows"], d["num_cols"] = self.num_rows, self.num_cols
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "MpsData":
        return cls(**{key: d[key] for key in cls.__dataclass_fields__})


def read_mps(path: Union[str, os.PathLike], format: str = "auto") -> MpsData:
    """Read an MPS file, compressed or not (detected by content).

    format: "auto" (free MPS, then fixed if free fails), "free" or "fixed".
    Raises ValueError (malformed, with file:line) or OSError (cannot read).
    """
    return MpsData.from_dict(_core.read_mps(os.fspath(path), format))


def parse_mps(text: Union[str, bytes], name: str = "<string>", format: str = "auto") -> MpsData:
    """Parse MPS text held in memory; name labels error messages."""
    return MpsData.from_dict(_core.parse_mps(text, name, format))


def _as_dict(data: Union[MpsData, dict]) -> dict:
    return data.to_dict() if isinstance(data, MpsData) else data


def format_mps(data: Union[MpsData, dict]) -> str:
    """Free MPS text of a model; reading it back gives the same model (names that
    free MPS cannot carry, such as names with spaces, are repaired)."""
    return _core.format_mps(_as_dict(data))


def write_mps(data: Union[MpsData, dict], path: Union[str, os.PathLike]) -> None:
    """Write format_mps(data) to a plain file."""
    _core.write_mps(_as_dict(data), os.fspath(path))
