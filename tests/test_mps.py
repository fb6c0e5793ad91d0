"""The C++ MPS reader and writer (satmip.mps / _core.read_mps, parse_mps,
format_mps, write_mps).

The pure-Python reader satmip.bench.mps is the reference: the C++ reader must
read every benchmark file, every hand-written feature case and every fuzzed
text exactly as it does, warnings and error messages (with line numbers)
included. The writer must produce text that reads back as the same model.

The benchmark files live in helpers.shared_benchmarks() ({mip,lp}/; $SATMIP_SHARED,
else <repo>/../shared); tests that need them skip when they are absent.
"""
from __future__ import annotations

import bz2
import gzip
import lzma
import math
import random
import re
from pathlib import Path

import numpy as np
import pytest
from helpers import missing_shared, shared_benchmarks

import satmip
from satmip import _core
from satmip.bench import mps as reference
from satmip.mps import MpsData, format_mps, parse_mps, read_mps, write_mps

INF = math.inf
DATA_MIP = Path(__file__).parent / "data" / "mip"


def bench_root() -> Path:
    return shared_benchmarks()


BENCHMARK_FILES = sorted((bench_root() / "mip").glob("*.mps.gz")) + sorted((bench_root() / "lp").glob("*.mps.gz"))
DATA_FILES = sorted(DATA_MIP.glob("*.mps.gz"))
needs_benchmarks = pytest.mark.skipif(not BENCHMARK_FILES, reason=missing_shared(bench_root() / "mip"))


def file_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def assert_same_as_reference(data: MpsData, ref: reference.MpsProblem) -> None:
    """Everything the reference reader reports, warnings included."""
    assert data.name == ref.name
    assert data.objective_name == (ref.objective_name or "")
    assert data.row_names == ref.row_names
    assert data.col_names == ref.col_names
    assert (data.sense, data.offset) == (ref.sense, ref.obj_constant)
    np.testing.assert_array_equal(data.cost, ref.c)
    for key in ("col_lower", "col_upper", "row_lower", "row_upper", "integer"):
        np.testing.assert_array_equal(getattr(data, key), getattr(ref, key), err_msg=key)
    indptr, indices, values = data.matrix_csr()  # the reference stores A by rows
    np.testing.assert_array_equal(indptr, ref.indptr)
    np.testing.assert_array_equal(indices, ref.indices)
    np.testing.assert_array_equal(values, ref.data)
    assert data.warnings == ref.warnings


def exact_range_exists(lower: float, upper: float) -> bool:
    """Whether MPS can carry the ranged row [lower, upper] exactly: readers compute
    rhs + |R| or rhs - |R| in doubles, so some R must give lower + R == upper or
    upper - R == lower. (Not always so: [-2.432093302035109, 7] has no such R.)"""
    candidates, above, below = [upper - lower], upper - lower, upper - lower
    for _ in range(8):
        above, below = np.nextafter(above, INF), np.nextafter(below, 0.0)
        candidates += [above, below]
    return any(lower + r == upper or upper - r == lower for r in candidates)


def assert_same_row_bounds(got: MpsData, want: MpsData) -> None:
    """Equal, except that a ranged row MPS cannot carry exactly may be an ulp off."""
    for i in np.flatnonzero((got.row_lower != want.row_lower) | (got.row_upper != want.row_upper)):
        lower, upper = want.row_lower[i], want.row_upper[i]
        assert np.isfinite(lower) and np.isfinite(upper) and lower < upper, (i, lower, upper)
        assert not exact_range_exists(lower, upper), (i, lower, upper)
        np.testing.assert_array_max_ulp([got.row_lower[i], got.row_upper[i]], [lower, upper], maxulp=1)


def assert_same_model(got: MpsData, want: MpsData, names: bool = True) -> None:
    """Equal models; the matrix must be the same CSC arrays (same entry order)."""
    assert (got.sense, got.offset) == (want.sense, want.offset)
    for key in ("cost", "col_lower", "col_upper", "integer", "A_start", "A_index", "A_value"):
        np.testing.assert_array_equal(getattr(got, key), getattr(want, key), err_msg=key)
    assert_same_row_bounds(got, want)
    if names:
        assert got.name == want.name
        assert got.objective_name == want.objective_name
        assert got.row_names == want.row_names
        assert got.col_names == want.col_names


def round_trip(data: MpsData) -> MpsData:
    return parse_mps(format_mps(data), "written.mps")


def write(tmp_path, text: str, name: str = "t.mps", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode())
    return path


def fixed_line(f1="", f2="", f3="", f4="", f5="", f6="") -> str:
    """A data line with its fields in the fixed MPS columns 2-3, 5-12, 15-22, 25-36, 40-47, 50-61."""
    line = " " + f1.ljust(2) + " " + f2.ljust(8) + "  " + f3.ljust(8) + "  " + f4.ljust(12)
    return (line + "   " + f5.ljust(8) + "  " + f6).rstrip()


# ---------------------------------------------------------------------------
# (a) Same reading as the reference reader on real files
# ---------------------------------------------------------------------------


@needs_benchmarks
@pytest.mark.parametrize("path", BENCHMARK_FILES, ids=[file_id(p) for p in BENCHMARK_FILES])
def test_benchmark_file_reads_as_the_reference_reads_it(path):
    assert_same_as_reference(read_mps(path), reference.read_mps(path))


@pytest.mark.parametrize("path", DATA_FILES, ids=[file_id(p) for p in DATA_FILES])
def test_data_file_reads_as_the_reference_reads_it(path):
    assert_same_as_reference(read_mps(path), reference.read_mps(path))


