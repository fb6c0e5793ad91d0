"""Planning on a grid: an agent on a w x w grid with 20% walls must go from a
start to a goal in T steps (moving to a free neighbour or waiting), visiting
three waypoints on the way. One variable per (step, free cell): exactly one cell
per step, each move goes to a neighbour, each waypoint is visited at some step.
T is the length of a shortest tour start -> waypoints -> goal plus 10% slack,
so that tour is the planted plan. size = grid width w."""
from __future__ import annotations

from collections import deque

import numpy as np

from ...dimacs import Cnf
from ._builder import Clauses

SIZES = {"tiny": 4, "small": 7, "medium": 10, "large": 14}
WALLS = 0.2
WAYPOINTS = 3


def _neighbours(cell: tuple[int, int], free: np.ndarray) -> list[tuple[int, int]]:
    r, c = cell
    out = []
    for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        q = (r + dr, c + dc)
        if 0 <= q[0] < free.shape[0] and 0 <= q[1] < free.shape[1] and free[q]:
            out.append(q)
    return out


def _distances(start: tuple[int, int], free: np.ndarray) -> dict:
    dist = {start: 0}
    todo = deque([start])
    while todo:
        cell = todo.popleft()
        for q in _neighbours(cell, free):
            if q not in dist:
                dist[q] = dist[cell] + 1
                todo.append(q)
    return dist


def _layout(w: int, rng: np.random.Generator):
    """Walls, and start, waypoints, goal all in one connected region."""
    while True:
        free = rng.random((w, w)) >= WALLS
        cells = [(int(r), int(c)) for r, c in np.argwhere(free).tolist()]
        if len(cells) < WAYPOINTS + 2:
            continue
        picks = rng.choice(len(cells), WAYPOINTS + 2, replace=False)
        stops = [cells[i] for i in picks]
        reach = _distances(stops[0], free)
        if all(s in reach for s in stops):
            return free, stops


def generate(size: int, rng: np.random.Generator) -> Cnf:
    w = int(size)
    if w < 3:
        raise ValueError("grid_planning needs a width of at least 3")
    free, stops = _layout(w, rng)
    tour = sum(_distances(stops[i], free)[stops[i + 1]] for i in range(len(stops) - 1))
    steps = tour + max(1, tour // 10)
    cells = [(int(r), int(c)) for r, c in np.argwhere(free).tolist()]
    index = {cell: i for i, cell in enumerate(cells)}
    out = Clauses()
    at = [out.new_vars(len(cells)) for _ in range(steps + 1)]
    for t in range(steps + 1):
        out.exactly_one(at[t])
    for t in range(steps):
        for cell in cells:
            moves = [at[t + 1][index[cell]]] + [at[t + 1][index[q]] for q in _neighbours(cell, free)]
            out.add([-at[t][index[cell]]] + moves)
    start, goal = stops[0], stops[-1]
    out.add((at[0][index[start]],))
    out.add((at[steps][index[goal]],))
    for cell in stops[1:-1]:
        out.add([at[t][index[cell]] for t in range(steps + 1)])
    return out.cnf()
