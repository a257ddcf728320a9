/**
 * OrderedList, the named list plugins edit (importers, path hooks; FileHookRegistry wraps one): every
 * Placement, the errors that name the known items, reorder naming each item once, move and replace.
 */
import { describe, expect, it } from "vitest";
import { loadProfile } from "../../src/core/profile.js";
import { FileHookRegistry } from "../../src/hooks/file-hook-registry.js";
import type { LoaderEnvironment } from "../../src/hooks/loader-environment.js";
import { sourceFileHook } from "../../src/hooks/source-file-hook.js";
import { sourcelessFileHook } from "../../src/hooks/sourceless-file-hook.js";
import { OrderedList, type Placement } from "../../src/plugins/ordered-list.js";
import { thrown } from "../support/thrown.js";

const importers = () =>
  new OrderedList<string>("importer", [
    ["builtin", "B"],
    ["frozen", "F"],
    ["path", "P"],
  ]);

describe("OrderedList: reading", () => {
  it("keeps the initial order, by name and by item", () => {
    const list = importers();
    expect(list.names).toEqual(["builtin", "frozen", "path"]);
    expect(list.items).toEqual(["B", "F", "P"]);
    expect(list.has("frozen")).toBe(true);
    expect(list.has("zip")).toBe(false);
    expect(list.get("path")).toBe("P");
  });

  it("returns copies: editing names or items does not edit the list", () => {
    const list = importers();
    list.names.pop();
    list.items.push("X");
    expect(list.names).toEqual(["builtin", "frozen", "path"]);
    expect(list.items).toEqual(["B", "F", "P"]);
  });

  it("an unknown name fails, naming the known items (or 'none')", () => {
    expect(thrown(() => importers().get("zip")).message).toBe(
      "no importer named 'zip' (have: builtin, frozen, path)",
    );
    expect(thrown(() => new OrderedList<string>("path hook").get("zip")).message).toBe(
      "no path hook named 'zip' (have: none)",
    );
  });
});

describe("OrderedList: add, at every Placement", () => {
  const cases: [string, Placement | undefined, string[]][] = [
    ["the default (last)", undefined, ["builtin", "frozen", "path", "new"]],
    ['"last"', "last", ["builtin", "frozen", "path", "new"]],
    ['"first"', "first", ["new", "builtin", "frozen", "path"]],
    ["{ at: 0 }", { at: 0 }, ["new", "builtin", "frozen", "path"]],
    ["{ at: 2 }", { at: 2 }, ["builtin", "frozen", "new", "path"]],
    ["{ at: length }", { at: 3 }, ["builtin", "frozen", "path", "new"]],
    ["{ before: first item }", { before: "builtin" }, ["new", "builtin", "frozen", "path"]],
    ["{ before: a middle item }", { before: "path" }, ["builtin", "frozen", "new", "path"]],
    ["{ after: a middle item }", { after: "builtin" }, ["builtin", "new", "frozen", "path"]],
    ["{ after: the last item }", { after: "path" }, ["builtin", "frozen", "path", "new"]],
  ];
  it.each(cases)("%s", (_label, where, names) => {
    const list = importers();
    expect(where === undefined ? list.add("new", "N") : list.add("new", "N", where)).toBe(list);
    expect(list.names).toEqual(names);
    expect(list.get("new")).toBe("N");
    expect(list.items[names.indexOf("new")]).toBe("N");
  });

  it("adds to an empty list", () => {
    const list = new OrderedList<number>("path hook");
    list.add("a", 1, "first").add("b", 2, { at: 1 }).add("c", 3, { before: "a" });
    expect(list.names).toEqual(["c", "a", "b"]);
  });

  it("refuses a name already taken, listing the names", () => {
    expect(thrown(() => importers().add("path", "again")).message).toBe(
      "there is already an importer named 'path' (builtin, frozen, path)",
    );
  });

  it("refuses a relative placement next to an unknown name, naming the known ones", () => {
    for (const where of [{ before: "zip" }, { after: "zip" }] as const) {
      const list = importers();
      expect(thrown(() => list.add("new", "N", where)).message).toBe(
        "no importer named 'zip' (have: builtin, frozen, path)",
      );
      expect(list.names).toEqual(["builtin", "frozen", "path"]);
    }
  });

  it.each([-1, 4, 1.5, Number.NaN])("refuses the index %s, giving the valid range", (at) => {
    const list = importers();
    expect(thrown(() => list.add("new", "N", { at })).message).toBe(
      `no position ${at} in the importer list (0–3)`,
    );
    expect(list.names).toEqual(["builtin", "frozen", "path"]);
  });
});

