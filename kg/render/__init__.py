"""Writers that turn views (networkx graphs) and tables into files people open: maps, graph files, figures."""
