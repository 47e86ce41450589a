/**
 * Loaded on the first output that holds an escape sequence (a separate chunk; `ansi-lazy.ts` shows
 * the text without its sequences until then).
 *
 * Output text with ANSI colours (`cell/ansi.ts` parses it): styled spans whose
 * text is always text (text nodes, never markup). The 16 named colours are custom properties (`--py-cell-ansi-red`, …) with
 * light and dark values of at least 4.5:1 against the output and error backgrounds; a background
 * colour alone gets the output background as its text colour (4.5:1 by the same token). 256-colour
 * and 24-bit foregrounds, and any foreground on a background, are computed for both schemes and
 * moved toward black or white until they reach 4.5:1 against what is behind them (the default
 * backgrounds below, and the default 16 colours; an author's own backgrounds are not known here).
 */
import type { AnsiStyle } from '../../cell/ansi.js';

/**
 * The parser (`cell/ansi.ts`), given by the caller rather than imported: it is part of py-cell.js,
 * which exports the public API only, so a chunk cannot import from it.
 */
export type AnsiParser = Pick<
  typeof import('../../cell/ansi.js'),
  'readAnsi' | 'BOLD' | 'DIM' | 'INVERSE' | 'ITALIC' | 'STRIKE' | 'TRUECOLOR' | 'UNDERLINE'
>;
let P: AnsiParser;

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
/** The 16 colours, light and dark (Primer's terminal colours, moved where they fell short of 4.5:1). */
const PALETTE = [
  [
    0x24292f, 0xcf222e, 0x116329, 0x4d2d00, 0x0969da, 0x8250df, 0x177a80, 0x636c76, 0x57606a, 0xa40e26, 0x1a7f37, 0x633c01, 0x1a63d3,
    0x9a3fc4, 0x17778d, 0x67707a,
  ],
  [
    0x848d97, 0xff7b72, 0x3fb950, 0xd29922, 0x58a6ff, 0xbc8cff, 0x39c5cf, 0xb1bac4, 0x9198a1, 0xffa198, 0x56d364, 0xe3b341, 0x79c0ff,
    0xd2a8ff, 0x56d4dd, 0xf0f6fc,
  ],
] as const;
/** The element's default output and error backgrounds and text colour (`components/py-cell/styles.ts`), light and dark. */
const OUTPUT_BACKGROUND = [0xffffff, 0x0d1117];
const ERROR_BACKGROUND = [0xfef3f2, 0x2d1214];
const FOREGROUND = [0x1f2328, 0xe6edf3];
/** Stand-ins for the default colours, once inverse video swapped them. */
const DEFAULT_FG = -1;
const DEFAULT_BG = -2;
const SCHEMES = ['light', 'dark'] as const;

const hex = (rgb: number) => `#${rgb.toString(16).padStart(6, '0')}`;
const name = (i: number) => (i < 8 ? NAMES[i]! : `bright-${NAMES[i - 8]!}`);

const vars = (scheme: 0 | 1) => PALETTE[scheme].map((rgb, i) => `--_ansi-${i}:var(--py-cell-ansi-${name(i)},${hex(rgb)});`).join('');
const classes = PALETTE[0]
  .map((_, i) => `.ansi-fg-${i}{color:var(--_ansi-${i})}.ansi-bg-${i}{background:var(--_ansi-${i});color:var(--_out-bg)}`)
  .join('');

/** The custom properties and classes of coloured text, for the element's shadow root (compact: shipped as written). */
export const ANSI_STYLE = `:host{${vars(0)}}:host(:state(dark)){${vars(1)}}${classes}
.ansi-bold{font-weight:bold}.ansi-italic{font-style:italic}.ansi-underline{text-decoration:underline}.ansi-strike{text-decoration:line-through}
.ansi-underline.ansi-strike{text-decoration:underline line-through}.ansi-dim{color:var(--_muted)}.ansi-inverse{color:var(--_out-bg);background:var(--_fg)}
.ansi-rgb{color:var(--_ansi-fg-light);background:var(--_ansi-bg-light,none)}
:host(:state(dark)) .ansi-rgb{color:var(--_ansi-fg-dark);background:var(--_ansi-bg-dark,none)}
.ansi-lines{display:block;content-visibility:auto;contain-intrinsic-size:auto 38em}`;

let sheet: CSSStyleSheet | null = null;

