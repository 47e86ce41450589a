/**
 * py-cell's attributes, the one list (the element declares them; the Markdown plugins check fences
 * against it; scripts/gen-attributes.mjs writes it to integrations/python/py_cell_docs/attributes.json
 * for the Python ones), and the parsing of values the element reads. Imports nothing.
 */

/** A value: `flag` (boolean, written bare), `text` (not blank), `seconds` (positive), `count` (whole, 0 or more). */
export type AttributeKind = 'flag' | 'text' | 'seconds' | 'count';

/** One of py-cell's attributes: its name (lower case), its kind, whether a fence (or directive) may set it. */
export interface CellAttributeSpec {
  readonly name: string;
  readonly kind: AttributeKind;
  readonly fence: boolean;
}

/** py-cell's attributes, in the README's order; `status` is the element's to write. */
export const CELL_ATTRIBUTES: readonly CellAttributeSpec[] = [
  { name: 'session', kind: 'text', fence: true },
  { name: 'autorun', kind: 'flag', fence: true },
  { name: 'packages', kind: 'text', fence: true },
  { name: 'readonly', kind: 'flag', fence: true },
  { name: 'timeout', kind: 'seconds', fence: true },
  { name: 'trusted', kind: 'flag', fence: true },
  { name: 'main-thread', kind: 'flag', fence: true },
  { name: 'exercise', kind: 'flag', fence: true },
  { name: 'solution-after', kind: 'count', fence: true },
  { name: 'persist', kind: 'flag', fence: true },
  { name: 'status', kind: 'text', fence: false },
];

/**
 * A value in a fence: the whole of it matches `pattern` (read alike by JavaScript and Python's
 * `re`) and, if `positive`, is a finite number above 0; `expected` ends the message "must be …".
 */
export interface ValueRule {
  readonly pattern: string;
  readonly positive: boolean;
  readonly expected: string;
}

/** The rule of each kind but `flag`, which is bare, empty or its own name (as HTML allows). */
export const VALUE_RULES: Readonly<Record<Exclude<AttributeKind, 'flag'>, ValueRule>> = {
  // Not blank: a character that neither JavaScript's trim() (so the element) nor Python's strip() removes.
  text: {
    pattern:
      '[\\s\\S]*[^\\t\\n\\x0b\\f\\r\\x1c-\\x20\\x85\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff][\\s\\S]*',
    positive: false,
    expected: 'a value that is not empty (nor only spaces)',
  },
  seconds: { pattern: '(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?', positive: true, expected: 'a positive number of seconds' },
  count: { pattern: '[0-9]+', positive: false, expected: 'a whole number (0 or more)' },
};

/** HTML's global attributes a fence may carry with any value (`id` keys a `persist` cell's saved code). */
export const GLOBAL_ATTRIBUTES: readonly string[] = ['id', 'class', 'style', 'title', 'lang', 'dir'];

/** Prefixes of the other attributes a fence may carry with any value. */
export const GLOBAL_PREFIXES: readonly string[] = ['data-', 'aria-'];

/** What integrations/python/py_cell_docs/attributes.json holds (besides its `about`). */
export const ATTRIBUTE_TABLE = {
  attributes: CELL_ATTRIBUTES,
  values: VALUE_RULES,
  globals: GLOBAL_ATTRIBUTES,
  globalPrefixes: GLOBAL_PREFIXES,
};

/**
 * Why a fence cannot carry the attribute `name` (any case) with `value` (`null`: bare), or `null`
 * if it can: one of py-cell's a fence may set, with a value of its kind, or a harmless global
 * attribute; never an event handler (`onclick`) or anything else raw HTML could bring.
 */
export function fenceAttributeProblem(name: string, value: string | null): string | null {
  const key = name.toLowerCase();
  const spec = CELL_ATTRIBUTES.find((attribute) => attribute.fence && attribute.name === key);
  if (spec === undefined) {
    if (GLOBAL_ATTRIBUTES.includes(key) || GLOBAL_PREFIXES.some((prefix) => key.startsWith(prefix))) return null;
    const names = CELL_ATTRIBUTES.filter((attribute) => attribute.fence).map((attribute) => attribute.name);
    return `unknown attribute \`${name}\`; py-cell's attributes are ${names.join(', ')}`;
  }
  if (spec.kind === 'flag') {
    if (value === null || value === '' || value === key) return null;
    return `the attribute \`${name}\` is boolean: write it alone (present means on), not \`${name}=${JSON.stringify(value)}\``;
  }
  if (value === null) return `the attribute \`${name}\` needs a value (\`${name}="…"\`)`;
  const rule = VALUE_RULES[spec.kind];
  const number = Number(value);
  const valid = new RegExp(`^(?:${rule.pattern})$`).test(value) && (!rule.positive || (Number.isFinite(number) && number > 0));
  return valid ? null : `the attribute \`${name}\` must be ${rule.expected}, not ${JSON.stringify(value)}`;
}

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
