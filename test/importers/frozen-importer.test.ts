import { describe, expect, it } from "vitest";
import { AttributeError, ImportError } from "../../src/core/errors.js";
import { Module } from "../../src/core/module.js";
import { loadProfile, profileNames } from "../../src/core/profile.js";
import { ModuleSpec } from "../../src/core/spec.js";
import { FrozenImporter } from "../../src/importers/frozen-importer.js";
import type { ExpectedSpec } from "./conformance.js";
import { fakeContext, interpreterFor, moduleFromSpec, pythonCases, testImporter } from "./conformance.js";

const STDLIB = "/usr/lib/python3.11";
const NEW_MODULE = ["__name__", "__doc__", "__package__", "__loader__", "__spec__"];
const frozen = { origin: "frozen", loader: "FrozenImporter", hasLocation: false, cached: null } as const;

function module(file: string | null, origname: string | null): ExpectedSpec {
  const filename = file && `${STDLIB}/${file}`;
  return {
    ...frozen,
    searchLocations: null,
    loaderState: { filename, origname },
    namespace: filename ? [...NEW_MODULE, "__file__"] : NEW_MODULE,
    file: filename ?? undefined,
  };
}

function pkg(file: string, origname: string, searchLocations: string[]): ExpectedSpec {
  return {
    ...frozen,
    searchLocations,
    loaderState: { filename: `${STDLIB}/${file}`, origname },
    namespace: [...NEW_MODULE, "__file__", "__path__"],
    file: `${STDLIB}/${file}`,
  };
}

// Hand-written, from CPython 3.11.7 (find_spec's spec and loader_state, vars(module_from_spec(spec))).
testImporter(
  "FrozenImporter (cpython-3.11, by hand)",
  () => new FrozenImporter(loadProfile("cpython-3.11"), `${STDLIB}/`),
  [
    { name: "__hello__", spec: module("__hello__.py", "__hello__") },
    { name: "__hello_alias__", spec: module("__hello__.py", "__hello__") },
    { name: "__hello_only__", spec: module(null, null) },
    { name: "__phello__", spec: pkg("__phello__/__init__.py", "__phello__", [`${STDLIB}/__phello__`]) },
    { name: "__phello__.__init__", spec: module("__phello__/__init__.py", "<__phello__") },
    {
      name: "__phello__.spam",
      path: [`${STDLIB}/__phello__`],
      spec: module("__phello__/spam.py", "__phello__.spam"),
    },
    // An alias package: `_resolve_filename` gives no package dir, so __path__ stays [].
    { name: "__phello_alias__", spec: pkg("__hello__.py", "__hello__", []) },
    { name: "os.path", spec: module("posixpath.py", "posixpath") },
    { name: "_frozen_importlib", spec: module("importlib/_bootstrap.py", "importlib._bootstrap") },
    { name: "sys", spec: null },
    { name: "json", spec: null },
  ],
  { notModelled: "frozen module body" },
);

// 3.8–3.10: no loader state, default module creation, no __file__, packages get __path__ = [].
testImporter(
  "FrozenImporter (cpython-3.10, by hand)",
  () => new FrozenImporter(loadProfile("cpython-3.10"), STDLIB),
  [
    {
      name: "__hello__",
      spec: { ...frozen, searchLocations: null, loaderState: null, namespace: NEW_MODULE },
    },
    {
      name: "__phello__",
      spec: {
        ...frozen,
        searchLocations: [],
        loaderState: null,
        namespace: [...NEW_MODULE, "__path__"],
        file: null,
      },
    },
  ],
);

// Differential: every bundled profile whose interpreter is on this machine answers for itself.
for (const profileName of profileNames()) {
  const profile = loadProfile(profileName);
  const interpreter = interpreterFor(profileName, profile.version);
  if (interpreter === null) {
    describe.skip(`FrozenImporter vs ${profileName}: interpreter not installed`, () => {});
    continue;
  }
  const names = [...profile.frozenModules.keys(), "sys", "json", "importkit_nope"];
  const queries = names.flatMap((name) => [[name, null] as const, [name, ["/pkg"]] as const]);
  const { stdlibDir, cases } = pythonCases(interpreter, "FrozenImporter", queries, "python");
  testImporter(
    `FrozenImporter vs ${interpreter}`,
    () => new FrozenImporter(profile, stdlibDir ?? "/unused"),
    cases,
  );
}

describe("FrozenImporter as a loader", () => {
  const importer = new FrozenImporter(loadProfile("cpython-3.11"), STDLIB);
  const legacy = new FrozenImporter(loadProfile("cpython-3.9"), STDLIB);

  it("gives each spec its own __path__ list", () => {
    const first = importer.findSpec("__phello__", null, null, fakeContext())!;
    const second = importer.findSpec("__phello__", null, null, fakeContext())!;
    expect(first.submoduleSearchLocations).not.toBe(second.submoduleSearchLocations);
    expect(first.parent).toBe("__phello__");
  });

  it("sets __file__ from the loader state only (create_module's `try: spec.loader_state.filename`)", () => {
    const bare = new ModuleSpec("__hello__", importer, { origin: "frozen" });
    expect([...importer.createModule(bare, fakeContext())!.dict.keys()]).toEqual(NEW_MODULE);
    const stated = new ModuleSpec("x", importer, { loaderState: { filename: "/f.py", origname: "x" } });
    expect(importer.createModule(stated, fakeContext())!.file).toBe("/f.py");
    expect(legacy.createModule(bare, fakeContext())).toBeNull();
  });

  it("runs nothing and adds nothing: the frozen body is not modelled", async () => {
    const ctx = fakeContext(true);
    const spec = importer.findSpec("__hello__", null, null, ctx)!;
    const mod = await moduleFromSpec(spec, ctx);
    const before = [...mod.dict.entries()];
    importer.execModule(mod, ctx);
    expect([...mod.dict.entries()]).toEqual(before);
    expect(ctx.events).toEqual([{ type: "not-modelled", name: "__hello__", what: "frozen module body" }]);
  });

  it("fails exec_module for names that are not frozen, with each version's message", () => {
    const mod = new Module("nothere");
    mod.setAttr("__spec__", new ModuleSpec("nothere", importer, { origin: "frozen" }));
    expect(() => importer.execModule(mod, fakeContext())).toThrow(
      new ImportError("No such frozen object named 'nothere'", { name: "nothere" }),
    );
    expect(() => legacy.execModule(mod, fakeContext())).toThrow(
      new ImportError("'nothere' is not a frozen module", { name: "nothere" }),
    );
    expect(() => importer.execModule(new Module("nospec"), fakeContext())).toThrow(AttributeError);
  });

  it("answers is_package and get_source for frozen names only (`_requires_frozen`)", () => {
    expect(importer.isPackage("__phello__")).toBe(true);
    expect(importer.isPackage("__phello_alias__")).toBe(true);
    expect(importer.isPackage("__hello__")).toBe(false);
    expect(importer.getSource("__hello__")).toBeNull();
    expect(() => importer.isPackage("nothere")).toThrow(
      new ImportError("'nothere' is not a frozen module", { name: "nothere" }),
    );
    let error: unknown;
    try {
      importer.getSource("nothere");
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ moduleName: "nothere", path: null });
  });

  it("has no loader state and no __file__ before 3.11", () => {
    const spec = legacy.findSpec("__phello__.spam", null, null, fakeContext())!;
    expect(spec.loaderState).toBeUndefined();
    expect(spec.submoduleSearchLocations).toBeNull();
    expect(legacy.createModule(spec, fakeContext())).toBeNull();
  });
});
