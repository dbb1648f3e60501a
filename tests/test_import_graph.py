"""The import graph of decide: array-level packages never import model-level modules, no cycles.

Read statically with :mod:`ast` (every ``import`` and ``from ... import``, at module level and
inside functions alike; ``if TYPE_CHECKING:`` blocks are left out: they never run), so a lazy
import inside a function counts as much as one at the top of a file.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "decide"

#: Packages that work on arrays and know nothing of model files.
ARRAY_LEVEL = ("decide.portfolio", "decide.ranking", "decide.sensitivity")
#: Model-level modules: the model file, its loader, the pipeline over it, the facade and the TCO.
MODEL_LEVEL = ("decide.model", "decide.loader", "decide.analysis", "decide.facade", "decide.tco")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path, name: str, lazy: bool = True) -> set[str]:
    """Every decide module ``path`` imports (``from a import b`` counts as a and as a.b when
    a.b is a module); ``lazy=False``: only the imports that run when the module is imported
    (not those inside a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit(sub)
                continue
            if not lazy and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - (child.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                found.add(base)
                found.update(f"{base}.{a.name}" for a in child.names)
            visit(child)

    visit(tree)
    return {m for m in found if m == "decide" or m.startswith("decide.")}


def _graph(lazy: bool = True) -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        # keep only real modules; an imported name that is not a module belongs to its module
        graph[name] = {m for m in _imports(path, name, lazy) if m in files and m != name}
    return graph


GRAPH = _graph()
#: What runs at import time: an import cycle here makes the import order matter.
IMPORT_TIME = _graph(lazy=False)


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


@pytest.mark.parametrize("package", ARRAY_LEVEL)
def test_array_level_packages_never_import_model_level_modules(package):
    upward = sorted((m, t) for m, targets in GRAPH.items() if _within(m, package)
                    for t in targets if any(_within(t, level) for level in MODEL_LEVEL))
    assert upward == [], f"{package} imports model-level modules: {upward}"


def test_the_import_graph_has_no_cycle():
    """No cycle among the imports that run at import time (depth-first search); a module's
    parent packages count as imported (Python runs their ``__init__`` first)."""
    edges = {m: set(t) for m, t in IMPORT_TIME.items()}
    for m in IMPORT_TIME:
        parts = m.split(".")
        for k in range(2, len(parts)):
            parent = ".".join(parts[:k])
            if parent in IMPORT_TIME and not _within(parent, m):
                edges[m].add(parent)
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if _within(node, nxt):  # a package's own __init__ importing its submodules
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                walk(nxt, path + [nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            walk(start, [start])
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def _cycle_members(graph: dict[str, set[str]]) -> set[str]:
    """Modules on some cycle of ``graph`` (strongly connected components of two or more; a
    package's own ``__init__`` importing its submodules is not an edge back)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    members: set[str] = set()

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if _within(v, w):
                continue
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                members.update(component)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return members


@pytest.mark.parametrize("module", ["decide.model", *ARRAY_LEVEL])
def test_no_cycle_through_the_model_or_the_array_level_packages_even_lazily(module):
    """With the imports inside functions too: the model (which the loader validates through a
    hook the loader installs, instead of the model importing its loader) and the array-level
    packages are on no cycle."""
    on_cycle = sorted(m for m in _cycle_members(GRAPH) if _within(m, module))
    assert on_cycle == [], f"{module} is on an import cycle: {on_cycle}"


def test_the_graph_reader_sees_lazy_imports():
    """The reader must see an import inside a function (the analysis imports the portfolio there)."""
    assert "decide.portfolio_model" in GRAPH["decide.analysis"]
    assert "decide.tco" in GRAPH["decide.portfolio_model"]


def test_the_portfolio_packages_lazy_names_are_never_shadowed_by_its_submodules():
    """decide.portfolio imports its public names on first use (validate needs only Rules); a
    submodule of the same name as one of them would replace it on the package once imported."""
    import importlib
    import pkgutil

    import decide.portfolio as portfolio

    submodules = {m.name for m in pkgutil.iter_modules(portfolio.__path__)}
    assert not submodules & set(portfolio.__all__)
    for name in submodules:
        importlib.import_module(f"decide.portfolio.{name}")
    for name in portfolio.__all__:
        value = getattr(portfolio, name)
        assert not isinstance(value, type(portfolio)), name
        assert getattr(importlib.import_module(f"decide.portfolio.{portfolio._WHERE[name]}"), name) is value


def test_no_module_of_decide_is_on_an_import_cycle_even_counting_imports_inside_functions():
    """The pipeline's review stage reads the review package, and the review reads the analysis
    it is given without building one; the rest of the package has no cycle either."""
    assert sorted(_cycle_members(GRAPH)) == []
