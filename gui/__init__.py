"""Afterword's desktop face: PySide6 windows, pages, dialogs and item models.

Views never touch the ORM or a session: they call :mod:`core` functions
(directly for quick calls, through :class:`afterword.gui.tasks.TaskRunner` for slow
ones) and refresh when :class:`afterword.gui.context.DataSignals` says data changed.
"""