/** Adds the styles of coloured text to the shadow root (or document) that shows it, once. */
export function adoptAnsiStyles(root: ShadowRoot | Document): void {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(ANSI_STYLE);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/** A colour of `cell/ansi.ts` as 0xRRGGBB in a scheme: the palette, the xterm 6×6×6 cube and grey ramp, 24-bit. */
function rgbOf(colour: number, scheme: 0 | 1): number {
  if (colour === DEFAULT_FG) return FOREGROUND[scheme]!;
  if (colour === DEFAULT_BG) return OUTPUT_BACKGROUND[scheme]!;
  if (colour >= P.TRUECOLOR) return colour - P.TRUECOLOR;
  if (colour < 16) return PALETTE[scheme][colour]!;
  if (colour >= 232) return (8 + 10 * (colour - 232)) * 0x010101;
  const level = (v: number) => (v === 0 ? 0 : 55 + 40 * v);
  const cube = colour - 16;
  return (level(Math.floor(cube / 36)) << 16) | (level(Math.floor(cube / 6) % 6) << 8) | level(cube % 6);
}

function luminance(rgb: number): number {
  const linear = (byte: number) => (byte <= 10 ? byte / 3295 : ((byte / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(rgb >> 16) + 0.7152 * linear((rgb >> 8) & 255) + 0.0722 * linear(rgb & 255);
}

function contrast(a: number, b: number): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** `from` moved a fraction `t` of the way to `to`, channel by channel. */
function mix(from: number, to: number, t: number): number {
  let rgb = 0;
  for (const shift of [16, 8, 0]) {
    const [a, b] = [(from >> shift) & 255, (to >> shift) & 255];
    rgb |= Math.round(a + (b - a) * t) << shift;
  }
  return rgb;
}

/**
 * `fg`, or the colour nearest it toward black or white (whichever stands out more) with 4.5:1
 * against every background: a binary search, 8 steps. Against one background, black or white
 * always reaches 4.5:1.
 */
function readable(fg: number, backgrounds: readonly number[]): number {
  const worst = (rgb: number) => Math.min(...backgrounds.map((bg) => contrast(rgb, bg)));
  if (worst(fg) >= 4.5) return fg;
  const target = worst(0x000000) > worst(0xffffff) ? 0x000000 : 0xffffff;
  const goal = Math.min(4.5, worst(target));
  let [low, high] = [0, 1];
  for (let step = 0; step < 8; step++) {
    const middle = (low + high) / 2;
    if (worst(mix(fg, target, middle)) >= goal) high = middle;
    else low = middle;
  }
  return mix(fg, target, high);
}

/**
 * Empty spans drawn in each style seen (its classes; for computed colours, their custom
 * properties), to clone: cheaper than setting classes and parsing styles for every run. A few
 * hundred at most in practice; cleared past 1,000.
 */
const looks = new Map<string, HTMLElement>();

/** The span to clone for text in `style`. */
function lookOf(style: AnsiStyle): HTMLElement {
  const key = `${style.fg},${style.bg},${style.flags}`;
  const seen = looks.get(key);
  if (seen) return seen;
  const { flags } = style;
  let { fg, bg } = style;
  const names = [P.BOLD, P.ITALIC, P.UNDERLINE, P.STRIKE].flatMap((bit, i) =>
    flags & bit ? [['ansi-bold', 'ansi-italic', 'ansi-underline', 'ansi-strike'][i]!] : [],
  );
  let properties: string | null = null;
  if (flags & P.INVERSE) {
    if (fg === null && bg === null) names.push('ansi-inverse');
    else [fg, bg] = [bg ?? DEFAULT_BG, fg ?? DEFAULT_FG];
  }
  if (fg === null && bg === null) {
    if (flags & P.DIM && !(flags & P.INVERSE)) names.push('ansi-dim');
  } else if (bg === null && fg !== null && fg >= 0 && fg < 16) names.push(`ansi-fg-${fg}`);
  else if (fg === null && bg !== null && bg >= 0 && bg < 16) names.push(`ansi-bg-${bg}`);
  else {
    names.push('ansi-rgb');
    properties = '';
    for (const scheme of [0, 1] as const) {
      const back = bg === null ? null : rgbOf(bg, scheme);
      const behind = back === null ? [OUTPUT_BACKGROUND[scheme]!, ERROR_BACKGROUND[scheme]!] : [back];
      properties += `--_ansi-fg-${SCHEMES[scheme]}:${hex(readable(rgbOf(fg ?? DEFAULT_FG, scheme), behind))};`;
      if (back !== null) properties += `--_ansi-bg-${SCHEMES[scheme]}:${hex(back)};`;
    }
  }
  const span = document.createElement('span');
  span.className = names.join(' ');
  if (properties) span.style.cssText = properties;
  if (looks.size >= 1000) looks.clear();
  looks.set(key, span);
  return span;
}

/** Lines of a block that the page lays out only when it scrolls into view (`.ansi-lines`). */
const LINES_PER_BLOCK = 32;

/** `text` split after its `n`th line feed: the part up to it (`null` when it has fewer) and the rest. */
function afterLines(text: string, n: number): [string | null, string] {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf('\n', at + 1);
    if (at === -1) return [null, text];
  }
  return [text.slice(0, at + 1), text.slice(at + 1)];
}

/**
 * Output text drawn as DOM: its chunks, styled ones as spans, made with the DOM (text nodes and
 * `textContent`, classes, and `style.cssText`, which content security policies allow) rather than
 * one template instance per chunk. Every 32 lines form a block that the browser styles and lays
 * out only when it scrolls into view (`content-visibility: auto`; still found by find-in-page and
 * read by screen readers); the last lines stay inline, so a prompt's `input()` field keeps to its
 * line. Parsed whole, so a sequence split across two prints (joined into one stream item) is read
 * as one.
 */
export function drawAnsi(text: string, parser: AnsiParser): DocumentFragment {
  P = parser;
  const fragment = document.createDocumentFragment();
  const newBlock = () => {
    const element = document.createElement('span');
    element.className = 'ansi-lines';
    return element;
  };
  let block = newBlock();
  let lines = 0;
  parser.readAnsi(text, (piece, style) => {
    const look = style && lookOf(style);
    const put = (part: string) => {
      if (!look) {
        block.append(part);
        return;
      }
      const span = look.cloneNode() as HTMLElement;
      span.textContent = part;
      block.append(span);
    };
    // Whole blocks of lines are closed as they fill; what is left continues the open one.
    let rest = piece;
    for (let [full, after] = afterLines(rest, LINES_PER_BLOCK - lines); full !== null; [full, after] = afterLines(rest, LINES_PER_BLOCK)) {
      put(full);
      fragment.append(block);
      block = newBlock();
      lines = 0;
      rest = after;
    }
    if (rest) put(rest);
    for (let at = rest.indexOf('\n'); at !== -1; at = rest.indexOf('\n', at + 1)) lines++;
  });
  fragment.append(...block.childNodes);
  return fragment;
}
