/**
 * `py-cell prerender` as a Node API: runs the cells of HTML pages at build time, in page order,
 * one interpreter per page (named sessions share globals, as in the browser), and writes each
 * cell's outputs into the page for the element to show before Python starts. See
 * `docs/decisions/0012-prerender.md`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { prepareRun, type Preparation } from '../cell/run-request.js';
import { dedent } from '../cell/source.js';
import { codeHash, fallbackTexts, PRERENDERED_VERSION, readPrerendered, serializePrerendered } from '../cell/stored-outputs.js';
import { errorMessage } from '../runtime/shared/errors.js';
import { DEFAULT_PACKAGE_URL } from '../runtime/shared/version.js';
import { isWheelReference } from '../runtime/shared/wheels.js';
import { htmlText } from './fallback-text.js';
import { findCells, prerenderedMarkup, rewrite, type PageCell } from './page-html.js';
import { PageRunner, type CellOutcome } from './page-runner.js';

export interface PrerenderOptions {
  /** Compare the stored outputs with a fresh run and write nothing (`--check`). */
  check?: boolean;
  /** A cell running longer is interrupted, in seconds. Default 60. */
  timeoutSeconds?: number;
  /** Restore Python from the build's snapshot when it fits this Node. Default true. */
  snapshot?: boolean;
  /** The runtime folder (Pyodide and py-cell's files). Default: the package's own `wasm-dist/`. */
  runtime?: string | URL;
  /** Where packages the runtime folder lacks come from, as `configure({packageURL})`. Default: Pyodide's CDN. */
  packageURL?: string;
  /** Packages every cell may import (as `configure({packages})` on the page): names, or wheel paths or URLs. */
  packages?: string[];
  /** Called after each page, in order. */
  onPage?: (report: PageReport) => void;
}

/** What became of one cell. */
export interface CellReport {
  /** Its number in the page, 1-based. */
  cell: number;
  /**
   * `done`/`error`: it ran (`error`: it raised); `skipped`: it needs the page and was left as it
   * was (`reason` says why); `changed`: with `check`, its stored outputs differ from a fresh run.
   */
  status: 'done' | 'error' | 'skipped' | 'changed';
  /** Why it was skipped or changed; for `error`, what it raised. */
  reason?: string;
}

export interface PageReport {
  /** The file, or the name given to `prerenderHTML`. */
  page: string;
  cells: CellReport[];
  /** The page with its outputs (unchanged with `check`). */
  html: string;
  /** Why no cell of the page could run (Python did not start), if so. */
  failure?: string;
  seconds: number;
}

export interface PrerenderSummary {
  pages: PageReport[];
  cells: number;
  errors: number;
  skipped: number;
  changed: number;
  failed: number;
  seconds: number;
}

const packageRoot = new URL('../', import.meta.url);
const defaultWorker = new URL('prerender-worker.js', import.meta.url);

