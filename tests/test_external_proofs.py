"""satmip's proof checkers fed proofs written by other solvers: DRAT from PySAT's
CaDiCaL, Glucose, Lingeling and Maple solvers (made here), LRAT from the CaDiCaL
command-line solver (committed in tests/data/proofs, see its README). A flaw shared by
satmip's proof writer and its checkers cannot show in the other tests, which check
satmip's own proofs only. Each proof is also corrupted in ways a checker must reject.
"""
from __future__ import annotations

import lzma
from pathlib import Path

import pytest
from helpers import DATA_DIR, pigeonhole, random_ksat, write_dimacs
from pysat.solvers import Solver as PySolver

import satmip

PROOFS = Path(__file__).parent / "data" / "proofs"
# PySAT's maplesat is left out: its proofs are rejected by satmip's checker and by the
# RUP/RAT oracle below alike (php 5 into 4: line 9 neither RUP nor RAT, a literal of a
# variable the formula does not have).
DRAT_WRITERS = ("cadical195", "cadical103", "glucose42", "lingeling", "maplechrono")


def random_unsat(nvars: int, nclauses: int, seed: int) -> list[list[int]]:
    """Random 3-SAT above the threshold, UNSAT by minisat22."""
    clauses = random_ksat(nvars, nclauses, seed=seed)
    with PySolver(name="minisat22", bootstrap_with=clauses) as s:
        assert s.solve() is False
    return clauses


def bundled(name: str) -> list[list[int]]:
    return satmip.read_dimacs(DATA_DIR / name).clauses


# Several sizes for every writer; larger ones (up to hole8, 9 into 8) with one writer each.
FORMULAS = {
    "php-5-4": lambda: pigeonhole(5, 4),
    "php-7-6": lambda: pigeonhole(7, 6),
    "random-60": lambda: random_unsat(60, 360, seed=1),
    "random-120": lambda: random_unsat(120, 552, seed=0),
    "bf2670-001": lambda: bundled("bf2670-001.cnf.xz"),
    "php-8-7": lambda: pigeonhole(8, 7),
    "hole8": lambda: bundled("hole8.cnf.xz"),
    "tseitin-24-4-s1": lambda: bundled("tseitin-24-4-s1.cnf.xz"),
}
SMALL = ("php-5-4", "php-7-6", "random-60", "random-120", "bf2670-001")
LARGE = {"cadical195": "php-8-7", "glucose42": "php-8-7", "maplechrono": "hole8",
         "cadical103": "tseitin-24-4-s1"}


def drat_lines(writer: str, clauses) -> list[str]:
    with PySolver(name=writer, bootstrap_with=clauses, with_proof=True) as s:
        assert s.solve() is False
        return list(s.get_proof())


def write_lines(path: Path, lines) -> Path:
    path.write_text("".join(line + "\n" for line in lines))
    return path


def refuted_by_propagation(clauses) -> bool:
    """True when unit propagation alone finds a conflict (minisat22, nothing learned)."""
    with PySolver(name="minisat22", bootstrap_with=clauses) as s:
        ok, _ = s.propagate()
        return not ok


def implied_by_propagation(clauses, clause) -> bool:
    """RUP: the clauses and the negation of `clause` propagate to a conflict."""
    with PySolver(name="minisat22", bootstrap_with=clauses) as s:
        ok, _ = s.propagate(assumptions=[-l for l in clause])
        return not ok


def unjustified_unit(clauses) -> list[int]:
    """A unit clause that is neither RUP nor RAT on its literal: a forward DRAT
    checker must reject a proof that adds it."""
    for var in range(1, max(abs(l) for c in clauses for l in c) + 1):
        for lit in (var, -var):
            if implied_by_propagation(clauses, [lit]):
                continue
            resolvents = [[lit] + [l for l in c if l != -lit] for c in clauses if -lit in c]
            if not all(implied_by_propagation(clauses, r) for r in resolvents):
                return [lit]
    raise AssertionError("every unit is RUP or RAT here")


def lemmas_of(lines) -> list[list[int]]:
    return [[int(t) for t in line.split()[:-1]] for line in lines if line and not line.startswith("d")]


@pytest.mark.parametrize("writer", DRAT_WRITERS)
def test_drat_proofs_of_other_solvers_accepted(tmp_path, writer):
    for name in SMALL + ((LARGE[writer],) if writer in LARGE else ()):
        clauses = FORMULAS[name]()
        proof = write_lines(tmp_path / f"{name}.drat", drat_lines(writer, clauses))
        check = satmip.check_drat(clauses, proof)
        assert check["ok"], f"{writer} on {name}: {check['message']}"


