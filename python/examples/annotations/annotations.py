"""Read a module's annotation source strings on demand, from its 'source code annotations' overlay.

Real CPython, with python/importkit_overlay.py on the path::

    python3 annotations.py DIR MODULE [NAME...]

prints each annotated object's annotations as source text (all of them without NAMEs).
"""
import sys

import importkit_overlay

OVERLAY = "source code annotations"


def source_annotations(module, qualname):
    """``{parameter: annotation source}`` of ``module.<qualname>``, loading the overlay the first time."""
    serial = module.ANNOTATION_SERIALS.get(qualname)
    if serial is None:
        return {}
    importkit_overlay.load_overlay(module, OVERLAY)  # 1 the first time, then 2: one read at most
    return dict(module.__source_annotations__.get(serial, {}))


def main(argv):
    directory, name, wanted = argv[1], argv[2], argv[3:]
    sys.path.insert(0, directory)
    module = __import__(name)
    print("loaded before:", sorted(getattr(module, "__overlays__", ())))
    for qualname in wanted or sorted(module.ANNOTATION_SERIALS):
        print("%s: %s" % (qualname, source_annotations(module, qualname)))
    print("loaded after:", sorted(getattr(module, "__overlays__", ())))


if __name__ == "__main__":
    main(sys.argv)
