"""Tests of the independent LRAT / DRAT proof checkers (satmip._core.check_*).

Small proofs are written by hand; larger ones come from CaDiCaL (via
python-sat) for random UNSAT 3-SAT formulas, and LRAT versions of those are
derived here by a naive (slow but obviously correct) propagation.
"""
import itertools
import random

import numpy as np
import pytest

from satmip import _core

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def flat(clauses):
    """Flat 0-terminated int32 array, the checkers' formula input."""
    out = []
    for c in clauses:
        out.extend(c)
        out.append(0)
    return np.array(out, dtype=np.int32)


def nvars_of(clauses):
    return max((abs(l) for c in clauses for l in c), default=0)


def write(tmp_path, content, name="proof"):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content)
    else:
        path.write_bytes(content)
    return str(path)


def lrat(tmp_path, clauses, proof, nvars=None):
    nvars = nvars_of(clauses) if nvars is None else nvars
    return _core.check_lrat(flat(clauses), nvars, write(tmp_path, proof))


def drat(tmp_path, clauses, proof, nvars=None):
    nvars = nvars_of(clauses) if nvars is None else nvars
    return _core.check_drat(flat(clauses), nvars, write(tmp_path, proof))


def varint(u):
    out = bytearray()
    while True:
        byte = u & 0x7F
        u >>= 7
        if u:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def enc(x):
    """Binary DRAT/LRAT number: 2*|x| + (x < 0), as a LEB128 varint."""
    return varint(2 * abs(x) + (1 if x < 0 else 0))


def drat_binary(text):
    """Converts a text DRAT proof to binary DRAT."""
    out = bytearray()
    for line in text.splitlines():
        toks = line.split()
        if not toks or toks[0] == "c":
            continue
        kind = b"d" if toks[0] == "d" else b"a"
        nums = [int(t) for t in (toks[1:] if toks[0] == "d" else toks)]
        assert nums[-1] == 0
        out += kind + b"".join(enc(x) for x in nums)
    return bytes(out)


def lrat_binary(text):
    """Converts a text LRAT proof to binary LRAT (deletions lose the step id)."""
    out = bytearray()
    for line in text.splitlines():
        toks = line.split()
        if not toks or toks[0] == "c":
            continue
        if toks[1] == "d":
            out += b"d" + b"".join(enc(int(t)) for t in toks[2:])
        else:
            out += b"a" + b"".join(enc(int(t)) for t in toks)
    return bytes(out)


def assert_ok(res):
    assert res["ok"], res["message"]
    assert res["message"] == ""


def assert_rejected(res, *fragments):
    assert not res["ok"]
    for frag in fragments:
        assert frag in res["message"], res["message"]


# All four clauses over two variables.
F4 = [[1, 2], [-1, 2], [1, -2], [-1, -2]]
F4_LRAT = "5 2 0 1 2 0\n6 0 5 3 4 0\n"


def php_3_2():
    """Pigeonhole 3 pigeons into 2 holes: var 2*(i-1)+j = pigeon i in hole j."""
    p = lambda i, j: 2 * (i - 1) + j
    clauses = [[p(i, 1), p(i, 2)] for i in (1, 2, 3)]  # ids 1..3
    for j in (1, 2):  # ids 4..6 for hole 1, 7..9 for hole 2
        clauses += [[-p(a, j), -p(b, j)] for a, b in itertools.combinations((1, 2, 3), 2)]
    return clauses


PHP = php_3_2()
# -1: p11 -> not p21, not p31 -> p22, p32 -> clash in hole 2 (clause 9).
# -2: p12 -> not p22, not p32 -> p21, p31 -> clash in hole 1 (clause 6).
PHP_LRAT = "10 -1 0 4 5 2 3 9 0\n11 -2 0 7 8 2 3 6 0\n12 0 10 11 1 0\n"

# ---------------------------------------------------------------------------
# LRAT, hand-written
# ---------------------------------------------------------------------------


def test_lrat_valid_text(tmp_path):
    res = lrat(tmp_path, F4, F4_LRAT)
    assert_ok(res)
    assert res["lemmas"] == 2 and res["deletions"] == 0


