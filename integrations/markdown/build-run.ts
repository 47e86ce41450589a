/**
 * Running a page's cells when the site is built, for both Markdown plugins: the settings they
 * take, the cache of outputs between builds, the failure message of `failOnError`, and, for
 * markdown-it (which renders synchronously, as VitePress calls it), a run in a child Node process
 * waited for. Each run goes through `py-cell/prerender` (dist/prerender.js, beside the plugins).
 */
import type { Cell } from './shared.js';

/** The options of `py-cell prerender` a Markdown build may set (see `py-cell/prerender`). */
export interface PrerenderSettings {
  timeoutSeconds?: number;
  packages?: string[];
  packageURL?: string;
  runtime?: string;
  snapshot?: boolean;
  /**
   * Fail the page when a cell raises an exception as it is built (as `py-cell prerender
   * --fail-on-error` does), naming each such cell with its position and what it raised. Default
   * `false`: the traceback is stored and shown, as a lesson about errors means it to be.
   */
  failOnError?: boolean;
  /**
   * A folder that keeps each cell's outputs between builds, by a digest of everything they depend
   * on (its code, the earlier cells of its session, the runtime, py-cell, these settings, the
   * wheels' content): an unchanged page starts no Python. Default
   * `node_modules/.cache/py-cell/outputs` in the working folder; `false`: run every build.
   */
  cache?: string | false;
}

/**
 * The few Node functions the runs use, reached through `process.getBuiltinModule` (Node 20.16):
 * the plugins import nothing of Node, so that a page renderer in a browser can load them too.
 */
interface NodeModules {
  'node:child_process': {
    spawnSync: (command: string, args: string[], options: object) => { status: number | null; error?: Error; stderr: string };
  };
  'node:fs': {
    mkdtempSync: (prefix: string) => string;
    readFileSync: (path: string, encoding: 'utf8') => string;
    rmSync: (path: string, options: { recursive: boolean; force: boolean }) => void;
  };
  'node:os': { tmpdir: () => string };
  'node:path': { join: (...parts: string[]) => string };
}
interface NodeProcess {
  execPath: string;
  getBuiltinModule?<K extends keyof NodeModules>(name: K): NodeModules[K];
}

/** A Node built-in module, or an error saying builds that run cells need Node 20.16 or later. */
function nodeModule<K extends keyof NodeModules>(name: K): NodeModules[K] {
  const process = (globalThis as { process?: NodeProcess }).process;
  if (!process?.getBuiltinModule) throw new Error('py-cell: running cells when a page is built (prerender) needs Node 20.16 or later');
  return process.getBuiltinModule(name);
}

/** A cell as `prerenderCells` takes it. */
export interface CellSource {
  code: string;
  attributes: Record<string, string | null>;
}

/** A plugin's cell as `prerenderCells` takes it: the learner's code and the attributes. */
export const cellSource = (cell: Cell): CellSource => ({
  code: cell.parts.find((part) => part.role === 'code')?.text ?? '',
  attributes: Object.fromEntries(cell.attributes.map(({ name, value }) => [name, value ?? null])),
});

/** What `prerenderCells` answers. */
export interface Prerendered {
  outputs: Array<{ json: string; texts: Array<[string, string]> } | null>;
  report: { failure?: string; cells: Array<{ cell: number; status: string; reason?: string; reused?: true }> };
}

/** The part of `py-cell/prerender` the plugins use. */
export interface PrerenderModule {
  prerenderCells(cells: CellSource[], page: string, options: Record<string, unknown>): Promise<Prerendered>;
}

/** dist/prerender.js, beside the plugin's own module. */
export const prerenderModuleURL = (): string => new URL('./prerender.js', import.meta.url).href;

/** Where the outputs are kept between builds by default (relative to the working folder, as build tools keep theirs). */
const DEFAULT_CACHE = 'node_modules/.cache/py-cell/outputs';

/** The options `prerenderCells` gets for a plugin's settings (`failOnError` is the plugin's own). */
export function prerenderSettings(settings: PrerenderSettings): Record<string, unknown> {
  const { failOnError: _ignored, cache = DEFAULT_CACHE, ...rest } = settings;
  return { ...rest, ...(cache === false ? {} : { cache }) };
}

/**
 * The `failOnError` failure for a page's report, or `null` when no cell raised. `line` gives a
 * cell's line in the page (1-based cell number).
 */
export function raisedMessage(report: Prerendered['report'], line: (cell: number) => number | undefined): string | null {
  const raised = report.cells.filter((cell) => cell.status === 'error');
  if (raised.length === 0) return null;
  const which = raised.map(({ cell, reason }) => `cell ${cell} (line ${line(cell) ?? '?'}): ${reason ?? 'an exception'}`);
  return `py-cell: ${raised.length === 1 ? 'a cell' : `${raised.length} cells`} raised when the page was built (failOnError): ${which.join('; ')}`;
}

/** The child process's program: reads its request on stdin, writes the answer to a file (stdout is Python's to print on). */
const CHILD = `
import { readFileSync, writeFileSync } from 'node:fs';
const { module, cells, page, options, answer } = JSON.parse(readFileSync(0, 'utf8'));
const { prerenderCells } = await import(module);
writeFileSync(answer, JSON.stringify(await prerenderCells(cells, page, options)));
`;

/** Runs of this process, by page, cells and options (a page rendered twice runs once); the oldest goes past 500. */
const runs = new Map<string, Prerendered>();

/**
 * Runs one page's cells and waits for them (markdown-it renders synchronously): in a child Node
 * process, so this one is blocked only as long as the run takes. A child that fails throws.
 */
export function prerenderCellsSync(cells: CellSource[], page: string, options: Record<string, unknown>): Prerendered {
  const key = JSON.stringify([page, cells, options]);
  const known = runs.get(key);
  if (known) return known;
  const { spawnSync } = nodeModule('node:child_process');
  const { mkdtempSync, readFileSync, rmSync } = nodeModule('node:fs');
  const { tmpdir } = nodeModule('node:os');
  const { join } = nodeModule('node:path');
  const folder = mkdtempSync(join(tmpdir(), 'py-cell-prerender-'));
  try {
    const answer = join(folder, 'answer.json');
    const input = JSON.stringify({ module: prerenderModuleURL(), cells, page, options, answer });
    const child = spawnSync(
      (globalThis as unknown as { process: NodeProcess }).process.execPath,
      ['--input-type=module', '--eval', CHILD],
      {
        input,
        encoding: 'utf8',
        stdio: ['pipe', 'ignore', 'pipe'],
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    if (child.status !== 0) {
      const why = child.error?.message ?? (child.stderr.trim().split('\n').slice(-8).join('\n') || `exit code ${child.status}`);
      throw new Error(`py-cell: could not run the cells of ${page} when the page was built: ${why}`);
    }
    const done = JSON.parse(readFileSync(answer, 'utf8')) as Prerendered;
    runs.set(key, done);
    if (runs.size > 500) runs.delete(runs.keys().next().value!);
    return done;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
