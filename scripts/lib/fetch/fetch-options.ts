// `npm run fetch` options, checked: each bad value is an error that names the option.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { forumEndpoint } from "./forums.ts";
import { MAX_PAGE_SIZE, type UpdateMode } from "./fetch-user-comments.ts";

export interface FetchCliOptions {
  readonly userSlug: string;
  readonly endpoint: string;
  readonly outFile: string;
  readonly userAgent: string;
  readonly delayMs: number;
  readonly backoffMs: number;
  readonly retries: number;
  readonly timeoutMs: number;
  readonly pageSize: number;
  readonly mode: UpdateMode;
  readonly quiet: boolean;
}

export const FETCH_USAGE = `usage: npm run fetch -- --user SLUG [--forum lesswrong|eaforum|alignmentforum|URL] [--out FILE]
       [--contact EMAIL-OR-URL] [--delay SECONDS] [--backoff SECONDS] [--retries N] [--timeout SECONDS]
       [--page-size N] [--new-only | --full] [--quiet]`;

export function parseFetchOptions(argv: readonly string[]): FetchCliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      user: { type: "string" },
      forum: { type: "string", default: "lesswrong" },
      out: { type: "string" },
      contact: { type: "string" },
      delay: { type: "string", default: "0.5" },
      backoff: { type: "string", default: "2" },
      retries: { type: "string", default: "6" },
      timeout: { type: "string", default: "60" },
      "page-size": { type: "string", default: "100" },
      "new-only": { type: "boolean", default: false },
      full: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
    },
    allowPositionals: false,
  });
  const userSlug = values.user;
  if (userSlug === undefined || userSlug === "") throw new Error(`--user is required (the slug in the profile's URL, /users/<slug>)\n${FETCH_USAGE}`);
  // The slug names the default output file, so it may not walk out of archives/.
  if (!/^[\p{L}\p{N}_.-]+$/u.test(userSlug) || userSlug.startsWith(".")) throw new Error(`--user "${userSlug}" is not a profile slug (letters, digits, "-", "_", ".")`);
  const contact = values.contact?.trim();
  if (contact !== undefined && !/^[\x20-\x7e]+$/.test(contact)) throw new Error(`--contact must be printable ASCII (it goes into the User-Agent header), not "${values.contact}"`);
  if (values["new-only"] && values.full) throw new Error(`--new-only and --full exclude each other\n${FETCH_USAGE}`);
  return {
    userSlug,
    endpoint: forumEndpoint(values.forum ?? "lesswrong"),
    outFile: values.out ?? path.join("archives", `${userSlug}.json`),
    userAgent: userAgent(contact),
    delayMs: seconds("--delay", values.delay),
    backoffMs: seconds("--backoff", values.backoff),
    retries: wholeNumber("--retries", values.retries, 0, 100),
    timeoutMs: Math.max(1, seconds("--timeout", values.timeout)),
    pageSize: wholeNumber("--page-size", values["page-size"], 1, MAX_PAGE_SIZE),
    mode: values["new-only"] ? "new" : values.full ? "full" : "update",
    quiet: values.quiet ?? false,
  };
}

/** `Commentarium/<version> (…)`, with whom to contact when given: what the forum's operators see in their logs. */
export function userAgent(contact: string | undefined): string {
  return `Commentarium/${packageVersion()} (forum comment archiver${contact ? `; contact: ${contact}` : ""})`;
}

function packageVersion(): string {
  const manifest = new URL("../../../package.json", import.meta.url);
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown };
  return typeof version === "string" ? version : "unknown";
}

function seconds(option: string, value: string | undefined): number {
  const number = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isFinite(number) || number < 0) throw new Error(`${option} must be a number of seconds (0 or more), not "${value}"`);
  return Math.round(number * 1000);
}

function wholeNumber(option: string, value: string | undefined, min: number, max: number): number {
  const number = Number(value);
  if (value === undefined || !Number.isInteger(number) || number < min || number > max) throw new Error(`${option} must be a whole number from ${min} to ${max}, not "${value}"`);
  return number;
}
