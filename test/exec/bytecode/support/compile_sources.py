"""Compile sources with this interpreter: JSON [{"source", "filename"}] on stdin → JSON on stdout,
one {"marshal": hex of marshal.dumps(code)} or {"error": "SyntaxError: ..."} per source. Runs on 3.8+."""
import json
import marshal
import sys

out = []
for item in json.load(sys.stdin):
    try:
        code = compile(item["source"], item["filename"], "exec", dont_inherit=True)
        out.append({"marshal": marshal.dumps(code).hex()})
    except (SyntaxError, ValueError) as error:
        out.append({"error": f"{type(error).__name__}: {error}"})
json.dump(out, sys.stdout)
