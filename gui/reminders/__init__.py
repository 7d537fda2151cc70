"""Reminders in the running app: the scheduler, desktop notifications, the tray, Settings."""
