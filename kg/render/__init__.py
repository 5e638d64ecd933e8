"""Writers: answer tables (tables); maps, exports and the writer's kit join here."""
