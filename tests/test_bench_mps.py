"""The independent MPS reader (satmip.bench.mps) and the MILP solution checker
(satmip.bench.milp_check): hand-written files for each dialect feature, error
messages with line numbers, compressed files, an exact cross-check against HiGHS's
reading of every benchmark file, and checks of HiGHS solutions (accepted) and of
perturbed ones (rejected).

The benchmark files live in helpers.shared_benchmarks() ({mip,lp}/; $SATMIP_SHARED,
else <repo>/../shared); tests that need them skip when they are absent.
"""
from __future__ import annotations

import bz2
import csv
import gzip
import lzma
import math
from pathlib import Path

import numpy as np
import pytest
from helpers import missing_shared, shared_benchmarks

from satmip.bench.milp_check import MilpCheck, check_solution, compare_objective
from satmip.bench.mps import MpsError, MpsProblem, parse_mps_text, read_mps

INF = math.inf


def bench_root() -> Path:
    return shared_benchmarks()


def bench_files(kind: str) -> list:
    return sorted((bench_root() / kind).glob("*.mps.gz"))


def write(tmp_path, text: str, name: str = "t.mps", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode())
    return path


def fixed_line(f1="", f2="", f3="", f4="", f5="", f6="") -> str:
    """A data line with its fields in the fixed MPS columns 2-3, 5-12, 15-22, 25-36, 40-47, 50-61."""
    line = " " + f1.ljust(2) + " " + f2.ljust(8) + "  " + f3.ljust(8) + "  " + f4.ljust(12)
    return (line + "   " + f5.ljust(8) + "  " + f6).rstrip()


def csr_rows(problem: MpsProblem) -> list:
    """Each row as a list of (column name, value), for readable comparisons."""
    return [
        [(problem.col_names[j], v) for j, v in zip(problem.indices[a:b], problem.data[a:b])]
        for a, b in zip(problem.indptr[:-1], problem.indptr[1:])
    ]


# ---------------------------------------------------------------------------
# Hand-written files, one feature each
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


def test_rows_ranges_objective_constant_and_free_rows(tmp_path):
    p = read_mps(write(tmp_path, ROWS_AND_RANGES, newline="\r\n"))
    assert p.name == ""
    assert p.objective_name == "cost"
    assert p.row_names == ["lim", "low", "eqp", "eqn", "eq0", "lim2", "low2"]
    assert p.col_names == ["x", "y", "z"]
    np.testing.assert_array_equal(p.c, [1, -2, 0])
    assert p.obj_constant == -1.5  # RHS on the objective row is minus the constant
    assert p.sense == 1
    # L: [rhs-|R|, rhs]; G: [rhs, rhs+|R|]; E: R>0 [rhs, rhs+R], R<0 [rhs+R, rhs], R=0 [rhs, rhs]
    np.testing.assert_array_equal(p.row_lower, [1, 1, 2, -3, 5, 8, -1])
    np.testing.assert_array_equal(p.row_upper, [4, 3.5, 6, 3, 5, 10, 2])
    assert csr_rows(p) == [
        [("x", 1), ("y", 0.5)], [("x", 2)], [("y", -0.4)], [("y", 1)], [("y", 1)], [("z", 1)], [("z", 1)],
    ]
    np.testing.assert_array_equal(p.indptr, [0, 2, 3, 4, 5, 6, 7, 8])
    np.testing.assert_array_equal(p.col_lower, [0, 0, 0])
    np.testing.assert_array_equal(p.col_upper, [INF, INF, INF])
    assert not p.integer.any()
    assert p.format == "free"


def test_default_row_bounds_without_rhs(tmp_path):
    text = "NAME d\nROWS\n N o\n E e\n L l\n G g\nCOLUMNS\n x e 1 l 1\n x g 1\nENDATA\n"
    p = read_mps(write(tmp_path, text))
    np.testing.assert_array_equal(p.row_lower, [0, -INF, 0])
    np.testing.assert_array_equal(p.row_upper, [0, 0, INF])