def test_lrat_valid_pigeonhole_with_deletions_and_comments(tmp_path):
    proof = "c pigeonhole 3 into 2\n" + PHP_LRAT.replace("12 0", "11 d 4 5 7 0\n12 0")
    res = lrat(tmp_path, PHP, proof)
    assert_ok(res)
    assert res["lemmas"] == 3 and res["deletions"] == 3


def test_lrat_valid_binary(tmp_path):
    for formula, text in ((F4, F4_LRAT), (PHP, PHP_LRAT)):
        proof = lrat_binary(text)
        assert proof[:1] == b"a"
        assert_ok(lrat(tmp_path, formula, proof))


def test_lrat_binary_starting_with_deletion(tmp_path):
    formula = F4 + [[-1, -2]]  # clause 5 duplicates clause 4, which is deleted
    proof = lrat_binary("5 d 4 0\n6 2 0 1 2 0\n7 0 6 3 5 0\n")
    assert proof[:1] == b"d"
    res = lrat(tmp_path, formula, proof)
    assert_ok(res)
    assert res["deletions"] == 1


def test_lrat_redundant_hints_after_conflict_and_odd_lemmas(tmp_path):
    proof = (
        "5 2 2 0 1 2 0\n"  # duplicate literal
        "6 1 -1 0 0\n"  # tautology needs no hints
        "7 2 1000 0 1 2 0\n"  # variable beyond nvars
        "8 0 5 3 4 1 2 0\n"  # hints after the conflict are allowed
    )
    assert_ok(lrat(tmp_path, F4, proof))


def test_lrat_wrong_hint_order(tmp_path):
    res = lrat(tmp_path, F4, "5 2 0 1 2 0\n6 0 3 5 4 0\n")
    assert_rejected(res, "proof line 2", "not unit")


def test_lrat_missing_hint(tmp_path):
    res = lrat(tmp_path, F4, "5 2 0 1 2 0\n6 0 5 3 0\n")
    assert_rejected(res, "proof line 2", "without a conflict")
    res = lrat(tmp_path, PHP, PHP_LRAT.replace("4 5 2 3 9 0", "4 5 2 3 0"))
    assert_rejected(res, "proof line 1")


def test_lrat_hint_to_deleted_clause(tmp_path):
    res = lrat(tmp_path, F4, "5 2 0 1 2 0\n5 d 3 0\n6 0 5 3 4 0\n")
    assert_rejected(res, "proof line 3", "deleted")


def test_lrat_hint_to_unknown_clause(tmp_path):
    res = lrat(tmp_path, F4, "5 2 0 1 2 0\n6 0 5 3 7 0\n")
    assert_rejected(res, "proof line 2", "unknown")


def test_lrat_lemma_not_implied(tmp_path):
    res = lrat(tmp_path, [[1, 2], [3, 4]], "3 1 0 1 0\n")
    assert_rejected(res, "proof line 1")
    # Cannot be repaired by any hint choice either.
    res = lrat(tmp_path, [[1, 2], [3, 4]], "3 1 0 1 2 0\n")
    assert_rejected(res, "proof line 1")


def test_lrat_no_empty_clause(tmp_path):
    res = lrat(tmp_path, F4, "5 2 0 1 2 0\n")
    assert_rejected(res, "empty clause")
    res = lrat(tmp_path, F4, "")
    assert_rejected(res, "empty clause")


def test_lrat_id_reuse(tmp_path):
    res = lrat(tmp_path, F4, "5 2 0 1 2 0\n5 0 5 3 4 0\n")
    assert_rejected(res, "proof line 2", "not greater")
    res = lrat(tmp_path, F4, "4 2 0 1 2 0\n6 0 4 3 4 0\n")  # clashes with an original id
    assert_rejected(res, "proof line 1", "not greater")
    # Ids may jump, but never go back.
    res = lrat(tmp_path, F4, "50 2 0 1 2 0\n40 0 50 3 4 0\n")
    assert_rejected(res, "proof line 2")
    assert_ok(lrat(tmp_path, F4, "50 2 0 1 2 0\n51 d 1 0\n90 0 50 3 4 0\n"))


