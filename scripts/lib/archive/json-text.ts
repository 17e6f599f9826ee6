// JSON input with positions: JSON.parse makes the values (several times faster than jsonc-parser's
// parse on large files); jsonc-parser finds the errors Node 20 gives no position for; one pass finds where array elements start.
import { printParseErrorCode, visit, type ParseError, type ParseErrorCode, type ParseOptions } from "jsonc-parser";
import { ArchiveError } from "./errors.ts";

export interface Position {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units (as editors and compilers count). */
  readonly column: number;
}

/** jsonc-parser reads JSON with comments and trailing commas unless told not to. */
const STRICT: ParseOptions = { allowTrailingComma: false, disallowComments: true };

/** Line and column of `offset` in `text`, whose lines end at `\n`; `firstLine` is the line `text` starts on. */
export function positionAt(text: string, offset: number, firstLine = 1): Position {
  let line = firstLine;
  for (let at = text.indexOf("\n"); at !== -1 && at < offset; at = text.indexOf("\n", at + 1)) line++;
  return { line, column: offset - (text.lastIndexOf("\n", offset - 1) + 1) + 1 };
}

/**
 * JSON.parse, whose SyntaxError becomes an ArchiveError naming file, line and column. `firstLine`
 * is the file line `text` starts on (a line of NDJSON).
 */
export function parseJson(text: string, file: string, firstLine = 1): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw jsonSyntaxError(error, text, file, firstLine);
  }
}

/** JSON.parse's SyntaxError for `text` as an ArchiveError naming file, line and column; any other error as it is. */
export function jsonSyntaxError(error: unknown, text: string, file: string, firstLine = 1): unknown {
  if (!(error instanceof SyntaxError)) return error;
  const { offset, reason } = syntaxErrorAt(text, error.message);
  return new ArchiveError(`not valid JSON: ${reason}`, { file, ...positionAt(text, offset, firstLine) });
}

/** What V8 says, without the position and the quoted source it adds ("Unexpected token '}', "{"a":}" is not valid JSON"). */
function errorKind(message: string): string {
  return message.replace(QUOTED_SOURCE, "").replace(/ (?:in JSON )?at position \d+.*$/s, "");
}

/** The source V8 quotes around an unexpected token: the whole text, or a few characters either side with `...`. */
const QUOTED_SOURCE = /, (?:\.\.\.)?"(.*)"(?:\.\.\.)? is not valid JSON$/s;

/** Where a JSON text that JSON.parse refused goes wrong, and why, in words for a message. */
export function syntaxErrorAt(text: string, message: string): { offset: number; reason: string } {
  const kind = errorKind(message);
  const reason = kind.charAt(0).toLowerCase() + kind.slice(1);
  const position = / at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return cutShort(text, Number(position), reason);
  if (/^Unexpected end of JSON input/.test(message)) return { offset: text.trimEnd().length, reason: "the JSON is cut short" };
  // Node 20 gives no position for an unexpected token: jsonc-parser finds it.
  const found = strictJsonError(text);
  if (found === undefined) return { offset: 0, reason };
  const token = /^Unexpected token '(.)'/su.exec(message)?.[1];
  // V8 names the token after a broken word ("tru]": ']'), where jsonc-parser points at the word and says why.
  return token !== undefined && text.startsWith(token, found.offset) ? { offset: found.offset, reason } : found;
}

/** Cut short: point just past the last thing there is, not at trailing blank lines. */
function cutShort(text: string, offset: number, reason: string): { offset: number; reason: string } {
  const end = text.trimEnd().length;
  return offset < end ? { offset, reason } : { offset: end, reason: `the JSON is cut short (${reason})` };
}

const STOP = Symbol("first error found");

/** Where jsonc-parser finds a text first stops being strict JSON, and why; undefined if it is strict JSON. */
export function strictJsonError(text: string): { offset: number; reason: string } | undefined {
  const errors: ParseError[] = [];
  try {
    const onError = (error: ParseErrorCode, offset: number, length: number): never => {
      errors.push({ error, offset, length });
      throw STOP;
    };
    visit(text, { onError }, STRICT);
  } catch (error) {
    // jsonc-parser recurses once per level of nesting.
    if (error instanceof RangeError) return { offset: 0, reason: "nested too deeply to find where it goes wrong" };
    if (error !== STOP) throw error;
  }
  const first = errors[0];
  if (first === undefined) return undefined;
  // "InvalidSymbol" as "invalid symbol"
  return { offset: first.offset, reason: printParseErrorCode(first.error).replace(/(?<=[a-z])(?=[A-Z])/g, " ").toLowerCase() };
}

