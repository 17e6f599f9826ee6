// JSON positions: syntax errors name line and column, and array elements are found where they start.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ArchiveError } from "../../scripts/lib/archive/errors.ts";
import { ANY_INDEX, arrayElementPositions, parseJson, pathKey, positionAt, strictJsonError, syntaxErrorAt } from "../../scripts/lib/archive/json-text.ts";

function refusal(text: string, firstLine = 1): ArchiveError {
  try {
    parseJson(text, "x.json", firstLine);
  } catch (error) {
    assert.ok(error instanceof ArchiveError, String(error));
    return error;
  }
  assert.fail("accepted");
}

describe("syntax errors", () => {
  const cases: [string, string, number, number, RegExp][] = [
    ["an unexpected token (Node gives no position)", '{"a":}', 1, 6, /: unexpected token '\}'$/],
    ["a trailing comma in a list", "[1,\n 2,\n]", 3, 1, /: unexpected token '\]'$/],
    ["a broken literal (V8 names the token after it)", '[1,\n  {"x": tru}]', 2, 9, /: invalid symbol$/],
    ["a broken literal before a comma", "[nul, 1]", 1, 2, /: invalid symbol$/],
    ["a missing comma", '{"a": 1\n "b": 2}', 2, 2, /: expected ',' or '\}' after property value$/],
    ["a raw newline in a string", '{"a": "x\ny"}', 1, 9, /: bad control character in string literal$/],
    ["a bad escape", '["a\\\\b\\qc"]', 1, 8, /: bad escaped character$/],
    ["a trailing comma in an object", '{"a": 1,\n}', 2, 1, /: expected double-quoted property name$/],
    ["a line comment", '{"a": 1 // why\n}', 1, 9, /: expected ',' or '\}' after property value$/],
    ["a block comment", "[1, /* why */ 2]", 1, 5, /: unexpected token '\/'$/],
    ["NaN", "[NaN]", 1, 2, /: unexpected token 'N'$/],
    ["whitespace JSON does not allow", "[1,\u00a02]", 1, 4, /: unexpected token '\u00a0'$/],
    ["a byte order mark", "\uFEFF[1]", 1, 1, /: unexpected token '\uFEFF'$/],
    ["text cut short", '{"a": [1, 2', 1, 12, /: the JSON is cut short \(expected ',' or '\]' after array element\)$/],
    ["text cut short, blank lines after", '{"a": [1, 2\n\n\n', 1, 12, /: the JSON is cut short \(/],
    ["text cut short in a string", '{"a": "b\n\n', 1, 9, /: the JSON is cut short \(/],
    ["text cut short after a colon", '{"a":  ', 1, 6, /: the JSON is cut short$/],
    ["no text", " \n", 1, 1, /: the JSON is cut short$/],
    ["text after the value", '{"a": 1}\nx', 2, 1, /: unexpected non-whitespace character after JSON$/],
    ["single quotes", "{'a': 1}", 1, 2, /: expected property name or '\}'$/],
  ];
  for (const [name, text, line, column, reason] of cases) {
    test(`${name}: ${line}:${column}`, () => {
      const error = refusal(text);
      assert.equal(error.line, line);
      assert.equal(error.column, column);
      assert.match(error.message, new RegExp(`^x\\.json:${line}:${column}: not valid JSON: `));
      assert.match(error.message, reason);
    });
  }

  test("a line of NDJSON is numbered from where it is in the file", () => {
    const error = refusal('{"a": }', 7);
    assert.deepEqual([error.line, error.column], [7, 7]);
    assert.equal(error.message, "x.json:7:7: not valid JSON: unexpected token '}'");
  });

  test("the message does not quote the document (V8 quotes up to the whole text)", () => {
    const error = refusal(`[${'"long text",'.repeat(1000)} }]`);
    assert.ok(error.message.length < 100, error.message);
  });

  test("in a large document an unexpected token is found where it is", () => {
    const element = '{"user": {"username": "u"}, "n": 1}';
    const text = `[\n${Array(5000).fill(element).join(",\n")},\n{"user": }, ${element}]`;
    const error = refusal(text);
    assert.deepEqual([error.line, error.column], [5002, 10]);
  });

  test("nesting deeper than jsonc-parser recurses is refused with a message, not a stack overflow", () => {
    const error = refusal(`${"[".repeat(100_000)}}`);
    assert.match(error.message, /^x\.json:1:1: not valid JSON: nested too deeply/);
  });

  // A piece inserted anywhere, or half the time just after the last value of a list or object.
  const broken = (inserted: readonly string[]) =>
    fc
      .tuple(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v, null, 1) ?? "null"), fc.nat(), fc.boolean(), fc.constantFrom(...inserted))
      .map(([text, at, beforeClose, piece]) => {
        const lasts = [...text.matchAll(/\s*[\]}]/g)].map((m) => m.index);
        const position = beforeClose && lasts.length > 0 ? (lasts[at % lasts.length] ?? 0) : at % (text.length + 1);
        return { text: text.slice(0, position) + piece + text.slice(position), position };
      });
  /** JSON.parse's message for a text it refuses. */
  const refuses = (text: string): string | undefined => {
    try {
      JSON.parse(text);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };

  // jsonc-parser is told to refuse comments and trailing commas; what else it accepts must be strict JSON too.
  test("property: jsonc-parser finds an error in exactly the texts JSON.parse refuses", () => {
    const pieces = ["}", "]", "{", "[", ",", ":", '"', "\\", "x", "'", "/", "//", "/**/", "*", "-", ".", "0", "e", "+", "\t", "\n", "\r", "\u000b", "\f", "\u00a0", "\uFEFF", "\u2028", "\u0000", "\u00e9", "tru", "NaN"];
    fc.assert(
      fc.property(broken(pieces), ({ text }) => {
        assert.equal(strictJsonError(text) !== undefined, refuses(text) !== undefined, JSON.stringify(text));
      }),
      { numRuns: 1000 },
    );
  });

  // The text before an inserted piece is valid so far: the error is not placed before the piece,
  // nor before the word or number it joins. A piece that is no JSON token is itself the error.
  test("property: an inserted piece's error is placed at it, or at the word it joins, or after it", () => {
    // ("/" is left out of those: after a backslash it makes a valid escape.)
    const foreign = ["x", "'", "\u00e9", "\u00a0"];
    fc.assert(
      fc.property(broken([...foreign, "/", "}", "]", ",", ":", "-", ".", "0", "e", "\t", "\n"]), ({ text, position }) => {
        const message = refuses(text);
        if (message === undefined) return;
        const found = syntaxErrorAt(text, message);
        const word = /[^\s{}[\]":,/]*$/.exec(text.slice(0, position))?.[0].length ?? 0;
        const where = `${JSON.stringify(text)}: ${found.offset} (${found.reason}), inserted at ${position}`;
        assert.ok(found.offset >= position - word, where);
        if (foreign.includes(text.charAt(position))) assert.ok(found.offset <= position, where);
        const named = /^unexpected token '(.)'/su.exec(found.reason)?.[1];
        if (named !== undefined) assert.ok(text.startsWith(named, found.offset), where);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("positions", () => {
  test("lines and columns are 1-based; a column counts UTF-16 units", () => {
    const text = "ab\ncd😀e\n\nf";
    assert.deepEqual(positionAt(text, 0), { line: 1, column: 1 });
    assert.deepEqual(positionAt(text, 3), { line: 2, column: 1 });
    assert.deepEqual(positionAt(text, 7), { line: 2, column: 5 });
    assert.deepEqual(positionAt(text, 10), { line: 4, column: 1 });
    assert.deepEqual(positionAt(text, 2, 5), { line: 5, column: 3 });
  });
});

describe("array element positions", () => {
  // Strings that would fool a scanner that does not read strings: quotes, backslashes, brackets.
  const tricky = fc.oneof(fc.string(), fc.constantFrom('"', "\\", '\\"', "[", "]", "{", "}", ",", '"]}', "\\\\", "\n"));
  const value = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, tricky, fc.integer(), fc.constant(null), fc.boolean(), fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(tricky, tie("value"), { maxKeys: 3 })),
  })).value;
  const space = fc.constantFrom("", " ", "\n", "\n  ", "\t");

  /** Elements written with random whitespace, and where each starts. */
  function listOf(elements: unknown[], spaces: string[]): { text: string; starts: number[] } {
    let text = "[";
    const starts: number[] = [];
    elements.forEach((element, i) => {
      text += (i === 0 ? "" : ",") + (spaces[i % spaces.length] ?? "");
      starts.push(text.length);
      text += JSON.stringify(element, null, i % 3);
    });
    return { text: `${text}${spaces[0] ?? ""}]`, starts };
  }

  test("property: the elements of a top-level list and of pages' results", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 5 }), fc.array(value, { maxLength: 5 }), fc.array(space, { minLength: 1, maxLength: 4 }), tricky, (top, results, spaces, key) => {
        const inner = listOf(results, spaces);
        const before = `{${spaces[0]}${JSON.stringify(key === "data" ? "other" : key)}: ${JSON.stringify(results)},${spaces.at(-1)}"data": {"x": [[{"results": 1}]], "comments": {"results": `;
        const page = `${before}${inner.text}}}}`;
        const outer = listOf([...top, 0], spaces);
        const text = `${outer.text.slice(0, outer.starts.at(-1))}${page}${outer.text.slice((outer.starts.at(-1) ?? 0) + 1)}`;
        JSON.parse(text);
        const positions = arrayElementPositions(text, [[], [ANY_INDEX, "data", "comments", "results"]], 3);
        const at = (offset: number) => positionAt(text, offset, 3);
        assert.deepEqual(positions.get(pathKey([])), outer.starts.map(at));
        const pageStart = outer.starts.at(-1) ?? 0;
        assert.deepEqual(
          positions.get(pathKey([top.length, "data", "comments", "results"])),
          inner.starts.map((s) => at(s + pageStart + before.length)),
        );
      }),
      { numRuns: 300 },
    );
  });

  test("a key given twice counts as JSON.parse reads it: the last", () => {
    const text = '{"errors": [1, 2, 3], "errors": [ 4]}';
    assert.deepEqual(arrayElementPositions(text, [["errors"]]).get(pathKey(["errors"])), [{ line: 1, column: 35 }]);
  });

  test("escaped keys are read as keys", () => {
    const text = '{"d\\u0061ta": {"comments": {"results": [{}, {}]}}}';
    assert.equal(arrayElementPositions(text, [["data", "comments", "results"]]).get(pathKey(["data", "comments", "results"]))?.length, 2);
  });

  test("an element nested 100,000 deep is passed over, and the elements after it are indexed", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const text = `[1,\n${deep},\r\n2]`;
    JSON.parse(text);
    assert.deepEqual(arrayElementPositions(text, [[]]).get(pathKey([])), [
      { line: 1, column: 2 },
      { line: 2, column: 1 },
      { line: 3, column: 1 },
    ]);
  });
});
