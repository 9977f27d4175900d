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

export const timestamp = (ms: number): string => new Date(ms).toISOString();
export const calendarDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
