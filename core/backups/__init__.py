"""Backups of the database: snapshots made with SQLite's backup API, rotation
and restore. (Home named for the coming work; empty for now.)
"""
