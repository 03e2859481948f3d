"""Per-file view objects: what each template prints, computed from the IR."""