def test_benchmark_dialect_traps():
    mip, lp = bench_root() / "mip", bench_root() / "lp"
    if not (mip / "dsbmip.mps.gz").exists() or not (lp / "forplan.mps.gz").exists():
        pytest.skip(missing_shared(mip / "dsbmip.mps.gz"))
    assert read_mps(mip / "dsbmip.mps.gz").num_rows == 1182  # 673 N rows: the first is the objective
    assert read_mps(lp / "e226.mps.gz").offset == pytest.approx(7.113, abs=1e-3)
    forplan = read_mps(lp / "forplan.mps.gz")  # names with spaces: fixed format
    assert "read as fixed-format MPS" in forplan.warnings[0]
    assert any(" " in name for name in forplan.row_names + forplan.col_names)
    assert read_mps(mip / "dcmulti.mps.gz").num_rows == 290  # IMPORTANCES after ENDATA ignored


def test_result_types_and_exports():
    data = read_mps(DATA_MIP / "p0033.mps.gz")
    assert isinstance(data, MpsData) and satmip.read_mps is read_mps and satmip.write_mps is write_mps
    assert data.cost.dtype == np.float64 and data.integer.dtype == bool
    assert data.A_start.dtype == np.int64 and data.A_index.dtype == np.int32 and data.A_value.dtype == np.float64
    assert len(data.A_start) == data.num_cols + 1 and data.A_start[-1] == data.num_nonzeros
    raw = _core.read_mps(str(DATA_MIP / "p0033.mps.gz"))
    assert (raw["num_rows"], raw["num_cols"]) == (data.num_rows, data.num_cols)
    assert set(raw) == set(MpsData.__dataclass_fields__) | {"num_rows", "num_cols"}


# ---------------------------------------------------------------------------
# (b) Hand-written files, one feature each, read as the reference reads them
# ---------------------------------------------------------------------------

ROWS_AND_RANGES = """\
* comment line\twith a TAB
NAME
ROWS
 L  lim
 N  cost
 G  low
 E  eqp
 E  eqn
 E  eq0
 N  spare
 L  lim2
 G  low2
COLUMNS
    x  cost  1   lim  1
    x  spare 9   low  2
    y  lim   .5  eqp  -.4
    y  eqn   1.  eq0  1e0
    y  cost  -2
    z  lim2  1   low2 1
RHS
    RHS  lim 4   low 1
    RHS  eqp 2   eqn 3
    RHS  eq0 5   cost 1.5
    RHS  lim2 10
    RHS  low2 -1
RANGES
    RNG  lim 3   low 2.5
    RNG  eqp 4   eqn -6
    RNG  eq0 0   lim2 -2
    RNG  low2 -3
ENDATA
IMPORTANCES
 this is not MPS and must not be read
"""

BOUNDS_ALL_TYPES = """\
NAME          bnds
ROWS
 N  obj
 L  c
COLUMNS
    a  obj 1   c 1
    b  c 1
    cc c 1
    d  c 1
    e  c 1
    f  c 1
    g  c 1
    h  c 1
    i  c 1
    j  c 1
    k  c 1
RHS
    RHS  c  10
BOUNDS
 UP BND  a  4
 LO BND  b  -2
 UP BND  b  1e30
 FX BND  cc 3.5
 FR BND  d
 MI BND  e
 UP BND  e  5
 PL BND  f
 LO BND  f  1
 BV BND  g
 LI BND  h  -3
 UI BND  h  7
 UI BND  i  1e+30
 LO BND  j  -1e30
 UP BND  k  -2
ENDATA
"""

MARKERS = """\
NAME mark
ROWS
 N obj
 L c
COLUMNS
    x   obj 1   c 1
    M1  'MARKER'  'INTORG'
    b1  obj 1   c 1
    b2  obj 1   c 1
    b3  obj 1   c 1
    b4  obj 1   c 1
    b5  c 1
    M2  'MARKER'  'INTEND'
    y   obj 1   c 1
RHS
    RHS c 10
BOUNDS
 LO BND b2 2
 UP BND b3 5
 MI BND b4
 FX BND b5 3
ENDATA
"""

OBJSENSE_ONE_LINE = "NAME s\nOBJSENSE MAX\nROWS\n N o\n L c\nCOLUMNS\n x o 2 c 1\nRHS\n c 4\nENDATA\n"
OBJSENSE_TWO_LINES = "NAME s\nOBJSENSE\n    MAX\nROWS\n N o\n L c\nCOLUMNS\n x o 2 c 1\nRHS\n c 4\nENDATA\n"
OBJSENSE_UNINDENTED = "NAME s\nOBJSENSE\nMAXIMIZE\nROWS\n N o\n L c\nCOLUMNS\n x o 2 c 1\nENDATA\n"

FIXED_WITH_SPACES = "\n".join(
    [
        "NAME          FIXED",
        "ROWS",
        fixed_line("N", "COST"),
        fixed_line("L", "LIM 1"),
        fixed_line("G", "LIM 2"),
        "COLUMNS",
        fixed_line("", "X 1", "COST", "1.0", "LIM 1", "1.0"),
        fixed_line("", "X 1", "LIM 2", "1.0"),
        fixed_line("", "Y", "COST", "2.0", "LIM 1", "1.0"),
        "RHS",
        fixed_line("", "", "LIM 1", "4.0", "LIM 2", "1.0"),
        "BOUNDS",
        fixed_line("UP", "BND", "Y", "3.0"),
        "ENDATA",
        "",
    ]
)

