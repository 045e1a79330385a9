"""The reader's model, in plain classes that need no running app (like Textual's TextArea).

- :mod:`.layout`: the text and its wrapped lines (offset ↔ line maps both ways).
- :mod:`.hits`: search hits and find-in-document matches, and which one ``n``/``N`` reach.
- :mod:`.cursor`: the reading cursor, the selection and the annotation stops.
- :mod:`.paint`: highlight layers and the styles they resolve to.

:class:`~margin.tui.widgets.reader.Reader` composes them; it only scrolls, paints and routes
keys, mouse and worker messages.
"""
