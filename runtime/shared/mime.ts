/** py-cell's own MIME types (mirrored in `python/pycell/_display.py`). */
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