def test_rhs_on_dropped_free_row_is_ignored(tmp_path):
    # HiGHS 1.16 turns this RHS into an objective constant; the row is dropped, so we ignore it.
    text = "NAME f\nROWS\n N obj\n N spare\n L c\nCOLUMNS\n x obj 1 spare 3\n x c 1\nRHS\n c 4 spare 7\nENDATA\n"
    p = read_mps(write(tmp_path, text))
    assert p.obj_constant == 0.0
    assert p.row_names == ["c"] and p.num_nonzeros == 1
    assert any("spare" in warning for warning in p.warnings)


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


def test_every_bound_type(tmp_path):
    p = read_mps(write(tmp_path, BOUNDS_ALL_TYPES))
    assert p.name == "bnds"
    assert p.col_names == ["a", "b", "cc", "d", "e", "f", "g", "h", "i", "j", "k"]
    np.testing.assert_array_equal(p.col_lower, [0, -2, 3.5, -INF, -INF, 1, 0, -3, 0, -INF, 0])
    np.testing.assert_array_equal(p.col_upper, [4, INF, 3.5, INF, 5, INF, 1, 7, INF, INF, -2])
    np.testing.assert_array_equal(p.integer, [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0])


def test_negative_upper_bound_keeps_lower_zero_like_highs(tmp_path):
    p = read_mps(write(tmp_path, BOUNDS_ALL_TYPES))
    k = p.col_names.index("k")
    assert (p.col_lower[k], p.col_upper[k]) == (0.0, -2.0)
    assert any("negative upper bound" in warning and "'k'" in warning for warning in p.warnings)


def test_repeated_bound_side_keeps_the_first_like_highs(tmp_path):
    text = "NAME r\nROWS\n N o\nCOLUMNS\n x o 1\nBOUNDS\n UP B x 4\n UP B x 7\n FX B x 1\n LO B x -1\nENDATA\n"
    p = read_mps(write(tmp_path, text))
    assert (p.col_lower[0], p.col_upper[0]) == (-1.0, 4.0)  # the later UP and the FX are ignored whole
    assert sum("ignored" in warning for warning in p.warnings) == 2


def test_bounds_without_bound_set_name(tmp_path):
    text = (
        "NAME nb\nROWS\n N o\nCOLUMNS\n x o 1\n y o 1\n z o 1\n w o 1\n v o 1\n"
        "BOUNDS\n UP x 4\n LO x -1\n MI y\n BV z\n FR w\n LI v 2\nENDATA\n"
    )
    p = read_mps(write(tmp_path, text))
    np.testing.assert_array_equal(p.col_lower, [-1, -INF, 0, -INF, 2])
    np.testing.assert_array_equal(p.col_upper, [4, INF, 1, INF, INF])
    np.testing.assert_array_equal(p.integer, [0, 0, 1, 0, 1])


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


def test_marker_integers_are_binary_unless_bounds_touch_them(tmp_path):
    p = read_mps(write(tmp_path, MARKERS))
    assert p.col_names == ["x", "b1", "b2", "b3", "b4", "b5", "y"]
    np.testing.assert_array_equal(p.integer, [0, 1, 1, 1, 1, 1, 0])
    # b1: no bound -> [0, 1]; a bound on one side leaves the other at 0 / +inf
    np.testing.assert_array_equal(p.col_lower, [0, 0, 2, 0, -INF, 3, 0])
    np.testing.assert_array_equal(p.col_upper, [INF, 1, INF, 5, INF, 3, INF])


OBJSENSE_ONE_LINE = "NAME s\nOBJSENSE MAX\nROWS\n N o\n L c\nCOLUMNS\n x o 2 c 1\nRHS\n c 4\nENDATA\n"
OBJSENSE_TWO_LINES = "NAME s\nOBJSENSE\n    MAX\nROWS\n N o\n L c\nCOLUMNS\n x o 2 c 1\nRHS\n c 4\nENDATA\n"


@pytest.mark.parametrize("text", [OBJSENSE_ONE_LINE, OBJSENSE_TWO_LINES], ids=["one-line", "two-lines"])
def test_objsense_max(tmp_path, text):
    p = read_mps(write(tmp_path, text))
    assert p.sense == -1
    np.testing.assert_array_equal(p.c, [2])  # the file's own sense, not negated


