"""satmip.learn.phase_eval's scores by hand (numpy only)."""
from __future__ import annotations

import numpy as np
import pytest

from satmip.learn.phase_eval import scores, summarise, table


def test_scores_by_hand():
    b = np.array([1, 1, -1, -1, 0, 0])       # 4 backbone variables
    p = np.array([1, -1, -1, 1, 1, -1])      # right on 2 of them
    m = np.array([1, 1, -1, -1, 1, 1])       # majority phases
    q = np.array([1, 1, -1, 1, 1, 1])        # polarity: right on 3
    j = np.array([-1, -1, 1, 1, 1, 1])       # JW: right on none
    prob = np.array([0.95, 0.2, 0.05, 0.5, 0.99, 0.0])
    r = scores(p, b, m, q, j, prob)
    assert (r["variables"], r["backbone_vars"]) == (6, 4)
    assert r["backbone_accuracy"] == 0.5 and r["polarity_backbone_accuracy"] == 0.75
    assert r["jw_backbone_accuracy"] == 0.0
    assert r["backbone_f1"] == pytest.approx(2 * 1 / (2 * 1 + 1 + 1))   # tp 1, fp 1, fn 1
    assert r["polarity_backbone_f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 0))
    assert r["all_accuracy_vs_majority"] == pytest.approx(3 / 6)      # variables 1, 3, 5
    # Confident (p >= 0.9 or <= 0.1) backbone variables: 1 and 3, both right.
    assert r["confident_backbone_share"] == 0.5 and r["confident_backbone_accuracy"] == 1.0


def test_summarise_pools_variables_and_splits_families_and_sizes():
    one = (np.array([1, 1]), np.array([1, -1]), np.array([1, -1]), np.array([1, 1]), np.array([1, 1]))
    two = (np.array([-1]), np.array([-1]), np.array([-1]), np.array([1]), np.array([-1]))
    r = summarise({("a", 10): [one, one], ("b", 5): [two]})
    assert r["formulas"] == 3 and r["backbone_vars"] == 5
    assert r["backbone_accuracy"] == pytest.approx(3 / 5)   # pooled by variable, not by family
    assert r["families"]["a"]["backbone_accuracy"] == 0.5 and r["families"]["b"]["backbone_accuracy"] == 1.0
    assert set(r["sizes"]) == {"a-10", "b-5"} and r["sizes"]["a-10"]["formulas"] == 2
    assert "| **pooled** | 3 | 5 | 0.600 |" in table(r)


def test_unfixed_scores_leave_out_the_root_fixed_backbone():
    b = np.array([1, 1, -1, -1, 0])
    p = np.array([1, -1, -1, 1, 1])
    fixed = np.array([1, 0, -1, 0, 0])   # variables 1 and 3 fixed at the root (both right)
    q = np.array([1, 1, 1, -1, 1])
    r = scores(p, b, b, q, q, fixed=fixed)
    assert r["unfixed_backbone_vars"] == 2
    assert r["unfixed_backbone_accuracy"] == 0.0 and r["backbone_accuracy"] == 0.5
    assert r["polarity_unfixed_backbone_accuracy"] == 1.0


def test_root_fixed_are_the_units_that_propagation_implies():
    from satmip.dimacs import Cnf, flatten
    from satmip.learn.baselines import root_fixed
    # -1 is a unit; it forces 2 (clause 1 2), and 2 forces -3 (clause -2 -3); 4, 5 stay free.
    cnf = Cnf(5, flatten([[-1], [1, 2], [-2, -3], [4, 5], [-4, 5, 3]]), 5)
    assert root_fixed(cnf).tolist() == [0, -1, 1, -1, 0, 0]
