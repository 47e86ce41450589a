/**
 * `py-cell prerender` as a Node API: runs the cells of HTML pages at build time, in page order,
 * one interpreter per page (named sessions share globals, as in the browser), and writes each
 * cell's outputs into the page for the element to show before Python starts. See
 * `docs/decisions/0012-prerender.md`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, homedir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { dedent } from '../cell/source.js';
import type { OutputItem } from '../cell/output-model.js';
import { codeHash, fallbackTexts, PRERENDERED_VERSION, readPrerendered, serializePrerendered } from '../cell/stored-outputs.js';
import { errorMessage } from '../runtime/shared/errors.js';
import { DEFAULT_PACKAGE_URL } from '../runtime/shared/version.js';
import { isWheelReference } from '../runtime/shared/wheels.js';
import { htmlText } from './fallback-text.js';
import { buildDigest, cellDigests, keptOutputs, type CellDigest } from './inputs.js';
import { cacheCell, cachedCells, type CachedCell } from './outputs-cache.js';
import { findCells, needsPage, prerenderedMarkup, requestFor, rewrite, type PageCell } from './page-html.js';
import { PageRunner, raised, type CellOutcome } from './page-runner.js';

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
  /**
   * Keep a cell's stored outputs, without running it, when nothing they depend on changed (its
   * code, the code and packages of the earlier cells of its session, the runtime, py-cell, the
   * options: `prerender/inputs.ts`); a session with a cell that changed runs whole. A page whose
   * cells are all kept starts no Python. Ignored with `check`.
   */
  incremental?: boolean;
  /**
   * A folder where each cell's outputs are kept by its digest (what `incremental` compares), for
   * builds that render their pages anew each time (the Markdown plugins): a session whose every
   * cell is there is not run, its cells are reported `reused`. Ignored with `check`.
   */
  cache?: string;
  /** How many pages `prerenderFiles` prerenders at once, each in a Python of its own. Default: the number of cores. */
  jobs?: number;
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
  /** With `incremental`: its stored outputs were kept, and it did not run (`status` is theirs). */
  reused?: true;
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
  /** Cells whose stored outputs were kept (`incremental`). */
  reused: number;
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
  const timeoutSeconds = options.timeoutSeconds ?? 60;
  const packageURL = (options.packageURL ?? DEFAULT_PACKAGE_URL).replace(/\/?$/, '/');
  const packages = (options.packages ?? []).map((name) =>
    isWheelReference(name) ? new URL(name, pathToFileURL(`${process.cwd()}/`)).href : name,
  );
  let runner: PageRunner | null = null;
  try {
    const prepared = new Map(runnable.map((cell) => [cell.number, requestFor(cell, base)]));
    const build = await buildDigest({ indexURL, packageURL, packages, timeoutSeconds, version: PRERENDERED_VERSION });
    const digests = await cellDigests(
      build,
      cells.map((cell) => {
        const preparation = prepared.get(cell.number);
        return preparation ? (preparation.request ?? JSON.stringify(preparation.error ?? preparation.blanks)) : null;
      }),
    );
    const digestOf = (cell: PageCell): CellDigest | null => digests[cell.number - 1] ?? null;
    const reused = options.incremental && !options.check ? keptOutputs(runnable, digestOf) : new Map<number, OutputItem[]>();
    const cache = options.check ? undefined : options.cache;
    const cached = cache ? await cachedCells(cache, runnable, digestOf) : new Map<number, CachedCell>();
    if (runnable.some((cell) => !reused.has(cell.number) && !cached.has(cell.number))) {
      runner = new PageRunner({
        indexURL,
        workerURL: defaultWorker,
        packageURL,
        timeoutSeconds,
        snapshot: options.snapshot ?? true,
        packages,
        wheels: runnable.flatMap((cell) => (prepared.get(cell.number)!.request?.packages ?? []).filter(isWheelReference)),
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
      const kept = reused.get(cell.number);
      if (kept && !reason) {
        const what = raised(kept);
        report.cells.push({ cell: cell.number, status: what ? 'error' : 'done', reused: true, ...(what ? { reason: what } : {}) });
        continue;
      }
      const hit = cached.get(cell.number);
      if (hit && !reason) {
        stored.set(cell.number, { json: hit.json, texts: hit.texts });
        report.cells.push({ cell: cell.number, status: hit.status, reused: true, ...(hit.reason ? { reason: hit.reason } : {}) });
        continue;
      }
      if (reason || !runner) {
        report.cells.push({ cell: cell.number, status: 'skipped', reason: reason ?? '' });
        continue;
      }
      const preparation = prepared.get(cell.number)!;
      let outcome: CellOutcome;
      try {
        // An invalid attribute is shown as the element shows it, without running anything.
        outcome = preparation.request
          ? await runner.run(preparation.request)
          : {
              status: 'error',
              outputs: [{ kind: 'error', error: preparation.error ?? preparation.blanks }],
              elapsedMs: 0,
              timedOut: false,
            };
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
          inputs: digestOf(cell)!.digest,
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
        const what = raised(outcome.outputs);
        const reason = what && timedOut ? `${what} (${timedOut})` : (what ?? timedOut);
        report.cells.push({ cell: cell.number, status: outcome.status, ...(reason ? { reason } : {}) });
        // A run cut short by the time limit may finish next time: not kept.
        if (cache && !timedOut)
          await cacheCell(cache, digestOf(cell)!.digest, { json, texts, status: outcome.status, ...(reason ? { reason } : {}) });
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

/** Prerenders one HTML file in place (with `check`, only compares). */
async function prerenderFile(file: string, options: PrerenderOptions): Promise<PageReport> {
  try {
    const html = await readFile(file, 'utf8');
    const report = await prerenderHTML(html, file, options);
    if (!options.check && !report.failure && report.html !== html) await writeFile(file, report.html);
    return report;
  } catch (error) {
    return { page: file, cells: [], html: '', failure: errorMessage(error), seconds: 0 };
  }
}

/**
 * Prerenders each HTML file in place (with `check`, only compares), `jobs` pages at a time, each
 * in a Python of its own; `onPage` hears of the pages in the order given.
 */
export async function prerenderFiles(files: readonly string[], options: PrerenderOptions = {}): Promise<PrerenderSummary> {
  const start = performance.now();
  const summary: PrerenderSummary = { pages: [], cells: 0, errors: 0, skipped: 0, changed: 0, reused: 0, failed: 0, seconds: 0 };
  const jobs = Math.max(1, Math.min(files.length, Math.floor(options.jobs ?? availableParallelism())));
  const done: Array<PageReport | undefined> = [];
  const told = () => {
    for (let report = done[summary.pages.length]; report; report = done[summary.pages.length]) {
      summary.pages.push(report);
      const { cells } = report;
      const count = (test: (cell: CellReport) => boolean) => cells.filter(test).length;
      summary.cells += report.cells.length;
      summary.errors += count((cell) => cell.status === 'error');
      summary.skipped += count((cell) => cell.status === 'skipped');
      summary.changed += count((cell) => cell.status === 'changed');
      summary.reused += count((cell) => cell.reused === true);
      if (report.failure) summary.failed++;
      options.onPage?.(report);
    }
  };
  let next = 0;
  const job = async () => {
    for (let index = next++; index < files.length; index = next++) {
      done[index] = await prerenderFile(files[index]!, options);
      told();
    }
  };
  await Promise.all(Array.from({ length: jobs }, job));
  summary.seconds = (performance.now() - start) / 1000;
  return summary;
}
