"""The shape of the code, held by tests: layers in the core, one way for the GUI
to write, no ORM in the GUI, and modules small enough to have one job."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

from tests.architecture.imports import ROOT, imported_modules, module_name, sources

MAX_LINES = 500
OPERATIONS = "afterword.gui.operations"

# How high each part of the core stands; a module imports only its own rank or lower.
_RANKS = {
    "afterword.core.errors": 0,
    "afterword.core.storage": 0,
    "afterword.core.checklist": 1,
    "afterword.core.mail": 2,
}
_TOP = 3  # the services and the homes of the coming work (reminders, exports, ...)


def _rank(module: str) -> int:
    for prefix, rank in _RANKS.items():
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return _TOP


def _core_imports(path: Path) -> Iterator[str]:
    for name in imported_modules(path):
        if name.startswith("afterword.core.") and name.count(".") >= 2:
            yield name


def test_nothing_in_the_core_imports_a_higher_layer() -> None:
    offenders = [
        f"{module_name(path)} imports {name}"
        for path in sources("core")
        for name in _core_imports(path)
        if _rank(name) > _rank(module_name(path))
    ]
    assert offenders == []


def test_storage_imports_no_service_mail_or_checklist() -> None:
    offenders = [
        f"{module_name(path)} imports {name}"
        for path in sources("core/storage")
        for name in _core_imports(path)
        if not name.startswith(("afterword.core.storage", "afterword.core.errors"))
    ]
    assert offenders == []


def test_no_module_is_over_the_size_of_one_job() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for folder in ("core", "gui")
        for path in sources(folder)
        if "versions" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_the_gui_never_touches_the_orm() -> None:
    offenders = [
        f"{module_name(path)} imports {name}"
        for path in sources("gui")
        for name in imported_modules(path)
        if name.split(".")[0] == "sqlalchemy"
        or name.startswith(("afterword.core.storage.models", "afterword.core.storage.db.Database."))
    ]
    assert offenders == []


# --- core writes are called only through the operations layer ----------------


def _module_trees() -> dict[str, ast.Module]:
    return {
        module_name(path): ast.parse(path.read_text(encoding="utf-8"))
        for path in sources("core")
        if "migrations" not in path.parts
    }


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted origin for ``from afterword.core... import x`` and module aliases."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("afterword.")
        ):
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("afterword.") and alias.asname:
                    names[alias.asname] = alias.name
    return names


def _called(
    node: ast.AST, local: dict[str, str], module: str, skip: frozenset[int] = frozenset()
) -> set[str]:
    """Dotted names of the functions ``node`` calls that can be resolved statically
    (leaving out the call nodes whose ids are in ``skip``)."""
    found: set[str] = set()
    for call in ast.walk(node):
        if not isinstance(call, ast.Call) or id(call) in skip:
            continue
        func = call.func
        if isinstance(func, ast.Name):
            found.add(local.get(func.id, f"{module}.{func.id}"))
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in local
        ):
            found.add(f"{local[func.value.id]}.{func.attr}")
    return found


def _opens_write_session(function: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "session"
        for node in ast.walk(function)
    )


# Writes of derived data only (the search index catching up with what another
# program wrote), never of anything a person changed: reads may do them, and
# there is nothing to announce.
DERIVED_UPKEEP = frozenset({"afterword.core.search.ensure_indexed"})


def core_write_functions() -> set[str]:
    """Every public core function that writes: opens ``db.session()`` or calls one that does."""
    calls: dict[str, set[str]] = {}
    writes: set[str] = set()
    for module, tree in _module_trees().items():
        local = _imported_names(tree)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                name = f"{module}.{node.name}"
                if name in DERIVED_UPKEEP:
                    continue
                calls[name] = _called(node, local, module)
                if _opens_write_session(node):
                    writes.add(name)
    grew = True
    while grew:
        grew = False
        for name, called in calls.items():
            if name not in writes and called & writes:
                writes.add(name)
                grew = True
    return {name for name in writes if not name.rsplit(".", 1)[1].startswith("_")}


def test_the_write_finder_finds_known_writes() -> None:
    writes = core_write_functions()
    assert {
        "afterword.core.applications.create_application",
        "afterword.core.applications.delete_application",
        "afterword.core.contacts.update_contact",
        "afterword.core.mail.outbox.send_message",
    } <= writes
    assert "afterword.core.applications.list_applications" not in writes


def _write_calls(tree: ast.AST) -> Iterator[ast.expr]:
    """The first argument of every ``ops.write(...)`` call in ``tree``."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "write"
            and node.args
        ):
            yield node.args[0]


def _names_handed_to_write(trees: Iterable[ast.AST]) -> set[str]:
    """Names of the GUI functions passed to ``ops.write`` anywhere (a page may hand
    over a helper defined in another GUI module)."""
    return {
        first.id if isinstance(first, ast.Name) else first.attr
        for tree in trees
        for first in _write_calls(tree)
        if isinstance(first, ast.Name | ast.Attribute)
    }


def _handed_to_operations(tree: ast.Module, handed: set[str]) -> list[ast.AST]:
    """Functions and lambdas passed as the call of ``ops.write(...)``: their bodies
    run on the operations layer's worker, so they may call core writes."""
    bodies: list[ast.AST] = [first for first in _write_calls(tree) if isinstance(first, ast.Lambda)]
    bodies += [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in handed
    ]
    return bodies


def test_the_gui_calls_core_writes_only_through_the_operations_layer() -> None:
    writes = core_write_functions()
    trees = {
        module_name(path): ast.parse(path.read_text(encoding="utf-8")) for path in sources("gui")
    }
    handed = _names_handed_to_write(trees.values())
    offenders = []
    for module, tree in trees.items():
        if module == OPERATIONS:
            continue
        local = _imported_names(tree)
        allowed = frozenset(
            id(node) for body in _handed_to_operations(tree, handed) for node in ast.walk(body)
        )
        called = _called(tree, local, module, skip=allowed)
        offenders += [f"{module} calls {name}" for name in sorted(called & writes)]
    assert offenders == []
