"""LP numerics (issue 11): random LPs whose coefficients span 1e8, satmip's LP
engine against HiGHS (presolve off), each satmip answer judged by its own
certificate in the unscaled model (tests/test_lp_numerics.py).

    python bench/lp_numerics.py [COUNT] [FIRST_SEED]

Prints one line per model that is not 'agree', then the counts (exit 1 if any
is 'wrong'):
  agree               same definite answer as HiGHS, certificate valid
  wrong               a definite satmip answer without a valid certificate, or
                      contradicting a definite HiGHS answer
  non-definite        satmip said numerical_trouble (or a limit)
  highs non-definite  HiGHS gave no definite answer; satmip's certificate is valid
"""
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_lp_numerics import certificate_error, judge, wide_range_lp  # noqa: E402


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    tally = Counter()
    for seed in range(first, first + count):
        d = wide_range_lp(seed)
        verdict, s, hs = judge(d)
        tally[verdict] += 1
        if verdict != "agree":
            why = certificate_error(d, s)
            print(f"seed {seed}: {verdict}: satmip {s.status} {s.objective:.9g}, HiGHS {hs}"
                  + (f", satmip certificate: {why}" if why else ""), flush=True)
    print(dict(tally))
    return 1 if tally["wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
