import { cacheFromSource } from "../../src/core/cache-path.js";
import { loadProfile } from "../../src/core/profile.js";
import { extensionFileHook } from "../../src/hooks/extension-file-hook.js";
import { sourceFileHook } from "../../src/hooks/source-file-hook.js";
import { sourcelessFileHook } from "../../src/hooks/sourceless-file-hook.js";
import { testFileHook } from "./conformance.js";

const profile = loadProfile("cpython-3.11");

testFileHook("source (.py)", sourceFileHook, {
  loader: "SourceFileLoader",
  content: "X = 1\ndef f():\n    pass\n",
  cached: (path) => cacheFromSource(path, profile),
  load: { attrs: ["X", "f"] },
});

testFileHook("extension modules", extensionFileHook, {
  loader: "ExtensionFileLoader",
  content: new Uint8Array([0x7f, 0x45, 0x4c, 0x46]),
  cached: () => null,
  load: { attrs: [] },
});

testFileHook("sourceless bytecode (.pyc)", sourcelessFileHook, {
  loader: "SourcelessFileLoader",
  content: new Uint8Array(16),
  cached: (path) => path,
  // Sixteen zero bytes: CPython's SourcelessFileLoader rejects the magic number.
  load: { error: /^bad magic number in 'mod': b'\\x00\\x00\\x00\\x00'$/ },
});
