"""Independent pure-Python MPS reader, used to verify MILP/LP answers of other solvers.

It deliberately shares no code with HiGHS, SCIP or satmip's C++ reader, so a point
that passes `milp_check.check_solution` against this reading is checked against a
second interpretation of the file.

Dialect (fixed and free MPS):

* sections NAME, OBJSENSE (``OBJSENSE MAX`` on one line or ``MAX`` on the next),
  OBJNAME, ROWS, COLUMNS, RHS, RANGES, BOUNDS, ENDATA; text after ENDATA is ignored,
  and a missing ENDATA is tolerated, with a warning. Quadratic, SOS, indicator and other extension
  sections raise `MpsError`, because ignoring them would give a wrong model.
* ``*`` in column 1 starts a comment; CRLF line endings are accepted.
* the first N row is the objective (or the one OBJNAME names); other N rows are
  dropped together with their COLUMNS, RHS and RANGES entries.
* RHS on the objective row gives the objective constant ``-rhs``.
* RHS/RANGES lines may omit the set name (an even number of fields). BOUNDS lines may
  omit the bound name (told apart by the field count, and for the value-less types
  MI/PL/FR/BV by whether the first field is a column name, as HiGHS does).
* ``'MARKER' 'INTORG'`` ... ``'INTEND'`` makes columns integer; such a column with no
  BOUNDS entry at all is binary [0, 1] (MPSX convention); any BOUNDS entry for it
  restores the usual defaults (lower 0, upper +inf) for the side it does not set.
* numbers with absolute value >= 1e30 in RHS, RANGES and BOUNDS mean infinity.
* every number must be finite: 'inf', '1e400' and the like are errors (as 'nan').
* a NUL byte in a line (before ENDATA) is an error: MPS text has none.

Where MPS leaves a choice open, this reader follows HiGHS 1.16's (free-format) reader
so that both agree on the benchmark files, and records a warning in
`MpsProblem.warnings`:

* ``UP`` with a negative value on a column whose lower bound is 0 leaves the lower
  bound at 0 (the column becomes infeasible). Some readers, among them HiGHS's own
  fixed-format reader, set the lower bound to -inf instead.
* a BOUNDS entry that sets a side already set by an earlier entry is ignored whole;
  a repeated RHS/RANGES value for a row and a repeated coefficient in a column are
  ignored too (the first one counts).
* explicit zero coefficients are not stored.

Where this reader is stricter than HiGHS, it raises `MpsError` instead of warning:
unknown rows in COLUMNS/RHS/RANGES, unknown columns in BOUNDS, duplicate row names
and a column whose entries are split by another column. Unlike HiGHS, an RHS entry on
a dropped N row is ignored (HiGHS 1.16 turns it into the objective constant).

Fixed format: the reader first splits lines on whitespace (free MPS, which also reads
fixed files whose names have no spaces). If that fails it reads the fields by their
fixed columns (2-3, 5-12, 15-22, 25-36, 40-47, 50-61), which allows names with spaces.
If both fail, the error of the reading that got further is raised.
"""
from __future__ import annotations

import bz2
import gzip
import lzma
import math
import os
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

__all__ = ["MpsError", "MpsProblem", "read_mps", "parse_mps_text", "INFINITY_THRESHOLD"]

# MPS writers use 1e30 for "no bound"; anything at least this large is infinite.
NO_ENDATA = "the file ends without ENDATA (cut off?): the model is what was read up to here"
INFINITY_THRESHOLD = 1e30

_SUPPORTED_SECTIONS = frozenset(
    {"NAME", "ROWS", "COLUMNS", "RHS", "RANGES", "BOUNDS", "ENDATA", "OBJSENSE", "OBJSENS", "OBJNAME"}
)
# Extensions that change the model: reading past them would verify the wrong problem.
_UNSUPPORTED_SECTIONS = frozenset(
    {
        "QUADOBJ", "QMATRIX", "QSECTION", "QCMATRIX", "CSECTION", "SOS", "SETS",
        "INDICATORS", "GENCONS", "PWLOBJ", "LAZYCONS", "USERCUTS", "SCENARIOS", "BRANCH",
    }
)
_MAXIMISE_WORDS = frozenset({"MAX", "MAXIMIZE", "MAXIMISE"})
_MINIMISE_WORDS = frozenset({"MIN", "MINIMIZE", "MINIMISE"})

