#!/usr/bin/env python3
"""Writes the LRAT proofs of this folder with the CaDiCaL command-line solver.

usage: python tests/data/proofs/make_proofs.py PATH/TO/cadical

Each case's formula is either generated here (written as NAME.cnf.xz) or one of
tests/data/sat; CaDiCaL writes a text LRAT proof (NAME.lrat.xz) and a binary one
(NAME.lrat-binary.xz). See README.md.
"""
import lzma
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))   # tests/, for helpers
from helpers import DATA_DIR, dimacs_text, pigeonhole, random_ksat  # noqa: E402

GENERATED = {
    "php-6-5": lambda: pigeonhole(6, 5),
    "php-7-6": lambda: pigeonhole(7, 6),
    "random-60-s1": lambda: random_ksat(60, 360, seed=1),     # ratio 6, UNSAT
    "random-120-s0": lambda: random_ksat(120, 552, seed=0),   # ratio 4.6, UNSAT
}
BUNDLED = ("bf2670-001",)   # hole8 and tseitin-24-4-s1 give proofs of 0.3-1 MB compressed


def main(cadical: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = {}
        for name, make in GENERATED.items():
            text = dimacs_text(make(), comment=name).encode()
            (HERE / f"{name}.cnf.xz").write_bytes(lzma.compress(text))
            cases[name] = text
        for name in BUNDLED:
            cases[name] = lzma.decompress((DATA_DIR / f"{name}.cnf.xz").read_bytes())
        for name, text in cases.items():
            cnf = tmp / f"{name}.cnf"
            cnf.write_bytes(text)
            for suffix, options in (("lrat", ["--lrat", "--no-binary"]), ("lrat-binary", ["--lrat"])):
                proof = tmp / f"{name}.{suffix}"
                done = subprocess.run([cadical, "-q", *options, str(cnf), str(proof)])
                assert done.returncode == 20, (name, done.returncode)
                (HERE / f"{name}.{suffix}.xz").write_bytes(lzma.compress(proof.read_bytes(), preset=9))


if __name__ == "__main__":
    main(sys.argv[1])
