"""Phase baselines (satmip.learn.baselines) on formulas small enough to count by hand."""
from __future__ import annotations

import numpy as np

from satmip.learn.baselines import backbone_accuracy, jeroslow_wang, polarity


def test_polarity_counts_occurrences():
    clauses = [[1, -2], [-1, -2, 3], [-1, 2], [4, -3], [-4]]
    assert polarity(clauses).tolist() == [0, -1, -1, 1, 1]  # x4: one each -> +1


def test_jeroslow_wang_weighs_short_clauses_more():
    # x1: +1 in a binary (1/4) vs -1 in two ternaries (2/8): a tie -> +1;
    # x2: -1 in a unit (1/2) beats +1 in three ternaries (3/8).
    clauses = [[1, 5], [-1, 6, 7], [-1, 6, 7], [-2], [2, 6, 7], [2, 6, 7], [2, 6, 7]]
    phases = jeroslow_wang(clauses)
    assert phases[1] == 1 and phases[2] == -1


def test_backbone_accuracy_counts_backbone_variables_only():
    backbone = np.array([0, 1, -1, 0, 1], np.int8)
    assert backbone_accuracy(np.array([0, 1, 1, -1, 1], np.int8), backbone) == 2 / 3
    assert np.isnan(backbone_accuracy(np.ones(5, np.int8), np.zeros(5, np.int8)))