@pytest.mark.parametrize("name", ["php-7-6", "random-60", "bf2670-001"])
def test_corrupted_drat_proofs_rejected(tmp_path, name):
    clauses = FORMULAS[name]()
    for writer in ("cadical195", "glucose42"):
        lines = drat_lines(writer, clauses)
        # cut before the end: the lemmas kept do not refute the formula by propagation
        cut = lines[:len(lines) // 4]
        assert not refuted_by_propagation(clauses + lemmas_of(cut))
        check = satmip.check_drat(clauses, write_lines(tmp_path / "cut.drat", cut))
        assert not check["ok"], f"{writer} on {name}: a proof cut short accepted"
        # an unjustified unit first: every later step may still be fine, the proof is not
        bogus = unjustified_unit(clauses)
        forged = [" ".join(map(str, bogus)) + " 0"] + lines
        check = satmip.check_drat(clauses, write_lines(tmp_path / "forged.drat", forged))
        assert not check["ok"], f"{writer} on {name}: unit {bogus} (neither RUP nor RAT) accepted"


# ---------------------------------------------------------------------------
# LRAT from the CaDiCaL command-line solver (tests/data/proofs)
# ---------------------------------------------------------------------------


def lrat_cases():
    return sorted(p.name[:-len(".lrat.xz")] for p in PROOFS.glob("*.lrat.xz"))


def lrat_case(tmp_path, name) -> tuple[Path, list[str]]:
    """(the formula as DIMACS, the proof's text lines)."""
    cnf = tmp_path / f"{name}.cnf"
    packed = PROOFS / f"{name}.cnf.xz"
    packed = packed if packed.exists() else DATA_DIR / f"{name}.cnf.xz"
    cnf.write_bytes(lzma.decompress(packed.read_bytes()))
    text = lzma.decompress((PROOFS / f"{name}.lrat.xz").read_bytes()).decode()
    return cnf, text.splitlines()


def test_lrat_cases_present():
    assert len(lrat_cases()) >= 5, "tests/data/proofs lost its CaDiCaL LRAT proofs"


@pytest.mark.parametrize("name", lrat_cases())
def test_cadical_lrat_proofs_accepted(tmp_path, name):
    cnf, lines = lrat_case(tmp_path, name)
    check = satmip.check_lrat(str(cnf), write_lines(tmp_path / "p.lrat", lines))
    assert check["ok"], check["message"]
    assert check["lemmas"] > 0


def _steps(lines):
    """(index, id, literals, hints) of each addition step of a text LRAT proof."""
    out = []
    for i, line in enumerate(lines):
        tok = line.split()
        if len(tok) < 2 or tok[1] == "d":
            continue
        nums = [int(t) for t in tok]
        zero = nums.index(0, 1)
        out.append((i, nums[0], nums[1:zero], nums[zero + 1:-1]))
    return out


@pytest.mark.parametrize("name", lrat_cases())
def test_corrupted_lrat_proofs_rejected(tmp_path, name):
    cnf, lines = lrat_case(tmp_path, name)
    steps = _steps(lines)
    ok = lambda proof_lines, tag: satmip.check_lrat(str(cnf), write_lines(tmp_path / f"{tag}.lrat", proof_lines))["ok"]
    # 1. the empty clause's step gone
    last = next(s for s in reversed(steps) if not s[2])
    assert not ok([l for k, l in enumerate(lines) if k != last[0]], "no-empty")
    # 2. a step's last hint (the clause it falsifies) dropped
    i, cid, lits, hints = steps[len(steps) // 2]
    assert len(hints) >= 2
    dropped = list(lines)
    dropped[i] = " ".join(map(str, [cid, *lits, 0, *hints[:-1], 0]))
    assert not ok(dropped, "dropped-hint")
    # 3. a clause deleted before a step that uses it
    used = next(h for h in hints if h > 0)
    deleted = lines[:i] + [f"{cid - 1} d {used} 0"] + lines[i:]
    assert not ok(deleted, "deleted")
    # 4. the same proof against a weaker formula: one clause it uses gains a fresh literal
    text = cnf.read_text().splitlines()
    header = next(k for k, l in enumerate(text) if l.startswith("p "))
    nvars, nclauses = (int(x) for x in text[header].split()[2:4])
    clause_lines = [k for k, l in enumerate(text) if k > header and l.strip() and not l.startswith("c")]
    assert len(clause_lines) == nclauses     # one clause per line, as the proofs' CNFs are written
    first_used = min(h for _, _, _, hs in steps for h in hs if 0 < h <= nclauses)
    text[header] = f"p cnf {nvars + 1} {nclauses}"
    k = clause_lines[first_used - 1]
    text[k] = f"{nvars + 1} {text[k].strip()}"
    weaker = tmp_path / "weaker.cnf"
    weaker.write_text("\n".join(text) + "\n")
    check = satmip.check_lrat(str(weaker), write_lines(tmp_path / "p.lrat", lines))
    assert not check["ok"], f"clause {first_used} weakened, the proof still accepted"


@pytest.mark.parametrize("name", lrat_cases())
def test_cadical_binary_lrat_proofs_accepted(tmp_path, name):
    cnf, _ = lrat_case(tmp_path, name)
    proof = tmp_path / "p.lrat-binary"
    proof.write_bytes(lzma.decompress((PROOFS / f"{name}.lrat-binary.xz").read_bytes()))
    check = satmip.check_lrat(str(cnf), proof)
    assert check["ok"], check["message"]
