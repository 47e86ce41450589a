/**
 * Loads the packages a run needs before it starts: those its cell names in `packages` (names or
 * wheel URLs) and those that provide the modules its code imports. Lock file packages are planned
 * by `planPackages`; the author's own wheels (page-wide, or in the runtime folder) are found in a
 * `WheelIndex`. Loading is Pyodide's `loadPackage`, passed in so tests can use a stand-in.
 */
import { errorMessage, failure } from '../shared/errors.js';
import { importIndex, planPackages, type Lock } from '../shared/packages.js';
import type { RunError } from '../shared/protocol.js';
import {
  findZipDirectory,
  incompatibility,
  isWheelReference,
  lockPlatform,
  parseWheelFile,
  type WheelFile,
  type WheelPlatform,
} from '../shared/wheels.js';
import { WheelIndex } from './wheel-index.js';

/** What the loader needs of Pyodide. */
export interface PackageInstaller {
  readonly version: string;
  readonly loadedPackages: Record<string, unknown>;
  loadPackage(
    names: string[],
    options: { messageCallback: (message: string) => void; errorCallback: (message: string) => void; checkIntegrity: boolean },
  ): Promise<unknown>;
}

export interface PackageLoaderOptions {
  /** The runtime folder, where the lock file is and relative wheel names resolve. */
  indexURL: string;
  /**
   * Page-wide `packages` (`configure()`): names, loaded before every run, and absolute wheel
   * URLs, loaded as the runtime folder's wheels are. Default: none.
   */
  pagePackages?: string[];
  /** Absolute URLs of the author's wheels in the runtime folder. Default: none. */
  wheels?: string[];
  /** The interpreter's platform, which wheels must be built for; `null`: not checked. */
  platform?: WheelPlatform | null;
  /** Reads the wheels' modules, and says why a wheel could not be loaded. Default: `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** The author's wheels, when already made from these options (shared with the prefetch). Default: made here. */
  authorWheels?: WheelIndex;
}

/**
 * The loader's options for a runtime folder: the platform its lock file's `info` names, its
 * wheels (file names), the page-wide packages; the author's wheels indexed once, for the
 * prefetch and the loader.
 */
export function loaderOptions(
  indexURL: string,
  lockInfo: Lock['info'],
  wheelFiles: string[],
  pagePackages: string[],
  fetch: typeof globalThis.fetch,
): PackageLoaderOptions {
  const wheels = wheelFiles.map((file) => new URL(file, indexURL).href);
  const options: PackageLoaderOptions = { indexURL, platform: lockPlatform(lockInfo), pagePackages, wheels, fetch };
  return { ...options, authorWheels: authorWheels(options) };
}

/** The author's wheels of `options` (page-wide wheel URLs and the runtime folder's), found by name and by module. */
export function authorWheels(options: PackageLoaderOptions): WheelIndex {
  const page = (options.pagePackages ?? []).filter(isWheelReference);
  const wheels = [...(options.wheels ?? []), ...page].map(parseWheelFile);
  return new WheelIndex(
    wheels.filter((wheel): wheel is WheelFile => wheel !== null),
    options.fetch ?? fetch,
  );
}

/** The name Pyodide files a wheel loaded by URL under: its file name's first part, lower case. */
const pyodideName = (wheel: WheelFile) => wheel.file.split('-')[0]!.toLowerCase();

export class PackageLoader {
  private readonly imports: Map<string, string>;
  /** The author's wheels, found by name and by module. */
  private readonly wheels: WheelIndex;
  /** Page-wide package names, loaded before every run. */
  private readonly pageNames: string[];

  constructor(
    private readonly installer: PackageInstaller,
    private readonly lock: Lock,
    private readonly options: PackageLoaderOptions,
  ) {
    this.imports = importIndex(lock);
    this.pageNames = (options.pagePackages ?? []).filter((entry) => !isWheelReference(entry));
    this.wheels = options.authorWheels ?? authorWheels(options);
  }

  private loaded(key: string): boolean {
    const { loadedPackages } = this.installer;
    return Object.hasOwn(loadedPackages, key) || Object.hasOwn(loadedPackages, this.lock.packages[key]?.name ?? key);
  }