FEATURE_CASES = {
    "rows-and-ranges": ROWS_AND_RANGES,
    "rows-and-ranges-crlf": ROWS_AND_RANGES.replace("\n", "\r\n"),
    "bounds": BOUNDS_ALL_TYPES,
    "markers": MARKERS,
    "objsense-one-line": OBJSENSE_ONE_LINE,
    "objsense-two-lines": OBJSENSE_TWO_LINES,
    "objsense-unindented": OBJSENSE_UNINDENTED,
    "objsense-min": OBJSENSE_ONE_LINE.replace("MAX", "MINIMIZE"),
    "fixed-with-spaces": FIXED_WITH_SPACES,
    "fixed-utf8-name": FIXED_WITH_SPACES.replace("LIM 1", "LÏM 1"),  # columns count characters, not bytes
    "default-row-bounds": "NAME d\nROWS\n N o\n E e\n L l\n G g\nCOLUMNS\n x e 1 l 1\n x g 1\nENDATA\n",
    "rhs-on-dropped-row": "NAME f\nROWS\n N obj\n N spare\n L c\nCOLUMNS\n x obj 1 spare 3\n x c 1\n"
    "RHS\n c 4 spare 7\nENDATA\n",
    "repeated-bounds": "NAME r\nROWS\n N o\nCOLUMNS\n x o 1\n"
    "BOUNDS\n UP B x 4\n UP B x 7\n FX B x 1\n LO B x -1\nENDATA\n",
    "bounds-without-set-name": "NAME nb\nROWS\n N o\nCOLUMNS\n x o 1\n y o 1\n z o 1\n w o 1\n v o 1\n"
    "BOUNDS\n UP x 4\n LO x -1\n MI y\n BV z\n FR w\n LI v 2\n MI x 7\nENDATA\n",
    "rhs-without-set-name": "NAME\nROWS\n N o\n L c1\n G c2\nCOLUMNS\n x o 1 c1 1\n x c2 1\nRHS\n c1 4 c2 1\n o 2.5\n"
    "RANGES\n c1 1\nENDATA\n",
    "objective-not-first": "NAME\nROWS\n G g\n N first\n N second\n N third\nCOLUMNS\n x g 1 first 3\n"
    " x second 4 third 5\n y third 1\nENDATA\n",
    "objname": "NAME\nOBJNAME second\nROWS\n N first\n N second\nCOLUMNS\n x first 3 second 4\nENDATA\n",
    "objname-two-lines": "NAME\nOBJNAME\n second\nROWS\n N first\n N second\nCOLUMNS\n x first 3 second 4\nENDATA\n",
    "fortran-numbers-no-endata": "NAME\nROWS\n N o\n L c\nCOLUMNS\n x o 1.5D+01 c -2d-1\nRHS\n c 1E1\n",
    "odd-numbers": "NAME\nROWS\n N o\n L c\n L d\nCOLUMNS\n x o +.5 c -4.\n x d 1e300\nRHS\n c 1e-400 d -1e31\n",
    "zeros-and-duplicates": "NAME\nROWS\n N o\n L c\n L d\nCOLUMNS\n x o 0 c 0\n x d 2 c 5\n x d 3 o 1\n x o 2\n"
    "RHS\n R c 1 c 2\n R o 1 o 2\n R c x\nRANGES\n R c 1 c y\n R o 3\nENDATA\n",
    "integer-bounds-not-integral": "NAME\nROWS\n N o\nCOLUMNS\n x o 1\n y o 1\n"
    "BOUNDS\n LI B x 1.5\n UI B y 2.5\nENDATA\n",
    "marker-not-closed": "NAME\nROWS\n N o\nCOLUMNS\n M 'MARKER' 'INTORG'\n x o 1\nRHS\nENDATA\n",
    "marker-lower-case": "NAME\nROWS\n n o\n l c\nCOLUMNS\n M 'marker' 'intorg'\n x o 1 c 1\n"
    " M 'Marker' 'IntEnd'\nendata\n",
    "no-objective": "NAME\nROWS\n L c\nCOLUMNS\n x c 1\nENDATA\n",
    "sections-repeated": "NAME a\nROWS\n N o\nCOLUMNS\n x o 1\nROWS\n L c\nCOLUMNS\n x c 2\n y c 3\nNAME b\nENDATA\n",
    "latin1-names": "NAME caf\xe9\nROWS\n N o\n L r\xe9\nCOLUMNS\n x\xff o 1 r\xe9 2\nENDATA\n",
    "free-rows-only": "NAME\nROWS\n N o\n N p\nCOLUMNS\n x p 1\nENDATA\n",
}


def case_bytes(text: str) -> bytes:
    # the latin-1 case must stay invalid UTF-8; all others are ASCII or meant as UTF-8
    return text.encode("latin-1") if "\xff" in text else text.encode()


@pytest.mark.parametrize("key", sorted(FEATURE_CASES))
def test_feature_case_reads_as_the_reference_reads_it(key):
    raw = case_bytes(FEATURE_CASES[key])
    assert_same_as_reference(parse_mps(raw, "case.mps"), reference.parse_mps_text(reference._decode(raw), "case.mps"))


