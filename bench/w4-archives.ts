/**
 * W4's inputs in bench/build/ (git-ignored): the anchor's four archives of the interpreter's pip
 * (`w4_zipimport.py build $L/site-packages/pip build/zipsXY`, made only when missing, or again with
 * --regen-names), and for each archive the modules the anchor visits, in its order: `modwalk.walk([ZIP],
 * suffixes=['.py', '.pyc'])`, run by the anchor's own modwalk so that the replay's names cannot drift from it.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { BenchError } from "./bench-error.js";
import { anchorCommand } from "./commands.js";
import { runCommand } from "./processes.js";
import type { PythonTree } from "./python-tree.js";
import { anchorScript, anchorsDir, buildDir } from "./repo-paths.js";

/** The four cases, in the order they run: `<pkg>_<case>.zip`. */
export const W4_CASES = ["pyc_stored", "pyc_deflated", "py_stored", "py_deflated"] as const;
export type W4Case = (typeof W4_CASES)[number];

/** A name file: what `modwalk.walk` gives for the archive, each importer path relative to the archive. */
export interface W4NameFile {
  readonly zip_bytes: number;
  readonly zip_mtime: number;
  /** `[fullname, the importer's directory inside the archive ("pip/_internal") or null, kind]`. */
  readonly modules: readonly (readonly [string, string | null, string])[];
  readonly walk_stats: { readonly packages: number; readonly names: number };
}

export interface W4Archive {
  readonly case: W4Case;
  readonly zip: string;
  readonly namesFile: string;
  readonly names: W4NameFile;
}

/** modwalk.walk on the archive, every parent path made relative to it (run isolated, modwalk imported by path). */
const WALK = [
  "import json, os, sys",
  "anchors, zp, out = sys.argv[1:4]",
  "sys.path.insert(0, anchors)",
  "import modwalk",
  "zp = os.path.abspath(zp)",
  "names, st = modwalk.walk([zp], suffixes=['.py', '.pyc'])",
  "def rel(p):",
  "    if p is None: return None",
  "    assert len(p) == 1 and p[0].startswith(zp + '/'), p",
  "    return p[0][len(zp) + 1:]",
  "s = os.stat(zp)",
  "data = {'zip_bytes': s.st_size, 'zip_mtime': s.st_mtime, 'walk_stats': st,",
  "        'modules': [[n, rel(p), k] for n, p, k in names]}",
  "with open(out, 'w') as f: json.dump(data, f)",
].join("\n");

/** The archives (built when missing) and their name files (made when missing or when the archive changed). */
export function w4Archives(tree: PythonTree, log: (line: string) => void, regenerate: boolean): W4Archive[] {
  const [major, minor] = tree.version.split(".");
  const dir = join(buildDir, `zips${major}${minor}`);
  const pkgDir = join(tree.stdlib, "site-packages", "pip");
  const zipOf = (c: W4Case) => join(dir, `pip_${c}.zip`);
  if (regenerate || W4_CASES.some((c) => !existsSync(zipOf(c)))) {
    if (!existsSync(join(pkgDir, "__init__.py"))) {
      throw new BenchError(`W4 archives pip's sources, but ${pkgDir} has no __init__.py (pass --python)`);
    }
    mkdirSync(dir, { recursive: true });
    log(`W4: building the archives of ${pkgDir} into ${dir} (the anchor's build) ...`);
    runCommand(anchorCommand(tree, "w4_zipimport.py", ["build", pkgDir, dir]));
  }
  anchorScript("modwalk.py");
  return W4_CASES.map((c) => {
    const zip = zipOf(c);
    const namesFile = join(dir, `pip_${c}.names.json`);
    const st = statSync(zip);
    let names = existsSync(namesFile) ? (JSON.parse(readFileSync(namesFile, "utf8")) as W4NameFile) : null;
    if (
      regenerate ||
      names === null ||
      names.zip_bytes !== st.size ||
      Math.abs(names.zip_mtime * 1000 - st.mtimeMs) > 1
    ) {
      runCommand([tree.python, "-I", "-S", "-c", WALK, anchorsDir, zip, namesFile]);
      names = JSON.parse(readFileSync(namesFile, "utf8")) as W4NameFile;
    }
    return { case: c, zip, namesFile, names };
  });
}
