/**
 * The build's manifest of the runtime folder (its file name is in the snapshot contract): what
 * `scripts/copy-runtime.mjs` writes in it (the Pyodide version, the local packages, the author's
 * wheels) and `scripts/make-snapshot.mjs` (the snapshots), and reading it at boot.
 */
import { SNAPSHOT_CONTRACT, type SnapshotInfo } from './snapshot.js';

/** What `py-cell-runtime.json` (written by the build) says about the runtime folder. */
export interface RuntimeManifest {
  pyodideVersion: string;
  localPackages: string[];
  /** The author's wheels in the runtime folder that the lock file does not name. */
  wheels?: string[];
  /** The interpreter snapshots, one per kind of browser (with or without stack switching). */
  snapshots?: SnapshotInfo[];
  /** Bytes of the files Pyodide fetches to start (the interpreter, the standard library), by name. */
  startFiles?: Record<string, number>;
}

/**
 * Reads the manifest of the runtime folder `indexURL` with `json`. A folder without one is taken
 * to hold `expectedVersion`, with no local packages and no snapshot.
 */
export function readManifest(
  json: (url: string) => Promise<RuntimeManifest>,
  indexURL: string,
  expectedVersion: string,
): Promise<RuntimeManifest> {
  return json(new URL(SNAPSHOT_CONTRACT.manifest, indexURL).href).catch((): RuntimeManifest => ({
    pyodideVersion: expectedVersion,
    localPackages: [],
  }));
}
