/**
 * The page's configuration: `configure()` overrides the defaults; `currentConfig()` is what is in
 * force, with URLs made absolute against the page. Every option documents its default.
 */
import { parsePackageList } from '../shared/packages.js';
import { DEFAULT_PACKAGE_URL } from '../shared/version.js';
import { isWheelReference, parseWheelFile } from '../shared/wheels.js';

/** Where py-cell finds its files, and page-wide settings. Every field is optional in `configure()`. */
export interface PyCellConfig {
  /**
   * Folder with Pyodide's runtime files (`pyodide.mjs`, `pyodide.asm.wasm`, ...).
   * Default: `../wasm-dist/` relative to the `py-cell.js` module.
   */
  runtimeURL: string;
  /**
   * Where packages that are not in the runtime folder are downloaded from.
   * Default: Pyodide's official package URL for the pinned version.
   */
  packageURL: string;
  /** The engine's worker script. Default: `py-cell-worker.js` beside the `py-cell.js` module. */
  workerURL: string;
  /** Page-wide time limit of a run in seconds, for cells without a `timeout`. Default: none. */
  timeout: number | null;
  /** Seconds a download may receive nothing before it fails, naming its URL. Default 30. */
  stallTimeout: number;
  /**
   * Restore Python from an interpreter snapshot in the runtime folder instead of starting it: a
   * faster first output for about 6 MB more on a first visit. Default true; without the file, or
   * if it fails, Python starts normally.
   */
  snapshot: boolean;
  /**
   * py-cell's service worker (`dist/py-cell-sw.js`, served by the site), through which `input()`
   * waits for the reader in browsers that have neither WebAssembly stack switching nor, on the
   * page, SharedArrayBuffer (Safari on a page that is not cross-origin isolated). Default none:
   * there, `input()` fails with a message saying so.
   */
  inputServiceWorker: string | null;
  /**
   * Keep what readers type in every cell (and their exercises' progress) across visits, as the
   * `persist` attribute does for one cell. Default false.
   */
  persist: boolean;
  /**
   * Page-wide packages. Wheel URLs (absolute, or relative to the page), such as the author's own
   * library: a cell that imports one of a wheel's modules (`import mylib`) loads it first, so it
   * works in every cell without a `packages` attribute. Package names load before every run, as if
   * every cell listed them. Default none.
   */
  packages: string[];
  /**
   * In a named session, running a cell first runs, in page order, every earlier cell of that
   * session that has not run in this page view, so a reader can start in the middle of a
   * tutorial. The default session never does. Default true.
   */
  runEarlier: boolean;
  /**
   * When the runtime starts before the first Run, so that Run answers at once: `'intent'` when the
   * pointer rests on a cell, focus enters one or a touch begins on one; `'visible'` when a cell
   * comes near the viewport; `'eager'` when the browser is idle after the page has loaded; `'none'`
   * at the first run. A page view with no interaction downloads no Python with `'intent'`; no mode
   * preloads when the browser asks to save data, nor for `main-thread` cells. Default `'intent'`.
   */
  preload: PreloadMode;
  /**
   * One Python for every page of the site that uses the same runtime files and settings, kept
   * alive between pages, so the next page's first run answers at once: in browsers that keep a
   * shared worker alive between pages (Chromium), on pages that are not cross-origin isolated,
   * with the worker script on the page's origin. Each page view still gets fresh sessions;
   * imported modules stay. Elsewhere, or `false`, each page starts its own Python in a worker.
   * Default true. See "When Python starts" in the README.
   */
  sharedRuntime: boolean;
  /**
   * The cells' colour scheme: `'auto'` (default) matches the page behind each cell, so a site's
   * own dark toggle (VitePress, Docusaurus, Starlight, Material for MkDocs, Furo,
   * pydata-sphinx-theme...) turns the cells dark and back, and a light-only theme keeps them light;
   * `'light'` or `'dark'` fixes it; a CSS selector means dark while an element of the page matches
   * it (`'html.dark'`, `'[data-theme="dark"]'`).
   */
  colorScheme: string;
}

/** When the runtime starts before the first Run (`preload`). */
export type PreloadMode = 'intent' | 'visible' | 'eager' | 'none';
/** The preload modes, each preloading on its own trigger and on those of the modes before it. */
export const PRELOAD_MODES: readonly PreloadMode[] = ['none', 'intent', 'visible', 'eager'];

