"""Node positions for a map: a seeded force layout that stays fast at thousands of nodes.

networkx's own force layouts (``spring_layout``, ``forceatlas2_layout``) take over a minute for
5,000 nodes on two cores, because their repulsion is either all pairs or a Python loop per
node. This is the same Fruchterman-Reingold model, vectorised with numpy: repulsion is exact
between near nodes (a scipy k-d tree finds the pairs) and taken from cell centroids of a coarse
grid for far ones, so one iteration costs O(n * cells) instead of O(n²).

Example::

    >>> import networkx as nx
    >>> positions = layout_positions(nx.path_graph(3), seed=1)
    >>> sorted(positions)
    [0, 1, 2]
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

# Pixels between two tied nodes at rest: vis-network draws labels ~14 px high, so this leaves room.
NODE_SPACING = 90.0
ITERATIONS = 120
GRID_CELLS = 24  # per side; far-field cost is n * GRID_CELLS**2 per iteration
GRAVITY = 0.05  # keeps separate components on one screen instead of drifting apart


def layout_positions(
    graph: nx.Graph, seed: int = 1, iterations: int = ITERATIONS
) -> dict[Hashable, tuple[float, float]]:
    """Positions in pixels for every node of ``graph``, the same for the same graph and seed.

    Nodes are taken in sorted order (by ``str``) so insertion order does not change the result;
    coordinates are rounded to one decimal so the bytes of a page made from them are stable.
    """
    nodes = sorted(graph.nodes, key=str)
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array(
        sorted({tuple(sorted((index[a], index[b]))) for a, b in graph.edges() if a != b}), dtype=np.int64
    ).reshape(-1, 2)
    unit = _force_directed(len(nodes), edges, seed, iterations)
    scale = NODE_SPACING * math.sqrt(len(nodes))
    return {node: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for node, (x, y) in zip(nodes, unit)}


def _force_directed(count: int, edges: np.ndarray, seed: int, iterations: int) -> np.ndarray:
    """Fruchterman-Reingold in the unit square: count × 2 positions, centred on 0."""
    rng = np.random.default_rng(seed)
    positions = rng.random((count, 2)) - 0.5
    ideal = 1.0 / math.sqrt(count)  # the model's k: the rest length of an edge in the unit square
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        displacement = _repulsion(positions, ideal) + _attraction(positions, edges, ideal)
        displacement -= GRAVITY * positions / ideal  # pull toward the centre
        length = np.maximum(np.hypot(displacement[:, 0], displacement[:, 1]), 1e-9)
        step = np.minimum(length, temperature) / length
        positions += displacement * step[:, None]
        temperature -= cooling
    return positions - positions.mean(axis=0)


def _attraction(positions: np.ndarray, edges: np.ndarray, ideal: float) -> np.ndarray:
    """Spring pull along edges: d² / k toward each neighbour."""
    force = np.zeros_like(positions)
    if len(edges) == 0:
        return force
    delta = positions[edges[:, 0]] - positions[edges[:, 1]]
    distance = np.hypot(delta[:, 0], delta[:, 1])[:, None]
    pull = delta * distance / ideal
    np.add.at(force, edges[:, 0], -pull)
    np.add.at(force, edges[:, 1], pull)
    return force


def _repulsion(positions: np.ndarray, ideal: float) -> np.ndarray:
    """Push k² / d from every other node: exact within a radius, by grid centroid beyond it."""
    low = positions.min(axis=0)
    span = max(float((positions.max(axis=0) - low).max()), 1e-9)
    cell_size = span / GRID_CELLS
    radius = 2.0 * cell_size
    force = _near_repulsion(positions, ideal, radius)
    cells = np.minimum(((positions - low) / cell_size).astype(np.int64), GRID_CELLS - 1)
    cell_ids = cells[:, 0] * GRID_CELLS + cells[:, 1]
    counts = np.bincount(cell_ids, minlength=GRID_CELLS**2).astype(float)
    occupied = counts > 0
    centroids = (
        np.stack(
            [np.bincount(cell_ids, weights=positions[:, axis], minlength=GRID_CELLS**2) for axis in (0, 1)], axis=1
        )[occupied]
        / counts[occupied][:, None]
    )
    delta = positions[:, None, :] - centroids[None, :, :]
    distance_sq = np.maximum((delta**2).sum(axis=2), 1e-12)
    far = distance_sq >= radius * radius  # near cells are already counted node by node
    weight = np.where(far, counts[occupied][None, :] * ideal * ideal / distance_sq, 0.0)
    return force + (delta * weight[:, :, None]).sum(axis=1)


def _near_repulsion(positions: np.ndarray, ideal: float, radius: float) -> np.ndarray:
    """Exact k² / d push between every pair of nodes closer than ``radius``."""
    force = np.zeros_like(positions)
    pairs = cKDTree(positions).query_pairs(radius, output_type="ndarray")
    if len(pairs) == 0:
        return force
    delta = positions[pairs[:, 0]] - positions[pairs[:, 1]]
    distance_sq = np.maximum((delta**2).sum(axis=1), 1e-12)[:, None]
    push = delta * ideal * ideal / distance_sq
    np.add.at(force, pairs[:, 0], push)
    np.add.at(force, pairs[:, 1], -push)
    return force
