/** Parsing of `<py-cell>` attribute values, kept apart so it is unit-tested without a DOM. */

/** Parses the `timeout` attribute: a positive number of seconds, or `null` for no limit. */
export function parseTimeout(value: string | null): { seconds: number | null; valid: boolean } {
  if (value === null) return { seconds: null, valid: true };
  const seconds = Number(value.trim() === '' ? NaN : value);
  return Number.isFinite(seconds) && seconds > 0 ? { seconds, valid: true } : { seconds: null, valid: false };
}

/** The session a cell runs in: its `session` attribute, or `default` when absent or blank. */
export function sessionName(value: string | null): { name: string; valid: boolean } {
  if (value === null) return { name: 'default', valid: true };
  return value.trim() === '' ? { name: 'default', valid: false } : { name: value, valid: true };
}