describe("OrderedList: remove, replace, move", () => {
  it("remove returns the item and closes the gap", () => {
    const list = importers();
    expect(list.remove("frozen")).toBe("F");
    expect(list.names).toEqual(["builtin", "path"]);
    expect(list.has("frozen")).toBe(false);
    expect(thrown(() => list.remove("frozen")).message).toBe(
      "no importer named 'frozen' (have: builtin, path)",
    );
  });

  it("replace keeps the name and the position", () => {
    const list = importers();
    expect(list.replace("frozen", "F2")).toBe(list);
    expect(list.names).toEqual(["builtin", "frozen", "path"]);
    expect(list.items).toEqual(["B", "F2", "P"]);
    expect(thrown(() => list.replace("zip", "Z")).message).toBe(
      "no importer named 'zip' (have: builtin, frozen, path)",
    );
  });

  const moves: [string, Placement, string[]][] = [
    ['"first"', "first", ["path", "builtin", "frozen"]],
    ['"last" (already there)', "last", ["builtin", "frozen", "path"]],
    ["{ at: 1 } (an index in the list without the item)", { at: 1 }, ["builtin", "path", "frozen"]],
    ["{ before: builtin }", { before: "builtin" }, ["path", "builtin", "frozen"]],
    ["{ after: builtin }", { after: "builtin" }, ["builtin", "path", "frozen"]],
  ];
  it.each(moves)("move to %s", (_label, where, names) => {
    const list = importers();
    expect(list.move("path", where)).toBe(list);
    expect(list.names).toEqual(names);
    expect(list.get("path")).toBe("P");
  });

  it("moving an unknown item fails, naming the known ones", () => {
    expect(thrown(() => importers().move("zip", "first")).message).toBe(
      "no importer named 'zip' (have: builtin, frozen, path)",
    );
  });

  it("a move that fails leaves the list as it was", () => {
    const list = importers();
    expect(() => list.move("frozen", { before: "zip" })).toThrow(
      "no importer named 'zip' (have: builtin, frozen, path)",
    );
    expect(list.names).toEqual(["builtin", "frozen", "path"]);
  });
});

describe("OrderedList: reorder", () => {
  it("takes a new order naming every item once", () => {
    const list = importers();
    expect(list.reorder(["path", "builtin", "frozen"])).toBe(list);
    expect(list.names).toEqual(["path", "builtin", "frozen"]);
    expect(list.items).toEqual(["P", "B", "F"]);
  });

  const bad: [string, string[]][] = [
    ["a missing item", ["path", "builtin"]],
    ["an unknown item", ["path", "builtin", "frozen", "zip"]],
    ["an unknown item instead of a known one", ["path", "builtin", "zip"]],
    ["an item twice", ["path", "builtin", "builtin"]],
    ["an item twice, one missing, same length", ["path", "path", "frozen"]],
    ["nothing", []],
  ];
  it.each(bad)("refuses %s, listing what it got and what there is", (_label, names) => {
    const list = importers();
    expect(thrown(() => list.reorder(names)).message).toBe(
      `reorder must name every importer once: got [${names.join(", ")}], have [builtin, frozen, path]`,
    );
    expect(list.names).toEqual(["builtin", "frozen", "path"]);
  });

  it("an empty list reorders to nothing", () => {
    expect(new OrderedList<number>("path hook").reorder([]).names).toEqual([]);
  });
});

describe("FileHookRegistry on OrderedList: the same rules for file hooks", () => {
  it("edits by name and refreshes the (suffix, hook) list finders read", () => {
    const env = { profile: loadProfile("cpython-3.11") } as LoaderEnvironment; // the hooks read only the suffixes
    const registry = new FileHookRegistry([sourceFileHook(env), sourcelessFileHook(env)]);
    expect(registry.suffixHooks.map((s) => s.suffix)).toEqual([".py", ".pyc"]);
    registry.move("bytecode", "first");
    expect(registry.names).toEqual(["bytecode", "source"]);
    expect(registry.suffixHooks.map((s) => s.suffix)).toEqual([".pyc", ".py"]);
    registry.reorder(["source", "bytecode"]);
    expect(registry.suffixHooks.map((s) => s.suffix)).toEqual([".py", ".pyc"]);
    expect(thrown(() => registry.reorder(["source"])).message).toBe(
      "reorder must name every file hook once: got [source], have [source, bytecode]",
    );
    expect(thrown(() => registry.addBefore("extension", sourceFileHook(env))).message).toBe(
      "there is already a file hook named 'source' (source, bytecode)",
    );
    registry.add({ ...sourceFileHook(env), name: "json", suffixes: [".json"] }, 1);
    expect(registry.names).toEqual(["source", "json", "bytecode"]);
    expect(registry.suffixHooks.map((s) => s.suffix)).toEqual([".py", ".json", ".pyc"]);
  });
});
