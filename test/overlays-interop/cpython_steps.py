"""The CPython side of the overlay interop test.

argv: DIR MODULE HELPER_DIR STEPS_JSON. Imports MODULE from DIR (a sourceless .pyc), then runs each step —
``{"load": "<name as Python text>", "force": bool}`` through ``importkit_overlay.load_overlay``, or
``{"getattr": "attr"}`` — and prints a JSON list: after the import and after each step, the step's result and
the module's namespace described as test/exec/bytecode/support/strict-describe.ts describes it.
A step that raises is described as ``{"error": type, "message": str}`` and the run goes on.
"""
import ast
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from strict_describe import strict as describe  # noqa: E402  (the shared describer)


def strict(v):
    return describe(v, lenient=True)


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
