"""Oracle for the corpus tests: exec each source file as module `m` in this CPython and print its namespace,
described like test/exec/bytecode/support/strict-describe.ts. argv: source paths; stdout: JSON list."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "support"))
from strict_describe import strict  # noqa: E402  (the shared describer)


out = []
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    namespace = {"__name__": "m", "__doc__": None}
    exec(compile(source, path, "exec"), namespace)
    out.append([[k, strict(v)] for k, v in namespace.items() if k not in ("__builtins__", "__name__")])
json.dump(out, sys.stdout)
