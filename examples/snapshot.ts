/**
 * Snapshots: freeze what an application imports into one file, then start it from that file. A module is
 * served from the snapshot while its file is unchanged; after an edit it comes from the path again (or,
 * in strict mode, the import fails). The frozen table is the same code built into the program.
 * Run: node --import tsx examples/snapshot.ts
 */
import {
  createImportSystem,
  decodeSnapshot,
  FreezeError,
  freeze,
  frozenDefinitions,
  frozenModules,
  MemFileSystem,
  SnapshotStaleError,
  snapshot,
} from "../src/index.js";

const fs = MemFileSystem.fromFiles({
  "/app/main.py": "from shop import cart\nTITLE = 'shop'\n",
  "/app/shop/__init__.py": "'''The shop.'''\n",
  "/app/shop/cart.py": "from .prices import PRICES\nITEMS = ['tea', 'milk']\n",
  "/app/shop/prices.py": "PRICES = {'tea': 3.5, 'milk': 1.2}\n",
});

// 1. Freeze: import the entry once, snapshot every module that ran.
const frozen = await freeze({ fs, path: ["/app"], entries: ["main"] });
fs.writeFile("/app/app.snapshot", frozen.data);
console.log(`frozen: ${frozen.frozen.join(", ")}`);

// 2. Start from the snapshot: it is first in the importer list.
const started = createImportSystem({ fs, plugins: [snapshot("/app/app.snapshot")] });
started.path.push("/app");
const cart = await started.importModule("shop.cart");
console.log(`shop.cart: ${cart.spec?.loaderKind}, origin ${cart.spec?.origin}, __file__ ${cart.file}`);

// 3. Edit a module: it is no longer served from the snapshot; the trace says why.
fs.writeFile("/app/shop/prices.py", new TextEncoder().encode("PRICES = {'tea': 4.0}\n"));
const after = createImportSystem({ fs, plugins: [snapshot("/app/app.snapshot")] });
after.path.push("/app");
after.events.on((event) => {
  if (event.type === "snapshot" && event.action !== "served") console.log(`${event.name}: ${event.reason}`);
});
const prices = await after.importModule("shop.prices");
console.log(`shop.prices: ${prices.spec?.loaderKind}`);

// 4. Strict mode: the changed module fails instead.
const strict = createImportSystem({ fs, plugins: [snapshot("/app/app.snapshot", { strict: true })] });
strict.path.push("/app");
try {
  await strict.importModule("shop.prices");
} catch (error) {
  if (!(error instanceof SnapshotStaleError)) throw error;
  console.log(`strict: ${error.name}`);
}

// 5. The same code as a frozen table, needing no file at all (what `freeze --format ts` writes out).
const table = frozenDefinitions(decodeSnapshot(frozen.data, "/app/app.snapshot"));
const builtIn = createImportSystem({ fs: MemFileSystem.fromFiles({}), plugins: [frozenModules(table)] });
const main = await builtIn.importModule("main");
console.log(`main: ${main.spec?.loaderKind}, origin ${main.spec?.origin}, TITLE=${main.getAttr("TITLE")}`);

// A failing entry is reported, naming it.
try {
  await freeze({ fs, path: ["/app"], entries: ["missing"] });
} catch (error) {
  if (!(error instanceof FreezeError)) throw error;
  console.log(error.message);
}
