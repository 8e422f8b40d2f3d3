/** Times as people type them: ISO 8601 (`2026-01-31`, `2026-01-31T12:00:00Z`) or unix seconds. */
import { InvalidInputError } from "./errors.ts";

/**
 * Parses a time typed by a user or an agent; `field` names it in the one-line error.
 *
 * @example
 * parseTime("2026-01-31T12:00:00Z", "--expires"); // Date
 * parseTime("1769860800", "time");                // the same instant
 */
export function parseTime(value: string, field: string): Date {
  const text = value.trim();
  const date = /^\d+$/.test(text) ? new Date(Number(text) * 1000) : /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidInputError(field, `${field} must be an ISO 8601 time like 2026-01-31T12:00:00Z (or unix seconds), got ${JSON.stringify(value)}`);
  }
  if (date.getTime() < 0) throw new InvalidInputError(field, `${field} must not be before 1970`);
  return date;
}
