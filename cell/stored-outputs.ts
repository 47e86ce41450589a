/**
 * Outputs computed when the page was built (`py-cell prerender`), carried in the page as data the
 * element validates before it shows them. The format is shared by the command (which writes it)
 * and the element (which reads it), and has no DOM: a cell holds
 *
 *     <script type="application/vnd.py-cell.outputs+json" data-py-cell-prerendered>{…}</script>
 *     <div data-py-cell-prerendered class="py-cell-prerendered"><pre>…</pre></div>
 *
 * the data, and the text of its outputs for readers without JavaScript (a defined element does
 * not show its light DOM). See `docs/decisions/0012-prerender.md`.
 */
import type { MimeBundle, RunError } from '../runtime/shared/protocol.js';
import { ALT_MIME, ARRAY_MIME, OUTPUT_KINDS, REPR_SKIPPED, type OutputMimeWith } from '../runtime/shared/mime.js';
import { chartText } from './chart-text.js';
import { stripAnsi } from './ansi.js';
import { arrayText } from './array-format.js';
import { appendDisplay, appendStream, DEFAULT_LIMITS, type OutputItem } from './output-model.js';
import { isArrayPayload, parseRunError } from './validate.js';

export const PRERENDERED_TYPE = 'application/vnd.py-cell.outputs+json';
/** Marks the children the command wrote (the data and the fallback), which are not the cell's code. */
export const PRERENDERED_ATTRIBUTE = 'data-py-cell-prerendered';
/** The format's version; data of any other version is ignored. */
export const PRERENDERED_VERSION = 1;

/** A cell's outputs as the command stores them. */
export interface PrerenderedData {
  version: typeof PRERENDERED_VERSION;
  /** `codeHash` of the code the outputs were computed from. */
  hash: string;
  /** The Pyodide version that computed them. */
  pyodide: string;
  /** The run's status: `error` when the cell raised. */
  status: 'done' | 'error';
  outputs: OutputItem[];
  /**
   * A digest of everything else the outputs depend on (the runtime, py-cell's own code, the
   * options, the code and packages of the earlier cells of its session): `--incremental` reuses
   * the outputs while it is unchanged. The element does not read it.
   */
  inputs?: string;
}

/**
 * A 64-bit FNV-1a hash of the code's UTF-16 code units, as 16 hex digits: enough to tell that the
 * code changed after the outputs were computed (not a defence against a hostile page, which can
 * write any outputs it likes and is sanitised like any output).
 */
export function codeHash(code: string): string {
  // Two 32-bit halves of a 64-bit FNV-1a state (offset basis cbf29ce484222325, prime 100000001b3).
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let i = 0; i < code.length; i++) {
    low ^= code.charCodeAt(i);
    // (high:low) * 0x100000001b3 = (high:low) * 0x1b3 + (low << 40), modulo 2^64; low * 0x1b3 < 2^41 is exact.
    const product = (low >>> 0) * 0x1b3;
    high = (Math.imul(high, 0x1b3) + Math.floor(product / 0x100000000) + (low << 8)) >>> 0;
    low = product >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}

/** JSON cannot hold NaN or the infinities (array values, heatmap bounds): they travel as `{"$number": "NaN"}`. */
const NUMBER_KEY = '$number';

/** The data as JSON for a `<script>`: typed arrays as lists, `<` escaped so no markup can end the script. */
export function serializePrerendered(data: PrerenderedData): string {
  const json = JSON.stringify(data, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) return { [NUMBER_KEY]: String(value) };
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
    return value;
  });
  return json
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

function isBundle(value: unknown): value is MimeBundle {
  return isObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => /^[\w.+-]+\/[\w.+-]+$/.test(key));
}

