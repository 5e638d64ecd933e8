"""What to show, read from a store: records, the map views and their layout, the writer's kit as data, stats."""
