"""Oracle for the corpus tests: exec each source file as module `m` in this CPython and print its namespace,
described like test/exec/bytecode/support/strict-describe.ts. argv: source paths; stdout: JSON list."""
import json
import sys
import types

SKIP_CLASS_ENTRIES = {"__dict__", "__weakref__", "__firstlineno__", "__static_attributes__"}


def text(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def strict(v, depth=0):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, bytes):
        return {"bytes": v.hex()}
    if isinstance(v, list):
        return {"list": [strict(x, depth) for x in v]}
    if isinstance(v, tuple):
        return {"tuple": [strict(x, depth) for x in v]}
    if isinstance(v, (set, frozenset)):
        return {type(v).__name__: sorted(text(strict(x, depth)) for x in v)}
    if isinstance(v, dict):
        return {"dict": [[strict(k, depth), strict(x, depth)] for k, x in v.items()]}
    if v is Ellipsis:
        return {"type": "ellipsis"}
    if isinstance(v, types.FunctionType):
        return {"function": f"{v.__module__}.{v.__qualname__}", "name": v.__name__}
    if isinstance(v, types.ModuleType):
        return {"module": v.__name__}
    if isinstance(v, type):
        name = f"{v.__module__}.{v.__qualname__}"
        if v.__module__ == "builtins" or depth > 1:
            return {"class": name}
        attrs = [[k, strict(x, depth + 1)] for k, x in vars(v).items() if k not in SKIP_CLASS_ENTRIES]
        return {"class": name, "name": v.__name__, "attrs": attrs}
    raise TypeError(f"cannot describe {type(v).__name__}")


out = []
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    namespace = {"__name__": "m", "__doc__": None}
    exec(compile(source, path, "exec"), namespace)
    out.append([[k, strict(v)] for k, v in namespace.items() if k not in ("__builtins__", "__name__")])
json.dump(out, sys.stdout)
