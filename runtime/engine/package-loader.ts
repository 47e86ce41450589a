/**
 * Loads the packages a run needs before it starts: those its cell names in `packages` and those
 * that provide the modules its code imports. Which ones is decided by `planPackages` over the
 * lock file; loading is Pyodide's `loadPackage`, passed in so tests can use a stand-in.
 */
import { errorMessage, failure } from '../errors.js';
import { importIndex, planPackages, type Lock } from '../packages.js';
import type { RunError } from '../protocol.js';

/** What the loader needs of Pyodide. */
export interface PackageInstaller {
  readonly version: string;
  readonly loadedPackages: Record<string, unknown>;
  loadPackage(
    names: string[],
    options: { messageCallback: (message: string) => void; errorCallback: (message: string) => void; checkIntegrity: boolean },
  ): Promise<unknown>;
}

export class PackageLoader {
  private readonly imports: Map<string, string>;

  constructor(
    private readonly installer: PackageInstaller,
    private readonly lock: Lock,
    /** The runtime folder, where the lock file is and relative wheel names resolve. */
    private readonly indexURL: string,
  ) {
    this.imports = importIndex(lock);
  }

  private loaded(key: string): boolean {
    const { loadedPackages } = this.installer;
    return Object.hasOwn(loadedPackages, key) || Object.hasOwn(loadedPackages, this.lock.packages[key]?.name ?? key);
  }

  /**
   * Loads what `requested` and `imports` need. `onLoading` hears the packages about to load;
   * resolves with the error for the cell when one cannot be had, else `null`.
   */
  async load(requested: string[], imports: string[], onLoading: (packages: string[]) => void): Promise<RunError | null> {
    const plan = planPackages(this.lock, requested, imports, (key) => this.loaded(key), this.imports);
    if (plan.unknown.length > 0) {
      const names = plan.unknown.map((name) => `'${name}'`).join(', ');
      const index = new URL('pyodide-lock.json', this.indexURL).href;
      return failure('unknown-package', `No package ${names} in the package index of Pyodide ${this.installer.version} (${index}).`);
    }
    if (plan.load.length === 0) return null;
    onLoading(plan.load);
    const messages: string[] = [];
    try {
      await this.installer.loadPackage(plan.load, {
        messageCallback: () => undefined,
        errorCallback: (message) => messages.push(message),
        checkIntegrity: true,
      });
    } catch (error) {
      messages.push(errorMessage(error));
    }
    const missing = plan.load.filter((key) => !this.loaded(key));
    if (missing.length === 0) return null;
    const where = missing
      .map((key) => `'${key}' from ${new URL(this.lock.packages[key]?.file_name ?? key, this.indexURL).href}`)
      .join(', ');
    const why = messages.length ? ` (${messages.join('; ')})` : '';
    return failure(
      'package',
      `Could not load package ${where}${why}. Packages that are not in wasm-dist/ come from the package URL, which must be reachable.`,
    );
  }
}
