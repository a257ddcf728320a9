/**
 * One behaviour check for importers that are their own loaders (built-in, frozen, …): each runs a table of
 * cases through `findSpec`, then CPython's `module_from_spec` and `exec_module`, and compares the spec's
 * fields and the module's namespace. Tables can be written by hand or read from a real interpreter
 * ({@link pythonCases}), so the model is checked against CPython itself.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { describe, expect, it } from "vitest";
import type { ImportEvent } from "../../src/core/events.js";
import { initModuleAttrs } from "../../src/core/import-system.js";
import type { ImportContext, Importer, Loader } from "../../src/core/interfaces.js";
import { Module } from "../../src/core/module.js";
import type { ModuleSpec } from "../../src/core/spec.js";
import { SysState } from "../../src/core/sys-state.js";
import { PyList } from "../../src/core/values.js";

export interface ExpectedSpec {
  readonly origin: string | null;
  /** The loader's CPython class name. */
  readonly loader: string;
  /** `submodule_search_locations`: null for a module, the list for a package. */
  readonly searchLocations: readonly string[] | null;
  readonly hasLocation: boolean;
  readonly cached: string | null;
  /** Compared when present (`undefined` in the table means "don't check"; null means CPython's None). */
  readonly loaderState?: unknown;
  /** `vars(module)`'s keys after `module_from_spec`, in order; execution must add none. */
  readonly namespace: readonly string[];
  /** `__file__`, when the namespace has one. */
  readonly file?: string | null;
}

export interface ImporterCase {
  readonly name: string;
  /** `find_spec`'s `path` (the parent package's `__path__`); null (the default) for a top-level search. */
  readonly path?: readonly string[] | null;
  /** null: the importer must decline. */
  readonly spec: ExpectedSpec | null;
}

/** A recording stand-in for the import system: enough for loaders, which only emit and never import here. */
export function fakeContext(tracing = false): ImportContext & { readonly events: ImportEvent[] } {
  const events: ImportEvent[] = [];
  const sys = new SysState();
  const unused = async (): Promise<never> => {
    throw new Error("these loaders never import");
  };
  return {
    events,
    system: {
      sys,
      modules: sys.modules,
      importName: unused,
      importModule: unused,
      emit: (event) => {
        events.push(event);
      },
      tracing,
    },
    task: { id: 1, blockingOn: null },
  };
}

/** CPython's `module_from_spec`: the loader may create the module, then the spec's dunders fill the gaps. */
export async function moduleFromSpec(spec: ModuleSpec, ctx: ImportContext): Promise<Module> {
  const module = (await spec.loader?.createModule?.(spec, ctx)) ?? new Module(spec.name);
  return initModuleAttrs(spec, module, false);
}

/** A package's locations as a plain list (these importers never make namespace paths). */
function locationsOf(spec: ModuleSpec): readonly string[] | null {
  const locations = spec.submoduleSearchLocations;
  if (locations === null) return null;
  return locations instanceof PyList ? (locations.items as string[]) : locations.current;
}

/** Names no importer serves. */
const UNKNOWN_NAMES = ["importkit_no_such_module", "os.importkit_nope", ""];

export function testImporter(
  name: string,
  makeImporter: () => Importer & Loader,
  cases: readonly ImporterCase[],
  options: { notModelled?: string } = {},
): void {
  describe(`Importer conformance: ${name}`, () => {
    it("declines unknown names", async () => {
      const importer = makeImporter();
      for (const unknown of UNKNOWN_NAMES) {
        expect(await importer.findSpec(unknown, null, null, fakeContext())).toBeNull();
        expect(await importer.findSpec(unknown, ["/somewhere"], null, fakeContext())).toBeNull();
      }
    });

    for (const testCase of cases) {
      const path = testCase.path ?? null;
      const label = path === null ? testCase.name : `${testCase.name} (path ${JSON.stringify(path)})`;
      const expected = testCase.spec;

      if (expected === null) {
        it(`declines ${label}`, async () => {
          expect(await makeImporter().findSpec(testCase.name, path, null, fakeContext())).toBeNull();
        });
        continue;
      }

      it(`finds ${label} with CPython's spec and namespace`, async () => {
        const importer = makeImporter();
        const ctx = fakeContext();
        const spec = await importer.findSpec(testCase.name, path, null, ctx);
        expect(spec).not.toBeNull();
        if (spec === null) return;
        expect({
          name: spec.name,
          origin: spec.origin,
          loader: spec.loaderKind,
          searchLocations: locationsOf(spec),
          hasLocation: spec.hasLocation,
          cached: spec.cached,
        }).toEqual({
          name: testCase.name,
          origin: expected.origin,
          loader: expected.loader,
          searchLocations: expected.searchLocations,
          hasLocation: expected.hasLocation,
          cached: expected.cached,
        });
        if (expected.loaderState !== undefined)
          expect(spec.loaderState ?? null).toEqual(expected.loaderState);
        expect(spec.loader?.isPackage?.(testCase.name)).toBe(expected.searchLocations !== null);

        const module = await moduleFromSpec(spec, ctx);
        expect([...module.dict.keys()]).toEqual(expected.namespace);
        if (expected.file !== undefined) expect(module.file).toBe(expected.file);
        if (module.path !== undefined) expect(module.path).toBe(spec.submoduleSearchLocations);

        await spec.loader?.execModule(module, ctx);
        expect([...module.dict.keys()]).toEqual(expected.namespace);
        expect(ctx.events).toEqual([]); // not tracing: nothing emitted
      });

      if (options.notModelled !== undefined) {
        it(`reports ${label}'s body as not modelled when tracing`, async () => {
          const ctx = fakeContext(true);
          const spec = (await makeImporter().findSpec(testCase.name, path, null, ctx))!;
          await spec.loader!.execModule(await moduleFromSpec(spec, ctx), ctx);
          expect(ctx.events).toEqual([
            { type: "not-modelled", name: testCase.name, what: options.notModelled },
          ]);
        });
      }
    }
  });
}