def test_lrat_id_reuse_after_mass_deletion(tmp_path):
    # Enough deletions to make the checker compact its store: the deleted
    # newest id must still count as used.
    formula = F4 + [[1, 2]] * 3000  # ids 5..3004
    deleted = " ".join(map(str, range(5, 3005)))
    proof = f"3005 2 0 1 2 0\n3005 d 3005 {deleted} 0\n"
    assert_ok(lrat(tmp_path, formula, proof + "3006 2 0 1 2 0\n3007 0 3006 3 4 0\n"))
    res = lrat(tmp_path, formula, proof + "3005 2 0 1 2 0\n3006 0 3005 3 4 0\n")
    assert_rejected(res, "proof line 3", "not greater")


def test_lrat_deletion_errors(tmp_path):
    res = lrat(tmp_path, F4, "5 d 99 0\n" + F4_LRAT)
    assert_rejected(res, "proof line 1", "unknown")
    res = lrat(tmp_path, F4, "5 d 1 0\n5 d 1 0\n")
    assert_rejected(res, "proof line 2")


def test_lrat_rat_hints_rejected(tmp_path):
    res = lrat(tmp_path, F4, "5 2 0 1 -2 0\n6 0 5 3 4 0\n")
    assert_rejected(res, "proof line 1", "RAT hints not supported")


@pytest.mark.parametrize(
    "garbage",
    [
        "5 2 x 0 1 2 0\n",
        "hello\n",
        "5 2 0 1 2",  # truncated
        "5 2 0 1 2 0\n6 0 5 3 4 0 junk\n",
        "5 2 0 1 99999999999999999999999 0\n",
        "\x00\x01\x02",
        b"a\x0a\x04\x00\x02",  # truncated binary
        b"a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00",  # varint overflow
        b"x\x00",
    ],
)
def test_lrat_garbage_rejected(tmp_path, garbage):
    res = lrat(tmp_path, F4, garbage)
    assert not res["ok"] and res["message"]


def test_missing_proof_file_and_bad_formula(tmp_path):
    res = _core.check_lrat(flat(F4), 2, str(tmp_path / "nope"))
    assert_rejected(res, "cannot read")
    res = _core.check_drat(flat(F4), 2, str(tmp_path / "nope"))
    assert_rejected(res, "cannot read")
    path = write(tmp_path, F4_LRAT)
    assert_rejected(_core.check_lrat(flat(F4), 1, path), "exceeds nvars")
    assert_rejected(_core.check_lrat(np.array([1, 2], dtype=np.int32), 2, path), "terminated")


def test_formula_accepts_lists_other_dtypes_and_pathlike(tmp_path):
    path = tmp_path / "p.lrat"
    path.write_text(F4_LRAT)
    as_list = [int(x) for x in flat(F4)]
    assert _core.check_lrat(as_list, 2, path)["ok"]
    assert _core.check_lrat(np.array(as_list, dtype=np.int64), 2, str(path))["ok"]
    assert _core.check_lrat(as_list, 2, bytes(path))["ok"]
    with pytest.raises(ValueError):
        _core.check_lrat(np.zeros((2, 2), dtype=np.int32), 2, str(path))


# ---------------------------------------------------------------------------
# DRAT, hand-written
# ---------------------------------------------------------------------------


def test_drat_valid_rup(tmp_path):
    res = drat(tmp_path, F4, "-2 0\n0\n")
    assert_ok(res)
    assert res["lemmas"] == 2
    assert_ok(drat(tmp_path, PHP, "c php\n-1 0\n-2 0\nd -3 -1 0\n0\n"))


def test_drat_valid_binary(tmp_path):
    text = "d 3 2 1 0\n-1 0\n-2 0\nd -3 -1 0\n0\n"
    proof = drat_binary(text)
    assert proof[:1] == b"d"
    res = drat(tmp_path, PHP + [[1, 2, 3]], proof)
    assert_ok(res)
    assert res["lemmas"] == 3 and res["deletions"] == 2


