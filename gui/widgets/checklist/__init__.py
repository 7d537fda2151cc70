"""The checklist list, in parts: ``text`` (words and groups, no Qt), ``model``,
``delegate`` (painting) and ``view`` (the widget with its actions and undo).

Import from the part you need; this package imports none of them, so
``afterword.gui.widgets.checklist.text`` stays free of Qt.
"""
