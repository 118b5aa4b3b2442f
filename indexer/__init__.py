"""Index backends: the embedded SQLite/FTS5 index (default) behind the `Index` interface."""