def test_drat_text_deletion_first_is_text(tmp_path):
    # "d ..." text must not be mistaken for binary.
    assert_ok(drat(tmp_path, PHP + [[3, 4, 1]], "d 4 3 1 0\n-1 0\n-2 0\n0\n"))


def test_drat_rat_definitions_accepted(tmp_path):
    # x3 <-> (x1 and x2): each clause is RAT on its first literal but not RUP.
    res = drat(tmp_path, [[1, 2, 4]], "3 -1 -2 0\n-3 1 0\n-3 2 0\n")
    assert_rejected(res, "empty clause")  # satisfiable: only the ending is missing
    assert res["lemmas"] == 3


def test_drat_valid_rat_proof(tmp_path):
    # "3" is blocked (no clause has -3): RAT-only. The rest is RUP.
    for proof in ("3 0\n-2 0\n0\n", drat_binary("3 0\n-3 -2 0\n-2 0\n0\n")):
        assert_ok(drat(tmp_path, F4, proof))


def test_drat_rat_pivot_is_first_literal(tmp_path):
    formula = [[-1, 2]]
    res = drat(tmp_path, formula, "3 1 0\n")  # blocked on 3
    assert_rejected(res, "empty clause")
    res = drat(tmp_path, formula, "1 3 0\n")  # not RAT on 1
    assert_rejected(res, "proof line 1", "neither RUP nor RAT")


def test_drat_invalid_lemma(tmp_path):
    res = drat(tmp_path, [[1, 2], [-1, 2]], "-2 0\n")
    assert_rejected(res, "proof line 1", "neither RUP nor RAT")
    res = drat(tmp_path, F4, "3 0\n-3 0\n0\n")  # -3 clashes with the RAT unit 3
    assert_rejected(res, "proof line 2")
    res = drat(tmp_path, F4, "0\n")  # F4 is not refuted by unit propagation
    assert_rejected(res, "proof line 1")


def test_drat_deletion_is_effective_and_order_insensitive(tmp_path):
    assert_ok(drat(tmp_path, F4, "-2 0\n0\n"))
    res = drat(tmp_path, F4, "d -2 1 0\n-2 0\n0\n")
    assert_rejected(res, "proof line 2")


def test_drat_unknown_deletion_ignored(tmp_path):
    res = drat(tmp_path, F4, "d 1 2 7 0\nd 1 -1 0\n-2 0\n0\n")
    assert_ok(res)
    assert res["deletions"] == 2


def test_drat_deleting_a_unit_reason_is_ignored(tmp_path):
    # 1 and 2 are top-level units; (-1 2) is the reason of 2. Like drat-trim,
    # the checker keeps reasons, so -3 stays RUP (it needs 2).
    formula = [[1], [-1, 2], [-2, 3, 4], [-2, 3, -4], [-2, -3, 4], [-2, -3, -4]]
    assert_ok(drat(tmp_path, formula, "d 2 -1 0\nd 1 0\n-3 0\n0\n"))


def test_drat_no_empty_clause(tmp_path):
    assert_rejected(drat(tmp_path, PHP, ""), "empty clause")
    assert_rejected(drat(tmp_path, F4, "-2 0\n"), "empty clause")


def test_drat_formula_refuted_by_propagation(tmp_path):
    formula = [[1], [-1, 2], [-2]]
    assert_ok(drat(tmp_path, formula, ""))
    assert_ok(drat(tmp_path, [[1], []], ""))


@pytest.mark.parametrize("garbage", ["1 2\n", "-2 x 0\n0\n", "d\n", "a 1 0\n", b"a\x04"])
def test_drat_garbage_rejected(tmp_path, garbage):
    res = drat(tmp_path, F4, garbage)
    assert not res["ok"] and res["message"]


# ---------------------------------------------------------------------------
# Generated proofs: random UNSAT 3-SAT, CaDiCaL DRAT, naive DRUP -> LRAT
# ---------------------------------------------------------------------------


def random_3sat(rng, nvars, nclauses):
    return [
        [v if rng.random() < 0.5 else -v for v in rng.sample(range(1, nvars + 1), 3)]
        for _ in range(nclauses)
    ]


