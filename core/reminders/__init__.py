"""Reminders that reach the person when the window is closed.

:mod:`~afterword.core.reminders.planning` decides what to notify and when (pure
rules, ``now`` passed in); :mod:`~afterword.core.reminders.service` runs them over
the database and keeps the notified-once log; :mod:`~afterword.core.reminders.settings`
holds the preferences; :mod:`~afterword.core.reminders.autostart` writes the start-at-login
entry for each system.
"""
