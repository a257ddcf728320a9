/**
 * parseDosTime: zipimport's `_parse_dostime` (`time.mktime` of the DOS fields) as CPython computes it under
 * TZ=UTC, out-of-range fields (month 0, day 0, hour 31, minute 63, 62 seconds) normalised as mktime does.
 */
import { describe, expect, it } from "vitest";
import { parseDosTime } from "../../src/zip/dos-time.js";
import { PYTHON311, pythonJson } from "./support/python.js";
import { dosFields } from "./support/zip-writer.js";

/** Raw DOS fields, any value each field's bits can hold. */
function raw(year: number, month: number, day: number, hour: number, minute: number, halfSeconds: number) {
  return {
    date: (year << 9) | (month << 5) | day,
    time: (hour << 11) | (minute << 5) | halfSeconds,
  };
}

/** Every edge of every field, crossed with a few ordinary values, plus a deterministic spread of random ones. */
function samples(): { date: number; time: number }[] {
  const out: { date: number; time: number }[] = [];
  for (const year of [0, 20, 44, 127]) {
    for (const month of [0, 1, 2, 12, 13, 15]) {
      for (const day of [0, 1, 28, 29, 31]) out.push(raw(year, month, day, 12, 30, 15));
    }
  }
  for (const hour of [0, 23, 24, 31]) {
    for (const minute of [0, 59, 60, 63]) {
      for (const halfSeconds of [0, 29, 30, 31]) out.push(raw(43, 11, 14, hour, minute, halfSeconds));
    }
  }
  out.push(raw(44, 2, 29, 23, 59, 29)); // 2024-02-29 23:59:58
  out.push(raw(43, 2, 29, 0, 0, 0)); // 2023-02-29: March 1st
  out.push(raw(127, 15, 31, 31, 63, 31)); // every field at its maximum
  let seed = 0x2545f491;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 16;
  };
  for (let i = 0; i < 300; i++) out.push({ date: next(), time: next() });
  return out;
}

describe("parseDosTime", () => {
  it("reads the fields as UTC", () => {
    const { dosDate, dosTime } = dosFields(2023, 11, 14, 22, 13, 20);
    expect(parseDosTime(dosDate, dosTime)).toBe(1_700_000_000);
    expect(parseDosTime(dosFields(1980, 1, 1).dosDate, 0)).toBe(315_532_800);
    // Seconds are stored halved: an odd second reads as the even one below.
    expect(parseDosTime(dosDate, dosFields(2023, 11, 14, 22, 13, 21).dosTime)).toBe(1_700_000_000);
  });

  it("normalises out-of-range fields as mktime does", () => {
    const at = (...fields: Parameters<typeof raw>) => {
      const { date, time } = raw(...fields);
      return parseDosTime(date, time);
    };
    expect(at(20, 0, 1, 0, 0, 0)).toBe(944_006_400); // 2000-00-01: 1999-12-01
    expect(at(20, 1, 0, 0, 0, 0)).toBe(946_598_400); // 2000-01-00: 1999-12-31
    expect(at(20, 13, 1, 0, 0, 0)).toBe(978_307_200); // month 13: 2001-01-01
    expect(at(20, 15, 31, 31, 63, 31)).toBe(986_112_242);
    expect(at(0, 0, 0, 0, 0, 0)).toBe(312_768_000); // 1980-00-00: 1979-11-30
    expect(at(127, 15, 31, 31, 63, 31)).toBe(4_362_710_642);
  });

  it.skipIf(PYTHON311 === undefined)(
    "agrees with CPython's _parse_dostime (time.mktime, TZ=UTC) on edges and a random spread",
    () => {
      const cases = samples();
      const expected = pythonJson<number[]>(
        "import sys, json, zipimport\n" +
          "pairs = json.loads(sys.stdin.read())\n" +
          "print(json.dumps([zipimport._parse_dostime(d, t) for d, t in pairs]))",
        JSON.stringify(cases.map(({ date, time }) => [date, time])),
      );
      expect(cases.map(({ date, time }) => parseDosTime(date, time))).toEqual(expected);
    },
  );
});
