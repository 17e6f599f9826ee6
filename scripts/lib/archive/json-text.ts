// JSON input with positions: JSON.parse makes the values; this finds the lines a message must name.
// No JSON library with positions is a dependency of the project, so positions come from V8's own
// parse errors and, for records, from an index of array elements over text JSON.parse has accepted.
import { ArchiveError } from "./errors.ts";

export interface Position {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units (as editors and compilers count). */
  readonly column: number;
}

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
  return message.replace(QUOTED_SOURCE, "").replace(/ in JSON at position \d+.*$/s, "");
}

/** The source V8 quotes around an unexpected token: the whole text, or a few characters either side with `...`. */
const QUOTED_SOURCE = /, (?:\.\.\.)?"(.*)"(?:\.\.\.)? is not valid JSON$/s;

/** Where a JSON text that JSON.parse refused goes wrong, and why, in words for a message. */
export function syntaxErrorAt(text: string, message: string): { offset: number; reason: string } {
  const kind = errorKind(message);
  const reason = kind.charAt(0).toLowerCase() + kind.slice(1);
  // Cut short: point just past the last thing there is, not at trailing blank lines.
  const end = text.trimEnd().length;
  const position = / at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return Number(position) >= end ? { offset: end, reason: `the JSON is cut short (${reason})` } : { offset: Number(position), reason };
  if (/^Unexpected end of JSON input/.test(message)) return { offset: end, reason: "the JSON is cut short" };
  return { offset: firstFailingOffset(text, kind, message), reason };
}

/**
 * Node 20 gives no position for an unexpected token. A prefix that stops before that token fails
 * differently (cut short) or not at all, and every longer one fails as the whole text does: the
 * shortest prefix failing that way ends with the token. Binary search, so a few parses of the text.
 */
function firstFailingOffset(text: string, kind: string, message: string): number {
  const failsSo = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      return error instanceof SyntaxError && errorKind(error.message) === kind;
    }
  };
  // Each parse costs up to the error's offset: first try where the quoted source is found (usually once), two parses each.
  const quoted = QUOTED_SOURCE.exec(message)?.[1];
  const token = /^Unexpected token '(.)'/su.exec(message)?.[1];
  if (quoted !== undefined && quoted !== "" && token !== undefined) {
    let tries = 0;
    for (let at = text.indexOf(quoted); at !== -1 && tries < 8; at = text.indexOf(quoted, at + 1)) {
      for (let j = quoted.indexOf(token); j !== -1 && tries < 8; j = quoted.indexOf(token, j + 1), tries++) {
        if (failsSo(at + j + token.length) && !failsSo(at + j)) return at + j;
      }
    }
  }
  let low = 1;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (failsSo(mid)) high = mid;
    else low = mid + 1;
  }
  return low - 1;
}

/** Any array index, in a JsonPattern. */
export const ANY_INDEX = -1;

/** A path from the document's top: object keys and array indexes (ANY_INDEX matches each index). */
export type JsonPath = readonly (string | number)[];

/** The key of a path in the map arrayElementOffsets returns. */
export function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

const WHITESPACE = /[ \t\n\r]*/y;
const SCALAR_END = /[,\]}\s]|$/g;
const CONTAINER_TOKEN = /["{}[\]]/g;

/**
 * The offsets where the elements of the arrays at `patterns` start, by pathKey of each array's
 * concrete path, in a text JSON.parse has accepted. Only containers on the way to a pattern are
 * entered; everything else is skipped by brackets and strings. A key given twice is indexed as
 * JSON.parse reads it: the last one counts.
 */
export function arrayElementOffsets(text: string, patterns: readonly JsonPath[]): Map<string, number[]> {
  const found = new Map<string, number[]>();
  const fits = (path: JsonPath, pattern: JsonPath): boolean =>
    path.length <= pattern.length && path.every((segment, k) => pattern[k] === segment || (pattern[k] === ANY_INDEX && typeof segment === "number"));
  let i = 0;
  const skipSpace = (): void => {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(text);
    i = WHITESPACE.lastIndex;
  };
  const visit = (path: (string | number)[]): void => {
    skipSpace();
    const open = text[i];
    if ((open !== "[" && open !== "{") || !patterns.some((p) => fits(path, p))) {
      i = valueEnd(text, i);
      return;
    }
    const close = open === "[" ? "]" : "}";
    let starts: number[] | undefined;
    if (open === "[" && patterns.some((p) => p.length === path.length && fits(path, p))) found.set(pathKey(path), (starts = []));
    i++;
    skipSpace();
    if (text[i] === close) {
      i++;
      return;
    }
    for (let index = 0; ; index++) {
      skipSpace();
      if (open === "[") {
        starts?.push(i);
        visit([...path, index]);
      } else {
        const end = stringEnd(text, i);
        const raw = text.slice(i + 1, end - 1);
        const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end)) as string) : raw;
        i = end;
        skipSpace();
        i++; // the colon
        visit([...path, key]);
      }
      skipSpace();
      if (text[i++] === close) return;
    }
  };
  visit([]);
  return found;
}

/** The offset just past the string starting at `start` (its opening quote). */
function stringEnd(text: string, start: number): number {
  for (let from = start + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The offset just past the value starting at `start`. */
function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first !== "{" && first !== "[") {
    SCALAR_END.lastIndex = start;
    return SCALAR_END.exec(text)?.index ?? text.length;
  }
  let depth = 0;
  CONTAINER_TOKEN.lastIndex = start;
  for (let match = CONTAINER_TOKEN.exec(text); match !== null; match = CONTAINER_TOKEN.exec(text)) {
    const token = match[0];
    if (token === '"') CONTAINER_TOKEN.lastIndex = stringEnd(text, match.index);
    else if (token === "{" || token === "[") depth++;
    else if (--depth === 0) return match.index + 1;
  }
  return text.length;
}

/** Line numbers of offsets asked for mostly in increasing order: each newline is counted about once. */
export class LineCounter {
  #offset = 0;
  #line: number;

  constructor(
    readonly text: string,
    readonly firstLine = 1,
  ) {
    this.#line = firstLine;
  }

  lineAt(offset: number): number {
    if (offset < this.#offset) {
      this.#offset = 0;
      this.#line = this.firstLine;
    }
    for (let at = this.text.indexOf("\n", this.#offset); at !== -1 && at < offset; at = this.text.indexOf("\n", at + 1)) this.#line++;
    this.#offset = offset;
    return this.#line;
  }

  positionAt(offset: number): Position {
    return { line: this.lineAt(offset), column: offset - (this.text.lastIndexOf("\n", offset - 1) + 1) + 1 };
  }
}
