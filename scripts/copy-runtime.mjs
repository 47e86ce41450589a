#!/usr/bin/env node
// Fills wasm-dist/ from the exactly pinned `pyodide` npm package and writes
// wasm-dist/py-cell-runtime.json (the Pyodide version and the package wheels present locally).
// Fails when the installed package is not the version runtime/shared/version.ts pins.
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const source = dirname(require.resolve('pyodide/package.json'));
// WASM_DIST=<folder> fills another folder (the tests check that wheels there survive a build).
const target = process.env.WASM_DIST || join(root, 'wasm-dist');

const { version } = JSON.parse(await readFile(join(source, 'package.json'), 'utf8'));
const pinned = /PYODIDE_VERSION = '([^']+)'/.exec(await readFile(join(root, 'runtime/shared/version.ts'), 'utf8'))?.[1];
if (version !== pinned) {
  console.error(`copy-runtime: node_modules has pyodide ${version} but runtime/shared/version.ts pins ${pinned}. Run npm ci.`);
  process.exit(1);
}

/**
 * Fixes py-cell makes to Pyodide's files as it copies them, each `[file, what, from, to]`; a
 * pattern that is not found fails the build (a new Pyodide must be checked by hand).
 * - `_python2js_ascii` read `HEAPU8.subarray(ptr, ptr + len)` with `ptr` a signed 32-bit
 *   address: past a 2 GiB heap it is negative, so strings of 64 or more ASCII characters reached
 *   JavaScript as NUL characters, silently (issue 21; the loop below it already uses `ptr>>>0`).
 */
const PATCHES = [
  [
    'pyodide.asm.mjs',
    'strings from past 2 GiB of heap (_python2js_ascii)',
    'return decoder.decode(Module.HEAPU8.subarray(ptr,ptr+len))',
    'return decoder.decode(Module.HEAPU8.subarray(ptr>>>0,(ptr>>>0)+len))',
  ],
  [
    'pyodide.asm.mjs',
    "Node's file system constants under Node's permission model (py-cell prerender's sandbox)",
    // process.binding is refused under the permission model; fs.constants holds the same flags.
    'var flags=process.binding("constants")["fs"];',
    'var flags=require("fs").constants;',
  ],
];

await mkdir(target, { recursive: true });
for (const file of new Set(PATCHES.map(([name]) => name))) {
  let text = await readFile(join(source, file), 'utf8');
  for (const [name, what, from, to] of PATCHES) {
    if (name !== file) continue;
    if (!text.includes(from)) {
      console.error(`copy-runtime: the fix for ${what} no longer applies to ${file}: check this Pyodide by hand.`);
      process.exit(1);
    }
    text = text.replace(from, to);
  }
  const current = await readFile(join(target, file), 'utf8').catch(() => null);
  if (current !== text) await writeFile(join(target, file), text);
}
const files = ['pyodide.mjs', 'pyodide.mjs.map', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json', 'package.json'];
for (const file of files) {
  const from = join(source, file);
  const to = join(target, file);
  const [a, b] = await Promise.all([stat(from), stat(to).catch(() => null)]);
  if (!b || a.size !== b.size || a.mtimeMs > b.mtimeMs) await copyFile(from, to);
}

// Wheels in wasm-dist/: those the lock file names (Pyodide's own packages) are loaded from there
// instead of the package URL; the others (an author's own library) are listed as `wheels`, found
// by their name or by the modules they provide, read from each wheel by the engine.
const lock = JSON.parse(await readFile(join(target, 'pyodide-lock.json'), 'utf8'));
const present = (await readdir(target)).filter((name) => name.endsWith('.whl')).sort();
const named = new Set(Object.values(lock.packages).map((pkg) => pkg.file_name));
const localPackages = present.filter((name) => named.has(name));
const wheels = present.filter((name) => !named.has(name));
// The files Pyodide fetches to start, with their sizes: the engine shows one progress for the start.
const startFiles = {};
for (const file of ['pyodide.asm.wasm', 'python_stdlib.zip']) startFiles[file] = (await stat(join(target, file))).size;
const manifest = { pyodideVersion: version, localPackages, wheels, startFiles };
await writeFile(join(target, 'py-cell-runtime.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(
  `copy-runtime: Pyodide ${version} in wasm-dist/ (${localPackages.length} of Pyodide's package wheels, ${wheels.length} other wheels)`,
);
