/**
 * The exact Pyodide version py-cell is built and tested against. `scripts/copy-runtime.mjs`
 * fails the build when the installed `pyodide` npm package differs, and the runtime refuses to
 * start when the files in `wasm-dist/` report another version.
 */
export const PYODIDE_VERSION = '314.0.7';

/** Bumped whenever a message in `protocol.ts` changes shape; part of the runtime cache key. */
export const PROTOCOL_VERSION = 3;

/** Where packages the runtime folder lacks come from by default: Pyodide's CDN for this version. */
export const DEFAULT_PACKAGE_URL = `https://cdn.jsdelivr.net/pyodide/v${PYODIDE_VERSION}/full/`;
