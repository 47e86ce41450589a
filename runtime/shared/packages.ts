/**
 * Package bookkeeping over Pyodide's lock file (`pyodide-lock.json`): which packages a run
 * needs, and where each wheel comes from. Pure functions, no Pyodide, so they are unit-tested.
 */

/** The part of a lock file entry py-cell reads. */
export interface LockPackage {
  name: string;
  file_name: string;
  /** Absent from some lock files' entries. */
  imports?: string[];
  depends: string[];
  [key: string]: unknown;
}

export interface Lock {
  info: Record<string, unknown>;
  packages: Record<string, LockPackage>;
}

/** PEP 503 normalised name: `Scikit_Learn` -> `scikit-learn`. */
export function canonicalName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

/**
 * Splits a `packages` attribute ("numpy, pandas  ./wheels/mylib-1.0-py3-none-any.whl") into
 * names and wheel URLs (anything ending in `.whl`, kept as written). Anything else that is not a
 * plausible package name is returned in `invalid` so the cell can say so.
 */
export function parsePackageList(value: string | null | undefined): { names: string[]; invalid: string[] } {
  const names: string[] = [];
  const invalid: string[] = [];
  for (const token of (value ?? '').split(/[\s,]+/)) {
    if (!token) continue;
    if (/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(token) || /\.whl([?#].*)?$/i.test(token)) {
      if (!names.includes(token)) names.push(token);
    } else {
      invalid.push(token);
    }
  }
  return { names, invalid };
}

/**
 * Returns a copy of the lock file whose `file_name`s point at `wasm-dist/` (relative names,
 * resolved by Pyodide against the runtime folder) for the wheels present there, and at
 * `packageURL` for all others.
 */
export function withPackageSources(lock: Lock, localFiles: Iterable<string>, packageURL: string): Lock {
  const local = new Set(localFiles);
  const base = packageURL.endsWith('/') ? packageURL : `${packageURL}/`;
  const packages: Record<string, LockPackage> = {};
  for (const [key, pkg] of Object.entries(lock.packages)) {
    const isURL = /^[a-z][a-z0-9+.-]*:/i.test(pkg.file_name);
    packages[key] = isURL || local.has(pkg.file_name) ? pkg : { ...pkg, file_name: new URL(pkg.file_name, base).href };
  }
  return { ...lock, packages };
}

/** Maps every import name in the lock file to the package providing it. */
export function importIndex(lock: Lock): Map<string, string> {
  const index = new Map<string, string>();
  for (const [key, pkg] of Object.entries(lock.packages)) {
    for (const name of pkg.imports ?? []) if (!index.has(name)) index.set(name, key);
  }
  return index;
}

export interface PackagePlan {
  /** Lock file keys to load, requested ones first, then those found in the imports. */
  load: string[];
  /** Requested names that the lock file does not know. */
  unknown: string[];
}

/**
 * Decides which packages a run must load: the requested names plus the packages providing the
 * imported modules, minus those already loaded. Imports that no package provides (standard
 * library modules, typos) are left to Python's own ImportError.
 */
export function planPackages(
  lock: Lock,
  requested: string[],
  imports: string[],
  loaded: (name: string) => boolean,
  index: Map<string, string> = importIndex(lock),
): PackagePlan {
  const load: string[] = [];
  const unknown: string[] = [];
  const add = (key: string) => {
    if (!load.includes(key) && !loaded(key)) load.push(key);
  };
  for (const name of requested) {
    const key = canonicalName(name);
    if (Object.hasOwn(lock.packages, key)) add(key);
    else unknown.push(name);
  }
  for (const name of imports) {
    const key = index.get(name);
    if (key) add(key);
  }
  return { load, unknown };
}

/**
 * The top-level modules that `code` imports, found without Python: `import a.b, c as d` and
 * `from e.f import g` at the start of a line (relative imports and `__future__` are skipped).
 * A static scan, for starting downloads early: Python's own parse decides what a run loads.
 */
export function scanImports(code: string): string[] {
  const found = new Set<string>();
  const name = /^[A-Za-z_]\w*/;
  for (const line of code.split(/\r?\n/)) {
    const from = /^\s*from\s+([A-Za-z_][\w.]*)\s+import\b/.exec(line);
    if (from) found.add(name.exec(from[1]!)![0]);
    const plain = /^\s*import\s+([^#;]+)/.exec(line);
    if (plain)
      for (const part of plain[1]!.split(',')) {
        const module = name.exec(part.trim());
        if (module) found.add(module[0]);
      }
  }
  found.delete('__future__');
  return [...found];
}

/** `keys` and every package they depend on, directly or not, each once (lock file keys). */
export function withDependencies(lock: Lock, keys: string[]): string[] {
  const all: string[] = [];
  const visit = (key: string) => {
    const pkg = lock.packages[key];
    if (!pkg || all.includes(key)) return;
    all.push(key);
    for (const dependency of pkg.depends) visit(canonicalName(dependency));
  };
  keys.forEach(visit);
  return all;
}

/** Subresource Integrity value (`sha256-<base64>`) of a lock file entry, as Pyodide checks it. */
export function lockIntegrity(pkg: LockPackage): string | undefined {
  const hex = typeof pkg.sha256 === 'string' ? pkg.sha256 : '';
  if (!/^[0-9a-f]{64}$/i.test(hex)) return undefined;
  const bytes = hex.match(/../g)!.map((pair) => parseInt(pair, 16));
  return `sha256-${btoa(String.fromCharCode(...bytes))}`;
}
