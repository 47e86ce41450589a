/**
 * Loaded on the first formula (a separate chunk): KaTeX, its fonts and its style, self-hosted in
 * `dist/katex/` beside this file (copied there by the build). Formulas are typeset as HTML for the
 * eye and MathML for screen readers, with KaTeX's `trust` off (so `\href`, `\url`, `\includegraphics`
 * and the like make no links, only red text) and bounds on size and macro expansion. A formula
 * KaTeX cannot typeset shows its source with the reason.
 */
import katex from 'katex';

const ASSETS = new URL('./katex/', import.meta.url);
/** KaTeX's fonts (`dist/katex/fonts/KaTeX_<name>.woff2`): loaded by the browser when a formula first uses one. */
const FONTS = [
  'AMS-Regular',
  'Caligraphic-Bold',
  'Caligraphic-Regular',
  'Fraktur-Bold',
  'Fraktur-Regular',
  'Main-Bold',
  'Main-BoldItalic',
  'Main-Italic',
  'Main-Regular',
  'Math-BoldItalic',
  'Math-Italic',
  'SansSerif-Bold',
  'SansSerif-Italic',
  'SansSerif-Regular',
  'Script-Regular',
  'Size1-Regular',
  'Size2-Regular',
  'Size3-Regular',
  'Size4-Regular',
  'Typewriter-Regular',
];
/** A longer formula is not typeset: its source shows, with the reason. */
const MAX_TEX = 10_000;
/** Past this many formulas in one output, the rest show as source. */
const MAX_FORMULAS = 1_000;

let fontsAdded = false;

/**
 * KaTeX's fonts, added to the document (fonts declared in a shadow root are ignored by Chromium),
 * through the FontFace API rather than a style sheet in the page's own head.
 */
function addFonts(): void {
  if (fontsAdded || typeof FontFace === 'undefined') return;
  fontsAdded = true;
  for (const font of FONTS) {
    const [family, variant] = font.split('-') as [string, string];
    const face = new FontFace(`KaTeX_${family}`, `url("${new URL(`fonts/KaTeX_${font}.woff2`, ASSETS).href}") format("woff2")`, {
      weight: variant.startsWith('Bold') ? 'bold' : 'normal',
      style: variant.endsWith('Italic') ? 'italic' : 'normal',
      display: 'swap',
    });
    document.fonts.add(face);
  }
}

/** KaTeX's style sheet (its @font-face rules removed by the build) for the shadow root that shows formulas, once. */
export function adoptMathStyle(root: ShadowRoot): Promise<void> {
  addFonts();
  const present = root.querySelector<HTMLLinkElement>('link[data-katex]');
  if (present) return Promise.resolve();
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL('katex.css', ASSETS).href;
  link.dataset.katex = '';
  root.prepend(link);
  // The formulas show either way: a sheet that does not load leaves them readable (and MathML).
  return new Promise((resolve) => {
    link.onload = link.onerror = () => resolve();
  });
}

/** A piece of text: plain, or a formula (`raw` is how it was written, delimiters included). */
export type Piece = string | { tex: string; display: boolean; raw: string };

const ENVIRONMENT = /^\\begin\{([a-zA-Z]+\*?)\}/;

/** Where the closing `$` of an inline formula opened at `from` is: not escaped, not after a space, not before a digit. */
function inlineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '$') return /\s/.test(text[i - 1]!) || /\d/.test(text[i + 1] ?? '') || i === from ? -1 : i;
    else if (c === '\n' && text[i + 1] === '\n') return -1;
  }
  return -1;
}

/**
 * Text split into plain parts and formulas: `$$…$$`, `\[…\]` and `\begin{env}…\end{env}` (display),
 * `\(…\)` and `$…$` (inline; no space after the opening or before the closing `$`, as Pandoc reads
 * them); `\$` is a dollar sign. An opening with no closing is plain text.
 */
