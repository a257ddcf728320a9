"""CPython's answer for every W1 name of a tree, for importkit's agreement test.

usage: python -I -S test/resolve/dump_find_spec.py ANCHORS_DIR ENTRY [ENTRY ...]

Walks ENTRY... with the anchors' modwalk.walk (the W1 names: importable modules and regular packages,
no imports executed), then, with sys.path = ENTRY... and an empty path-importer cache, asks
importlib.machinery.PathFinder.find_spec(name, parent_path) for every name in walk order, exactly as
anchors/w1_find_spec.py's sweep does. Prints one JSON object:
  {"version", "extension_suffixes", "entries",
   "specs": [[name, parent_path|null, origin, loader class|null, submodule_search_locations|null, cached], ...]}
"""
import json
import os
import sys
from importlib.machinery import EXTENSION_SUFFIXES, PathFinder


def describe(spec):
    if spec is None:
        return [None, None, None, None]
    locations = spec.submodule_search_locations
    return [
        spec.origin,
        None if spec.loader is None else type(spec.loader).__name__,
        None if locations is None else list(locations),
        spec.cached,
    ]


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    anchors, entries = argv[0], [os.path.abspath(e) for e in argv[1:]]
    sys.path.insert(0, anchors)
    import modwalk  # noqa: E402  (the anchors' walker: the same names W1 sweeps)
    del sys.path[0]
    names, _ = modwalk.walk(entries)
    sys.path[:] = entries
    sys.path_importer_cache.clear()
    specs = [[name, parent] + describe(PathFinder.find_spec(name, parent)) for (name, parent, _kind) in names]
    print(json.dumps({
        'version': sys.version.split()[0],
        'extension_suffixes': EXTENSION_SUFFIXES,
        'entries': entries,
        'specs': specs,
    }))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
