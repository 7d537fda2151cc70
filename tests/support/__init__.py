"""Helpers shared by several test folders (real servers, not mocks)."""