def test_objsense_min_and_default(tmp_path):
    assert read_mps(write(tmp_path, OBJSENSE_ONE_LINE.replace("MAX", "MINIMIZE"))).sense == 1
    assert read_mps(write(tmp_path, OBJSENSE_ONE_LINE.replace("OBJSENSE MAX\n", ""))).sense == 1


def test_free_format_rhs_and_ranges_without_set_name(tmp_path):
    text = "NAME\nROWS\n N o\n L c1\n G c2\nCOLUMNS\n x o 1 c1 1\n x c2 1\nRHS\n c1 4 c2 1\n o 2.5\nRANGES\n c1 1\nENDATA\n"
    p = read_mps(write(tmp_path, text))
    np.testing.assert_array_equal(p.row_lower, [3, 1])
    np.testing.assert_array_equal(p.row_upper, [4, INF])
    assert p.obj_constant == -2.5


def test_objective_row_not_first_and_several_free_rows(tmp_path):
    text = "NAME\nROWS\n G g\n N first\n N second\n N third\nCOLUMNS\n x g 1 first 3\n x second 4 third 5\n y third 1\nENDATA\n"
    p = read_mps(write(tmp_path, text))
    assert p.objective_name == "first" and p.row_names == ["g"]
    np.testing.assert_array_equal(p.c, [3, 0])
    assert p.col_names == ["x", "y"]  # y only touches a dropped row and still is a column
    assert p.num_nonzeros == 1


def test_objname_selects_the_objective(tmp_path):
    text = "NAME\nOBJNAME second\nROWS\n N first\n N second\nCOLUMNS\n x first 3 second 4\nENDATA\n"
    p = read_mps(write(tmp_path, text))
    assert p.objective_name == "second"
    np.testing.assert_array_equal(p.c, [4])


def test_fortran_exponent_numbers_and_missing_endata(tmp_path):
    text = "NAME\nROWS\n N o\n L c\nCOLUMNS\n x o 1.5D+01 c -2d-1\nRHS\n c 1E1\n"
    p = read_mps(write(tmp_path, text))
    np.testing.assert_array_equal(p.c, [15.0])
    np.testing.assert_array_equal(p.data, [-0.2])
    np.testing.assert_array_equal(p.row_upper, [10.0])


def test_explicit_zero_coefficients_are_not_stored(tmp_path):
    text = "NAME\nROWS\n N o\n L c\n L d\nCOLUMNS\n x o 0 c 0\n x d 2\nENDATA\n"
    p = read_mps(write(tmp_path, text))
    assert csr_rows(p) == [[], [("x", 2)]]


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


def test_fixed_format_names_with_spaces(tmp_path):
    p = read_mps(write(tmp_path, FIXED_WITH_SPACES))
    assert p.format == "fixed"
    assert p.name == "FIXED"
    assert p.row_names == ["LIM 1", "LIM 2"] and p.col_names == ["X 1", "Y"]
    np.testing.assert_array_equal(p.c, [1, 2])
    assert csr_rows(p) == [[("X 1", 1), ("Y", 1)], [("X 1", 1)]]
    np.testing.assert_array_equal(p.row_lower, [-INF, 1])
    np.testing.assert_array_equal(p.row_upper, [4, INF])
    np.testing.assert_array_equal(p.col_upper, [INF, 3])
    with pytest.raises(MpsError):
        read_mps(write(tmp_path, FIXED_WITH_SPACES), format="free")


def test_fixed_format_rejects_text_between_fields(tmp_path):
    # this is what lets "auto" tell a misaligned free-format file from a fixed one
    with pytest.raises(MpsError, match=r":6: text in columns 4-4 lies outside the fixed MPS fields"):
        read_mps(write(tmp_path, "NAME\nROWS\n N  o\n L  c\nCOLUMNS\n xyz o 1 c 1\n"), format="fixed")


@pytest.mark.parametrize("opener", [gzip.open, bz2.open, lzma.open], ids=["gz", "bz2", "xz"])
def test_compressed_files_are_detected_by_magic_bytes(tmp_path, opener):
    path = tmp_path / "no_telling_suffix.mps"  # the suffix must not matter
    with opener(path, "wb") as handle:
        handle.write(MARKERS.encode())
    assert read_mps(path).col_names == read_mps(write(tmp_path, MARKERS, name="plain.mps")).col_names


