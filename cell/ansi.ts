/**
 * ANSI escape sequences in output text (ECMA-48): SGR sequences (`ESC [ … m`) become styles of the
 * text that follows them; every other sequence (cursor movement, erasing, OSC titles and
 * hyperlinks, DCS, character sets) is dropped with its payload, never shown and never acted on.
 * DOM-free: the element renders the chunks, `py-cell prerender` strips the text for readers
 * without JavaScript. One linear pass; a sequence cut off at the end of the text (split across
 * two prints, the rest not there yet) is dropped until the rest arrives.
 */

/** Colours: 0..255 an xterm palette index (0..15 the 16 named colours), `TRUECOLOR | 0xRRGGBB` a 24-bit colour. */
export const TRUECOLOR = 0x1000000;

/** Text attributes, as bits of `AnsiStyle.flags`. */
export const BOLD = 1;
export const DIM = 2;
export const ITALIC = 4;
export const UNDERLINE = 8;
export const INVERSE = 16;
export const STRIKE = 32;

/** What SGR sequences set: colours (`null`: the default) and attribute bits. */
export interface AnsiStyle {
  readonly fg: number | null;
  readonly bg: number | null;
  readonly flags: number;
}

/** A run of text in one style (`null`: none set). Adjacent chunks never share a style. */
export interface AnsiChunk {
  text: string;
  style: AnsiStyle | null;
}

/** The characters that start something other than text: ESC, BEL and the C1 introducers (CSI, OSC, DCS, SOS, PM, APC, ST). */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const SPECIAL = /[\x07\x1b\x90\x98\x9b-\x9f]/;
const SPECIAL_FROM = new RegExp(SPECIAL.source, 'g');

/** Whether the text holds anything `readAnsi` would style or drop. */
export function hasEscapes(text: string): boolean {
  return SPECIAL.test(text);
}

/** The text without its escape sequences, as `readAnsi` reads it. */
export function stripAnsi(text: string): string {
  if (!hasEscapes(text)) return text;
  let plain = '';
  readAnsi(text, (piece) => (plain += piece));
  return plain;
}

/** Set by `sequenceEnd` for an SGR sequence: where its parameters start and end in the text (`sgrFrom` -1 otherwise). */
let sgrFrom = -1;
let sgrTo = -1;

/**
 * Where the escape sequence that starts at `i` (ESC, BEL or a C1 control) ends: a CSI after its
 * parameter, intermediate and final bytes (a malformed or cut-off one where it stops being one);
 * a control string (OSC, DCS, SOS, PM, APC) after BEL, ST, CAN or SUB, or before an ESC that
 * starts anything else, or at the end; ESC with its intermediates and final byte (or alone); a
 * stray BEL or ST alone. A scan by character codes, quick even before the engine optimises it.
 */
