"""Coverage and precision of phase predictions at several confidence thresholds, on
the dataset's validation split (never test), per family:

    python bench/phases/thresholds.py [--data /work/data/phases] [--families ...]

For the shipped model (p >= cfd or p <= 1 - cfd), Jeroslow-Wang and polarity (their
probability 1/2 + 1/2 (pos - neg) / (pos + neg) at the same cfd) and the second-order
spectral phases of tune.py (every variable): coverage = backbone variables given a
phase / backbone variables, precision = given backbone phases that are right;
"unfixed" = the same on the backbone variables root unit propagation leaves open;
true share = given backbone phases that are "true" (the engine's default phase is
false: only those change its first decisions).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tune import spectral_phases  # noqa: E402

from satmip.learn.baselines import root_fixed  # noqa: E402
from satmip.learn.dataset import instances  # noqa: E402
from satmip.learn.predict import default_model_path, load_model, predict_phases  # noqa: E402

CFDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data", default="/work/data/phases")
    p.add_argument("--families", default="")
    args = p.parse_args(argv)
    families = set(args.families.split(",")) if args.families else None
    model = load_model(default_model_path())
    acc = defaultdict(lambda: np.zeros(5))   # (family, predictor, cfd) -> backbone, given, right, unfixed-given, positive
    unfixed_total = defaultdict(int)
    unfixed_right = defaultdict(int)
    for entry, inst in instances(args.data, "validation"):
        fam = entry["family"]
        if families and fam not in families:
            continue
        b = inst.backbone[1:].astype(np.int64)
        on = b != 0
        free = on & (root_fixed(inst.cnf)[1:] == 0)
        unfixed_total[fam] += int(free.sum())
        probs = {"model": predict_phases(inst.cnf, model).probability[1:],
                 "jw": predict_phases(inst.cnf, "jw").probability[1:],
                 "polarity": predict_phases(inst.cnf, "polarity").probability[1:]}
        for name, pr in probs.items():
            for cfd in CFDS:
                given = on & ((pr >= cfd) | (pr <= 1 - cfd)) if cfd > 0.5 else on
                sign = np.where(pr >= 0.5, 1, -1)
                right = given & (sign == b)
                a = acc[(fam, name, cfd)]
                a += (on.sum(), given.sum(), right.sum(), (given & free).sum(), (given & (sign > 0)).sum())
                unfixed_right[(fam, name, cfd)] += int((right & free).sum())
        s = spectral_phases(inst.cnf).astype(np.int64)
        a = acc[(fam, "spectral", 0.5)]
        a += (on.sum(), on.sum(), (on & (s == b)).sum(), free.sum(), (on & (s > 0)).sum())
        unfixed_right[(fam, "spectral", 0.5)] += int((free & (s == b)).sum())
    print("| family | predictor | cfd | backbone coverage | precision | unfixed coverage | unfixed precision "
          "| true share |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for (fam, name, cfd), (n, given, right, given_free, positive) in sorted(acc.items()):
        uf = unfixed_total[fam]
        print(f"| {fam} | {name} | {cfd} | {given / max(n, 1):.3f} | {right / max(given, 1):.3f} "
              f"| {given_free / max(uf, 1):.3f} | {unfixed_right[(fam, name, cfd)] / max(given_free, 1):.3f} "
              f"| {positive / max(given, 1):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
