"""The flow runs one way: a module imports only from its own layer or the layers above it.

The layers are DESIGN.md's list, top to bottom. An import of ``kg`` inside a function (the usual
way to dodge a cycle) is refused too: what it reaches for lives in the wrong room.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.fixtures import REPO

#: Module prefix -> layer, top (0) to bottom. The longest matching prefix wins.
LAYERS = {
    "kg._version": 0,
    "kg.errors": 0,
    "kg.model": 0,
    "kg.vocab": 0,
    "kg.files": 0,
    "kg.progress": 0,
    "kg.ingest": 1,
    "kg.check": 2,
    "kg.project": 3,
    "kg.skeleton": 3,
    "kg.graph": 3,
    "kg.store": 4,
    "kg.queries": 5,
    "kg.views": 6,
    "kg.render": 7,
    "kg.build": 8,
    "kg": 9,  # the package itself: re-exports the public API
    "kg.commands": 9,  # the command line, by stage; cli.py makes it one group
    "cli": 9,
}


def layer_of(module: str) -> int:
    matches = [prefix for prefix in LAYERS if module == prefix or module.startswith(prefix + ".")]
    if not matches:
        raise AssertionError(f"module {module} is in no layer: add it to LAYERS and to DESIGN.md's list")
    return LAYERS[max(matches, key=len)]


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def our_modules() -> list[Path]:
    return sorted((REPO / "kg").rglob("*.py")) + [REPO / "cli.py"]


def kg_imports(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str, bool]]:
    """(line, imported kg module, whether the import is inside a function) for each import of kg."""
    found = []
    functions = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    nested = {id(inner) for fn in functions for inner in ast.walk(fn) if inner is not fn}
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1])
                names = [f"{base}.{node.module}" if node.module else base]
            else:
                names = [node.module or ""]
        for name in names:
            if name == "kg" or name.startswith("kg.") or name == "cli":
                found.append((node.lineno, name, id(node) in nested))
    return found


@pytest.mark.parametrize("path", our_modules(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_imports_run_down_the_flow(path: Path):
    module = module_name(path)
    own = layer_of(module)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for line, imported, in_function in kg_imports(tree, module, path.name == "__init__.py"):
        where = f"{path.relative_to(REPO)}:{line}"
        assert not in_function, f"{where}: imports {imported} inside a function; move what it needs up the flow"
        assert layer_of(imported) <= own, (
            f"{where}: {module} (layer {own}) imports {imported} (layer {layer_of(imported)}), below it in the flow"
        )


def test_the_layer_test_catches_a_backward_import():
    tree = ast.parse("from kg.queries import run_named\n\ndef f():\n    import kg.graph\n")
    imports = kg_imports(tree, "kg.graph.build", False)
    assert [(name, inside) for _, name, inside in imports] == [("kg.queries", False), ("kg.graph", True)]
    assert layer_of("kg.queries") > layer_of("kg.graph.build")


def test_every_module_is_in_a_layer():
    for path in our_modules():
        layer_of(module_name(path))
