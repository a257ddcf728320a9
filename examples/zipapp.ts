/**
 * Zip import: a zipapp (a `#!` line, then a zip archive) and a directory inside it on the path, with the
 * zipimporter's loader methods. Run: node --import tsx examples/zipapp.ts
 */
import yazl from "yazl";
import { createImportSystem, MemFileSystem, type ZipImporter } from "../src/index.js";

/** A zip archive of `files` (stored), as `zipfile` or `zip -r` would write it. */
async function zipOf(files: Record<string, string>): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(files))
    zip.addBuffer(Buffer.from(text), name, { compress: false });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const archive = await zipOf({
  "__main__.py": "import app\n",
  "app/__init__.py": "from .greet import hello\n",
  "app/greet.py": "hello = 'hello from the zipapp'\n",
  "vendor/six.py": "VERSION = '1.16'\n",
});
// What `python -m zipapp` writes: an interpreter line, then the archive (CPython imports from it as is).
const zipapp = Buffer.concat([Buffer.from("#!/usr/bin/env python3\n"), archive]);

const fs = MemFileSystem.fromFiles({ "/srv/tool.pyz": zipapp });
const system = createImportSystem({ fs });
system.path.push("/srv/tool.pyz", "/srv/tool.pyz/vendor");

const app = await system.importModule("app");
console.log(String(app.getAttr("hello")), app.getAttr("__file__"));
const six = await system.importModule("six");
console.log(six.getAttr("__file__"), six.spec?.loaderKind);

// The path-importer cache holds the zipimporter of each entry; it is the modules' loader too.
const importer = system.sys.pathImporterCache.get("/srv/tool.pyz") as ZipImporter;
console.log(importer.toString(), importer.isPackage("app"), JSON.stringify(importer.getSource("app")));
console.log(new TextDecoder().decode(importer.getData("/srv/tool.pyz/__main__.py")).trim());
