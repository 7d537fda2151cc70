"""Reading a source tree's imports without running it, for the architecture tests."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "afterword"


def module_name(path: Path) -> str:
    """The installed name of a checkout file.

    ``core/storage/db.py`` is ``afterword.core.storage.db``.
    """
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def sources(folder: str) -> Iterator[Path]:
    """Every Python file under ``folder`` of the checkout (migration scripts included)."""
    yield from sorted((ROOT / folder).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports, at any depth of its code.

    ``from afterword.core import x`` counts as importing ``afterword.core.x``
    too, so a rule on a subpackage sees it.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names
