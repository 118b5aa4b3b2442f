"""Archive backends: the embedded filesystem archive (default) behind the `Archive` interface."""
