// Reads and validates the export's ISO 8601 UTC timestamps (`postedAt`).
import { DateTime } from "luxon";

/** The shape of a timestamp in a header line; whether it is a real instant is checked separately. */
export const TIMESTAMP_PATTERN = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z`;

/**
 * The canonical form (`YYYY-MM-DDTHH:mm:ss.SSSZ`) of a timestamp, or undefined when it
 * names no real instant (month 13, 25 o'clock, 30 February...).
 */
export function canonicalInstant(text: string): string | undefined {
  const parsed = DateTime.fromISO(text, { zone: "utc", setZone: true });
  if (!parsed.isValid) return undefined;
  // Luxon accepts `24:00:00` as the next midnight; a real export never writes it.
  const [, time = ""] = text.split("T");
  if (time.startsWith("24")) return undefined;
  return parsed.toUTC().toISO({ suppressMilliseconds: false, includeOffset: false }) + "Z";
}