// ---------------------------------------------------------------- cases from a real interpreter

/** The interpreter a bundled profile was dumped from, where this machine has it (pyenv or Debian's). */
export function interpreterFor(profileName: string, version: string): string | null {
  const [major, minor] = version.split(".");
  const candidates =
    profileName === "cpython-3.11-system"
      ? [`/usr/bin/python${major}.${minor}`]
      : profileName.startsWith("cpython-3.") && !profileName.includes("-", "cpython-".length)
        ? [
            `${process.env.PYENV_ROOT ?? `${homedir()}/.pyenv`}/versions/${version}/bin/python${major}.${minor}`,
          ]
        : [];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const actual = execFileSync(candidate, [
      "-I",
      "-S",
      "-c",
      "import platform; print(platform.python_version())",
    ]);
    if (actual.toString().trim() === version) return candidate;
  }
  return null;
}

/** Asks the interpreter's own importer (`importlib.machinery.<importer>`) about each (name, path). */
const ORACLE = `
import json, sys, importlib.machinery as machinery, importlib.util as util
importer = getattr(machinery, sys.argv[1])
queries = json.loads(sys.argv[2])
out = []
for name, path in queries:
    spec = importer.find_spec(name, path)
    if spec is None:
        out.append(None)
        continue
    module = util.module_from_spec(spec) if sys.argv[3] == "namespace" else None
    ssl = spec.submodule_search_locations
    state = spec.loader_state
    out.append({
        "origin": spec.origin,
        "loader": spec.loader.__name__ if isinstance(spec.loader, type) else type(spec.loader).__name__,
        "searchLocations": None if ssl is None else list(ssl),
        "hasLocation": spec.has_location,
        "cached": spec.cached,
        "loaderState": None if state is None else vars(state),
        "namespace": None if module is None else list(vars(module)),
        "file": None if module is None else getattr(module, "__file__", None),
    })
print(json.dumps({"stdlib": getattr(sys, "_stdlib_dir", None), "results": out}))
`;

export interface PythonCases {
  /** `sys._stdlib_dir` (3.11+), or null. */
  readonly stdlibDir: string | null;
  readonly cases: ImporterCase[];
}

/**
 * Cases as `interpreter` answers them. With `namespace: "bare"` the module is not created in Python
 * (a built-in's C init would add attributes importkit does not model) and the namespace expected is the
 * five dunders every new module starts with.
 */
export function pythonCases(
  interpreter: string,
  importer: string,
  queries: readonly (readonly [string, readonly string[] | null])[],
  namespace: "python" | "bare",
): PythonCases {
  const output = execFileSync(interpreter, [
    "-I",
    "-S",
    "-c",
    ORACLE,
    importer,
    JSON.stringify(queries),
    namespace === "python" ? "namespace" : "none",
  ]);
  const answer = JSON.parse(output.toString()) as {
    stdlib: string | null;
    results: (
      | (Omit<ExpectedSpec, "namespace" | "file"> & { namespace: string[] | null; file: string | null })
      | null
    )[];
  };
  const bare = ["__name__", "__doc__", "__package__", "__loader__", "__spec__"];
  const cases = queries.map(([name, path], i): ImporterCase => {
    const result = answer.results[i] ?? null;
    if (result === null) return { name, path, spec: null };
    return {
      name,
      path,
      spec:
        namespace === "python"
          ? { ...result, namespace: result.namespace ?? [] }
          : { ...result, namespace: bare, file: undefined },
    };
  });
  return { stdlibDir: answer.stdlib, cases };
}
