import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodeFormatError, SnapshotError } from "../../src/core/errors.js";
import { oneLine, parseJsonText } from "../../src/core/json-text.js";

describe("parseJsonText", () => {
  it("gives the value of valid JSON", () => {
    expect(parseJsonText('{"a": [1, null]}')).toEqual({ ok: true, value: { a: [1, null] } });
  });

  it("gives a one-line reason for invalid JSON, control characters escaped", () => {
    const parsed = parseJsonText("\u0000\n{");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toContain("\\x00\\x0a");
    expect(parsed.reason.split("\n")).toHaveLength(1);
  });

  it("never gives a reason holding a control character or a line separator", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const parsed = parseJsonText(text);
        if (!parsed.ok) expect(/[\p{Cc}\u2028\u2029]/u.test(parsed.reason)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe("oneLine", () => {
  it("escapes C0, DEL, C1 and the line separators, and keeps everything else", () => {
    expect(oneLine("a\tb\r\n\u007f\u0085\u2028\u2029é€")).toBe("a\\x09b\\x0d\\x0a\\x7f\\x85\\u2028\\u2029é€");
  });
});

describe("typed format errors keep their reasons on one line", () => {
  it("CodeFormatError and SnapshotError escape control characters and line separators of quoted data", () => {
    const code = new CodeFormatError("m.py", 'got "1\u007f2\u0085\u2028"');
    expect(code.reason).toBe('got "1\\x7f2\\x85\\u2028"');
    expect(code.message).toBe('m.py: bad compiled code: got "1\\x7f2\\x85\\u2028"');
    const snapshot = new SnapshotError("app.snapshot", "made for profile a\u0000b\nc", { name: "m" });
    expect(snapshot.reason).toBe("made for profile a\\x00b\\x0ac");
    expect(snapshot.message).toBe("app.snapshot: module m: made for profile a\\x00b\\x0ac");
  });
});
