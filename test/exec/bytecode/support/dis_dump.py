"""Oracle for the instruction decoder: this CPython's own `dis` of pycs it made. argv: pyc paths; stdout: JSON,
per pyc the code objects depth-first in const order, each as [qualname, [[offset, opname, arg, target], ...]]
(EXTENDED_ARG folded into the next instruction, inline caches hidden, target null for non-jumps)."""
import dis
import json
import marshal
import sys


def instructions(code):
    out = []
    for ins in dis.get_instructions(code):
        if ins.opname == "EXTENDED_ARG":
            continue
        jump = ins.opcode in dis.hasjrel or ins.opcode in dis.hasjabs
        out.append([ins.offset, ins.opname, ins.arg, ins.argval if jump else None])
    return out


def walk(code, out):
    out.append([getattr(code, "co_qualname", code.co_name), instructions(code)])
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            walk(const, out)
    return out


result = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        data = f.read()
    result.append(walk(marshal.loads(data[16:]), []))
json.dump(result, sys.stdout)
