"""margin's Textual app: a face over ``Library`` (never imports whoosh)."""
