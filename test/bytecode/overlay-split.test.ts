/** The `overlay NAME` statement: splitting rules, names, errors, preserved line numbers. */
import { describe, expect, it } from "vitest";
import {
  type OverlayName,
  OverlaySyntaxError,
  overlayNameKey,
  overlayNameRepr,
  splitOverlaySource,
} from "../../src/bytecode/index.js";

const names = (src: string) => splitOverlaySource(src, "m.py").overlays.map((o) => o.name);
const error = (src: string): OverlaySyntaxError => {
  try {
    splitOverlaySource(src, "pkg/m.py");
  } catch (e) {
    expect(e).toBeInstanceOf(OverlaySyntaxError);
    return e as OverlaySyntaxError;
  }
  throw new Error("no error");
};

describe("splitOverlaySource", () => {
  it("splits module and overlays, keeping line numbers", () => {
    const src = "import os\nx = 1\noverlay lazy\ndef f():\n    return 2\noverlay other\ny = 3\n";
    const split = splitOverlaySource(src, "m.py");
    expect(split.module).toBe("import os\nx = 1\n\n\n\n\n\n");
    expect(split.overlays).toEqual([
      { name: "lazy", source: "\n\n\ndef f():\n    return 2\n\n\n", line: 3 },
      { name: "other", source: "\n\n\n\n\n\ny = 3\n", line: 6 },
    ]);
    for (const part of [split.module, ...split.overlays.map((o) => o.source)]) {
      expect(part.split("\n").length).toBe(src.split("\n").length);
    }
  });

  it("keeps CRLF / CR terminators and a source without overlays unchanged", () => {
    expect(splitOverlaySource("a = 1\r\nb = 2\r", "m.py")).toEqual({
      module: "a = 1\r\nb = 2\r",
      overlays: [],
    });
    const split = splitOverlaySource("a\r\noverlay x\r\nb\r\n", "m.py");
    expect(split.module).toBe("a\r\n\r\n\r\n");
    expect(split.overlays[0]!.source).toBe("\r\n\r\nb\r\n");
  });

  it("an overlay may be empty, and may be the first line", () => {
    const split = splitOverlaySource("overlay a\noverlay b", "m.py");
    expect(split.module).toBe("\n");
    expect(split.overlays.map((o) => [o.name, o.line, o.source])).toEqual([
      ["a", 1, "\n"],
      ["b", 2, "\n"],
    ]);
  });

  it("parses names: identifiers, strings, ints, tuples", () => {
    const cases: [string, OverlayName][] = [
      ["lazy", "lazy"],
      ["_x9", "_x9"],
      ["données", "données"],
      ["ﬁle", "file"], // NFKC, as Python normalises identifiers
      ["'a b'", "a b"],
      ['"q"', "q"],
      ["r'\\d'", "\\d"],
      ["'\\x41\\u00e9\\n\\101\\q'", "Aé\nA\\q"],
      ["'''tri'''", "tri"],
      ["'a' \"b\"", "ab"],
      ["u'u'", "u"],
      ["0", 0],
      ["00", 0],
      ["42", 42],
      ["1_000", 1000],
      ["0x1F", 31],
      ["0o17", 15],
      ["0b101", 5],
      ["123456789012345678901234567890", 123456789012345678901234567890n],
      ["lazy, attribute_name", ["lazy", "attribute_name"]],
      ["lazy,", ["lazy"]],
      ["(lazy, 3)", ["lazy", 3]],
      ["(lazy)", "lazy"],
      ["()", []],
      ["((a, b), 'c', 1)", [["a", "b"], "c", 1]],
      ["a, # comment\n", "a"], // the comment ends the line: `a,` would be a tuple
      ["x # trailing comment", "x"],
    ];
    for (const [text, name] of cases) {
      const got = names(`overlay ${text}\n`);
      if (text === "a, # comment\n") {
        expect(got).toEqual([["a"]]);
        continue;
      }
      expect(got, text).toEqual([name]);
    }
  });

  it("a name may span lines inside brackets or after a backslash", () => {
    const split = splitOverlaySource("overlay (a,\n  b)\nx = 1\noverlay c, \\\n  d\ny\n", "m.py");
    expect(split.overlays.map((o) => [o.name, o.line])).toEqual([
      [["a", "b"], 1],
      [["c", "d"], 4],
    ]);
    expect(split.overlays[0]!.source).toBe("\n\nx = 1\n\n\n\n");
    expect(split.overlays[1]!.source).toBe("\n\n\n\n\ny\n");
  });

  it("`overlay` as an ordinary variable is not the statement", () => {
    const src = [
      "overlay = 1",
      "overlay(x)",
      "overlay.attr = 2",
      "overlay[0] = 3",
      "overlay: int = 4",
      "overlay += 1",
      "overlay",
      "overlay -1",
      "overlay in xs",
      "overlay if c else d",
      "overlay is None",
      "overlay and b",
      "overlays x",
      "overlay_x = 1",
      "overlay # comment",
      "overlay, b = 1, 2",
      "overlay [a]",
      "overlay {a}",
    ].join("\n");
    expect(splitOverlaySource(src, "m.py")).toEqual({ module: src, overlays: [] });
  });

  it("lines inside strings, brackets, continuations and comments are not statements", () => {
    const src = [
      'doc = """',
      "overlay inside_triple",
      '"""',
      "s = '''x\\'''",
      "overlay still_inside",
      "'''",
      "xs = [",
      "overlay inside_bracket",
      "]",
      "d = {'a': (",
      "overlay nested",
      ")}",
      "t = 1 + \\",
      "overlay continued",
      "# overlay commented",
      "s = 'a\\",
      "overlay in_continued_string'",
      "b = r'\\' # overlay no'",
      "overlay real",
      "y = 1",
    ].join("\n");
    const split = splitOverlaySource(src, "m.py");
    expect(split.overlays.map((o) => [o.name, o.line])).toEqual([["real", 19]]);
    expect(split.module.split("\n").slice(0, 18)).toEqual(src.split("\n").slice(0, 18));
  });

  it("an unterminated one-line string does not swallow the next line", () => {
    expect(names("s = 'oops\noverlay a\n")).toEqual(["a"]);
  });

  it("ignores a BOM before line 1", () => {
    expect(names("\ufeffoverlay a\n")).toEqual(["a"]);
  });

  it("rejects indented statements", () => {
    const e = error("def f():\n    overlay lazy\n");
    expect(e.message).toBe("overlay lazy must be at module level (not indented) at pkg/m.py:2");
    expect([e.filename, e.line, e.reason]).toEqual([
      "pkg/m.py",
      2,
      "overlay lazy must be at module level (not indented)",
    ]);
    expect(error("if x:\n\toverlay 'a'\n").line).toBe(2);
    expect(error("class C:\n  overlay (a, b)\n").line).toBe(2);
    // An indented variable named overlay is fine.
    expect(names("def f():\n    overlay = 1\n    overlay(2)\n")).toEqual([]);
  });

  it("rejects a name used twice (equal under Python ==)", () => {
    expect(error("overlay a\nx\noverlay a\n").message).toBe(
      "overlay 'a' defined twice (first at line 1) at pkg/m.py:3",
    );
    expect(error("overlay 'a', 1\noverlay (a, 0x1)\n").message).toBe(
      "overlay ('a', 1) defined twice (first at line 1) at pkg/m.py:2",
    );
    expect(names("overlay 1\noverlay '1'\noverlay (1,)\n")).toEqual([1, "1", [1]]);
  });

  it("rejects reserved names", () => {
    for (const n of ["__init__", "'__x'", "__"]) {
      expect(error(`overlay ${n}\n`).message).toBe(
        "overlay names beginning with '__' are reserved at pkg/m.py:1",
      );
    }
    expect(names("overlay _x\noverlay ('__x',)\n")).toEqual(["_x", ["__x"]]);
  });

  it("rejects invalid names", () => {
    for (const text of [
      "1.5",
      "1e3",
      "2j",
      "09",
      "1abc",
      "b'x'",
      "f'x'",
      "'\\N{BULLET}'",
      "a b",
      "a;",
      "(a",
      "(a,))",
      "'open",
      "a.b",
      "x = 1",
      "(None)",
      "a, True",
      "(,)",
    ]) {
      const e = error(`x\noverlay ${text}\n`);
      expect(e.message, text).toBe("invalid overlay name at pkg/m.py:2");
    }
  });

  it("overlayNameKey is Python equality; overlayNameRepr is Python repr", () => {
    expect(overlayNameKey(5)).toBe(overlayNameKey(5n));
    expect(overlayNameKey(5)).not.toBe(overlayNameKey("5"));
    expect(overlayNameKey(["a", 1])).toBe(overlayNameKey(["a", 1n]));
    expect(overlayNameKey(["a"])).not.toBe(overlayNameKey("a"));
    expect(overlayNameKey([["a"], "b"])).not.toBe(overlayNameKey(["a", "b"]));
    expect(overlayNameRepr("lazy")).toBe("'lazy'");
    expect(overlayNameRepr("it's")).toBe('"it\'s"');
    expect(overlayNameRepr(["lazy", "x"])).toBe("('lazy', 'x')");
    expect(overlayNameRepr(["one"])).toBe("('one',)");
    expect(overlayNameRepr([])).toBe("()");
    expect(overlayNameRepr([1, [2n, "z"]])).toBe("(1, (2, 'z'))");
    expect(() => overlayNameKey(null)).toThrow(TypeError);
    expect(() => overlayNameKey(1.5)).toThrow(TypeError);
  });
});
