/** The examples the docs point to must run and print what the docs say. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

function runExample(file: string): string {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", new URL(`../../examples/${file}`, import.meta.url).pathname],
    {
      encoding: "utf8",
    },
  );
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return run.stdout;
}

describe("examples", () => {
  it("custom-importer.ts serves modules from a table ahead of the path", () => {
    expect(runExample("custom-importer.ts")).toBe("config 3\nfrom the table — table:greeting TableLoader\n");
  });

  it("snapshot.ts: freeze, serve, a stale module falls back, strict mode, the frozen table", () => {
    expect(runExample("snapshot.ts")).toBe(
      "frozen: main, shop, shop.cart, shop.prices\n" +
        "shop.cart: SnapshotImporter, origin /app/app.snapshot, __file__ /app/shop/cart.py\n" +
        "shop.prices: /app/shop/prices.py changed since the snapshot (mtime or size)\n" +
        "shop.prices: SourceFileLoader\n" +
        "strict: SnapshotStaleError\n" +
        "main: FrozenImporter, origin frozen, TITLE=shop\n" +
        "importing missing failed: ModuleNotFoundError: No module named 'missing'\n",
    );
  });

  it("custom-file-hook.ts imports a .json file through a new file hook", () => {
    expect(runExample("custom-file-hook.ts")).toBe("4 /site/settings.json JsonLoader\n");
  });

  it("isl-generator.ts imports calc and calc__skel from calc.isl in a directory and in a zip", () => {
    expect(runExample("isl-generator.ts")).toBe(
      "calc from /srv/lib/calc.isl [GeneratedModuleLoader]\n" +
        "calc__skel from /srv/lib/calc.isl [GeneratedModuleLoader]\n" +
        "INTERFACE = Calc Version = 2\n" +
        "cached: calc.isl.cpython-311.pyc\n" +
        "services.calc__skel from /srv/apps.zip/services/calc.isl [GeneratedModuleLoader]\n",
    );
  });

  it("env-generator.ts: a generator written from docs/generators.md, and its error", () => {
    expect(runExample("env-generator.ts")).toBe(
      "example.org 8080 GeneratedModuleLoader\n" +
        "ImportError: cannot generate 'bad' from '/app/bad.env': /app/bad.env: bad key \"x\"\n",
    );
  });

  it("docs/generators.md quotes the example verbatim", () => {
    const doc = readFileSync(new URL("../../docs/generators.md", import.meta.url), "utf8");
    const quoted = [...doc.matchAll(/<!-- from (examples\/[\w.-]+) -->\n```ts\n([\s\S]*?)```/g)];
    expect(quoted.length).toBeGreaterThan(0);
    for (const [, file, text] of quoted) {
      expect(readFileSync(new URL(`../../${file}`, import.meta.url), "utf8")).toContain(text);
    }
  });

  it("zipapp.ts imports from a #! zipapp and a directory inside it", () => {
    expect(runExample("zipapp.ts")).toBe(
      "hello from the zipapp /srv/tool.pyz/app/__init__.py\n" +
        "/srv/tool.pyz/vendor/six.py zipimporter\n" +
        '<zipimporter object "/srv/tool.pyz/"> true "from .greet import hello\\n"\n' +
        "import app\n",
    );
  });
});