export function splitMath(text: string): Piece[] {
  const pieces: Piece[] = [];
  let plain = '';
  let i = 0;
  const formula = (open: string, close: string, display: boolean, keepDelimiters = false): boolean => {
    if (!text.startsWith(open, i)) return false;
    const end = text.indexOf(close, i + open.length);
    if (end === -1) return false;
    const raw = text.slice(i, end + close.length);
    if (plain) pieces.push(plain);
    plain = '';
    pieces.push({ tex: keepDelimiters ? raw : text.slice(i + open.length, end), display, raw });
    i = end + close.length;
    return true;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      const environment = ENVIRONMENT.exec(text.slice(i, i + 40));
      if (environment && formula(environment[0], `\\end{${environment[1]}}`, true, true)) continue;
      if (formula('\\[', '\\]', true) || formula('\\(', '\\)', false)) continue;
      if (text[i + 1] === '$') {
        plain += '$';
        i += 2;
        continue;
      }
    } else if (c === '$') {
      if (formula('$$', '$$', true)) continue;
      const end = text[i + 1] === '$' || /\s/.test(text[i + 1] ?? ' ') ? -1 : inlineEnd(text, i + 1);
      if (end !== -1) {
        if (plain) pieces.push(plain);
        plain = '';
        pieces.push({ tex: text.slice(i + 1, end), display: false, raw: text.slice(i, end + 1) });
        i = end + 1;
        continue;
      }
    }
    plain += c;
    i++;
  }
  if (plain) pieces.push(plain);
  return pieces;
}

/** One formula typeset into a new element; its source and KaTeX's reason when it cannot be. */
export function typeset(tex: string, display: boolean, raw = tex): HTMLElement {
  const element = document.createElement(display ? 'div' : 'span');
  element.className = display ? 'math display' : 'math';
  let reason = tex.length > MAX_TEX ? `longer than ${MAX_TEX.toLocaleString('en')} characters` : '';
  if (!reason) {
    try {
      katex.render(tex, element, {
        displayMode: display,
        throwOnError: true,
        output: 'htmlAndMathml',
        trust: false,
        strict: 'ignore',
        maxSize: 50,
        maxExpand: 1000,
      });
      return element;
    } catch (error) {
      reason = error instanceof Error ? error.message.replace(/^KaTeX parse error: /, '') : String(error);
    }
  }
  element.className += ' math-error';
  const source = document.createElement('code');
  source.textContent = raw;
  const why = document.createElement('span');
  why.className = 'math-reason';
  why.textContent = ` (not typeset: ${reason})`;
  element.replaceChildren(source, why);
  return element;
}

/** LaTeX output (`text/latex`, `_repr_latex_`): its formulas typeset, its other text kept; with no delimiters at all, one display formula. */
export function typesetLatex(container: HTMLElement, source: string): void {
  const pieces = splitMath(source.trim());
  if (pieces.every((piece) => typeof piece === 'string')) {
    container.replaceChildren(typeset(source.trim(), true));
    return;
  }
  let count = 0;
  container.replaceChildren(
    ...pieces.map((piece) =>
      typeof piece === 'string' ? piece : ++count > MAX_FORMULAS ? piece.raw : typeset(piece.tex, piece.display, piece.raw),
    ),
  );
}

/** Elements whose text is never read as math. */
const NOT_MATH = 'code, pre, kbd, samp, script, style, textarea, .katex, .math';

/**
 * Formulas in the text of a tree (Markdown's `.py-cell-tex` placeholders, made by `sanitize.ts`,
 * and, when `scanText`, delimiters in any text outside code, as in exercise hints) typeset in place.
 * Whether there were any.
 */
export function typesetIn(root: DocumentFragment | Element, scanText: boolean): boolean {
  let count = 0;
  for (const placeholder of root.querySelectorAll<HTMLElement>('.py-cell-tex')) {
    const tex = placeholder.textContent;
    const display = placeholder.dataset.display === 'true';
    placeholder.replaceWith(++count > MAX_FORMULAS ? tex : typeset(tex, display, display ? `$$${tex}$$` : `$${tex}$`));
  }
  if (scanText) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement?.closest(NOT_MATH) && /[$\\]/.test(node.nodeValue ?? '')) texts.push(node as Text);
    }
    for (const node of texts) {
      const pieces = splitMath(node.nodeValue ?? '');
      if (pieces.every((piece) => typeof piece === 'string')) continue;
      node.replaceWith(
        ...pieces.map((piece) =>
          typeof piece === 'string' ? piece : ++count > MAX_FORMULAS ? piece.raw : typeset(piece.tex, piece.display, piece.raw),
        ),
      );
    }
  }
  return count > 0;
}

/** The formulas' own look beside KaTeX's: display formulas scroll sideways rather than widen the cell; errors read as errors. */
export const MATH_STYLE = `
.math.display { display: block; overflow-x: auto; overflow-y: hidden; max-width: 100%; padding: 0.1em 0; }
.math.display > .katex-display { margin: 0.5em 0; }
.math-error code { font-family: var(--py-cell-code-font-family, ui-monospace, monospace); }
.math-error .math-reason { color: var(--_error, #b42318); font-size: 0.9em; }
`;
