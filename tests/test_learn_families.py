"""The training families (satmip.learn.families): seeded, satisfiable, well formed."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import satmip
from satmip.learn.families import FAMILIES, generate, instance_rng, resolve_size
from satmip.learn.families import factoring, latin_square
from satmip.learn.families._builder import Clauses


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_is_seeded_well_formed_and_satisfiable(family):
    for seed in range(3):
        cnf = generate(family, "tiny", seed)
        again = generate(family, "tiny", seed)
        assert np.array_equal(cnf.lits, again.lits)
        assert cnf.lits.dtype == np.int32 and cnf.lits[-1] == 0
        assert int((cnf.lits == 0).sum()) == cnf.nclauses > 0
        assert cnf.max_var <= cnf.nvars
        with satmip.Solver(bootstrap_with=cnf) as s:
            assert s.solve() is True, (family, seed)
            assert satmip.dimacs.Cnf is type(cnf)
    assert not np.array_equal(generate(family, "tiny", 0).lits, generate(family, "tiny", 1).lits)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_tiers_grow(family):
    sizes = [resolve_size(family, t) for t in ("tiny", "small", "medium", "large")]
    assert sizes == sorted(sizes) and len(set(sizes)) == 4


def test_sizes_reject_bad_names():
    with pytest.raises(ValueError, match="unknown size"):
        resolve_size("planted_ksat", "huge")
    with pytest.raises(ValueError, match="unknown family"):
        generate("sudoku", "tiny", 0)
    with pytest.raises(ValueError, match="positive"):
        resolve_size("planted_ksat", 0)


def test_factoring_models_are_the_planted_factors():
    bits = 5
    for seed in range(4):
        rng = instance_rng("factoring", bits, seed)
        p, q = factoring.random_prime(bits, rng), factoring.random_prime(bits, rng)
        cnf = generate("factoring", bits, seed)
        with satmip.Solver(bootstrap_with=cnf) as s:
            found = set()
            while s.solve() is True:
                a, b = factoring.factors_of(s.model_values(), bits)
                found.add((a, b))
                s.add_clause([-(i + 1) if (a >> i) & 1 else i + 1 for i in range(bits)]
                             + [-(bits + i + 1) if (b >> i) & 1 else bits + i + 1 for i in range(bits)])
        assert found == {(p, q), (q, p)}


def test_multiplier_circuit_multiplies():
    out = Clauses()
    a, b = out.new_vars(3), out.new_vars(3)
    product = factoring.multiplier(out, a, b)
    with satmip.Solver(bootstrap_with=out.cnf()) as s:
        for x, y in itertools.product(range(8), repeat=2):
            assume = [v if (x >> i) & 1 else -v for i, v in enumerate(a)]
            assume += [v if (y >> i) & 1 else -v for i, v in enumerate(b)]
            assert s.solve(assumptions=assume) is True
            m = s.model_values()
            # an output bit may be a negative literal (an OR gate is a negated AND)
            got = sum(1 << k for k, bit in enumerate(product)
                      if bit is not None and m[abs(bit)] * np.sign(bit) > 0)
            assert got == x * y


@pytest.mark.parametrize("k", range(7))
def test_cardinality_encodings_count_exactly(k):
    for kind in ("at_least_k", "at_most_k"):
        out = Clauses(6)
        getattr(out, kind)(list(range(1, 7)), k)
        with satmip.Solver(bootstrap_with=out.cnf()) as s:
            for bits in itertools.product((1, -1), repeat=6):
                ones = bits.count(1)
                want = ones >= k if kind == "at_least_k" else ones <= k
                assert s.solve(assumptions=[v * b for v, b in zip(range(1, 7), bits)]) is want


def test_random_latin_squares_are_latin():
    for seed in range(5):
        n = 3 + seed
        square = latin_square.random_latin_square(n, np.random.default_rng(seed))
        for line in list(square) + list(square.T):
            assert sorted(line.tolist()) == list(range(n))


def test_planted_ksat_hides_its_solution_from_literal_counts():
    # q-hidden: about as many literal occurrences agree with the hidden assignment
    # as disagree (plain rejection sampling gives 4/7 agreeing), and it is a model.
    n = 1500
    hidden = instance_rng("planted_ksat", n, 0).integers(0, 2, n + 1) * 2 - 1
    cnf = generate("planted_ksat", n, 0)
    lits = cnf.lits[cnf.lits != 0]
    agree = np.sign(lits) == hidden[np.abs(lits)]
    assert abs(agree.mean() - 0.5) < 0.02
    clause = np.cumsum(cnf.lits == 0)[cnf.lits != 0]  # clause index of each literal
    assert np.bincount(clause, weights=agree, minlength=cnf.nclauses).min() >= 1
