"""Import boundaries between the rooms of the code, read from the source with ``ast``.

Rooms: the learning core (``learning``), its two rooms ``learning.h5p`` and
``learning.workshops``, the apps ``courses`` and ``webinars``, and the site ``config``.

- ``learning`` imports nothing from ``courses`` or ``webinars``, not even inside a
  function: they plug into it (hooks, signals, registries).
- ``learning.h5p`` and ``learning.workshops`` import nothing of each other; what both
  need lives in the core (e.g. ``learning.file_types``). ``courses`` and ``webinars``
  import nothing of each other.
- No import cycle runs through modules of different rooms (imports executed when a
  module is imported: its top level and class bodies, not function bodies).
"""

import ast
from pathlib import Path

from django.conf import settings

PACKAGES = ("learning", "courses", "webinars", "config")
# Longest prefix first: a module belongs to the first room its name starts with.
ROOMS = ("learning.h5p", "learning.workshops", "learning", "courses", "webinars", "config")
FORBIDDEN = {
    "learning": ("courses", "webinars"),
    "learning.h5p": ("courses", "webinars", "learning.workshops"),
    "learning.workshops": ("courses", "webinars", "learning.h5p"),
    "courses": ("webinars",),
    "webinars": ("courses",),
}


def room_of(module):
    for room in ROOMS:
        if module == room or module.startswith(room + "."):
            return room
    return None


def source_modules():
    """``{module name: path}`` of every hand-written module (migrations aside)."""
    root = Path(settings.BASE_DIR)
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _resolve(node, module, is_package):
    """The modules an import statement names, with relative imports made absolute."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        for _up in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def imported_modules(module, path, modules, *, executed_on_import):
    """Project modules ``module`` imports (with the packages they sit in, whose
    ``__init__`` runs first). ``executed_on_import`` skips function bodies."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    found = set()
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if executed_on_import and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            for name in _resolve(node, module, is_package):
                while name:
                    if name in modules and name != module:
                        found.add(name)
                    name = name.rpartition(".")[0]
        pending.extend(ast.iter_child_nodes(node))
    return found


def import_graph(*, executed_on_import):
    modules = source_modules()
    return {
        module: imported_modules(module, path, modules, executed_on_import=executed_on_import)
        for module, path in modules.items()
    }


def strongly_connected(graph):
    """Tarjan's strongly connected components of ``graph`` (those of 2+ modules)."""
    index, lowlink, on_stack, stack, components = {}, {}, set(), [], []

    def visit(node):
        index[node] = lowlink[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                lowlink[node] = min(lowlink[node], lowlink[target])
            elif target in on_stack:
                lowlink[node] = min(lowlink[node], index[target])
        if lowlink[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_graph_sees_the_imports_it_should():
    graph = import_graph(executed_on_import=False)
    assert len(graph) > 100
    assert "learning.h5p.services" in graph["courses.services"]
    assert "learning.workshops.file_types" in graph["learning.workshops.services"]
    # Relative imports, and an import inside a function.
    assert "learning.h5p.validator.archive" in graph["learning.h5p.validator"]
    assert "learning.workshops.views" in graph["learning.models.workshops"]


def test_rooms_import_nothing_they_must_not():
    graph = import_graph(executed_on_import=False)
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if any(
            room_of(target) == forbidden or target.startswith(forbidden + ".")
            for forbidden in FORBIDDEN.get(room_of(module), ())
        )
    )
    assert wrong == []


def test_no_import_cycle_between_modules_of_different_rooms():
    graph = import_graph(executed_on_import=True)
    crossing = [
        sorted(component)
        for component in strongly_connected(graph)
        if len({room_of(module) for module in component}) > 1
    ]
    assert crossing == []
