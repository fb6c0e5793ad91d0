"""DIMACS CNF reader (_core.read_dimacs / _core.parse_dimacs).

The reference parser below spells out the accepted language in plain Python;
the fuzz test checks the C++ parser against it, error line numbers included.
"""
import bz2
import csv
import gzip
import lzma
import random
import re
import threading
from pathlib import Path

import numpy as np
import pytest

from helpers import missing_shared, shared_benchmarks
from satmip import _core

DATA = Path(__file__).parent / "data" / "dimacs"
BENCH = shared_benchmarks("sat")
MAX_VAR = 2**31 - 2

# ---------------------------------------------------------------------------
# Reference parser
# ---------------------------------------------------------------------------
BLANKS = b" \t\r\v\f"
GOOD_CONTROL = set(b"\t\n\r\v\f")


class RefError(Exception):
    def __init__(self, line):
        super().__init__(line)
        self.line = line


def has_bad_byte(s: bytes) -> bool:
    return any((b < 0x20 and b not in GOOD_CONTROL) or b >= 0x7F for b in s)


def ref_header(s: bytes, line: int):
    fields = s.split()
    if has_bad_byte(s) or len(fields) != 4 or fields[:2] != [b"p", b"cnf"]:
        raise RefError(line)
    if not all(re.fullmatch(rb"[0-9]+", f) for f in fields[2:]):
        raise RefError(line)
    nvars, nclauses = int(fields[2]), int(fields[3])
    if nvars > MAX_VAR or nclauses >= 2**63:
        raise RefError(line)
    return nvars, nclauses


def ref_parse(data: bytes, strict: bool = True):
    """(nvars, lits, nclauses) or RefError(line); same rules as the C++ parser."""
    lines = data.split(b"\n")
    end_line = len(lines) - 1 if data.endswith(b"\n") else len(lines)
    header = None
    lits, nclauses, max_var, open_line = [], 0, 0, None
    for no, line in enumerate(lines, 1):
        s = line.lstrip(BLANKS)
        if s[:1] == b"c":
            continue
        if s[:1] == b"%":
            end_line = no
            break
        if s[:1] == b"p":
            if header is not None:
                raise RefError(no)
            header = ref_header(s, no)
            continue
        for tok in s.split():
            if not re.fullmatch(rb"-?[0-9]+", tok) or abs(int(tok)) > MAX_VAR or header is None:
                raise RefError(no)
            lit = int(tok)
            if lit == 0:
                lits.append(0)
                nclauses += 1
                open_line = None
                if strict and nclauses > header[1]:
                    raise RefError(no)
            else:
                if strict and abs(lit) > header[0]:
                    raise RefError(no)
                max_var = max(max_var, abs(lit))
                lits.append(lit)
                open_line = no
    if header is None:
        raise RefError(end_line)
    if open_line is not None:
        raise RefError(open_line)
    if strict and nclauses != header[1]:
        raise RefError(end_line)
    nvars = header[0] if strict else max(header[0], max_var)
    return nvars, lits, nclauses


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
SMALL = "c small\np cnf 4 3\n1 -2 0\n2 3 -4 0\n-1 0\n"
SMALL_LITS = [1, -2, 0, 2, 3, -4, 0, -1, 0]


def parse(text, strict=True, name="t.cnf"):
    nvars, lits, nclauses = _core.parse_dimacs(text, name, strict)
    return nvars, lits.tolist(), nclauses


def error_line(exc) -> int:
    m = re.match(r"^(.*):(\d+): (.+)$", str(exc))
    assert m, f"bad error format: {exc!r}"
    return int(m.group(2))


def assert_parse_error(text, line, fragment, strict=True, name="bad.cnf"):
    with pytest.raises(ValueError) as info:
        _core.parse_dimacs(text, name, strict)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(f"{name}:{line}: "), msg
    assert fragment in msg, msg
    return msg


def random_cnf(rng, nvars, nclauses, k=3):
    clauses = [[v if rng.random() < 0.5 else -v for v in rng.sample(range(1, nvars + 1), k)]
               for _ in range(nclauses)]
    text = f"p cnf {nvars} {nclauses}\n" + "".join(" ".join(map(str, c)) + " 0\n" for c in clauses)
    return text, [l for c in clauses for l in c + [0]]


COMPRESSORS = {"gz": gzip.compress, "xz": lzma.compress, "bz2": bz2.compress}

# ---------------------------------------------------------------------------
# Valid input
# ---------------------------------------------------------------------------


