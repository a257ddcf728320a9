import { describe, expect, it } from "vitest";
import { createImportSystem } from "../../src/composition-root.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import { loadProfile } from "../../src/core/profile.js";
import type { ModuleSpec } from "../../src/core/spec.js";
import type { Scenario, ScenarioStep } from "../../src/scenario/format.js";
import { loadScenarioFile, ScenarioError } from "../../src/scenario/parse.js";
import type { CompletedScenarioResult, ScenarioResult } from "../../src/scenario/result.js";
import { isUnsupported } from "../../src/scenario/result.js";
import { runScenario, stdlibDirFor } from "../../src/scenario/runner.js";
import { installStartSnapshot } from "../../src/scenario/start-snapshot.js";

function scenario(steps: ScenarioStep[], files: Scenario["files"] = {}): Scenario {
  return { name: "t", files, path: ["lib"], steps };
}

function completed(result: ScenarioResult): CompletedScenarioResult {
  if (isUnsupported(result)) throw new Error(`unsupported: ${result.unsupported}`);
  return result;
}

const publicScenario = (name: string) =>
  loadScenarioFile(new URL(`../fixtures/scenarios/public/${name}.json`, import.meta.url).pathname);

describe("the start snapshot", () => {
  it("holds the profile's start modules, made honestly, with a fresh __main__", async () => {
    const profile = loadProfile("cpython-3.11");
    const stdlibDir = stdlibDirFor(profile);
    const system = createImportSystem({ fs: MemFileSystem.fromFiles({}, "/w"), profile, stdlibDir });
    const main = await installStartSnapshot(system, stdlibDir, system.newContext());
    expect(new Set(system.modules.keys())).toEqual(new Set(profile.oracleStartModules));
    expect(system.modules.get("__main__")).toBe(main);
    expect(["__spec__", "__package__", "__loader__"].map((k) => main.dict.get(k))).toEqual([
      null,
      null,
      null,
    ]);
    const sys = system.modules.get("sys")!;
    expect([sys.spec?.origin, sys.loader?.pyType]).toEqual(["built-in", "BuiltinImporter"]);
    const abc = system.modules.get("abc")!;
    expect([abc.spec?.origin, abc.file]).toEqual(["frozen", `${stdlibDir}/abc.py`]);
    // importlib re-registers the frozen bootstrap under its own name: one module object.
    expect(system.modules.get("importlib._bootstrap")).toBe(system.modules.get("_frozen_importlib"));
    expect(system.modules.get("importlib")!.dict.get("_bootstrap")).toBe(
      system.modules.get("_frozen_importlib"),
    );
    const encodings = system.modules.get("encodings")!;
    expect([encodings.file, encodings.loader?.pyType]).toEqual([
      `${stdlibDir}/encodings/__init__.py`,
      "SourceFileLoader",
    ]);
    expect(encodings.dict.get("utf_8")).toBe(system.modules.get("encodings.utf_8"));
    const zlib = system.modules.get("zlib")!;
    expect([zlib.loader?.pyType, (zlib.dict.get("__spec__") as ModuleSpec).origin]).toEqual([
      "ExtensionFileLoader",
      `${stdlibDir}/lib-dynload/zlib.cpython-311-x86_64-linux-gnu.so`,
    ]);
    const future = system.modules.get("__future__")!;
    expect(future.dict.get("annotations")?.valueOf()).toMatchObject({ pyType: "_Feature" });
    expect(future.dict.get("barry_as_FLUFL")).toMatchObject({ pyType: "_Feature" });
  });

  it("is never reported, and importing from it loads nothing", async () => {
    const result = completed(
      await runScenario(
        scenario([
          { run: "from __future__ import annotations, generator_stop\nimport sys, zlib, encodings.utf_8" },
          { run: "import importlib._bootstrap as boot" },
        ]),
      ),
    );
    expect(result.steps[0]).toEqual({
      ok: true,
      error: null,
      loaded: [],
      new_modules: [],
      removed_modules: [],
      namespace: {
        annotations: { type: "_Feature" },
        encodings: { module: "encodings" },
        generator_stop: { type: "_Feature" },
        sys: { module: "sys" },
        zlib: { module: "zlib" },
      },
    });
    expect(result.steps[1]!.namespace.boot).toEqual({ module: "importlib._bootstrap" });
    expect(result.modules).toEqual({});
  });
});

describe("runScenario", () => {
  it("reports a reload of a name not in sys.modules as importlib.reload(sys.modules[name]) does", async () => {
    const result = completed(await runScenario(scenario([{ reload: "nope" }])));
    expect(result.steps[0]!.error).toEqual({ type: "KeyError", message: "'nope'", name: null, path: null });
  });

  it("turns the whole result into `unsupported` when a step meets something not modelled", async () => {
    const result = await runScenario(
      scenario([{ run: "import a" }, { run: "X = 1 + 2" }], { "lib/a.py": "" }),
    );
    expect(Object.keys(result)).toEqual(["scenario", "unsupported"]);
    expect(result).toMatchObject({ scenario: "t", unsupported: expect.stringContaining("not supported") });
  });

  it("refuses a scenario whose write or remove step cannot be done", async () => {
    await expect(runScenario(scenario([{ remove: ["lib/missing.py"] }]))).rejects.toThrow(ScenarioError);
    await expect(
      runScenario(scenario([{ write: { "lib/a.py/x.py": "" } }], { "lib/a.py": "" })),
    ).rejects.toThrow(ScenarioError);
  });

  it("keeps `sys.path` entries relative to the root and the empty entry as the current directory", async () => {
    const result = completed(
      await runScenario({
        name: "t",
        files: { "top.py": "", "lib/ns/m.py": "" },
        path: ["", "lib"],
        steps: [{ run: "import top, ns.m" }],
      }),
    );
    expect(result.modules.top!.file).toBe("top.py");
    expect(result.modules.ns!.path).toEqual(["lib/ns"]);
  });

  it("runs other profiles: 3.12 has no built-in xxsubtype, 3.10's frozen modules have no __file__", async () => {
    const builtins = completed(
      await runScenario(await publicScenario("builtin_modules"), { profile: "cpython-3.12" }),
    );
    expect(builtins.steps[2]!.error?.type).toBe("ModuleNotFoundError");
    const frozen = completed(await runScenario(await publicScenario("frozen_modules"), { profile: "3.10" }));
    expect(frozen.modules.__hello__!.file).toBeNull();
    expect(frozen.modules.__phello__!.path).toEqual([]);
  });
});
