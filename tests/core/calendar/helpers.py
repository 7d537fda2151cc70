"""Shared helpers for the calendar tests: the hand-made invite fixtures."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
OWN = "alex.candidate@example.org"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
