/**
 * What a cell's stored outputs depend on, as a digest written beside them (`inputs` in the stored
 * data): `py-cell prerender --incremental` reuses the outputs of a cell while its digest is
 * unchanged. It covers the runtime (its manifest and lock file), py-cell's own prerender code,
 * the options that reach Python (packages, package URL, time limit), and the run requests of the
 * cell and of the earlier cells of its session, with the content of every wheel file they name.
 * Code of other sessions is not in it: sessions do not see each other's variables. See
 * `docs/decisions/0012-prerender.md`.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OutputItem } from '../cell/output-model.js';
import { readPrerendered } from '../cell/stored-outputs.js';
import type { RunRequest } from '../runtime/shared/protocol.js';
import { isWheelReference } from '../runtime/shared/wheels.js';
import type { PageCell } from './page-html.js';

const sha256 = (...parts: Array<string | Uint8Array>) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
};

/** A file's digest, or `null` when it cannot be read; memoised by path, size and time of change. */
const fileDigests = new Map<string, { stamp: string; digest: string | null }>();
async function fileDigest(path: string): Promise<string | null> {
  const info = await stat(path).catch(() => null);
  const stamp = info ? `${info.size}:${info.mtimeMs}` : 'absent';
  const known = fileDigests.get(path);
  if (known?.stamp === stamp) return known.digest;
  const digest = info ? sha256(await readFile(path)) : null;
  fileDigests.set(path, { stamp, digest });
  return digest;
}

/** A `file:` URL's content digest; any other URL stands for itself. */
async function urlDigest(url: string): Promise<string> {
  return url.startsWith('file:') ? `${url} ${await fileDigest(fileURLToPath(url))}` : url;
}

/** The wheels a list of packages names (paths or URLs), each with its content's digest. */
const wheelDigests = (packages: readonly string[]) => Promise.all(packages.filter(isWheelReference).map(urlDigest));

/** py-cell's own prerender code: the files beside this module that run cells (the worker, the engine). */
async function ownCode(): Promise<string[]> {
  const folder = dirname(fileURLToPath(import.meta.url));
  const names = (await readdir(folder)).filter((name) => /^prerender.*\.js$/.test(name)).sort();
  return Promise.all(names.map(async (name) => `${name} ${await fileDigest(`${folder}/${name}`)}`));
}

export interface BuildSettings {
  /** The runtime folder's URL. */
  indexURL: string;
  packageURL: string;
  /** The packages every cell may import (names, or wheel URLs). */
  packages: readonly string[];
  timeoutSeconds: number;
  /** The stored-output format's version. */
  version: number;
}

/** The digest of what every cell of a build depends on besides its session's code. */
export async function buildDigest(settings: BuildSettings): Promise<string> {
  const runtimeFiles = ['py-cell-runtime.json', 'pyodide-lock.json'].map((name) => new URL(name, settings.indexURL).href);
  return sha256(
    JSON.stringify(settings),
    ...(await Promise.all(runtimeFiles.map(urlDigest))),
    ...(await ownCode()),
    ...(await wheelDigests(settings.packages)),
  );
}

/** A cell's digest, and the session whose chain it is part of. */
export interface CellDigest {
  digest: string;
  session: string;
}

/**
 * Each cell's digest, by its place in `requests` (the page's cells in order; `null` for one that
 * does not run here): the build's, its own request and those of the earlier cells of its session.
 * A request that could not be made (an invalid attribute: nothing runs) is given by its error
 * text, and is part of no session.
 */
export async function cellDigests(build: string, requests: ReadonlyArray<RunRequest | string | null>): Promise<Array<CellDigest | null>> {
  const chains = new Map<string, string>();
  const digests: Array<CellDigest | null> = [];
  for (const request of requests) {
    if (request === null) {
      digests.push(null);
    } else if (typeof request === 'string') {
      digests.push({ digest: sha256(build, request), session: '' });
    } else {
      const digest = sha256(chains.get(request.session) ?? build, JSON.stringify(request), ...(await wheelDigests(request.packages)));
      chains.set(request.session, digest);
      digests.push({ digest, session: request.session });
    }
  }
  return digests;
}

/**
 * The stored outputs `incremental` keeps, by cell number: those computed from the cell's current
 * digest, in a session none of whose cells needs running (a session runs whole or not at all:
 * the earlier cells make the state a changed cell runs in).
 */
export function keptOutputs(runnable: readonly PageCell[], digestOf: (cell: PageCell) => CellDigest | null): Map<number, OutputItem[]> {
  const current = new Map<number, OutputItem[]>();
  for (const cell of runnable) {
    const read = cell.stored === null ? null : readPrerendered(cell.stored, cell.code);
    if (read && 'outputs' in read && storedDigest(cell.stored!) === digestOf(cell)?.digest) current.set(cell.number, read.outputs);
  }
  return wholeSessions(current, runnable, digestOf);
}

/**
 * `found` (by cell number) without the cells of every session that has a cell not in it: a
 * session runs whole or not at all, since its earlier cells make the state a later one runs in.
 */
export function wholeSessions<T>(
  found: Map<number, T>,
  cells: readonly PageCell[],
  digestOf: (cell: PageCell) => CellDigest | null,
): Map<number, T> {
  const session = (cell: PageCell) => digestOf(cell)?.session ?? '';
  const incomplete = new Set(cells.filter((cell) => !found.has(cell.number)).map(session));
  for (const cell of cells) if (incomplete.has(session(cell))) found.delete(cell.number);
  return found;
}

/** The digest stored beside a cell's outputs (`inputs`), if any (the element reads outputs, never this). */
function storedDigest(json: string): string | null {
  try {
    const inputs: unknown = (JSON.parse(json) as { inputs?: unknown }).inputs;
    return typeof inputs === 'string' ? inputs : null;
  } catch {
    return null;
  }
}
