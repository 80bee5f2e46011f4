"""The import layers of `app/`, read from the source with `ast` (nothing is imported, no database):

- `app/core/` is the bottom layer: it imports no other part of the app.
- A pack folder (a sub-package of `app/packs/` other than `render`) is entered only through its package,
  `app.packs.<pack>`, and only by `app/packs/registry.py`; nothing outside it imports a module inside it.
- No import cycle between modules, counting the imports that run when a module is loaded (its top level,
  not inside functions).

Every import counts for the first two, wherever it is written, since it is a dependency all the same.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
PACKS = "app.packs"
REGISTRY = "app.packs.registry"
SHARED_PACK_PACKAGES = {"app.packs.render"}


@dataclass(frozen=True)
class Import:
    importer: str
    target: str        # the app module the import loads (a name inside a module resolves to the module)
    line: int
    at_load: bool      # runs when the importer is loaded: not inside a function, nor under TYPE_CHECKING

    def __str__(self) -> str:
        return f"{_path_of(self.importer)}:{self.line} imports {self.target}"


def _module_files() -> dict[str, Path]:
    """Module name to file; a package shadows a module file of the same name, as it does for Python."""
    modules: dict[str, Path] = {}
    for path in sorted(APP.rglob("*.py")):
        parts = path.relative_to(APP.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name not in modules or path.name == "__init__.py":
            modules[name] = path
    return modules


MODULES = _module_files()


def _path_of(module: str) -> str:
    return str(MODULES[module].relative_to(APP.parent))


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    """The module an `from X import ...` names, relative imports made absolute."""
    if node.level == 0:
        return node.module or ""
    package = importer if _is_package(importer) else importer.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _targets(importer: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = _resolve(importer, node)
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        yield submodule if submodule in MODULES else base


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports_in(node: ast.AST, importer: str, at_load: bool) -> Iterator[Import]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            for target in _targets(importer, child):
                if target == "app" or target.startswith("app."):
                    yield Import(importer, target, child.lineno, at_load)
        inside_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        skipped = isinstance(child, ast.If) and _is_type_checking(child)
        yield from _imports_in(child, importer, at_load and not inside_function and not skipped)


def _all_imports() -> list[Import]:
    imports: list[Import] = []
    for module, path in MODULES.items():
        imports += _imports_in(ast.parse(path.read_text(encoding="utf-8"), str(path)), module, at_load=True)
    return imports


IMPORTS = _all_imports()


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _pack_folders() -> list[str]:
    return [name for name in MODULES if name.count(".") == 2 and _within(name, PACKS) and name != PACKS
            and _is_package(name) and name not in SHARED_PACK_PACKAGES]


def test_core_imports_nothing_above_it() -> None:
    offending = [str(i) for i in IMPORTS if _within(i.importer, "app.core") and not _within(i.target, "app.core")]
    assert not offending, "app/core/ may import only the standard library, third parties and app.core:\n" + \
        "\n".join(offending)


def test_pack_folders_are_entered_only_through_the_registry() -> None:
    offending = []
    for pack in _pack_folders():
        for i in IMPORTS:
            if _within(i.importer, pack) or not _within(i.target, pack):
                continue
            if i.target != pack:
                offending.append(f"{i}: a module inside the pack folder {pack}")
            elif i.importer != REGISTRY:
                offending.append(f"{i}: only {_path_of(REGISTRY) if REGISTRY in MODULES else REGISTRY} "
                                 "imports a pack")
    assert not offending, "\n".join(offending)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for i in IMPORTS:
        if i.at_load and i.target in MODULES and i.target != i.importer:
            graph[i.importer].add(i.target)
    return graph


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph is deep enough to trouble recursion on a bad day)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def _cycle_through(start: str, members: set[str], graph: dict[str, set[str]]) -> list[str]:
    """The shortest path from `start` back to itself within one strongly connected component."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start] if node != start else [start, start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"{start} is in no cycle")


def _line_of(importer: str, target: str) -> int:
    return next(i.line for i in IMPORTS if i.at_load and i.importer == importer and i.target == target)


def test_no_import_cycles() -> None:
    graph = _graph()
    cycles = []
    for component in _strongly_connected(graph):
        if len(component) == 1:
            continue
        path = _cycle_through(component[0], set(component), graph)
        steps = "".join(f"\n    {_path_of(a)}:{_line_of(a, b)} imports {b}" for a, b in zip(path, path[1:], strict=False))
        tangle = f"\n    (one cycle among {', '.join(component)})" if len(component) > len(path) - 1 else ""
        cycles.append(" -> ".join(path) + steps + tangle)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)