function sequenceEnd(text: string, i: number): number {
  // Past the end, charCodeAt gives NaN, which no range test below accepts.
  sgrFrom = -1;
  let c = text.charCodeAt(i);
  let j = i + 1;
  if (c === 0x1b) {
    const d = text.charCodeAt(j);
    if (d === 0x5b) c = 0x9b;
    else if (d === 0x5d || d === 0x50 || d === 0x58 || d === 0x5e || d === 0x5f) c = 0x9d;
    else {
      while (text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
      return text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x7e ? j + 1 : j;
    }
    j++;
  }
  if (c === 0x9b) {
    const from = j;
    while (text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) j++;
    const to = j;
    while (text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
    const final = text.charCodeAt(j);
    if (!(final >= 0x40 && final <= 0x7e)) return j;
    // SGR: final byte `m`, no intermediates, no private marker (`<`, `=`, `>`, `?`).
    if (final === 0x6d && to === j && !(text.charCodeAt(from) >= 0x3c && from < to)) [sgrFrom, sgrTo] = [from, to];
    return j + 1;
  }
  if (c === 0x9d || c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f) {
    for (; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 0x07 || d === 0x9c || d === 0x18 || d === 0x1a) return j + 1;
      if (d === 0x1b) return text.charCodeAt(j + 1) === 0x5c ? j + 2 : j;
    }
  }
  return j;
}

/**
 * Where to cut `text` near `at` so that no escape sequence is split (streams are cut to a head
 * and a tail): `at`, or, when it falls inside a sequence begun in the 256 characters before it,
 * that sequence's start (`'start'`) or end (`'end'`).
 */
export function cutBetweenSequences(text: string, at: number, towards: 'start' | 'end'): number {
  for (let i = at - 1; i >= Math.max(0, at - 256); i--) {
    const c = text.charCodeAt(i);
    if (c !== 0x1b && (c < 0x90 || c > 0x9f)) continue;
    const end = sequenceEnd(text, i);
    return end > at ? (towards === 'start' ? i : end) : at;
  }
  return at;
}

/**
 * What an SGR sequence does to any style: sets the colours it names (`undefined`: keeps them) and
 * the attribute bits, as `flags & and | or`. A function of its parameters alone, so each distinct
 * parameter string is read once (`transitionOf`).
 */
interface Transition {
  fg: number | null | undefined;
  bg: number | null | undefined;
  and: number;
  or: number;
}

/** An SGR sequence's parameters, reused from one sequence to the next: values (empty ones 0), and where each `;` group starts. */
const values: number[] = [];
const groups: number[] = [];

/** An extended colour (`5;n`, `2;r;g;b`) from `values` at `k`; `undefined` when out of range. */
function colourAt(k: number, components: boolean): number | undefined {
  const byte = (v: number | undefined) => (v !== undefined && v <= 255 ? v : undefined);
  if (!components) return byte(values[k]);
  const [r, g, b] = [byte(values[k]), byte(values[k + 1]), byte(values[k + 2])];
  return r === undefined || g === undefined || b === undefined ? undefined : TRUECOLOR | (r << 16) | (g << 8) | b;
}

/** What an SGR sequence's parameters (`1;31`, `38;5;208`, `38:2::255:0:0`) do. */
function readSgr(params: string): Transition {
  const state: Transition = { fg: undefined, bg: undefined, and: ~0, or: 0 };
  const set = (bits: number) => (state.or |= bits);
  const clear = (bits: number) => {
    state.and &= ~bits;
    state.or &= ~bits;
  };
  values.length = groups.length = 0;
  groups.push(0);
  let value = 0;
  for (let k = 0; k <= params.length; k++) {
    const c = k < params.length ? params.charCodeAt(k) : 0x3b;
    if (c >= 0x30 && c <= 0x39) value = Math.min(value * 10 + c - 0x30, 99_999);
    else {
      values.push(value);
      value = 0;
      if (c === 0x3b && k < params.length) groups.push(values.length);
    }
  }
  for (let g = 0; g < groups.length; g++) {
    const at = groups[g]!;
    const size = (groups[g + 1] ?? values.length) - at;
    const code = values[at]!;
    if (size > 1) {
      // Sub-parameters: `38:5:n`, `38:2:[colour space]:r:g:b`, `4:n` (an underline style; 0 is none).
      const mode = values[at + 1];
      if (code === 38 || code === 48) {
        const colour = mode === 5 ? colourAt(at + 2, false) : mode === 2 ? colourAt(at + (size >= 6 ? 3 : 2), true) : undefined;
        if (colour !== undefined) state[code === 38 ? 'fg' : 'bg'] = colour;
      } else if (code === 4) (mode === 0 ? clear : set)(UNDERLINE);
    } else if (code === 38 || code === 48) {
      // `38;5;n` and `38;2;r;g;b` take the groups after them; another mode ends the sequence.
      const mode = values[groups[g + 1] ?? values.length];
      const colour = mode === 5 ? colourAt(at + 2, false) : mode === 2 ? colourAt(at + 2, true) : undefined;
      if (colour !== undefined) state[code === 38 ? 'fg' : 'bg'] = colour;
      g += mode === 5 ? 2 : mode === 2 ? 4 : groups.length;
    } else if (code === 0) {
      state.fg = state.bg = null;
      state.and = state.or = 0;
    } else if (code >= 30 && code <= 37) state.fg = code - 30;
    else if (code >= 90 && code <= 97) state.fg = code - 82;
    else if (code === 39) state.fg = null;
    else if (code >= 40 && code <= 47) state.bg = code - 40;
    else if (code >= 100 && code <= 107) state.bg = code - 92;
    else if (code === 49) state.bg = null;
    else if (SET[code]) set(SET[code]);
    else if (RESET[code]) clear(RESET[code]);
  }
  return state;
}

/** Transitions by parameter string: the few an output uses, read once (cleared past 1,000). */
const transitions = new Map<string, Transition>();

function transitionOf(params: string): Transition {
  let transition = transitions.get(params);
  if (!transition) {
    if (transitions.size >= 1000) transitions.clear();
    transitions.set(params, (transition = readSgr(params)));
  }
  return transition;
}

/** Attribute codes that set bits (21 is double underline), and those that clear them. */
const SET: Readonly<Partial<Record<number, number>>> = { 1: BOLD, 2: DIM, 3: ITALIC, 4: UNDERLINE, 7: INVERSE, 9: STRIKE, 21: UNDERLINE };
const RESET: Readonly<Partial<Record<number, number>>> = { 22: BOLD | DIM, 23: ITALIC, 24: UNDERLINE, 27: INVERSE, 29: STRIKE };

/**
 * Reads the text, every escape sequence removed, and calls `visit` with each run of text in one
 * style (`null`: none set), in order; adjacent runs never share a style. Nothing is allocated per
 * run but its text (and a style when one changes). SGR parameters: 0 reset; 1 bold, 2 dim, 3
 * italic, 4 and 21 underline, 7 inverse, 9 strike, 22-29 their resets; 30-37, 90-97, 38;5;n,
 * 38;2;r;g;b (and the colon forms) foreground; 40-47, 100-107, 48;… background; 39 and 49 the
 * defaults. Other parameters (blink, conceal, fonts) are ignored.
 */
export function readAnsi(text: string, visit: (text: string, style: AnsiStyle | null) => void): void {
  let [fg, bg, flags]: [number | null, number | null, number] = [null, null, 0];
  let style: AnsiStyle | null = null;
  // The run not yet given to `visit`: text that follows may still join it.
  let pending = '';
  let pendingStyle: AnsiStyle | null = null;
  const add = (piece: string) => {
    if (pending !== '' && pendingStyle !== style) {
      visit(pending, pendingStyle);
      pending = '';
    }
    pending += piece;
    pendingStyle = style;
  };
  let i = 0;
  for (SPECIAL_FROM.lastIndex = 0; SPECIAL_FROM.test(text); SPECIAL_FROM.lastIndex = i) {
    const at = SPECIAL_FROM.lastIndex - 1;
    if (at > i) add(text.slice(i, at));
    i = sequenceEnd(text, at);
    if (sgrFrom === -1) continue;
    const transition = transitionOf(text.slice(sgrFrom, sgrTo));
    if (transition.fg !== undefined) fg = transition.fg;
    if (transition.bg !== undefined) bg = transition.bg;
    flags = (flags & transition.and) | transition.or;
    if (style ? style.fg !== fg || style.bg !== bg || style.flags !== flags : fg !== null || bg !== null || flags !== 0) {
      // The style of the pending run, if it is this one again, is kept: the run goes on.
      const held = pendingStyle as AnsiStyle | null; // (set in `add`, which the compiler does not follow)
      const same = held && held.fg === fg && held.bg === bg && held.flags === flags;
      style = same ? held : fg === null && bg === null && flags === 0 ? null : { fg, bg, flags };
    }
  }
  if (i < text.length) add(text.slice(i));
  if (pending !== '') visit(pending, pendingStyle);
}

/** The text as chunks of one style each (`readAnsi`'s runs, as a list). */
export function parseAnsi(text: string): AnsiChunk[] {
  const chunks: AnsiChunk[] = [];
  readAnsi(text, (piece, style) => chunks.push({ text: piece, style }));
  return chunks;
}
