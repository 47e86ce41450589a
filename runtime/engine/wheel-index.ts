/**
 * The author's own wheels, which Pyodide's lock file does not know: those given page-wide
 * (`configure({packages})`) and those copied into the runtime folder. A cell finds one by its
 * distribution name (`packages="mylib"`) or by importing one of its modules (`import mylib`);
 * the modules are read from the wheel's zip directory on the first run, not at boot, and only the
 * directory is downloaded (a ranged request) when the server allows it.
 */
import { canonicalName } from '../shared/packages.js';
import { findZipDirectory, topLevelNames, zipPaths, type WheelFile } from '../shared/wheels.js';

/** Below this size a wheel is read whole; above it, its last bytes first. */
const TAIL_BYTES = 64 * 1024;

export class WheelIndex {
  private modules: Promise<Map<string, WheelFile>> | null = null;

  constructor(
    readonly wheels: readonly WheelFile[],
    private readonly fetch: typeof globalThis.fetch,
  ) {}

  /** The wheel whose distribution is `name`, if any. */
  byName(name: string): WheelFile | undefined {
    const key = canonicalName(name);
    return this.wheels.find((wheel) => wheel.name === key);
  }

  /**
   * Maps each module the wheels provide to its wheel. A wheel that cannot be read (missing, not a
   * zip) is listed under its distribution name, so importing it fails with the reason, in the
   * cell that imports it, and nowhere else.
   */
  byModule(): Promise<Map<string, WheelFile>> {
    this.modules ??= Promise.all(
      this.wheels.map(async (wheel) => {
        const names = await readZipPaths(wheel.url, this.fetch).then(topLevelNames, () => []);
        return { wheel, names: names.length > 0 ? names : [wheel.name.replace(/-/g, '_')] };
      }),
    ).then((found) => {
      const index = new Map<string, WheelFile>();
      for (const { wheel, names } of found) for (const name of names) if (!index.has(name)) index.set(name, wheel);
      return index;
    });
    return this.modules;
  }
}

/** `Content-Range: bytes 100-199/200` -> 100; `null` when absent or unreadable (cross-origin). */
function rangeStart(response: Response): number | null {
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : null;
}

/** Bytes of `url` from `start` (to the end, or to `end` inclusive), and where they start in the file. */
async function readRange(
  url: string,
  fetch: typeof globalThis.fetch,
  start: number,
  end?: number,
): Promise<{ bytes: Uint8Array; start: number }> {
  const ranged = start > 0 || end !== undefined;
  const response = await fetch(url, ranged ? { headers: { Range: `bytes=${start}-${end ?? ''}` } } : {});
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  const bytes = new Uint8Array(await response.arrayBuffer());
  // 206: the range asked for (its header may be hidden from a cross-origin page); 200: the whole file.
  return { bytes, start: response.status === 206 ? (rangeStart(response) ?? start) : 0 };
}

/** The paths in the zip archive at `url`, reading as little of it as the server allows. */
export async function readZipPaths(url: string, fetch: typeof globalThis.fetch, tailBytes = TAIL_BYTES): Promise<string[]> {
  const head = await fetch(url, { method: 'HEAD' }).catch(() => null);
  const length = head?.ok && !head.headers.get('content-encoding') ? Number(head.headers.get('content-length')) : 0;
  const tail = await readRange(url, fetch, length > tailBytes ? length - tailBytes : 0);
  const directory = findZipDirectory(tail.bytes);
  const from = directory.offset - tail.start;
  const bytes =
    from >= 0
      ? tail.bytes.subarray(from, from + directory.size)
      : (await readRange(url, fetch, directory.offset, directory.offset + directory.size - 1)).bytes;
  return zipPaths(bytes, directory);
}