/** One stored item, checked; `null` when it is not an output item the element can show. */
function outputItem(value: unknown): OutputItem | null {
  if (!isObject(value)) return null;
  switch (value['kind']) {
    case 'stream': {
      const { name, text } = value;
      return (name === 'stdout' || name === 'stderr') && typeof text === 'string' ? { kind: 'stream', name, text } : null;
    }
    case 'result':
    case 'display':
      return isBundle(value['bundle']) ? { kind: value['kind'], bundle: value['bundle'] } : null;
    case 'error': {
      const error: RunError | null = parseRunError(value['error']);
      return error && { kind: 'error', error };
    }
    case 'hidden':
      return isCount(value['lines']) && isCount(value['chars']) ? { kind: 'hidden', lines: value['lines'], chars: value['chars'] } : null;
    case 'displays-hidden':
      return isCount(value['count']) ? { kind: 'displays-hidden', count: value['count'] } : null;
    default:
      return null;
  }
}

/**
 * Reads a cell's stored outputs: `{outputs}` when they are well formed and were computed from
 * `code`; else why not (`stale`: the code changed since; `invalid`: unknown or malformed data).
 * Never throws.
 */
export function readPrerendered(json: string, code: string): { outputs: OutputItem[] } | { stale: true } | { invalid: string } {
  let data: unknown;
  try {
    data = JSON.parse(json, (_key, value: unknown) => {
      if (isObject(value) && Object.keys(value).length === 1 && typeof value[NUMBER_KEY] === 'string') return Number(value[NUMBER_KEY]);
      return value;
    });
  } catch {
    return { invalid: 'not JSON' };
  }
  if (!isObject(data)) return { invalid: 'not an object' };
  if (data['version'] !== PRERENDERED_VERSION)
    return { invalid: `version ${JSON.stringify(data['version'])}, expected ${PRERENDERED_VERSION}` };
  if (typeof data['hash'] !== 'string' || !Array.isArray(data['outputs'])) return { invalid: 'no hash or outputs' };
  if (data['outputs'].length > MAX_STORED_ITEMS) return { invalid: `more than ${MAX_STORED_ITEMS} output items` };
  const outputs = data['outputs'].map(outputItem);
  if (outputs.some((item) => item === null)) return { invalid: 'an output item is malformed' };
  if (data['hash'] !== codeHash(code)) return { stale: true };
  return { outputs: withinLimits(outputs as OutputItem[]) };
}

/** A live run keeps at most this many items (displays, the streams between them, result, error, markers). */
const MAX_STORED_ITEMS = 2 * DEFAULT_LIMITS.displays + 8;

/** Stored items cut to the bounds a live run keeps: the same head and tail of streams, the same number of displays. */
function withinLimits(items: readonly OutputItem[]): OutputItem[] {
  let next: OutputItem[] = [];
  for (const item of items) {
    if (item.kind === 'stream') next = appendStream(next, [[item.name, item.text]]);
    else if (item.kind === 'display') next = appendDisplay(next, item.bundle);
    else next.push(item);
  }
  return next;
}

/** A repr that says nothing to a reader: `<__main__.Rich object at 0x1f2e3d>`, `<memory at 0x…>`. */
const DEFAULT_REPR = /^<[^>]* at 0x[0-9a-f]+>$/;

/** A bundle's text for readers without JavaScript: given the bundle, its text/plain and `htmlText`. */
type TextOf = (bundle: MimeBundle, plain: string, htmlText: (markup: string) => string) => string | null;

/**
 * The text of each output type with text of its own (`fallback: 'own'` in `OUTPUT_KINDS`, the
 * compiler checks): an array as NumPy prints it when its text/plain is no repr of it, HTML's text,
 * Markdown's source; `null` when the bundle's data gives none.
 */
