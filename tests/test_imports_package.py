"""The import machinery is one package, registry/imports/, whose modules import
each other in one direction only (no cycle), and nothing outside it keeps the
old module paths."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "registry" / "imports"


def _graph() -> dict[str, set[str]]:
    graph = {}
    for path in PACKAGE.glob("*.py"):
        name = path.stem
        edges = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("registry.imports."):
                edges.add(node.module.split(".")[2])
        graph[name] = edges
    return graph


def test_no_import_cycle_between_the_modules():
    graph = _graph()
    assert {"cleaning", "tables", "specs", "resources", "metrics", "run", "jobs", "errors", "reports"} <= set(graph)
    assert not graph["__init__"], "the package's __init__ stays free of imports"
    visiting, done = set(), set()

    def visit(node, trail):
        assert node not in visiting, f"import cycle: {' -> '.join([*trail, node])}"
        if node in done:
            return
        visiting.add(node)
        for nxt in graph.get(node, ()):
            visit(nxt, [*trail, node])
        visiting.discard(node)
        done.add(node)

    for module in graph:
        visit(module, [])


def test_the_old_modules_are_gone():
    root = PACKAGE.parent
    assert not (root / "importing.py").exists() and not (root / "resources.py").exists()
