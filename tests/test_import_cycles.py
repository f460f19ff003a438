"""No module of the project imports itself back through others, counting imports inside functions too."""

import importlib.util

import grimp

APPS = [name for name in ("conference", "programme", "registration", "home", "demo") if importlib.util.find_spec(name)]


def import_cycles(graph):
    """One chain per cycle: a module, what it imports, and the way back to the module."""
    cycles, seen = [], set()
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain and frozenset(chain) not in seen:
                seen.add(frozenset(chain))
                cycles.append((module, *chain))
    return cycles


def test_no_module_imports_itself_back():
    graph = grimp.build_graph(*APPS, include_external_packages=False)
    assert [" -> ".join(cycle) for cycle in import_cycles(graph)] == []


def test_the_check_finds_a_cycle_through_a_function_level_import(tmp_path, monkeypatch):
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("def route():\n    from .views import view\n    return view\n")
    (package / "views.py").write_text("from .models import route\n\nview = route\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("cyclic", include_external_packages=False, cache_dir=None)
    assert import_cycles(graph) == [("cyclic.models", "cyclic.views", "cyclic.models")]
