"""margin's Textual app: a face over :class:`search.library.Library` (never imports whoosh)."""
