/**
 * Wheels that are not in Pyodide's lock file (an author's own library): their file names, the
 * platforms they are built for, and the modules they provide, read from the zip archive's central
 * directory. Pure functions, no Pyodide and no network, so they are unit-tested.
 */
import { canonicalName } from './packages.js';

/** A wheel file name's parts (`name-version[-build]-python-abi-platform.whl`, PEP 427). */
export interface WheelFile {
  /** The wheel's absolute URL. */
  url: string;
  /** The file name, as in the URL. */
  file: string;
  /** The distribution's normalised name (`My_Lib` -> `my-lib`). */
  name: string;
  version: string;
  /** `python-abi-platform` tags, expanded (`py2.py3-none-any` is two tags). */
  tags: string[];
}

/** What Pyodide's interpreter is, as its lock file's `info` says. */
export interface WheelPlatform {
  /** The Python version, e.g. `3.14.2`. */
  python: string;
  /** The Emscripten ABI, e.g. `2026_0`. */
  abiVersion: string;
  /** Emscripten's platform, e.g. `emscripten_5_0_3`. */
  platform: string;
  arch: string;
}

/** Reads a platform from a lock file's `info`; `null` when it does not say. */
export function lockPlatform(info: Record<string, unknown>): WheelPlatform | null {
  const { python, abi_version: abiVersion, platform, arch } = info;
  if (typeof python !== 'string' || typeof abiVersion !== 'string' || typeof platform !== 'string' || typeof arch !== 'string') return null;
  return { python, abiVersion, platform, arch };
}

/** Whether a `packages` entry is a wheel URL rather than a package name: it ends in `.whl`. */
export function isWheelReference(value: string): boolean {
  return /\.whl$/i.test(value.replace(/[?#].*$/, ''));
}

/** The parts of a wheel's file name, or `null` when the name is not a wheel's. */
export function parseWheelFile(url: string): WheelFile | null {
  const path = url.replace(/[?#].*$/, '');
  const file = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  const parts = file.replace(/\.whl$/i, '').split('-');
  if (!/\.whl$/i.test(file) || (parts.length !== 5 && parts.length !== 6) || parts.some((part) => part === '')) return null;
  const [name, version] = parts as [string, string];
  const [python, abi, platform] = parts.slice(-3) as [string, string, string];
  const tags: string[] = [];
  for (const p of python.split('.')) for (const a of abi.split('.')) for (const f of platform.split('.')) tags.push(`${p}-${a}-${f}`);
  return { url, file, name: canonicalName(name), version, tags };
}

/** The tags a wheel for this interpreter may carry, the most specific first (for messages). */
export function neededTags(platform: WheelPlatform): string[] {
  const cp = `cp${platform.python.split('.').slice(0, 2).join('')}`;
  return [
    `${cp}-${cp}-pyemscripten_${platform.abiVersion}_${platform.arch}`,
    `${cp}-abi3-pyemscripten_${platform.abiVersion}_${platform.arch}`,
    'py3-none-any',
  ];
}

/** Whether one of `tags` can run on `platform`: pure Python, or built for Pyodide's ABI. */
export function isCompatible(tags: string[], platform: WheelPlatform): boolean {
  const [major, minor] = platform.python.split('.').map(Number) as [number, number];
  const platforms = new Set(['any', `pyemscripten_${platform.abiVersion}_${platform.arch}`, `${platform.platform}_${platform.arch}`]);
  return tags.some((tag) => {
    const [python = '', abi = '', where = ''] = tag.split('-');
    if (!platforms.has(where)) return false;
    const version = /^(py|cp)(\d)(\d*)$/.exec(python);
    if (!version || Number(version[2]) !== major) return false;
    const pyMinor = version[3] === '' ? null : Number(version[3]);
    if (where === 'any') return abi === 'none' && (pyMinor === null || pyMinor <= minor);
    if (version[1] !== 'cp' || pyMinor === null) return false;
    if (abi === 'abi3') return pyMinor <= minor;
    return pyMinor === minor && (abi === `cp${major}${minor}` || abi === 'none');
  });
}

/** Why a wheel cannot be used on `platform`, or `null` when it can. */
export function incompatibility(wheel: WheelFile, platform: WheelPlatform): string | null {
  if (isCompatible(wheel.tags, platform)) return null;
  const python = platform.python.split('.').slice(0, 2).join('.');
  return `it is built for ${wheel.tags.join(', ')}, but Pyodide's Python ${python} needs a pure-Python wheel (py3-none-any) or one built for Pyodide (${neededTags(platform)[0]})`;
}

/**
 * The modules a wheel provides, from the paths in its archive: its top-level packages and modules
 * (`mylib/__init__.py` -> `mylib`, `fast.cpython-314-wasm32-emscripten.so` -> `fast`), not its
 * metadata (`*.dist-info`, `*.data`).
 */
export function topLevelNames(paths: string[]): string[] {
  const names = new Set<string>();
  for (const path of paths) {
    const slash = path.indexOf('/');
    const first = slash === -1 ? path : path.slice(0, slash);
    if (/\.(dist-info|data)$/.test(first)) continue;
    const name = slash === -1 ? /^([A-Za-z_][A-Za-z0-9_]*)(\.[^.]+)*\.(py|pyc|so)$/.exec(first)?.[1] : first;
    if (name && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) names.add(name);
  }
  return [...names];
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;

/** Where a zip archive's central directory is, read from the end of the file. */
export interface ZipDirectory {
  /** Offset of the central directory in the file. */
  offset: number;
  size: number;
  entries: number;
}

/**
 * Finds the end-of-central-directory record in `tail`, the last bytes of a file. Throws when there
 * is none: the file is not a zip archive (a wheel is one).
 */
export function findZipDirectory(tail: Uint8Array): ZipDirectory {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let at = tail.byteLength - 22; at >= 0; at--) {
    if (view.getUint32(at, true) !== END_OF_DIRECTORY) continue;
    const entries = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 12, true);
    const offset = view.getUint32(at + 16, true);
    if (offset === 0xffffffff || entries === 0xffff) throw new Error('it is a ZIP64 archive, which py-cell cannot read');
    return { offset, size, entries };
  }
  throw new Error('it is not a wheel (not a zip archive)');
}

/** The paths in a zip archive's central directory (`bytes` is the directory itself). */
export function zipPaths(bytes: Uint8Array, directory: ZipDirectory): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  const paths: string[] = [];
  let at = 0;
  for (let i = 0; i < directory.entries; i++) {
    if (at + 46 > bytes.byteLength || view.getUint32(at, true) !== DIRECTORY_ENTRY) throw new Error('its zip directory is damaged');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    paths.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return paths;
}
