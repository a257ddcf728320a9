/**
 * Where a replay's time goes: self and inclusive time per function from a V8 `.cpuprofile`.
 *
 *   node --cpu-prof --cpu-prof-dir=bench/build/prof --import tsx bench/w1-replay.ts --sweeps 30 --recold 0 \
 *     --names-in bench/build/w1_names.json "$L" "$L/site-packages"
 *   node --import tsx bench/cpuprofile-summary.ts bench/build/prof/<file>.cpuprofile [--top 30] [--under NAME]
 *
 * --under NAME restricts the figures to samples whose stack holds a function named NAME (e.g. timedSweep).
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function main(argv: readonly string[]): void {
  const file = argv[0];
  if (!file) throw new Error("usage: cpuprofile-summary.ts FILE.cpuprofile [--top N] [--under NAME]");
  const top = Number(argv[argv.indexOf("--top") + 1] ?? 30) || 30;
  const under = argv.includes("--under") ? argv[argv.indexOf("--under") + 1] : undefined;
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const where = n.callFrame.url.replace(/^.*\/(src|bench|node_modules)\//, "$1/");
    return `${n.callFrame.functionName || "(anonymous)"} ${where}:${n.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const stack: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!);
    if (under && !stack.some((n) => n.callFrame.functionName === under)) return;
    total += dt;
    self.set(label(stack[0]!), (self.get(label(stack[0]!)) ?? 0) + dt);
    for (const name of new Set(stack.map(label))) inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
  });
  const print = (title: string, m: Map<string, number>) => {
    console.log(`${title} (of ${(total / 1000).toFixed(1)} ms sampled${under ? ` under ${under}` : ""})`);
    for (const [name, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(
        `  ${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`,
      );
    }
  };
  print("self time", self);
  print("inclusive time", inclusive);
}

main(process.argv.slice(2));
