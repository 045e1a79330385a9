"""The panes of margin's main screen, one module each."""
