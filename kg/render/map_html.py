def render_map(graph, title, legend_title=None):
    import json

    return json.dumps({"title": title, "n": sorted(graph)}, sort_keys=True)
