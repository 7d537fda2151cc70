"""One module per screen of the main window.

A page is a plain ``QWidget`` built as ``Page(context: AppContext, parent=None)``.
The main window builds each page the first time it is shown (see
``afterword.gui.main_window.PAGES``). Optional hooks the main window calls when present:
``can_close() -> bool`` (unsaved edits), ``focus_search()`` (Ctrl+F),
``new_application()`` (Ctrl+N), ``show_application(id)``, ``show_contact(id)``.
"""