_BOUNDS_WITH_VALUE = frozenset({"UP", "LO", "FX", "LI", "UI"})
_BOUNDS_WITHOUT_VALUE = frozenset({"MI", "PL", "FR", "BV"})
_SETS_LOWER = frozenset({"LO", "FX", "MI", "FR", "BV", "LI"})
_SETS_UPPER = frozenset({"UP", "FX", "PL", "FR", "BV", "UI"})
_INTEGER_BOUNDS = frozenset({"BV", "LI", "UI"})

# Row-name table codes for N rows (constraints get their index, >= 0).
_OBJECTIVE_ROW = -1
_DROPPED_ROW = -2

# Standard fixed-MPS field positions (0-based slices) and the gaps that must be blank.
_FIXED_FIELDS = ((1, 3), (4, 12), (14, 22), (24, 36), (39, 47), (49, 61))
_FIXED_GAPS = ((0, 1), (3, 4), (12, 14), (22, 24), (36, 39), (47, 49))


class MpsError(ValueError):
    """An MPS file that cannot be read; the message reads ``FILE:LINE: what is wrong``."""

    def __init__(self, path: str, line: int, reason: str):
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass
class MpsProblem:
    """A linear (mixed-integer) program: min or max c.x + obj_constant subject to
    row_lower <= A x <= row_upper, col_lower <= x <= col_upper, x[integer] integral.

    A is stored by rows (constraints) in CSR form: the entries of row i are
    ``data[indptr[i]:indptr[i+1]]`` in columns ``indices[indptr[i]:indptr[i+1]]``.
    c is in the file's own sense; `sense` says whether it is minimised (+1) or
    maximised (-1).
    """

    name: str
    row_names: list[str]
    col_names: list[str]
    c: np.ndarray
    obj_constant: float
    sense: int
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    objective_name: Optional[str] = None
    format: str = "free"  # "free" or "fixed": how the fields were split
    warnings: list[str] = field(default_factory=list)  # anomalies read past, as FILE:LINE: text

    @property
    def num_rows(self) -> int:
        return len(self.row_names)

    @property
    def num_cols(self) -> int:
        return len(self.col_names)

    @property
    def num_nonzeros(self) -> int:
        return int(self.data.size)

    def row_of_entry(self) -> np.ndarray:
        """Row index of every stored matrix entry (the CSR rows expanded)."""
        return np.repeat(np.arange(self.num_rows), np.diff(self.indptr))

    def row_activity(self, x) -> np.ndarray:
        """A x for a point x of length num_cols."""
        x = np.asarray(x, dtype=np.float64)
        return np.bincount(self.row_of_entry(), weights=self.data * x[self.indices], minlength=self.num_rows)

    def objective_value(self, x) -> float:
        """c.x + obj_constant, in the file's sense."""
        return float(np.dot(self.c, np.asarray(x, dtype=np.float64)) + self.obj_constant)


def _q(text: str, max_chars: int = 40) -> str:
    """repr() for messages, kept short: garbage is never echoed at length."""
    return repr(text) if len(text) <= max_chars else repr(text[:max_chars]) + "..."


def read_mps(path, format: str = "auto") -> MpsProblem:
    """Read an MPS file, plain or compressed with gzip, bzip2 or xz (told apart by
    their magic bytes, not the file name). `format` is "auto", "free" or "fixed"."""
    path = os.fspath(path)
    with open(path, "rb") as handle:
        raw = handle.read()
    return parse_mps_text(_decode(_decompress(raw)), path=path, format=format)


