// Builds dist/py-cell.js (the element, Lit and Prism bundled), the engine as
// dist/py-cell-worker.js (and its bridged twin for cross-origin isolated pages) and as
// dist/py-cell-main-thread.js (main-thread mode, loaded by the element on first use). Pyodide
// itself is not bundled: the engine imports it from wasm-dist/ at run time. The Markdown plugins
// (dist/markdown-it.js, dist/remark.js) are for Node: ES modules, each whole, not minified.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

// Chunk names carry hashes: start from an empty dist/ so no stale chunk is left behind.
rmSync('dist', { recursive: true, force: true });

/** Imports `.py` files as strings (the Python helpers shipped inside the engine). */
const pythonAsText = () => ({
  name: 'python-as-text',
  load(id) {
    return id.endsWith('.py') ? `export default ${JSON.stringify(readFileSync(id, 'utf8'))};` : null;
  },
});

/**
 * Imports `.json` files as modules whose default export is their value (the snapshot contract,
 * `runtime/engine/snapshot-contract.json`, which `scripts/make-snapshot.mjs` reads too).
 */
const jsonAsModule = () => ({
  name: 'json-as-module',
  load(id) {
    return id.endsWith('.json') ? `export default ${readFileSync(id, 'utf8')};` : null;
  },
});

/** Prints each bundle's minified and gzipped size. */
const sizeSummary = () => ({
  name: 'size-summary',
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type !== 'chunk') continue;
      const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
      console.log(`${file.fileName}: ${kb(file.code.length)} minified, ${kb(gzipSync(file.code).length)} gzipped`);
    }
  },
});

const plugins = () => [
  pythonAsText(),
  jsonAsModule(),
  nodeResolve({ browser: true }),
  commonjs(),
  typescript({
    tsconfig: './tsconfig.json',
    noEmit: false,
    declaration: false,
    declarationDir: undefined,
    outDir: 'dist',
    include: ['components/**/*.ts', 'cell/**/*.ts', 'runtime/**/*.ts'],
  }),
  terser({ ecma: 2022, module: true, format: { comments: false } }),
  sizeSummary(),
];

/** The Markdown plugins: run by the host tool in Node, bundling nothing but their own code and cell/attributes.ts. */
const markdownPlugin = (name) => ({
  input: `integrations/markdown/${name}.ts`,
  output: { file: `dist/${name}.js`, format: 'es', sourcemap: true },
  plugins: [
    typescript({
      tsconfig: './tsconfig.json',
      noEmit: false,
      declaration: false,
      declarationDir: undefined,
      outDir: 'dist',
      include: ['integrations/markdown/*.ts', 'cell/attributes.ts'],
    }),
  ],
});

/**
 * Builds of their own that py-cell.js imports by name, on first use: the main-thread engine, and
 * plotly.js (already minified by Plotly: minifying its 4.7 MB again would only slow the build).
 */
const SEPARATE = [
  { file: './py-cell-main-thread.js', source: /[/\\]runtime[/\\]engine[/\\]hosts[/\\]main-thread\.(js|ts)$/ },
  { file: './py-cell-plotly.js', source: /[/\\]components[/\\]outputs[/\\]plotly\.(js|ts)$/ },
];
const separateFile = (id) => SEPARATE.find(({ source }) => source.test(id))?.file;

/** KaTeX's style sheet (its @font-face rules removed: `math.ts` adds the fonts to the document) and its WOFF2 fonts, in dist/katex/. */
const katexAssets = () => ({
  name: 'katex-assets',
  generateBundle() {
    const css = readFileSync('node_modules/katex/dist/katex.min.css', 'utf8').replace(/@font-face\{[^}]*\}/g, '');
    this.emitFile({ type: 'asset', fileName: 'katex/katex.css', source: css });
    for (const font of readdirSync('node_modules/katex/dist/fonts').filter((name) => name.endsWith('.woff2'))) {
      this.emitFile({ type: 'asset', fileName: `katex/fonts/${font}`, source: readFileSync(`node_modules/katex/dist/fonts/${font}`) });
    }
  },
});

/**
 * `py-cell prerender` (dist/prerender-cli.js, the package's bin), its Node API (dist/prerender.js)
 * the engine's Node worker thread (dist/prerender-worker.js), the Vite plugin (dist/vite.js) and
 * the Docusaurus plugin (dist/docusaurus.js), which share the command's list of served files: for Node, not minified, with
 * parse5 bundled so the package still depends on nothing but Lit (and ws, which Pyodide's Node
 * loader imports).
 */
const prerender = {
  input: {
    prerender: 'prerender/api.ts',
    'prerender-worker': 'prerender/engine-thread.ts',
    'prerender-sandbox': 'prerender/sandbox.ts',
    'prerender-cli': 'prerender/cli.ts',
    vite: 'integrations/vite/vite.ts',
    docusaurus: 'integrations/docusaurus/docusaurus.ts',
  },
  external: (id) => id.startsWith('node:') || id === 'ws' || id === 'vite',
  output: {
    dir: 'dist',
    format: 'es',
    chunkFileNames: 'prerender-[name]-[hash].js',
    banner: (chunk) => (chunk.name === 'prerender-cli' ? '#!/usr/bin/env node' : ''),
  },
  plugins: [
    pythonAsText(),
    jsonAsModule(),
    nodeResolve({ preferBuiltins: true }),
    commonjs(),
    typescript({
      tsconfig: './prerender/tsconfig.json',
      noEmit: false,
      declaration: false,
      declarationDir: undefined,
      outDir: 'dist',
      include: ['prerender/**/*.ts', 'cell/**/*.ts', 'runtime/**/*.ts', 'integrations/vite/*.ts', 'integrations/docusaurus/*.ts'],
    }),
  ],
};

export default [
  {
    input: 'components/index.ts',
    // py-cell.js exports the public API and nothing else (no internal names for chunks to share):
    // the chunks loaded on first use (renderers) import nothing from it (the ANSI drawing is given
    // its parser), or Rollup would split py-cell.js into a facade and a chunk.
    preserveEntrySignatures: 'strict',
    external: (id, importer) => Boolean(importer) && id.startsWith('.') && separateFile(resolve(dirname(importer), id)) !== undefined,
    // Renderers needed only by some pages (sanitiser and Markdown, the DOM bridge) are chunks
    // beside py-cell.js, loaded on first use. They share no code with py-cell.js.
    output: {
      dir: 'dist',
      entryFileNames: 'py-cell.js',
      chunkFileNames: 'py-cell-[name]-[hash].js',
      format: 'es',
      sourcemap: true,
      paths: (id) => separateFile(id) ?? id,
    },
    plugins: [...plugins(), katexAssets()],
  },
  {
    input: 'components/outputs/plotly.ts',
    output: { file: 'dist/py-cell-plotly.js', format: 'es' },
    plugins: plugins().filter((plugin) => plugin.name !== 'terser'),
  },
  {
    input: 'runtime/engine/hosts/main-thread.ts',
    output: { file: 'dist/py-cell-main-thread.js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
  {
    input: 'runtime/engine/hosts/worker.ts',
    output: { file: 'dist/py-cell-worker.js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
  {
    input: 'runtime/engine/hosts/shared-worker.ts',
    output: { file: 'dist/py-cell-shared-worker.js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
  {
    input: 'runtime/service-worker/input-sw.ts',
    output: { file: 'dist/py-cell-sw.js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
  {
    input: 'runtime/engine/hosts/worker-bridged.ts',
    output: { file: 'dist/py-cell-worker-bridged.js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
  markdownPlugin('markdown-it'),
  markdownPlugin('remark'),
  prerender,
];
