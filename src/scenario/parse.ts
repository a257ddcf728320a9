/**
 * Reading and checking scenario files: anything that does not follow FORMAT.md is refused with an error that
 * names the file and the problem, before any world is built.
 */
import { readFile } from "node:fs/promises";
import { parseJsonText } from "../core/json-text.js";
import type { FileContent, FileMap, Scenario, ScenarioStep, StepKind } from "./format.js";
import { STEP_KINDS } from "./format.js";

/** A scenario that is malformed, or that asks the harness for something it cannot do. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScenarioError";
  }
}

/** Read and check a scenario file. */
export async function loadScenarioFile(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ScenarioError(
      `${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new ScenarioError(`${file}: not JSON: ${parsed.reason}`);
  return parseScenario(parsed.value, file);
}

/** Check a parsed scenario; `source` names it in error messages. */
export function parseScenario(json: unknown, source: string): Scenario {
  try {
    return checkScenario(json);
  } catch (error) {
    if (error instanceof Problem) throw new ScenarioError(`${source}: ${error.message}`);
    throw error;
  }
}

/** A problem at a place inside the scenario (e.g. `steps[2].write`). */
class Problem extends Error {}

type JsonObject = Record<string, unknown>;

function fail(where: string, what: string): never {
  throw new Problem(where ? `${where}: ${what}` : what);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function object(value: unknown, where: string): JsonObject {
  if (!isObject(value)) fail(where, `expected an object, got ${jsonKind(value)}`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== "string") fail(where, `expected a string, got ${jsonKind(value)}`);
  return value;
}

function strings(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) fail(where, `expected a list of strings, got ${jsonKind(value)}`);
  return value.map((item, i) => string(item, `${where}[${i}]`));
}

function mtime(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value))
    fail(where, `expected a number of seconds, got ${jsonKind(value)}`);
  return value;
}

function onlyKeys(value: JsonObject, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      fail(where, `unknown key ${JSON.stringify(key)} (expected one of ${allowed.join(", ")})`);
  }
}

function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The oracle's `check_rel`: a relative POSIX path without empty, `.` or `..` parts. */
export function checkRelativePath(rel: string, where: string): void {
  const parts = rel.split("/");
  if (
    !rel ||
    rel.startsWith("/") ||
    rel.includes("\\") ||
    parts.some((p) => p === "" || p === "." || p === "..")
  ) {
    fail(where, `bad relative path ${JSON.stringify(rel)}`);
  }
}

function checkScenario(json: unknown): Scenario {
  const raw = object(json, "");
  onlyKeys(raw, ["name", "description", "files", "path", "settings", "steps"], "");
  for (const key of ["name", "path", "steps"]) if (!(key in raw)) fail("", `missing ${JSON.stringify(key)}`);
  const name = string(raw.name, "name");
  if (!name) fail("name", "must not be empty");
  const description = raw.description === undefined ? undefined : string(raw.description, "description");
  const files = raw.files === undefined ? {} : checkFileMap(raw.files, "files");
  const path = strings(raw.path, "path");
  const settings = raw.settings === undefined ? undefined : checkSettings(raw.settings);
  if (!Array.isArray(raw.steps)) fail("steps", `expected a list, got ${jsonKind(raw.steps)}`);
  const steps = raw.steps.map((step, i) => checkStep(step, `steps[${i}]`));
  return {
    name,
    ...(description === undefined ? {} : { description }),
    files,
    path,
    ...(settings === undefined ? {} : { settings }),
    steps,
  };
}

function checkSettings(value: unknown): { dont_write_bytecode?: boolean } {
  const raw = object(value, "settings");
  onlyKeys(raw, ["dont_write_bytecode"], "settings");
  const flag = raw.dont_write_bytecode;
  if (flag === undefined) return {};
  if (typeof flag !== "boolean")
    fail("settings.dont_write_bytecode", `expected a boolean, got ${jsonKind(flag)}`);
  return { dont_write_bytecode: flag };
}

function checkFileMap(value: unknown, where: string): FileMap {
  const raw = object(value, where);
  const files: Record<string, FileContent> = {};
  for (const [rel, content] of Object.entries(raw)) {
    const place = `${where}[${JSON.stringify(rel)}]`;
    checkRelativePath(rel, place);
    files[rel] = checkContent(content, place);
  }
  return files;
}

const CONTENT_FORMS = ["text", "base64", "zip", "dir"] as const;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkContent(value: unknown, where: string): FileContent {
  if (typeof value === "string") return value;
  const raw = object(value, where);
  const forms = CONTENT_FORMS.filter((form) => form in raw);
  if (forms.length !== 1)
    fail(where, `a file content object needs exactly one of ${CONTENT_FORMS.join(", ")}`);
  const time = mtime(raw.mtime, `${where}.mtime`);
  const withTime = time === undefined ? {} : { mtime: time };
  switch (forms[0]) {
    case "text":
      onlyKeys(raw, ["text", "mtime"], where);
      return { text: string(raw.text, `${where}.text`), ...withTime };
    case "base64": {
      onlyKeys(raw, ["base64", "compiled_from", "mtime"], where);
      const base64 = string(raw.base64, `${where}.base64`);
      if (!BASE64.test(base64)) fail(`${where}.base64`, "not valid base64");
      const compiledFrom =
        raw.compiled_from === undefined
          ? {}
          : { compiled_from: string(raw.compiled_from, `${where}.compiled_from`) };
      return { base64, ...compiledFrom, ...withTime };
    }
    case "dir":
      onlyKeys(raw, ["dir", "mtime"], where);
      if (raw.dir !== true) fail(`${where}.dir`, "must be true");
      return { dir: true, ...withTime };
    default:
      return checkZip(raw, where, withTime);
  }
}

function checkZip(raw: JsonObject, where: string, withTime: { mtime?: number }): FileContent {
  onlyKeys(raw, ["zip", "compression", "dir_entries", "mtime"], where);
  const entriesRaw = object(raw.zip, `${where}.zip`);
  const zip: Record<string, FileContent> = {};
  for (const [name, content] of Object.entries(entriesRaw)) {
    const place = `${where}.zip[${JSON.stringify(name)}]`;
    checkRelativePath(name.replace(/\/+$/, ""), place);
    const entry = checkContent(content, place);
    if (name.endsWith("/") && (typeof entry === "string" || !("dir" in entry))) {
      fail(place, "only a directory entry's name may end with '/'");
    }
    zip[name] = entry;
  }
  const compression = raw.compression ?? "stored";
  if (compression !== "stored" && compression !== "deflated") {
    fail(`${where}.compression`, `unknown compression ${JSON.stringify(compression)} (stored or deflated)`);
  }
  const dirEntries = raw.dir_entries ?? true;
  if (typeof dirEntries !== "boolean")
    fail(`${where}.dir_entries`, `expected a boolean, got ${jsonKind(dirEntries)}`);
  return { zip, compression, dir_entries: dirEntries, ...withTime };
}

function checkStep(value: unknown, where: string): ScenarioStep {
  const raw = object(value, where);
  const kinds = STEP_KINDS.filter((kind) => kind in raw);
  if (kinds.length !== 1 || Object.keys(raw).length !== 1) {
    fail(where, `a step needs exactly one of ${STEP_KINDS.join(", ")}, got ${JSON.stringify(raw)}`);
  }
  const kind = kinds[0] as StepKind;
  const place = `${where}.${kind}`;
  const payload = raw[kind];
  switch (kind) {
    case "run":
      return { run: string(payload, place) };
    case "write":
      return { write: checkFileMap(payload, place) };
    case "remove": {
      const paths = strings(payload, place);
      for (const [i, rel] of paths.entries()) checkRelativePath(rel, `${place}[${i}]`);
      return { remove: paths };
    }
    case "invalidate_caches":
      if (payload !== true) fail(place, "must be true");
      return { invalidate_caches: true };
    case "reload":
      return { reload: string(payload, place) };
    case "forget":
      return { forget: string(payload, place) };
    case "path":
      return { path: strings(payload, place) };
  }
}
