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

import hashlib
import math
import pickle
from collections.abc import Hashable
from pathlib import Path
from typing import TYPE_CHECKING

from kg._version import __version__
from kg.files import keep, read_kept

if TYPE_CHECKING:  # imported where used: a command that draws nothing need not load it
    import networkx as nx
    import numpy as np

# Pixels between two tied nodes at rest: vis-network draws labels ~14 px high, so this leaves room.
NODE_SPACING = 90.0
ITERATIONS = 120
MAX_GRID_CELLS = 24  # per side; the far-field cost per iteration is cells², so it stays bounded
NEAREST = 12  # nodes whose push on a node is computed exactly
GRAVITY = 0.05  # keeps separate components on one screen instead of drifting apart


class KeptLayouts:
    """Layouts kept between builds (``out/.cache/layout/``): the force layout of a 5,000-node map
    takes 4 s and depends only on the number of nodes, the edges between their sorted indexes, the
    seed, the iterations and this module's code (and numpy's version), so a layout is kept under
    the SHA-256 of all of these. A rebuild whose map has the same shape (a quote's text changed,
    say) lays nothing out. An entry that is stale, corrupt or of another version is ignored and
    made again, never trusted; entries are written only by :meth:`save` (a build calls it last),
    which removes those this run did not use. ``folder=None`` keeps nothing.

    >>> import tempfile, networkx as nx
    >>> kept = KeptLayouts(Path(tempfile.mkdtemp()))
    >>> first = layout_positions(nx.path_graph(3), kept=kept); kept.save()
    >>> again = KeptLayouts(kept.folder)
    >>> layout_positions(nx.path_graph(3), kept=again) == first, again.hits
    (True, 1)
    """

    SUFFIX = ".layout"
    LAYOUT = 1  # bumped when what an entry holds changes

    def __init__(self, folder: str | Path | None):
        self.folder = Path(folder) if folder is not None else None
        self.used: set[str] = set()
        self.pending: dict[str, bytes] = {}
        self.hits = 0

    def get(self, count: int, edges: np.ndarray, seed: int, iterations: int) -> np.ndarray:
        """The unit positions :func:`_force_directed` gives for these, from the folder when kept there."""
        import numpy as np

        if self.folder is None:
            return _force_directed(count, edges, seed, iterations)
        digest = hashlib.sha256(f"{self.LAYOUT}\0{__version__}\0{np.__version__}\0".encode())
        digest.update(Path(__file__).read_bytes())
        digest.update(f"\0{count}\0{seed}\0{iterations}\0{edges.dtype.str}\0".encode() + edges.tobytes())
        key = digest.hexdigest()
        self.used.add(key)
        header = (self.LAYOUT, __version__, key)
        found = read_kept(self.folder / f"{key}{self.SUFFIX}", header)
        if isinstance(found, np.ndarray) and found.shape == (count, 2) and found.dtype == np.float64:
            self.hits += 1
            return found
        unit = _force_directed(count, edges, seed, iterations)
        self.pending[key] = pickle.dumps((header, unit))
        return unit

    def save(self) -> None:
        """Write the layouts made this run and remove those it did not use."""
        if self.folder is not None:
            keep(self.folder, self.SUFFIX, self.pending, self.used)


#: What a layout made without a folder uses: nothing kept.
NOT_KEPT = KeptLayouts(None)


def layout_positions(
    graph: nx.Graph, seed: int = 1, iterations: int = ITERATIONS, kept: KeptLayouts = NOT_KEPT
) -> dict[Hashable, tuple[float, float]]:
    """Positions in pixels for every node of ``graph``, the same for the same graph and seed.

    Nodes are taken in sorted order (by ``str``) so insertion order does not change the result;
    coordinates are rounded to one decimal so the bytes of a page made from them are stable.
    With ``kept``, a layout made by an earlier build for the same shape is taken from its folder.
    """
    import numpy as np

    nodes = sorted(graph.nodes, key=str)
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array(
        sorted({tuple(sorted((index[a], index[b]))) for a, b in graph.edges() if a != b}), dtype=np.int64
    ).reshape(-1, 2)
    unit = kept.get(len(nodes), edges, seed, iterations)
    scale = NODE_SPACING * math.sqrt(len(nodes))
    return {node: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for node, (x, y) in zip(nodes, unit)}


