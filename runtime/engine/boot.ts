/**
 * The engine's boot, in stages: (1) the runtime folder: Pyodide's loader, the lock file and the
 * build's manifest, with the snapshot and the page's packages downloading beside the start;
 * (2) the interpreter, started or restored from the snapshot; (3) py-cell's own Python helpers,
 * wired to the engine. Each phase's milliseconds go to the engine's `BootTimings`.
 */
import type { loadPyodide as LoadPyodide, PyodideAPI } from 'pyodide';
import { errorMessage } from '../shared/errors.js';
import { withPackageSources, type Lock } from '../shared/packages.js';
import type { BootOptions, BootTimings, FromEngine, ProgressStage, SnapshotUse } from '../shared/protocol.js';
import { MOVED_HINT, type Downloads } from './downloads.js';
import type { EngineHost } from './host.js';
import type { StandardInput } from './input.js';
import { startPython, watchFatal, type StartPhase } from './interpreter.js';
import { readManifest, type RuntimeManifest } from './manifest.js';
import { loaderOptions, PackageLoader, type PackageLoaderOptions } from './package-loader.js';
import { prefetchPackages } from './prefetch.js';
import { pythonHooks, type HookTargets, type PyProxyLike, type Runner } from './python-bridge.js';
import { checkRuntimeFiles } from './runtime-files.js';
import { afterRestoreCode, chooseSnapshot, loadedNames, snapshotUse, unpackSnapshot } from './snapshot.js';

/** A booted interpreter and what runs on it. */
export interface Booted {
  pyodide: PyodideAPI;
  runner: Runner;
  packages: PackageLoader;
  /** How the boot used the snapshot (for the `ready` message). */
  snapshot: SnapshotUse;
}

/** What the boot uses of the engine that stages it. */
export interface BootContext {
  host: EngineHost;
  downloads: Downloads;
  /** Its channels (`options`) are set from the boot's options. */
  input: StandardInput;
  post: (message: FromEngine) => void;
  /** Where each phase's milliseconds go (the engine's, which the warm-up adds to). */
  timings: BootTimings;
  /** Where Python's output, canvases and input requests go. */
  targets: Omit<HookTargets, 'page' | 'pageGlobal'>;
  /** The stage later download progress is reported under. */
  setProgressStage(stage: ProgressStage): void;
  /** The interpreter died (Pyodide's fatal-error path). */
  onFatal(error: unknown): void;
}

/** The runtime folder, as stage 1 reads it. */
interface RuntimeFolder {
  loader: { loadPyodide: typeof LoadPyodide };
  lock: Lock;
  manifest: RuntimeManifest;
}

/** What stage 1 hands on: Pyodide's loader, the folder's packages, the snapshot's download. */
interface Prepared {
  loadPyodide: typeof LoadPyodide;
  /** The lock file with each package's source (the runtime folder's, or the package URL). */
  sources: Lock;
  loading: PackageLoaderOptions;
  chosen: ReturnType<typeof chooseSnapshot>;
  /** The unpacked snapshot, once downloaded; `null`: Python starts normally. */
  snapshot: Promise<Uint8Array> | null;
}

/** Boots Pyodide, stage by stage; rejects with what stopped it. */
export async function bootPython(options: BootOptions, context: BootContext): Promise<Booted> {
  context.downloads.stallTimeoutMs = options.stallTimeoutMs;
  context.downloads.revalidate = options.revalidate === true;
  context.input.options.buffer = options.inputBuffer ?? null;
  context.input.options.url = options.inputURL ?? null;
  const timer = phaseTimer(context.timings);

  // Stage 1: the runtime folder, and the downloads that go on beside the start.
  const folder = await readRuntimeFolder(options, context);
  const prepared = startDownloads(options, context, folder, timer.start);
  timer.phase('loader');
  // The runtime files are checked beside the start; the synchronous bridge connects once they pass.
  const checks = checkRuntimeFiles(options.indexURL, (url) => context.downloads.check(url));
  if (context.host.connectPage) {
    await checks;
    const page = await context.host.connectPage();
    if (page) context.host.pageGlobal = (name) => (name === 'window' ? page : page.document);
  }

  // Stage 2: the interpreter.
  const { pyodide, snapshot } = await startInterpreter(options, context, prepared, checks, timer.phase);

  // Stage 3: py-cell's own Python helpers.
  const runner = setUpHelpers(pyodide, context);
  timer.phase('helpers');
  return { pyodide, runner, packages: new PackageLoader(pyodide, prepared.sources, prepared.loading), snapshot };
}