const OWN_TEXT: { readonly [Mime in OutputMimeWith<'own'>]: TextOf } = {
  [ARRAY_MIME]: (bundle, plain) => {
    const array = bundle[ARRAY_MIME];
    return isArrayPayload(array) && (bundle[REPR_SKIPPED] || DEFAULT_REPR.test(plain)) ? arrayText(array) : null;
  },
  'application/vnd.vegalite.v6+json': (bundle) => chartText('application/vnd.vegalite.v6+json', bundle['application/vnd.vegalite.v6+json']),
  'application/vnd.vegalite.v5+json': (bundle) => chartText('application/vnd.vegalite.v5+json', bundle['application/vnd.vegalite.v5+json']),
  'application/vnd.vegalite.v4+json': (bundle) => chartText('application/vnd.vegalite.v4+json', bundle['application/vnd.vegalite.v4+json']),
  'application/vnd.vega.v6+json': (bundle) => chartText('application/vnd.vega.v6+json', bundle['application/vnd.vega.v6+json']),
  'application/vnd.vega.v5+json': (bundle) => chartText('application/vnd.vega.v5+json', bundle['application/vnd.vega.v5+json']),
  'application/vnd.plotly.v1+json': (bundle) => chartText('application/vnd.plotly.v1+json', bundle['application/vnd.plotly.v1+json']),
  'text/html': (bundle, _plain, htmlText) => (typeof bundle['text/html'] === 'string' ? htmlText(bundle['text/html']) : null),
  // LaTeX's source when the text/plain says nothing (SymPy's `(a**2 + b**2)/sqrt(c)` is better than its LaTeX).
  'text/latex': (bundle, plain) =>
    typeof bundle['text/latex'] === 'string' && (!plain || DEFAULT_REPR.test(plain)) ? bundle['text/latex'] : null,
  'text/markdown': (bundle) => (typeof bundle['text/markdown'] === 'string' ? bundle['text/markdown'] : null),
};

/**
 * Whether a bundle holding `mime` has no text for a reader: a type of `OUTPUT_KINDS` whose
 * fallback is `none` (an image), or an image type the table does not have. An image's text/plain
 * is a repr (of bytes, of an object): nothing a reader can use.
 */
function withoutText(mime: string): boolean {
  const kind = OUTPUT_KINDS.find((entry) => entry.mime === mime);
  return kind ? kind.fallback === 'none' : mime.startsWith('image/');
}

/**
 * The text of a bundle for a reader without JavaScript: its text alternative (`ALT_MIME`), else the own text of the first type of
 * `OUTPUT_KINDS` that gives one (HTML's text by `htmlText`, which the caller supplies: it needs a
 * parser), else nothing for an image, else its `text/plain` unless that is a default repr.
 */
function bundleText(bundle: MimeBundle, htmlText: (markup: string) => string): string {
  const alt = bundle[ALT_MIME];
  if (typeof alt === 'string' && alt.trim()) return alt;
  const plain = typeof bundle['text/plain'] === 'string' ? stripAnsi(bundle['text/plain']) : '';
  for (const kind of OUTPUT_KINDS) {
    const text = kind.fallback === 'own' && bundle[kind.mime] !== undefined ? OWN_TEXT[kind.mime](bundle, plain, htmlText) : null;
    if (text !== null) return text;
  }
  if (Object.keys(bundle).some(withoutText)) return '';
  return DEFAULT_REPR.test(plain) ? '' : plain;
}

/** Each output's text, as the no-JavaScript fallback shows it (ANSI escapes removed): `[kind or stream name, text]`. */
export function fallbackTexts(outputs: readonly OutputItem[], htmlText: (markup: string) => string = () => ''): Array<[string, string]> {
  const texts: Array<[string, string]> = [];
  for (const item of outputs) {
    if (item.kind === 'stream') texts.push([item.name, stripAnsi(item.text)]);
    else if (item.kind === 'result' || item.kind === 'display') texts.push([item.kind, bundleText(item.bundle, htmlText)]);
    else if (item.kind === 'error') texts.push(['error', stripAnsi(item.error.traceback || `${item.error.type}: ${item.error.message}`)]);
    else if (item.kind === 'hidden') texts.push(['hidden', `… ${item.lines} lines hidden (${item.chars} characters) …`]);
    else if (item.kind === 'displays-hidden') texts.push(['hidden', `… ${item.count} more displayed objects hidden …`]);
  }
  return texts.filter(([, text]) => text.trim() !== '');
}
