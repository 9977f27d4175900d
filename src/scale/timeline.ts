/**
 * The generated world's clock. A fixed "now" instead of Date.now(): the same
 * seed gives the same timestamps, and so the same UUIDv7 ids, on every run.
 */
export const DATASET_NOW = Date.UTC(2025, 5, 1);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Accounts and organizations appear over the first part of a three-year history. */
export const HISTORY_START = DATASET_NOW - 3 * 365 * DAY;

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
/** `YYYY-MM-DDT` per day number: a dataset spans a few thousand days at most. */
const dayPrefixes = new Map<number, string>();

/**
 * Date#toISOString, several times faster: COPY writes some ten million
 * timestamps, and the date part repeats. Millisecond precision, as the columns.
 */
export function timestamp(ms: number): string {
  const time = Math.floor(ms);
  const day = Math.floor(time / DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) dayPrefixes.set(day, (prefix = new Date(day * DAY).toISOString().slice(0, 11)));
  let rest = time - day * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = Math.floor(rest / 1000);
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
}
export const calendarDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
