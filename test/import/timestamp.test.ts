// Timestamps: a header's instant is accepted exactly when it is a real one, and always written the same way.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { canonicalInstant } from "../../scripts/lib/archive/timestamp.ts";

/** The oracle: Date's own calendar, where an unreal instant rolls over and so does not survive a round trip. */
function byDate(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/.exec(text);
  if (match === null) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, Number((match[7] ?? "").padEnd(3, "0").slice(0, 3))));
  date.setUTCFullYear(y, mo - 1, d);
  const same = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  return same ? date.toISOString() : undefined;
}

const digits = (n: number, max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, "0"));

describe("canonicalInstant", () => {
  test("known instants and non-instants", () => {
    assert.equal(canonicalInstant("2021-06-19T15:54:32.790Z"), "2021-06-19T15:54:32.790Z");
    assert.equal(canonicalInstant("2020-01-15T10:00:00Z"), "2020-01-15T10:00:00.000Z");
    assert.equal(canonicalInstant("2020-01-15T10:00:00.5Z"), "2020-01-15T10:00:00.500Z");
    assert.equal(canonicalInstant("2020-01-15T10:00:00.123456789Z"), "2020-01-15T10:00:00.123Z");
    assert.equal(canonicalInstant("2024-02-29T00:00:00.000Z"), "2024-02-29T00:00:00.000Z");
    assert.equal(canonicalInstant("0000-02-29T00:00:00.000Z"), "0000-02-29T00:00:00.000Z");
    for (const bad of ["2023-02-29T00:00:00.000Z", "1900-02-29T00:00:00.000Z", "2021-13-01T00:00:00.000Z", "2021-00-01T00:00:00.000Z", "2021-04-31T00:00:00.000Z", "2021-01-01T24:00:00.000Z", "2021-01-01T00:60:00.000Z", "2021-01-01T00:00:60.000Z", "2021-01-01 00:00:00Z"]) {
      assert.equal(canonicalInstant(bad), undefined, bad);
    }
  });

  test("property: agrees with Date's calendar on every shape of timestamp, real or not", () => {
    const timestamp = fc
      .tuple(digits(4, 9999), digits(2, 19), digits(2, 39), digits(2, 29), digits(2, 69), digits(2, 69), fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }))
      .map(([y, mo, d, h, mi, s, f]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f === undefined ? "" : `.${f}`}Z`);
    fc.assert(fc.property(timestamp, (text) => assert.equal(canonicalInstant(text), byDate(text), text)), { numRuns: 20_000 });
  });
});