def test_parse_mps_text_matches_read_mps(tmp_path):
    from_text = parse_mps_text(ROWS_AND_RANGES)
    from_file = read_mps(write(tmp_path, ROWS_AND_RANGES))
    np.testing.assert_array_equal(from_text.row_lower, from_file.row_lower)
    np.testing.assert_array_equal(from_text.data, from_file.data)


# ---------------------------------------------------------------------------
# Errors carry FILE:LINE
# ---------------------------------------------------------------------------

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
    (GOOD_HEAD + " y c 1_0\n", 7, "bad number '1_0'"),
    (GOOD_HEAD + "RHS\n R c abc\n", 8, "bad number 'abc'"),
    ("NAME e\nROWS\n N o\n L c\n G c\n", 5, "duplicate row name 'c'"),
    ("NAME e\nROWS\n N o\n X c\n", 4, "unknown row type 'X'"),
    (GOOD_HEAD + "BOUNDS\n XX B x 2\n", 8, "unknown bound type 'XX'"),
    (GOOD_HEAD + "BOUNDS\n SC B x 2\n", 8, "not supported"),
    (GOOD_HEAD + " M 'MARKER' 'INTEND'\n", 7, "marker"),
    (GOOD_HEAD + " y c 1\n x c 2\n", 8, "column 'x' appears again"),
    (GOOD_HEAD + " y c 1 o\n", 7, "COLUMNS line"),
    (GOOD_HEAD + "QUADOBJ\n", 7, "QUADOBJ is not supported"),
    ("NAME e\n x o 1\n", 2, "outside"),
    ("p cnf 3 2\n1 2 0\n", 1, "unknown section 'p'"),
    ("* only a comment\n", 1, "no ROWS section"),
    ("NAME e\nOBJSENSE\n    SIDEWAYS\n", 3, "OBJSENSE must be MIN or MAX"),
]