def brute_force_sat(clauses, nvars):
    """True iff some assignment satisfies all clauses (numpy, 2^nvars rows)."""
    rows = np.arange(1 << nvars, dtype=np.uint32)[:, None]
    bits = (rows >> np.arange(nvars, dtype=np.uint32)) & 1
    alive = np.ones(1 << nvars, dtype=bool)
    for c in clauses:
        sat = np.zeros_like(alive)
        for l in c:
            col = bits[:, abs(l) - 1].astype(bool)
            sat |= col if l > 0 else ~col
        alive &= sat
    return bool(alive.any())


def cadical_drat(clauses):
    from pysat.solvers import Solver

    with Solver(name="cadical195", bootstrap_with=clauses, with_proof=True) as s:
        assert s.solve() is False
        return s.get_proof()


def unit_propagate(clauses, assignment):
    """Naive propagation over {id: clause}. Returns (conflict id or None, trail
    of (literal, reason id)); `assignment` (a set of true literals) grows."""
    trail = []
    changed = True
    while changed:
        changed = False
        for cid, c in clauses.items():
            if any(l in assignment for l in c):
                continue
            free = [l for l in c if -l not in assignment]
            if not free:
                return cid, trail
            if len(set(free)) == 1:
                assignment.add(free[0])
                trail.append((free[0], cid))
                changed = True
    return None, trail


def rup_hints(clauses, lemma):
    """LRAT hints for a RUP lemma, or None if it is not RUP."""
    assignment = {-l for l in lemma}
    if any(l in assignment for l in lemma):
        return []  # tautology
    conflict, trail = unit_propagate(clauses, assignment)
    if conflict is None:
        return None
    reason = {abs(l): cid for l, cid in trail}
    needed, todo = set(), [conflict]
    while todo:  # walk back from the conflict to the lemma's negation
        for l in clauses[todo.pop()]:
            cid = reason.get(abs(l))
            if cid is not None and cid not in needed:
                needed.add(cid)
                todo.append(cid)
    return [cid for _, cid in trail if cid in needed] + [conflict]


def is_rat(clauses, lemma):
    """Naive RUP-or-RAT-on-first-literal check (reference for the tests)."""
    if rup_hints(clauses, lemma) is not None:
        return True
    if not lemma:
        return False
    p = lemma[0]
    return all(
        rup_hints(clauses, lemma + [l for l in c if l != -p]) is not None
        for c in clauses.values()
        if -p in c
    )


def drat_to_lrat(formula, drat_lines):
    """Text LRAT for a RUP-only DRAT proof (deletions included)."""
    clauses = {i + 1: list(c) for i, c in enumerate(formula)}
    next_id = len(formula) + 1
    out = []
    for line in drat_lines:
        toks = line.split()
        if toks[0] == "d":
            target = sorted(int(t) for t in toks[1:-1])
            for cid, c in clauses.items():
                if sorted(c) == target:
                    del clauses[cid]
                    out.append(f"{next_id - 1} d {cid} 0")
                    break
            continue
        lemma = [int(t) for t in toks[:-1]]
        hints = rup_hints(clauses, lemma)
        assert hints is not None, f"not RUP: {line}"
        out.append(" ".join(map(str, [next_id, *lemma, 0, *hints, 0])))
        clauses[next_id] = lemma
        next_id += 1
        if not lemma:
            break
    return out


def lrat_hints(line):
    """Hints of a text LRAT addition line."""
    toks = [int(t) for t in line.split()]
    end_of_lits = toks.index(0, 1)
    return toks[end_of_lits + 1:-1]


@pytest.fixture(scope="module")
def unsat_instance():
    rng = random.Random(2024)
    while True:
        formula = random_3sat(rng, 20, 150)
        if not brute_force_sat(formula, 20):
            return formula, cadical_drat(formula)


