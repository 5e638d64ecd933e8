"""Writers: answer tables, maps, graph exports (GraphML, GEXF, Cytoscape, VOSviewer, CSV, SVG)."""