def parse_mps_text(text: str, path: str = "<string>", format: str = "auto") -> MpsProblem:
    """Read MPS from a string; `path` only labels error messages."""
    lines = text.split("\n")  # not splitlines(): it also splits on form feeds and the like
    if lines and not lines[-1]:
        lines.pop()  # the final newline ends the last line, it does not start another
    if format == "free":
        return _MpsParser(path, lines, fixed=False).parse()
    if format == "fixed":
        return _MpsParser(path, lines, fixed=True).parse()
    if format != "auto":
        raise ValueError(f"format must be 'auto', 'free' or 'fixed', not {format!r}")
    try:
        return _MpsParser(path, lines, fixed=False).parse()
    except MpsError as free_error:
        try:
            problem = _MpsParser(path, lines, fixed=True).parse()
        except MpsError as fixed_error:
            # The reading that got further is most likely the one the file was written for.
            raise fixed_error if fixed_error.line > free_error.line else free_error from None
        problem.warnings.insert(0, f"{path}: read as fixed-format MPS because free format failed: {free_error.reason}")
        return problem


def _decompress(raw: bytes) -> bytes:
    if raw.startswith(b"\x1f\x8b"):
        return gzip.decompress(raw)
    if raw.startswith(b"BZh"):
        return bz2.decompress(raw)
    if raw.startswith(b"\xfd7zXZ\x00"):
        return lzma.decompress(raw)
    return raw


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # every byte maps to a character: names survive


def _free_fields(line: str) -> list:
    return line.split()


