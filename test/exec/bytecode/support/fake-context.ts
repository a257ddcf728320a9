/** A module in a FakeImportSystem (test/exec/fake-system.ts) and the context to run its code with. */
import type { ImportContext } from "../../../../src/core/interfaces.js";
import type { Module } from "../../../../src/core/module.js";
import { FakeImportSystem, newContext } from "../../fake-system.js";

export function fakeModule(name = "m"): { system: FakeImportSystem; module: Module; ctx: ImportContext } {
  const system = new FakeImportSystem();
  const module = system.add(name, {}, null);
  return { system, module, ctx: newContext(system) };
}
