"""The app's state that is not the screen's, in small controllers the app composes.

Each controller owns one concern and talks to the panes the way the app would: attributes and
method calls down, messages up (its workers post :mod:`margin.tui.messages` messages that the
app routes back to it). None reads another widget's private state.

- :mod:`.persistence`: the user's saved state (theme, history, reading positions).
- :mod:`.sync`: the catalogue, index runs (``margin index`` in a child process), the folder
  watcher, and the index line of the status bar.
- :mod:`.search`: the query, its workers and its results.
- :mod:`.navigation`: opening documents, ``n``/``N`` across documents, following the disk.
- :mod:`.panes`: focus and the layout at every terminal size.
- :mod:`.looks`: themes, the keymap and help.
"""
