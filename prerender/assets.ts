/**
 * `npx py-cell assets <folder>`: puts into `<folder>` exactly the files a site serves for py-cell
 * (`dist/`: the element, its chunks, the engines, KaTeX's style sheet and fonts; `wasm-dist/`:
 * Pyodide and the snapshots), side by side as the element expects them, with nothing a reader
 * never fetches (source maps, declarations, READMEs, the build's and the command's own files),
 * and `py-cell-assets.json` naming the version and each file's hash. Run again, it rewrites only
 * what changed and removes what the package no longer has; `--check` writes nothing and says
 * whether the folder is current (for CI).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whether a file of the package (its path from the package root, with `/`) is served to readers. */
export function isServed(path: string): boolean {
  if (path.endsWith('.map') || path.endsWith('.d.ts') || /(^|\/)(README\.md|package\.json)$/.test(path)) return false;
  if (path.startsWith('wasm-dist/')) return true;
  if (path.startsWith('dist/katex/')) return true;
  return /^dist\/py-cell(-[\w-]+)?\.js$/.test(path);
}

async function filesUnder(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** The files of the built package at `packageRoot` that a site serves (paths with `/`), sorted. */
export async function servedFiles(packageRoot: string): Promise<string[]> {
  const files = [...(await filesUnder(packageRoot, 'dist')), ...(await filesUnder(packageRoot, 'wasm-dist'))].filter(isServed).sort();
  if (!files.includes('dist/py-cell.js') || !files.includes('wasm-dist/pyodide.asm.wasm'))
    throw new Error(`${packageRoot} holds no built py-cell (dist/py-cell.js and wasm-dist/ are missing): run npm run build`);
  return files;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export interface AssetsReport {
  /** Files written (new or changed), removed (no longer in the package), and left as they were. */
  written: string[];
  removed: string[];
  unchanged: number;
}

/** Copies the served files of the package at `packageRoot` into `target`; with `check`, only reports what would change. */
export async function copyAssets(
  target: string,
  { check = false, packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..') } = {},
): Promise<AssetsReport> {
  const version = (JSON.parse(await readFile(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const wanted = await servedFiles(packageRoot);
  const report: AssetsReport = { written: [], removed: [], unchanged: 0 };
  const hashes: Record<string, string> = {};
  for (const path of wanted) {
    const bytes = await readFile(join(packageRoot, path));
    hashes[path] = sha256(bytes);
    const present = await readFile(join(target, path)).catch(() => null);
    if (present && sha256(present) === hashes[path]) {
      report.unchanged++;
      continue;
    }
    report.written.push(path);
    if (check) continue;
    await mkdir(dirname(join(target, path)), { recursive: true });
    await writeFile(join(target, path), bytes);
  }
  const keep = new Set(wanted);
  for (const path of [...(await filesUnder(target, 'dist')), ...(await filesUnder(target, 'wasm-dist'))]) {
    if (keep.has(path)) continue;
    report.removed.push(path);
    if (!check) await rm(join(target, path));
  }
  const stamp = `${JSON.stringify({ package: 'py-cell', version, files: hashes }, null, 2)}\n`;
  const stampPath = join(target, 'py-cell-assets.json');
  if ((await readFile(stampPath, 'utf8').catch(() => null)) !== stamp) {
    report.written.push('py-cell-assets.json');
    if (!check) await writeFile(stampPath, stamp);
  }
  return report;
}

/** The package's root when this module runs from its `dist/` (the command and the plugins). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The folder a site plugin serves py-cell's files under (below the site's base): `folder`, or
 * `'py-cell'`, without slashes around it. `plugin` names the plugin in the error for a bad one.
 */
export function assetsFolder(plugin: string, folder: string | undefined): string {
  const clean = (folder ?? 'py-cell').replace(/^\/+|\/+$/g, '');
  if (clean === '' || clean.split('/').some((part) => part === '..' || part === '.'))
    throw new Error(`${plugin}: the folder option must be a folder under the site's base, such as 'py-cell', not '${folder}'.`);
  return clean;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.zip': 'application/zip',
  '.whl': 'application/zip',
};
const typeOf = (path: string) => TYPES[/\.[^.]+$/.exec(path)?.[0] ?? ''] ?? 'application/octet-stream';

/**
 * A development server's middleware (Connect, Express): answers a request under `prefix()` (an
 * absolute path ending in `/`) with that served file of the package at `packageRoot`, and passes
 * on every other request, including one for a file of the package that is not served.
 */
export function serveAssets(
  prefix: () => string,
  packageRoot = PACKAGE_ROOT,
): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  return (request, response, next) => {
    let path: string;
    try {
      path = decodeURIComponent((request.url ?? '').split(/[?#]/)[0]!);
    } catch {
      path = ''; // a malformed escape: not one of ours
    }
    const file = path.slice(prefix().length);
    if (!path.startsWith(prefix()) || !isServed(file) || file.split('/').includes('..')) {
      next();
      return;
    }
    const absolute = join(packageRoot, file);
    stat(absolute).then(
      (info) => {
        if (!info.isFile()) {
          next();
          return;
        }
        response.setHeader('Content-Type', typeOf(file));
        response.setHeader('Content-Length', String(info.size));
        response.setHeader('Cache-Control', 'no-cache');
        createReadStream(absolute).pipe(response);
      },
      () => next(),
    );
  };
}