def _force_directed(count: int, edges: np.ndarray, seed: int, iterations: int) -> np.ndarray:
    """Fruchterman-Reingold in the unit square: count × 2 positions, centred on 0."""
    import numpy as np

    rng = np.random.default_rng(seed)
    positions = rng.random((count, 2)) - 0.5
    ideal = 1.0 / math.sqrt(count)  # the model's k: the rest length of an edge in the unit square
    temperature = 0.1
    # About nine nodes a cell: finer grids cost more than the exact near push saves.
    grid_cells = min(MAX_GRID_CELLS, max(4, round(math.sqrt(count) / 3)))
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        displacement = _repulsion(positions, ideal, grid_cells) + _attraction(positions, edges, ideal)
        displacement -= GRAVITY * positions / ideal  # pull toward the centre
        length = np.maximum(np.hypot(displacement[:, 0], displacement[:, 1]), 1e-9)
        step = np.minimum(length, temperature) / length
        positions += displacement * step[:, None]
        temperature -= cooling
    return positions - positions.mean(axis=0)


def _attraction(positions: np.ndarray, edges: np.ndarray, ideal: float) -> np.ndarray:
    """Spring pull along edges: d² / k toward each neighbour."""
    import numpy as np

    if len(edges) == 0:
        return np.zeros_like(positions)
    delta = positions[edges[:, 0]] - positions[edges[:, 1]]
    pull = delta * np.hypot(delta[:, 0], delta[:, 1])[:, None] / ideal
    return _sum_per_node(len(positions), edges, -pull)


def _repulsion(positions: np.ndarray, ideal: float, grid_cells: int) -> np.ndarray:
    """Push k² / d from other nodes: exactly from the nearest few, by grid cell beyond.

    The far push is computed once per cell (at its centroid, from every other cell) and shared
    by the cell's nodes, so one iteration costs cells² + n * NEAREST instead of n².
    """
    import numpy as np

    low = positions.min(axis=0)
    cell_size = max(float((positions.max(axis=0) - low).max()), 1e-9) / grid_cells
    cells = np.minimum(((positions - low) / cell_size).astype(np.int64), grid_cells - 1)
    cell_ids = cells[:, 0] * grid_cells + cells[:, 1]
    counts = np.bincount(cell_ids, minlength=grid_cells**2).astype(float)
    occupied = np.flatnonzero(counts)
    centroids = (
        np.stack(
            [np.bincount(cell_ids, weights=positions[:, axis], minlength=grid_cells**2) for axis in (0, 1)], axis=1
        )[occupied]
        / counts[occupied][:, None]
    )
    delta = centroids[:, None, :] - centroids[None, :, :]
    distance_sq = (delta**2).sum(axis=2)
    np.fill_diagonal(distance_sq, np.inf)  # a cell's own nodes push through the nearest-node term
    weight = counts[occupied][None, :] * ideal * ideal / np.maximum(distance_sq, 1e-12)
    far_per_cell = np.zeros((grid_cells**2, 2))
    far_per_cell[occupied] = (delta * weight[:, :, None]).sum(axis=1)
    return far_per_cell[cell_ids] + _near_repulsion(positions, ideal)


def _near_repulsion(positions: np.ndarray, ideal: float) -> np.ndarray:
    """Exact k² / d push on each node from its NEAREST closest nodes."""
    import numpy as np

    nearest = min(NEAREST, len(positions) - 1)
    from scipy.spatial import cKDTree  # here: 0.4 s of imports only drawing a map needs (not kg query)

    _, neighbours = cKDTree(positions).query(positions, k=nearest + 1)
    neighbours = neighbours[:, 1:]  # the first is the node itself
    delta = positions[:, None, :] - positions[neighbours]
    distance_sq = np.maximum((delta**2).sum(axis=2), 1e-12)
    return (delta * (ideal * ideal / distance_sq)[:, :, None]).sum(axis=1)


def _sum_per_node(count: int, pairs: np.ndarray, force: np.ndarray) -> np.ndarray:
    """Add ``force`` to the first node of each pair and subtract it from the second."""
    import numpy as np

    total = np.empty((count, 2))
    for axis in (0, 1):
        total[:, axis] = np.bincount(pairs[:, 0], weights=force[:, axis], minlength=count) - np.bincount(
            pairs[:, 1], weights=force[:, axis], minlength=count
        )
    return total