function runtimeURL(runtime: string | URL | undefined): string {
  if (runtime === undefined) return new URL('wasm-dist/', packageRoot).href;
  const url = runtime instanceof URL ? runtime : /^[a-z][a-z0-9+.-]+:/i.test(runtime) ? new URL(runtime) : pathToFileURL(runtime);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** Why a cell is left for the browser, from its markup alone; `null` when it can run here. */
function needsPage(cell: PageCell): string | null {
  if (cell.attributes.has('data-no-prerender')) return 'it has data-no-prerender';
  if (cell.attributes.has('main-thread')) return 'it runs on the main thread (main-thread)';
  if (cell.attributes.has('exercise')) return 'it is an exercise';
  return null;
}

/** The run request the element would send for `cell` (`cell/run-request.ts`); wheel paths resolve against the page. */
function requestFor(cell: PageCell, base: string): Preparation {
  const attribute = (name: string) => cell.attributes.get(name) ?? null;
  return prepareRun({
    code: cell.code,
    session: attribute('session'),
    packages: attribute('packages'),
    number: cell.number,
    exercise: null, // exercises are left for the browser (needsPage)
    checking: false,
    base,
  });
}

/** Folders of the build machine that pages must not name, longest first (`/` alone is never one). */
const BUILD_FOLDERS = [process.cwd(), homedir()].filter((path) => path.length > 1).sort((a, b) => b.length - a.length);

/** `file:` URLs become the file's name; the build's working folder `.`, its home folder `~`. */
function scrubPaths(text: string): string {
  let scrubbed = text.replace(/file:\/\/[^\s"'<>`]*/g, (url) => url.slice(url.lastIndexOf('/') + 1) || 'file');
  for (const path of BUILD_FOLDERS) scrubbed = scrubbed.split(path).join(path === process.cwd() ? '.' : '~');
  return scrubbed;
}

/** A cell's stored outputs: the data (JSON) and the text for readers without JavaScript. */
export interface StoredOutputs {
  json: string;
  texts: Array<[string, string]>;
}

/**
 * Runs `cells` in order in one interpreter (`base`: the URL relative wheel paths resolve
 * against) and says what became of each in `report`; returns the outputs of those that ran.
 */
async function runCells(
  cells: readonly PageCell[],
  base: string,
  options: PrerenderOptions,
  report: PageReport,
): Promise<Map<number, StoredOutputs>> {
  const stored = new Map<number, StoredOutputs>();
  const runnable = cells.filter((cell) => needsPage(cell) === null && cell.insertAt !== null);
  const indexURL = runtimeURL(options.runtime);
  let runner: PageRunner | null = null;
  try {
    if (runnable.length > 0) {
      runner = new PageRunner({
        indexURL,
        workerURL: defaultWorker,
        packageURL: (options.packageURL ?? DEFAULT_PACKAGE_URL).replace(/\/?$/, '/'),
        timeoutSeconds: options.timeoutSeconds ?? 60,
        snapshot: options.snapshot ?? true,
        packages: (options.packages ?? []).map((name) =>
          isWheelReference(name) ? new URL(name, pathToFileURL(`${process.cwd()}/`)).href : name,
        ),
        wheels: runnable.flatMap((cell) => (requestFor(cell, base).request?.packages ?? []).filter(isWheelReference)),
      });
    }
    const pyodide = runner ? await runner.ready : '';
    // Where the build found its files is no business of the page's readers: messages name the
    // runtime folder `wasm-dist/` and the page's own folder `./` instead, any other file by its
    // name alone, and the build's working and home folders `.` and `~`.
    const folder = new URL('./', base).href;
    const scrub = (text: string) => scrubPaths(text.split(indexURL).join('wasm-dist/').split(folder).join('./'));
    for (const cell of cells) {
      const reason = needsPage(cell) ?? (cell.insertAt === null ? 'it has no end tag' : null);
      if (reason || !runner) {
        report.cells.push({ cell: cell.number, status: 'skipped', reason: reason ?? '' });
        continue;
      }
      const prepared = requestFor(cell, base);
      let outcome: CellOutcome;
      try {
        // An invalid attribute is shown as the element shows it, without running anything.
        outcome = prepared.request
          ? await runner.run(prepared.request)
          : { status: 'error', outputs: [{ kind: 'error', error: prepared.error ?? prepared.blanks }], elapsedMs: 0, timedOut: false };
      } catch (error) {
        report.cells.push({ cell: cell.number, status: 'skipped', reason: `it could not run: ${errorMessage(error)}` });
        continue;
      }
      if (outcome.needsPage !== undefined) {
        report.cells.push({ cell: cell.number, status: 'skipped', reason: outcome.needsPage });
        continue;
      }
      const json = scrub(
        serializePrerendered({
          version: PRERENDERED_VERSION,
          hash: codeHash(cell.code),
          pyodide,
          status: outcome.status,
          outputs: outcome.outputs,
        }),
      );
      const texts = fallbackTexts(outcome.outputs, htmlText).map(([name, text]): [string, string] => [name, scrub(text)]);
      stored.set(cell.number, { json, texts });
      const timedOut = outcome.timedOut ? `it ran past ${options.timeoutSeconds ?? 60} s and was interrupted` : undefined;
      if (options.check && !sameOutputs(cell, json)) {
        report.cells.push({
          cell: cell.number,
          status: 'changed',
          reason: cell.stored === null ? 'it has no stored outputs' : 'its stored outputs differ from a fresh run',
        });
      } else {
        const raised = outcome.outputs.filter((item) => item.kind === 'error').at(-1);
        const what = raised?.kind === 'error' ? `${raised.error.type}: ${raised.error.message.split('\n')[0]}` : undefined;
        const reason = what && timedOut ? `${what} (${timedOut})` : (what ?? timedOut);
        report.cells.push({ cell: cell.number, status: outcome.status, ...(reason ? { reason } : {}) });
      }
    }
  } catch (error) {
    report.failure = errorMessage(error);
  } finally {
    await runner?.close();
  }
  return stored;
}

/**
 * Runs the cells of one page (`html`; `page` names it in reports, and is the base of relative
 * wheel paths when it is a file) and returns the page with their outputs.
 */
export async function prerenderHTML(html: string, page: string, options: PrerenderOptions = {}): Promise<PageReport> {
  const start = performance.now();
  const cells = findCells(html);
  const report: PageReport = { page, cells: [], html, seconds: 0 };
  const stored = await runCells(cells, pathToFileURL(page).href, options, report);
  if (!options.check && !report.failure) {
    const markup = new Map([...stored].map(([number, { json, texts }]) => [number, prerenderedMarkup(json, texts)]));
    report.html = rewrite(html, cells, markup);
  }
  report.seconds = (performance.now() - start) / 1000;
  return report;
}

/** A cell given by its parts rather than in HTML (a Markdown plugin's): `code` as written, before dedenting. */
export interface CellSource {
  code: string;
  /** Its attributes (`session`, `packages`, `main-thread`, `exercise`, …); `null` for an attribute without a value. */
  attributes?: Record<string, string | null>;
}

/**
 * Runs `cells`, one page's, in order (`page` names it in reports, and is the base of relative
 * wheel paths); answers each cell's stored outputs (`null`: it did not run, the report says why).
 */
export async function prerenderCells(
  cells: readonly CellSource[],
  page: string,
  options: PrerenderOptions = {},
): Promise<{ outputs: Array<StoredOutputs | null>; report: PageReport }> {
  const start = performance.now();
  const pageCells = cells.map((cell, i): PageCell => ({
    number: i + 1,
    code: dedent(cell.code),
    attributes: new Map(Object.entries(cell.attributes ?? {}).map(([name, value]) => [name, value ?? ''])),
    stored: null,
    previous: [],
    insertAt: 0,
  }));
  const report: PageReport = { page, cells: [], html: '', seconds: 0 };
  const stored = await runCells(pageCells, pathToFileURL(page).href, { ...options, check: false }, report);
  report.seconds = (performance.now() - start) / 1000;
  return { outputs: pageCells.map((cell) => stored.get(cell.number) ?? null), report };
}

/** Whether the cell's stored outputs are those of a fresh run (`json`). */
function sameOutputs(cell: PageCell, json: string): boolean {
  if (cell.stored === null) return false;
  const stored = readPrerendered(cell.stored, cell.code);
  const fresh = readPrerendered(json, cell.code);
  return 'outputs' in stored && 'outputs' in fresh && JSON.stringify(stored.outputs) === JSON.stringify(fresh.outputs);
}

/** Prerenders each HTML file in place (with `check`, only compares), one after another. */
export async function prerenderFiles(files: readonly string[], options: PrerenderOptions = {}): Promise<PrerenderSummary> {
  const start = performance.now();
  const summary: PrerenderSummary = { pages: [], cells: 0, errors: 0, skipped: 0, changed: 0, failed: 0, seconds: 0 };
  for (const file of files) {
    let report: PageReport;
    try {
      const html = await readFile(file, 'utf8');
      report = await prerenderHTML(html, file, options);
      if (!options.check && !report.failure && report.html !== html) await writeFile(file, report.html);
    } catch (error) {
      report = { page: file, cells: [], html: '', failure: errorMessage(error), seconds: 0 };
    }
    summary.pages.push(report);
    summary.cells += report.cells.length;
    summary.errors += report.cells.filter((cell) => cell.status === 'error').length;
    summary.skipped += report.cells.filter((cell) => cell.status === 'skipped').length;
    summary.changed += report.cells.filter((cell) => cell.status === 'changed').length;
    if (report.failure) summary.failed++;
    options.onPage?.(report);
  }
  summary.seconds = (performance.now() - start) / 1000;
  return summary;
}
