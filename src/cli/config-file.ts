/**
 * `--config FILE` for simulate, trace and resolve: the plugins (hooks, importers, policies) to build the
 * import system with, so a policy can be tried without writing a program.
 *
 * - A JavaScript or TypeScript module (`.js`, `.mjs`, `.ts`, `.mts`) exports an ImportPlugin, a list of
 *   them, or a function returning either (awaited): as `default` or as `plugins`. TypeScript is loaded
 *   through tsx, which must then be installed.
 * - A JSON file holds `{"plugins": [ … ]}`, each `{"use": NAME, …options}` naming a built-in plugin:
 *   see JSON_PLUGINS below and docs/cli.md.
 */
import { readFileSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseJsonText } from "../core/json-text.js";
import type { Generator } from "../hooks/generators/generator.js";
import { islGenerator } from "../hooks/generators/isl/index.js";
import { generators } from "../plugins/generators.js";
import type { ListEdit } from "../plugins/list-edits.js";
import { editLists } from "../plugins/list-edits.js";
import type { ImportPlugin } from "../plugins/plugin.js";
import { snapshot } from "../plugins/snapshot.js";
import { ignoreLonePyc, restrictedImports } from "../policies/index.js";

/** A configuration file that cannot be used: names the file and what is wrong. */
export class ConfigError extends Error {
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`${file}: ${reason}`, options);
    this.name = "ConfigError";
  }
}

/** The generators a JSON configuration can name. */
const GENERATORS: Readonly<Record<string, Generator>> = { isl: islGenerator };

type Options = Readonly<Record<string, unknown>>;

/** Built-in plugins by name: each reads its options, refusing unknown ones. */
const JSON_PLUGINS: Readonly<
  Record<string, (options: Options, where: string, configDir: string) => ImportPlugin>
> = {
  generators(options, where) {
    const names = stringList(options, "generators", where);
    return generators(
      names.map((name) => {
        const generator = Object.hasOwn(GENERATORS, name) ? GENERATORS[name] : undefined;
        if (generator === undefined)
          throw new Error(`${where}: no generator '${name}' (known: ${Object.keys(GENERATORS).join(", ")})`);
        return generator;
      }),
    );
  },
  "ignore-lone-pyc": () => ignoreLonePyc(),
  "restricted-imports": (options, where) =>
    restrictedImports({
      builtins: stringList(options, "builtins", where),
      extensions: stringList(options, "extensions", where),
    }),
  snapshot(options, where, configDir) {
    if (typeof options.file !== "string") throw new Error(`${where}: "file" must be the snapshot's path`);
    const flag = (key: string): boolean | undefined => {
      const value = options[key];
      if (value !== undefined && typeof value !== "boolean")
        throw new Error(`${where}: "${key}" must be true or false`);
      return value;
    };
    const strict = flag("strict");
    const validate = flag("validate");
    // Relative to the configuration file, as a user reading it would expect.
    return snapshot(resolve(configDir, options.file), {
      ...(strict !== undefined && { strict }),
      ...(validate !== undefined && { validate }),
    });
  },
  edit: (options, where) =>
    editLists(`edit (${where})`, {
      ...(options.importers !== undefined && {
        importers: listEdit(options.importers, `${where}.importers`),
      }),
      ...(options.pathHooks !== undefined && {
        pathHooks: listEdit(options.pathHooks, `${where}.pathHooks`),
      }),
      ...(options.fileHooks !== undefined && {
        fileHooks: listEdit(options.fileHooks, `${where}.fileHooks`),
      }),
    }),
};

/** The options each JSON plugin accepts (besides "use"). */
const JSON_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  generators: ["generators"],
  "ignore-lone-pyc": [],
  "restricted-imports": ["builtins", "extensions"],
  edit: ["importers", "pathHooks", "fileHooks"],
  snapshot: ["file", "strict", "validate"],
};

