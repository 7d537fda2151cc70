"""Dialogs that create or edit one thing: application, interview, contact, touchpoint."""