  private wheelLoaded(wheel: WheelFile): boolean {
    return Object.hasOwn(this.installer.loadedPackages, pyodideName(wheel));
  }

  /**
   * Loads what `requested` and `imports` need. `onLoading` hears the packages about to load;
   * resolves with the error for the cell when one cannot be had, else `null`.
   */
  async load(requested: string[], imports: string[], onLoading: (packages: string[]) => void): Promise<RunError | null> {
    const wheels: WheelFile[] = [];
    const names: string[] = [];
    for (const entry of [...this.pageNames, ...requested]) {
      const wheel = isWheelReference(entry) ? parseWheelFile(entry) : this.wheels.byName(entry);
      if (wheel) wheels.push(wheel);
      else if (isWheelReference(entry))
        return failure('wheel', `Cannot use ${entry}: its file name is not a wheel's (name-version-python-abi-platform.whl).`);
      else names.push(entry);
    }
    let lockImports = imports;
    // The wheels' module lists are read only for a run that imports something not yet imported.
    if (this.wheels.wheels.length > 0 && imports.length > 0) {
      const modules = await this.wheels.byModule();
      lockImports = imports.filter((name) => {
        const wheel = modules.get(name);
        if (wheel) wheels.push(wheel);
        return !wheel;
      });
    }
    const pending = wheels.filter((wheel, i) => !this.wheelLoaded(wheel) && wheels.findIndex((other) => other.url === wheel.url) === i);
    for (const wheel of pending) {
      const reason = this.options.platform ? incompatibility(wheel, this.options.platform) : null;
      if (reason) return failure('wheel', `Cannot use ${wheel.url}: ${reason}.`);
    }

    const plan = planPackages(this.lock, names, lockImports, (key) => this.loaded(key), this.imports);
    if (plan.unknown.length > 0) {
      const listed = plan.unknown.map((name) => `'${name}'`).join(', ');
      const index = new URL('pyodide-lock.json', this.options.indexURL).href;
      return failure(
        'unknown-package',
        `No package ${listed} in the package index of Pyodide ${this.installer.version} (${index}), nor a wheel of that name in the runtime folder or configure({packages}).`,
      );
    }
    if (plan.load.length === 0 && pending.length === 0) return null;
    onLoading([...plan.load, ...pending.map((wheel) => wheel.name)]);
    const messages: string[] = [];
    try {
      await this.installer.loadPackage([...plan.load, ...pending.map((wheel) => wheel.url)], {
        messageCallback: () => undefined,
        errorCallback: (message) => messages.push(message),
        checkIntegrity: true,
      });
    } catch (error) {
      messages.push(errorMessage(error));
    }
    const missingWheel = pending.find((wheel) => !this.wheelLoaded(wheel));
    if (missingWheel) {
      const why = await this.diagnose(missingWheel.url).catch(() => null);
      return failure('wheel', `Could not load the wheel ${missingWheel.url}: ${why ?? (messages.join('; ') || 'unknown error')}.`);
    }
    const missing = plan.load.filter((key) => !this.loaded(key));
    if (missing.length === 0) return null;
    const where = missing
      .map((key) => `'${key}' from ${new URL(this.lock.packages[key]?.file_name ?? key, this.options.indexURL).href}`)
      .join(', ');
    const why = messages.length ? ` (${messages.join('; ')})` : '';
    return failure(
      'package',
      `Could not load package ${where}${why}. Packages that are not in wasm-dist/ come from the package URL, which must be reachable.`,
    );
  }

  /** Why the wheel at `url` could not be installed, as far as its download tells: `null` if it looks fine. */
  private async diagnose(url: string): Promise<string | null> {
    const response = await (this.options.fetch ?? fetch)(url);
    if (!response.ok) return `the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    const bytes = new Uint8Array(await response.arrayBuffer());
    try {
      findZipDirectory(bytes.subarray(Math.max(0, bytes.byteLength - 65 * 1024)));
    } catch (error) {
      return errorMessage(error);
    }
    return null;
  }
}
