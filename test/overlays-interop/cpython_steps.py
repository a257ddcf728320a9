"""The CPython side of the overlay interop test.

argv: DIR MODULE HELPER_DIR STEPS_JSON. Imports MODULE from DIR (a sourceless .pyc), then runs each step —
``{"load": "<name as Python text>", "force": bool}`` through ``importkit_overlay.load_overlay``, or
``{"getattr": "attr"}`` — and prints a JSON list: after the import and after each step, the step's result and
the module's namespace described as test/exec/bytecode/support/strict-describe.ts describes it.
A step that raises is described as ``{"error": type, "message": str}`` and the run goes on.
"""
import ast
import importlib.machinery
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
        attrs = [[k, strict(x, depth + 1)] for k, x in vars(v).items() if k not in SKIP_CLASS_ENTRIES]
        return {"class": name, "name": v.__name__, "attrs": attrs}
    return {"type": type(v).__name__}


def namespace(module):
    out = []
    for k, v in vars(module).items():
        if k in ("__loader__", "__builtins__"):
            continue
        # The helper's lazy-attribute hook lives in the namespace; importkit's is on the module object.
        if k == "__getattr__" and getattr(v, "_importkit_overlay", False):
            continue
        out.append([k, strict(v)])
    return out


def main():
    directory, name, helper_dir, steps = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    sys.path[:0] = [directory]
    sys.path.append(helper_dir)
    import importkit_overlay

    module = __import__(name)
    importkit_overlay.install(module)  # pins the file and sets __overlays_available__, as importkit's loader
    out = [{"result": None, "namespace": namespace(module)}]
    for step in steps:
        try:
            if "touch" in step:
                import os

                os.utime(module.__file__, (1000000, 1000000))
                described = None
            elif "load" in step:
                result = importkit_overlay.load_overlay(
                    module, ast.literal_eval(step["load"]), force_reload=step.get("force", False)
                )
                described = {"int": str(result)}
            else:
                described = strict(getattr(module, step["getattr"]))
        except Exception as error:  # noqa: BLE001 - described, the run goes on
            described = {"error": type(error).__name__, "message": str(error)}
        out.append({"result": described, "namespace": namespace(module)})
    json.dump(out, sys.stdout)


main()
