"""Compile the parts of an overlay source with this CPython, for `importkit overlay build --python`.

stdin: JSON ``{"filename": str, "parts": [source, ...]}`` (the module part first, then each overlay's part,
each already blanked by importkit so that line numbers are the file's).
stdout: JSON ``{"magic": hex, "version": "3.X", "parts": [hex of marshal.dumps(code), ...]}``, or on a
SyntaxError ``{"error": "SyntaxError", "message": str, "part": i, "lineno": n, "offset": n}`` (exit 1).
Pure standard library, Python 3.8+.
"""
import importlib.util
import json
import marshal
import sys


def main():
    request = json.load(sys.stdin)
    filename = request["filename"]
    out = []
    for i, part in enumerate(request["parts"]):
        try:
            code = compile(part, filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            json.dump(
                {
                    "error": type(error).__name__,
                    "message": str(error),
                    "part": i,
                    "lineno": getattr(error, "lineno", None),
                    "offset": getattr(error, "offset", None),
                },
                sys.stdout,
            )
            return 1
        out.append(marshal.dumps(code).hex())
    json.dump(
        {
            "magic": importlib.util.MAGIC_NUMBER.hex(),
            "version": "%d.%d" % sys.version_info[:2],
            "parts": out,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