function stringList(options: Options, key: string, where: string): string[] {
  const value = options[key] ?? [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
    throw new Error(`${where}: "${key}" must be a list of strings`);
  return value as string[];
}

function listEdit(value: unknown, where: string): ListEdit {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${where} must be an object with "remove", "move" and/or "order"`);
  const edit = value as Record<string, unknown>;
  const unknown = Object.keys(edit).filter((k) => !["remove", "move", "order"].includes(k));
  if (unknown.length > 0) throw new Error(`${where}: unknown key ${unknown.map((k) => `"${k}"`).join(", ")}`);
  const strings = (key: string) => {
    const v = edit[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string"))
      throw new Error(`${where}.${key} must be a list of names`);
    return v as string[];
  };
  const move = edit.move;
  if (move !== undefined && (!Array.isArray(move) || !move.every(isMoveEdit)))
    throw new Error(
      `${where}.move must be a list of {"name", and one of "before", "after", "at", "first": true, "last": true}`,
    );
  const remove = strings("remove");
  const order = strings("order");
  return {
    ...(remove && { remove }),
    ...(order && { order }),
    ...(move !== undefined && { move: move as ListEdit["move"] & object }),
  };
}

function isMoveEdit(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  if (typeof m.name !== "string") return false;
  const ways = [
    typeof m.before === "string",
    typeof m.after === "string",
    Number.isInteger(m.at) && (m.at as number) >= 0,
    m.first === true,
    m.last === true,
  ].filter(Boolean).length;
  return ways === 1 && Object.keys(m).length === 2;
}

function fromJson(file: string, text: string): ImportPlugin[] {
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new ConfigError(file, `not valid JSON: ${parsed.reason}`);
  const data = parsed.value;
  const list = Array.isArray(data) ? data : (data as { plugins?: unknown } | null)?.plugins;
  if (!Array.isArray(list)) throw new ConfigError(file, 'expected {"plugins": [ … ]}');
  return list.map((entry: unknown, i) => {
    const where = `plugins[${i}]`;
    if (typeof entry !== "object" || entry === null || typeof (entry as { use?: unknown }).use !== "string")
      throw new ConfigError(file, `${where}: expected {"use": NAME, …}`);
    const { use, ...options } = entry as { use: string } & Options;
    const make = Object.hasOwn(JSON_PLUGINS, use) ? JSON_PLUGINS[use] : undefined;
    if (make === undefined)
      throw new ConfigError(
        file,
        `${where}: no plugin '${use}' (known: ${Object.keys(JSON_PLUGINS).join(", ")})`,
      );
    const unknown = Object.keys(options).filter((k) => !JSON_OPTIONS[use]!.includes(k));
    if (unknown.length > 0)
      throw new ConfigError(
        file,
        `${where} (${use}): unknown option ${unknown.map((k) => `"${k}"`).join(", ")}`,
      );
    try {
      return make(options, where, dirname(resolve(file)));
    } catch (error) {
      throw new ConfigError(file, (error as Error).message, { cause: error });
    }
  });
}

function isPlugin(value: unknown): value is ImportPlugin {
  return (
    typeof value === "object" && value !== null && typeof (value as { name?: unknown }).name === "string"
  );
}

async function fromModule(file: string, absolute: string): Promise<ImportPlugin[]> {
  const ext = extname(file);
  if (ext === ".ts" || ext === ".mts" || ext === ".cts") {
    try {
      const { register } = await import("tsx/esm/api");
      register();
    } catch (error) {
      throw new ConfigError(
        file,
        "a TypeScript configuration needs tsx installed (or write it as .mjs or JSON)",
        {
          cause: error,
        },
      );
    }
  }
  const loaded = (await import(pathToFileURL(absolute).href)) as { default?: unknown; plugins?: unknown };
  let value = loaded.default ?? loaded.plugins;
  if (value === undefined)
    throw new ConfigError(file, "exports no plugins (export default [ … ] or export const plugins)");
  if (typeof value === "function") value = await (value as () => unknown)();
  const list = Array.isArray(value) ? value : [value];
  list.forEach((plugin, i) => {
    if (!isPlugin(plugin))
      throw new ConfigError(file, `plugin ${i} is not an ImportPlugin (it needs a "name")`);
  });
  return list as ImportPlugin[];
}

/** The plugins a configuration file describes. */
export async function loadConfig(file: string): Promise<ImportPlugin[]> {
  const absolute = resolve(file);
  if (extname(file) === ".json") {
    let text: string;
    try {
      text = readFileSync(absolute, "utf8");
    } catch (error) {
      throw new ConfigError(file, `cannot read it: ${(error as Error).message}`, { cause: error });
    }
    return fromJson(file, text);
  }
  if (![".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"].includes(extname(file)))
    throw new ConfigError(file, "a configuration is a .json file or a JavaScript/TypeScript module");
  return fromModule(file, absolute);
}