@pytest.mark.parametrize("text, line, words", ERROR_CASES, ids=[case[2] for case in ERROR_CASES])
def test_errors_name_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(MpsError) as caught:
        read_mps(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert words in str(caught.value)
    assert caught.value.line == line and isinstance(caught.value, ValueError)


def test_missing_endata_is_tolerated(tmp_path):
    assert read_mps(write(tmp_path, GOOD_HEAD)).num_nonzeros == 1


# ---------------------------------------------------------------------------
# Agreement with HiGHS (hand-written files and every benchmark file)
# ---------------------------------------------------------------------------


def highs_reading(path):
    import highspy
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    status = highs.readModel(str(path))
    assert status != highspy.HighsStatus.kError
    return highs.getLp()


def as_infinite(values) -> np.ndarray:
    # HiGHS turns |value| >= 1e20 (its infinite_bound) into infinity; we use 1e30 (MPS).
    values = np.array(values, dtype=np.float64)
    values[values >= 1e20] = INF
    values[values <= -1e20] = -INF
    return values


def assert_same_as_highs(problem: MpsProblem, lp) -> None:
    nnz = len(lp.a_matrix_.value_)
    assert (problem.num_rows, problem.num_cols, problem.num_nonzeros) == (lp.num_row_, lp.num_col_, nnz)
    np.testing.assert_array_equal(problem.c, np.asarray(lp.col_cost_))
    assert problem.obj_constant == lp.offset_
    assert problem.sense == (-1 if "Maximize" in str(lp.sense_) else 1)
    np.testing.assert_array_equal(problem.col_lower, as_infinite(lp.col_lower_))
    np.testing.assert_array_equal(problem.col_upper, as_infinite(lp.col_upper_))
    np.testing.assert_array_equal(problem.row_lower, as_infinite(lp.row_lower_))
    np.testing.assert_array_equal(problem.row_upper, as_infinite(lp.row_upper_))
    integrality = np.array([int(v) for v in lp.integrality_], dtype=int)
    if integrality.size == 0:  # HiGHS leaves the list empty for an LP
        integrality = np.zeros(lp.num_col_, dtype=int)
    np.testing.assert_array_equal(problem.integer, integrality == 1)
    assert list(problem.col_names) == list(lp.col_names_)
    assert list(problem.row_names) == list(lp.row_names_)
    assert_same_matrix(problem, lp.a_matrix_)


def assert_same_matrix(problem: MpsProblem, matrix) -> None:
    # HiGHS stores A by columns; compare both as (row, column) -> value in one order.
    starts = np.asarray(matrix.start_)
    highs_cols = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    highs_rows, highs_values = np.asarray(matrix.index_), np.asarray(matrix.value_)
    highs_order = np.lexsort((highs_cols, highs_rows))
    ours_rows = problem.row_of_entry()
    ours_order = np.lexsort((problem.indices, ours_rows))
    np.testing.assert_array_equal(ours_rows[ours_order], highs_rows[highs_order])
    np.testing.assert_array_equal(problem.indices[ours_order], highs_cols[highs_order])
    np.testing.assert_array_equal(problem.data[ours_order], highs_values[highs_order])


HAND_WRITTEN_LIKE_HIGHS = {
    "rows-and-ranges": ROWS_AND_RANGES,
    "bounds": BOUNDS_ALL_TYPES,
    "markers": MARKERS,
    "objsense-one-line": OBJSENSE_ONE_LINE,
    "objsense-two-lines": OBJSENSE_TWO_LINES,
    "fixed-with-spaces": FIXED_WITH_SPACES,
}


@pytest.mark.parametrize("key", sorted(HAND_WRITTEN_LIKE_HIGHS))
def test_hand_written_files_read_as_highs_reads_them(tmp_path, key):
    path = write(tmp_path, HAND_WRITTEN_LIKE_HIGHS[key])
    assert_same_as_highs(read_mps(path), highs_reading(path))


BENCHMARK_FILES = bench_files("mip") + bench_files("lp")


@pytest.mark.skipif(not BENCHMARK_FILES, reason=missing_shared(shared_benchmarks("mip")))
@pytest.mark.parametrize("path", BENCHMARK_FILES, ids=[f"{p.parent.name}/{p.name}" for p in BENCHMARK_FILES])
def test_benchmark_file_reads_as_highs_reads_it(path):
    assert_same_as_highs(read_mps(path), highs_reading(path))


def test_benchmark_dialect_traps():
    mip, lp = bench_root() / "mip", bench_root() / "lp"
    if not (mip / "dsbmip.mps.gz").exists() or not (lp / "forplan.mps.gz").exists():
        pytest.skip(missing_shared(mip / "dsbmip.mps.gz"))
    dsbmip = read_mps(mip / "dsbmip.mps.gz")  # 673 N rows: the first is the objective
    assert dsbmip.num_rows == 1182
    assert read_mps(lp / "e226.mps.gz").obj_constant == pytest.approx(7.113, abs=1e-3)
    assert read_mps(lp / "forplan.mps.gz").format == "fixed"  # names with spaces
    assert read_mps(mip / "dcmulti.mps.gz").num_rows == 290  # IMPORTANCES after ENDATA ignored


# ---------------------------------------------------------------------------
# check_solution on a small hand-made problem
# ---------------------------------------------------------------------------

SMALL_MIP = """\
NAME small
ROWS
 N obj
 L cap
 G need
 E bal
COLUMNS
    M 'MARKER' 'INTORG'
    n  obj 2  cap 1
    n  need 1
    M 'MARKER' 'INTEND'
    y  obj 1  cap 1
    y  bal 1
    w  bal -1
RHS
    RHS cap 1000  need 1
    RHS bal 3     obj -5
BOUNDS
 UP BND n 10
 UP BND y 2000
ENDATA
"""


@pytest.fixture
def small(tmp_path) -> MpsProblem:
    return read_mps(write(tmp_path, SMALL_MIP))


def test_check_accepts_feasible_point_and_recomputes_objective(small):
    # n + y <= 1000, n >= 1, y - w = 3, n integer in [0, 10]; objective 2n + y + 5
    result = check_solution(small, [2, 5, 2], reported_objective=14)
    assert isinstance(result, MilpCheck)
    assert result.ok and result.problems == [] and result.max_violation == 0.0
    assert result.objective == 2 * 2 + 5 + 5  # the constant is -(RHS on obj) = 5


def test_check_reports_row_violation(small):
    result = check_solution(small, [2, 5, 2.5])
    assert not result.ok
    assert result.problems == ["row bal: activity 2.5 < lower 3 (-0.5)"]
    assert result.max_violation == pytest.approx(0.5 / 3)


def test_check_reports_bound_and_integrality_violations(small):
    result = check_solution(small, [10.5, 5, 2])
    assert not result.ok
    assert sorted(result.problems) == ["column n must be integer, is 10.5", "column n: value 10.5 > upper 10 (+0.5)"]


def test_check_tolerance_scales_with_the_bound(small):
    # cap's bound is 1000: 5e-4 over it is 5e-7 scaled (accepted), 2e-3 is 2e-6 (rejected)
    accepted = check_solution(small, [1, 999.0005, 996.0005])
    assert accepted.ok and accepted.max_violation == pytest.approx(5e-7)
    rejected = check_solution(small, [1, 999.002, 996.002])
    assert not rejected.ok
    assert rejected.problems[0].startswith("row cap: activity 1000.002 > upper 1000 (+0.002")
    assert check_solution(small, [1, 999.002, 996.002], tol=1e-5).ok


def test_check_integrality_is_absolute(small):
    assert check_solution(small, [2 + 5e-7, 5, 2]).ok
    assert not check_solution(small, [2 + 2e-6, 5, 2]).ok


def test_check_objective_mismatch(small):
    result = check_solution(small, [2, 5, 2], reported_objective=15)
    assert not result.ok
    assert result.problems == ["objective 14 differs from reported 15"]
    assert result.max_violation == 0.0


def test_check_lists_the_worst_of_each_kind(small):
    # many bad columns would fill the list; the integrality problem must still show
    many = read_mps_text_with_columns(40)
    x = np.full(many.num_cols, 50.0)
    x[0] = 0.5
    result = check_solution(many, x)
    assert any("must be integer" in problem for problem in result.problems)
    assert result.problems[-1] == "... and 30 more violations"


def read_mps_text_with_columns(count: int) -> MpsProblem:
    columns = "".join(f" x{j} o 1\n" for j in range(1, count))
    bounds = "".join(f" UP B x{j} 1\n" for j in range(1, count))
    text = f"NAME m\nROWS\n N o\nCOLUMNS\n M 'MARKER' 'INTORG'\n x0 o 1\n M 'MARKER' 'INTEND'\n{columns}BOUNDS\n{bounds}"
    return parse_mps_text(text)


@pytest.mark.parametrize(
    "x, words",
    [([1, 2], "2 values, the problem has 3 columns"), ([1, math.nan, 2], "column y is nan"), ([1, INF, 2], "column y is inf")],
)
def test_check_rejects_unusable_points(small, x, words):
    result = check_solution(small, x)
    assert not result.ok and words in result.problems[0]
    assert math.isnan(result.objective)


def test_check_accepts_a_mapping_with_missing_zeros(small):
    assert check_solution(small, {"n": 1, "y": 3}).ok  # w = 0
    assert "unknown column" in check_solution(small, {"n": 1, "nope": 3}).problems[0]


def test_compare_objective():
    assert compare_objective(100.00005, 100.0, tol=1e-6)
    assert not compare_objective(100.0002, 100.0, tol=1e-6)
    assert compare_objective(1e-7, 0.0)  # absolute near zero
    assert not compare_objective(None, 1.0) and not compare_objective(math.nan, 1.0)
    assert compare_objective(-INF, -INF) and not compare_objective(INF, 1.0)


# ---------------------------------------------------------------------------
# check_solution on HiGHS solutions of benchmark instances, and perturbed ones
# ---------------------------------------------------------------------------

# Fast for HiGHS (together about 3 s on one thread) and covering markers, BV/UI bounds,
# MI bounds, ranges, many N rows (dsbmip), an objective constant (e226) and fixed format
# (forplan). rentacar (3-4 s) and noswot (> 10 s) are left out for time.
SOLVED_INSTANCES = [
    "mip/egout", "mip/p0033", "mip/flugpl", "mip/dsbmip", "mip/gt2", "mip/vpm1", "mip/lseu",
    "mip/enigma", "mip/stein27", "mip/misc03", "mip/mod008",
    "lp/afiro", "lp/boeing1", "lp/e226", "lp/forplan", "lp/blend", "lp/gfrd-pnc",
]


def manifest_optimum(kind: str, name: str):
    with open(bench_root() / kind / "manifest.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["path"] == f"{name}.mps.gz":
                return float(row["optimal_objective"])
    return None


def highs_solve(path):
    import highspy
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("time_limit", 10.0)
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.readModel(str(path))
    highs.run()
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return np.array(highs.getSolution().col_value), highs.getInfo().objective_function_value, optimal


def flip_breaking_a_row(problem: MpsProblem, x):
    """(column, row) where flipping binary `column` pushes `row` well past a bound, or None.
    Worked out from the rows directly, so the checker is not used to choose its own test."""
    activity = problem.row_activity(x)
    rows = problem.row_of_entry()
    for k in range(problem.num_nonzeros):
        j, i = problem.indices[k], rows[k]
        if not problem.integer[j] or (problem.col_lower[j], problem.col_upper[j]) != (0.0, 1.0):
            continue
        moved = activity[i] + problem.data[k] * (1.0 - 2.0 * round(x[j]))
        lower, upper = problem.row_lower[i], problem.row_upper[i]
        if moved > upper + 1e-3 * max(1.0, abs(upper)) or moved < lower - 1e-3 * max(1.0, abs(lower)):
            return j, i
    return None


@pytest.mark.parametrize("instance", SOLVED_INSTANCES)
def test_highs_solution_accepted_and_perturbations_rejected(instance):
    kind, name = instance.split("/")
    path = bench_root() / kind / f"{name}.mps.gz"
    if not path.exists():
        pytest.skip(missing_shared(path))
    problem = read_mps(path)
    x, highs_objective, optimal = highs_solve(path)

    result = check_solution(problem, x, reported_objective=highs_objective)
    assert result.ok, result.problems
    assert compare_objective(result.objective, highs_objective, 1e-6)
    known = manifest_optimum(kind, name)
    if optimal and known is not None:
        assert compare_objective(result.objective, known, 1e-6)

    assert_bound_push_rejected(problem, x)
    if problem.integer.any():
        assert_fractional_rejected(problem, x)
        assert_binary_flip_rejected(problem, x)
    wrong = check_solution(problem, x, reported_objective=highs_objective + 1 + abs(highs_objective) * 1e-3)
    assert not wrong.ok and wrong.problems[-1].startswith("objective ")


def assert_bound_push_rejected(problem: MpsProblem, x) -> None:
    pushed = x.copy()
    finite_upper = np.flatnonzero(np.isfinite(problem.col_upper))
    if finite_upper.size:
        j = int(finite_upper[0])
        pushed[j] = problem.col_upper[j] + 1.0 + 0.01 * abs(problem.col_upper[j])
    else:
        j = int(np.flatnonzero(np.isfinite(problem.col_lower))[0])
        pushed[j] = problem.col_lower[j] - 1.0 - 0.01 * abs(problem.col_lower[j])
    result = check_solution(problem, pushed)
    assert not result.ok
    side = "> upper" if finite_upper.size else "< lower"
    prefix = f"column {problem.col_names[j]}: value "
    assert any(p.startswith(prefix) and side in p for p in result.problems), result.problems


def assert_fractional_rejected(problem: MpsProblem, x) -> None:
    j = int(np.flatnonzero(problem.integer)[0])
    fractional = x.copy()
    fractional[j] = round(x[j]) + 0.37 if problem.col_upper[j] >= round(x[j]) + 1 else round(x[j]) - 0.37
    result = check_solution(problem, fractional)
    assert not result.ok
    assert any(p.startswith(f"column {problem.col_names[j]} must be integer, is ") for p in result.problems)


def assert_binary_flip_rejected(problem: MpsProblem, x) -> None:
    choice = flip_breaking_a_row(problem, x)
    if choice is None:
        return  # no binary whose flip clearly breaks a row
    j, _ = choice
    flipped = x.copy()
    flipped[j] = 1.0 - round(x[j])
    result = check_solution(problem, flipped)
    assert not result.ok
    assert any(p.startswith("row ") and " activity " in p for p in result.problems), result.problems
