"""The commands of `kg`, by stage; `cli.py` at the repository root makes them one group.

`common` (errors and exit codes, warnings, progress, the PROJECT argument and the options that
name where the graph is), `build` (build, validate, publish, init, import), `query` (query,
sparql, stats), `maps` (map, export), `writing` (review, bib, litmap, matrix).
"""
