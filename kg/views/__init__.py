"""networkx views read from a store: the entity graph, layouts (and, to come, the map views)."""

# Bridge until the kg/ restructure on main lands: kg/views.py (the entity graph) is shadowed by
# this package, so its public names are loaded from that file here. Drop this when merging.
import importlib.util as _importlib_util
from pathlib import Path as _Path

_spec = _importlib_util.spec_from_file_location("kg._entity_views", _Path(__file__).parent.parent / "views.py")
_entity_views = _importlib_util.module_from_spec(_spec)
_spec.loader.exec_module(_entity_views)
entity_graph = _entity_views.entity_graph
degree_table = _entity_views.degree_table
shortest_path_table = _entity_views.shortest_path_table