/**
 * Stage 1, first part: the loader, the lock file and the build's manifest, at once. Fails when
 * the folder holds another Pyodide than the one py-cell was built for.
 */
async function readRuntimeFolder(options: BootOptions, context: BootContext): Promise<RuntimeFolder> {
  const { indexURL, expectedVersion } = options;
  context.post({ type: 'progress', progress: { stage: 'download', detail: 'pyodide.mjs' } });
  const loaderURL = new URL('pyodide.mjs', indexURL).href;
  const [loader, lock, manifest] = await Promise.all([
    context.host.importPyodide(loaderURL).catch((error: unknown) => {
      throw new Error(`Could not load the Python runtime from ${loaderURL}: ${errorMessage(error)}${MOVED_HINT}`);
    }),
    context.downloads.json<Lock>(new URL('pyodide-lock.json', indexURL).href),
    readManifest((url) => context.downloads.json<RuntimeManifest>(url), indexURL, expectedVersion),
  ]);
  if (manifest.pyodideVersion !== expectedVersion) throw versionMismatch(options, manifest.pyodideVersion);
  return { loader, lock, manifest };
}

/**
 * Stage 1, second part: the snapshot downloads while the files are checked and Pyodide fetches
 * the wasm and stdlib; what the page's cells will need downloads while Python starts, but for
 * the snapshot's packages.
 */
function startDownloads(
  options: BootOptions,
  context: BootContext,
  { loader, lock, manifest }: RuntimeFolder,
  bootStart: number,
): Prepared {
  const { indexURL, packageURL } = options;
  const { downloads } = context;
  const sources = withPackageSources(lock, manifest.localPackages, packageURL);
  const loading = loaderOptions(indexURL, lock.info, manifest.wheels ?? [], options.packages ?? [], downloads.fetch);
  const chosen = chooseSnapshot(manifest.snapshots, options.snapshot !== false, indexURL);
  if (options.prefetch) {
    const held = 'packages' in chosen ? chosen.packages : [];
    void prefetchPackages(sources, loading, options.prefetch, (url, sri) => downloads.prefetch(url, sri), held);
  }
  // One progress for the start: the interpreter, the standard library and the snapshot, sized
  // by the manifest (a folder without sizes reports each file as it comes).
  if (manifest.startFiles) {
    const files: Array<{ url: string; bytes: number; decodedBytes?: number }> = Object.entries(manifest.startFiles).map(
      ([name, bytes]) => ({
        url: new URL(name, indexURL).href,
        bytes,
      }),
    );
    if ('url' in chosen) files.push({ url: chosen.url, bytes: chosen.packedBytes ?? chosen.bytes, decodedBytes: chosen.bytes });
    downloads.plan(files);
  }
  const snapshot = 'url' in chosen ? downloadSnapshot(context, chosen.url, chosen.bytes, bootStart) : null;
  return { loadPyodide: loader.loadPyodide.bind(loader), sources, loading, chosen, snapshot };
}

/**
 * Stage 2: download and compile the wasm, unpack the standard library, start the interpreter
 * (or restore it from the snapshot, falling back to a normal start if that fails). A restored
 * interpreter then redoes what it must not share with the one the snapshot was made in.
 */
