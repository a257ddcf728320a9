"""Dump the running CPython's opcode table as data/opcodes/cpython-3.X.json.

Run it with each interpreter (3.8+); it reads only the interpreter's own `opcode` module:

    for py in "$PYENV_ROOT"/versions/3.{8,9,10,11,12,13}.*/bin/python3; do "$py" data/opcodes/generate.py; done

Only real opcodes (< 256) are kept: pycs never hold specialized or pseudo instructions.
CPython 3.14 has no interpreter on the developer machines: data/opcodes/generate_314.py writes its table.
"""
import json
import opcode
import os
import sys


def cache_entries():
    """`opcode._inline_cache_entries` by name: a list per opcode in 3.11-3.12, a dict by name in 3.13+."""
    entries = getattr(opcode, "_inline_cache_entries", None)
    if entries is None:
        return {}
    if isinstance(entries, dict):
        return {name: count for name, count in entries.items() if count and name in opcode.opmap}
    return {opcode.opname[op]: count for op, count in enumerate(entries) if count}


def names(ops):
    return sorted(opcode.opname[op] for op in ops if op < 256)


def table():
    major, minor = sys.version_info[:2]
    return {
        "version": f"{major}.{minor}",
        "source": f"CPython {sys.version.split()[0]}: the interpreter's own opcode module (data/opcodes/generate.py)",
        "haveArgument": opcode.HAVE_ARGUMENT,
        "extendedArg": opcode.EXTENDED_ARG,
        # 3.10+ jump arguments count 2-byte code units; before, bytes.
        "jumpUnit": 2 if (major, minor) >= (3, 10) else 1,
        "opcodes": {name: op for name, op in sorted(opcode.opmap.items(), key=lambda kv: kv[1]) if op < 256},
        "cacheEntries": cache_entries(),
        "hasjrel": names(opcode.hasjrel),
        "hasjabs": names(opcode.hasjabs),
        "hasconst": names(opcode.hasconst),
        "hasname": names(opcode.hasname),
        "cmpOp": list(opcode.cmp_op),
        "nbOps": [name for name, _ in getattr(opcode, "_nb_ops", [])],
        "intrinsic1": list(getattr(opcode, "_intrinsic_1_descs", [])),
        "intrinsic2": list(getattr(opcode, "_intrinsic_2_descs", [])),
    }


if __name__ == "__main__":
    data = table()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"cpython-{data['version']}.json")
    with open(out, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(out)
