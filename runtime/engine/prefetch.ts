/**
 * Downloads, while Python starts, the packages the page's cells will need, so that the first
 * run of a cell that imports one waits for about max(boot, download) + install rather than the
 * sum. What to fetch comes from the page (`BootOptions.prefetch`: the cells' `packages`, and the
 * modules their code imports, found here by a static scan); the lock file and the author's wheels say which
 * files those are. The files wait in `Downloads` for Pyodide's own request.
 */
import { canonicalName, lockIntegrity, planPackages, scanImports, withDependencies, type Lock } from '../shared/packages.js';
import type { PrefetchHints } from '../shared/protocol.js';
import { isWheelReference, parseWheelFile } from '../shared/wheels.js';
import { authorWheels, type PackageLoaderOptions } from './package-loader.js';
import type { SnapshotPackage } from './snapshot.js';

/**
 * Starts a download for every file the hints lead to (`start(url, integrity)`), but for the
 * packages the interpreter snapshot holds (`held`); resolves with their URLs, never rejects.
 * Page-wide wheels are matched to the imports by their modules first (ranged reads of their zip
 * directories). Names nobody knows are left to the run to report.
 */
export async function prefetchPackages(
  lock: Lock,
  options: PackageLoaderOptions,
  hints: PrefetchHints,
  start: (url: string, integrity?: string) => void,
  held: readonly SnapshotPackage[] = [],
): Promise<string[]> {
  const urls: string[] = [];
  const heldNames = new Set(held.map(({ name }) => canonicalName(name)));
  const isHeld = (name: string) => heldNames.has(canonicalName(name));
  const fetchEarly = (url: string, integrity?: string, name?: string) => {
    if (urls.includes(url) || (name !== undefined && isHeld(name))) return;
    urls.push(url);
    start(url, integrity);
  };
  try {
    const wheels = options.authorWheels ?? authorWheels(options);
    const names: string[] = [];
    for (const entry of [...(options.pagePackages ?? []), ...hints.packages]) {
      const wheel = isWheelReference(entry) ? null : wheels.byName(entry);
      if (wheel) fetchEarly(wheel.url, undefined, wheel.name);
      else if (isWheelReference(entry)) {
        // A page-wide wheel loads when a cell imports it (below); a cell's own, before it runs.
        if (hints.packages.includes(entry)) fetchEarly(entry, undefined, parseWheelFile(entry)?.name);
      } else names.push(entry);
    }
    const heldModules = new Set(held.flatMap((pkg) => pkg.imports));
    let imports = [...new Set(hints.code.flatMap(scanImports))].filter((name) => !heldModules.has(name));
    if (wheels.wheels.length > 0 && imports.length > 0) {
      const modules = await wheels.byModule();
      imports = imports.filter((name) => {
        const wheel = modules.get(name);
        if (wheel) fetchEarly(wheel.url, undefined, wheel.name);
        return !wheel;
      });
    }
    const { load } = planPackages(lock, names, imports, isHeld);
    for (const key of withDependencies(lock, load)) {
      const pkg = lock.packages[key]!;
      fetchEarly(new URL(pkg.file_name, options.indexURL).href, lockIntegrity(pkg), pkg.name);
    }
  } catch {
    // Only an early start is lost: each run loads what it needs, and reports what fails.
  }
  return urls;
}
