/**
 * Decode speed of `decodeMarshal` against CPython's C `marshal.loads` on the same pycs (the W3 workload:
 * every `*.pyc` under a CPython 3.11 stdlib tree carrying 3.11's magic). Not a test; run by hand:
 *
 *   node --import tsx test/bytecode/decode-speed.ts [TREE] [--sweeps N] [--rounds R] [--copy-bytes]
 *
 * TREE defaults to `$PYENV_ROOT/versions/3.11.*\/lib/python3.11`. Rounds alternate the two decoders so that
 * load from other processes hits both alike; each side reports the median sweep of each round.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeMarshal } from "../../src/bytecode/index.js";
import { pythonFor } from "./support/python.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const sweeps = option("--sweeps", 7);
const rounds = option("--rounds", 3);
const copyBytes = args.includes("--copy-bytes");
const python = pythonFor("3.11");
const tree =
  args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--")) ??
  (python ? join(python, "../../lib/python3.11") : undefined);
if (tree === undefined) throw new Error("no CPython 3.11 tree: pass TREE");

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith(".pyc")) out.push(p);
  }
}

const paths: string[] = [];
walk(tree, paths);
const magic = Buffer.from("a70d0d0a", "hex");
const files = paths.map((p) => readFileSync(p)).filter((b) => b.subarray(0, 4).equals(magic));
const payload = files.reduce((n, f) => n + f.length - 16, 0);
console.log(
  `${files.length} pycs, ${(payload / 1e6).toFixed(1)} MB payload${copyBytes ? ", copyBytes" : ""}`,
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function importkitRound(): number {
  const times: number[] = [];
  for (let s = 0; s < sweeps; s++) {
    const t0 = performance.now();
    for (const f of files) decodeMarshal(f, { layout: "3.11", offset: 16, copyBytes });
    times.push(performance.now() - t0);
  }
  return median(times);
}

const PY = `
import marshal, sys, time
paths = sys.stdin.read().split("\\n")
views = [memoryview(open(p, "rb").read())[16:] for p in paths]
views = [v for v in views if bytes(v.obj[:4]) == bytes.fromhex("a70d0d0a")]
loads = marshal.loads
def sweep():
    t0 = time.perf_counter()
    for v in views:
        loads(v)
    return time.perf_counter() - t0
ts = [sweep() for _ in range(int(sys.argv[1]))]
print(sorted(ts)[len(ts) // 2] * 1000)`;

function cpythonRound(): number | undefined {
  if (python === undefined) return undefined;
  const r = spawnSync(python, ["-I", "-S", "-c", PY, String(sweeps)], {
    input: paths.join("\n"),
    encoding: "utf8",
  });
  return r.status === 0 ? Number(r.stdout) : undefined;
}

const rate = (ms: number) => `${ms.toFixed(0)} ms = ${(payload / 1e3 / ms).toFixed(0)} MB/s`;
for (let r = 0; r < rounds; r++) {
  const py = cpythonRound();
  const ik = importkitRound();
  console.log(
    `round ${r + 1}: importkit ${rate(ik)}${py === undefined ? "" : `   CPython marshal.loads ${rate(py)}`}`,
  );
}