def test_generated_drat_valid(tmp_path, unsat_instance):
    formula, proof = unsat_instance
    assert proof[-1].split() == ["0"]
    text = "\n".join(proof) + "\n"
    res = drat(tmp_path, formula, text, nvars=20)
    assert_ok(res)
    assert res["lemmas"] == sum(not l.startswith("d") for l in proof)
    assert_ok(drat(tmp_path, formula, drat_binary(text), nvars=20))


def test_generated_drat_corrupted(tmp_path, unsat_instance):
    formula, proof = unsat_instance
    assert_rejected(drat(tmp_path, formula, "", nvars=20), "empty clause")
    no_empty = [l for l in proof if l.split() != ["0"]]
    assert_rejected(drat(tmp_path, formula, "\n".join(no_empty) + "\n", nvars=20), "empty clause")

    # A unit lemma that the naive reference says is neither RUP nor RAT.
    clauses = {i + 1: c for i, c in enumerate(formula)}
    bad = next(l for v in range(1, 21) for l in (v, -v) if not is_rat(clauses, [l]))
    res = drat(tmp_path, formula, f"{bad} 0\n" + "\n".join(proof) + "\n", nvars=20)
    assert_rejected(res, "proof line 1", "neither RUP nor RAT")


def test_generated_drat_against_weakened_formula(tmp_path, unsat_instance):
    # The longest satisfiable prefix of the formula: no proof may pass on it.
    from pysat.solvers import Solver

    formula, proof = unsat_instance
    with Solver(name="minisat22") as s:
        k = 0
        while s.solve():
            s.add_clause(formula[k])
            k += 1
    k -= 1
    assert brute_force_sat(formula[:k], 20) and k < len(formula)
    res = drat(tmp_path, formula[:k], "\n".join(proof) + "\n", nvars=20)
    assert not res["ok"]
    assert "proof line" in res["message"]


def test_generated_lrat(tmp_path, unsat_instance):
    formula, proof = unsat_instance
    lines = drat_to_lrat(formula, proof)
    text = "\n".join(lines) + "\n"
    res = lrat(tmp_path, formula, text, nvars=20)
    assert_ok(res)
    assert res["lemmas"] == sum(" d " not in l for l in lines)
    assert_ok(lrat(tmp_path, formula, lrat_binary(text), nvars=20))

    # Dropping the conflict clause (the last hint) of any lemma breaks it.
    adds = [i for i, l in enumerate(lines) if " d " not in l and len(lrat_hints(l)) >= 2]
    k = adds[len(adds) // 2]
    broken = list(lines)
    broken[k] = lines[k].rsplit(" ", 2)[0] + " 0"
    assert lrat_hints(broken[k]) == lrat_hints(lines[k])[:-1]
    assert_rejected(lrat(tmp_path, formula, "\n".join(broken) + "\n", nvars=20),
                    f"proof line {k + 1}")

    # Dropping the final empty clause.
    assert_rejected(lrat(tmp_path, formula, "\n".join(lines[:-1]) + "\n", nvars=20),
                    "empty clause")


@pytest.mark.parametrize("fmt", ["lrat", "drat"])
def test_checkers_stream_a_huge_proof_file(tmp_path, fmt):
    # 256 MB of comment lines before a real (text) proof. The checkers used to read the
    # whole file into memory; under a 512 MB address-space limit they must still check it.
    import resource
    import subprocess
    import sys
    from satmip.sat import Solver
    formula = [[1, 2], [-1, 2], [1, -2], [-1, -2, 3], [-3, -2], [-1, 3, 4], [-4, -1]]
    proof = tmp_path / "proof"
    s = Solver()
    s.trace_proof(str(proof), fmt)
    for c in formula:
        s.add_clause(c)
    assert s.solve() is False
    s.close_proof()
    padded = tmp_path / "padded"
    block = b"c " + b"x" * 1022 + b"\n"
    block *= (16 << 20) // len(block)
    with open(padded, "wb") as f:
        for _ in range(16):
            f.write(block)
        f.write(proof.read_bytes())
    check = "check_drat" if fmt == "drat" else "check_lrat"
    code = (f"from satmip.proof import {check}\n"
            f"print({check}({formula!r}, {str(padded)!r})['ok'])\n")

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       preexec_fn=limit)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "True"
