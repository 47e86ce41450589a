// Builds dist/py-cell.js (the element, Lit and Prism bundled) and dist/py-cell-worker.js (the
// engine). Pyodide itself is not bundled: the engine imports it from wasm-dist/ at run time.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { readFileSync, rmSync } from 'node:fs';
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
  nodeResolve({ browser: true }),
  commonjs(),
  typescript({ tsconfig: './tsconfig.json', noEmit: false, declaration: false, declarationDir: undefined, outDir: 'dist', include: ['components/**/*.ts', 'runtime/**/*.ts'] }),
  terser({ ecma: 2022, module: true, format: { comments: false } }),
  sizeSummary(),
];

export default [
  {
    input: 'components/index.ts',
    // Lets shared code stay in py-cell.js (the chunks import it from there).
    preserveEntrySignatures: 'allow-extension',
    // Renderers needed only by some pages (sanitiser and Markdown, the main-thread engine) are
    // chunks beside py-cell.js, loaded on first use.
    output: { dir: 'dist', entryFileNames: 'py-cell.js', chunkFileNames: 'py-cell-[name]-[hash].js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
  {
    input: 'runtime/worker.ts',
    output: { file: 'dist/py-cell-worker.js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
  {
    input: 'runtime/worker-bridged.ts',
    output: { file: 'dist/py-cell-worker-bridged.js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
];
