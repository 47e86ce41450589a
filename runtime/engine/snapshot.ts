/**
 * The interpreter snapshot (`py-cell-snapshot.gz`, made at build time by
 * `scripts/make-snapshot.mjs`): what the script and the engine agree on, whether to use it,
 * downloading and unpacking it, and what a restored interpreter must redo. See
 * `docs/decisions/0005-memory-snapshot.md`.
 */
import { canonicalName } from '../shared/packages.js';
import type { SnapshotUse } from '../shared/protocol.js';
import contract from './snapshot-contract.json';

/**
 * The names `scripts/make-snapshot.mjs` and the engine must agree on, written once in
 * `snapshot-contract.json`, which the script reads as well. The shape of the manifest's entries
 * is `SnapshotInfo` (the script writes them, the boot reads them).
 */
export interface SnapshotContract {
  /** The build's manifest in the runtime folder: the script records the snapshots in it, the boot reads it. */
  manifest: string;
  /** The snapshots the script makes: one with WebAssembly stack switching (`jspi`), one without. */
  snapshots: readonly { file: string; jspi: boolean }[];
  /**
   * The module (in `sys.modules`) in which a snapshot holds its packages' files, as a dict of
   * path to bytes under `heldFilesAttribute`: a restored interpreter writes them back and drops it.
   */
  heldFilesModule: string;
  heldFilesAttribute: string;
  /**
   * The attribute of the `pycell` package holding, in a snapshot, its sources by file name: a
   * restored interpreter keeps the snapshot's `pycell` only when they are the files the engine wrote.
   */
  sourcesAttribute: string;
}

/** The snapshot contract (`snapshot-contract.json`). */
export const SNAPSHOT_CONTRACT: SnapshotContract = contract;

/** A package the build installed and imported before it took the snapshot. */
export interface SnapshotPackage {
  name: string;
  version: string;
  /** Its top-level modules, imported in the snapshot. */
  imports: string[];
}

/** What the build's `py-cell-runtime.json` says about the snapshot; `bytes` unpacked. */
export interface SnapshotInfo {
  file: string;
  bytes: number;
  /** Its size as a file (gzip-packed), what a server sends when it does not encode it again. */
  packedBytes?: number;
  /** Made with WebAssembly stack switching (JSPI): only a browser with it can restore it. */
  jspi?: boolean;
  /** Packages installed and imported in it (`make-snapshot.mjs --packages`). Default: none. */
  packages?: SnapshotPackage[];
}

/**
 * The names under which a restored interpreter's packages go in Pyodide's `loadedPackages`, so
 * that neither py-cell's loader nor Pyodide's installs them again: the distribution's name, and
 * the forms a lock file key or a wheel's file name give it.
 */
export function loadedNames(packages: readonly SnapshotPackage[]): string[] {
  return [
    ...new Set(packages.flatMap(({ name }) => [name, name.toLowerCase(), canonicalName(name).replaceAll('-', '_'), canonicalName(name)])),
  ];
}

/**
 * The snapshot to download, or why Python starts normally. The interpreter records at start
 * whether it can suspend (time.sleep, run_sync need it), so the snapshot must have been made with
 * WebAssembly stack switching exactly when this browser has it.
 */
export function chooseSnapshot(
  snapshots: readonly SnapshotInfo[] | undefined,
  wanted: boolean,
  indexURL: string,
  hasStackSwitching: boolean = 'Suspending' in WebAssembly,
): { url: string; bytes: number; packedBytes?: number; packages: SnapshotPackage[] } | { reason: string } {
  if (!wanted) return { reason: 'turned off' };
  if (!snapshots?.length) return { reason: `${indexURL} has no snapshot` };
  const fitting = snapshots.find((snapshot) => Boolean(snapshot.jspi) === hasStackSwitching);
  if (!fitting) {
    return {
      reason: `${indexURL} has no snapshot made ${hasStackSwitching ? 'with' : 'without'} WebAssembly stack switching, as this browser needs`,
    };
  }
  return {
    url: new URL(fitting.file, indexURL).href,
    bytes: fitting.bytes,
    ...(fitting.packedBytes ? { packedBytes: fitting.packedBytes } : {}),
    packages: fitting.packages ?? [],
  };
}