def test_result_types():
    nvars, lits, nclauses = _core.parse_dimacs(SMALL)
    assert (nvars, nclauses) == (4, 3)
    assert isinstance(nvars, int) and isinstance(nclauses, int)
    assert isinstance(lits, np.ndarray) and lits.dtype == np.int32 and lits.ndim == 1
    assert lits.flags.c_contiguous
    assert lits.tolist() == SMALL_LITS


def test_bytes_and_str_inputs_agree():
    assert parse(SMALL) == parse(SMALL.encode())


def test_default_name_in_errors():
    with pytest.raises(ValueError, match=r"^<string>:1: "):
        _core.parse_dimacs("")


def test_plain_file(tmp_path):
    path = tmp_path / "small.cnf"
    path.write_text(SMALL)
    nvars, lits, nclauses = _core.read_dimacs(str(path))
    assert (nvars, lits.tolist(), nclauses) == (4, SMALL_LITS, 3)
    # os.PathLike works as well as str
    assert _core.read_dimacs(path)[1].tolist() == SMALL_LITS


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_compressed_file(tmp_path, kind):
    path = tmp_path / f"small.cnf.{kind}"
    path.write_bytes(COMPRESSORS[kind](SMALL.encode()))
    nvars, lits, nclauses = _core.read_dimacs(path)
    assert (nvars, lits.tolist(), nclauses) == (4, SMALL_LITS, 3)


@pytest.mark.parametrize("kind,name", [("xz", "x.cnf"), ("gz", "x.cnf.bz2"), ("bz2", "x.xz"), ("gz", "noext")])
def test_format_detected_by_magic_not_extension(tmp_path, kind, name):
    path = tmp_path / name
    path.write_bytes(COMPRESSORS[kind](SMALL.encode()))
    assert _core.read_dimacs(path)[1].tolist() == SMALL_LITS


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_awkward_file_names(tmp_path, kind):
    # Quotes and shell syntax in the name must reach the file unchanged (this
    # matters when an external decompressor is run instead of the library).
    path = tmp_path / f"it's a $(echo x) `y` \\ name;.{kind}"
    path.write_bytes(COMPRESSORS[kind](SMALL.encode()))
    assert _core.read_dimacs(path)[1].tolist() == SMALL_LITS


def test_plain_file_with_compressed_extension(tmp_path):
    path = tmp_path / "plain.cnf.gz"
    path.write_text(SMALL)
    assert _core.read_dimacs(path)[1].tolist() == SMALL_LITS


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_concatenated_compressed_members(tmp_path, kind):
    text = SMALL.encode()
    path = tmp_path / f"cat.{kind}"
    path.write_bytes(COMPRESSORS[kind](text[:20]) + COMPRESSORS[kind](text[20:]))
    assert _core.read_dimacs(path)[1].tolist() == SMALL_LITS


FAST_COMPRESSORS = {
    "gz": lambda d: gzip.compress(d, 1),
    "xz": lambda d: lzma.compress(d, preset=0),
    "bz2": lambda d: bz2.compress(d, 1),
}


@pytest.mark.parametrize("kind", sorted(FAST_COMPRESSORS))
def test_compressed_input_larger_than_read_chunk(tmp_path, kind):
    # More than 1 MiB of compressed input: the decoder is refilled several times.
    text, lits = random_cnf(random.Random(7), 1_000_000, 150_000)
    blob = FAST_COMPRESSORS[kind](text.encode())
    assert len(blob) > 1 << 20
    path = tmp_path / f"big.cnf.{kind}"
    path.write_bytes(blob)
    nvars, got, nclauses = _core.read_dimacs(path)
    assert (nvars, nclauses) == (1_000_000, 150_000)
    assert np.array_equal(got, np.array(lits, dtype=np.int32))


@pytest.mark.parametrize("kind", sorted(FAST_COMPRESSORS))
def test_highly_compressible_file(tmp_path, kind):
    # Output hundreds of times the input: the output buffer regrows many times.
    n = 400_000
    text = f"p cnf 3 {n}\n" + "1 -2 3 0\n" * n
    path = tmp_path / f"rep.cnf.{kind}"
    path.write_bytes(FAST_COMPRESSORS[kind](text.encode()))
    nvars, lits, nclauses = _core.read_dimacs(path)
    assert (nvars, nclauses, len(lits)) == (3, n, 4 * n)
    assert np.array_equal(lits[-8:], [1, -2, 3, 0] * 2)


def test_empty_formula():
    assert parse("p cnf 0 0\n") == (0, [], 0)
    assert parse("p cnf 5 0") == (5, [], 0)


