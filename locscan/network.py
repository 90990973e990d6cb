"""Road (or bike) networks from OpenStreetMap, and travel distances over them.

A network layer in the catalogue has role ``network`` and an OSM XML file as source (for
example an extract made with osmium or Overpass). :func:`load_network` builds the graph once
with osmnx, projects it to EPSG:28992 and keeps only what distances need: node coordinates and
edges with their length, as numpy arrays. :func:`distances_to` then answers, for many origins at
once, the travel distance to the nearest of many targets with a single shortest-path run
(scipy's Dijkstra from one virtual source joined to every target).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from locscan import settings
from locscan.errors import LayerError

__all__ = ["Network", "distances_to", "load_network"]


@dataclass(frozen=True)
class Network:
    """
    A travel network as arrays, in EPSG:28992.

    Attributes
    ----------
    x, y
        Node coordinates (m).
    u, v, length
        Edges between node positions and their length along the road (m); travelled both ways.
    """

    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray

    def to_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Nodes and edges as frames (for the cache)."""
        return (pd.DataFrame({"x": self.x, "y": self.y}),
                pd.DataFrame({"u": self.u, "v": self.v, "length": self.length}))

    @classmethod
    def from_frames(cls, nodes: pd.DataFrame, edges: pd.DataFrame) -> Network:
        """The inverse of :meth:`to_frames`."""
        return cls(nodes["x"].to_numpy(), nodes["y"].to_numpy(), edges["u"].to_numpy(),
                   edges["v"].to_numpy(), edges["length"].to_numpy())


def load_network(path: str | os.PathLike, name: str = "network") -> Network:
    """
    Build a network from an OSM XML file with osmnx, projected to EPSG:28992.

    Raises
    ------
    LayerError
        When the file is missing or holds no ways osmnx can build a graph from.
    """
    import osmnx as ox

    path = Path(path)
    if not path.is_file():
        raise LayerError(f"layer {name!r} ({path}): file not found")
    try:
        graph = ox.graph_from_xml(path, simplify=True, retain_all=True)
    except Exception as exc:  # osmnx raises for unreadable XML and for files without ways
        raise LayerError(f"layer {name!r} ({path}): no road network in it: {exc}") from exc
    graph = ox.project_graph(graph, to_crs=settings.crs)
    if graph.number_of_edges() == 0:
        raise LayerError(f"layer {name!r} ({path}): the network has no edges")
    nodes, edges = ox.graph_to_gdfs(graph, fill_edge_geometry=True)
    position = pd.Series(np.arange(len(nodes)), index=nodes.index)
    u = edges.index.get_level_values("u")
    v = edges.index.get_level_values("v")
    # lengths measured in RD New along the road, like every other distance in locscan
    # (osmnx's own lengths are great-circle distances, up to a few per mille apart)
    return Network(nodes["x"].to_numpy(float), nodes["y"].to_numpy(float),
                   position[u].to_numpy(), position[v].to_numpy(),
                   shapely.length(edges.geometry.to_numpy()))


def _snap(network: Network, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest node of each point and the straight-line distance to it."""
    tree = shapely.STRtree(shapely.points(network.x, network.y))
    (i_pt, i_node), dist = tree.query_nearest(points, return_distance=True, all_matches=False)
    node = np.empty(len(points), dtype=np.int64)
    snap = np.empty(len(points))
    node[i_pt], snap[i_pt] = i_node, dist
    return node, snap


def distances_to(
    network: Network,
    origins: np.ndarray,
    targets: np.ndarray,
    *,
    max_snap: float | None = None,
) -> np.ndarray:
    """
    Travel distance (m) from each origin to the nearest target over the network.

    Origins and targets join the network at their nearest node, in a straight line; that
    distance counts too. One Dijkstra run from a virtual source connected to every target
    gives all origins at once.

    Parameters
    ----------
    network
        The network (EPSG:28992).
    origins, targets
        Shapely geometries (EPSG:28992); polygons join at their point on surface.
    max_snap
        Origins farther than this from any node get NaN (no road nearby).

    Returns
    -------
    ndarray
        Distance per origin; NaN where no target can be reached.
    """
    n = len(network.x)
    if not len(targets):
        return np.full(len(origins), np.nan)
    t_node, t_snap = _snap(network, shapely.point_on_surface(targets))
    o_node, o_snap = _snap(network, shapely.point_on_surface(origins))
    edges = pd.DataFrame({
        "r": np.concatenate([network.u, network.v, np.full(len(t_node), n)]),
        "c": np.concatenate([network.v, network.u, t_node]),
        # a zero would vanish from a sparse matrix: joining at a node costs a nanometre
        "w": np.maximum(np.concatenate([network.length, network.length, t_snap]), 1e-9),
    }).groupby(["r", "c"], sort=False)["w"].min().reset_index()  # parallel roads: shortest
    graph = sparse.csr_matrix((edges["w"], (edges["r"], edges["c"])), shape=(n + 1, n + 1))
    along = dijkstra(graph, directed=True, indices=n, min_only=False)
    out = along[o_node] + o_snap
    out[~np.isfinite(out)] = np.nan
    if max_snap is not None:
        out[o_snap > max_snap] = np.nan
    return out