/** Any array index, in a JsonPattern. */
export const ANY_INDEX = -1;

/** A path from the document's top: object keys and array indexes (ANY_INDEX matches each index). */
export type JsonPath = readonly (string | number)[];

/** The key of a path in the map arrayElementPositions returns. */
export function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

/**
 * Where the elements of the arrays at `patterns` start, by pathKey of each array's concrete path,
 * in a text JSON.parse has accepted; `firstLine` is the line `text` starts on. A key given twice is
 * indexed as JSON.parse reads it: the last one counts. The text is valid JSON, so one pass that
 * follows brackets and strings finds them; what cannot lead to a pattern is skipped bracket by bracket.
 */
export function arrayElementPositions(text: string, patterns: readonly JsonPath[], firstLine = 1): Map<string, Position[]> {
  const found = new Map<string, Position[]>();
  const fits = (path: JsonPath, whole: boolean): boolean =>
    patterns.some(
      (pattern) =>
        (whole ? path.length === pattern.length : path.length <= pattern.length) &&
        path.every((segment, k) => pattern[k] === segment || (pattern[k] === ANY_INDEX && typeof segment === "number")),
    );
  interface Open {
    readonly path: JsonPath;
    readonly isArray: boolean;
    /** For an indexed array, where its elements start. */
    readonly starts: Position[] | undefined;
    index: number;
    key: string | undefined;
  }
  const open: Open[] = [];
  let line = 0;
  let lineStart = 0;
  /** The index just past the string starting at `at` (a quote); JSON strings hold no raw line break. */
  const stringEnd = (at: number): number => {
    let end = text.indexOf('"', at + 1);
    for (;;) {
      // Unterminated (only text JSON.parse refused): the rest of the text.
      if (end === -1) return text.length;
      let slashes = 0;
      while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) return end + 1;
      end = text.indexOf('"', end + 1);
    }
  };
  /** The index just past the container opening at `at`, counting the lines in it. */
  const containerEnd = (at: number): number => {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) i = stringEnd(i) - 1;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (--depth === 0) return i + 1;
      } else if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        line++;
        lineStart = i + 1;
      }
    }
    return text.length;
  };
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 44 || c === 58) {
      i++;
      continue;
    }
    const parent = open.at(-1);
    if (c === 125 || c === 93) {
      open.pop();
      i++;
      continue;
    }
    // A key: the next value's name in its object.
    if (c === 34 && parent !== undefined && !parent.isArray && parent.key === undefined) {
      const end = stringEnd(i);
      parent.key = JSON.parse(text.slice(i, end)) as string;
      i = end;
      continue;
    }
    // A value starts here.
    parent?.starts?.push({ line: firstLine + line, column: i - lineStart + 1 });
    const segment = parent === undefined ? undefined : parent.isArray ? parent.index++ : parent.key;
    if (parent !== undefined && !parent.isArray) parent.key = undefined;
    if (c === 123 || c === 91) {
      const path = segment === undefined ? [] : [...(parent?.path ?? []), segment];
      if (!fits(path, false)) {
        i = containerEnd(i);
        continue;
      }
      const isArray = c === 91;
      const starts = isArray && fits(path, true) ? [] : undefined;
      if (starts !== undefined) found.set(pathKey(path), starts);
      open.push({ path, isArray, starts, index: 0, key: undefined });
      i++;
      continue;
    }
    // A literal: a string, or a number, true, false or null up to the next delimiter.
    if (c === 34) i = stringEnd(i);
    else {
      let d = text.charCodeAt(i);
      while (i < text.length && d !== 44 && d !== 93 && d !== 125 && d !== 32 && d !== 9 && d !== 10 && d !== 13) d = text.charCodeAt(++i);
    }
  }
  return found;
}
