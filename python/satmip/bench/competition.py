"""Reading an external solver's SAT-competition output (`s` and `v` lines) in bounded memory.

The output is read in pieces of at most PIECE bytes, whatever its line lengths, and
the model is kept as two flags per variable of the instance, never as a list of
what was printed: a solver that prints hundreds of MB of `v` lines costs the
harness a few MB. Everything wrong with the output (a token that is no integer, a
literal beyond 64 bits or beyond the instance's variables, conflicting `s` lines)
is the solver's fault: ValueError with the line number, which the judge records
as the run's ERROR.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

PIECE = 1 << 20          # bytes read at a time
_S_WORDS = {"SATISFIABLE": "SAT", "UNSATISFIABLE": "UNSAT", "UNKNOWN": None}
# A token cut by a piece boundary is kept until the next piece, up to this long.
_MAX_TOKEN = 4096


class _Model:
    """Which literals the `v` lines set, as flags over the instance's variables."""

    def __init__(self, nvars: int):
        self.nvars = nvars
        self.positive = np.zeros(nvars + 1, dtype=bool)
        self.negative = np.zeros(nvars + 1, dtype=bool)
        self.ends_in_zero = False

    def add(self, tokens: list, lineno: int) -> None:
        if not tokens:
            return
        try:
            values = np.array(tokens, dtype=np.int64)
        except (ValueError, OverflowError):
            raise ValueError(_bad_token(tokens, lineno, self.nvars)) from None
        if values.max() > self.nvars or values.min() < -self.nvars:
            raise ValueError(_bad_token(tokens, lineno, self.nvars))
        self.ends_in_zero = bool(values[-1] == 0)
        self.positive[values[values > 0]] = True
        self.negative[-values[values < 0]] = True

    def literals(self) -> np.ndarray:
        """Each literal set once, by variable, then 0; a variable set both ways
        appears with both signs (the model check rejects it)."""
        var = np.arange(self.nvars + 1, dtype=np.int64)
        both = self.positive & self.negative
        lits = np.where(self.positive, var, -var)[self.positive | self.negative]
        return np.concatenate((lits, -var[both], [0])).astype(np.int32)


def _bad_token(tokens: list, lineno: int, nvars: int) -> str:
    """Why the first bad token of a `v` line is bad (the slow path, for the message)."""
    for raw in tokens:
        tok = raw.decode("utf-8", "replace")
        tok = tok if len(tok) <= 24 else tok[:20] + "..."
        try:
            value = int(raw)
        except ValueError:
            return f"line {lineno}: a 'v' line holds a non-integer '{tok}'"
        if not -(1 << 63) <= value < (1 << 63):
            return f"line {lineno}: a 'v' line holds a literal beyond 64 bits ({tok})"
        if abs(value) > nvars:
            return f"line {lineno}: a 'v' line names variable {abs(value)}, the instance has {nvars}"
    return f"line {lineno}: a bad 'v' line"


def _kind(start: bytes) -> str:
    """'s', 'v' or 'other' for a line starting with these bytes (leading blanks stripped)."""
    if start[:1] in (b"s", b"v") and (len(start) == 1 or start[1:2].isspace()):
        return start[:1].decode()
    return "other"


def parse_competition_output(path: str, nvars: int) -> tuple[Optional[str], Optional[np.ndarray]]:
    """('SAT' | 'UNSAT' | None, the model's literals ending in 0 or None) of an output
    file, for an instance of nvars variables; ValueError for garbage."""
    words, model = set(), _Model(nvars)
    lineno, continued, kind, carry = 0, False, "other", b""
    with open(path, "rb") as f:
        while True:
            piece = f.readline(PIECE)
            if not piece:
                break
            complete = piece.endswith(b"\n")
            if not continued:
                lineno += 1
                piece = piece.lstrip()
                kind = _kind(piece)
                if kind == "s":
                    if not complete:
                        raise ValueError(f"line {lineno}: an 's' line of over {PIECE} bytes")
                    word = piece[1:].strip().decode("utf-8", "replace")
                    if word not in _S_WORDS:
                        raise ValueError(f"line {lineno}: unknown answer 's {word[:40]}'")
                    words.add(word)
                elif kind == "v":
                    piece = piece[1:]
            if kind == "v":
                tokens = (carry + piece).split()
                carry = b""
                if not complete and tokens and not piece[-1:].isspace():
                    carry = tokens.pop()   # a token cut by the piece boundary
                    if len(carry) > _MAX_TOKEN:
                        raise ValueError(f"line {lineno}: a 'v' line holds a token of over "
                                         f"{_MAX_TOKEN} characters")
                model.add(tokens, lineno)
            continued = not complete
    if carry:
        model.add([carry], lineno)
    if not words:
        raise ValueError("no 's' line in the output")
    if len(words) > 1:
        raise ValueError(f"conflicting 's' lines: {sorted(words)}")
    answer = _S_WORDS[words.pop()]
    if answer == "SAT":
        if not model.ends_in_zero:
            raise ValueError("'s SATISFIABLE' without a complete 'v' model ending in 0")
        return answer, model.literals()
    return answer, None
