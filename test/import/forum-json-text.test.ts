// JSON positions: syntax errors name line and column, and array elements are found where they start.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ArchiveError } from "../../scripts/lib/archive/errors.ts";
import { ANY_INDEX, arrayElementOffsets, LineCounter, parseJson, pathKey, positionAt, syntaxErrorAt } from "../../scripts/lib/archive/json-text.ts";

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
    ["an unexpected token (Node gives no position)", '{"a":}', 1, 6, /unexpected token '\}'$/],
    ["a trailing comma in a list", "[1,\n 2,\n]", 3, 1, /unexpected token '\]'/],
    ["a bad literal on line 2", '[1,\n  {"x": tru}]', 2, 12, /unexpected token '\}'/],
    ["a missing comma", '{"a": 1\n "b": 2}', 2, 2, /expected ',' or '\}' after property value$/],
    ["a raw newline in a string", '{"a": "x\ny"}', 1, 9, /bad control character in string literal/],
    ["a trailing comma in an object", '{"a": 1,\n}', 2, 1, /expected double-quoted property name/],
    ["text cut short", '{"a": [1, 2', 1, 12, /: the JSON is cut short \(expected ',' or '\]' after array element\)$/],
    ["text cut short, blank lines after", '{"a": [1, 2\n\n\n', 1, 12, /the JSON is cut short/],
    ["text cut short in a string", '{"a": "b\n\n', 1, 9, /the JSON is cut short/],
    ["text cut short after a colon", '{"a":  ', 1, 6, /: the JSON is cut short$/],
    ["text after the value", '{"a": 1}\nx', 2, 1, /unexpected non-whitespace character after JSON/],
    ["single quotes", "{'a': 1}", 1, 2, /expected property name or '\}'/],
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

  test("in a large document the unexpected token is found where the quoted source repeats", () => {
    const element = '{"user": {"username": "u"}, "n": 1}';
    const text = `[\n${Array(5000).fill(element).join(",\n")},\n{"user": }, ${element}]`;
    const error = refusal(text);
    assert.deepEqual([error.line, error.column], [5002, 10]);
  });

  // The offset found for an unexpected token is the first one that makes the text fail so: the
  // shortest failing prefix ends with it, and the named token is there.
  test("property: an unexpected token's offset is the end of the shortest prefix that fails so", () => {
    const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v, null, 1) ?? "null");
    fc.assert(
      fc.property(json, fc.nat(), fc.constantFrom("}", "]", ",", ":", "x", "'", "\u00e9"), (text, at, inserted) => {
        const position = at % (text.length + 1);
        const broken = text.slice(0, position) + inserted + text.slice(position);
        let message: string;
        try {
          JSON.parse(broken);
          return;
        } catch (error) {
          message = (error as Error).message;
        }
        const { offset } = syntaxErrorAt(broken, message);
        assert.ok(offset >= 0 && offset <= broken.length, `offset ${offset}`);
        const token = /^Unexpected token '(.)'/su.exec(message)?.[1];
        if (token === undefined) return;
        assert.equal(broken[offset], token, `${JSON.stringify(broken)}: ${message}`);
        const failsSo = (n: number): boolean => {
          try {
            JSON.parse(broken.slice(0, n));
            return false;
          } catch (error) {
            return (error as Error).message.startsWith(`Unexpected token '${token}'`);
          }
        };
        assert.ok(failsSo(offset + 1) && !failsSo(offset), `${JSON.stringify(broken)} at ${offset}`);
      }),
      { numRuns: 400 },
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

  test("LineCounter agrees with positionAt, in any order of offsets", () => {
    const text = "a\n\nbc\nd\n";
    const counter = new LineCounter(text, 3);
    for (const offset of [0, 2, 4, 8, 1, 7, 3]) assert.deepEqual(counter.positionAt(offset), positionAt(text, offset, 3), `offset ${offset}`);
  });
});

describe("array element offsets", () => {
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
        const offsets = arrayElementOffsets(text, [[], [ANY_INDEX, "data", "comments", "results"]]);
        assert.deepEqual(offsets.get(pathKey([])), outer.starts);
        const pageStart = outer.starts.at(-1) ?? 0;
        assert.deepEqual(
          offsets.get(pathKey([top.length, "data", "comments", "results"])),
          inner.starts.map((s) => s + pageStart + before.length),
        );
      }),
      { numRuns: 300 },
    );
  });

  test("a key given twice counts as JSON.parse reads it: the last", () => {
    const text = '{"errors": [1, 2, 3], "errors": [ 4]}';
    assert.deepEqual(arrayElementOffsets(text, [["errors"]]).get(pathKey(["errors"])), [34]);
  });

  test("escaped keys are read as keys", () => {
    const text = '{"d\\u0061ta": {"comments": {"results": [{}, {}]}}}';
    assert.equal(arrayElementOffsets(text, [["data", "comments", "results"]]).get(pathKey(["data", "comments", "results"]))?.length, 2);
  });
});
