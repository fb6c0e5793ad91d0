"""Factoring: N = p * q for two random primes of `size` bits each, as circuit
SAT. An array multiplier (AND partial products, rows of full adders; Tseitin)
multiplies two size-bit numbers, its output is fixed to N, and both factors are
kept above 1, so (p, q) and (q, p) are the models. size = bits per factor."""
from __future__ import annotations

from typing import Optional

import numpy as np

from ...dimacs import Cnf
from ._builder import Clauses

SIZES = {"tiny": 4, "small": 8, "medium": 11, "large": 14}


def _is_prime(n: int) -> bool:
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def random_prime(bits: int, rng: np.random.Generator) -> int:
    """A prime with its top bit set (exactly `bits` bits)."""
    while True:
        n = int(rng.integers(1 << (bits - 1), 1 << bits)) | 1
        if _is_prime(n):
            return n


def multiplier(out: Clauses, a: list[int], b: list[int]) -> list[Optional[int]]:
    """Product literals (least significant first) of the bit vectors a and b; None
    for a bit no gate feeds (always 0)."""
    width = len(a) + len(b)
    columns: list[list[int]] = [[] for _ in range(width)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            columns[i + j].append(out.and_gate(x, y))
    bits: list[Optional[int]] = []
    for k in range(width):
        col = columns[k]
        while len(col) > 1:
            if len(col) == 2:
                x, y = col.pop(), col.pop()
                s, c = out.xor_gate(x, y), out.and_gate(x, y)
            else:
                s, c = out.full_adder(col.pop(), col.pop(), col.pop())
            col.insert(0, s)
            if k + 1 < width:
                columns[k + 1].append(c)
            else:
                out.add((-c,))
        bits.append(col[0] if col else None)
    return bits


def generate(size: int, rng: np.random.Generator) -> Cnf:
    bits = int(size)
    if bits < 2:
        raise ValueError("factoring needs factors of at least 2 bits")
    p, q = random_prime(bits, rng), random_prime(bits, rng)
    product = p * q
    out = Clauses()
    a, b = out.new_vars(bits), out.new_vars(bits)
    for k, bit in enumerate(multiplier(out, a, b)):
        want = (product >> k) & 1
        if bit is None:
            if want:
                raise AssertionError("product bit without a gate")
            continue
        out.add((bit if want else -bit,))
    out.add(a[1:])  # a > 1 (a is odd: N is odd, or both factors are 2)
    out.add(b[1:])
    return out.cnf()


def factors_of(model_values: np.ndarray, size: int) -> tuple[int, int]:
    """The two factors a model encodes (model_values as Solver.model_values())."""
    bits = int(size)
    a = sum(1 << i for i in range(bits) if model_values[1 + i] > 0)
    b = sum(1 << i for i in range(bits) if model_values[1 + bits + i] > 0)
    return a, b