/** How a boot used the snapshot, once the interpreter has started. */
export function snapshotUse(chosen: ReturnType<typeof chooseSnapshot>, restoreError: string | null): SnapshotUse {
  if ('reason' in chosen) return { used: false, reason: chosen.reason };
  if (restoreError !== null) return { used: false, reason: `the snapshot failed (${restoreError}); Python started normally` };
  return chosen.packages.length
    ? { used: true, packages: chosen.packages.map(({ name, version }) => `${name} ${version}`) }
    : { used: true };
}

/**
 * Reads the snapshot from `response` and unpacks it as it arrives into exactly `bytes` bytes.
 * The file is gzip; a server that already decoded it (Content-Encoding: gzip for `.gz` files)
 * is handled too. Fails, naming `url`, when the data is missing, short or too long.
 */
export async function unpackSnapshot(response: Response, url: string, bytes: number): Promise<Uint8Array> {
  if (!response.ok || !response.body) throw new Error(`Could not load ${url}: HTTP ${response.status}`);
  const reader = response.body.getReader();
  const first = await reader.read();
  const head = first.value ?? new Uint8Array(0);
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => {
      if (head.byteLength) controller.enqueue(head);
      if (first.done) controller.close();
    },
    pull: async (controller) => {
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const unpacked = gzip
    ? body.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>)
    : body;
  const data = new Uint8Array(bytes);
  let offset = 0;
  const chunks = unpacked.getReader();
  for (let next = await chunks.read(); !next.done; next = await chunks.read()) {
    if (offset + next.value.byteLength > bytes) {
      await chunks.cancel();
      throw new Error(`${url} is larger than the ${bytes} bytes the manifest gives`);
    }
    data.set(next.value, offset);
    offset += next.value.byteLength;
  }
  if (offset !== bytes) throw new Error(`${url} is truncated: ${offset} of ${bytes} bytes`);
  return data;
}

/**
 * Python that a restored interpreter runs once: what it must not share with the interpreter the
 * snapshot was made in (headless Chromium, at build time): the random seed, which every page
 * would otherwise share, and the `LANG` a normal start takes from the browser's language. The
 * files of the packages in the snapshot, which it holds in memory (the file system is not part
 * of a snapshot), are written back where they were installed. py-cell's own modules, imported
 * in the snapshot, are kept only when their sources then match the files this worker wrote;
 * otherwise they are dropped, and imported afresh from those files.
 */
export function afterRestoreCode(languages: readonly string[]): string {
  const lang = `${(languages[0] ?? 'C').replace('-', '_')}.UTF-8`;
  const { heldFilesModule, heldFilesAttribute, sourcesAttribute } = SNAPSHOT_CONTRACT;
  return [
    'import os, sys',
    `os.environ['LANG'] = ${JSON.stringify(lang)}`,
    "if 'random' in sys.modules: sys.modules['random'].seed()",
    `held = sys.modules.pop('${heldFilesModule}', None)`,
    `for path, data in (held.${heldFilesAttribute}.items() if held else ()):`,
    '    os.makedirs(os.path.dirname(path), exist_ok=True)',
    "    with open(path, 'wb') as file: file.write(data)",
    "if held: sys.modules['importlib'].invalidate_caches()",
    "own = sys.modules.get('pycell')",
    'try:',
    '    here = os.path.dirname(own.__file__)',
    "    files = [name for name in os.listdir(here) if name.endswith('.py')]",
    `    same = own.${sourcesAttribute} == {name: open(os.path.join(here, name), encoding='utf-8').read() for name in files}`,
    'except Exception:',
    '    same = False',
    'if not same:',
    "    for name in [m for m in sys.modules if m == 'pycell' or m.startswith('pycell.')]: del sys.modules[name]",
  ].join('\n');
}
