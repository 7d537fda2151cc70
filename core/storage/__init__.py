"""The floor everything else stands on: opening the database, models, migrations,
plain records, validation, undo snapshots and the app's file locations.

Nothing here imports a service, the mail package or the checklist: the
dependencies point down, toward this package, never up from it.
"""
