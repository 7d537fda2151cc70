"""The GUI reads the database off its own thread, as it writes (Anki's ``QueryOp``).

A page hands a core call to ``context.ops.read(key, fn, context.db, ...)`` or
``context.ops.write(fn, context.db, ...)`` (or builds it with
``functools.partial`` to hand over later); it never calls a function with the
database itself. This test parses ``gui/`` and finds every call given a
``<something>.db`` attribute (``context.db``, ``self._context.db``) as an
argument, or a name bound to one (``db = self._context.db``). Functions and
lambdas handed to ``read``/``write`` run on a worker, so what they call is not
counted; neither is a worker function's own ``db`` parameter.

The calls that stay on the GUI thread on purpose are listed in
:data:`ALLOWED`, each with its reason; an entry no longer needed must go.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from tests.architecture.imports import ROOT, sources

# Calls that take the database to run it elsewhere: the operations layer, or later.
HANDED_OVER = ("read", "write", "partial")

ALLOWED: dict[str, str] = {
    # Not a page: the --self-test run prints what it read once every operation finished.
    "gui/app.py: _Startup.finish_self_test calls list_templates": (
        "--self-test prints the number of templates after waiting for every operation; "
        "nobody is using the window"
    ),
}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ast.unparse(node)


def _handed_function(call: ast.Call) -> ast.expr | None:
    """The function a ``read``/``write``/``partial`` call takes to run elsewhere."""
    name = _name(call.func)
    index = {"read": 1, "write": 0, "partial": 0}.get(name)
    if index is None or len(call.args) <= index:
        return None
    return call.args[index]


def _db_alias(statement: ast.stmt) -> str | None:
    """``db`` for ``db = self._context.db``."""
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and isinstance(statement.value, ast.Attribute)
        and statement.value.attr == "db"
    ):
        return statement.targets[0].id
    return None


class _Finder(ast.NodeVisitor):
    """Collects ``function calls callee`` for every direct call given the database."""

    def __init__(self, tree: ast.Module) -> None:
        handed = [
            first
            for call in ast.walk(tree)
            if isinstance(call, ast.Call) and (first := _handed_function(call)) is not None
        ]
        self._handed_names = {_name(node) for node in handed if not isinstance(node, ast.Lambda)}
        self._handed_lambdas = {id(node) for node in handed if isinstance(node, ast.Lambda)}
        self._scope: list[str] = []
        self._aliases: list[frozenset[str]] = [frozenset()]
        self.found: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scope.append(node.name)
        self.generic_visit(node)
        self._scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.name in self._handed_names:
            return  # runs on the operations layer's worker
        aliases = {alias for statement in ast.walk(node) if (alias := _db_alias(statement))}
        self._scope.append(node.name)
        self._aliases.append(self._aliases[-1] | aliases)  # a closure sees its parent's names
        self.generic_visit(node)
        self._aliases.pop()
        self._scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_Lambda(self, node: ast.Lambda) -> None:
        if id(node) not in self._handed_lambdas:
            self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if _name(node.func) not in HANDED_OVER:
            arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
            if any(self._is_database(argument) for argument in arguments):
                self.found.append(f"{'.'.join(self._scope)} calls {_name(node.func)}")
        self.generic_visit(node)

    def _is_database(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Attribute):
            return node.attr == "db"
        return isinstance(node, ast.Name) and node.id in self._aliases[-1]


def direct_database_calls(source: str, where: str) -> Iterator[str]:
    """``"<where>: <function> calls <callee>"`` for each GUI-thread call given the database."""
    finder = _Finder(tree := ast.parse(source))
    finder.visit(tree)
    for call in dict.fromkeys(finder.found):  # one entry per function and callee
        yield f"{where}: {call}"


def _gui_calls() -> set[str]:
    return {
        call
        for path in sources("gui")
        for call in direct_database_calls(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
        )
    }


def test_the_finder_tells_direct_calls_from_handed_over_ones() -> None:
    sample = """
from functools import partial

class Page:
    def load(self):
        rows = list_rows(self._context.db)
        db = self.context.db
        count_rows(db, limit=3)
        self._context.ops.read("rows", list_rows, self._context.db, on_success=self.show)
        self._context.ops.write(save_row, db, 1, initiator=self)
        self._context.ops.read(None, lambda: list_rows(db))
        later = partial(list_rows, window.context.db)

        def fetch():
            return list_rows(self._context.db)

        self._context.ops.read(None, fetch)
        self.later(lambda: count_all(context.db))

def on_a_worker(db):
    return list_rows(db)
"""
    assert list(direct_database_calls(sample, "sample.py")) == [
        "sample.py: Page.load calls list_rows",
        "sample.py: Page.load calls count_rows",
        "sample.py: Page.load calls count_all",
    ]


def test_the_gui_hands_every_database_call_to_the_operations_layer() -> None:
    found = _gui_calls()
    assert sorted(found - ALLOWED.keys()) == [], (
        "Hand these to context.ops.read/write (or allow one in ALLOWED, with the reason)"
    )
    assert sorted(ALLOWED.keys() - found) == [], "These allowances are not needed any more"
