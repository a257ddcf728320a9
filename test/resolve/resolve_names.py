"""CPython's PathFinder answers for a list of dotted names, for importkit's random-tree property test.

usage: python3 -I -S resolve_names.py < {"entries": [...], "names": [...]}

Resolves each name as `importkit resolve` does: a submodule is looked up along its parent's
submodule_search_locations (the parent is never executed; a stand-in module holding that path is put in
sys.modules so namespace paths can read it). Prints {name: [origin, loader, locations, cached] | null}.
"""
import json
import sys
import types
from importlib.machinery import PathFinder

request = json.load(sys.stdin)
sys.path[:] = request["entries"]
sys.path_importer_cache.clear()
known = {}


def resolve(name):
    if name in known:
        return known[name]
    parent = name.rpartition(".")[0]
    path = None
    if parent:
        parent_spec = resolve(parent)
        if parent_spec is None or parent_spec.submodule_search_locations is None:
            known[name] = None
            return None
        path = list(parent_spec.submodule_search_locations)
        stand_in = types.ModuleType(parent)
        stand_in.__path__ = path
        sys.modules[parent] = stand_in
    spec = PathFinder.find_spec(name, path)
    known[name] = spec
    return spec


def describe(spec):
    if spec is None:
        return None
    locations = spec.submodule_search_locations
    loader = None if spec.loader is None else type(spec.loader).__name__
    return [spec.origin, loader, None if locations is None else list(locations), spec.cached]


print(json.dumps({name: describe(resolve(name)) for name in request["names"]}))