def test_empty_clause_and_duplicates_kept():
    assert parse("p cnf 2 3\n0\n1 1 -1 0\n2 -2 0\n") == (2, [0, 1, 1, -1, 0, 2, -2, 0], 3)


def test_comments_everywhere():
    text = (
        "c first\n"
        "c\n"
        "   c indented comment with junk \x00\x01\xff\n"
        "p cnf 3 2\n"
        "c between header and clauses\n"
        "1 -2\n"
        "c inside a clause\n"
        "3 0\n"
        "\tc after a tab\n"
        "2 0\n"
        "c trailing comment, no newline"
    )
    assert parse(text) == (3, [1, -2, 3, 0, 2, 0], 2)


def test_layout_clauses_span_lines_and_share_lines():
    text = "p cnf 5 4\n1\n-2\n\n3 0 4 0 -5\n0 1 2 3 4 5 0"
    assert parse(text) == (5, [1, -2, 3, 0, 4, 0, -5, 0, 1, 2, 3, 4, 5, 0], 4)


def test_whitespace_variants():
    text = "p\tcnf \t 3\t2 \r\n1\t-2\v0\r\n\f3 0\r\n"
    assert parse(text) == (3, [1, -2, 0, 3, 0], 2)


def test_leading_zeros_and_minus_zero():
    assert parse("p cnf 003 2\n01 -002 00\n3 -0\n") == (3, [1, -2, 0, 3, 0], 2)


def test_percent_ends_formula():
    text = "p cnf 3 2\n1 -2 0\n3 0\n%\n0\n\ngarbage \x00 here 1 2 3\np cnf 9 9\n"
    assert parse(text) == (3, [1, -2, 0, 3, 0], 2)
    assert parse("p cnf 1 1\n1 0\n  %") == (1, [1, 0], 1)


def test_satlib_fixture():
    nvars, lits, nclauses = _core.read_dimacs(DATA / "satlib_uf20.cnf")
    assert (nvars, nclauses) == (20, 91)
    assert lits.tolist() == ref_parse((DATA / "satlib_uf20.cnf").read_bytes())[1]


def test_largest_variable():
    assert parse(f"p cnf {MAX_VAR} 1\n{MAX_VAR} -{MAX_VAR} 0\n") == (MAX_VAR, [MAX_VAR, -MAX_VAR, 0], 1)


# ---------------------------------------------------------------------------
# Strict versus lenient
# ---------------------------------------------------------------------------


def test_strict_variable_above_header():
    msg = assert_parse_error("p cnf 3 2\n1 2 0\n-1\n -7 0\n", 4, "literal -7")
    assert "3 variables" in msg


def test_lenient_grows_variables():
    assert parse("p cnf 3 2\n1 2 0\n-1 -7 0\n", strict=False) == (7, [1, 2, 0, -1, -7, 0], 2)


def test_lenient_keeps_header_count_when_larger():
    assert parse("p cnf 10 1\n1 2 0\n", strict=False) == (10, [1, 2, 0], 1)
    assert parse("p cnf 10 1\n1 2 0\n") == (10, [1, 2, 0], 1)


def test_strict_too_few_clauses():
    assert_parse_error("p cnf 3 3\n1 0\n2 0\n", 3, "found 2 clauses")


def test_strict_too_many_clauses():
    assert_parse_error("p cnf 3 1\n1 0\n2 0\n3 0\n", 3, "more clauses than the 1")


def test_lenient_ignores_clause_count():
    assert parse("p cnf 3 1\n1 0\n2 0\n3 0\n", strict=False) == (3, [1, 0, 2, 0, 3, 0], 3)
    assert parse("p cnf 3 9\n1 0\n", strict=False) == (3, [1, 0], 1)


def test_lenient_read_dimacs(tmp_path):
    path = tmp_path / "loose.cnf"
    path.write_text("p cnf 1 5\n1 2 0\n")
    with pytest.raises(ValueError):
        _core.read_dimacs(path)
    nvars, lits, nclauses = _core.read_dimacs(path, strict=False)
    assert (nvars, lits.tolist(), nclauses) == (2, [1, 2, 0], 1)


def test_lenient_still_needs_valid_header():
    for text in ["1 2 0\n", "p cnf x 1\n1 0\n", "p cnf 1 1\np cnf 1 1\n1 0\n"]:
        with pytest.raises(ValueError):
            _core.parse_dimacs(text, "t", False)


