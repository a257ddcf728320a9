/** What the policy tests share: real CPython 3.11 pycs from the scenario fixtures, archives, systems. */
import { readFileSync } from "node:fs";
import type { AuditEvent } from "../../src/core/audit.js";
import type { ImportEvent } from "../../src/core/events.js";
import { createImportSystem, type ImportPlugin, type ImportSystem, MemFileSystem } from "../../src/index.js";
import { writeZipArchive } from "../../src/scenario/zip-archive.js";

const FIXTURES = new URL("../fixtures/scenarios/", import.meta.url);

type Files = Record<string, string | { base64?: string; zip?: Files }>;

function fixtureFiles(file: string): Files {
  return (JSON.parse(readFileSync(new URL(file, FIXTURES), "utf8")) as { files: Files }).files;
}

function base64Of(content: Files[string] | undefined): Uint8Array {
  if (typeof content !== "object" || content.base64 === undefined) throw new Error("not a base64 file");
  return new Uint8Array(Buffer.from(content.base64, "base64"));
}

/** `X = "legacy"`, compiled by CPython 3.11 (a sourceless module). */
export const LEGACY_PYC = base64Of(fixtureFiles("public/pyc_sourceless_and_orphans.json")["lib/legacy.pyc"]);

const zipPycs = fixtureFiles("public/zip_pyc_inside.json")["pycs.zip"] as { zip: Files };
/** `X = "zpyc"`, compiled by CPython 3.11 with the header of `X = "source"\n` at the default mtime. */
export const FRESH_PYC = base64Of(zipPycs.zip["fresh.pyc"]);
/** `X = "alone"`, compiled by CPython 3.11. */
export const ALONE_PYC = base64Of(zipPycs.zip["alone.pyc"]);

/** The scenarios' default mtime: archive entries get it, so FRESH_PYC matches its source entry. */
const MTIME = 1700000000;

/**
 * A stored zip archive of `members` (name → text or bytes; a name ending in "/" is a directory entry, which
 * zipimport needs to see a namespace portion), every entry at the default mtime.
 */
export function zipOf(members: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  return writeZipArchive(
    Object.entries(members).map(([name, data]) => ({
      name,
      data: name.endsWith("/") ? null : typeof data === "string" ? new TextEncoder().encode(data) : data,
      mtime: MTIME,
    })),
    false,
  );
}

/** A system over `files` with `/site` on the path. */
export function systemOver(
  files: Record<string, string | Uint8Array | null>,
  plugins: readonly ImportPlugin[] = [],
): ImportSystem {
  const system = createImportSystem({ fs: MemFileSystem.fromFiles(files), plugins });
  system.path.push("/site");
  return system;
}

/** The notes the system emits while `run` runs. */
export async function notesDuring(system: ImportSystem, run: () => Promise<unknown>): Promise<string[]> {
  const notes: string[] = [];
  const stop = system.events.on((event: ImportEvent) => {
    if (event.type === "note") notes.push(event.message);
  });
  try {
    await run().catch(() => undefined);
  } finally {
    stop();
  }
  return notes;
}

/** An audit event as one line: `import pkg`, `open r /site/pkg/__init__.py`. */
export function auditLine(event: AuditEvent): string {
  switch (event.event) {
    case "import":
      return `import ${event.name}`;
    case "importkit.path_entry":
      return `path_entry ${event.entry}`;
    case "open":
      return `open ${event.mode} ${event.path}`;
    case "os.listdir":
      return `listdir ${event.path}`;
  }
}