class _MpsParser:
    """One pass over the lines; each section has a handler for its data lines."""

    def __init__(self, path: str, lines: list, fixed: bool):
        self.path = path
        self.lines = lines
        self.fixed = fixed
        self.lineno = 0
        self.section: Optional[str] = None
        self.seen_rows_section = False
        self.name = ""
        self.sense = 1
        self.objective_choice: Optional[str] = None  # from OBJNAME
        self.objective_name: Optional[str] = None
        self.warnings: list = []
        # rows: name -> constraint index, or _OBJECTIVE_ROW / _DROPPED_ROW
        self.row_code: dict = {}
        self.row_names: list = []
        self.row_types: list = []
        self.rhs: list = []
        self.ranges: list = []
        self.rows_with_rhs: set = set()
        self.rows_with_range: set = set()
        self.obj_constant = 0.0
        self.obj_constant_set = False
        # columns
        self.col_code: dict = {}
        self.col_names: list = []
        self.cost: list = []
        self.integer: list = []
        self.binary_by_default: list = []
        self.lower: list = []
        self.upper: list = []
        self.has_lower: list = []
        self.has_upper: list = []
        self.in_integer_block = False
        self.current_col = -1
        self.current_col_rows: set = set()
        # matrix entries in the order read (column by column)
        self.entry_rows: list = []
        self.entry_cols: list = []
        self.entry_values: list = []
        self.handlers: dict = {
            "ROWS": self._rows_line,
            "COLUMNS": self._columns_line,
            "RHS": self._rhs_line,
            "RANGES": self._ranges_line,
            "BOUNDS": self._bounds_line,
            "OBJSENSE": self._objsense_line,
            "OBJNAME": self._objname_line,
        }

    # ---- driver -------------------------------------------------------------

    def parse(self) -> MpsProblem:
        split_fields = self._fixed_fields if self.fixed else _free_fields
        for self.lineno, raw in enumerate(self.lines, 1):
            if "\0" in raw:  # as the C++ reader, which reads /dev/zero as one endless line
                raise self._error("NUL byte in the line: not MPS text (a binary file?)")
            line = raw.rstrip()  # also drops the \r of CRLF files
            if not line or line[0] == "*":
                continue
            if not line[0].isspace() and not self._is_unindented_sense(line):
                if self._start_section(line):
                    break  # ENDATA: what follows is not part of the model
                continue
            fields = split_fields(line)
            if fields:
                self._data_line(fields)
        else:  # read anyway (some writers leave it out), but say so: a cut-off file is another model
            self._warn(NO_ENDATA)
        return self._finish()

    def _error(self, reason: str) -> MpsError:
        return MpsError(self.path, self.lineno, reason)

    def _warn(self, reason: str) -> None:
        self.warnings.append(f"{self.path}:{self.lineno}: {reason}")

    def _fixed_fields(self, line: str) -> list:
        for start, end in _FIXED_GAPS:
            if line[start:end].strip():
                raise self._error(f"text in columns {start + 1}-{end} lies outside the fixed MPS fields")
        fields = (line[start:end].strip() for start, end in _FIXED_FIELDS)
        return [text for text in fields if text]

    def _is_unindented_sense(self, line: str) -> bool:
        # "OBJSENSE" followed by "MAX" written in column 1, as some writers do
        return self.section in ("OBJSENSE", "OBJSENS") and line.strip().upper() in _MAXIMISE_WORDS | _MINIMISE_WORDS

    def _start_section(self, line: str) -> bool:
        """Handle a section header; returns True at ENDATA."""
        tokens = line.split()
        keyword = tokens[0].upper()
        if keyword in _UNSUPPORTED_SECTIONS:
            raise self._error(f"section {keyword} is not supported (only linear MPS can be checked)")
        if keyword not in _SUPPORTED_SECTIONS:
            raise self._error(f"unknown section {_q(tokens[0])}")
        if keyword == "ENDATA":
            return True
        if self.section == "COLUMNS":
            self._close_columns()
        self.section = "OBJSENSE" if keyword == "OBJSENS" else keyword
        if keyword == "NAME":
            self.name = line[4:].strip()
        elif keyword == "ROWS":
            self.seen_rows_section = True
        elif len(tokens) > 1 and self.section in ("OBJSENSE", "OBJNAME"):
            self._data_line(tokens[1:])  # free MPS puts the value on the header line
        return False

    def _data_line(self, fields: list) -> None:
        handler = self.handlers.get(self.section)
        if handler is None:
            where = f"section {self.section}" if self.section else "any section"
            raise self._error(f"data line {_q(' '.join(fields))} outside {where} that takes data")
        handler(fields)

    # ---- numbers ------------------------------------------------------------

    def _number(self, token: str) -> float:
        try:
            value = float(token)
        except ValueError:
            value = self._fortran_number(token)
        # float() also accepts "nan" and digit separators such as "1_0"
        if value != value or "_" in token:
            raise self._error(f"bad number {_q(token)}")
        if math.isinf(value):  # as the C++ reader: an infinite coefficient gives no usable model
            raise self._error(f"number {_q(token)} is not finite (write 1e30 or more for an infinite bound)")
        return value

    def _fortran_number(self, token: str) -> float:
        try:
            return float(token.replace("D", "E").replace("d", "e"))  # 1.5D+03
        except ValueError:
            raise self._error(f"bad number {_q(token)}") from None

    def _bound_number(self, token: str) -> float:
        value = self._number(token)
        if value >= INFINITY_THRESHOLD:
            return math.inf
        if value <= -INFINITY_THRESHOLD:
            return -math.inf
        return value

    # ---- OBJSENSE / OBJNAME -------------------------------------------------

    def _objsense_line(self, fields: list) -> None:
        word = fields[0].upper()
        if len(fields) != 1 or word not in _MAXIMISE_WORDS | _MINIMISE_WORDS:
            raise self._error(f"OBJSENSE must be MIN or MAX, not {_q(' '.join(fields))}")
        self.sense = -1 if word in _MAXIMISE_WORDS else 1

    def _objname_line(self, fields: list) -> None:
        if len(fields) != 1:
            raise self._error(f"OBJNAME takes one row name, not {_q(' '.join(fields))}")
        if self.seen_rows_section:
            raise self._error("OBJNAME must come before ROWS")
        self.objective_choice = fields[0]

    # ---- ROWS ---------------------------------------------------------------

    def _rows_line(self, fields: list) -> None:
        if len(fields) != 2:
            raise self._error(f"ROWS line needs a type and a name, got {_q(' '.join(fields))}")
        row_type, name = fields[0].upper(), fields[1]
        if row_type not in ("N", "E", "L", "G"):
            raise self._error(f"unknown row type {_q(fields[0])} for row {_q(name)}")
        if name in self.row_code:
            raise self._error(f"duplicate row name {_q(name)}")
        if row_type == "N":
            self.row_code[name] = self._n_row_code(name)
            return
        self.row_code[name] = len(self.row_names)
        self.row_names.append(name)
        self.row_types.append(row_type)
        self.rhs.append(0.0)
        self.ranges.append(None)

    def _n_row_code(self, name: str) -> int:
        if self.objective_name is None and self.objective_choice in (None, name):
            self.objective_name = name
            return _OBJECTIVE_ROW
        return _DROPPED_ROW

    # ---- COLUMNS ------------------------------------------------------------

    def _columns_line(self, fields: list) -> None:
        if len(fields) >= 2 and fields[1].upper() == "'MARKER'":
            self._marker_line(fields)
            return
        if len(fields) not in (3, 5):
            raise self._error(
                f"COLUMNS line needs a column and one or two (row, value) pairs, got {len(fields)} fields"
            )
        col = self._column_for(fields[0])
        self._add_entry(col, fields[1], fields[2])
        if len(fields) == 5:
            self._add_entry(col, fields[3], fields[4])

    def _marker_line(self, fields: list) -> None:
        kind = fields[2].strip("'").upper() if len(fields) == 3 else ""
        if kind == "INTORG" and not self.in_integer_block:
            self.in_integer_block = True
        elif kind == "INTEND" and self.in_integer_block:
            self.in_integer_block = False
        else:
            state = "inside" if self.in_integer_block else "outside"
            raise self._error(f"unexpected marker {_q(' '.join(fields[2:]))} {state} an INTORG block")

    def _column_for(self, name: str) -> int:
        if self.current_col >= 0 and self.col_names[self.current_col] == name:
            return self.current_col
        if name in self.col_code:
            raise self._error(f"column {_q(name)} appears again after other columns (its entries must be together)")
        self.current_col = len(self.col_names)
        self.current_col_rows = set()
        self.col_code[name] = self.current_col
        self.col_names.append(name)
        self.cost.append(0.0)
        self.integer.append(self.in_integer_block)
        self.binary_by_default.append(self.in_integer_block)
        self.lower.append(0.0)
        self.upper.append(math.inf)
        self.has_lower.append(False)
        self.has_upper.append(False)
        return self.current_col

    def _row_for(self, name: str, section: str) -> int:
        code = self.row_code.get(name)
        if code is None:
            raise self._error(f"unknown row {_q(name)} in {section}")
        return code

    def _add_entry(self, col: int, row_name: str, token: str) -> None:
        row = self._row_for(row_name, "COLUMNS")
        value = self._number(token)
        if row == _DROPPED_ROW or value == 0.0:
            return  # free rows are not part of the model; zeros are not stored (as HiGHS)
        if row in self.current_col_rows:
            self._warn(f"column {_q(self.col_names[col])} has a second value for row {_q(row_name)}: ignored")
            return
        self.current_col_rows.add(row)
        if row == _OBJECTIVE_ROW:
            self.cost[col] = value
            return
        self.entry_rows.append(row)
        self.entry_cols.append(col)
        self.entry_values.append(value)

    def _close_columns(self) -> None:
        if self.in_integer_block:
            self._warn("INTORG marker block not closed by INTEND before the end of COLUMNS")
            self.in_integer_block = False

    # ---- RHS and RANGES -----------------------------------------------------

    def _row_value_pairs(self, fields: list, section: str) -> list:
        """(row, value) pairs of an RHS/RANGES line; an odd field count means a set name leads."""
        if len(fields) not in (2, 3, 4, 5):
            raise self._error(f"{section} line needs an optional set name and one or two (row, value) pairs")
        start = len(fields) % 2
        return [(fields[i], fields[i + 1]) for i in range(start, len(fields), 2)]

    def _rhs_line(self, fields: list) -> None:
        for row_name, token in self._row_value_pairs(fields, "RHS"):
            row = self._row_for(row_name, "RHS")
            if row == _OBJECTIVE_ROW:
                self._set_objective_constant(row_name, self._number(token))
            elif row == _DROPPED_ROW:
                self._warn(f"RHS on free row {_q(row_name)} ignored (the row is dropped)")
            elif self._first_value(self.rows_with_rhs, row, row_name, "RHS"):
                self.rhs[row] = self._bound_number(token)

    def _set_objective_constant(self, row_name: str, value: float) -> None:
        if self.obj_constant_set:
            self._warn(f"second RHS value for objective row {_q(row_name)} ignored")
            return
        self.obj_constant = -value  # MPS convention: RHS on the objective is minus the constant
        self.obj_constant_set = True

    def _first_value(self, given_rows: set, row: int, row_name: str, section: str) -> bool:
        """True the first time a row gets a value in this section; later ones are ignored (as HiGHS)."""
        if row in given_rows:
            self._warn(f"second {section} value for row {_q(row_name)} ignored")
            return False
        given_rows.add(row)
        return True

    def _ranges_line(self, fields: list) -> None:
        for row_name, token in self._row_value_pairs(fields, "RANGES"):
            row = self._row_for(row_name, "RANGES")
            if row < 0:
                self._warn(f"RANGES entry for N row {_q(row_name)} ignored")
            elif self._first_value(self.rows_with_range, row, row_name, "RANGES"):
                self.ranges[row] = self._bound_number(token)

    # ---- BOUNDS -------------------------------------------------------------

    def _bounds_line(self, fields: list) -> None:
        bound_type = fields[0].upper()
        if bound_type in ("SC", "SI"):
            raise self._error(f"bound type {fields[0]} (semi-continuous/semi-integer) is not supported")
        if bound_type in _BOUNDS_WITH_VALUE:
            col_name, token = self._bound_fields_with_value(fields)
        elif bound_type in _BOUNDS_WITHOUT_VALUE:
            col_name, token = self._bound_fields_without_value(fields), None
        else:
            raise self._error(f"unknown bound type {_q(fields[0])}")
        col = self.col_code.get(col_name)
        if col is None:
            raise self._error(f"unknown column {_q(col_name)} in BOUNDS")
        value = self._bound_number(token) if token is not None else 0.0
        self._apply_bound(bound_type, col, value)

    def _bound_fields_with_value(self, fields: list) -> tuple:
        if len(fields) == 3:
            return fields[1], fields[2]
        if len(fields) == 4:
            return fields[2], fields[3]
        raise self._error(f"{fields[0]} bound needs an optional bound name, a column and a value")

    def _bound_fields_without_value(self, fields: list) -> str:
        if len(fields) == 2:
            return fields[1]
        if len(fields) == 3:
            # "MI BND x" or "MI x <ignored value>": a known column first means no bound name
            first_is_column = fields[1] in self.col_code and fields[2] not in self.col_code
            return fields[1] if first_is_column else fields[2]
        if len(fields) == 4:
            return fields[2]
        raise self._error(f"{fields[0]} bound needs an optional bound name and a column")

    def _apply_bound(self, bound_type: str, col: int, value: float) -> None:
        sets_lower, sets_upper = bound_type in _SETS_LOWER, bound_type in _SETS_UPPER
        if (sets_lower and self.has_lower[col]) or (sets_upper and self.has_upper[col]):
            side = "lower" if sets_lower and self.has_lower[col] else "upper"
            self._warn(
                f"{bound_type} bound on column {_q(self.col_names[col])} ignored: "
                f"its {side} bound is already set (HiGHS keeps the first)"
            )
            return
        self.binary_by_default[col] = False
        self.has_lower[col] = self.has_lower[col] or sets_lower
        self.has_upper[col] = self.has_upper[col] or sets_upper
        if bound_type in _INTEGER_BOUNDS:
            self.integer[col] = True
        if bound_type == "BV":
            self.lower[col], self.upper[col] = 0.0, 1.0
        elif bound_type in ("MI", "FR"):
            self.lower[col] = -math.inf
        if bound_type in ("PL", "FR"):
            self.upper[col] = math.inf
        if bound_type in ("LO", "FX", "LI"):
            self.lower[col] = value
        if bound_type in ("UP", "FX", "UI"):
            self._set_upper(col, value)
        if bound_type in ("LI", "UI") and math.isfinite(value) and value != round(value):
            self._warn(f"{bound_type} bound {value!r} on integer column {_q(self.col_names[col])} is not integral")

    def _set_upper(self, col: int, value: float) -> None:
        if value < 0 and self.lower[col] == 0.0:
            self._warn(
                f"negative upper bound {value!r} on column {_q(self.col_names[col])} with lower bound 0: "
                "lower bound kept at 0, as HiGHS does (some readers make it -inf)"
            )
        self.upper[col] = value

    # ---- result -------------------------------------------------------------

    def _finish(self) -> MpsProblem:
        if not self.seen_rows_section:
            raise self._error("no ROWS section: not an MPS file")
        if self.section == "COLUMNS":
            self._close_columns()
        if self.objective_choice is not None and self.objective_name != self.objective_choice:
            raise self._error(f"OBJNAME names {_q(self.objective_choice)}, which is not an N row")
        if self.objective_name is None:
            self.warnings.append(f"{self.path}: no N row, so the objective is 0")
        row_lower, row_upper = self._row_bounds()
        indptr, indices, data = self._csr_matrix()
        return MpsProblem(
            name=self.name,
            row_names=self.row_names,
            col_names=self.col_names,
            c=np.array(self.cost, dtype=np.float64),
            obj_constant=float(self.obj_constant),
            sense=self.sense,
            indptr=indptr,
            indices=indices,
            data=data,
            row_lower=row_lower,
            row_upper=row_upper,
            col_lower=self._final_col_bounds(self.lower, 0.0),
            col_upper=self._final_col_bounds(self.upper, 1.0),
            integer=np.array(self.integer, dtype=bool),
            objective_name=self.objective_name,
            format="fixed" if self.fixed else "free",
            warnings=self.warnings,
        )

    def _final_col_bounds(self, bounds: list, binary_value: float) -> np.ndarray:
        # Marker-block integers that no BOUNDS entry touched are binary (MPSX convention).
        result = np.array(bounds, dtype=np.float64)
        result[np.array(self.binary_by_default, dtype=bool)] = binary_value
        return result

    def _row_bounds(self) -> tuple:
        lower = np.empty(len(self.row_names))
        upper = np.empty(len(self.row_names))
        for i, (row_type, rhs, span) in enumerate(zip(self.row_types, self.rhs, self.ranges)):
            lower[i], upper[i] = _row_interval(row_type, rhs, span)
        return lower, upper

    def _csr_matrix(self) -> tuple:
        rows = np.array(self.entry_rows, dtype=np.int64)
        order = np.argsort(rows, kind="stable")  # entries were read by column, so columns stay sorted
        counts = np.bincount(rows, minlength=len(self.row_names))
        indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        indices = np.array(self.entry_cols, dtype=np.int64)[order]
        data = np.array(self.entry_values, dtype=np.float64)[order]
        return indptr, indices, data


def _row_interval(row_type: str, rhs: float, span: Optional[float]) -> tuple:
    """[lower, upper] of a row from its type, RHS and RANGES value (the standard table)."""
    if span is None:
        return {"E": (rhs, rhs), "L": (-math.inf, rhs), "G": (rhs, math.inf)}[row_type]
    width = abs(span)
    if row_type == "L" or (row_type == "E" and span < 0):
        return rhs - width, rhs
    if row_type == "G" or (row_type == "E" and span > 0):
        return rhs, rhs + width
    return rhs, rhs  # E row with range 0