def test_rows_ranges_objective_constant_and_free_rows(tmp_path):
    p = read_mps(write(tmp_path, ROWS_AND_RANGES, newline="\r\n"))
    assert p.name == "" and p.objective_name == "cost"
    assert p.row_names == ["lim", "low", "eqp", "eqn", "eq0", "lim2", "low2"]
    assert p.col_names == ["x", "y", "z"]
    np.testing.assert_array_equal(p.cost, [1, -2, 0])
    assert p.offset == -1.5 and p.sense == 1  # RHS on the objective row is minus the constant
    np.testing.assert_array_equal(p.row_lower, [1, 1, 2, -3, 5, 8, -1])
    np.testing.assert_array_equal(p.row_upper, [4, 3.5, 6, 3, 5, 10, 2])
    np.testing.assert_array_equal(p.A_start, [0, 2, 6, 8])  # by columns, in file order
    np.testing.assert_array_equal(p.A_index, [0, 1, 0, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(p.A_value, [1, 2, 0.5, -0.4, 1, 1, 1, 1])


def test_every_bound_type():
    p = parse_mps(BOUNDS_ALL_TYPES)
    assert p.name == "bnds"
    np.testing.assert_array_equal(p.col_lower, [0, -2, 3.5, -INF, -INF, 1, 0, -3, 0, -INF, 0])
    np.testing.assert_array_equal(p.col_upper, [4, INF, 3.5, INF, 5, INF, 1, 7, INF, INF, -2])
    np.testing.assert_array_equal(p.integer, [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0])
    assert any("negative upper bound -2.0 on column 'k'" in w for w in p.warnings)


def test_marker_integers_are_binary_unless_bounds_touch_them():
    p = parse_mps(MARKERS)
    np.testing.assert_array_equal(p.integer, [0, 1, 1, 1, 1, 1, 0])
    np.testing.assert_array_equal(p.col_lower, [0, 0, 2, 0, -INF, 3, 0])
    np.testing.assert_array_equal(p.col_upper, [INF, 1, INF, 5, INF, 3, INF])


@pytest.mark.parametrize("text", [OBJSENSE_ONE_LINE, OBJSENSE_TWO_LINES, OBJSENSE_UNINDENTED])
def test_objsense_max(text):
    p = parse_mps(text)
    assert p.sense == -1
    np.testing.assert_array_equal(p.cost, [2])  # the file's own sense, not negated


def test_fixed_format_names_with_spaces():
    p = parse_mps(FIXED_WITH_SPACES)
    assert p.row_names == ["LIM 1", "LIM 2"] and p.col_names == ["X 1", "Y"]
    assert p.warnings[0].startswith("<string>: read as fixed-format MPS because free format failed: ")
    with pytest.raises(ValueError):
        parse_mps(FIXED_WITH_SPACES, format="free")
    assert parse_mps(FIXED_WITH_SPACES, format="fixed").col_names == ["X 1", "Y"]
    with pytest.raises(ValueError, match="format must be"):
        parse_mps(FIXED_WITH_SPACES, format="sideways")


def test_warnings_name_file_and_line():
    p = parse_mps(FEATURE_CASES["zeros-and-duplicates"], "dup.mps")
    assert p.warnings == [
        "dup.mps:9: column 'x' has a second value for row 'd': ignored",
        "dup.mps:10: column 'x' has a second value for row 'o': ignored",
        "dup.mps:12: second RHS value for row 'c' ignored",
        "dup.mps:13: second RHS value for objective row 'o' ignored",
        "dup.mps:14: second RHS value for row 'c' ignored",  # its bad number is never read
        "dup.mps:16: second RANGES value for row 'c' ignored",
        "dup.mps:17: RANGES entry for N row 'o' ignored",
    ]
    np.testing.assert_array_equal(p.cost, [1])
    np.testing.assert_array_equal(p.A_value, [2, 5])  # zeros are not stored, the first value counts


GOOD_HEAD = "NAME e\nROWS\n N o\n L c\nCOLUMNS\n x o 1 c 1\n"  # lines 1-6

ERROR_CASES = [
    # (text, line of the error, words in the message)
    (GOOD_HEAD + "FOO\n", 7, "unknown section 'FOO'"),
    (GOOD_HEAD + " y nope 1\n", 7, "unknown row 'nope' in COLUMNS"),
    (GOOD_HEAD + "RHS\n R c 1 nope 2\n", 8, "unknown row 'nope' in RHS"),
    (GOOD_HEAD + "RANGES\n R nope 2\n", 8, "unknown row 'nope' in RANGES"),
    (GOOD_HEAD + "BOUNDS\n UP B nope 2\n", 8, "unknown column 'nope' in BOUNDS"),
    (GOOD_HEAD + " y c 1.2.3\n", 7, "bad number '1.2.3'"),
    (GOOD_HEAD + " y c nan\n", 7, "bad number 'nan'"),
    *[(GOOD_HEAD + where.format(number), line, f"number '{number}' is not finite")
      for where, line in [(" y c {}\n", 7), (" y o {}\n", 7), ("RHS\n R c {}\n", 8), ("RHS\n R o {}\n", 8),
                          ("RANGES\n R c {}\n", 8), ("BOUNDS\n UP B x {}\n", 8), ("BOUNDS\n FX x {}\n", 8)]
      for number in ["1e400", "-1e400", "inf", "-Infinity", "+INF", "1D400"]],
    (GOOD_HEAD + "RHS\n R c NaN\n", 8, "bad number 'NaN'"),
    (GOOD_HEAD + "BOUNDS\n LO B x -nan\n", 8, "bad number '-nan'"),
    (GOOD_HEAD + "RANGES\n R c 1e\n", 8, "bad number '1e'"),
    (GOOD_HEAD + " y c 1_0\n", 7, "bad number '1_0'"),
    (GOOD_HEAD + " y c 0x10\n", 7, "bad number '0x10'"),
    (GOOD_HEAD + "RHS\n R c abc\n", 8, "bad number 'abc'"),
    (GOOD_HEAD + "BOUNDS\n UP B x 1e\n", 8, "bad number '1e'"),
    ("NAME e\nROWS\n N o\n L c\n G c\n", 5, "duplicate row name 'c'"),
    ("NAME e\nROWS\n N o\n N o\n", 4, "duplicate row name 'o'"),
    ("NAME e\nROWS\n N o\n X c\n", 4, "unknown row type 'X'"),
    ("NAME e\nROWS\n N o\n L\n", 4, "ROWS line needs a type and a name, got 'L'"),
    (GOOD_HEAD + "BOUNDS\n XX B x 2\n", 8, "unknown bound type 'XX'"),
    (GOOD_HEAD + "BOUNDS\n SC B x 2\n", 8, "not supported"),
    (GOOD_HEAD + "BOUNDS\n UP B x 2 3\n", 8, "UP bound needs an optional bound name, a column and a value"),
    (GOOD_HEAD + "BOUNDS\n FR\n", 8, "FR bound needs an optional bound name and a column"),
    (GOOD_HEAD + " M 'MARKER' 'INTEND'\n", 7, "unexpected marker \"'INTEND'\" outside an INTORG block"),
    (GOOD_HEAD + " M 'MARKER' 'INTORG'\n M 'MARKER' 'INTORG'\n", 8, "inside an INTORG block"),
    (GOOD_HEAD + " y c 1\n x c 2\n", 8, "column 'x' appears again"),
    (GOOD_HEAD + " y c 1 o\n", 7, "COLUMNS line needs a column and one or two (row, value) pairs, got 4 fields"),
    (GOOD_HEAD + "RHS\n R c 1 c 2 c\n", 8, "RHS line needs an optional set name"),
    (GOOD_HEAD + "QUADOBJ\n", 7, "QUADOBJ is not supported"),
    ("NAME e\n x o 1\n", 2, "data line 'x o 1' outside section NAME that takes data"),
    (" x o 1\n", 1, "outside any section"),
    ("p cnf 3 2\n1 2 0\n", 1, "unknown section 'p'"),
    ("* only a comment\n", 1, "no ROWS section"),
    ("", 0, "no ROWS section"),
    ("NAME e\nOBJSENSE\n    SIDEWAYS\n", 3, "OBJSENSE must be MIN or MAX, not 'SIDEWAYS'"),
    ("NAME e\nROWS\n N o\nOBJNAME o\n", 4, "OBJNAME must come before ROWS"),
    ("NAME e\nOBJNAME a b\n", 2, "OBJNAME takes one row name"),
    ("NAME e\nOBJNAME z\nROWS\n N o\nCOLUMNS\n x o 1\nENDATA\n", 7, "OBJNAME names 'z', which is not an N row"),
    ("NAME e\nROWS\n N o\n L it's\nCOLUMNS\n c it's 1 \"q 1\n", 6, "unknown row '\"q' in COLUMNS"),
    ("NAME e\nROWS\n N o\n L it's\nCOLUMNS\n c it's 1 a'\"b 1\n", 6, "unknown row 'a\\'\"b' in COLUMNS"),
    ("NAME e\nROWS\n N o\n L it's\nCOLUMNS\n c it's 1 \x01\xff 1\n", 6, "unknown row '\\x01\xff' in COLUMNS"),
]


@pytest.mark.parametrize("text, line, words", ERROR_CASES, ids=[case[2] for case in ERROR_CASES])
def test_errors_match_the_reference(text, line, words):
    with pytest.raises(ValueError) as caught:
        parse_mps(text, "case.mps")
    message = str(caught.value)
    assert message.startswith(f"case.mps:{line}: ") and words in message
    with pytest.raises(reference.MpsError) as expected:
        reference.parse_mps_text(text, "case.mps")
    if "QUADOBJ" not in text:  # the reference says "can be checked", we say "is read"
        assert message == str(expected.value)
    assert expected.value.line == line


def test_error_names_the_file(tmp_path):
    path = write(tmp_path, GOOD_HEAD + " y nope 1\n")
    with pytest.raises(ValueError, match=re.escape(f"{path}:7: unknown row 'nope' in COLUMNS")):
        read_mps(path)


def test_later_failure_wins_between_free_and_fixed():
    # free format fails at line 6 (a name with a space), fixed format later at line 7
    text = FIXED_WITH_SPACES.splitlines()
    text[6] = " xx  " + text[6][5:]
    text = "\n".join(text[:7] + [" bad line" + " " * 60 + "x"] + text[7:])
    with pytest.raises(ValueError) as caught:
        parse_mps(text)
    with pytest.raises(reference.MpsError) as expected:
        reference.parse_mps_text(text)
    assert str(caught.value) == str(expected.value)


# ---------------------------------------------------------------------------
# (c) Round trips: format_mps / write_mps, then read
# ---------------------------------------------------------------------------


def expected_written_name(name: str) -> str:
    """How the writer repairs a name free MPS cannot carry (before any _<k> suffix)."""
    return "".join("_" if ord(c) <= 0x20 or ord(c) == 0x7F else c for c in name)


def assert_names_repaired(got: list, given: list) -> None:
    """Unique names; a changed one is the repaired original, perhaps with a _<k> suffix."""
    assert len(set(got)) == len(got)
    for new, old in zip(got, given):
        if new != old:
            assert re.fullmatch(re.escape(expected_written_name(old)) + r"(_\d+)?", new), (old, new)


@needs_benchmarks
@pytest.mark.parametrize("path", BENCHMARK_FILES, ids=[file_id(p) for p in BENCHMARK_FILES])
def test_benchmark_file_round_trip(path):
    data = read_mps(path)
    again = round_trip(data)
    plain_names = all(" " not in n for n in data.row_names + data.col_names)
    assert_same_model(again, data, names=plain_names)
    if not plain_names:
        assert_names_repaired(again.row_names, data.row_names)
        assert_names_repaired(again.col_names, data.col_names)


def random_model(rng: np.random.Generator, with_names: bool = True, exponents=(-12, 25), odd_bounds=True) -> MpsData:
    """Random sparse matrix, every kind of bound (infinite, fixed, ranged, a negative upper
    bound over a zero lower one; with odd_bounds also a lower bound of +inf and an upper
    bound of -inf), integers, either sense, an offset; values of magnitude 10**exponents,
    all below MPS's infinity 1e30."""
    m, n = int(rng.integers(0, 12)), int(rng.integers(1, 15))

    def value(size):
        kind = rng.integers(0, 4, size)
        wild = rng.normal(size=size) * 10.0 ** rng.integers(*exponents, size)
        return np.where(kind == 0, rng.integers(-9, 10, size), np.where(kind == 1, rng.normal(size=size), wild))

    def interval(size):
        lower, upper = value(size), value(size)
        lower, upper = np.minimum(lower, upper), np.maximum(lower, upper)
        kind = rng.integers(0, 7, size)
        lower = np.where((kind == 0) | (kind == 1), -INF, lower)
        upper = np.where((kind == 0) | (kind == 2), INF, upper)
        upper = np.where(kind == 3, lower, upper)  # fixed / equality
        return lower, upper

    starts, index, values = [0], [], []
    for _ in range(n):
        rows = rng.permutation(m)[: int(rng.integers(0, m + 1))]
        index.extend(rows.tolist())
        vals = value(len(rows))
        values.extend(np.where(vals == 0, 1.0, vals).tolist())  # the reader drops explicit zeros
        starts.append(len(index))
    col_lower, col_upper = interval(n)
    special = rng.integers(0, 8, n)
    col_lower = np.where(special == 0, 0.0, col_lower)  # negative upper bound above a zero lower bound
    col_upper = np.where(special == 0, -np.abs(value(n)) - 1, col_upper)
    if odd_bounds:  # bounds MPS can only write as +-1e30
        col_lower = np.where(special == 1, INF, col_lower)
        col_upper = np.where(special == 2, -INF, col_upper)
    col_lower, col_upper = np.where(special == 3, 0.0, col_lower), np.where(special == 3, INF, col_upper)
    row_lower, row_upper = interval(m)
    cost = np.where(rng.random(n) < 0.3, 0.0, value(n))
    names = lambda prefix, k: [f"{prefix}{i}_{rng.integers(1000)}" for i in range(k)] if with_names else []
    return MpsData(
        name=f"random {rng.integers(1000)}", objective_name="cost" if with_names else "",
        sense=int(rng.choice([1, -1])),
        offset=float(value(1)[0]) if rng.random() < 0.5 else 0.0, cost=cost.astype(np.float64),
        col_lower=col_lower.astype(np.float64), col_upper=col_upper.astype(np.float64),
        row_lower=row_lower.astype(np.float64), row_upper=row_upper.astype(np.float64),
        integer=rng.random(n) < 0.4,
        A_start=np.array(starts, dtype=np.int64), A_index=np.array(index, dtype=np.int32),
        A_value=np.array(values, dtype=np.float64), row_names=names("r", m), col_names=names("c", n),
    )


@pytest.mark.parametrize("seed", range(300))
def test_random_model_round_trip(seed):
    data = random_model(np.random.default_rng(seed))
    assert_same_model(round_trip(data), data)


def test_random_model_without_names_gets_generated_names():
    data = random_model(np.random.default_rng(7), with_names=False)
    again = round_trip(data)
    assert_same_model(again, data, names=False)
    assert again.objective_name == "obj"
    assert again.row_names == [f"R{i}" for i in range(data.num_rows)]
    assert again.col_names == [f"C{j}" for j in range(data.num_cols)]


def test_write_mps_file_round_trip(tmp_path):
    data = read_mps(DATA_MIP / "vpm1.mps.gz")
    write_mps(data, tmp_path / "vpm1.mps")
    assert_same_model(read_mps(tmp_path / "vpm1.mps"), data)
    write_mps(data.to_dict(), tmp_path / "again.mps")  # the plain dict shape works as well
    assert (tmp_path / "again.mps").read_text() == format_mps(data)


def tiny(**changes) -> MpsData:
    base = dict(
        name="tiny", objective_name="obj", sense=1, offset=0.0, cost=np.array([1.0, 2.0]),
        col_lower=np.zeros(2), col_upper=np.full(2, INF),
        row_lower=np.array([-INF, 1.0]), row_upper=np.array([4.0, INF]),
        integer=np.array([False, True]), A_start=np.array([0, 2, 3]), A_index=np.array([0, 1, 1]),
        A_value=np.array([1.0, 2.0, 3.0]), row_names=["a", "b"], col_names=["x", "y"],
    )
    base.update(changes)
    return MpsData(**base)


def test_written_text_layout():
    text = format_mps(tiny(sense=-1, offset=2.5, col_upper=np.array([INF, 1e40])))
    assert text.splitlines() == [
        "NAME tiny", "OBJSENSE", "    MAX", "ROWS", " N  obj", " L  a", " G  b", "COLUMNS",
        "    x  obj  1", "    x  a  1", "    x  b  2",
        "    MARKER  'MARKER'  'INTORG'", "    y  obj  2", "    y  b  3", "    MARKER  'MARKER'  'INTEND'",
        "RHS", "    RHS  obj  -2.5", "    RHS  a  4", "    RHS  b  1",
        "BOUNDS", " LO  BND  y  0", " PL  BND  y", "ENDATA",
    ]


def test_unwritable_names_are_repaired():
    data = tiny(row_names=["a b", "'MARKER'"], col_names=["", "x\ty"], objective_name="a_b", name=" two\nlines ")
    again = round_trip(data)
    assert_same_model(again, data, names=False)
    assert again.objective_name == "a_b" and again.row_names == ["a_b_1", "'MARKER'_1"]
    assert again.col_names == ["C0", "x_y"] and again.name == "two_lines"


def test_duplicate_names_are_made_unique():
    again = round_trip(tiny(row_names=["obj", "obj"], col_names=["x", "x"]))
    assert again.row_names == ["obj", "obj_1"] and again.objective_name == "obj_2"
    assert again.col_names == ["x", "x_1"]


def test_empty_column_and_no_rows_round_trip():
    data = tiny(row_lower=np.array([]), row_upper=np.array([]), A_start=np.array([0, 0, 0]), A_index=np.array([]),
                A_value=np.array([]), row_names=[], cost=np.array([0.0, 0.0]))
    assert_same_model(round_trip(data), data)


def test_explicit_zero_entries_are_not_written():
    again = round_trip(tiny(A_value=np.array([1.0, 0.0, 3.0])))
    np.testing.assert_array_equal(again.A_start, [0, 1, 2])
    np.testing.assert_array_equal(again.A_value, [1.0, 3.0])


def test_ranged_rows_are_exact_where_mps_allows():
    rng = np.random.default_rng(3)
    lower = rng.normal(size=2000) * 10.0 ** rng.integers(-10, 20, 2000)
    upper = lower + np.abs(rng.normal(size=2000)) * 10.0 ** rng.integers(-10, 20, 2000)
    keep = upper > lower
    lower, upper = lower[keep], upper[keep]
    data = tiny(row_lower=lower, row_upper=upper, A_start=np.array([0, 0, 0]), A_index=np.array([]),
                A_value=np.array([]), row_names=[])
    again = round_trip(data)
    assert_same_row_bounds(again, data)
    exact = (again.row_lower == lower) & (again.row_upper == upper)
    assert exact.mean() > 0.9  # the others have no exact form (see exact_range_exists)


@pytest.mark.parametrize(
    "changes, words",
    [
        (dict(row_lower=np.array([5.0, 1.0]), row_upper=np.array([4.0, INF])), "row a has lower bound > upper bound"),
        (dict(row_lower=np.array([-9e29, 1.0]), row_upper=np.array([9e29, INF])), "1e30 or more"),
        (dict(cost=np.array([INF, 1.0])), "cost[0] is not finite"),
        (dict(col_lower=np.array([math.nan, 0.0])), "col_lower[0] is NaN"),
        (dict(A_value=np.array([1.0, math.inf, 3.0])), "A.value[1] is not finite"),
        (dict(A_index=np.array([0, 2, 1])), "A.index[1] = 2 is not a row"),
        (dict(A_index=np.array([0, 0, 1]), A_start=np.array([0, 2, 3])), "column x has two entries in row a"),
        (dict(A_start=np.array([0, 3, 2])), "A.start decreases"),
        (dict(cost=np.array([1.0])), "has 2 entries, expected 1"),  # num_cols follows cost
        (dict(col_names=["x"]), "col_names has 1 entries"),
        (dict(sense=0), "sense must be 1"),
        (dict(offset=math.nan), "offset is not finite"),
    ],
)
def test_writer_rejects_models_mps_cannot_hold(changes, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        format_mps(tiny(**changes))


def test_highs_reads_the_written_files_as_we_do(tmp_path):
    highspy = pytest.importorskip("highspy")
    # moderate values: HiGHS drops entries below 1e-9 and takes 1e20 as infinite
    models = [random_model(np.random.default_rng(seed), exponents=(-3, 6), odd_bounds=False) for seed in range(5)]
    models += [read_mps(p) for p in DATA_FILES]
    for k, data in enumerate(models):
        path = tmp_path / f"m{k}.mps"
        write_mps(data, path)
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        assert highs.readModel(str(path)) != highspy.HighsStatus.kError
        lp = highs.getLp()
        ours = read_mps(path)
        assert (lp.num_row_, lp.num_col_) == (ours.num_rows, ours.num_cols)
        huge = lambda v: np.where(v >= 1e20, INF, np.where(v <= -1e20, -INF, v))  # HiGHS's infinity is 1e20
        np.testing.assert_array_equal(np.asarray(lp.col_cost_), ours.cost)
        for key in ("col_lower", "col_upper", "row_lower", "row_upper"):
            highs_values = huge(np.asarray(getattr(lp, key + "_")))
            np.testing.assert_array_equal(highs_values, huge(getattr(ours, key)), err_msg=key)
        assert lp.offset_ == ours.offset and list(lp.col_names_) == ours.col_names
        assert list(lp.row_names_) == ours.row_names
        integrality = np.array([int(v) for v in lp.integrality_] or [0] * lp.num_col_)
        np.testing.assert_array_equal(integrality == 1, ours.integer)
        np.testing.assert_array_equal(np.asarray(lp.a_matrix_.start_), ours.A_start)
        np.testing.assert_array_equal(np.asarray(lp.a_matrix_.index_), ours.A_index)
        np.testing.assert_array_equal(np.asarray(lp.a_matrix_.value_), ours.A_value)


# ---------------------------------------------------------------------------
# (d) Compressed input and unreadable files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("opener", [gzip.open, bz2.open, lzma.open], ids=["gz", "bz2", "xz"])
def test_compressed_files_are_detected_by_magic_bytes(tmp_path, opener):
    path = tmp_path / "no_telling_suffix.mps"  # the suffix must not matter
    with opener(path, "wb") as handle:
        handle.write(MARKERS.encode())
    assert_same_model(read_mps(path), parse_mps(MARKERS))


def test_missing_or_unreadable_files_raise_oserror(tmp_path):
    with pytest.raises(OSError, match="cannot open"):
        read_mps(tmp_path / "missing.mps")
    with pytest.raises(OSError):
        read_mps(tmp_path)  # a directory
    (tmp_path / "broken.mps.gz").write_bytes(gzip.compress(MARKERS.encode())[:-12])
    with pytest.raises(OSError, match="gzip"):
        read_mps(tmp_path / "broken.mps.gz")
    with pytest.raises(OSError, match="cannot open for writing"):
        write_mps(tiny(), tmp_path / "no" / "such" / "dir.mps")


# ---------------------------------------------------------------------------
# (e) Fuzz: mutated files read as the reference reads them, never crash
# ---------------------------------------------------------------------------

FUZZ_BASE = (
    "* fuzz base\nNAME fuzz\nOBJSENSE\n    MAX\nROWS\n N obj\n L c1\n G c2\n E c3\n N spare\nCOLUMNS\n"
    "    x obj 1 c1 2\n    x c2 -1.5\n    M 'MARKER' 'INTORG'\n    y obj 3 c3 1\n    y spare 4\n"
    "    M 'MARKER' 'INTEND'\n    z c1 1e30 c2 .5\nRHS\n    R c1 4 c2 -1\n    R obj 2.5 c3 3\n"
    "RANGES\n    G c1 2 c3 -1\nBOUNDS\n UP B x 4\n MI B z\n LI B y -2\n UI B y 9\n FR B x\nENDATA\n"
).encode()
FUZZ_TOKENS = [
    b"1e30", b"-1e31", b"nan", b"inf", b"-Infinity", b"1D3", b".", b"-", b"1_0",
    b"'MARKER'", b"'INTORG'", b"'INTEND'",
    b"UP", b"MI", b"BV", b"SC", b"PL", b"N", b"E", b"L", b"OBJSENSE", b"OBJNAME", b"MAX", b"ROWS", b"COLUMNS", b"RHS",
    b"RANGES", b"BOUNDS", b"ENDATA", b"", b"x", b"y", b"c1", b"obj", b"spare", b"*", b"a b", b"it's", b'"', b"\\",
]
# Bytes to splice in: no 0x85 / 0xA0, which Python treats as whitespace once decoded as Latin-1.
FUZZ_BYTES = b" \t\r\n\x0b\x0c\x1c\x1f\x00'\"*.-+eEdD0123456789NAMEXYZxyz\x7f\x80\x9f\xa1\xc3\xa9\xe9\xff"


def mutate(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 3)):
        lines = data.split(b"\n")
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        op = rng.randrange(9)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[j])
        elif op == 2:
            lines[i] = lines[j]
        elif op == 3:
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 4:  # replace a field
            fields = lines[i].split(b" ")
            fields[rng.randrange(len(fields))] = rng.choice(FUZZ_TOKENS)
            lines[i] = b" ".join(fields)
        data = b"\n".join(lines)
        if not data:
            continue
        k = rng.randrange(len(data))
        byte = bytes([rng.choice(FUZZ_BYTES)])
        if op == 5:
            data = data[:k] + byte + data[k + 1:]
        elif op == 6:
            data = data[:k] + byte + data[k:]
        elif op == 7:
            data = data[:k] + data[k + 1:]
        elif op == 8:
            data = data[:k]  # truncated
    return data


def writable(data: MpsData) -> bool:
    """False for what the writer rightly refuses: infinite costs or coefficients, and rows
    whose bounds came out NaN (an infinite RHS with a range)."""
    finite = np.isfinite(data.cost).all() and np.isfinite(data.A_value).all()
    return bool(finite and not np.isnan(data.row_lower).any() and not np.isnan(data.row_upper).any())


def reference_outcome(data: bytes):
    try:
        return reference.parse_mps_text(reference._decode(data), "fuzz.mps")
    except reference.MpsError as error:
        return error


@pytest.mark.parametrize("chunk", range(4))
def test_fuzzed_texts_read_as_the_reference_reads_them(chunk):
    rng = random.Random(1000 + chunk)
    outcomes = {"model": 0, "error": 0}
    for case in range(150):
        data = mutate(rng, FUZZ_BASE)
        expected = reference_outcome(data)
        try:
            got = parse_mps(data, "fuzz.mps")
        except ValueError as error:
            assert isinstance(expected, reference.MpsError), (case, data, error)
            assert str(error) == str(expected), (case, data)
            outcomes["error"] += 1
            continue
        assert isinstance(expected, reference.MpsProblem), (case, data, expected)
        assert_same_as_reference(got, expected)
        if writable(got):  # whatever reads and can be written, writes back
            again = round_trip(got)
            assert_same_model(again, got, names=False)
            assert_names_repaired(again.row_names, got.row_names)
            assert_names_repaired(again.col_names, got.col_names)
        outcomes["model"] += 1
    assert min(outcomes.values()) >= 10  # both kinds of outcome are exercised


def test_a_file_cut_off_before_endata_is_read_with_a_warning():
    """Some writers leave ENDATA out, so the model is read; but a cut-off file is another
    model, so both readers say where it ended."""
    text = "NAME cut\nROWS\n N o\n L c\nCOLUMNS\n x o 1 c 1\nRHS\n rhs c 4\n"
    p = parse_mps(text, "cut.mps")
    assert p.warnings == ["cut.mps:8: " + reference.NO_ENDATA]
    assert reference.parse_mps_text(text, "cut.mps").warnings == p.warnings
    assert parse_mps(text + "ENDATA\n", "whole.mps").warnings == []
