"""Reusable widgets shared by several pages (the checklist list, the snooze menu)."""
