"""Finding tables: which pages hold which table, and a region's words → header columns and body rows."""