/** Seconds a download may receive nothing before it fails (`stallTimeout`). */
const DEFAULT_STALL_TIMEOUT = 30;

function defaults(): PyCellConfig {
  return {
    runtimeURL: new URL('../wasm-dist/', import.meta.url).href,
    packageURL: DEFAULT_PACKAGE_URL,
    workerURL: new URL('./py-cell-worker.js', import.meta.url).href,
    timeout: null,
    stallTimeout: DEFAULT_STALL_TIMEOUT,
    snapshot: true,
    inputServiceWorker: null,
    persist: false,
    packages: [],
    runEarlier: true,
    preload: 'intent',
    sharedRuntime: true,
    colorScheme: 'auto',
  };
}

const isURL = (value: unknown) => typeof value === 'string' && value !== '';
const isSeconds = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;

/** Each option's check, and what a wrong value is told. */
const CHECKS: { [K in keyof PyCellConfig]: [(value: unknown) => boolean, string] } = {
  runtimeURL: [isURL, 'a non-empty URL string'],
  packageURL: [isURL, 'a non-empty URL string'],
  workerURL: [isURL, 'a non-empty URL string'],
  timeout: [(value) => value === null || isSeconds(value), 'a positive number of seconds, or null'],
  stallTimeout: [isSeconds, 'a positive number of seconds'],
  snapshot: [(value) => typeof value === 'boolean', 'true or false'],
  inputServiceWorker: [(value) => value === null || isURL(value), 'a non-empty URL string, or null'],
  persist: [(value) => typeof value === 'boolean', 'true or false'],
  runEarlier: [(value) => typeof value === 'boolean', 'true or false'],
  preload: [(value) => PRELOAD_MODES.includes(value as PreloadMode), "'intent', 'visible', 'eager' or 'none'"],
  sharedRuntime: [(value) => typeof value === 'boolean', 'true or false'],
  colorScheme: [(value) => typeof value === 'string' && value.trim() !== '', "'auto', 'light', 'dark' or a CSS selector"],
  packages: [
    (value) => Array.isArray(value) && value.every(isPackageEntry),
    "an array of package names and wheel URLs (a wheel's file name is name-version-python-abi-platform.whl)",
  ],
};

/** A package name, or a wheel URL whose file name a wheel's is (else the loader could not use it). */
const isPackageEntry = (entry: unknown) =>
  typeof entry === 'string' && parsePackageList(entry).names.length === 1 && (!isWheelReference(entry) || parseWheelFile(entry) !== null);

let overrides: Partial<PyCellConfig> = {};

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** The configuration in force: `configure()`'s values over the defaults, as absolute URLs. */
export function currentConfig(): PyCellConfig {
  const config = { ...defaults(), ...overrides };
  const base = location.href;
  return {
    ...config,
    runtimeURL: withSlash(new URL(config.runtimeURL, base).href),
    packageURL: withSlash(new URL(config.packageURL, base).href),
    workerURL: new URL(config.workerURL, base).href,
    inputServiceWorker: config.inputServiceWorker && new URL(config.inputServiceWorker, base).href,
    packages: config.packages.map((entry) => (isWheelReference(entry) ? new URL(entry, base).href : entry)),
  };
}

/**
 * Overrides where py-cell finds its files and page-wide settings. Relative URLs resolve against
 * the page. Call it before the first cell runs; cells that already use a runtime keep it.
 */
export function configure(config: Partial<PyCellConfig>): void {
  for (const [key, value] of Object.entries(config)) {
    if (!Object.hasOwn(CHECKS, key)) throw new TypeError(`configure(): unknown option '${key}'`);
    const [valid, expected] = CHECKS[key as keyof PyCellConfig];
    if (!valid(value)) throw new TypeError(`configure(): '${key}' must be ${expected}`);
  }
  overrides = { ...overrides, ...config };
  configured.forEach((listener) => listener());
}

const configured = new Set<() => void>();

/** Calls `listener` after every `configure()` (elements already on the page follow page-wide settings). */
export function onConfigure(listener: () => void): () => void {
  configured.add(listener);
  return () => configured.delete(listener);
}
