"""Reminders that reach the person when the window is closed: what to notify,
when, and what was notified already. (Home named for the coming work; empty for now.)
"""
