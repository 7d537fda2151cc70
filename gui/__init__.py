"""Afterword's desktop face: PySide6 windows, pages, dialogs and item models.

Views never touch the ORM or a session: every core call runs through
:mod:`afterword.gui.operations` (writes and reads off the GUI thread), and
screens refresh when its ``changed`` signal names a kind they show.
"""
