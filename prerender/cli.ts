/**
 * `npx py-cell prerender [options] <files or folders…>`: runs the cells of built HTML pages and
 * writes their outputs into them (folders: every `.html` file under them). Exit status 1 when a
 * page could not be prerendered, with `--check` when stored outputs differ from a fresh run, with
 * `--fail-on-error` when a cell raised; 2 for a usage error. `npx py-cell assets [--check] <folder>`:
 * the files a site serves, copied (`assets.ts`).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prerenderFiles, type PageReport } from './api.js';
import { copyAssets } from './assets.js';

const USAGE = `Usage: py-cell prerender [options] <files or folders…>
       py-cell assets [--check] <folder>

Runs every <py-cell> of each HTML page in Node (one Python per page, in page order) and writes
its outputs into the page, shown before Python starts. Folders are searched for .html files.

Options:
  --check            write nothing; exit 1 when stored outputs differ from a fresh run
  --incremental      keep the stored outputs of cells whose code, session's earlier cells,
                     packages, options and runtime did not change since (a page whose cells
                     all are kept starts no Python)
  --jobs <n>         pages prerendered at once, each in a Python of its own (default: the
                     number of cores)
  --fail-on-error    exit 1 when a cell raised an exception
  --timeout <s>      interrupt a cell that runs longer (default 60)
  --packages <list>  packages every cell may import, as configure({packages}) on the page
  --package-url <u>  where packages not in the runtime folder come from (default: Pyodide's CDN)
  --runtime <dir>    the runtime folder (default: this package's wasm-dist/)
  --no-snapshot      start Python normally instead of from the build's snapshot
  --quiet            print the summary only
  --help

py-cell assets puts exactly the files a site serves into <folder> (dist/ and wasm-dist/ side by
side, without source maps, declarations or build files, with py-cell-assets.json naming the
version); run again, it changes only what changed. With --check it writes nothing and exits 1
when the folder is not current.`;

async function htmlFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if (!(await stat(path)).isDirectory()) {
      files.push(path);
      continue;
    }
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    const found = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.html'));
    files.push(...found.map((entry) => join(entry.parentPath, entry.name)).sort());
  }
  return files;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function pageLine(report: PageReport): string[] {
  if (report.failure) return [`${report.page}: FAILED: ${report.failure}`];
  const count = (status: string) => report.cells.filter((cell) => cell.status === status).length;
  const parts = [plural(report.cells.length, 'cell')];
  if (count('error')) parts.push(plural(count('error'), 'error'));
  if (count('skipped')) parts.push(`${count('skipped')} left for the browser`);
  if (count('changed')) parts.push(`${count('changed')} changed`);
  const reused = report.cells.filter((cell) => cell.reused).length;
  if (reused) parts.push(`${reused} reused`);
  const lines = [`${report.page}: ${parts.join(', ')} (${report.seconds.toFixed(1)} s)`];
  for (const cell of report.cells) {
    if (cell.status === 'error') lines.push(`  cell ${cell.cell}: raised ${cell.reason ?? 'an exception'}`);
    else if (cell.status !== 'done')
      lines.push(`  cell ${cell.cell}: ${cell.status === 'skipped' ? 'left as it is' : 'changed'}: ${cell.reason ?? ''}`);
  }
  return lines;
}

/** `py-cell assets [--check] <folder>`. */
async function assets(folder: string, check: boolean): Promise<number> {
  try {
    const { written, removed, unchanged } = await copyAssets(folder, { check });
    const changes = [
      ...written.map((path) => `${check ? 'stale' : 'wrote'}: ${path}`),
      ...removed.map((path) => `${check ? 'extra' : 'removed'}: ${path}`),
    ];
    for (const line of changes) console.log(line);
    console.log(
      `py-cell assets: ${folder}: ${written.length} ${check ? 'to write' : 'written'}, ${removed.length} ${check ? 'to remove' : 'removed'}, ${unchanged} unchanged`,
    );
    return check && changes.length > 0 ? 1 : 0;
  } catch (error) {
    console.error(`py-cell assets: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        check: { type: 'boolean' },
        incremental: { type: 'boolean' },
        jobs: { type: 'string' },
        'fail-on-error': { type: 'boolean' },
        timeout: { type: 'string' },
        packages: { type: 'string' },
        'package-url': { type: 'string' },
        runtime: { type: 'string' },
        'no-snapshot': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...paths] = positionals;
  if (command === 'assets' && paths.length === 1) return assets(paths[0]!, values.check === true);
  if (command !== 'prerender' || paths.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const timeout = values.timeout === undefined ? 60 : Number(values.timeout);
  if (!(timeout > 0)) {
    console.error(`--timeout must be a positive number of seconds, not ${values.timeout ?? ''}`);
    return 2;
  }
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
    console.error(`--jobs must be a whole number of at least 1, not ${values.jobs ?? ''}`);
    return 2;
  }
  let files: string[];
  try {
    files = await htmlFiles(paths);
  } catch (error) {
    console.error(`py-cell prerender: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const summary = await prerenderFiles(files, {
    check: values.check === true,
    incremental: values.incremental === true,
    ...(jobs ? { jobs } : {}),
    timeoutSeconds: timeout,
    snapshot: values['no-snapshot'] !== true,
    packages: values.packages?.split(/[\s,]+/).filter(Boolean) ?? [],
    ...(values.runtime ? { runtime: values.runtime } : {}),
    ...(values['package-url'] ? { packageURL: values['package-url'] } : {}),
    onPage: (report) => {
      if (!values.quiet || report.failure) for (const line of pageLine(report)) console.log(line);
    },
  });
  const verb = values.check ? 'Checked' : 'Prerendered';
  console.log(
    `${verb} ${plural(summary.pages.length, 'page')}: ${plural(summary.cells, 'cell')}, ${plural(summary.errors, 'error')}, ` +
      `${summary.skipped} left for the browser${values.check ? `, ${summary.changed} changed` : ''}` +
      (values.incremental && !values.check ? `, ${summary.reused} reused` : '') +
      `${summary.failed ? `, ${summary.failed} failed` : ''}, in ${summary.seconds.toFixed(1)} s`,
  );
  const failed =
    summary.failed > 0 || (values.check === true && summary.changed > 0) || (values['fail-on-error'] === true && summary.errors > 0);
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
