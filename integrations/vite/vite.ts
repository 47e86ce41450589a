/**
 * py-cell/vite: a Vite plugin (also for VitePress and Astro) that serves py-cell's files in
 * development, emits them in the build, under the site's `base`, and makes `import 'py-cell'`
 * load the element from there, so that it finds its worker and Python beside it:
 *
 * ```js
 * // vite.config.js (VitePress: `vite: { plugins: [pyCell()] }`; Astro: `vite: { plugins: [pyCell()] }`)
 * import pyCell from 'py-cell/vite';
 * export default { base: '/blog/', plugins: [pyCell()] };
 * ```
 *
 * The element is not bundled: `import 'py-cell'` (and `import { configure } from 'py-cell'`)
 * becomes an import of `<base><folder>/dist/py-cell.js`, the package's own build, which finds
 * `wasm-dist/`, its worker and its renderers beside itself. No `configure()` call is needed, and
 * no copy of the worker or of Pyodide lands in the app's bundle. In a server render (VitePress,
 * Astro) the import is a stand-in with the same names, since the element runs only in browsers.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { assetsFolder, PACKAGE_ROOT, serveAssets, servedFiles } from '../../prerender/assets.js';

/** The options of the Vite plugin. */
export interface PyCellViteOptions {
  /** The folder under the site's `base` that holds py-cell's files (default `'py-cell'`). */
  folder?: string;
}

/** What `import 'py-cell'` is in a server render: the element's names, doing nothing. */
const SERVER_STAND_IN = `// py-cell/vite: py-cell runs in browsers; in a server render its import does nothing.
export const PYODIDE_VERSION = '';
export const configure = () => {};
export const currentConfig = () => ({});
class Stand {}
export { Stand as PyCell, Stand as PyCellRunEvent, Stand as PyCellDoneEvent, Stand as PyCellCheckEvent, Stand as PyCellInputEvent };
`;
const SERVER_ID = '\0py-cell/vite:server';

/** The plugin: `plugins: [pyCell()]` or `plugins: [pyCell({ folder: 'assets/py-cell' })]`. */
export default function pyCell(options: PyCellViteOptions = {}): Plugin {
  const folder = assetsFolder('py-cell/vite', options.folder);
  let config: ResolvedConfig;
  /** Where the element is served: the site's base, then the folder. */
  const entry = () => `${config.base}${folder}/dist/py-cell.js`;

  /** Development: answers requests under `<base><folder>/` with the package's served files. */
  const serve = serveAssets(() => `${config.base}${folder}/`);

  return {
    name: 'py-cell',
    enforce: 'pre',
    config: () => ({ optimizeDeps: { exclude: ['py-cell'] } }),
    configResolved(resolved) {
      config = resolved;
      if (!config.base.startsWith('/') && !/^[a-z][a-z\d+.-]*:\/\//i.test(config.base))
        throw new Error(
          `py-cell/vite: the site's base is relative ('${config.base}'); the element's URL must be absolute: set base to '/' or '/your/path/'.`,
        );
    },
    resolveId(id, _importer, resolveOptions) {
      if (id !== 'py-cell') return null;
      if (resolveOptions.ssr) return SERVER_ID;
      // The dev server puts the base before a root-relative import itself; a build does not.
      return { id: config.command === 'serve' ? `/${folder}/dist/py-cell.js` : entry(), external: true };
    },
    load(id) {
      if (id === SERVER_ID) return SERVER_STAND_IN;
      // The dev server warms up what a module imports: without this it would look for the element
      // among the site's own files ("Pre-transform error: Failed to load url"). Readers' requests
      // for it are answered by the middleware below, before Vite's own.
      if (config.command === 'serve' && id === `/${folder}/dist/py-cell.js`) return 'export {};';
      return null;
    },
    configureServer(server) {
      server.middlewares.use(serve);
    },
    generateBundle(_options, bundle) {
      // The element is imported, not bundled: no tool may preload it as one of the bundle's
      // chunks (VitePress writes a modulepreload for each chunk import, with the base again).
      for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') chunk.imports = chunk.imports.filter((id) => id !== entry());
    },
    async writeBundle() {
      // Copied beside the build, not emitted into it: a tool that links every style sheet of the
      // bundle into each page (VitePress) would load KaTeX's before any formula needs it.
      if (config.build.ssr) return;
      const target = join(resolve(config.root, config.build.outDir), folder);
      for (const file of await servedFiles(PACKAGE_ROOT)) {
        await mkdir(dirname(join(target, file)), { recursive: true });
        await copyFile(join(PACKAGE_ROOT, file), join(target, file));
      }
    },
  };
}