# ---------------------------------------------------------------------------
# Errors: exact line and message
# ---------------------------------------------------------------------------
ERRORS = [
    # (text, line, message fragment)
    ("", 1, "missing 'p cnf' header"),
    ("c only\nc comments\n", 2, "missing 'p cnf' header"),
    ("\n\n\n", 3, "missing 'p cnf' header"),
    ("c x\n1 2 0\n", 2, "missing 'p cnf' header"),
    ("c x\n%\np cnf 1 1\n1 0\n", 2, "missing 'p cnf' header"),
    ("p cnf 2 1\n1 0\np cnf 2 1\n", 3, "second 'p' header"),
    ("p cnf x 3\n", 1, "malformed header"),
    ("p cnf 3\n", 1, "malformed header"),
    ("p cnf\n", 1, "malformed header"),
    ("p\n", 1, "malformed header"),
    ("pcnf 3 4\n", 1, "malformed header"),
    ("p cnf -3 4\n", 1, "malformed header"),
    ("p cnf 3 -4\n", 1, "malformed header"),
    ("p cnf 3 4 5\n", 1, "malformed header"),
    ("p cnf 3 4 x\n", 1, "malformed header"),
    ("p cnf 3 4x\n", 1, "malformed header"),
    ("p cnf +3 4\n", 1, "malformed header"),
    ("c\np dnf 3 4\n", 2, "unsupported format 'dnf'"),
    ("p wcnf 3 4 5\n", 1, "unsupported format 'wcnf'"),
    (f"p cnf {MAX_VAR + 1} 1\n1 0\n", 1, "too many variables"),
    ("p cnf 1 99999999999999999999\n", 1, "clause count in header is too large"),
    ("p cnf 3 1\n1 x 0\n", 2, "invalid literal 'x'"),
    ("p cnf 3 1\n1.5 0\n", 2, "invalid literal '1.5'"),
    ("p cnf 3 1\n1 -- 0\n", 2, "invalid literal '--'"),
    ("p cnf 3 1\n1 - 2 0\n", 2, "invalid literal '-'"),
    ("p cnf 3 1\n1 +2 0\n", 2, "invalid literal '+2'"),
    ("p cnf 3 1\n1 2-3 0\n", 2, "invalid literal '2-3'"),
    ("p cnf 3 1\n1 2 0 c trailing comment\n", 2, "invalid literal 'c'"),
    ("p cnf 3 1\n1 2 0 % 1\n", 2, "invalid literal '%'"),
    ("p cnf 3 1\n\n\n1 2 p\n", 4, "invalid literal 'p'"),
    ("p cnf 3 1\n2147483647 0\n", 2, "literal 2147483647 out of range"),
    ("p cnf 3 1\n-2147483648 0\n", 2, "literal -2147483648 out of range"),
    ("p cnf 3 1\n1 99999999999999999999999 0\n", 2, "out of range"),
    ("p cnf 3 1\n1 2", 2, "clause not terminated by 0 at end of file"),
    ("p cnf 3 1\n1 2\n\nc done\n", 2, "clause not terminated by 0 at end of file"),
    ("p cnf 3 2\n1 0\n2\n3\n%\n0\n", 4, "clause not terminated by 0 before the '%'"),
    ("p cnf 3 1\n1 0\n\x00", 3, "unexpected character 0x00"),
    ("p cnf 3 1\n1\x01 0\n", 2, "unexpected character 0x01"),
    ("p cnf 3 1\n1 0\n\x7f\n", 3, "unexpected character 0x7f"),
    ("p cnf 3 1\n1 0\n\xe9\n", 3, "unexpected character 0xc3"),  # str -> UTF-8 bytes
    ("p cnf 3\x00 1\n1 0\n", 1, "unexpected character 0x00"),
    ("p cnf 3 2\n1 0\n2 0\n3 0\n", 4, "more clauses"),
    ("p cnf 3 2\n1 0\n", 2, "found 1 clauses"),
    ("p cnf 3 2\n1 0\n%\n2 0\n", 3, "found 1 clauses"),
]


@pytest.mark.parametrize("text,line,fragment", ERRORS)
def test_error_line_and_message(text, line, fragment):
    assert_parse_error(text, line, fragment)


@pytest.mark.parametrize("text,line,fragment", ERRORS)
def test_reference_parser_agrees_on_errors(text, line, fragment):
    with pytest.raises(RefError) as info:
        ref_parse(text.encode())
    assert info.value.line == line


