"""Python values described as test/exec/bytecode/support/strict-describe.ts describes importkit's, so the
CPython side of a differential test can be compared with importkit's exactly. Used by the bytecode corpus
oracle (exec_dump.py) and the overlay interop test (cpython_steps.py)."""
import importlib.machinery
import json
import types

SKIP_CLASS_ENTRIES = {"__dict__", "__weakref__", "__firstlineno__", "__static_attributes__"}


def text(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def strict(v, depth=0, lenient=False):
    """The description of `v`; an unknown type raises TypeError, or with `lenient` is named by its type."""
    def inner(x, d=depth):
        return strict(x, d, lenient)

    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, bytes):
        return {"bytes": v.hex()}
    if isinstance(v, list):
        return {"list": [inner(x) for x in v]}
    if isinstance(v, tuple):
        return {"tuple": [inner(x) for x in v]}
    if isinstance(v, (set, frozenset)):
        return {type(v).__name__: sorted(text(inner(x)) for x in v)}
    if isinstance(v, dict):
        return {"dict": [[inner(k), inner(x)] for k, x in v.items()]}
    if v is Ellipsis:
        return {"type": "ellipsis"}
    if isinstance(v, types.FunctionType):
        return {"function": "%s.%s" % (v.__module__, v.__qualname__), "name": v.__name__}
    if isinstance(v, types.ModuleType):
        return {"module": v.__name__}
    if isinstance(v, importlib.machinery.ModuleSpec):
        return {"spec": v.name}
    if isinstance(v, type):
        name = "%s.%s" % (v.__module__, v.__qualname__)
        if v.__module__ == "builtins" or depth > 1:
            return {"class": name}
        attrs = [[k, inner(x, depth + 1)] for k, x in vars(v).items() if k not in SKIP_CLASS_ENTRIES]
        return {"class": name, "name": v.__name__, "attrs": attrs}
    if lenient:
        return {"type": type(v).__name__}
    raise TypeError("cannot describe %s" % type(v).__name__)
