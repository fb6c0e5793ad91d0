"""Combinatorial auctions, the "arbitrary relationships" distribution of Leyton-Brown,
Pearson & Shoham (2000, section 4.3), with the parameters of Gasse et al. (2019):

    max sum_b price_b x_b  s.t.  sum_{b holds item i} x_b <= 1 for every item i,  x binary.

Items have common resale values v_i ~ U[min_value, max_value] and pairwise
compatibilities c_ik ~ U[0, 1] (symmetric, each row normalised to sum 1). Bidders come
one at a time, each with interests u_i ~ U[0, 1] and private values
v_i + max_value * value_deviation * (2 u_i - 1):
- the first item of the bidder's bundle is drawn in proportion to u; while a coin of
  probability add_item_prob says so, one more item not yet in the bundle is drawn in
  proportion to u_k times its mean compatibility with the bundle;
- the bundle's price is the sum of its private values plus |bundle|^(1 + additivity);
  a bidder whose price is negative is drawn again;
- for each item of the bundle, a substitute bundle of the same size grows from that
  item alone by the same rule; the substitutes are offered from the dearest down, at
  most max_n_sub_bids of them, skipping a negative price, a price above
  budget_factor x the first price, a resale value below resale_factor x the first
  bundle's, or a bundle already offered;
- a bidder with more than two bids gets a dummy item shared by all its bids, so that at
  most one of them wins (two bids always share an item: a substitute grows from an
  item of the first bundle).
Bids come until there are n_bids of them.

learn2branch's code (01_generate_instances.py) draws the next item with
`compats[bundle_mask, :]` for an integer 0/1 mask, that is from rows 0 and 1 of the
compatibility matrix rather than from the bundle's items; here the bundle's items are
used, as the paper defines it.
"""
from __future__ import annotations

import numpy as np

from ...model import Model
from ._common import build_model, numbered

SIZES = {"easy": {"n_items": 100, "n_bids": 500},
         "medium": {"n_items": 200, "n_bids": 1000},
         "hard": {"n_items": 300, "n_bids": 1500}}
DEFAULTS = {"min_value": 1.0, "max_value": 100.0, "value_deviation": 0.5, "add_item_prob": 0.7,
            "max_n_sub_bids": 5, "additivity": 0.2, "budget_factor": 1.5, "resale_factor": 0.5}


def _weighted_pick(weight: np.ndarray, rng: np.random.Generator) -> int:
    """An index drawn in proportion to weight (>= 0, some > 0)."""
    cumulative = np.cumsum(weight)
    k = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
    # rounding may put the draw on the total: take the last item of positive weight
    return k if k < len(weight) else int(np.flatnonzero(weight > 0)[-1])


class _Bundle:
    """A bundle growing item by item: membership and the summed compatibility rows."""

    def __init__(self, first: int, compat: np.ndarray):
        self.compat = compat
        self.member = np.zeros(len(compat), dtype=bool)
        self.compat_sum = np.zeros(len(compat))
        self.add(first)

    def add(self, item: int) -> None:
        self.member[item] = True
        self.compat_sum += self.compat[item]

    def grow(self, interests: np.ndarray, rng: np.random.Generator) -> None:
        """One more item, in proportion to interest x compatibility with the bundle."""
        weight = np.where(self.member, 0.0, interests * self.compat_sum)
        self.add(_weighted_pick(weight, rng))

    @property
    def items(self) -> np.ndarray:
        return np.flatnonzero(self.member)


def _bidder(values, compat, rng, p) -> list[tuple[np.ndarray, float]]:
    """One bidder's bids (bundle, price), first bundle first; [] when its price is negative."""
    n_items = len(values)
    interests = rng.random(n_items)
    private = values + p["max_value"] * p["value_deviation"] * (2 * interests - 1)

    def price(items: np.ndarray) -> float:
        return float(private[items].sum() + len(items) ** (1 + p["additivity"]))

    bundle = _Bundle(_weighted_pick(interests, rng), compat)
    while rng.random() < p["add_item_prob"] and bundle.member.sum() < n_items:
        bundle.grow(interests, rng)
    first = bundle.items
    first_price = price(first)
    if first_price < 0:
        return []
    substitutes = []
    for item in first:
        sub = _Bundle(int(item), compat)
        while sub.member.sum() < len(first):
            sub.grow(interests, rng)
        substitutes.append((sub.items, price(sub.items)))
    bids = [(first, first_price)]
    offered = {first.tobytes()}
    min_resale = p["resale_factor"] * values[first].sum()
    for k in np.argsort([-q for _, q in substitutes], kind="stable"):
        if len(bids) > p["max_n_sub_bids"]:
            break
        items, q = substitutes[k]
        if q < 0 or q > p["budget_factor"] * first_price or values[items].sum() < min_resale \
                or items.tobytes() in offered:
            continue
        bids.append((items, q))
        offered.add(items.tobytes())
    return bids


def build(rng: np.random.Generator, name: str, n_items: int, n_bids: int, **p) -> Model:
    if n_items < 1 or n_bids < 1:
        raise ValueError("cauctions: n_items and n_bids must be positive")
    if not 0 <= p["add_item_prob"] <= 1 or p["max_value"] < p["min_value"] or p["min_value"] < 0:
        raise ValueError("cauctions: add_item_prob must be in [0, 1] and 0 <= min_value <= max_value")
    if n_items < 2:
        raise ValueError("cauctions: needs at least 2 items (compatibilities between items)")
    values = p["min_value"] + (p["max_value"] - p["min_value"]) * rng.random(n_items)
    compat = np.triu(rng.random((n_items, n_items)), k=1)
    compat = compat + compat.T
    compat /= compat.sum(axis=1, keepdims=True)
    bundles: list[np.ndarray] = []
    prices: list[float] = []
    n_dummies = 0
    while len(bundles) < n_bids:
        bids = _bidder(values, compat, rng, p)[:n_bids - len(bundles)]
        dummy = [n_items + n_dummies] if len(bids) > 2 else []
        n_dummies += bool(dummy)
        for items, q in bids:
            bundles.append(np.concatenate((items, dummy)).astype(np.int64))
            prices.append(q)
    rows = np.concatenate(bundles)
    cols = np.repeat(np.arange(n_bids), [len(b) for b in bundles])
    used, rows = np.unique(rows, return_inverse=True)  # items nobody bids on give no row
    names = [f"item{i + 1}" if i < n_items else f"xor{i - n_items + 1}" for i in used]
    return build_model(name, prices, rows, cols, np.ones(len(rows)),
                       row_lower=np.full(len(used), -np.inf), row_upper=np.ones(len(used)),
                       col_lower=np.zeros(n_bids), col_upper=np.ones(n_bids),
                       integer=np.ones(n_bids, dtype=bool), sense=-1,
                       row_names=names, col_names=numbered("x", n_bids))
