import { describe, expect, it } from "vitest";
import { ImportError } from "../../src/core/errors.js";
import { loadProfile, profileNames } from "../../src/core/profile.js";
import { ModuleSpec } from "../../src/core/spec.js";
import { BuiltinImporter } from "../../src/importers/builtin-importer.js";
import { fakeContext, interpreterFor, pythonCases, testImporter } from "./conformance.js";

const BARE = ["__name__", "__doc__", "__package__", "__loader__", "__spec__"];
const builtinSpec = {
  origin: "built-in",
  loader: "BuiltinImporter",
  searchLocations: null,
  hasLocation: false,
};

// Hand-written, from CPython 3.11.7 (`BuiltinImporter.find_spec(...)` and `module_from_spec`).
testImporter(
  "BuiltinImporter (cpython-3.11, by hand)",
  () => new BuiltinImporter(loadProfile("cpython-3.11")),
  [
    { name: "sys", spec: { ...builtinSpec, cached: null, loaderState: null, namespace: BARE } },
    { name: "atexit", spec: { ...builtinSpec, cached: null, loaderState: null, namespace: BARE } },
    { name: "faulthandler", spec: { ...builtinSpec, cached: null, loaderState: null, namespace: BARE } },
    // 3.11.4 dropped "if path is not None: return None": a built-in is found even inside a package.
    { name: "atexit", path: ["/pkg"], spec: { ...builtinSpec, cached: null, namespace: BARE } },
    { name: "os", spec: null }, // frozen, not built in
    { name: "json", spec: null },
  ],
  { notModelled: "built-in module body" },
);

// Up to 3.11.3 (here Debian's 3.11.2) a built-in is declined whenever path is given.
for (const profileName of ["cpython-3.10", "cpython-3.11-system"]) {
  testImporter(
    `BuiltinImporter (${profileName}, by hand)`,
    () => new BuiltinImporter(loadProfile(profileName)),
    [
      { name: "atexit", spec: { ...builtinSpec, cached: null, namespace: BARE } },
      { name: "atexit", path: ["/pkg"], spec: null },
    ],
  );
}

// Differential: every bundled profile whose interpreter is on this machine answers for itself.
for (const profileName of profileNames()) {
  const profile = loadProfile(profileName);
  const interpreter = interpreterFor(profileName, profile.version);
  if (interpreter === null) {
    describe.skip(`BuiltinImporter vs ${profileName}: interpreter not installed`, () => {});
    continue;
  }
  const names = [...profile.builtinModuleNames, "os", "json", "__hello__", "importkit_nope"];
  const queries = names.flatMap((name) => [[name, null] as const, [name, ["/pkg"]] as const]);
  const { cases } = pythonCases(interpreter, "BuiltinImporter", queries, "bare");
  testImporter(`BuiltinImporter vs ${interpreter}`, () => new BuiltinImporter(profile), cases);
}

describe("BuiltinImporter as a loader", () => {
  const importer = new BuiltinImporter(loadProfile("cpython-3.11"));

  it("refuses to create a module whose name is not built in, as CPython's create_module does", () => {
    const spec = new ModuleSpec("nothere", importer, { origin: "built-in" });
    let error: unknown;
    try {
      importer.createModule(spec, fakeContext());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({
      message: "'nothere' is not a built-in module",
      moduleName: "nothere",
      path: null,
    });
  });

  it("creates a fresh module each time and invents no attributes", () => {
    const spec = importer.findSpec("atexit", null, null, fakeContext())!;
    const first = importer.createModule(spec, fakeContext());
    expect(importer.createModule(spec, fakeContext())).not.toBe(first);
    expect([...first.dict.entries()]).toEqual([
      ["__name__", "atexit"],
      ["__doc__", null],
      ["__package__", null],
      ["__loader__", null],
      ["__spec__", null],
    ]);
  });

  it("emits the not-modelled event from create_module only when tracing", () => {
    const spec = importer.findSpec("atexit", null, null, fakeContext())!;
    const quiet = fakeContext(false);
    importer.createModule(spec, quiet);
    expect(quiet.events).toEqual([]);
    const tracing = fakeContext(true);
    importer.createModule(spec, tracing);
    expect(tracing.events).toEqual([{ type: "not-modelled", name: "atexit", what: "built-in module body" }]);
  });

  it("answers is_package and get_source for built-ins only (`_requires_builtin`)", () => {
    expect(importer.isPackage("sys")).toBe(false);
    expect(importer.getSource("sys")).toBeNull();
    expect(() => importer.isPackage("os")).toThrow(
      new ImportError("'os' is not a built-in module", { name: "os" }),
    );
    expect(() => importer.getSource("os")).toThrow(ImportError);
  });

  it("quotes odd names as Python's repr does", () => {
    const spec = new ModuleSpec("it's", importer);
    expect(() => importer.createModule(spec, fakeContext())).toThrow(`"it's" is not a built-in module`);
  });
});
