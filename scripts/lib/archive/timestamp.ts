// Reads and validates the export's ISO 8601 UTC timestamps (`postedAt`).

/** The shape of a timestamp in a header line; whether it is a real instant is checked separately. */
export const TIMESTAMP_PATTERN = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z`;

const PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Proleptic Gregorian, as Date is: years 0-99 and 1582 included. */
function daysInMonth(year: number, month: number): number | undefined {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * The canonical form (`YYYY-MM-DDTHH:mm:ss.SSSZ`) of a timestamp, or undefined when it
 * names no real instant (month 13, 25 o'clock, 30 February...). Digits past milliseconds
 * are dropped. Hand-rolled rather than a date library's parser, and without Date: it runs
 * once per comment, and range checks are exact and many times faster.
 */
export function canonicalInstant(text: string): string | undefined {
  const match = PARTS.exec(text);
  if (match === null) return undefined;
  const [year = "", month = "", day = "", hour = "", minute = "", second = ""] = match.slice(1, 7);
  const days = daysInMonth(Number(year), Number(month));
  const real = days !== undefined && Number(day) >= 1 && Number(day) <= days && Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59;
  if (!real) return undefined;
  const fraction = match[7] ?? "";
  // Already canonical (the usual case): the text itself, no new string.
  if (fraction.length === 3) return text;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}.${fraction.padEnd(3, "0").slice(0, 3)}Z`;
}
