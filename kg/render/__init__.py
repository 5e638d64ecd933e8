"""Writers that turn views into files people read: the interactive map (HTML)."""