async function startInterpreter(
  options: BootOptions,
  context: BootContext,
  { loadPyodide, sources, chosen, snapshot }: Prepared,
  checks: Promise<void>,
  phase: (name: StartPhase) => void,
): Promise<{ pyodide: PyodideAPI; snapshot: SnapshotUse }> {
  const { indexURL, expectedVersion } = options;
  const { pyodide, restoreError } = await startPython({
    loadPyodide,
    indexURL,
    lock: sources,
    checks,
    snapshot,
    onPhase: (name) => {
      phase(name);
      if (name === 'stdlib') context.post({ type: 'progress', progress: { stage: 'start' } });
    },
  });
  const use = snapshotUse(chosen, restoreError);
  if (use.used) {
    runPython(pyodide, afterRestoreCode(context.host.languages));
    // Installed in the snapshot: neither py-cell's loader nor Pyodide's installs them again.
    const loaded = pyodide.loadedPackages as Record<string, string>;
    for (const name of loadedNames('packages' in chosen ? chosen.packages : [])) loaded[name] = 'py-cell snapshot';
  }
  // With a buffer, Python calls into JavaScript every so often to look at it. On a page that is
  // not isolated nobody can write to this one, but the calls let a worker that is terminated
  // while Python loops actually stop: WebKit does not stop a worker inside a WebAssembly loop.
  pyodide.setInterruptBuffer(options.interruptBuffer ?? new Int32Array(1));
  if (pyodide.version !== expectedVersion) throw versionMismatch(options, pyodide.version);
  return { pyodide, snapshot: use };
}

/**
 * Stage 3: `pycell._runner`, wired to the engine (output, canvases, input, the page); from now
 * on downloads are packages, and a fatal error of the interpreter is the engine's to report.
 */
function setUpHelpers(pyodide: PyodideAPI, context: BootContext): Runner {
  const module = pyodide.pyimport('pycell._runner') as unknown as Runner;
  module.setup(pythonHooks({ ...context.targets, page: context.host.page, pageGlobal: context.host.pageGlobal }));
  // The functions themselves, taken now: code in a cell that later replaces the module's
  // attributes (`pycell._runner.run = ...`) does not change what the engine calls.
  const { run, find_imports, setup, forget } = module;
  const runner: Runner = { run, find_imports, setup, forget };
  context.setProgressStage('packages');
  watchFatal(pyodide, (error) => context.onFatal(error));
  return runner;
}

/** Times the boot's phases into `timings`, each from the end of the one before; `start`: the boot's. */
function phaseTimer(timings: BootTimings): { start: number; phase: (name: keyof BootTimings) => void } {
  const start = performance.now();
  let phaseStart = start;
  return {
    start,
    phase: (name) => {
      const now = performance.now();
      timings[name] = Math.round((now - phaseStart) * 10) / 10;
      phaseStart = now;
    },
  };
}

/** The runtime folder holds another Pyodide (`found`) than the one py-cell was built for. */
function versionMismatch({ expectedVersion, indexURL }: BootOptions, found: string): Error {
  return new Error(
    `Version mismatch: py-cell was built for Pyodide ${expectedVersion} but ${indexURL} holds Pyodide ${found}. Rebuild py-cell or copy the matching wasm-dist/.`,
  );
}

/** Downloads and unpacks the snapshot, noting when it is ready (`snapshotReady`, from the boot's start). */
function downloadSnapshot({ downloads, timings }: BootContext, url: string, bytes: number, bootStart: number): Promise<Uint8Array> {
  const data = downloads.fetch(url).then(async (response) => {
    const unpacked = await unpackSnapshot(response, url, bytes);
    timings.snapshotReady = Math.round(performance.now() - bootStart);
    return unpacked;
  });
  data.catch(() => undefined); // a failed snapshot is reported by the start that awaits it
  return data;
}

/** Runs `code` in a scope of its own, which is then destroyed. */
function runPython(pyodide: PyodideAPI, code: string): void {
  const scope = pyodide.toPy({}) as unknown as PyProxyLike;
  try {
    pyodide.runPython(code, { globals: scope as never });
  } finally {
    scope.destroy();
  }
}