def test_binary_bytes_are_errors_in_bytes_input():
    assert_parse_error(b"p cnf 1 1\n1 0\n\xff\xfe", 3, "unexpected character 0xff")


def test_error_names_file_on_disk(tmp_path):
    path = tmp_path / "broken.cnf.gz"
    path.write_bytes(gzip.compress(b"p cnf 2 1\n1 2 0\n3 0\n"))
    with pytest.raises(ValueError) as info:
        _core.read_dimacs(str(path))
    assert str(info.value).startswith(f"{path}:3: ")


# ---------------------------------------------------------------------------
# File errors
# ---------------------------------------------------------------------------


def test_missing_file_is_oserror(tmp_path):
    path = tmp_path / "nope.cnf"
    with pytest.raises(OSError) as info:
        _core.read_dimacs(path)
    assert isinstance(info.value, OSError) and not isinstance(info.value, ValueError)
    assert str(path) in str(info.value)
    assert "No such file" in str(info.value)


def test_directory_is_oserror(tmp_path):
    with pytest.raises(OSError, match=re.escape(str(tmp_path))):
        _core.read_dimacs(tmp_path)


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_truncated_compressed_file_is_oserror(tmp_path, kind):
    text, _ = random_cnf(random.Random(3), 200, 2000)
    blob = COMPRESSORS[kind](text.encode())
    for cut in (len(blob) // 2, len(blob) - 1, 10):
        path = tmp_path / f"cut{cut}.{kind}"
        path.write_bytes(blob[:cut])
        with pytest.raises(OSError, match=re.escape(str(path))):
            _core.read_dimacs(path)


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_corrupt_compressed_file_is_oserror(tmp_path, kind):
    text, _ = random_cnf(random.Random(4), 200, 2000)
    blob = bytearray(COMPRESSORS[kind](text.encode()))
    for i in range(len(blob) // 3, len(blob) // 3 + 16):
        blob[i] ^= 0x5A
    path = tmp_path / f"corrupt.{kind}"
    path.write_bytes(bytes(blob))
    with pytest.raises(OSError):
        _core.read_dimacs(path)


def test_trailing_garbage_after_gzip_is_oserror(tmp_path):
    path = tmp_path / "tail.gz"
    path.write_bytes(gzip.compress(SMALL.encode()) + b"not gzip")
    with pytest.raises(OSError):
        _core.read_dimacs(path)


def test_magic_only_files_are_oserror(tmp_path):
    for i, magic in enumerate([b"\x1f\x8b", b"\xfd7zXZ\x00", b"BZh"]):
        path = tmp_path / f"magic{i}"
        path.write_bytes(magic)
        with pytest.raises(OSError):
            _core.read_dimacs(path)


# ---------------------------------------------------------------------------
# Garbage and fuzzing: ValueError (or OSError for files), never a crash
# ---------------------------------------------------------------------------


def test_random_garbage_is_valueerror():
    rng = random.Random(1234)
    for _ in range(200):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        with pytest.raises(ValueError):
            _core.parse_dimacs(blob, "garbage", True)
        with pytest.raises(ValueError):
            _core.parse_dimacs(b"p cnf 5 5\n" + blob, "garbage", False)


def test_random_garbage_file(tmp_path):
    rng = random.Random(99)
    path = tmp_path / "garbage.cnf"
    for _ in range(50):
        path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000))))
        with pytest.raises((ValueError, OSError)):
            _core.read_dimacs(path)


FUZZ_ALPHABET = b"0123456789-- \t\n\n\rcp%x.+\x00\xff\x0b"


