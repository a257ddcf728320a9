/**
 * decodeCp437: names without the UTF-8 flag, as zipimport decodes them (ASCII, else latin-1 through
 * `cp437_table`). The whole table is checked against CPython's.
 */
import { describe, expect, it } from "vitest";
import { decodeCp437 } from "../../src/zip/cp437.js";
import { PYTHON311, pythonJson } from "./support/python.js";

const ALL = Uint8Array.from({ length: 256 }, (_, i) => i);

describe("decodeCp437", () => {
  it("leaves ASCII names as they are (control characters included)", () => {
    expect(decodeCp437(new TextEncoder().encode("pkg/mod.py"))).toBe("pkg/mod.py");
    expect(decodeCp437(ALL.subarray(0, 128))).toBe(String.fromCharCode(...ALL.subarray(0, 128)));
    expect(decodeCp437(new Uint8Array(0))).toBe("");
  });

  it("maps the upper half through code page 437", () => {
    expect(decodeCp437(Uint8Array.of(0x63, 0x61, 0x66, 0x82))).toBe("café");
    expect(decodeCp437(Uint8Array.of(0x80, 0x9e, 0xb0, 0xe1, 0xfe, 0xff))).toBe("Ç₧░ß■\u00a0");
    // One character per byte: the string is as long as the name.
    expect(decodeCp437(ALL).length).toBe(256);
  });

  it.skipIf(PYTHON311 === undefined)("agrees with CPython's zipimport table on every byte", () => {
    const [table, mixed] = pythonJson<[string, string]>(
      "import json, zipimport\n" +
        "t = bytes(range(256)).decode('latin1').translate(zipimport.cp437_table)\n" +
        "m = b'caf\\x82/\\x94\\x9b.py'.decode('latin1').translate(zipimport.cp437_table)\n" +
        "print(json.dumps([t, m]))",
    );
    expect(decodeCp437(ALL)).toBe(table);
    expect(decodeCp437(Uint8Array.of(0x63, 0x61, 0x66, 0x82, 0x2f, 0x94, 0x9b, 0x2e, 0x70, 0x79))).toBe(
      mixed,
    );
  });
});
