/**
 * The kinds of output: py-cell's own MIME types, and `OUTPUT_KINDS`, the one table of the MIME
 * types an output shows. The element's renderers (`components/outputs/render.ts`), the text for
 * readers without JavaScript (`cell/stored-outputs.ts`) and Python's display table
 * (`python/pycell/_mime.py`, made from this file; `test/unit/output-kinds.test.ts` checks it) all
 * follow it.
 */

/** py-cell's own MIME types (Python has them from `python/pycell/_mime.py`). */
export const ARRAY_MIME = 'application/vnd.py-cell.array';
export const ERROR_MIME = 'application/vnd.py-cell.error+json';
/** A live DOM node (main-thread mode only). */
export const DOM_MIME = 'application/vnd.py-cell.dom';
/** A canvas Python draws on: `{id, width, height}`; frames follow as `canvas-frame` messages. */
export const CANVAS_MIME = 'application/vnd.py-cell.canvas';
/** Marks an `image/svg+xml` entry that came as bytes: shown as an image, not inline. */
export const SVG_AS_IMAGE = 'application/vnd.py-cell.svg-as-image';
/** The bundle's text/plain is a stand-in for a repr too long to make: format the array instead. */
export const REPR_SKIPPED = 'application/vnd.py-cell.repr-skipped';
/** The text alternative of what a bundle shows (`pycell.display(obj, alt="…")`, or `alt` in its metadata). */
export const ALT_MIME = 'application/vnd.py-cell.alt';

/** One kind of output: its MIME type, how Python makes it, what a reader without JavaScript gets. */
export interface OutputKind {
  readonly mime: string;
  /** The method of a Python object that gives this type; Python tries them in the table's order. */
  readonly repr?: `_repr_${string}_`;
  /** Python may give the data as bytes: it is sent base64-encoded. */
  readonly binary?: true;
  /**
   * What the stored text for readers without JavaScript takes from a bundle holding this type:
   * `own`, this type's own text (HTML's, Markdown's source, an array as NumPy prints it), tried in
   * the table's order; `none`, nothing (an image's text/plain is a repr a reader cannot use);
   * `plain`, the bundle's text/plain.
   */
  readonly fallback: 'own' | 'none' | 'plain';
}

/**
 * Every MIME type an output shows, richest first: a bundle is shown as the first of these it
 * holds with data of the promised shape.
 */
export const OUTPUT_KINDS = [
  { mime: ERROR_MIME, fallback: 'plain' },
  { mime: DOM_MIME, fallback: 'plain' },
  { mime: CANVAS_MIME, fallback: 'plain' },
  { mime: ARRAY_MIME, fallback: 'own' },
  // Charts: Altair's bundles (Vega-Lite v4 to v6), Vega's, Plotly's; drawn from their JSON specs.
  { mime: 'application/vnd.vegalite.v6+json', fallback: 'own' },
  { mime: 'application/vnd.vegalite.v5+json', fallback: 'own' },
  { mime: 'application/vnd.vegalite.v4+json', fallback: 'own' },
  { mime: 'application/vnd.vega.v6+json', fallback: 'own' },
  { mime: 'application/vnd.vega.v5+json', fallback: 'own' },
  { mime: 'application/vnd.plotly.v1+json', fallback: 'own' },
  { mime: 'text/html', repr: '_repr_html_', fallback: 'own' },
  { mime: 'image/svg+xml', repr: '_repr_svg_', fallback: 'none' },
  { mime: 'image/png', repr: '_repr_png_', binary: true, fallback: 'none' },
  { mime: 'image/jpeg', repr: '_repr_jpeg_', binary: true, fallback: 'none' },
  { mime: 'image/gif', binary: true, fallback: 'none' },
  { mime: 'text/markdown', repr: '_repr_markdown_', fallback: 'own' },
  { mime: 'text/latex', repr: '_repr_latex_', fallback: 'own' },
  { mime: 'text/plain', fallback: 'plain' },
] as const satisfies readonly OutputKind[];

/** The chart types of `OUTPUT_KINDS`, and the library that draws each. */
export function chartLibrary(mime: string): 'vega-lite' | 'vega' | 'plotly' | null {
  if (/^application\/vnd\.vegalite\.v[456]\+json$/.test(mime)) return 'vega-lite';
  if (/^application\/vnd\.vega\.v[56]\+json$/.test(mime)) return 'vega';
  return mime === 'application/vnd.plotly.v1+json' ? 'plotly' : null;
}

/** The MIME types of `OUTPUT_KINDS`: one renderer each. */
export type OutputMime = (typeof OUTPUT_KINDS)[number]['mime'];

/** The MIME types of `OUTPUT_KINDS` whose fallback is `fallback`. */
export type OutputMimeWith<Fallback extends OutputKind['fallback']> = Extract<
  (typeof OUTPUT_KINDS)[number],
  { fallback: Fallback }
>['mime'];