def mutate(rng, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        i = rng.randrange(len(data) + 1)
        if op == 0:  # insert a byte
            data[i:i] = bytes([rng.choice(FUZZ_ALPHABET)])
        elif op == 1 and data:  # delete a run
            del data[i:i + rng.randint(1, 3)]
        elif op == 2 and i < len(data):  # replace a byte
            data[i] = rng.choice(FUZZ_ALPHABET)
        elif op == 3:  # duplicate a slice
            j = rng.randrange(len(data) + 1)
            data[i:i] = data[min(i, j):max(i, j)][:20]
        else:  # truncate
            del data[i:]
    return bytes(data)


FUZZ_SEED_TEXT = (
    b"c fuzz seed\np cnf 9 6\n1 -2 3 0\nc mid\n-4\n5 0 6 -7 0\n"
    b"8 9 -1 0\n\t2 0\n-3 -5 -9 0\n%\n0\n"
)


@pytest.mark.parametrize("strict", [True, False])
def test_fuzz_against_reference(strict):
    rng = random.Random(20240601 + strict)
    accepted = rejected = 0
    for _ in range(400):
        data = mutate(rng, FUZZ_SEED_TEXT)
        try:
            expected = ref_parse(data, strict)
        except RefError as e:
            with pytest.raises(ValueError) as info:
                _core.parse_dimacs(data, "fuzz", strict)
            assert error_line(info.value) == e.line, (data, str(info.value))
            rejected += 1
        else:
            nvars, lits, nclauses = _core.parse_dimacs(data, "fuzz", strict)
            assert (nvars, lits.tolist(), nclauses) == expected, data
            accepted += 1
    assert accepted > 20 and rejected > 20  # the mutations exercise both outcomes


def test_fuzz_random_cnf_layouts():
    # Valid formulas with random whitespace, comments and line breaks.
    rng = random.Random(5)
    for _ in range(100):
        nvars = rng.randint(1, 30)
        clauses = [[rng.choice([-1, 1]) * rng.randint(1, nvars) for _ in range(rng.randint(0, 5))]
                   for _ in range(rng.randint(0, 20))]
        parts = [f"p cnf {nvars} {len(clauses)}\n"]
        for lit in (l for c in clauses for l in c + [0]):
            parts.append(str(lit))
            parts.append(rng.choice([" ", "\t", "\n", "  ", "\r\n", "\nc comment\n"]))
        text = "".join(parts)
        expected = [l for c in clauses for l in c + [0]]
        assert parse(text) == (nvars, expected, len(clauses))


# ---------------------------------------------------------------------------
# Real benchmarks
# ---------------------------------------------------------------------------


def manifest_rows():
    with open(BENCH / "manifest.csv", newline="") as f:
        return list(csv.DictReader(f))


needs_bench = pytest.mark.skipif(not (BENCH / "manifest.csv").exists(), reason=missing_shared(BENCH / "manifest.csv"))


@needs_bench
def test_benchmark_matches_manifest_and_reference():
    row = next(r for r in manifest_rows() if r["path"] == "uuf250-015.cnf.xz")
    path = BENCH / row["path"]
    nvars, lits, nclauses = _core.read_dimacs(path)
    assert (nvars, nclauses) == (int(row["nvars"]), int(row["nclauses"]))
    ref = ref_parse(lzma.decompress(path.read_bytes()))  # SATLIB file ending in '%'
    assert (nvars, lits.tolist(), nclauses) == ref


@needs_bench
@pytest.mark.slow
def test_all_benchmarks_match_manifest():
    for row in manifest_rows():
        nvars, lits, nclauses = _core.read_dimacs(BENCH / row["path"])
        assert (nvars, nclauses) == (int(row["nvars"]), int(row["nclauses"])), row["path"]
        assert int(np.count_nonzero(lits == 0)) == nclauses


# ---------------------------------------------------------------------------
# Concurrency: the GIL is released while reading
# ---------------------------------------------------------------------------


def test_parallel_reads(tmp_path):
    text, lits = random_cnf(random.Random(11), 1000, 20_000)
    path = tmp_path / "par.cnf.xz"
    path.write_bytes(lzma.compress(text.encode()))
    results, errors = [], []

    def work():
        try:
            results.append(_core.read_dimacs(path)[1])
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    expected = np.array(lits, dtype=np.int32)
    assert len(results) == 4 and all(np.array_equal(r, expected) for r in results)


_GIL_PROBE = """
import os, sys, threading
from satmip import _core
fifo = sys.argv[1]
result = []
reader = threading.Thread(target=lambda: result.append(_core.read_dimacs(fifo)))
reader.start()
# This Python thread writes the file while read_dimacs reads it: if read_dimacs
# kept the GIL, it would wait for data that this thread can never write.
with open(fifo, "w") as f:
    f.write("p cnf 3 2\\n")
    f.flush()
    f.write("1 -2 0\\n2 3 0\\n")
reader.join()
print(result[0][0], result[0][2])
"""


def test_read_releases_the_gil(tmp_path):
    """Proof that read_dimacs runs without the GIL: it reads a pipe that only
    another Python thread fills (a deadlock, caught by the timeout, otherwise)."""
    import os
    import subprocess
    import sys
    fifo = tmp_path / "cnf.fifo"
    os.mkfifo(fifo)
    try:
        done = subprocess.run([sys.executable, "-c", _GIL_PROBE, str(fifo)],
                              capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("read_dimacs holds the GIL: the thread writing its input never ran")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["3", "2"]
